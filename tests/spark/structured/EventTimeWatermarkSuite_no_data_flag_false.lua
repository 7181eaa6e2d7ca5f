-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/EventTimeWatermarkSuite.scala
-- test("test no-data flag"), testWithFlag(false)
-- (spark.sql.streaming.noDataMicroBatches.enabled = false)
--
-- Time mapping: trigger{processingTime = "1s"}; AddData(10..15) at 0.5 s (batch at 1 s),
-- AddData(25) at 3.5 s (batch at 4 s). With the flag off, no batch runs without new
-- data, so the watermark advance to 15 s after the batch at 4 s emits nothing before the
-- next input (there is none).
scenario{ name = "EventTimeWatermarkSuite: test no-data flag (false)", seed = 1, duration = "10s" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2, ["spark.sql.streaming.noDataMicroBatches.enabled"] = false }
local input = MemoryStream(spark)
local df = input:toDF()
  :withColumn("eventTime", timestamp_seconds(col("value")))
  :withWatermark("eventTime", "10 seconds")
  :groupBy(window(col("eventTime"), "5 seconds"):alias("window"))
  :agg(count("*"):alias("count"))
  :select(col("window"):getField("start"):cast("long"):alias("start"), col("count"))
local q = df:writeStream():outputMode("append"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()

input:addData("500ms", 10, 11, 12, 13, 14, 15)
input:addData("3500ms", 25)   -- "Advance watermark to 15 seconds"

expect{ query = "q", new_rows = {
  { by = "2900ms", rows = {} },                              -- CheckNewAnswer()
  { by = "5900ms", rows = {} },  -- else CheckNewAnswer()
  { by = "9900ms", rows = {} },                              -- (still nothing: no batch runs without new data)
} }
expect{ query = "q", progress = {
  -- not asserted by Spark; follows from its rules: the last batch is the data batch at 4 s
  -- (wm 5 s); nothing was evicted, so [10,15), [15,20), [25,30) are all in state
  { by = "9900ms", numInputRows = 1, watermark = 5000, numRowsTotal = 3 },
} }

q:awaitTermination("10s")
