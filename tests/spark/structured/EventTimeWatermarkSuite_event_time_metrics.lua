-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/EventTimeWatermarkSuite.scala
-- test("event time and watermark metrics"), second part: "All event time metrics where
-- watermarking is set" (append mode, withWatermark("eventTime", "10 seconds")).
--
-- Time mapping: trigger{processingTime = "1s"}; AddData at 0.5 s, 3.5 s, 6.5 s, each read
-- by the batch at the next whole second. After the batch at 7 s the watermark becomes
-- 15 s and the no-data batch at 8 s emits [10,15). Spark's assertEventStats reads the
-- last progress WITH input rows, so each is checked at k + 1.9 s (before any no-data
-- batch). The progress `watermark` is the watermark the batch ran with (Spark's
-- eventTime("watermark")). Spark also checks eventTime min/max/avg (15/15/15,
-- 10/14/12, 25/25/25 seconds); quoted in the comments, as streamlab's progress
-- expectation has no such fields.
-- Spark's CheckAnswer in append mode compares everything the sink holds; the first rows
-- appear only at the end, so new_rows gives the same check.
scenario{ name = "EventTimeWatermarkSuite: event time and watermark metrics", seed = 1, duration = "10s" }

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

input:addData("500ms", 15)          -- batch at 1 s, wm 0; wm -> 5 s
input:addData("3500ms", 10, 12, 14)  -- batch at 4 s, wm 5 s; max stays 15, wm stays 5 s
input:addData("6500ms", 25)          -- batch at 7 s, wm 5 s; wm -> 15 s; no-data batch at 8 s emits (10, 3)

expect{ query = "q", new_rows = {
  { by = "2900ms", rows = {} },                             -- CheckAnswer()
  { by = "5900ms", rows = {} },                             -- CheckAnswer()
  { by = "8900ms", rows = { { start = 10, count = 3 } } },  -- CheckAnswer((10, 3))
} }
expect{ query = "q", progress = {
  { by = "1900ms", numInputRows = 1, watermark = 0 },     -- assertEventStats(min = 15, max = 15, avg = 15, wtrmark = 0)
  { by = "4900ms", numInputRows = 3, watermark = 5000 },  -- assertEventStats(min = 10, max = 14, avg = 12, wtrmark = 5)
  { by = "7900ms", numInputRows = 1, watermark = 5000 },  -- assertEventStats(min = 25, max = 25, avg = 25, wtrmark = 5)
} }

q:awaitTermination("10s")
