-- Spark: WindowOperationsSuite, testReduceByKeyAndWindow("new key added into window", ...),
--   i.e. test("reduceByKeyAndWindow - new key added into window").
--   input  Seq(Seq(("a", 1)), Seq(("a", 1), ("b", 1))),
--          2 partitions per batch
--   op     s.reduceByKeyAndWindow((x: Int, y: Int) => x + y, Seconds(2), Seconds(1))
--          (window, slide: the helper's defaults)
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 2 * 1 = 2 batches of 1 s
--   output Seq(Seq(("a", 1)), Seq(("a", 2), ("b", 1))),
--          as sets (useSet = true)
-- Checks that a key first seen in the newest batch joins the window's records.
scenario{ name = "spark window_operations reduceByKeyAndWindow_new_key_added", seed = 1, duration = "20s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ { "a", 1 } }, 2),
  sc:parallelize({ { "a", 1 }, { "b", 1 } }, 2),
}, true)

input:reduceByKeyAndWindow(add, nil, "2s", "1s"):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 1 } },
  { { "a", 2 }, { "b", 1 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("2500ms")
