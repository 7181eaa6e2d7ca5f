-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/StreamingDeduplicationSuite.scala
-- test("SPARK-21546: dropDuplicates should ignore watermark when it's not a key")
--   MemoryStream[(Int, Int)].toDS().toDF("id", "time")
--     .withColumn("time", timestamp_seconds($"time")).withWatermark("time", "1 second")
--     .dropDuplicates("id").select($"id", $"time".cast("long"))
-- (toDF("id", "time") + withColumn are written here as one select with aliases.)
-- Within one batch the FIRST row of a key is kept: (1, 1) wins over (1, 2).
--
-- Time mapping: trigger{processingTime = "1s"}; the one AddData at 0.5 s is read by the
-- batch at 1 s; the watermark (2 s - 1 s = 1 s) is not a dedup key, so no state is
-- evicted by it and the no-data batch, if any, emits nothing; checked by 2.9 s.
scenario{ name = "StreamingDeduplicationSuite: SPARK-21546 watermark not a key", seed = 1, duration = "4s" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark, { "_1", "_2" })
local df = input:toDF()
  :select(col("_1"):alias("id"), timestamp_seconds(col("_2")):alias("time"))
  :withWatermark("time", "1 second")
  :dropDuplicates({ "id" })
  :select(col("id"), col("time"):cast("long"):alias("time"))
local q = df:writeStream():outputMode("append"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()

input:addData("500ms", { 1, 1 }, { 1, 2 }, { 2, 2 })

expect{ query = "q", new_rows = {
  { by = "2900ms", rows = { { id = 1, time = 1 }, { id = 2, time = 2 } } },  -- CheckAnswer(1 -> 1, 2 -> 2)
} }
expect{ query = "q", progress = {
  -- not asserted by Spark: two keys kept, nothing evicted (the watermark is not a key)
  { by = "2900ms", numRowsTotal = 2 },
} }

q:awaitTermination("4s")
