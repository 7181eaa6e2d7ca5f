-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/EventTimeWatermarkSuite.scala
-- test("SPARK-27340 Alias on TimeWindow expression cause watermark metadata lost")
-- The window is computed in a select() under an alias, then grouped on by that alias:
-- the event-time (watermark) marking must survive the alias, or append mode could never
-- emit. Same data and answers as test("append mode").
--
-- Time mapping: trigger{processingTime = "1s"}; AddData at k + 0.5 s, batch at k + 1 s,
-- no-data batch (emitting/evicting windows the new watermark closed) at k + 2 s; Spark's
-- assertNumStateRows(n) reads the last progress, so it is checked after the no-data batch.
scenario{ name = "EventTimeWatermarkSuite: SPARK-27340 alias on window", seed = 1, duration = "10s" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark)
local df = input:toDF()
  :withColumn("eventTime", timestamp_seconds(col("value")))
  :withWatermark("eventTime", "10 seconds")
  :select(window(col("eventTime"), "5 seconds"):alias("aliasWindow"))
  :groupBy(col("aliasWindow"))
  :agg(count("*"):alias("count"))
  :select(col("aliasWindow"):getField("start"):cast("long"):alias("start"), col("count"))
local q = df:writeStream():outputMode("append"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()

input:addData("500ms", 10, 11, 12, 13, 14, 15)
input:addData("3500ms", 25)   -- "Advance watermark to 15 seconds"; no-data batch at 5 s emits [10,15)
input:addData("6500ms", 10)   -- "Should not emit anything as data less than watermark"

expect{ query = "q", new_rows = {
  { by = "2900ms", rows = {} },                              -- CheckNewAnswer()
  { by = "5900ms", rows = { { start = 10, count = 5 } } },   -- CheckNewAnswer((10, 5))
  { by = "7900ms", rows = {} },                              -- CheckNewAnswer()
} }
expect{ query = "q", progress = {
  { by = "5900ms", numRowsTotal = 2 },   -- assertNumStateRows(2)
  { by = "7900ms", numRowsTotal = 2 },   -- assertNumStateRows(2)
} }

q:awaitTermination("10s")
