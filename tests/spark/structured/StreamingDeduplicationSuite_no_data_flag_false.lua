-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/StreamingDeduplicationSuite.scala
-- test("test no-data flag"), testWithFlag(false)
-- (spark.sql.streaming.noDataMicroBatches.enabled = false)
--
-- Time mapping: trigger{processingTime = "1s"}; AddData(10..15) at 0.5 s (batch at 1 s,
-- wm 0 -> 5 s), AddData(25) at 3.5 s (batch at 4 s, wm 5 s -> 15 s). With the flag off,
-- no batch runs without new data, so 10..15 stay in the state (total 7) although the
-- watermark moved to 15 s. Spark's assertNumStateRows takes total from the last progress
-- and sums updated since the previous check, so updated is read on the data batch and
-- total after the no-data batch. Spark's last check, lastProgress.sink.numOutputRows ==
-- 0, has no counterpart.
scenario{ name = "StreamingDeduplicationSuite: test no-data flag (false)", seed = 1, duration = "8s" }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2, ["spark.sql.streaming.noDataMicroBatches.enabled"] = false }
local input = MemoryStream(spark)
local df = input:toDF()
  :withColumn("eventTime", timestamp_seconds(col("value")))
  :withWatermark("eventTime", "10 seconds")
  :dropDuplicates()
  :select(col("eventTime"):cast("long"):alias("eventTime"))
local q = df:writeStream():outputMode("append"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()

input:addData("500ms", 10, 11, 12, 13, 14, 15)
input:addData("3500ms", 25)   -- "Advance watermark to 15 seconds"

expect{ query = "q", new_rows = {
  { by = "2900ms", rows = { { eventTime = 10 }, { eventTime = 11 }, { eventTime = 12 },
                          { eventTime = 13 }, { eventTime = 14 }, { eventTime = 15 } } },  -- CheckAnswer(10, 11, 12, 13, 14, 15)
  { by = "5900ms", rows = { { eventTime = 25 } } },   -- CheckNewAnswer(25)
} }
expect{ query = "q", progress = {
  { by = "1900ms", numRowsTotal = 6, numRowsUpdated = 6 },  -- assertNumStateRows(total = 6, updated = 6)
  { by = "4900ms", numRowsTotal = 7, numRowsUpdated = 1 },  -- else assertNumStateRows(total = 7, updated = 1)
  { by = "7900ms", numRowsTotal = 7, numInputRows = 1 },    -- (no batch ran since: state not cleaned)
} }

q:awaitTermination("8s")
