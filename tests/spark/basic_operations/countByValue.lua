-- Spark: BasicOperationsSuite, test("countByValue").
--   input  Seq(1 to 1, Seq(1, 1, 1), 1 to 2, Seq(1, 1, 2, 2)), 2 partitions per batch
--   op     s.countByValue()
--   output Seq(Seq((1, 1L)), Seq((1, 3L)), Seq((1, 1L), (2, 1L)), Seq((2, 2L), (1, 2L))),
--          as sets (useSet = true)
-- Checks that countByValue gives one (value, count) pair per distinct value
-- of the batch.
scenario{ name = "spark basic_operations countByValue", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ 1 }, 2),
  sc:parallelize({ 1, 1, 1 }, 2),
  sc:parallelize({ 1, 2 }, 2),
  sc:parallelize({ 1, 1, 2, 2 }, 2),
}, true)

input:countByValue():foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { 1, 1 } },
  { { 1, 3 } },
  { { 1, 1 }, { 2, 1 } },
  { { 2, 2 }, { 1, 2 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("4500ms")
