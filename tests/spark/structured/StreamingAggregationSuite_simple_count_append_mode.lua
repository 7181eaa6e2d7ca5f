-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/StreamingAggregationSuite.scala
-- testWithAllStateVersions("simple count, append mode")
--   groupBy($"value").agg(count("*")) started in Append mode with no watermark must be
--   refused with an AnalysisException; Spark checks the message contains "append" and
--   "not supported". The full message (UnsupportedOperationChecker) is
--   "Append output mode not supported when there are streaming aggregations on
--    streaming DataFrames/DataSets without watermark".
--
-- Time mapping: none; the query is refused at start(), no batch runs.
scenario{ name = "StreamingAggregationSuite: simple count, append mode", seed = 1, duration = "3s" }

expect{ error = "Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark)
local df = input:toDF():groupBy(col("value")):agg(count("*"):alias("count"))
local q = df:writeStream():outputMode("append"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()
input:addData("500ms", 3)

q:awaitTermination("3s")
