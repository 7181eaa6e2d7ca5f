-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/StreamingAggregationSuite.scala
-- testWithAllStateVersions("simple count, update mode")
--   inputData.toDF().groupBy($"value").agg(count("*")), OutputMode Update
--
-- Time mapping: trigger{processingTime = "1s"}; AddData at 0.5, 2.5, 4.5, 6.5 s, each read
-- by the batch at the next whole second; no watermark, so no no-data batches, and each
-- CheckLastBatch is checked at +1.4 s. Spark's StopStream/StartStream between the 2nd and
-- 3rd AddData (restart from the same checkpoint, state kept) is left out: the answers do
-- not depend on it. Spark names the count column "count(1)"; aliased "count" here.
scenario{ name = "StreamingAggregationSuite: simple count, update mode", seed = 1, duration = "8s" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark)
local df = input:toDF():groupBy(col("value")):agg(count("*"):alias("count"))
local q = df:writeStream():outputMode("update"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()

input:addData("500ms", 3)
input:addData("2500ms", 3, 2)
input:addData("4500ms", 3, 2, 1)
input:addData("6500ms", 4, 4, 4, 4)

expect{ query = "q", last_batch = {
  { by = "1900ms", rows = { { value = 3, count = 1 } } },                              -- CheckLastBatch((3, 1))
  { by = "3900ms", rows = { { value = 3, count = 2 }, { value = 2, count = 1 } } },    -- CheckLastBatch((3, 2), (2, 1))
  { by = "5900ms", rows = { { value = 3, count = 3 }, { value = 2, count = 2 }, { value = 1, count = 1 } } },  -- CheckLastBatch((3, 3), (2, 2), (1, 1))
  { by = "7900ms", rows = { { value = 4, count = 4 } } },                              -- CheckLastBatch((4, 4))
} }

q:awaitTermination("8s")
