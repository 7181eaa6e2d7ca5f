-- Apache Spark's DataFrameTimeWindowingSuite (sql/core/src/test/scala/org/
-- apache/spark/sql/DataFrameTimeWindowingSuite.scala), test "millisecond precision sliding windows", run as a
-- stream: its rows come in one MemoryStream batch at 0.5 s (trigger 1 s)
-- and the query's sink must hold Spark's expected rows. Spark's test groups
-- or selects on the string column directly (an implicit cast); here the
-- cast to timestamp is written out. UTC, as the suite sets.
scenario{ name = "DataFrameTimeWindowingSuite: millisecond precision sliding windows", seed = 1, duration = "3s" }
local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark, { "time", "value" })
local q = input:toDF()
  :groupBy(window(col("time"):cast("timestamp"), "200 milliseconds", "40 milliseconds", "0 milliseconds"))
  :agg(count("*"):alias("counts"))
  :select(col("window.start"):cast("string"):alias("start"), col("window.end"):cast("string"):alias("end"), col("counts"))
  :writeStream():outputMode("complete"):format("memory"):queryName("q"):trigger{ processingTime = "1s" }:start()
input:addData("500ms", { "2016-03-27 09:00:00.41", 3 }, { "2016-03-27 09:00:00.62", 6 }, { "2016-03-27 09:00:00.715", 8 })
expect{ query = "q", last_batch = { { by = "2s", rows = {
  { start = "2016-03-27 09:00:00.24", ["end"] = "2016-03-27 09:00:00.44", counts = 1 },
  { start = "2016-03-27 09:00:00.28", ["end"] = "2016-03-27 09:00:00.48", counts = 1 },
  { start = "2016-03-27 09:00:00.32", ["end"] = "2016-03-27 09:00:00.52", counts = 1 },
  { start = "2016-03-27 09:00:00.36", ["end"] = "2016-03-27 09:00:00.56", counts = 1 },
  { start = "2016-03-27 09:00:00.4", ["end"] = "2016-03-27 09:00:00.6", counts = 1 },
  { start = "2016-03-27 09:00:00.44", ["end"] = "2016-03-27 09:00:00.64", counts = 1 },
  { start = "2016-03-27 09:00:00.48", ["end"] = "2016-03-27 09:00:00.68", counts = 1 },
  { start = "2016-03-27 09:00:00.52", ["end"] = "2016-03-27 09:00:00.72", counts = 2 },
  { start = "2016-03-27 09:00:00.56", ["end"] = "2016-03-27 09:00:00.76", counts = 2 },
  { start = "2016-03-27 09:00:00.6", ["end"] = "2016-03-27 09:00:00.8", counts = 2 },
  { start = "2016-03-27 09:00:00.64", ["end"] = "2016-03-27 09:00:00.84", counts = 1 },
  { start = "2016-03-27 09:00:00.68", ["end"] = "2016-03-27 09:00:00.88", counts = 1 } } } } }
q:awaitTermination("3s")
