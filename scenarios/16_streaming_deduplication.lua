-- 16. Streaming deduplication with a watermark (SEMANTICS.md 8.6, 8.7, 8.10).
--
-- Concept: a sender that retries delivers some events twice. The Structured
-- Streaming Programming Guide's answer:
--   events:withWatermark("eventTime", "10 seconds"):dropDuplicates({ "guid", "eventTime" })
-- The first row of each (guid, eventTime) goes out; its key stays in the
-- state store, and a later copy that finds it there is dropped. Without a
-- watermark every key stays forever. With one, a key whose eventTime is at
-- or behind the watermark leaves the state; a copy arriving after that is
-- not emitted again: its eventTime is behind the watermark too, so it is
-- dropped as late (numRowsDroppedByWatermark) before it reaches the state.
-- Events are lines "<guid> <second>" of a log topic, parsed by two udfs; a
-- trigger every 5 s; unique events go to a memory sink (append).
-- Sent twice: a (1 s) at 2 s and 4 s, in one batch; b (2 s) at 2 s and 7 s;
-- a (1 s) once more at 27 s. g (9 s) comes 8 s late, but only once.
--
-- Watch in the visualiser: the event-time panel, each event a dot (a copy
-- is a second dot at the same event time); the watermark (green) climbing
-- 10 s behind the latest event; the cross at 30 s for a's last copy. The
-- state store row of the storage panel, and numRowsTotal in the progress
-- (summary.json): 5 keys at most, 1 at the end.
--
-- Predict, then run:
--   1. b's copy (7 s) and a's last copy (27 s) are both dropped. Which one
--      does numRowsDroppedByWatermark count, and why?
--      (a's, at 30 s: (a, 1 s) left the state at 20 s, when the watermark
--       reached 1 s, so the state cannot recognise the copy; its eventTime,
--       1 s, is behind the watermark, and Spark drops it as late. b's copy
--       found (b, 2 s) in the state: a plain duplicate, not late, 0 dropped.)
--   2. How many keys does the state hold at the end, and without withWatermark?
--      (1, (h, 31 s), after the no-data batch at 40 s evicts e and f;
--       without a watermark all 8 unique events, growing forever.)
scenario{ name = "16: streaming deduplication with a watermark", seed = 1, duration = "45s" }
local sent = {
  { "a", 1, at = 2 }, { "b", 2, at = 2 },
  { "a", 1, at = 4 },                      -- a again, same batch
  { "c", 6, at = 7 }, { "b", 2, at = 7 },  -- b again, next batch
  { "d", 11, at = 12 },
  { "e", 16, at = 17 }, { "g", 9, at = 17 }, -- g: 8 s late, new
  { "f", 21, at = 22 },
  { "a", 1, at = 27 },                     -- a again, after its key left the state
  { "h", 31, at = 32 },
}
local lines = {}
for i, s in ipairs(sent) do lines[i] = s[1] .. " " .. s[2] end
-- arrival: when line i arrives, and (for the visualiser's dots) its event time
kafka{ topic = "events", lines = lines, arrival = function(line, i) return sent[i].at, sent[i][2] end }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local guid = udf(function(row) return row.value:split(" ")[1] end)
local second = udf(function(row) return tonumber(row.value:split(" ")[2]) end)
local events = spark.readStream:format("log"):option("subscribe", "events"):option("startingOffsets", "earliest"):load()
  :select(guid:alias("guid"), timestamp_seconds(second):alias("eventTime"))
local unique = events:withWatermark("eventTime", "10 seconds"):dropDuplicates({ "guid", "eventTime" })
local q = unique:writeStream():outputMode("append"):format("memory"):queryName("unique")
  :trigger{ processingTime = "5 seconds" }:start()

narrate{ at = "5s", text = "Batch 0: a came twice in one batch; a and b go out once. The state holds (a, 1 s) and (b, 2 s)." }
narrate{ at = "10s", text = "b's copy finds (b, 2 s) in the state: dropped as a duplicate (not as late); c goes out." }
narrate{ at = "20s", text = "Watermark 1 s: (a, 1 s) leaves the state (numRowsRemoved 1). g is 8 s late but new: it goes out." }
narrate{ at = "30s", text = "a's copy comes after its key left the state; 1 s is behind the watermark: dropped as late, not emitted twice." }
narrate{ at = "40s", text = "A no-data batch: the watermark is 21 s, e and f leave the state. One key, h, is left." }

local function ev(g, s) return { guid = g, eventTime = s * 1000 } end
expect{ query = "unique", new_rows = {
  { by = "6s", rows = { ev("a", 1), ev("b", 2) } },
  { by = "11s", rows = { ev("c", 6) } },
  { by = "16s", rows = { ev("d", 11) } },
  { by = "21s", rows = { ev("e", 16), ev("g", 9) } },
  { by = "26s", rows = { ev("f", 21) } },
  { by = "31s", rows = {} },
  { by = "36s", rows = { ev("h", 31) } },
  { by = "45s", rows = {} },
} }
expect{ query = "unique", progress = {
  { by = "6s", batchId = 0, numInputRows = 3, numRowsUpdated = 2, numRowsTotal = 2 },
  { by = "11s", batchId = 1, numInputRows = 2, numRowsUpdated = 1, numRowsTotal = 3, numRowsDroppedByWatermark = 0 },
  { by = "21s", batchId = 3, watermark = 1000, numRowsTotal = 5, numRowsRemoved = 1 },
  { by = "31s", batchId = 5, watermark = 11000, numInputRows = 1, numRowsUpdated = 0, numRowsDroppedByWatermark = 1,
    numRowsTotal = 2 },
  { by = "45s", batchId = 7, watermark = 21000, numInputRows = 0, numRowsTotal = 1, numRowsRemoved = 2 },
} }
expect{ events = { late_dropped = 1 } }
q:awaitTermination("45s")
