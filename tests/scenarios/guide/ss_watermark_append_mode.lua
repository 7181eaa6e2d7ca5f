-- The Structured Streaming Programming Guide's windowed word count with a
-- watermark, in Append mode ("Handling Late Data and Watermarking"): the same
-- words at the same times as ss_watermark_update_mode.lua, but the sink gets
-- only final counts: "the final counts of window 12:00 - 12:10 is appended
-- to the Result Table only after the watermark is updated to 12:11". Here
-- that is batch 4 at 12:30, the no-data batch that runs because the
-- watermark moved (SEMANTICS.md 8.11); each window is emitted once, and
-- windows the watermark has not passed by the end (12:05 - 12:15 and later,
-- the watermark staying 12:11) are never emitted.
-- Times in the rows are milliseconds since 1970-01-01 00:00 (12:00 = 43200000).
scenario{ name = "guide: windowed word count with a watermark, append mode", seed = 1, duration = "40m" }
local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 4 }
local input = MemoryStream(spark, { "minute", "word" })
local words = input:toDF():select(timestamp_seconds(col("minute") * 60 + 43200):alias("timestamp"), col("word"))
local counts = words:withWatermark("timestamp", "10 minutes")
  :groupBy(window(col("timestamp"), "10 minutes", "5 minutes"), col("word")):count()
local q = counts:writeStream():outputMode("append"):format("memory"):queryName("counts")
  :trigger{ processingTime = "5 minutes" }:start()
input:addData("7m", { 7, "dog" })
input:addData("8m", { 8, "owl" })
input:addData("14m", { 14, "dog" })
input:addData("16m", { 9, "cat" })
input:addData("22m", { 21, "owl" })
input:addData("32m", { 4, "donkey" })
local function w(from, to) return { start = 43200000 + from * 60000, ["end"] = 43200000 + to * 60000 } end
expect{ query = "counts", new_rows = {
  { by = "11m", rows = {} },
  { by = "16m", rows = {} },
  { by = "21m", rows = {} },
  { by = "26m", rows = {} },
  { by = "31m", rows = { { window = w(0, 10), word = "cat", count = 1 }, { window = w(0, 10), word = "dog", count = 1 },
                         { window = w(0, 10), word = "owl", count = 1 } } },
  { by = "40m", rows = {} },
} }
expect{ query = "counts", progress = {
  { by = "31m", batchId = 4, watermark = 43200000 + 11 * 60000, numRowsTotal = 6, numRowsRemoved = 3 },
  { by = "36m", batchId = 5, numRowsDroppedByWatermark = 2 },
} }
q:awaitTermination("40m")
