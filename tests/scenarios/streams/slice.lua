-- DStream.slice inside foreachRDD: the stream's RDDs of the last 3 batch
-- times [t - 2 s, t], still remembered thanks to ssc:remember("5s"); their
-- union's records, collected. Batches 1..4 carry {1}, {2}, {3}, {4}.
scenario{ name = "slice", seed = 1, duration = "5s" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
ssc:remember("5s")
local numbers = ssc:queueStream({ { 1 }, { 2 }, { 3 }, { 4 } })
numbers:foreachRDD(function(rdd, time)
  local recent = numbers:slice(time - 2000, time)
  local all = recent[1]
  for i = 2, #recent do all = all:union(recent[i]) end
  all:collect()
end)
expect{ output = 0, batches = { { 1 }, { 1, 2 }, { 1, 2, 3 }, { 2, 3, 4 } } }
ssc:start()
ssc:awaitTerminationOrTimeout("4500ms")
