-- Apache Spark's DataFrameTimeWindowingSuite (sql/core/src/test/scala/org/
-- apache/spark/sql/DataFrameTimeWindowingSuite.scala), test "negative timestamps", run as a
-- stream: its rows come in one MemoryStream batch at 0.5 s (trigger 1 s)
-- and the query's sink must hold Spark's expected rows. Spark's test groups
-- or selects on the string column directly (an implicit cast); here the
-- cast to timestamp is written out. UTC, as the suite sets.
scenario{ name = "DataFrameTimeWindowingSuite: negative timestamps", seed = 1, duration = "3s" }
local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark, { "time", "value" })
local q = input:toDF()
  :select(window(col("time"):cast("timestamp"), "10 seconds", "10 seconds", "5 seconds"), col("value"))
  :select(col("window.start"):cast("string"):alias("start"), col("window.end"):cast("string"):alias("end"), col("value"))
  :writeStream():format("memory"):queryName("q"):trigger{ processingTime = "1s" }:start()
input:addData("500ms", { "1970-01-01 00:00:02", 1 }, { "1970-01-01 00:00:12", 2 })
expect{ query = "q", new_rows = { { by = "2s", rows = {
  { start = "1969-12-31 23:59:55", ["end"] = "1970-01-01 00:00:05", value = 1 },
  { start = "1970-01-01 00:00:05", ["end"] = "1970-01-01 00:00:15", value = 2 } } } } }
q:awaitTermination("3s")
