-- 15. Watermarks (SEMANTICS.md 8.6, 8.7, 8.9).
--
-- Concept: withWatermark("time", "10 seconds") tells Spark how late data may
-- be. After each batch the watermark becomes (latest event time seen) - 10 s,
-- never going down; the next batch uses it. A late row still updates its
-- window as long as the window ends after the watermark; once the watermark
-- has passed a window's end, the window leaves the state store and rows for
-- it are dropped (numRowsDroppedByWatermark). That is what keeps the state
-- bounded. Readings, lines of a log topic each holding its event time in
-- seconds, are counted per 10 s window, in update mode, into a kv store (an
-- upsert per window), with a trigger every 5 s. Four readings come late:
--   4 at 13 s (9 s late), 9 at 23 s (14 s late): counted;
--   3 at 33 s, 14 at 43 s: dropped.
--
-- Watch in the visualiser: the event-time panel, the watermark (green)
-- stepping up 10 s behind the latest reading; the late readings far under
-- the diagonal, above the watermark at 13 s and 23 s, under it at 33 s and
-- 43 s, where crosses mark them dropped. The state store row of the storage
-- panel: a version per batch, while the state holds at most 3 windows.
--
-- Predict, then run:
--   1. Reading 9 arrives 14 s after it happened, later than the 10 s the
--      watermark allows. Is it counted?
--      (Yes: [0,10) becomes 6 at 25 s. The watermark is 10 s behind the
--       latest event time seen, 18 s, so 8 s, and [0,10) ends after it.
--       Only data less than 10 s late is guaranteed kept; later data may be.)
--   2. Reading 3 arrives at 33 s. What does the kv store say for [0,10) at
--      the end, and what does the batch at 35 s report?
--      (6: the batch runs with watermark 16 s, [0,10) ended at 10 s and left
--       the state at 30 s; the reading is dropped, numRowsDroppedByWatermark 1.)
scenario{ name = "15: watermarks", seed = 1, duration = "50s" }
-- Each reading is a line holding its event time in seconds; it arrives at
-- `at` seconds of processing time (arrival's second result tells the
-- visualiser the event time, for its dots).
local readings = {
  { 1, at = 3 }, { 2, at = 3 }, { 6, at = 8 }, { 7, at = 8 },
  { 12, at = 13 }, { 4, at = 13 },    -- 4: 9 s late
  { 17, at = 18 }, { 18, at = 18 },
  { 22, at = 23 }, { 9, at = 23 },    -- 9: 14 s late
  { 26, at = 28 },
  { 31, at = 33 }, { 3, at = 33 },    -- 3: 30 s late
  { 36, at = 38 },
  { 14, at = 43 },                    -- 14: 29 s late
}
local lines = {}
for i, r in ipairs(readings) do lines[i] = tostring(r[1]) end
kafka{ topic = "readings", lines = lines, arrival = function(line, i) return readings[i].at, readings[i][1] end }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local counts = spark.readStream:format("log"):option("subscribe", "readings"):option("startingOffsets", "earliest"):load()
  :select(timestamp_seconds(col("value"):cast("long")):alias("time"))
  :withWatermark("time", "10 seconds")
  :groupBy(window(col("time"), "10 seconds"))
  :count()
local q = counts:writeStream():outputMode("update"):format("kv"):option("path", "out/windows")
  :option("checkpointLocation", "checkpoints/windows"):queryName("windows")
  :trigger{ processingTime = "5 seconds" }:start()

narrate{ at = "15s", text = "Reading 4 comes 9 s late. The watermark is still 0, so [0,10) is updated again: 5." }
narrate{ at = "25s", text = "Reading 9 comes 14 s late, yet [0,10) = 6: the window ends at 10 s, after the watermark (18 s - 10 s = 8 s)." }
narrate{ at = "30s", text = "Watermark 12 s is past 10 s: [0,10) leaves the state store (numRowsRemoved 1), silently in update mode." }
narrate{ at = "35s", text = "Reading 3 belongs to [0,10), behind the watermark: dropped, numRowsDroppedByWatermark = 1." }
narrate{ at = "45s", text = "Reading 14 is dropped too. The state holds 2 windows: the watermark keeps it bounded." }

local function w(from, to) return { start = from * 1000, ["end"] = to * 1000 } end
expect{ query = "windows", new_rows = {
  { by = "6s", rows = { { window = w(0, 10), count = 2 } } },
  { by = "11s", rows = { { window = w(0, 10), count = 4 } } },
  { by = "16s", rows = { { window = w(0, 10), count = 5 }, { window = w(10, 20), count = 1 } } },
  { by = "21s", rows = { { window = w(10, 20), count = 3 } } },
  { by = "26s", rows = { { window = w(0, 10), count = 6 }, { window = w(20, 30), count = 1 } } },
  { by = "31s", rows = { { window = w(20, 30), count = 2 } } },
  { by = "36s", rows = { { window = w(30, 40), count = 1 } } },
  { by = "41s", rows = { { window = w(30, 40), count = 2 } } },
  { by = "50s", rows = {} },
} }
expect{ query = "windows", progress = {
  { by = "26s", batchId = 4, watermark = 8000, numRowsTotal = 3, numRowsDroppedByWatermark = 0 },
  { by = "31s", batchId = 5, watermark = 12000, numRowsTotal = 2, numRowsRemoved = 1 },
  { by = "36s", batchId = 6, watermark = 16000, numRowsTotal = 3, numRowsDroppedByWatermark = 1 },
  { by = "41s", batchId = 7, watermark = 21000, numRowsTotal = 2, numRowsRemoved = 1 },
  { by = "50s", batchId = 8, watermark = 26000, numRowsTotal = 2, numRowsDroppedByWatermark = 1 },
} }
expect{ events = { late_dropped = 2 } }
q:awaitTermination("50s")
