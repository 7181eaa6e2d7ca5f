-- 13. Structured Streaming as an unbounded table: complete, update and append
-- output modes on the same query (SEMANTICS.md 8.1, 8.8, 8.9).
--
-- Concept: the input is a table that only grows (each trigger appends the
-- rows that arrived); the query's result is a table too, kept up to date by
-- the state store. The output mode decides which rows of the result table go
-- to the sink at each trigger:
--   complete  the whole result table, every trigger (state never shrinks);
--   update    only the rows that changed in this trigger;
--   append    only rows that can never change again: a window is written
--             once, in the first batch whose watermark is at or past its end
--             (so append needs withWatermark; Spark refuses it without).
-- One MemoryStream of event times (seconds since 1970-01-01 00:00), counted
-- per 10-second window with a 5-second watermark, is written three times,
-- by three queries named after their modes, each triggered every 10 s.
-- A row can arrive after its own time: 8 arrives at 13 s, 19 at 36 s.
--
-- Watch in the visualiser: the three queries' batches side by side on the
-- batch timeline; the outputs panel, where the complete sink's bars grow
-- with every batch while update's stay small and append's are empty until
-- 40 s; the watermark (green) stepping up in the event-time panel.
--
-- Predict, then run:
--   1. What does each sink receive from the batch at 40 s?
--      (complete: all 4 windows; update: [10,20) = 3 and [30,40) = 1;
--       append: [0,10) = 3, its first row: the batch at 30 s ran with a
--       watermark of 7 s, the one at 40 s with 18 s, past 10 s.)
--   2. How many windows does each query hold in its state store at the end?
--      (complete 6, it never evicts; update and append 3: windows whose
--       end is at or before the watermark have left the state.)
scenario{ name = "13: the unbounded table and its output modes", seed = 1, duration = "65s" }
local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark)
local counts = input:toDF()
  :select(timestamp_seconds(col("value")):alias("time"))
  :withWatermark("time", "5 seconds")
  :groupBy(window(col("time"), "10 seconds"))
  :count()
local complete = counts:writeStream():outputMode("complete"):format("memory"):queryName("complete")
  :trigger{ processingTime = "10 seconds" }:start()
counts:writeStream():outputMode("update"):format("memory"):queryName("update")
  :trigger{ processingTime = "10 seconds" }:start()
counts:writeStream():outputMode("append"):format("memory"):queryName("append")
  :trigger{ processingTime = "10 seconds" }:start()

-- event times, in seconds, each added at its arrival time
input:addData("4s", 1, 3)
input:addData("13s", 8, 11, 12)   -- 8 is 5 s late: [0,10) changes again
input:addData("24s", 22, 23)
input:addData("36s", 19, 31)      -- 19 is 17 s late, but its window still ends after the watermark
input:addData("44s", 41)
input:addData("54s", 52)

narrate{ at = "10s", text = "Batch 0: complete and update write [0,10) = 2; append writes nothing, that window may still change." }
narrate{ at = "20s", text = "Batch 1: 8 came late and [0,10) is now 3: update writes it again, complete rewrites all, append waits." }
narrate{ at = "40s", text = "Batch 3 runs with watermark 18 s, past 10 s: append writes [0,10) = 3, once; update forgets it silently." }
narrate{ at = "60s", text = "Batch 5: complete writes and keeps all 6 windows; update and append keep the 3 the watermark has not passed." }

local function w(from, to) return { start = from * 1000, ["end"] = to * 1000 } end
expect{ query = "complete", new_rows = {
  { by = "15s", rows = { { window = w(0, 10), count = 2 } } },
  { by = "25s", rows = { { window = w(0, 10), count = 3 }, { window = w(10, 20), count = 2 } } },
  { by = "35s", rows = { { window = w(0, 10), count = 3 }, { window = w(10, 20), count = 2 }, { window = w(20, 30), count = 2 } } },
  { by = "45s", rows = { { window = w(0, 10), count = 3 }, { window = w(10, 20), count = 3 }, { window = w(20, 30), count = 2 },
                         { window = w(30, 40), count = 1 } } },
  { by = "55s", rows = { { window = w(0, 10), count = 3 }, { window = w(10, 20), count = 3 }, { window = w(20, 30), count = 2 },
                         { window = w(30, 40), count = 1 }, { window = w(40, 50), count = 1 } } },
  { by = "65s", rows = { { window = w(0, 10), count = 3 }, { window = w(10, 20), count = 3 }, { window = w(20, 30), count = 2 },
                         { window = w(30, 40), count = 1 }, { window = w(40, 50), count = 1 }, { window = w(50, 60), count = 1 } } },
} }
expect{ query = "update", new_rows = {
  { by = "15s", rows = { { window = w(0, 10), count = 2 } } },
  { by = "25s", rows = { { window = w(0, 10), count = 3 }, { window = w(10, 20), count = 2 } } },
  { by = "35s", rows = { { window = w(20, 30), count = 2 } } },
  { by = "45s", rows = { { window = w(10, 20), count = 3 }, { window = w(30, 40), count = 1 } } },
  { by = "55s", rows = { { window = w(40, 50), count = 1 } } },
  { by = "65s", rows = { { window = w(50, 60), count = 1 } } },
} }
expect{ query = "append", new_rows = {
  { by = "35s", rows = {} },
  { by = "45s", rows = { { window = w(0, 10), count = 3 } } },
  { by = "55s", rows = { { window = w(10, 20), count = 3 } } },
  { by = "65s", rows = { { window = w(20, 30), count = 2 } } },
} }
expect{ query = "complete", progress = {
  { by = "45s", batchId = 3, watermark = 18000, numRowsTotal = 4, numRowsRemoved = 0 },
  { by = "65s", batchId = 5, watermark = 36000, numRowsTotal = 6, numRowsRemoved = 0 },
} }
expect{ query = "append", progress = {
  { by = "35s", batchId = 2, watermark = 7000, numRowsTotal = 3 },
  { by = "45s", batchId = 3, watermark = 18000, numRowsTotal = 3, numRowsRemoved = 1 },
  { by = "65s", batchId = 5, watermark = 36000, numRowsTotal = 3, numRowsRemoved = 1 },
} }
complete:awaitTermination("65s")
