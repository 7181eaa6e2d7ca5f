-- Spark: BasicOperationsSuite, test("reduceByKey").
--   input  Seq(Seq("a", "a", "b"), Seq("", ""), Seq()), 2 partitions per batch
--   op     s.map(x => (x, 1)).reduceByKey(_ + _)
--   output Seq(Seq(("a", 2), ("b", 1)), Seq(("", 2)), Seq()), as sets (useSet = true)
-- Checks that reduceByKey merges the values of a key, across partitions,
-- with the function, and that an empty batch gives no records.
scenario{ name = "spark basic_operations reduceByKey", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ "a", "a", "b" }, 2),
  sc:parallelize({ "", "" }, 2),
  sc:parallelize({}, 2),
}, true)

input:map(function(x) return { x, 1 } end):reduceByKey(add):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 2 }, { "b", 1 } },
  { { "", 2 } },
  {},
} }

ssc:start()
ssc:awaitTerminationOrTimeout("3500ms")
