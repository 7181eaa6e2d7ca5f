-- Spark: BasicOperationsSuite, test("repartition (fewer partitions)").
--   input  Seq(1 to 100, 101 to 200, 201 to 300), 5 partitions per batch
--          (setupStreams(input, operation, 5))
--   op     r.repartition(2)
--   output collected as partitions (runStreamsWithPartitions); Spark asserts
--          that each batch has 2 partitions and that its records, as a
--          set, are the batch's input.
-- Checks the same two things with one output: glom makes one record per
-- partition, which the flatMap below turns into a "partition" marker
-- followed by the partition's records; compared in any order, each batch is
-- then 2 markers and exactly the batch's input. Which record lands
-- in which partition is not checked (Spark's test does not check it).
scenario{ name = "spark basic_operations repartition (fewer partitions)", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local function range(lo, hi)
  local t = {}
  for x = lo, hi do t[#t + 1] = x end
  return t
end

local input = ssc:queueStream({
  sc:parallelize(range(1, 100), 5),
  sc:parallelize(range(101, 200), 5),
  sc:parallelize(range(201, 300), 5),
}, true)

input:repartition(2):glom():flatMap(function(partition)
  local out = { "partition" }
  for _, x in ipairs(partition) do out[#out + 1] = x end
  return out
end):foreachRDD(function(rdd) rdd:collect() end)

-- 2 partitions, and the batch's records
local function expected(lo, hi)
  local t = range(lo, hi)
  for _ = 1, 2 do t[#t + 1] = "partition" end
  return t
end

expect{ output = 0, unordered = true, batches = {
  expected(1, 100),
  expected(101, 200),
  expected(201, 300),
} }

ssc:start()
ssc:awaitTerminationOrTimeout("3500ms")
