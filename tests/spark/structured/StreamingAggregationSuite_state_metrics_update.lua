-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/StreamingAggregationSuite.scala
-- testWithAllStateVersions("state metrics"), the update-mode half:
--   inputData.toDS().flatMap(x => Seq(x, x + 1)).toDF("value").groupBy($"value").agg(count("*"))
-- Spark reads the StateStoreSaveExec metrics numUpdatedStateRows / numTotalStateRows of the
-- last execution; here they are the progress numRowsUpdated / numRowsTotal of that batch.
--
-- SUBSTITUTION: streamlab has no flatMap, so each input row is given as the string of the
-- flatMap's output, "x x+1" (AddData(1) -> "1 2"; AddData(2, 3) -> "2 3", "3 4"), and
-- explode(split(value, " ")), then a cast to long, recreates exactly the rows Spark aggregates.
--
-- Time mapping: trigger{processingTime = "1s"}; AddData at 0.5 s and 2.5 s, read by the
-- batches at 1 s and 3 s; no watermark, no no-data batches; checks at +1.4 s.
scenario{ name = "StreamingAggregationSuite: state metrics (update)", seed = 1, duration = "5s" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark)
local df = input:toDF()
  :select(explode(split(col("value"), " ")):alias("v"))
  :select(col("v"):cast("long"):alias("value"))
  :groupBy(col("value"))
  :agg(count("*"):alias("count"))
local q = df:writeStream():outputMode("update"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()

input:addData("500ms", "1 2")          -- AddData(inputData, 1)
input:addData("2500ms", "2 3", "3 4")   -- AddData(inputData, 2, 3)

expect{ query = "q", last_batch = {
  { by = "1900ms", rows = { { value = 1, count = 1 }, { value = 2, count = 1 } } },  -- CheckLastBatch((1, 1), (2, 1))
  { by = "3900ms", rows = { { value = 2, count = 2 }, { value = 3, count = 2 }, { value = 4, count = 1 } } },  -- CheckLastBatch((2, 2), (3, 2), (4, 1))
} }
expect{ query = "q", progress = {
  { by = "1900ms", numRowsUpdated = 2, numRowsTotal = 2 },  -- numOutputRows 2, numUpdatedStateRows 2, numTotalStateRows 2
  { by = "3900ms", numRowsUpdated = 3, numRowsTotal = 4 },  -- numOutputRows 3, numUpdatedStateRows 3, numTotalStateRows 4
} }

q:awaitTermination("5s")
