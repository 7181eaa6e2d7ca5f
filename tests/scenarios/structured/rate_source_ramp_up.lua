-- The rate source's values and timestamps (SEMANTICS.md 8.20; Spark's
-- RateStreamProvider.valueAtSecond and RateStreamMicroBatchStream):
-- rowsPerSecond 10 with rampUpTime 4 s runs at 10 / (4 + 1) = 2 rows per
-- second at first, so V(s) = 2 * s * (s + 1) / 2: V(1) = 2, V(2) = 6. The
-- batch of seconds [s1, s2) holds values [V(s1), V(s2)), value v at
-- 1000 * s1 + round((v - V(s1)) * 1000 * (s2 - s1) / (V(s2) - V(s1))) ms.
scenario{ name = "rate source with a ramp-up", seed = 1, duration = "3s" }
local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local q = spark.readStream:format("rate"):option("rowsPerSecond", 10):option("rampUpTime", "4s")
  :option("numPartitions", 2):load()
  :writeStream():format("memory"):queryName("rate"):trigger{ processingTime = "1s" }:start()
expect{ query = "rate", new_rows = {
  { by = "1500ms", rows = { { timestamp = 0, value = 0 }, { timestamp = 500, value = 1 } } },
  { by = "2500ms", rows = { { timestamp = 1000, value = 2 }, { timestamp = 1250, value = 3 },
                            { timestamp = 1500, value = 4 }, { timestamp = 1750, value = 5 } } },
} }
expect{ query = "rate", progress = { { by = "2500ms", batchId = 1, numInputRows = 4 } } }
q:awaitTermination("3s")
