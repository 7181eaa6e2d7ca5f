-- CheckpointSuite "recovery with map and reduceByKey operations": input ten
-- batches of Seq("a"); operation map(x => (x, 1)).reduceByKey(_ + _);
-- expected (a,1) in every batch; testCheckpointedOperation(input, operation,
-- output, 7). Spark's protocol runs 7 batches with a checkpoint directory,
-- stops, restarts from the checkpoint and runs the rest, the last batch
-- before the stop running again. Here: the input is a log with one "a" per
-- batch (as TestInputStream gives input(i) to batch i), the driver crashes
-- 1 ms into batch 7000 (still pending in its checkpoint) and restarts from
-- it at 7.5 s: batch 7000 is generated again, then 8000..10000.
scenario{ name = "CheckpointSuite: map and reduceByKey", seed = 1, duration = "10500ms" }
kafka{ topic = "input", partitions = 1, lines = { "a", "a", "a", "a", "a", "a", "a", "a", "a", "a" }, rate = 1,
       start = "500ms" }
faults{ { at = "7001ms", crash = "driver", restart_after = "499ms" } }
local ssc = StreamingContext.getOrCreate("checkpoint", function()
  local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
  ssc:checkpoint("checkpoint")
  KafkaUtils.createDirectStream(ssc, { "input" }, { ["auto.offset.reset"] = "smallest" })
    :map(function(kv) return { kv[2], 1 } end)
    :reduceByKey(function(a, b) return a + b end)
    :print()
  return ssc
end)
local expected = {}
for i = 1, 10 do expected[i] = { { "a", 1 } } end
expect{ output = 0, batches = expected }
expect{ events = { recovery_phase = 1 } }
ssc:start()
