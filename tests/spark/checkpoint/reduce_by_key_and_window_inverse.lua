-- CheckpointSuite "recovery with invertible reduceByKeyAndWindow operation":
-- n = 10, w = 4; input n batches of Seq("a"); operation map(x => (x, 1))
-- .reduceByKeyAndWindow(_ + _, _ - _, batchDuration * w, batchDuration)
-- .checkpoint(batchDuration * 2); expected (a,1), (a,2), (a,3), then (a,4)
-- n - w + 1 times; testCheckpointedOperation(input, operation, output, 7).
-- The protocol as in map_reduce_by_key.lua: the previous window comes back
-- from its data checkpoint of batch 6000 and batch 7000 runs again.
scenario{ name = "CheckpointSuite: invertible reduceByKeyAndWindow", seed = 1, duration = "10500ms" }
kafka{ topic = "input", partitions = 1, lines = { "a", "a", "a", "a", "a", "a", "a", "a", "a", "a" }, rate = 1,
       start = "500ms" }
faults{ { at = "7001ms", crash = "driver", restart_after = "499ms" } }
local ssc = StreamingContext.getOrCreate("checkpoint", function()
  local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
  ssc:checkpoint("checkpoint")
  local windowed = KafkaUtils.createDirectStream(ssc, { "input" }, { ["auto.offset.reset"] = "smallest" })
    :map(function(kv) return { kv[2], 1 } end)
    :reduceByKeyAndWindow(function(a, b) return a + b end, function(a, b) return a - b end, "4s", "1s")
  windowed:checkpoint("2s")
  windowed:print()
  return ssc
end)
expect{ output = 0, batches = { { { "a", 1 } }, { { "a", 2 } }, { { "a", 3 } }, { { "a", 4 } }, { { "a", 4 } },
                                 { { "a", 4 } }, { { "a", 4 } }, { { "a", 4 } }, { { "a", 4 } }, { { "a", 4 } } } }
expect{ events = { recovery_phase = 1 } }
ssc:start()
