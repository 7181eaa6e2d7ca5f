-- A test lab for `streamlab grade` (tests/cli/test_grade.c): a windowed
-- word count from a socket, with the worker that does not run the
-- receiver crashing at 5 s.
scenario{ name = "grade test: windowed word count", seed = 7, duration = "10s" }
netcat{ port = 9999, file = "data/fortunes/fortunes", rate = 20 }
local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
local pairs_ = ssc:socketTextStream("localhost", 9999):flatMap(words):map(pairWithOne)
pairs_:reduceByKey(add):print()                                   -- output 0
pairs_:reduceByKeyAndWindow(add, sub, "4s", "2s"):print()         -- output 1
faults{ { at = "5s", crash = "worker-1", restart_after = "2s" } }
ssc:checkpoint("checkpoints")
local t = {} for i = 1, 1e9 do t[i] = string.rep("x", 1000) .. i end
ssc:start()
ssc:awaitTerminationOrTimeout("10s")
