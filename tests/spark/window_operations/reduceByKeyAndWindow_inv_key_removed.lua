-- Spark: WindowOperationsSuite, testReduceByKeyAndWindowWithInverse("key removed from window", ...), i.e.
--   test("reduceByKeyAndWindow with inverse function - key removed from window").
--   input  Seq(Seq(("a", 1)), Seq(("a", 1)), Seq(), Seq()),
--          2 partitions per batch
--   op     s.reduceByKeyAndWindow(_ + _, _ - _, Seconds(2), Seconds(1))
--            .checkpoint(Seconds(100))   (window, slide: the defaults)
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 4 * 1 = 4 batches of 1 s
--   output Seq(Seq(("a", 1)), Seq(("a", 2)), Seq(("a", 1)), Seq(("a", 0))),
--          as sets (useSet = true)
-- Checks that a key leaves the window with its batches: the inverse
-- function subtracts them and the key stays with value 0 (no filterFunc).
-- ssc:checkpoint: Spark's TestSuiteBase sets the checkpoint directory, and
-- the inverse function needs it. queueStream warns that it cannot be
-- checkpointed (as Spark's QueueInputDStream does): that one line is the
-- run's only stderr.
scenario{ name = "spark window_operations reduceByKeyAndWindow_inv_key_removed", seed = 1, duration = "20s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext
ssc:checkpoint("checkpoint") -- TestSuiteBase.checkpointDir

local input = ssc:queueStream({
  sc:parallelize({ { "a", 1 } }, 2),
  sc:parallelize({ { "a", 1 } }, 2),
  sc:parallelize({}, 2),
  sc:parallelize({}, 2),
}, true)

input:reduceByKeyAndWindow(add, sub, "2s", "1s")
  :checkpoint("100s") -- large, to avoid the effect of RDD checkpointing
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 1 } },
  { { "a", 2 } },
  { { "a", 1 } },
  { { "a", 0 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("4500ms")
