-- Spark: BasicOperationsSuite, test("count").
--   input  Seq(Seq(), 1 to 1, 1 to 2, 1 to 3, 1 to 4), 2 partitions per batch
--   op     s.count()
--   output Seq(Seq(0L), Seq(1L), Seq(2L), Seq(3L), Seq(4L)), in order (useSet = false)
-- Checks that DStream.count gives one record per batch, the number of its
-- records, and 0 (not nothing) for an empty batch.
scenario{ name = "spark basic_operations count", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({}, 2),
  sc:parallelize({ 1 }, 2),
  sc:parallelize({ 1, 2 }, 2),
  sc:parallelize({ 1, 2, 3 }, 2),
  sc:parallelize({ 1, 2, 3, 4 }, 2),
}, true)

input:count():foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, batches = {
  { 0 },
  { 1 },
  { 2 },
  { 3 },
  { 4 },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("5500ms")
