-- Acceptance 4 (issue 6): a running word count (updateStateByKey) over a
-- direct Kafka stream, made with StreamingContext.getOrCreate. The driver
-- crashes at 5.5 s, its executors with it, and restarts 2 s later. The new
-- driver reads the latest metadata checkpoint: the grid, the pending batch
-- and its offset ranges, where the stream goes on, and the state's data
-- checkpoint (every batch here). It generates again the pending batch and
-- those of the time it was down, then goes on. The counts equal those of
-- the run without the crash: exactly-once, batches late but not lost.
scenario{ name = "driver recovery from checkpoint, running counts", seed = 4, duration = "12s" }
kafka{ topic = "fortunes", partitions = 2, file = "data/fortunes/fortunes", rate = 30 }
faults{ { at = "5500ms", crash = "driver", restart_after = "2s" } }
expect{ delivery = "exactly-once" }
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
  counts:checkpoint("1s")
  counts:print()
  return ssc
end)
ssc:start()
