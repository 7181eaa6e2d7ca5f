-- Spark: WindowOperationsSuite, testReduceByKeyAndWindow("larger slide time", ...),
--   i.e. test("reduceByKeyAndWindow - larger slide time").
--   input  largerSlideInput = Seq(
--            Seq(("a", 1)),
--            Seq(("a", 2)),
--            Seq(("a", 3)),
--            Seq(("a", 4)),
--            Seq(("a", 5)),
--            Seq(("a", 6)),
--            Seq(),
--            Seq()),
--          2 partitions per batch
--   op     s.reduceByKeyAndWindow((x: Int, y: Int) => x + y, Seconds(4), Seconds(2))
--          (window, slide: the test's)
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 4 * 2 = 8 batches of 1 s
--   output largerSlideReduceOutput = Seq(Seq(("a", 3)), Seq(("a", 10)), Seq(("a", 18)), Seq(("a", 11))),
--          as sets (useSet = true)
-- Checks a 4 s window sliding every 2 s: output at 2000, 4000, 6000 and
-- 8000 ms over the batches of (t - 4 s, t].
scenario{ name = "spark window_operations reduceByKeyAndWindow_larger_slide", seed = 1, duration = "20s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ { "a", 1 } }, 2),
  sc:parallelize({ { "a", 2 } }, 2),
  sc:parallelize({ { "a", 3 } }, 2),
  sc:parallelize({ { "a", 4 } }, 2),
  sc:parallelize({ { "a", 5 } }, 2),
  sc:parallelize({ { "a", 6 } }, 2),
  sc:parallelize({}, 2),
  sc:parallelize({}, 2),
}, true)

input:reduceByKeyAndWindow(add, nil, "4s", "2s"):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 3 } },
  { { "a", 10 } },
  { { "a", 18 } },
  { { "a", 11 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("8500ms")
