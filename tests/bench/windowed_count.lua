-- make bench: a windowed count with a watermark on one worker (bench_ss.c).
-- The rate source's 20,000 rows/s for 60 s, counted per 10-second event-time
-- window and value % 100, with a 5-second watermark, in append mode.
scenario{ name = "bench: windowed count with a watermark", seed = 1, duration = "61s" }
local spark = SparkSession{ workers = 1, cores = 2, ["spark.sql.shuffle.partitions"] = 2,
                            cost = { perRecord = "1us" } }
local rows = spark.readStream:format("rate"):option("rowsPerSecond", 20000):option("numPartitions", 2):load()
local q = rows:withWatermark("timestamp", "5 seconds")
  :groupBy(window(col("timestamp"), "10 seconds"), (col("value") % 100):alias("key"))
  :count()
  :writeStream():outputMode("append"):format("memory"):queryName("counts")
  :trigger{ processingTime = "1s" }:start()
q:awaitTermination("61s")
