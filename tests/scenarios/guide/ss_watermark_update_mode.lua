-- The Structured Streaming Programming Guide's windowed word count with a
-- watermark ("Handling Late Data and Watermarking", Update mode):
--   words:withWatermark("timestamp", "10 minutes")
--        :groupBy(window(col("timestamp"), "10 minutes", "5 minutes"), col("word")):count()
-- Simulated time t stands for 12:00 + t, and each word arrives at its own
-- minute or later, with a trigger every 5 minutes:
--   (12:07, dog) and (12:08, owl) at 12:07 and 12:08  -> batch 0 at 12:10
--   (12:14, dog) at 12:14                             -> batch 1 at 12:15; watermark 12:04
--   (12:09, cat) at 12:16: late, but ahead of the watermark, so it counts in
--                12:00 - 12:10 and 12:05 - 12:15     -> batch 2 at 12:20
--   (12:21, owl) at 12:22                             -> batch 3 at 12:25; watermark 12:11
--   no new data: the state of 12:00 - 12:10 is cleared -> batch 4 at 12:30
--   (12:04, donkey) at 12:32: too late, ignored        -> batch 5 at 12:35
-- As the guide says: (12:14, dog) sets the watermark for the next trigger to
-- 12:04; (12:09, cat) still updates its windows; once the watermark is
-- 12:11, 12:00 - 12:10 is cleared and (12:04, donkey) is ignored. Since
-- Spark 3.4 a batch judges late rows by the watermark of the batch before it
-- (SEMANTICS.md 8.7), so donkey is dropped by the batch after the no-data
-- batch that cleared the window: that is why it arrives after 12:30 here.
-- Times in the rows are milliseconds since 1970-01-01 00:00 (12:00 = 43200000).
scenario{ name = "guide: windowed word count with a watermark, update mode", seed = 1, duration = "40m" }
local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 4 }
local input = MemoryStream(spark, { "minute", "word" })
local words = input:toDF():select(timestamp_seconds(col("minute") * 60 + 43200):alias("timestamp"), col("word"))
local counts = words:withWatermark("timestamp", "10 minutes")
  :groupBy(window(col("timestamp"), "10 minutes", "5 minutes"), col("word")):count()
local q = counts:writeStream():outputMode("update"):format("memory"):queryName("counts")
  :trigger{ processingTime = "5 minutes" }:start()
input:addData("7m", { 7, "dog" })
input:addData("8m", { 8, "owl" })
input:addData("14m", { 14, "dog" })
input:addData("16m", { 9, "cat" })
input:addData("22m", { 21, "owl" })
input:addData("32m", { 4, "donkey" })
local function w(from, to) return { start = 43200000 + from * 60000, ["end"] = 43200000 + to * 60000 } end
expect{ query = "counts", new_rows = {
  { by = "11m", rows = { { window = w(0, 10), word = "dog", count = 1 }, { window = w(5, 15), word = "dog", count = 1 },
                         { window = w(0, 10), word = "owl", count = 1 }, { window = w(5, 15), word = "owl", count = 1 } } },
  { by = "16m", rows = { { window = w(5, 15), word = "dog", count = 2 }, { window = w(10, 20), word = "dog", count = 1 } } },
  { by = "21m", rows = { { window = w(0, 10), word = "cat", count = 1 }, { window = w(5, 15), word = "cat", count = 1 } } },
  { by = "26m", rows = { { window = w(15, 25), word = "owl", count = 1 }, { window = w(20, 30), word = "owl", count = 1 } } },
  { by = "31m", rows = {} },
  { by = "36m", rows = {} },
} }
expect{ query = "counts", progress = {
  { by = "16m", batchId = 1, watermark = 43200000 - 2 * 60000, numRowsTotal = 5 },     -- the batch ran with 11:58
  { by = "21m", batchId = 2, watermark = 43200000 + 4 * 60000, numRowsTotal = 7 },     -- 12:04: cat still counts
  { by = "26m", batchId = 3, watermark = 43200000 + 4 * 60000, numRowsTotal = 9 },
  { by = "31m", batchId = 4, watermark = 43200000 + 11 * 60000, numRowsTotal = 6, numRowsRemoved = 3 }, -- 12:00 - 12:10 cleared
  { by = "36m", batchId = 5, watermark = 43200000 + 11 * 60000, numRowsDroppedByWatermark = 2, numRowsTotal = 6 },
} }
q:awaitTermination("40m")
