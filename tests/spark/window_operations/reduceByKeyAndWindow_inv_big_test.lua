-- Spark: WindowOperationsSuite, testReduceByKeyAndWindowWithInverse("big test", ...), i.e.
--   test("reduceByKeyAndWindow with inverse function - big test").
--   input  bigInput = Seq(Seq(("a", 1)), Seq(("a", 1), ("b", 1)), Seq(("a", 1), ("b", 1), ("c", 1)), Seq(("a", 1), ("b", 1)), Seq(("a", 1)), Seq(), Seq(("a", 1)), Seq(("a", 1), ("b", 1)), Seq(("a", 1), ("b", 1), ("c", 1)), Seq(("a", 1), ("b", 1)), Seq(("a", 1)), Seq()),
--          2 partitions per batch
--   op     s.reduceByKeyAndWindow(_ + _, _ - _, Seconds(2), Seconds(1))
--            .checkpoint(Seconds(100))   (window, slide: the defaults)
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 12 * 1 = 12 batches of 1 s
--   output bigReduceInvOutput = Seq(Seq(("a", 1)), Seq(("a", 2), ("b", 1)), Seq(("a", 2), ("b", 2), ("c", 1)), Seq(("a", 2), ("b", 2), ("c", 1)), Seq(("a", 2), ("b", 1), ("c", 0)), Seq(("a", 1), ("b", 0), ("c", 0)), Seq(("a", 1), ("b", 0), ("c", 0)), Seq(("a", 2), ("b", 1), ("c", 0)), Seq(("a", 2), ("b", 2), ("c", 1)), Seq(("a", 2), ("b", 2), ("c", 1)), Seq(("a", 2), ("b", 1), ("c", 0)), Seq(("a", 1), ("b", 0), ("c", 0))),
--          as sets (useSet = true)
-- Checks the incremental window over 12 batches: keys whose batches left
-- the window stay with value 0, as no filterFunc removes them.
-- ssc:checkpoint: Spark's TestSuiteBase sets the checkpoint directory, and
-- the inverse function needs it. queueStream warns that it cannot be
-- checkpointed (as Spark's QueueInputDStream does): that one line is the
-- run's only stderr.
scenario{ name = "spark window_operations reduceByKeyAndWindow_inv_big_test", seed = 1, duration = "20s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext
ssc:checkpoint("checkpoint") -- TestSuiteBase.checkpointDir

local input = ssc:queueStream({
  sc:parallelize({ { "a", 1 } }, 2),
  sc:parallelize({ { "a", 1 }, { "b", 1 } }, 2),
  sc:parallelize({ { "a", 1 }, { "b", 1 }, { "c", 1 } }, 2),
  sc:parallelize({ { "a", 1 }, { "b", 1 } }, 2),
  sc:parallelize({ { "a", 1 } }, 2),
  sc:parallelize({}, 2),
  sc:parallelize({ { "a", 1 } }, 2),
  sc:parallelize({ { "a", 1 }, { "b", 1 } }, 2),
  sc:parallelize({ { "a", 1 }, { "b", 1 }, { "c", 1 } }, 2),
  sc:parallelize({ { "a", 1 }, { "b", 1 } }, 2),
  sc:parallelize({ { "a", 1 } }, 2),
  sc:parallelize({}, 2),
}, true)

input:reduceByKeyAndWindow(add, sub, "2s", "1s")
  :checkpoint("100s") -- large, to avoid the effect of RDD checkpointing
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 1 } },
  { { "a", 2 }, { "b", 1 } },
  { { "a", 2 }, { "b", 2 }, { "c", 1 } },
  { { "a", 2 }, { "b", 2 }, { "c", 1 } },
  { { "a", 2 }, { "b", 1 }, { "c", 0 } },
  { { "a", 1 }, { "b", 0 }, { "c", 0 } },
  { { "a", 1 }, { "b", 0 }, { "c", 0 } },
  { { "a", 2 }, { "b", 1 }, { "c", 0 } },
  { { "a", 2 }, { "b", 2 }, { "c", 1 } },
  { { "a", 2 }, { "b", 2 }, { "c", 1 } },
  { { "a", 2 }, { "b", 1 }, { "c", 0 } },
  { { "a", 1 }, { "b", 0 }, { "c", 0 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("12500ms")
