-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/EventTimeWatermarkSuite.scala
-- test("update mode")  (the test sets spark.sql.shuffle.partitions = 10)
--
-- Time mapping: trigger{processingTime = "1s"}; each AddData lands at k + 0.5 s and is
-- read by the batch at k + 1 s. When that batch advances the watermark past a window's
-- end, a no-data batch at k + 2 s evicts the window (update mode emits nothing on
-- eviction), so checks of assertNumStateRows use by = k + 2.9 s and the next AddData
-- comes at k + 3.5 s. assertNumStateRows(n) reads the LAST progress;
-- assertNumRowsDroppedByWatermark(n) the last progress with input rows.
-- Late rows (window.end <= watermark) are dropped in update mode as in append mode.
scenario{ name = "EventTimeWatermarkSuite: update mode", seed = 1, duration = "12s" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 10 }
local input = MemoryStream(spark)
local df = input:toDF()
  :withColumn("eventTime", timestamp_seconds(col("value")))
  :withWatermark("eventTime", "10 seconds")
  :groupBy(window(col("eventTime"), "5 seconds"):alias("window"))
  :agg(count("*"):alias("count"))
  :select(col("window"):getField("start"):cast("long"):alias("start"), col("count"))
local q = df:writeStream():outputMode("update"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()

input:addData("500ms", 10, 11, 12, 13, 14, 15)  -- batch at 1 s (wm 0); wm -> 5 s
input:addData("3500ms", 25)                      -- batch at 4 s (wm 5 s); wm -> 15 s; no-data batch at 5 s evicts [10,15)
input:addData("6500ms", 10, 25)                  -- batch at 7 s (wm 15 s): 10 late, 25 -> [25,30) count 2
input:addData("8500ms", 10)                      -- batch at 9 s: 10 late

expect{ query = "q", new_rows = {
  { by = "2900ms", rows = { { start = 10, count = 5 }, { start = 15, count = 1 } } },  -- CheckNewAnswer((10, 5), (15, 1))
  { by = "5900ms", rows = { { start = 25, count = 1 } } },   -- AddData(25); CheckNewAnswer((25, 1))
  { by = "7900ms", rows = { { start = 25, count = 2 } } },   -- AddData(10, 25) "Ignore 10"; CheckNewAnswer((25, 2))
  { by = "9900ms", rows = {} },                              -- AddData(10); CheckNewAnswer()
} }
expect{ query = "q", progress = {
  { by = "4900ms", numRowsDroppedByWatermark = 0 },   -- assertNumRowsDroppedByWatermark(0) (data batch of AddData(25))
  { by = "5900ms", numRowsTotal = 2 },                -- assertNumStateRows(2) (after the no-data batch evicted [10,15))
  { by = "7900ms", numRowsTotal = 2, numRowsDroppedByWatermark = 1 },  -- assertNumStateRows(2), assertNumRowsDroppedByWatermark(1)
  { by = "9900ms", numRowsTotal = 2, numRowsDroppedByWatermark = 1 },  -- assertNumStateRows(2), assertNumRowsDroppedByWatermark(1)
} }

q:awaitTermination("12s")
