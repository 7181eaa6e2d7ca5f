-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/StreamingDeduplicationSuite.scala
-- test("multiple deduplicates")
--   MemoryStream[(String, Int)].toDS().dropDuplicates().dropDuplicates("_1"), Append
--
-- Time mapping: trigger{processingTime = "1s"}; AddData at 0.5, 2.5, 4.5 s, read by the
-- batches at 1, 3, 5 s; no watermark, no no-data batches.
-- Spark also checks per-operator state metrics (two operators):
--   total = (1, 1), (1, 2), (2, 3); updated = (1, 1), (0, 1), (1, 1),
-- ordered as the operators appear in the progress: the OUTER dropDuplicates("_1")
-- first (keys a; a; a, b), the inner dropDuplicates() second (rows (a,1); (a,1), (a,2);
-- (a,1), (a,2), (b,1)). streamlab's progress expectation names one value per field,
-- so only the output rows are checked here.
scenario{ name = "StreamingDeduplicationSuite: multiple deduplicates", seed = 1, duration = "6s" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark, { "_1", "_2" })
local df = input:toDF():dropDuplicates():dropDuplicates({ "_1" })
local q = df:writeStream():outputMode("append"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()

input:addData("500ms", { "a", 1 })
input:addData("2500ms", { "a", 2 })   -- Dropped from the second `dropDuplicates`
input:addData("4500ms", { "b", 1 })

expect{ query = "q", last_batch = {
  { by = "1900ms", rows = { { _1 = "a", _2 = 1 } } },  -- CheckLastBatch("a" -> 1)
  { by = "3900ms", rows = {} },                        -- CheckLastBatch()
  { by = "5900ms", rows = { { _1 = "b", _2 = 1 } } },  -- CheckLastBatch("b" -> 1)
} }

q:awaitTermination("6s")
