-- Spark: sql/core/src/test/scala/org/apache/spark/sql/streaming/EventTimeWatermarkSuite.scala
-- test("delay threshold should not be negative.")
-- Spark's Dataset.withWatermark does
--   require(!IntervalUtils.isNegative(parsedDelay),
--     s"delay threshold ($delayThreshold) should not be negative.")
-- so the IllegalArgumentException message is
--   "requirement failed: delay threshold (-10 seconds) should not be negative."
-- Of the test's four delays ("-1 year", "1 year -13 months", "1 month -40 days",
-- "-10 seconds") only "-10 seconds" is a streamlab duration; the calendar ones are skipped.
-- Spark fails at the withWatermark call itself, before any query exists; the expectation
-- is declared first so it is registered before the failing call.
--
-- Time mapping: none (no batch may run).
scenario{ name = "EventTimeWatermarkSuite: delay threshold should not be negative", seed = 1, duration = "3s" }

expect{ error = "requirement failed: delay threshold (-10 seconds) should not be negative." }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local input = MemoryStream(spark)
local df = input:toDF()
  :withColumn("eventTime", timestamp_seconds(col("value")))
  :withWatermark("eventTime", "-10 seconds")   -- intercept[IllegalArgumentException]
  :groupBy(window(col("eventTime"), "5 seconds"):alias("window"))
  :agg(count("*"):alias("count"))
local q = df:writeStream():outputMode("append"):format("memory"):queryName("q")
  :trigger{ processingTime = "1s" }:start()
input:addData("500ms", 10)

q:awaitTermination("3s")
