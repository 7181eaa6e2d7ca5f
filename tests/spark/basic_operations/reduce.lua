-- Spark: BasicOperationsSuite, test("reduce").
--   input  Seq(1 to 4, 5 to 8, 9 to 12), 2 partitions per batch
--   op     s.reduce(_ + _)
--   output Seq(Seq(10), Seq(26), Seq(42)), in order (useSet = false)
-- Checks that DStream.reduce gives one record per batch, the reduction of
-- all its records.
scenario{ name = "spark basic_operations reduce", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ 1, 2, 3, 4 }, 2),
  sc:parallelize({ 5, 6, 7, 8 }, 2),
  sc:parallelize({ 9, 10, 11, 12 }, 2),
}, true)

input:reduce(add):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, batches = {
  { 10 },
  { 26 },
  { 42 },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("3500ms")
