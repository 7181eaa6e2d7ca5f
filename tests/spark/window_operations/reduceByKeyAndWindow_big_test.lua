-- Spark: WindowOperationsSuite, testReduceByKeyAndWindow("big test", ...),
--   i.e. test("reduceByKeyAndWindow - big test").
--   input  bigInput = Seq(
--            Seq(("a", 1)),
--            Seq(("a", 1), ("b", 1)),
--            Seq(("a", 1), ("b", 1), ("c", 1)),
--            Seq(("a", 1), ("b", 1)),
--            Seq(("a", 1)),
--            Seq(),
--            Seq(("a", 1)),
--            Seq(("a", 1), ("b", 1)),
--            Seq(("a", 1), ("b", 1), ("c", 1)),
--            Seq(("a", 1), ("b", 1)),
--            Seq(("a", 1)),
--            Seq()),
--          2 partitions per batch
--   op     s.reduceByKeyAndWindow((x: Int, y: Int) => x + y, Seconds(2), Seconds(1))
--          (window, slide: the helper's defaults)
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 12 * 1 = 12 batches of 1 s
--   output bigReduceOutput = Seq(
--            Seq(("a", 1)),
--            Seq(("a", 2), ("b", 1)),
--            Seq(("a", 2), ("b", 2), ("c", 1)),
--            Seq(("a", 2), ("b", 2), ("c", 1)),
--            Seq(("a", 2), ("b", 1)),
--            Seq(("a", 1)),
--            Seq(("a", 1)),
--            Seq(("a", 2), ("b", 1)),
--            Seq(("a", 2), ("b", 2), ("c", 1)),
--            Seq(("a", 2), ("b", 2), ("c", 1)),
--            Seq(("a", 2), ("b", 1)),
--            Seq(("a", 1))),
--          as sets (useSet = true)
-- Checks the window over 12 batches: keys come and go with their batches.
scenario{ name = "spark window_operations reduceByKeyAndWindow_big_test", seed = 1, duration = "20s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

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

input:reduceByKeyAndWindow(add, nil, "2s", "1s"):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 1 } },
  { { "a", 2 }, { "b", 1 } },
  { { "a", 2 }, { "b", 2 }, { "c", 1 } },
  { { "a", 2 }, { "b", 2 }, { "c", 1 } },
  { { "a", 2 }, { "b", 1 } },
  { { "a", 1 } },
  { { "a", 1 } },
  { { "a", 2 }, { "b", 1 } },
  { { "a", 2 }, { "b", 2 }, { "c", 1 } },
  { { "a", 2 }, { "b", 2 }, { "c", 1 } },
  { { "a", 2 }, { "b", 1 } },
  { { "a", 1 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("12500ms")
