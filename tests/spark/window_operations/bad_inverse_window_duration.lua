-- reduceByKeyAndWindow with an inverse over a window that is not a multiple
-- of the batch interval: Spark's ReducedWindowedDStream checks it with
-- require(), hence "requirement failed: ". Expected: exit 2, one message,
--   <file>:<line of the call>: requirement failed: The window duration of
--   ReducedWindowedDStream (2500 ms) must be multiple of the slide duration of
--   parent DStream (1000 ms)
scenario{ name = "bad inverse window duration", seed = 1, duration = "5s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
ssc:checkpoint("checkpoint")
local input = ssc:queueStream({ { { "a", 1 } } }, true)

input:reduceByKeyAndWindow(add, sub, "2500ms", "1s"):foreachRDD(function(rdd) rdd:collect() end)

ssc:start()
ssc:awaitTerminationOrTimeout("2500ms")
