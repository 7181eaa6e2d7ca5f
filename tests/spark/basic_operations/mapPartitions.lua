-- Spark: BasicOperationsSuite, test("mapPartitions").
--   input  Seq(1 to 4, 5 to 8, 9 to 12), numInputPartitions = 2
--   op     r.mapPartitions(x => Iterator(x.sum))
--   output Seq(Seq(3, 7), Seq(11, 15), Seq(19, 23)), as sets (useSet = true)
-- Checks that mapPartitions calls the function once per partition, with the
-- partition's records, and emits what it returns.
scenario{ name = "spark basic_operations mapPartitions", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ 1, 2, 3, 4 }, 2),
  sc:parallelize({ 5, 6, 7, 8 }, 2),
  sc:parallelize({ 9, 10, 11, 12 }, 2),
}, true)

input:mapPartitions(function(records)
  local sum = 0
  for _, x in ipairs(records) do sum = sum + x end
  return { sum }
end):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { 3, 7 },
  { 11, 15 },
  { 19, 23 },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("3500ms")
