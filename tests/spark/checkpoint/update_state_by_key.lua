-- CheckpointSuite "recovery with updateStateByKey operation": input ten
-- batches of Seq("a"); operation map(x => (x, 1)).updateStateByKey(
-- (values, state) => Some(values.sum + state.getOrElse(0))) with
-- checkpoint(batchDuration * 2); expected (a,n) at batch n;
-- testCheckpointedOperation(input, operation, output, 7). The protocol as
-- in map_reduce_by_key.lua: the driver crashes 1 ms into batch 7000 and
-- restarts from its checkpoint; the state comes back from the data
-- checkpoint of batch 6000 and batch 7000 runs again.
scenario{ name = "CheckpointSuite: updateStateByKey", seed = 1, duration = "10500ms" }
kafka{ topic = "input", partitions = 1, lines = { "a", "a", "a", "a", "a", "a", "a", "a", "a", "a" }, rate = 1,
       start = "500ms" }
faults{ { at = "7001ms", crash = "driver", restart_after = "499ms" } }
local ssc = StreamingContext.getOrCreate("checkpoint", function()
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
end)
local expected = {}
for i = 1, 10 do expected[i] = { { "a", i } } end
expect{ output = 0, batches = expected }
expect{ events = { recovery_phase = 1 } }
ssc:start()
