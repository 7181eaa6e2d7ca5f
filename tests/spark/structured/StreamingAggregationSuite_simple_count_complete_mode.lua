-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/StreamingAggregationSuite.scala
-- testWithAllStateVersions("simple count, complete mode")
--   inputData.toDF().groupBy($"value").agg(count("*")), OutputMode Complete
--
-- Time mapping: trigger{processingTime = "1s"}; AddData at 0.5, 2.5, 4.5, 6.5 s, each read
-- by the batch at the next whole second; CheckLastBatch checked at +1.4 s. Spark's
-- StopStream/StartStream between the 2nd and 3rd AddData is left out (state is kept
-- across it, so the answers are the same). "count(1)" is aliased "count".
scenario{ name = "StreamingAggregationSuite: simple count, complete mode", seed = 1, duration = "8s" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark)
local df = input:toDF():groupBy(col("value")):agg(count("*"):alias("count"))
local q = df:writeStream():outputMode("complete"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()

input:addData("500ms", 3)
input:addData("2500ms", 2)
input:addData("4500ms", 3, 2, 1)
input:addData("6500ms", 4, 4, 4, 4)

expect{ query = "q", last_batch = {
  { by = "1900ms", rows = { { value = 3, count = 1 } } },                              -- CheckLastBatch((3, 1))
  { by = "3900ms", rows = { { value = 3, count = 1 }, { value = 2, count = 1 } } },    -- CheckLastBatch((3, 1), (2, 1))
  { by = "5900ms", rows = { { value = 3, count = 2 }, { value = 2, count = 2 }, { value = 1, count = 1 } } },  -- CheckLastBatch((3, 2), (2, 2), (1, 1))
  { by = "7900ms", rows = { { value = 4, count = 4 }, { value = 3, count = 2 }, { value = 2, count = 2 }, { value = 1, count = 1 } } },  -- CheckLastBatch((4, 4), (3, 2), (2, 2), (1, 1))
} }

q:awaitTermination("8s")
