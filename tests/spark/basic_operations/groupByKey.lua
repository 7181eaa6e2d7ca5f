-- Spark: BasicOperationsSuite, test("groupByKey").
--   input  Seq(Seq("a", "a", "b"), Seq("", ""), Seq()), 2 partitions per batch
--   op     s.map(x => (x, 1)).groupByKey().mapValues(_.toSeq)
--   output Seq(Seq(("a", Seq(1, 1)), ("b", Seq(1))), Seq(("", Seq(1, 1))), Seq()),
--          as sets (useSet = true)
-- Checks that groupByKey gathers every value of a key, across partitions,
-- into one list, and that an empty batch gives no records.
scenario{ name = "spark basic_operations groupByKey", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ "a", "a", "b" }, 2),
  sc:parallelize({ "", "" }, 2),
  sc:parallelize({}, 2),
}, true)

input:map(function(x) return { x, 1 } end)
  :groupByKey()
  :mapValues(function(values) return values end) -- _.toSeq: the grouped values as a plain list
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", { 1, 1 } }, { "b", { 1 } } },
  { { "", { 1, 1 } } },
  {},
} }

ssc:start()
ssc:awaitTerminationOrTimeout("3500ms")
