-- 08 Checkpoint interval: lineage length vs checkpoint cost.
--
-- Concept. updateStateByKey makes each batch's state from the previous
-- batch's state and the new data, so the state RDD's lineage grows by a few
-- RDDs every batch, back to the first batch. A data checkpoint writes the
-- state to durable storage and cuts the lineage there; what the driver must
-- remember to recompute a lost partition (old batches, their shuffle
-- outputs) is only what came after it. Checkpointing costs: a job of its own
-- after the batch's output job, and a write of the whole state. Spark's
-- default is max(slide, 10 s); its guide suggests 5 to 10 slide intervals.
--
-- The same running word count twice, side by side, on one direct Kafka
-- stream (batch 1 s):
--   output 0: counts:checkpoint("1s")   every batch: short lineage, a
--             checkpoint job and a state write in every batch;
--   output 1: counts:checkpoint("10s")  every 10 slides: a checkpoint at
--             10, 20 and 30 s only; between them the lineage grows.
-- Both print the same counts (the checker compares them with a run that
-- has no faults either: exactly-once).
--
-- Watch in the visualiser: the durable storage panel's "data ckpt" row, one
-- tick per batch and a second tick at 10, 20 and 30 s; the batch timeline,
-- where those three batches' bars are about 11 ms taller (two checkpoint
-- jobs in them). The lineage depth is in the trace:
--   streamlab run scenarios/08_checkpoint_interval.lua --out /tmp/o08
--   grep checkpoint_write /tmp/o08/trace.jsonl
-- and the driver_memory events show what the driver holds for recomputation
-- (batches, RDDs, shuffles): 4 batches, 32 RDDs, 16 shuffles with output 0
-- alone; here it climbs to 13 batches, 104 RDDs, 52 shuffles, and falls back
-- to 4 at 13 s and 23 s, once the batches before a cut are no longer needed.
-- (Spark itself keeps a checkpointed stream's RDDs for twice its interval.)
--
-- Predict, then run:
--   1. How many data checkpoints are written in 30 batches? (33: 30 from
--      output 0, 3 from output 1.)
--   2. At 10 s, output 0's state has a lineage 6 RDDs deep. How deep is
--      output 1's when its first checkpoint cuts it? (24: it grew by 2 RDDs,
--      a cogroup and its mapping, in each of 9 batches; with
--      checkpoint("5s"), 14.)
scenario{ name = "08 checkpoint interval: every batch vs every 10 slides", seed = 7, duration = "30500ms" }

kafka{ topic = "fortunes", partitions = 2, file = "data/fortunes/fortunes", rate = 30 }

narrate{ at = "0s", text = "One word count over a direct Kafka stream, kept twice with updateStateByKey: checkpoints every 1 s vs every 10 s." }
narrate{ at = "1s", text = "Batch 1000 ms: output 0's state is written at once (data ckpt). Output 1's lineage starts to grow." }
narrate{ at = "5s", text = "Each batch: two output jobs, then output 0's checkpoint job. Output 1 writes nothing: its lineage grows 2 RDDs a batch." }
narrate{ at = "10s", text = "Batch 10000 ms: output 1's first checkpoint cuts a lineage 24 RDDs deep (output 0's: 6). The bar is taller." }
narrate{ at = "13s", text = "The driver forgets the batches before the cut: it held 12 batches and 96 RDDs, now 4 and 32. They climb again." }
narrate{ at = "20s", text = "Batch 20000 ms: the second cut. 20 checkpoint writes for output 0 so far, 2 for output 1: same counts." }

expect{ delivery = "exactly-once" }
expect{ events = {
  checkpoint_write = 33,   -- 30 (every batch) + 3 (10, 20, 30 s)
  job_start = 93,          -- 30 batches x 2 outputs + 33 checkpoint jobs
  batch_done = 30,
} }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
ssc:checkpoint("checkpoints")   -- updateStateByKey needs it

local pairs_ = KafkaUtils.createDirectStream(ssc, { "fortunes" }, { ["auto.offset.reset"] = "smallest" })
  :flatMap(function(kv) local w = {} for x in kv[2]:gmatch("%a+") do w[#w + 1] = x:lower() end return w end)
  :filter(function(w) return #w > 6 end)
  :map(function(w) return { w, 1 } end)

local function running(values, state)
  local sum = state or 0
  for _, v in ipairs(values) do sum = sum + v end
  return sum
end

-- output 0: checkpointed every slide
local every = pairs_:updateStateByKey(running)
every:checkpoint("1s")
every:print()

-- output 1: checkpointed every 10 slides
local tenth = pairs_:updateStateByKey(running)
tenth:checkpoint("10s")
tenth:print()

ssc:start()
ssc:awaitTerminationOrTimeout("30500ms")
