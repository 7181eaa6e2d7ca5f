-- Spark: WindowOperationsSuite, test("countByValueAndWindow").
--   input  Seq(Seq("a"), Seq("b", "b"), Seq("a", "b")), 2 partitions per batch
--   op     s.countByValueAndWindow(Seconds(2), Seconds(1)).map(x => (x._1, x._2.toInt))
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 3 * 1 = 3 batches of 1 s
--   output Seq(Seq(("a", 1)), Seq(("a", 1), ("b", 2)), Seq(("a", 1), ("b", 3))),
--          as sets (useSet = true)
-- Checks that countByValueAndWindow counts each distinct value over the window.
-- ssc:checkpoint: it reduces with an inverse, which needs it (as Spark's
-- TestSuiteBase sets); queueStream's checkpointing warning is the run's only
-- stderr.
scenario{ name = "spark window_operations countByValueAndWindow", seed = 1, duration = "20s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext
ssc:checkpoint("checkpoint") -- TestSuiteBase.checkpointDir

local input = ssc:queueStream({
  sc:parallelize({ "a" }, 2),
  sc:parallelize({ "b", "b" }, 2),
  sc:parallelize({ "a", "b" }, 2),
}, true)

input:countByValueAndWindow("2s", "1s")
  :map(function(x) return { x[1], x[2] } end) -- (x._1, x._2.toInt)
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 1 } },
  { { "a", 1 }, { "b", 2 } },
  { { "a", 1 }, { "b", 3 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("3500ms")
