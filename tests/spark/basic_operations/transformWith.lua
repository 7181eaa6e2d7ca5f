-- Spark: BasicOperationsSuite, test("transformWith").
--   input1 Seq(Seq("a", "b"), Seq("a", ""), Seq(""), Seq()), 2 partitions per batch
--   input2 Seq(Seq("a", "b"), Seq("b", ""), Seq(), Seq("")), 2 partitions per batch
--   op     s1.map(x => (x, 1)).transformWith(s2.map(x => (x, "x")),
--            (rdd1, rdd2) => rdd1.join(rdd2))   (RDD.join in transform)
--   output Seq(Seq(("a", (1, "x")), ("b", (1, "x"))), Seq(("", (1, "x"))), Seq(), Seq()),
--          as sets (useSet = true)
-- Checks that transformWith calls the function with both streams' RDDs of
-- the batch, and that an RDD join inside it works as DStream.join does.
scenario{ name = "spark basic_operations transformWith", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local s1 = ssc:queueStream({
  sc:parallelize({ "a", "b" }, 2),
  sc:parallelize({ "a", "" }, 2),
  sc:parallelize({ "" }, 2),
  sc:parallelize({}, 2),
}, true)
local s2 = ssc:queueStream({
  sc:parallelize({ "a", "b" }, 2),
  sc:parallelize({ "b", "" }, 2),
  sc:parallelize({}, 2),
  sc:parallelize({ "" }, 2),
}, true)

local t1 = s1:map(function(x) return { x, 1 } end)
local t2 = s2:map(function(x) return { x, "x" } end)
t1:transformWith(t2, function(rdd1, rdd2) return rdd1:join(rdd2) end)
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", { 1, "x" } }, { "b", { 1, "x" } } },
  { { "", { 1, "x" } } },
  {},
  {},
} }

ssc:start()
ssc:awaitTerminationOrTimeout("4500ms")
