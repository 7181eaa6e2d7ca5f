-- Apache Spark's DataFrameTimeWindowingSuite (sql/core/src/test/scala/org/
-- apache/spark/sql/DataFrameTimeWindowingSuite.scala), test "sliding window grouping", run as a
-- stream: its rows come in one MemoryStream batch at 0.5 s (trigger 1 s)
-- and the query's sink must hold Spark's expected rows. Spark's test groups
-- or selects on the string column directly (an implicit cast); here the
-- cast to timestamp is written out. UTC, as the suite sets.
scenario{ name = "DataFrameTimeWindowingSuite: sliding window grouping", seed = 1, duration = "3s" }
local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark, { "time", "value", "id" })
local q = input:toDF()
  :groupBy(window(col("time"):cast("timestamp"), "10 seconds", "3 seconds", "0 second"))
  :agg(count("*"):alias("counts"))
  :select(col("window.start"):cast("string"):alias("start"), col("window.end"):cast("string"):alias("end"), col("counts"))
  :writeStream():outputMode("complete"):format("memory"):queryName("q"):trigger{ processingTime = "1s" }:start()
input:addData("500ms", { "2016-03-27 19:39:34", 1, "a" }, { "2016-03-27 19:39:56", 2, "a" }, { "2016-03-27 19:39:27", 4, "b" })
-- 19:39:27 -> 4 bins, 19:39:34 -> 3 bins, 19:39:56 -> 3 bins
expect{ query = "q", last_batch = { { by = "2s", rows = {
  { start = "2016-03-27 19:39:18", ["end"] = "2016-03-27 19:39:28", counts = 1 },
  { start = "2016-03-27 19:39:21", ["end"] = "2016-03-27 19:39:31", counts = 1 },
  { start = "2016-03-27 19:39:24", ["end"] = "2016-03-27 19:39:34", counts = 1 },
  { start = "2016-03-27 19:39:27", ["end"] = "2016-03-27 19:39:37", counts = 2 },
  { start = "2016-03-27 19:39:30", ["end"] = "2016-03-27 19:39:40", counts = 1 },
  { start = "2016-03-27 19:39:33", ["end"] = "2016-03-27 19:39:43", counts = 1 },
  { start = "2016-03-27 19:39:48", ["end"] = "2016-03-27 19:39:58", counts = 1 },
  { start = "2016-03-27 19:39:51", ["end"] = "2016-03-27 19:40:01", counts = 1 },
  { start = "2016-03-27 19:39:54", ["end"] = "2016-03-27 19:40:04", counts = 1 } } } } }
q:awaitTermination("3s")
