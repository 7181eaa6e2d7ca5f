-- updateStateByKey without ssc:checkpoint(dir): Spark's DStream.validateAtStart
-- refuses to start ("requirement failed: The checkpoint directory has not
-- been set. Please set it by StreamingContext.checkpoint()."). Expected:
-- exit 2, one message naming the ssc:start() line and the stream that needs
-- the directory.
scenario{ name = "updateStateByKey without a checkpoint directory", seed = 1, duration = "5s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local input = ssc:queueStream({ { "a" } }, true)

input:map(function(x) return { x, 1 } end)
  :updateStateByKey(function(values, state) return #values + (state or 0) end)
  :foreachRDD(function(rdd) rdd:collect() end)

ssc:start()
ssc:awaitTerminationOrTimeout("2500ms")
