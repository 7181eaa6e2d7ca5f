-- Apache Spark's DataFrameTimeWindowingSuite (sql/core/src/test/scala/org/
-- apache/spark/sql/DataFrameTimeWindowingSuite.scala), test "tumbling window with multi-column projection", run as a
-- stream: its rows come in one MemoryStream batch at 0.5 s (trigger 1 s)
-- and the query's sink must hold Spark's expected rows. Spark's test groups
-- or selects on the string column directly (an implicit cast); here the
-- cast to timestamp is written out. UTC, as the suite sets.
scenario{ name = "DataFrameTimeWindowingSuite: tumbling window with multi-column projection", seed = 1, duration = "3s" }
local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark, { "time", "value", "id" })
local q = input:toDF()
  :select(window(col("time"):cast("timestamp"), "10 seconds"), col("value"))
  :select(col("window.start"):cast("string"):alias("start"), col("window.end"):cast("string"):alias("end"), col("value"))
  :writeStream():format("memory"):queryName("q"):trigger{ processingTime = "1s" }:start()
input:addData("500ms", { "2016-03-27 19:39:34", 1, "a" }, { "2016-03-27 19:39:56", 2, "a" }, { "2016-03-27 19:39:27", 4, "b" })
expect{ query = "q", new_rows = { { by = "2s", rows = {
  { start = "2016-03-27 19:39:20", ["end"] = "2016-03-27 19:39:30", value = 4 },
  { start = "2016-03-27 19:39:30", ["end"] = "2016-03-27 19:39:40", value = 1 },
  { start = "2016-03-27 19:39:50", ["end"] = "2016-03-27 19:40:00", value = 2 } } } } }
q:awaitTermination("3s")
