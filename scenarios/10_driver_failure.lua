-- 10 Driver failure: recovery with StreamingContext.getOrCreate.
--
-- Concept. The driver holds the batch grid, what each batch reads and the
-- DStream graph; when it dies, its executors die with it. To come back,
-- the application makes its context with
--   StreamingContext.getOrCreate(checkpointDir, function() ... end)
-- which calls the function only when there is no checkpoint. Two kinds of
-- checkpoint make the recovery:
--   metadata checkpoints (checkpoints/checkpoint-<ms>), written after each
--     batch is generated and after each is done: the grid, the batches still
--     pending, the direct stream's offset ranges, the state's latest data
--     checkpoint;
--   data checkpoints of the state (updateStateByKey), here every 5 s.
-- The restarted driver reads the latest metadata checkpoint, generates again
-- the pending batches with the inputs they had, then the batches of the
-- time it was down, and the state goes on from its data checkpoint.
--
-- A running word count over a direct Kafka stream, batch 1 s. The driver
-- crashes at 7.01 s, while batch 7000 ms runs, and restarts 2 s later.
-- Without getOrCreate the new driver would start from nothing:
-- scenarios/driver_crash_no_checkpoint.lua (at-most-once).
--
-- Watch in the visualiser: at 7.01 s the driver and both workers struck
-- through, batch 7000's bar left open (2 s tall by the time it is run
-- again); at 9.01 s the blue "recovery" tick in the durable storage panel
-- and "restarted (#2)" on every node, then the batches generated again,
-- small bars with the dashed blue "re-run" border; the metadata checkpoint
-- ticks, and the data checkpoint ticks at 5 s and 10 s.
--
-- Predict, then run:
--   1. At 9.01 s, which batches does the new driver generate at once?
--      (7000 ms, pending in the checkpoint, and 8000, 9000 ms, the time it
--      was down: "3 batches to generate again".)
--   2. Does batch 7000's state start from zero? (No: from the data
--      checkpoint of batch 5000 ms, plus batch 6000 recomputed from its
--      offset ranges: its job has 5 stages instead of 3. The counts equal
--      those of the run without the crash: exactly-once.)
scenario{ name = "10 driver failure: getOrCreate, metadata and data checkpoints", seed = 4, duration = "14500ms" }

kafka{ topic = "fortunes", partitions = 2, file = "data/fortunes/fortunes", rate = 30 }

faults{ { at = "7010ms", crash = "driver", restart_after = "2s" } }

narrate{ at = "0s", text = "getOrCreate finds no checkpoint in checkpoints/: it calls the function and makes a new context." }
narrate{ at = "1s", text = "After each batch is generated, and after it is done, the driver writes a metadata checkpoint." }
narrate{ at = "5s", text = "Batch 5000 ms: the state's data checkpoint (every 5 s) is written to checkpoints/rdd-29." }
narrate{ at = "7010ms", text = "The driver crashes while batch 7000 ms runs; its executors die with it. No batch for 2 s." }
narrate{ at = "9010ms", text = "The driver program runs again: getOrCreate reads checkpoint-7000 and generates 7000, 8000, 9000 ms again." }
narrate{ at = "9011ms", text = "Batch 7000 ms: the state from the 5 s checkpoint, plus batch 6000 recomputed from its offsets: 5 stages." }
narrate{ at = "10s", text = "Back on the grid. The counts equal those of the run without the crash." }

expect{ delivery = "exactly-once" }
expect{ events = {
  recovery_phase = 1,        -- phase 2: restarted from a metadata checkpoint
  batch_generated = 15,      -- 14 batches, 7000 ms twice
  batch_done = 14,
  checkpoint_write = 2,      -- the state's data checkpoints at 5 s and 10 s
  executor_registered = 4,   -- 2 executors, and 2 new ones after the restart
} }

local ssc = StreamingContext.getOrCreate("checkpoints", function()
  local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
  ssc:checkpoint("checkpoints")
  local words = KafkaUtils.createDirectStream(ssc, { "fortunes" }, { ["auto.offset.reset"] = "smallest" })
    :flatMap(function(kv) local w = {} for x in kv[2]:gmatch("%a+") do w[#w + 1] = x:lower() end return w end)
    :filter(function(w) return #w > 6 end)
    :map(function(w) return { w, 1 } end)
  local counts = words:updateStateByKey(function(values, state)
    local sum = state or 0
    for _, v in ipairs(values) do sum = sum + v end
    return sum
  end)
  counts:checkpoint("5s")
  counts:print()
  return ssc
end)

ssc:start()
ssc:awaitTerminationOrTimeout("14500ms")
