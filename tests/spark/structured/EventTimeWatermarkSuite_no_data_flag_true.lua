-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/EventTimeWatermarkSuite.scala
-- test("test no-data flag"), testWithFlag(true)
-- (spark.sql.streaming.noDataMicroBatches.enabled = true)
--
-- Time mapping: trigger{processingTime = "1s"}; AddData(10..15) at 0.5 s (batch at 1 s),
-- AddData(25) at 3.5 s (batch at 4 s). With the flag on (the default), the batch at 4 s
-- advances the watermark to 15 s and the no-data batch at 5 s emits [10,15).
scenario{ name = "EventTimeWatermarkSuite: test no-data flag (true)", seed = 1, duration = "10s" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
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
  { by = "5900ms", rows = { { start = 10, count = 5 } } },  -- if (flag) CheckNewAnswer((10, 5))
} }
expect{ query = "q", progress = {
  -- not asserted by Spark; follows from its rules: the no-data batch ran with wm 15 s and
  -- evicted [10,15), leaving [15,20) and [25,30)
  { by = "5900ms", numInputRows = 0, watermark = 15000, numRowsTotal = 2 },
} }

q:awaitTermination("10s")
