-- hint: the bulletin writes each hour once, final: append mode
-- Lab 05 — a typical wrong submission: update mode with the 2-day watermark.
-- The budget holds (91 rows dropped, 52 hours in the state), but an hour is
-- written as soon as it has a report and again each time its count changes:
-- the bulletin's readers see counts change.
scenario{ name = "lab 05 event time and watermarks: the earthquake bulletin", seed = 1, duration = "125s" }

-- TODO 1 (done): two days, a little more than the 90th percentile of the
--   reports' lateness (45.6 h): a shorter delay drops more, a longer one keeps
--   more hours open in the state.
local DELAY = "2 days"

-- TODO 2 (done): append: each hour once, final, when the watermark passes its end.
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
