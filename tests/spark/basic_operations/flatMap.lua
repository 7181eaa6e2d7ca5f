-- Spark: BasicOperationsSuite, test("flatMap").
--   input  Seq(1 to 4, 5 to 8, 9 to 12), 2 partitions per batch
--   op     r.flatMap(x => Seq(x, x * 2))
--   output input.map(_.flatMap(x => Array(x, x * 2))), in order (useSet = false)
-- Checks that flatMap emits each function result's items in order, record
-- after record.
scenario{ name = "spark basic_operations flatMap", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ 1, 2, 3, 4 }, 2),
  sc:parallelize({ 5, 6, 7, 8 }, 2),
  sc:parallelize({ 9, 10, 11, 12 }, 2),
}, true)

input:flatMap(function(x) return { x, x * 2 } end):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, batches = {
  { 1, 2, 2, 4, 3, 6, 4, 8 },
  { 5, 10, 6, 12, 7, 14, 8, 16 },
  { 9, 18, 10, 20, 11, 22, 12, 24 },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("3500ms")
