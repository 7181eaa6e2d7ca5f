-- One simulated hour of a windowed, stateful job on a receiver: what the
-- driver holds (remembered batches, RDDs, receiver blocks, shuffles) must
-- stay bounded. RDDs are forgotten once no window, lineage or remember
-- duration needs them; data checkpoints every 10 s cut the state's lineage.
-- summary.json's metrics give the maxima; the test asserts them.
scenario{ name = "one hour, bounded", seed = 11, duration = "1 hour" }
netcat{ port = 9999, lines = { "a b c", "b c d", "c d e", "d e a" }, rate = 50, loop = true }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
ssc:checkpoint("checkpoints")
local pairs_ = ssc:socketTextStream("localhost", 9999):flatMap(words):map(pairWithOne)
pairs_:reduceByKeyAndWindow(add, sub, "30s", "10s"):foreachRDD(function(rdd) rdd:count() end)
pairs_:updateStateByKey(function(values, state)
  local n = state or 0
  for _, v in ipairs(values) do n = n + v end
  return n
end):foreachRDD(function(rdd) rdd:count() end)
pairs_:window("20s", "5s"):count():foreachRDD(function(rdd) rdd:count() end)
ssc:start()
