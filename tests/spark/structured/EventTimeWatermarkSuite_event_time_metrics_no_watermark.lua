-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/EventTimeWatermarkSuite.scala
-- test("event time and watermark metrics"), first part: "No event time metrics when
-- there is no watermarking" (complete mode, no withWatermark).
--
-- Time mapping: trigger{processingTime = "1s"}; AddData at 0.5 s and 3.5 s, each read by
-- the batch at the next whole second. No watermark, so no no-data batches. Spark's
-- CheckAnswer on a complete-mode memory sink compares the whole last batch (last_batch).
-- Spark's assertEventStats { e => assert(e.isEmpty) } has no direct counterpart; the
-- closest checkable thing is that the progress watermark stays 0 (= none).
scenario{ name = "EventTimeWatermarkSuite: event time metrics without watermark", seed = 1, duration = "6s" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark)
local df = input:toDF()
  :withColumn("eventTime", timestamp_seconds(col("value")))
  :groupBy(window(col("eventTime"), "5 seconds"):alias("window"))
  :agg(count("*"):alias("count"))
  :select(col("window"):getField("start"):cast("long"):alias("start"), col("count"))
local q = df:writeStream():outputMode("complete"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()

input:addData("500ms", 15)
input:addData("3500ms", 10, 12, 14)

expect{ query = "q", last_batch = {
  { by = "1900ms", rows = { { start = 15, count = 1 } } },                             -- CheckAnswer((15, 1))
  { by = "4900ms", rows = { { start = 10, count = 3 }, { start = 15, count = 1 } } },  -- CheckAnswer((10, 3), (15, 1))
} }
expect{ query = "q", progress = {
  { by = "1900ms", numInputRows = 1, watermark = 0 },  -- assertEventStats { e => assert(e.isEmpty) }
  { by = "4900ms", numInputRows = 3, watermark = 0 },  -- assertEventStats { e => assert(e.isEmpty) }
} }

q:awaitTermination("6s")
