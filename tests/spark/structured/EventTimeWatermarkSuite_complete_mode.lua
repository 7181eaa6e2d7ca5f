-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/EventTimeWatermarkSuite.scala
-- test("complete mode")  -- "No eviction when asked to compute complete results."
--
-- Time mapping: trigger{processingTime = "1s"}; AddData at k + 0.5 s (k = 0, 3, 6, 9, 12),
-- read by the batch at k + 1 s. Complete mode runs no no-data batches and neither evicts
-- state nor drops late rows: AddData(10) after the watermark reached 15 s still counts
-- into [10,15). Spark's CheckAnswer on a complete-mode memory sink compares the whole
-- last batch, hence last_batch here.
scenario{ name = "EventTimeWatermarkSuite: complete mode", seed = 1, duration = "15s" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark)
local df = input:toDF()
  :withColumn("eventTime", timestamp_seconds(col("value")))
  :withWatermark("eventTime", "10 seconds")
  :groupBy(window(col("eventTime"), "5 seconds"):alias("window"))
  :agg(count("*"):alias("count"))
  :select(col("window"):getField("start"):cast("long"):alias("start"), col("count"))
local q = df:writeStream():outputMode("complete"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()

input:addData("500ms", 10, 11, 12)
input:addData("3500ms", 25)    -- wm -> 15 s after this batch
input:addData("6500ms", 25)
input:addData("9500ms", 10)    -- behind the watermark, still counted in complete mode
input:addData("12500ms", 25)

expect{ query = "q", last_batch = {
  { by = "1900ms",  rows = { { start = 10, count = 3 } } },                             -- CheckAnswer((10, 3))
  { by = "4900ms",  rows = { { start = 10, count = 3 }, { start = 25, count = 1 } } },  -- CheckAnswer((10, 3), (25, 1))
  { by = "7900ms",  rows = { { start = 10, count = 3 }, { start = 25, count = 2 } } },  -- CheckAnswer((10, 3), (25, 2))
  { by = "10900ms", rows = { { start = 10, count = 4 }, { start = 25, count = 2 } } },  -- CheckAnswer((10, 4), (25, 2))
  { by = "13900ms", rows = { { start = 10, count = 4 }, { start = 25, count = 3 } } },  -- CheckAnswer((10, 4), (25, 3))
} }

q:awaitTermination("15s")
