-- Spark: BasicOperationsSuite, test("cogroup").
--   input1 Seq(Seq("a", "a", "b"), Seq("a", ""), Seq(""), Seq()), 2 partitions per batch
--   input2 Seq(Seq("a", "a", "b"), Seq("b", ""), Seq(), Seq()), 2 partitions per batch
--   op     s1.map(x => (x, 1)).cogroup(s2.map(x => (x, "x")))
--            .mapValues(x => (x._1.toSeq, x._2.toSeq))
--   output Seq(
--            Seq(("a", (Seq(1, 1), Seq("x", "x"))), ("b", (Seq(1), Seq("x")))),
--            Seq(("a", (Seq(1), Seq())), ("b", (Seq(), Seq("x"))), ("", (Seq(1), Seq("x")))),
--            Seq(("", (Seq(1), Seq()))),
--            Seq()),
--          as sets (useSet = true)
-- Checks that cogroup gives, for every key of either stream, the list of
-- its values in each stream (an empty list where a stream lacks the key).
scenario{ name = "spark basic_operations cogroup", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local s1 = ssc:queueStream({
  sc:parallelize({ "a", "a", "b" }, 2),
  sc:parallelize({ "a", "" }, 2),
  sc:parallelize({ "" }, 2),
  sc:parallelize({}, 2),
}, true)
local s2 = ssc:queueStream({
  sc:parallelize({ "a", "a", "b" }, 2),
  sc:parallelize({ "b", "" }, 2),
  sc:parallelize({}, 2),
  sc:parallelize({}, 2),
}, true)

s1:map(function(x) return { x, 1 } end)
  :cogroup(s2:map(function(x) return { x, "x" } end))
  :mapValues(function(x) return { x[1], x[2] } end) -- (x._1.toSeq, x._2.toSeq)
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", { { 1, 1 }, { "x", "x" } } }, { "b", { { 1 }, { "x" } } } },
  { { "a", { { 1 }, {} } }, { "b", { {}, { "x" } } }, { "", { { 1 }, { "x" } } } },
  { { "", { { 1 }, {} } } },
  {},
} }

ssc:start()
ssc:awaitTerminationOrTimeout("4500ms")
