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
q:awaitTermination("125s")
