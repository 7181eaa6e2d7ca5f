-- Apache Spark's DataFrameTimeWindowingSuite (sql/core/src/test/scala/org/
-- apache/spark/sql/DataFrameTimeWindowingSuite.scala), test "null timestamps", run as a
-- stream: its rows come in one MemoryStream batch at 0.5 s (trigger 1 s)
-- and the query's sink must hold Spark's expected rows. Spark's test groups
-- or selects on the string column directly (an implicit cast); here the
-- cast to timestamp is written out. UTC, as the suite sets.
scenario{ name = "DataFrameTimeWindowingSuite: null timestamps", seed = 1, duration = "3s" }
local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark, { "time", "value" })
local q = input:toDF()
  :select(window(col("time"):cast("timestamp"), "10 seconds"), col("value"))
  :select(col("value"))
  :writeStream():format("memory"):queryName("q"):trigger{ processingTime = "1s" }:start()
input:addData("500ms", { "2016-03-27 09:00:05", 1 }, { "2016-03-27 09:00:32", 2 }, { nil, 3 }, { nil, 4 })
expect{ query = "q", new_rows = { { by = "2s", rows = { { value = 1 }, { value = 2 } } } } } -- null times are dropped
q:awaitTermination("3s")
