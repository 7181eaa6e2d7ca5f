-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/StreamingDeduplicationSuite.scala
-- test("deduplicate with all columns")
--   MemoryStream[String].toDS().dropDuplicates(), Append
--
-- Time mapping: trigger{processingTime = "1s"}; AddData at 0.5, 2.5, 4.5 s, read by the
-- batches at 1, 3, 5 s; no watermark, so no no-data batches and Spark's
-- assertNumStateRows(total, updated) (total of the last progress, updated summed over
-- the progresses since the previous check) is exactly that one batch's progress.
-- droppedByWatermark defaults to 0 in Spark's helper.
scenario{ name = "StreamingDeduplicationSuite: deduplicate with all columns", seed = 1, duration = "6s" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark)
local df = input:toDF():dropDuplicates()
local q = df:writeStream():outputMode("append"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()

input:addData("500ms", "a")
input:addData("2500ms", "a")
input:addData("4500ms", "b")

expect{ query = "q", last_batch = {
  { by = "1900ms", rows = { { value = "a" } } },  -- CheckLastBatch("a")
  { by = "3900ms", rows = {} },                   -- CheckLastBatch()
  { by = "5900ms", rows = { { value = "b" } } },  -- CheckLastBatch("b")
} }
expect{ query = "q", progress = {
  { by = "1900ms", numRowsTotal = 1, numRowsUpdated = 1, numRowsDroppedByWatermark = 0 },  -- assertNumStateRows(total = 1, updated = 1)
  { by = "3900ms", numRowsTotal = 1, numRowsUpdated = 0, numRowsDroppedByWatermark = 0 },  -- assertNumStateRows(total = 1, updated = 0)
  { by = "5900ms", numRowsTotal = 2, numRowsUpdated = 1, numRowsDroppedByWatermark = 0 },  -- assertNumStateRows(total = 2, updated = 1)
} }

q:awaitTermination("6s")
