-- Structured Streaming with the file sink under a driver crash (SEMANTICS.md
-- 8.16): each batch writes a part file, then the job commit writes
-- _spark_metadata/<batch> listing it; readers see only listed files. The
-- driver crashes at 6.008 s: batch 5's part file and metadata entry are
-- written (6.006 s), commits/5 is not (6.010 s would have been). The
-- restarted driver runs batch 5 again; the sink sees that
-- _spark_metadata/5 exists and skips it. `streamlab check`: exactly-once.
scenario{ name = "structured streaming: file sink, driver crash", seed = 3, duration = "15s" }
kafka{ topic = "fortunes", partitions = 2, file = "data/fortunes/fortunes", rate = 20 }
faults{ { at = "6008ms", crash = "driver", restart_after = "2s" } }
expect{ delivery = "exactly-once" }
local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local lines = spark.readStream:format("log"):option("subscribe", "fortunes"):load()
local q = lines:select(upper(col("value")):alias("line"))
  :writeStream():format("json"):option("path", "out/lines"):option("checkpointLocation", "checkpoints/lines")
  :queryName("lines"):trigger{ processingTime = "1s" }:start()
q:awaitTermination("15s")
