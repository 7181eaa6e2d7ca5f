-- Structured Streaming, a worker crash under a stateful query (SEMANTICS.md
-- 8.19): the rate source's rows are counted per 2-second event-time window
-- and per value % 3, with a 1-second watermark, in append mode to a file
-- sink. The state store of each shuffle partition lives in the memory of
-- the executor that last ran it, and each batch's changes go to the
-- checkpoint as <version>.delta (a snapshot every 10 versions). worker-1
-- crashes at 6.5 s and comes back 3 s later: its state stores are gone; the
-- next tasks of its partitions run on worker-2 and load their state from
-- the checkpoint. Nothing is lost or counted twice: `streamlab check` says
-- exactly-once (the file sink lists each batch's file in _spark_metadata).
scenario{ name = "structured streaming: worker crash, state store reloaded", seed = 5, duration = "20s" }
faults{ { at = "6500ms", crash = "worker-1", restart_after = "3s" } }
expect{ delivery = "exactly-once" }
local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 4 }
local counts = spark.readStream:format("rate"):option("rowsPerSecond", 20):load()
  :withWatermark("timestamp", "1 second")
  :groupBy(window(col("timestamp"), "2 seconds"), (col("value") % 3):alias("bucket"))
  :count()
local q = counts:writeStream():outputMode("append"):format("json"):option("path", "out/counts")
  :option("checkpointLocation", "checkpoints/counts"):queryName("counts")
  :trigger{ processingTime = "1s" }:start()
q:awaitTermination("20s")
