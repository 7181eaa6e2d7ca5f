-- A window whose slide is not a multiple of the batch interval. Expected:
-- exit 2, one message,
--   <file>:<line of the window call>: The slide duration of windowed DStream
--   (1500 ms) must be a multiple of the slide duration of parent DStream (1000 ms)
scenario{ name = "bad slide duration", seed = 1, duration = "5s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local input = ssc:queueStream({ { 1 }, { 2 } }, true)

input:window("3s", "1500ms"):foreachRDD(function(rdd) rdd:collect() end)

ssc:start()
ssc:awaitTerminationOrTimeout("2500ms")
