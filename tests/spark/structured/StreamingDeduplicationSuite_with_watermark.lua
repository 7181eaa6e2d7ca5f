-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/StreamingDeduplicationSuite.scala
-- test("deduplicate with watermark")
--   toDS().withColumn("eventTime", timestamp_seconds($"value"))
--     .withWatermark("eventTime", "10 seconds").dropDuplicates()
--     .select($"eventTime".cast("long")), Append
--
-- Time mapping: trigger{processingTime = "1s"}; AddData at k + 0.5 s (k = 0, 3, 6, 8),
-- read by the batch at k + 1 s. When a batch moves the watermark past stored event
-- times, the no-data batch at k + 2 s evicts them. Spark's assertNumStateRows(total,
-- updated) takes `total` from the LAST progress (the no-data batch, if one ran) and SUMS
-- `updated` over all progresses since the previous check; a no-data batch updates 0
-- rows, so `updated` is checked on the data batch (k + 1.9 s) and `total` after the
-- no-data batch (k + 2.9 s). Dedup drops a row as late when eventTime <= watermark.
scenario{ name = "StreamingDeduplicationSuite: deduplicate with watermark", seed = 1, duration = "12s" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark)
local df = input:toDF()
  :withColumn("eventTime", timestamp_seconds(col("value")))
  :withWatermark("eventTime", "10 seconds")
  :dropDuplicates()
  :select(col("eventTime"):cast("long"):alias("eventTime"))
local q = df:writeStream():outputMode("append"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()

local first = {}                        -- (1 to 5).flatMap(_ => (10 to 15))
for _ = 1, 5 do for v = 10, 15 do first[#first + 1] = v end end
input:addData("500ms", table.unpack(first))  -- batch at 1 s (wm 0); wm -> 5 s (nothing <= 5 s to evict)
input:addData("3500ms", 25)   -- batch at 4 s (wm 5 s); wm -> 15 s; no-data batch at 5 s drops 10..15 from state
input:addData("6500ms", 10)   -- batch at 7 s (wm 15 s): 10 <= 15 s, late
input:addData("8500ms", 45)   -- batch at 9 s (wm 15 s); wm -> 35 s; no-data batch at 10 s drops 25

expect{ query = "q", new_rows = {
  { by = "2900ms", rows = { { eventTime = 10 }, { eventTime = 11 }, { eventTime = 12 },
                          { eventTime = 13 }, { eventTime = 14 }, { eventTime = 15 } } },  -- CheckAnswer(10 to 15: _*)
  { by = "5900ms", rows = { { eventTime = 25 } } },   -- CheckNewAnswer(25)
  { by = "7900ms", rows = {} },                       -- CheckNewAnswer()
  { by = "10900ms", rows = { { eventTime = 45 } } },  -- CheckNewAnswer(45)
} }
expect{ query = "q", progress = {
  { by = "1900ms", numInputRows = 30, numRowsUpdated = 6, numRowsTotal = 6 },  -- assertNumStateRows(total = 6, updated = 6)
  { by = "2900ms", numRowsTotal = 6 },
  { by = "4900ms", numRowsUpdated = 1, numRowsTotal = 7 },   -- assertNumStateRows(total = 1, updated = 1): the update (25) ...
  { by = "5900ms", numRowsTotal = 1, watermark = 15000 },   -- ... and the total after the no-data batch evicted 10..15
  { by = "7900ms", numRowsTotal = 1, numRowsUpdated = 0, numRowsDroppedByWatermark = 1 },  -- assertNumStateRows(total = 1, updated = 0, droppedByWatermark = 1)
  { by = "9900ms", numRowsUpdated = 1, numRowsTotal = 2 },   -- assertNumStateRows(total = 1, updated = 1): the update (45) ...
  { by = "10900ms", numRowsTotal = 1, watermark = 35000 },  -- ... and the total after the no-data batch evicted 25
} }

q:awaitTermination("12s")
