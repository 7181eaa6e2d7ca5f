-- Structured Streaming with a socket source (SEMANTICS.md 9.4: not
-- replayable). Word counts go to an idempotent kv sink with a checkpoint,
-- yet the driver crash at 6.5 s loses data: the lines that arrive while the
-- driver is down reach no one (nc -lk hands them to nobody), and the
-- restarted query's new connection sees only what arrives after it. The
-- offset log cannot help: the socket cannot be read again. `streamlab
-- check`: at-most-once (loss).
scenario{ name = "structured streaming: socket source, driver crash", seed = 3, duration = "15s" }
netcat{ port = 9999, file = "data/fortunes/fortunes", rate = 20 }
faults{ { at = "6500ms", crash = "driver", restart_after = "2s" } }
expect{ delivery = "at-most-once" }
local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local words = spark.readStream:format("socket"):option("host", "localhost"):option("port", 9999):load()
  :select(explode(split(col("value"), " ")):alias("word"))
local q = words:groupBy("word"):count()
  :writeStream():outputMode("update"):format("kv"):option("path", "out/wordcounts")
  :option("checkpointLocation", "checkpoints/wordcounts"):queryName("wordcounts")
  :trigger{ processingTime = "1s" }:start()
q:awaitTermination("15s")
