-- Natural lateness (SEMANTICS.md 8.6, 8.7, 8.9): a week of USGS earthquake
-- reports (scenarios/data/usgs-earthquakes-2018, 31 Jan - 7 Feb 2018, 1,707
-- events) replayed in the order of their `updated` field, 5040 times faster
-- (the week in two simulated minutes). An event is reported when its record
-- is last updated: minutes to days after it happened, so its lateness is
-- the data's own. The query counts events per hour of event time with a
-- 30-minute watermark, in update mode, to an idempotent kv sink: a report
-- older than the watermark when it arrives is dropped (numRowsDroppedByWatermark)
-- and the hour it belongs to keeps the count it had; state stays bounded
-- because hours behind the watermark leave the state store.
-- tests/cli/test_ss_replay.c checks the counts against an independent
-- sqlite3 computation over the same file.
--
-- Watch in the visualiser: the event-time panel spans the week's own dates;
-- each report is a dot at (arrival, event time), most of them far under the
-- diagonal; the watermark (green) climbs 30 minutes behind the latest quake
-- seen, and each batch that dropped reports has a cross with its count
-- (numRowsDroppedByWatermark: hour windows, not reports).
--
-- Predict, then run:
--   1. With a 30-minute watermark, how many of the 1,707 reports are too
--      late? (885, more than half: a report is replayed when it was last
--      updated, usually after a review hours or days after the quake.
--      tests/scripts/earthquakes_vs_sqlite.sh recomputes that number.)
--   2. The week has 166 hour windows with counts. How many does the state
--      store hold at most? (5, at 56 s: hours behind the watermark leave it.)
scenario{ name = "structured streaming: earthquakes with their own lateness", seed = 1, duration = "125s" }
local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 4 }
local quakes = spark.readStream:format("replay")
  :option("path", "data/usgs-earthquakes-2018/earthquakes.json"):option("format", "geojson")
  :option("columns", "id,time,updated,mag,net"):option("eventTime", "time")
  :option("arrival", "updated"):option("speedup", 5040)
  :load()
local hourly = quakes:withWatermark("time", "30 minutes")
  :groupBy(window(col("time"), "1 hour"))
  :agg(count("*"):alias("events"), max("mag"):alias("max_mag"))
local q = hourly:writeStream():outputMode("update"):format("kv"):option("path", "out/hourly")
  :option("checkpointLocation", "checkpoints/hourly"):queryName("hourly")
  :trigger{ processingTime = "1s" }:start()

narrate{ at = "9s", text = "Batch 8: the first reports behind the watermark; their hour windows' rows are dropped (2 windows)." }
narrate{ at = "56s", text = "The state holds 5 hour windows, its most: an hour leaves the store once the watermark passes its end." }
narrate{ at = "98s", text = "Batch 97: a burst of 64 reports, many updated long after their quakes: 31 hour windows' rows dropped." }
narrate{ at = "121s", text = "A last, no-data batch: the watermark moved, one more hour leaves the state. 885 of 1707 reports came too late." }

-- late_dropped: one event per batch that dropped rows (96 of the 121 batches)
expect{ events = { late_dropped = 96, watermark = 120, query_progress = 121 } }
expect{ query = "hourly", progress = {
  { by = "9100ms", batchId = 8, numInputRows = 5, watermark = 1517400522630, numRowsDroppedByWatermark = 2,
    numRowsTotal = 1 },
  { by = "56100ms", batchId = 55, numRowsTotal = 5 },
  { by = "98100ms", batchId = 97, numInputRows = 64, watermark = 1517847649482, numRowsDroppedByWatermark = 31,
    numRowsTotal = 3 },
  { by = "125s", batchId = 120, numInputRows = 0, watermark = 1517964973840, numRowsTotal = 2, numRowsRemoved = 1 },
} }
q:awaitTermination("125s")
