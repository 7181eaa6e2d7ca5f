-- update_state_by_key.lua with the context made by StreamingContext{}
-- instead of getOrCreate: the restarted driver starts anew (a new grid from
-- 7.5 s, the state from nothing), so Spark's expected output is not met and
-- the run exits 1. The port's expectation can fail.
scenario{ name = "CheckpointSuite: updateStateByKey, no recovery", seed = 1, duration = "10500ms" }
kafka{ topic = "input", partitions = 1, lines = { "a", "a", "a", "a", "a", "a", "a", "a", "a", "a" }, rate = 1,
       start = "500ms" }
faults{ { at = "7001ms", crash = "driver", restart_after = "499ms" } }
local ssc = (function()
  local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
  ssc:checkpoint("checkpoint")
  local state = KafkaUtils.createDirectStream(ssc, { "input" }, { ["auto.offset.reset"] = "smallest" })
    :map(function(kv) return { kv[2], 1 } end)
    :updateStateByKey(function(values, state)
      local sum = state or 0
      for _, v in ipairs(values) do sum = sum + v end
      return sum
    end)
  state:checkpoint("2s")
  state:print()
  return ssc
end)()
local expected = {}
for i = 1, 10 do expected[i] = { { "a", i } } end
expect{ output = 0, batches = expected }
ssc:start()
