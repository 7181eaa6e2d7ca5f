-- scenarios/driver_recovery_state.lua with the driver crashing at 5.01 s,
-- while batch 5000 runs. That batch is pending in the metadata checkpoint:
-- the restarted driver generates it again with the offset ranges it had,
-- then the batches of the time it was down, and the state goes on from its
-- data checkpoint of batch 4000. The counts equal the run without the crash.
scenario{ name = "driver recovery from checkpoint, a pending batch", seed = 4, duration = "12s" }
kafka{ topic = "fortunes", partitions = 2, file = "data/fortunes/fortunes", rate = 30 }
faults{ { at = "5010ms", crash = "driver", restart_after = "2s" } }
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
