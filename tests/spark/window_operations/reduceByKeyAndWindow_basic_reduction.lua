-- Spark: WindowOperationsSuite, testReduceByKeyAndWindow("basic reduction", ...),
--   i.e. test("reduceByKeyAndWindow - basic reduction").
--   input  Seq(Seq(("a", 1), ("a", 3))),
--          2 partitions per batch
--   op     s.reduceByKeyAndWindow((x: Int, y: Int) => x + y, Seconds(2), Seconds(1))
--          (window, slide: the helper's defaults)
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 1 * 1 = 1 batches of 1 s
--   output Seq(Seq(("a", 4))),
--          as sets (useSet = true)
-- Checks that the values of a key in one batch reduce to one record.
scenario{ name = "spark window_operations reduceByKeyAndWindow_basic_reduction", seed = 1, duration = "20s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ { "a", 1 }, { "a", 3 } }, 2),
}, true)

input:reduceByKeyAndWindow(add, nil, "2s", "1s"):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 4 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("1500ms")
