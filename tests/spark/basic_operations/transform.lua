-- Spark: BasicOperationsSuite, test("transform").
--   input  Seq(1 to 4, 5 to 8, 9 to 12), 2 partitions per batch
--   op     r.transform(rdd => rdd.map(_.toString))   (RDD.map in transform)
--   output input.map(_.map(_.toString)), in order (useSet = false)
-- Checks that transform calls the function with each batch's RDD and that
-- the RDD it returns is the stream's RDD.
scenario{ name = "spark basic_operations transform", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ 1, 2, 3, 4 }, 2),
  sc:parallelize({ 5, 6, 7, 8 }, 2),
  sc:parallelize({ 9, 10, 11, 12 }, 2),
}, true)

input:transform(function(rdd) return rdd:map(toString) end):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, batches = {
  { "1", "2", "3", "4" },
  { "5", "6", "7", "8" },
  { "9", "10", "11", "12" },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("3500ms")
