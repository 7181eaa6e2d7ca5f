-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/StreamingDeduplicationSuite.scala
-- test("deduplicate with some columns")
--   MemoryStream[(String, Int)].toDS().dropDuplicates("_1"), Append
--
-- Time mapping: trigger{processingTime = "1s"}; AddData at 0.5, 2.5, 4.5 s, read by the
-- batches at 1, 3, 5 s; no watermark, no no-data batches, so each
-- assertNumStateRows(total, updated, droppedByWatermark) is that batch's progress.
-- Tuples become columns _1, _2 (addData with Lua tables).
scenario{ name = "StreamingDeduplicationSuite: deduplicate with some columns", seed = 1, duration = "6s" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark, { "_1", "_2" })
local df = input:toDF():dropDuplicates({ "_1" })
local q = df:writeStream():outputMode("append"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()

input:addData("500ms", { "a", 1 })
input:addData("2500ms", { "a", 2 })   -- Dropped
input:addData("4500ms", { "b", 1 })

expect{ query = "q", last_batch = {
  { by = "1900ms", rows = { { _1 = "a", _2 = 1 } } },  -- CheckLastBatch("a" -> 1)
  { by = "3900ms", rows = {} },                        -- CheckLastBatch()
  { by = "5900ms", rows = { { _1 = "b", _2 = 1 } } },  -- CheckLastBatch("b" -> 1)
} }
expect{ query = "q", progress = {
  { by = "1900ms", numRowsTotal = 1, numRowsUpdated = 1, numRowsDroppedByWatermark = 0 },  -- assertNumStateRows(total = 1, updated = 1, droppedByWatermark = 0)
  { by = "3900ms", numRowsTotal = 1, numRowsUpdated = 0, numRowsDroppedByWatermark = 0 },  -- assertNumStateRows(total = 1, updated = 0, droppedByWatermark = 0)
  { by = "5900ms", numRowsTotal = 2, numRowsUpdated = 1, numRowsDroppedByWatermark = 0 },  -- assertNumStateRows(total = 2, updated = 1, droppedByWatermark = 0)
} }

q:awaitTermination("6s")
