-- Spark: BasicOperationsSuite, test("union").
--   input  Seq(1 to 4, 101 to 104, 201 to 204), 2 partitions per batch
--   op     s.union(s.map(_ + 4))
--   output Seq(1 to 8, 101 to 108, 201 to 208), in order (useSet = false)
-- Checks that union keeps its parents' partitions one after the other: the
-- first stream's records, then the second's.
scenario{ name = "spark basic_operations union", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ 1, 2, 3, 4 }, 2),
  sc:parallelize({ 101, 102, 103, 104 }, 2),
  sc:parallelize({ 201, 202, 203, 204 }, 2),
}, true)

input:union(input:map(function(x) return x + 4 end)):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, batches = {
  { 1, 2, 3, 4, 5, 6, 7, 8 },
  { 101, 102, 103, 104, 105, 106, 107, 108 },
  { 201, 202, 203, 204, 205, 206, 207, 208 },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("3500ms")
