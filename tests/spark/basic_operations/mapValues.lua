-- Spark: BasicOperationsSuite, test("mapValues").
--   input  Seq(Seq("a", "a", "b"), Seq("", ""), Seq()), 2 partitions per batch
--   op     s.map(x => (x, 1)).reduceByKey(_ + _).mapValues(_ + 10)
--   output Seq(Seq(("a", 12), ("b", 11)), Seq(("", 12)), Seq()), as sets (useSet = true)
-- Checks that mapValues applies the function to the value and keeps the key.
scenario{ name = "spark basic_operations mapValues", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ "a", "a", "b" }, 2),
  sc:parallelize({ "", "" }, 2),
  sc:parallelize({}, 2),
}, true)

input:map(function(x) return { x, 1 } end)
  :reduceByKey(add)
  :mapValues(function(v) return v + 10 end)
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 12 }, { "b", 11 } },
  { { "", 12 } },
  {},
} }

ssc:start()
ssc:awaitTerminationOrTimeout("3500ms")
