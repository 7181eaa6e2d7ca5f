-- Structured Streaming, end-to-end exactly-once (SEMANTICS.md 9.4): a
-- replayable source (a partitioned log), offset and commit logs in the
-- checkpoint, and an idempotent sink (kv: an upsert keyed by the word).
-- The driver crashes at 7.005 s, while batch 6 runs, and restarts 2 s later: the restarted query
-- reads its logs, runs the batch that was not committed again with exactly
-- its logged offsets, reloads the state store from its checkpointed deltas,
-- and goes on. `streamlab check` compares what the kv store holds at the end
-- with a run without the crash: exactly-once.
scenario{ name = "structured streaming: log source + kv sink, driver crash", seed = 3, duration = "20s" }
kafka{ topic = "fortunes", partitions = 2, file = "data/fortunes/fortunes", rate = 40 }
faults{ { at = "7005ms", crash = "driver", restart_after = "2s" } }
expect{ delivery = "exactly-once" }
local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 4 }
local words = spark.readStream:format("log"):option("subscribe", "fortunes"):load()
  :select(explode(split(lower(col("value")), " ")):alias("word"))
  :where(length(col("word")):gt(3))
local q = words:groupBy("word"):count()
  :writeStream():outputMode("update"):format("kv"):option("path", "out/wordcounts")
  :option("checkpointLocation", "checkpoints/wordcounts"):queryName("wordcounts")
  :trigger{ processingTime = "1s" }:start()
q:awaitTermination("20s")
