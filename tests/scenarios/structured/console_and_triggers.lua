-- The console sink as Spark prints it (SEMANTICS.md 8.14), and the once and
-- availableNow triggers (8.13): `once` runs one batch of everything there is
-- at the start and stops; `availableNow` fixes the offsets there are at the
-- start, takes them in batches of at most maxOffsetsPerTrigger, and stops.
scenario{ name = "console sink, once and availableNow triggers", seed = 1, duration = "5s" }
kafka{ topic = "t", partitions = 1, lines = { "a b", "b c", "a a", "c" }, arrival = function() return 0 end }
local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local words = spark.readStream:format("log"):option("subscribe", "t"):option("startingOffsets", "earliest")
  :option("maxOffsetsPerTrigger", 2):load()
  :select(explode(split(col("value"), " ")):alias("word"))
local counts = words:groupBy("word"):count()
local once = counts:writeStream():outputMode("complete"):format("console"):queryName("once")
  :trigger{ once = true }:start()
local avail = words:writeStream():format("memory"):queryName("avail"):trigger{ availableNow = true }:start()
expect{ query = "avail", progress = { { by = "5s", batchId = 1, numInputRows = 2 } } }  -- two batches of 2 lines, then stop
spark.streams:awaitAnyTermination("5s")
