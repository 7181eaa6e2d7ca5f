-- Spark: BasicOperationsSuite, test("leftOuterJoin").
--   input1 Seq(Seq("a", "b"), Seq("a", ""), Seq(""), Seq()), 2 partitions per batch
--   input2 Seq(Seq("a", "b"), Seq("b", ""), Seq(), Seq("")), 2 partitions per batch
--   op     s1.map(x => (x, 1)).leftOuterJoin(s2.map(x => (x, "x")))
--   output Seq(
--            Seq(("a", (1, Some("x"))), ("b", (1, Some("x")))),
--            Seq(("", (1, Some("x"))), ("a", (1, None))),
--            Seq(("", (1, None))),
--            Seq()),
--          as sets (useSet = true)
-- Checks that leftOuterJoin keeps every key of the first stream, with None
-- where the second stream lacks it.
-- Lua has no Option: Some(v) is v, None is nil (kept in place by n = 2).
scenario{ name = "spark basic_operations leftOuterJoin", seed = 1, duration = "10s" }

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

s1:map(function(x) return { x, 1 } end)
  :leftOuterJoin(s2:map(function(x) return { x, "x" } end))
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", { 1, "x" } }, { "b", { 1, "x" } } },
  { { "", { 1, "x" } }, { "a", { 1, nil, n = 2 } } },
  { { "", { 1, nil, n = 2 } } },
  {},
} }

ssc:start()
ssc:awaitTerminationOrTimeout("4500ms")
