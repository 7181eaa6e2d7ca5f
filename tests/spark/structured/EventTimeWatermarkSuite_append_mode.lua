-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/EventTimeWatermarkSuite.scala
-- test("append mode")
--
-- Time mapping: trigger{processingTime = "1s"}; each AddData lands at k + 0.5 s so
-- the batch reading it runs at k + 1 s. A batch whose watermark advanced past a
-- window's end is followed by a no-data batch at the next trigger (k + 2 s) that
-- emits the window (append) and evicts it, so Spark's CheckNewAnswer after such an
-- AddData is checked by k + 2.9 s and the next AddData comes at k + 3.5 s.
-- Spark's assertNumStateRows(n) reads the LAST progress (the no-data batch when one
-- ran); assertNumRowsDroppedByWatermark(n) reads the last progress WITH input
-- (the data batch), so the two are checked at different `by` times.
scenario{ name = "EventTimeWatermarkSuite: append mode", seed = 1, duration = "10s" }

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

input:addData("500ms", 10, 11, 12, 13, 14, 15)  -- batch at 1 s, watermark 0; watermark -> 5 s
input:addData("3500ms", 25)                      -- batch at 4 s (wm 5 s); wm -> 15 s; no-data batch at 5 s emits [10,15)
input:addData("6500ms", 10)                      -- batch at 7 s (wm 15 s): 10 is in [10,15), end 15 <= 15: late

expect{ query = "q", new_rows = {
  { by = "2900ms", rows = {} },                              -- CheckNewAnswer()
  { by = "5900ms", rows = { { start = 10, count = 5 } } },   -- AddData(25) "Advance watermark to 15 seconds"; CheckNewAnswer((10, 5))
  { by = "7900ms", rows = {} },                              -- AddData(10) "Should not emit anything"; CheckNewAnswer()
} }
expect{ query = "q", progress = {
  { by = "4900ms", numInputRows = 1, numRowsDroppedByWatermark = 0, watermark = 5000 },  -- assertNumRowsDroppedByWatermark(0) (data batch of AddData(25))
  { by = "5900ms", numRowsTotal = 2, watermark = 15000 },    -- assertNumStateRows(2): [15,20) and [25,30) left after the no-data batch
  { by = "7900ms", numRowsTotal = 2, numRowsDroppedByWatermark = 1, numInputRows = 1 },  -- assertNumStateRows(2), assertNumRowsDroppedByWatermark(1)
} }

q:awaitTermination("10s")
