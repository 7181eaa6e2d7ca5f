-- Spark: WindowOperationsSuite, test("countByWindow").
--   input  Seq(Seq(1), Seq(1), Seq(1, 2), Seq(0), Seq(), Seq()), 2 partitions per batch
--   op     s.countByWindow(Seconds(2), Seconds(1)).map(_.toInt)
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 6 * 1 = 6 batches of 1 s
--   output Seq(Seq(1), Seq(2), Seq(3), Seq(3), Seq(1), Seq(0)), as sets (useSet = true)
-- Checks that countByWindow counts the records of the window, and gives 0
-- (not nothing) once the window is empty: it is map(_ => 1L).reduceByWindow(
-- _ + _, _ - _, ...), an inverse reduction whose one key stays.
-- ssc:checkpoint: countByWindow reduces with an inverse, which needs it (as
-- Spark's TestSuiteBase sets); queueStream's checkpointing warning is the
-- run's only stderr.
scenario{ name = "spark window_operations countByWindow", seed = 1, duration = "20s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext
ssc:checkpoint("checkpoint") -- TestSuiteBase.checkpointDir

local input = ssc:queueStream({
  sc:parallelize({ 1 }, 2),
  sc:parallelize({ 1 }, 2),
  sc:parallelize({ 1, 2 }, 2),
  sc:parallelize({ 0 }, 2),
  sc:parallelize({}, 2),
  sc:parallelize({}, 2),
}, true)

input:countByWindow("2s", "1s")
  :map(function(x) return x end) -- _.toInt: the counts are Lua integers already
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { 1 },
  { 2 },
  { 3 },
  { 3 },
  { 1 },
  { 0 },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("6500ms")
