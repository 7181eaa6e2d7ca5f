-- Structured Streaming with the memory sink and no checkpointLocation
-- (SEMANTICS.md 8.15, 9.4: the memory sink is not fault-tolerant). The
-- table lives in the driver's memory: the driver crash at 6.5 s takes it
-- away, and without a checkpoint the restarted query starts afresh, from
-- the log's latest offsets (Kafka's startingOffsets = "latest"). What
-- arrived before the restart is gone from the table for good.
-- `streamlab check`: at-most-once (loss).
scenario{ name = "structured streaming: memory sink, no checkpoint, driver crash", seed = 3, duration = "15s" }
kafka{ topic = "fortunes", partitions = 2, file = "data/fortunes/fortunes", rate = 20 }
faults{ { at = "6500ms", crash = "driver", restart_after = "2s" } }
expect{ delivery = "at-most-once" }
local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local lines = spark.readStream:format("log"):option("subscribe", "fortunes"):load()
local q = lines:where(length(col("value")):gt(40))
  :writeStream():outputMode("append"):format("memory"):queryName("long_lines")
  :trigger{ processingTime = "1s" }:start()
q:awaitTermination("15s")
