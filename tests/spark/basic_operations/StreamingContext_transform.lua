-- Spark: BasicOperationsSuite, test("StreamingContext.transform").
--   input  Seq(1 to 4, 101 to 104, 201 to 204), 2 partitions per batch
--   op     s.context.transform(Seq(s, s.map(_ + 4), s.map(_ + 8)),
--            (rdds, time) => rdds.head.context.union(rdds))   (union of the 3 RDDs)
--   output Seq(1 to 12, 101 to 112, 201 to 212), in order (useSet = false)
-- Checks that StreamingContext.transform calls the function with the three
-- streams' RDDs of the batch (then the batch time) and that the union of
-- them, in that order, is the stream's RDD. streamlab's SparkContext has no
-- union(Seq), so the function unions the RDDs one after the other, which
-- gives the same partitions in the same order.
scenario{ name = "spark basic_operations StreamingContext.transform", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ 1, 2, 3, 4 }, 2),
  sc:parallelize({ 101, 102, 103, 104 }, 2),
  sc:parallelize({ 201, 202, 203, 204 }, 2),
}, true)

ssc:transform({
  input,
  input:map(function(x) return x + 4 end),
  input:map(function(x) return x + 8 end),
}, function(rdd1, rdd2, rdd3, time)
  return rdd1:union(rdd2):union(rdd3)
end):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, batches = {
  { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 },
  { 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112 },
  { 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212 },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("3500ms")
