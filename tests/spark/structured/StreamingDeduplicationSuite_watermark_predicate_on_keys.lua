-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/StreamingDeduplicationSuite.scala
-- test("SPARK-19841: watermarkPredicate should filter based on keys")
--   MemoryStream[(Int, Int)].toDS().toDF("time", "id")
--     .withColumn("time", timestamp_seconds($"time")).withWatermark("time", "1 second")
--     .dropDuplicates("id", "time")   // key columns in another order than the input's
--     .select($"id")
-- (toDF("time", "id") + withColumn are written here as one select with aliases.)
--
-- Time mapping: trigger{processingTime = "1s"}; AddData at k + 0.5 s (k = 0, 3, 6, 9), read
-- by the batch at k + 1 s; a batch that raises the watermark is followed by a no-data batch
-- at k + 2 s that evicts keys with time <= watermark, so each CheckNewAnswer is checked at
-- k + 2.9 s. Watermark: after batch 1 max 1 s - 1 s = 0; after batch 2 1 s; after batch 3
-- 2 s; after batch 4 3 s. Late = time <= watermark.
scenario{ name = "StreamingDeduplicationSuite: SPARK-19841 watermarkPredicate on keys", seed = 1, duration = "13s" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark, { "_1", "_2" })
local df = input:toDF()
  :select(timestamp_seconds(col("_1")):alias("time"), col("_2"):alias("id"))
  :withWatermark("time", "1 second")
  :dropDuplicates({ "id", "time" })
  :select(col("id"))
local q = df:writeStream():outputMode("append"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()

input:addData("500ms", { 1, 1 }, { 1, 1 }, { 1, 2 })            -- batch at 1 s (wm 0)
input:addData("3500ms", { 1, 1 }, { 2, 3 }, { 2, 4 })            -- batch at 4 s (wm 0): (1,1) duplicate; wm -> 1 s
input:addData("6500ms", { 1, 0 }, { 1, 1 }, { 3, 5 }, { 3, 6 })  -- batch at 7 s (wm 1 s): time 1 <= 1 s, both late; wm -> 2 s
input:addData("9500ms", { 1, 0 }, { 4, 7 })                      -- batch at 10 s (wm 2 s): (1,0) late; wm -> 3 s

expect{ query = "q", new_rows = {
  { by = "2900ms",  rows = { { id = 1 }, { id = 2 } } },  -- CheckAnswer(1, 2)
  { by = "5900ms",  rows = { { id = 3 }, { id = 4 } } },  -- CheckNewAnswer(3, 4)
  { by = "8900ms",  rows = { { id = 5 }, { id = 6 } } },  -- CheckNewAnswer(5, 6)  "Drop (1 -> 0, 1 -> 1) due to watermark"
  { by = "11900ms", rows = { { id = 7 } } },              -- CheckNewAnswer(7)     "Drop (1 -> 0) due to watermark"
} }
expect{ query = "q", progress = {
  -- not asserted by Spark; follow from the watermark rule above
  { by = "7900ms",  numRowsDroppedByWatermark = 2, watermark = 1000 },
  { by = "10900ms", numRowsDroppedByWatermark = 1, watermark = 2000 },
} }

q:awaitTermination("13s")
