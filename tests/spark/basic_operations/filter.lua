-- Spark: BasicOperationsSuite, test("filter").
--   input  Seq(1 to 4, 5 to 8, 9 to 12), 2 partitions per batch
--   op     r.filter(x => (x % 2 == 0))
--   output input.map(_.filter(x => (x % 2 == 0))), in order (useSet = false)
-- Checks that filter keeps the records for which the function is true, in
-- their order.
scenario{ name = "spark basic_operations filter", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ 1, 2, 3, 4 }, 2),
  sc:parallelize({ 5, 6, 7, 8 }, 2),
  sc:parallelize({ 9, 10, 11, 12 }, 2),
}, true)

input:filter(function(x) return x % 2 == 0 end):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, batches = {
  { 2, 4 },
  { 6, 8 },
  { 10, 12 },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("3500ms")
