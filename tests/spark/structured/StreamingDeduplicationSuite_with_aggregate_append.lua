-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/StreamingDeduplicationSuite.scala
-- test("deduplicate with aggregate - append mode")
--   withColumn("eventTime", timestamp_seconds($"value")).withWatermark("eventTime", "10 seconds")
--     .dropDuplicates().groupBy(window($"eventTime", "5 seconds") as 'window)
--     .agg(count("*") as 'count).select($"window".getField("start").cast("long"), $"count")
--
-- Time mapping: trigger{processingTime = "1s"}; AddData at k + 0.5 s (k = 0, 3, 6, 8), read
-- by the batch at k + 1 s; when the new watermark closes windows, the no-data batch at
-- k + 2 s emits them, and Spark's CheckLastBatch (taken after processAllAvailable) sees
-- that no-data batch's rows, so it is checked at k + 2.9 s.
-- Spark also checks the state metrics of both operators (aggregate first, dedup second):
--   after AddData(10..15 x5): total (2, 6), updated (2, 6)
--   after AddData(25):        total (2, 1), updated (1, 1)
--   after AddData(10):        total (2, 1), updated (0, 0), droppedByWatermark (0, 1)
--   after AddData(40):        total (1, 1), updated (1, 1)
-- streamlab's progress expectation names one value per field, so those are not checked.
scenario{ name = "StreamingDeduplicationSuite: deduplicate with aggregate - append mode", seed = 1, duration = "12s" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark)
local df = input:toDF()
  :withColumn("eventTime", timestamp_seconds(col("value")))
  :withWatermark("eventTime", "10 seconds")
  :dropDuplicates()
  :groupBy(window(col("eventTime"), "5 seconds"):alias("window"))
  :agg(count("*"):alias("count"))
  :select(col("window"):getField("start"):cast("long"):alias("start"), col("count"))
local q = df:writeStream():outputMode("append"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()

local first = {}                        -- (1 to 5).flatMap(_ => (10 to 15))
for _ = 1, 5 do for v = 10, 15 do first[#first + 1] = v end end
input:addData("500ms", table.unpack(first))  -- batch at 1 s; windows [10,15) = 5, [15,20) = 1; wm -> 5 s
input:addData("3500ms", 25)   -- batch at 4 s; wm -> 15 s; no-data batch at 5 s emits [10,15)
input:addData("6500ms", 10)   -- batch at 7 s (wm 15 s): dropped by the dedup as late
input:addData("8500ms", 40)   -- batch at 9 s; wm -> 30 s; no-data batch at 10 s emits [15,20) and [25,30)

expect{ query = "q", last_batch = {
  { by = "2900ms", rows = {} },                                                         -- CheckLastBatch()
  { by = "5900ms", rows = { { start = 10, count = 5 } } },                              -- CheckLastBatch((10 -> 5))
  { by = "7900ms", rows = {} },                                                         -- CheckLastBatch()
  { by = "10900ms", rows = { { start = 15, count = 1 }, { start = 25, count = 1 } } },  -- CheckLastBatch((15 -> 1), (25 -> 1))
} }

q:awaitTermination("12s")
