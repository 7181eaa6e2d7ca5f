-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/StreamingAggregationSuite.scala
-- testWithAllStateVersions("multiple keys")
--   inputData.toDF().groupBy($"value", $"value" + 1).agg(count("*")), OutputMode Update
--
-- Time mapping: trigger{processingTime = "1s"}; AddData at 0.5 s and 2.5 s, read by the
-- batches at 1 s and 3 s; CheckLastBatch checked at +1.4 s. Spark names the second key
-- "(value + 1)"; aliased "value1" here so the rows can name it.
scenario{ name = "StreamingAggregationSuite: multiple keys", seed = 1, duration = "5s" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark)
local df = input:toDF()
  :groupBy(col("value"), (col("value") + 1):alias("value1"))
  :agg(count("*"):alias("count"))
local q = df:writeStream():outputMode("update"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()

input:addData("500ms", 1, 2)
input:addData("2500ms", 1, 2)

expect{ query = "q", last_batch = {
  { by = "1900ms", rows = { { value = 1, value1 = 2, count = 1 }, { value = 2, value1 = 3, count = 1 } } },  -- CheckLastBatch((1, 2, 1), (2, 3, 1))
  { by = "3900ms", rows = { { value = 1, value1 = 2, count = 2 }, { value = 2, value1 = 3, count = 2 } } },  -- CheckLastBatch((1, 2, 2), (2, 3, 2))
} }
expect{ query = "q", progress = {
  -- not asserted by Spark; follows from update-mode semantics: 2 keys, both updated
  { by = "1900ms", numRowsTotal = 2, numRowsUpdated = 2 },
  { by = "3900ms", numRowsTotal = 2, numRowsUpdated = 2 },
} }

q:awaitTermination("5s")
