-- Spark: WindowOperationsSuite, testReduceByKeyAndWindowWithInverse("basic reduction", ...), i.e.
--   test("reduceByKeyAndWindow with inverse function - basic reduction").
--   input  Seq(Seq(("a", 1), ("a", 3))),
--          2 partitions per batch
--   op     s.reduceByKeyAndWindow(_ + _, _ - _, Seconds(2), Seconds(1))
--            .checkpoint(Seconds(100))   (window, slide: the defaults)
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 1 * 1 = 1 batches of 1 s
--   output Seq(Seq(("a", 4))),
--          as sets (useSet = true)
-- Checks that the values of a key in one batch reduce to one record.
-- Here through ReducedWindowedDStream: previous window - old batches + new.
-- ssc:checkpoint: Spark's TestSuiteBase sets the checkpoint directory, and
-- the inverse function needs it. queueStream warns that it cannot be
-- checkpointed (as Spark's QueueInputDStream does): that one line is the
-- run's only stderr.
scenario{ name = "spark window_operations reduceByKeyAndWindow_inv_basic_reduction", seed = 1, duration = "20s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext
ssc:checkpoint("checkpoint") -- TestSuiteBase.checkpointDir

local input = ssc:queueStream({
  sc:parallelize({ { "a", 1 }, { "a", 3 } }, 2),
}, true)

input:reduceByKeyAndWindow(add, sub, "2s", "1s")
  :checkpoint("100s") -- large, to avoid the effect of RDD checkpointing
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 4 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("1500ms")
