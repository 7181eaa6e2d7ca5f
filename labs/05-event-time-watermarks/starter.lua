-- Lab 05 — Event time and watermarks: the earthquake bulletin (starter).
--
-- A week of USGS earthquake reports (data/usgs-earthquakes-2018, 31 Jan -
-- 7 Feb 2018, 1,707 events) replayed in the order of their `updated` field,
-- 5040 times faster: the week in two simulated minutes. A report arrives when
-- its record was last updated, minutes to days after the quake: its lateness
-- is the data's own. The query counts the quakes of each hour of event time
-- (`time`) and keeps the largest magnitude, for the hourly bulletin.
--
-- The bulletin's rule: each hour is published once, with its final count,
-- and never changed afterwards. Its budget: the state store may hold at most
-- 60 hours at once, and the watermark may drop at most 100 rows
-- (numRowsDroppedByWatermark, summed over the run).
--
-- Run it:    streamlab run starter.lua --out /tmp/l5     (then /tmp/l5/summary.json)
-- Watch it:  streamlab view starter.lua                 (the event-time panel)
-- Grade it:  streamlab grade . starter.lua --answers answers.lua
--
-- It runs as it is, with a 30-minute watermark in update mode. Change only
-- the two TODO lines.
scenario{ name = "lab 05 event time and watermarks: the earthquake bulletin", seed = 1, duration = "125s" }

-- TODO 1: the watermark delay: how late may a report be and still count?
--   A Spark duration: "30 minutes", "6 hours", "2 days", ... The watermark
--   is the latest event time seen minus this delay; an hour whose end is
--   behind the watermark is final: it leaves the state store, and reports
--   for it are dropped from then on. Look at the data's lateness first
--   (updated - time: data/usgs-earthquakes-2018/PROVENANCE.md, "Time").
local DELAY = "30 minutes"

-- TODO 2: the output mode: "append", "update" or "complete".
--   append: an hour is written once, when the watermark passes its end;
--   update: every hour whose count changed in the batch, each batch;
--   complete: the whole result table, every batch.
--   Which one follows the bulletin's rule?
local MODE = "update"

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 4 }
local quakes = spark.readStream:format("replay")
  :option("path", "data/usgs-earthquakes-2018/earthquakes.json"):option("format", "geojson")
  :option("columns", "id,time,updated,mag,net"):option("eventTime", "time")
  :option("arrival", "updated"):option("speedup", 5040)
  :load()

local hourly = quakes:withWatermark("time", DELAY)
  :groupBy(window(col("time"), "1 hour"))
  :agg(count("*"):alias("events"), max("mag"):alias("max_mag"))

-- The bulletin: an idempotent key-value store keyed by the hour window.
local q = hourly:writeStream():outputMode(MODE):format("kv"):option("path", "out/bulletin")
  :option("checkpointLocation", "checkpoints/bulletin"):queryName("bulletin")
  :trigger{ processingTime = "1s" }:start()

q:awaitTermination("125s")
