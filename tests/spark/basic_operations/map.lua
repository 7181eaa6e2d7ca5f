-- Spark: BasicOperationsSuite, test("map").
--   input  Seq(1 to 4, 5 to 8, 9 to 12), 2 partitions per batch
--   op     r.map(_.toString)
--   output input.map(_.map(_.toString)), compared in order (useSet = false)
-- Checks that map applies the function record by record and keeps the
-- records in partition order.
scenario{ name = "spark basic_operations map", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ 1, 2, 3, 4 }, 2),
  sc:parallelize({ 5, 6, 7, 8 }, 2),
  sc:parallelize({ 9, 10, 11, 12 }, 2),
}, true)

input:map(toString):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, batches = {
  { "1", "2", "3", "4" },
  { "5", "6", "7", "8" },
  { "9", "10", "11", "12" },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("3500ms")
