-- Spark: WindowOperationsSuite, testReduceByKeyAndWindowWithInverse("key already in window and new value added into window", ...), i.e.
--   test("reduceByKeyAndWindow with inverse function - key already in window and new value added into window").
--   input  Seq(Seq(("a", 1)), Seq(("a", 1))),
--          2 partitions per batch
--   op     s.reduceByKeyAndWindow(_ + _, _ - _, Seconds(2), Seconds(1))
--            .checkpoint(Seconds(100))   (window, slide: the defaults)
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 2 * 1 = 2 batches of 1 s
--   output Seq(Seq(("a", 1)), Seq(("a", 2))),
--          as sets (useSet = true)
-- Checks that a key's value from the batch before, still in the window, adds
-- to the new batch's value.
-- Here through ReducedWindowedDStream: previous window - old batches + new.
-- ssc:checkpoint: Spark's TestSuiteBase sets the checkpoint directory, and
-- the inverse function needs it. queueStream warns that it cannot be
-- checkpointed (as Spark's QueueInputDStream does): that one line is the
-- run's only stderr.
scenario{ name = "spark window_operations reduceByKeyAndWindow_inv_key_already_in_window", seed = 1, duration = "20s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext
ssc:checkpoint("checkpoint") -- TestSuiteBase.checkpointDir

local input = ssc:queueStream({
  sc:parallelize({ { "a", 1 } }, 2),
  sc:parallelize({ { "a", 1 } }, 2),
}, true)

input:reduceByKeyAndWindow(add, sub, "2s", "1s")
  :checkpoint("100s") -- large, to avoid the effect of RDD checkpointing
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 1 } },
  { { "a", 2 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("2500ms")
