-- Spark: WindowOperationsSuite, testReduceByKeyAndWindow("key removed from window", ...),
--   i.e. test("reduceByKeyAndWindow - key removed from window").
--   input  Seq(Seq(("a", 1)), Seq(("a", 1)), Seq(), Seq()),
--          2 partitions per batch
--   op     s.reduceByKeyAndWindow((x: Int, y: Int) => x + y, Seconds(2), Seconds(1))
--          (window, slide: the helper's defaults)
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 4 * 1 = 4 batches of 1 s
--   output Seq(Seq(("a", 1)), Seq(("a", 2)), Seq(("a", 1)), Seq()),
--          as sets (useSet = true)
-- Checks that a key whose batches all left the window is gone from the output.
scenario{ name = "spark window_operations reduceByKeyAndWindow_key_removed", seed = 1, duration = "20s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ { "a", 1 } }, 2),
  sc:parallelize({ { "a", 1 } }, 2),
  sc:parallelize({}, 2),
  sc:parallelize({}, 2),
}, true)

input:reduceByKeyAndWindow(add, nil, "2s", "1s"):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 1 } },
  { { "a", 2 } },
  { { "a", 1 } },
  {},
} }

ssc:start()
ssc:awaitTerminationOrTimeout("4500ms")
