-- Spark: BasicOperationsSuite, test("glom").
--   input  Seq(1 to 4, 5 to 8, 9 to 12), numInputPartitions = 2
--   op     r.glom().map(_.toSeq)
--   output Seq(Seq(Seq(1, 2), Seq(3, 4)), Seq(Seq(5, 6), Seq(7, 8)),
--              Seq(Seq(9, 10), Seq(11, 12))), in order (useSet = false)
-- Checks that parallelize slices 4 records into 2 partitions of 2 and that
-- glom turns each partition into one record, the list of its records.
scenario{ name = "spark basic_operations glom", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ 1, 2, 3, 4 }, 2),
  sc:parallelize({ 5, 6, 7, 8 }, 2),
  sc:parallelize({ 9, 10, 11, 12 }, 2),
}, true)

-- glom's arrays are Lua lists already: no .toSeq needed
input:glom():foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, batches = {
  { { 1, 2 }, { 3, 4 } },
  { { 5, 6 }, { 7, 8 } },
  { { 9, 10 }, { 11, 12 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("3500ms")
