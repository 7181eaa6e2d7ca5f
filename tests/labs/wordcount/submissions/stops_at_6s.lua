-- A submission whose output function fails at 6 s: the run stops there,
-- and what it printed until then is graded.
scenario{ name = "grade test: windowed word count", seed = 7, duration = "10s" }
netcat{ port = 9999, file = "data/fortunes/fortunes", rate = 20 }
local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
local pairs_ = ssc:socketTextStream("localhost", 9999):flatMap(words):map(pairWithOne)
pairs_:reduceByKey(add):print()                                   -- output 0
pairs_:reduceByKeyAndWindow(add, sub, "4s", "2s"):print()         -- output 1
pairs_:foreachRDD(function(rdd, t) if t >= 6000 then error("boom at " .. t) end end)
faults{ { at = "5s", crash = "worker-1", restart_after = "2s" } }
ssc:checkpoint("checkpoints")
ssc:start()
ssc:awaitTerminationOrTimeout("10s")
