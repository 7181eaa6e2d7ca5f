-- 14. Event time vs processing time (SEMANTICS.md 4.2, 4.6, 8.5, 8.6, 8.7).
--
-- Concept: a record has two times: when it happened (event time, carried in
-- the record) and when the engine sees it (processing time, its arrival).
-- One Kafka topic of 49 clicks, one per second of event time, each line
-- "<second> click", feeds two programs in the same application:
--   DStreams    KafkaUtils.createDirectStream + countByWindow(10 s, 10 s):
--               windows of processing time, each counting what ARRIVED in it;
--   Structured  readStream format "log", the second parsed from the line by a
--   Streaming   udf, window(time, 10 s) + withWatermark(10 s), append mode:
--               windows of event time, each counting what HAPPENED in it,
--               written once the watermark has passed its end.
-- Most clicks arrive half a second after they happen; clicks 12-16 arrive
-- together at 27.5 s (a phone back online: 11-15 s late); clicks 5 and 6
-- arrive at 33.5 s (27-28 s late, more than the watermark allows).
-- True counts per 10 s of event time: 9, 10, 10, 10, 10.
--
-- Watch in the visualiser: the event-time panel, where on-time clicks sit
-- near the diagonal, the late ones far below it, and the watermark (green)
-- climbs 10 s behind the latest event time; the cross at 35 s for the
-- clicks dropped late. The outputs panel: "DStream output 0" is
-- countByWindow (every 10 s), "query event_time" the event-time query
-- (every 5 s, mostly empty batches: append waits for the watermark).
--
-- Predict, then run:
--   1. The processing-time window (10 s, 20 s] counts 5 clicks and
--      (20 s, 30 s] 15. What does the event-time query write for [10 s, 20 s)?
--      (10, at 40 s: the five late clicks counted where they happened.)
--   2. Where does each program count clicks 5 and 6?
--      (DStreams: in (30 s, 40 s], 12 clicks. Structured Streaming: nowhere;
--       [0 s, 10 s) was already written as 7 at 30 s, and at 35 s the
--       watermark is 14 s: numRowsDroppedByWatermark = 1, one window's rows.)
scenario{ name = "14: event time vs processing time", seed = 1, duration = "55s" }
local lines = {}
for t = 1, 49 do lines[#lines + 1] = t .. " click" end
-- arrival returns when a click arrives and, second, when it happened (for the
-- visualiser's event-time panel; the query reads the time from the line)
kafka{ topic = "clicks", partitions = 1, lines = lines, arrival = function(line, i)
  local t = tonumber(line:split(" ")[1])
  if t >= 12 and t <= 16 then return 27.5, t end   -- a phone back online
  if t == 5 or t == 6 then return 33.5, t end      -- too late for the watermark
  return t + 0.5, t
end }

-- Processing time: DStreams count the records of each 10 s of arrivals.
local ssc = StreamingContext{ batchDuration = "5s", workers = 2, cores = 2 }
ssc:checkpoint("checkpoints/clicks")   -- countByWindow reduces with an inverse: it needs a checkpoint
local clicks = KafkaUtils.createDirectStream(ssc, { "clicks" }, { ["metadata.broker.list"] = "kafka:9092" })
clicks:countByWindow("10 seconds", "10 seconds"):print()
ssc:start()

-- Event time: the same topic, each click placed by the second it carries.
local spark = SparkSession{ ["spark.sql.shuffle.partitions"] = 2 }
local event_second = udf(function(row) return tonumber(row.value:split(" ")[1]) end)
local counts = spark.readStream:format("log"):option("subscribe", "clicks"):option("startingOffsets", "earliest"):load()
  :select(timestamp_seconds(event_second):alias("time"))
  :withWatermark("time", "10 seconds")
  :groupBy(window(col("time"), "10 seconds"))
  :count()
local q = counts:writeStream():outputMode("append"):format("memory"):queryName("event_time")
  :trigger{ processingTime = "5 seconds" }:start()

narrate{ at = "10s", text = "Processing time (0 s, 10 s] counts what arrived: 7 clicks. Clicks 5 and 6 happened, but are not here yet." }
narrate{ at = "27500ms", text = "Clicks 12-16 arrive together, 11-15 s after they happened: a phone back online." }
narrate{ at = "30s", text = "DStream (20 s, 30 s] = 15: late clicks count when they came. Watermark 14 s: [0 s, 10 s) is final, 7." }
narrate{ at = "35s", text = "Clicks 5 and 6 are behind the watermark: the event-time query drops them, DStreams count them in (30, 40]." }
narrate{ at = "40s", text = "[10 s, 20 s) is written with all its 10 clicks, the 5 late ones too: event time counts where they happened." }

-- DStreams: one count per 10 s of processing time (the window emits every 10 s).
expect{ output = 0, batches = { { 7 }, { 5 }, { 15 }, { 12 }, { 10 } } }
-- Structured Streaming: each event-time window once, when the watermark passes its end.
local function w(from, to) return { start = from * 1000, ["end"] = to * 1000 } end
expect{ query = "event_time", new_rows = {
  { by = "29s", rows = {} },
  { by = "31s", rows = { { window = w(0, 10), count = 7 } } },
  { by = "39s", rows = {} },
  { by = "41s", rows = { { window = w(10, 20), count = 10 } } },
  { by = "49s", rows = {} },
  { by = "55s", rows = { { window = w(20, 30), count = 10 } } },
} }
expect{ query = "event_time", progress = {
  { by = "31s", batchId = 5, numInputRows = 10, watermark = 14000, numRowsDroppedByWatermark = 0 },
  { by = "36s", batchId = 6, numInputRows = 7, watermark = 19000, numRowsDroppedByWatermark = 1 },
} }
expect{ events = { late_dropped = 1 } }
q:awaitTermination("55s")
