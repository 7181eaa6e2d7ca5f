-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/StreamingDeduplicationSuite.scala
-- test("deduplicate with aggregate - update mode")
--   MemoryStream[(String, Int)].toDS().select($"_1" as "str", $"_2" as "num")
--     .dropDuplicates().groupBy("str").agg(sum("num"))
--
-- Time mapping: trigger{processingTime = "1s"}; AddData at 0.5, 2.5, 4.5, 6.5 s, read by
-- the batches at 1, 3, 5, 7 s; no watermark, no no-data batches; CheckLastBatch checked
-- at +1.4 s. Spark also checks the state metrics of both operators (aggregate first,
-- dedup second): total (1, 1), (1, 1), (1, 2), (2, 3); updated (1, 1), (0, 0), (1, 1),
-- (1, 1). streamlab's progress expectation names one value per field, so those are not
-- checked. The sum column keeps Spark's name "sum(num)".
scenario{ name = "StreamingDeduplicationSuite: deduplicate with aggregate - update mode", seed = 1, duration = "8s" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark, { "_1", "_2" })
local df = input:toDF()
  :select(col("_1"):alias("str"), col("_2"):alias("num"))
  :dropDuplicates()
  :groupBy(col("str"))
  :agg(sum("num"))
local q = df:writeStream():outputMode("update"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()

input:addData("500ms", { "a", 1 })
input:addData("2500ms", { "a", 1 })   -- Dropped
input:addData("4500ms", { "a", 2 })
input:addData("6500ms", { "b", 1 })

expect{ query = "q", last_batch = {
  { by = "1900ms", rows = { { str = "a", ["sum(num)"] = 1 } } },   -- CheckLastBatch("a" -> 1L)
  { by = "3900ms", rows = {} },                                  -- CheckLastBatch()  (a -> 1 dropped)
  { by = "5900ms", rows = { { str = "a", ["sum(num)"] = 3 } } },   -- CheckLastBatch("a" -> 3L)
  { by = "7900ms", rows = { { str = "b", ["sum(num)"] = 1 } } },   -- CheckLastBatch("b" -> 1L)
} }

q:awaitTermination("8s")
