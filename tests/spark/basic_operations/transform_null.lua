-- Spark: BasicOperationsSuite, test("transform with NULL").
--   input  Seq(1 to 4), 2 partitions
--   op     r.transform(rdd => null.asInstanceOf[RDD[Int]])
--   output none: Spark throws a SparkException when it generates the batch
--          of 1000 ms (TransformedDStream.compute: "Transform function must
--          not return null. Return SparkContext.emptyRDD() instead to
--          represent no element as the result of transformation.").
-- Checks that a transform function returning nil stops the run with that
-- message, naming this file and the line of the transform call: streamlab
-- exits 2 (see tests/cli/test_spark_suite.c for the exact message).
scenario{ name = "spark basic_operations transform with NULL", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ 1, 2, 3, 4 }, 2),
}, true)

input:transform(function(rdd) return nil end):foreachRDD(function(rdd) rdd:collect() end)

ssc:start()
ssc:awaitTerminationOrTimeout("1500ms")
