-- Spark: WindowOperationsSuite, test("groupByKeyAndWindow").
--   input  bigInput = Seq(
--            Seq(("a", 1)),
--            Seq(("a", 1), ("b", 1)),
--            Seq(("a", 1), ("b", 1), ("c", 1)),
--            Seq(("a", 1), ("b", 1)),
--            Seq(("a", 1)),
--            Seq(),
--            Seq(("a", 1)),
--            Seq(("a", 1), ("b", 1)),
--            Seq(("a", 1), ("b", 1), ("c", 1)),
--            Seq(("a", 1), ("b", 1)),
--            Seq(("a", 1)),
--            Seq()),
--          2 partitions per batch
--   op     s.groupByKeyAndWindow(Seconds(2), Seconds(1)).map(x => (x._1, x._2.toSet))
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 12 * 1 = 12 batches of 1 s
--   output bigGroupByOutput.map(_.map(x => (x._1, x._2.toSet))), as sets (useSet = true);
--          bigGroupByOutput = Seq(Seq(("a", Seq(1))), Seq(("a", Seq(1, 1)), ("b", Seq(1))), ...):
--          every value is 1, so each set is Set(1)
-- Checks that groupByKeyAndWindow gathers the values of each key over the
-- window, and that a key leaves with its batches. x._2.toSet is written
-- toSet below: the distinct values, sorted (a Lua list standing for the set).
scenario{ name = "spark window_operations groupByKeyAndWindow", seed = 1, duration = "20s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ { "a", 1 } }, 2),
  sc:parallelize({ { "a", 1 }, { "b", 1 } }, 2),
  sc:parallelize({ { "a", 1 }, { "b", 1 }, { "c", 1 } }, 2),
  sc:parallelize({ { "a", 1 }, { "b", 1 } }, 2),
  sc:parallelize({ { "a", 1 } }, 2),
  sc:parallelize({}, 2),
  sc:parallelize({ { "a", 1 } }, 2),
  sc:parallelize({ { "a", 1 }, { "b", 1 } }, 2),
  sc:parallelize({ { "a", 1 }, { "b", 1 }, { "c", 1 } }, 2),
  sc:parallelize({ { "a", 1 }, { "b", 1 } }, 2),
  sc:parallelize({ { "a", 1 } }, 2),
  sc:parallelize({}, 2),
}, true)

-- x._2.toSet
local function toSet(values)
  local seen, out = {}, {}
  for _, v in ipairs(values) do
    if not seen[v] then
      seen[v] = true
      out[#out + 1] = v
    end
  end
  table.sort(out)
  return out
end

input:groupByKeyAndWindow("2s", "1s")
  :map(function(x) return { x[1], toSet(x[2]) } end)
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", { 1 } } },
  { { "a", { 1 } }, { "b", { 1 } } },
  { { "a", { 1 } }, { "b", { 1 } }, { "c", { 1 } } },
  { { "a", { 1 } }, { "b", { 1 } }, { "c", { 1 } } },
  { { "a", { 1 } }, { "b", { 1 } } },
  { { "a", { 1 } } },
  { { "a", { 1 } } },
  { { "a", { 1 } }, { "b", { 1 } } },
  { { "a", { 1 } }, { "b", { 1 } }, { "c", { 1 } } },
  { { "a", { 1 } }, { "b", { 1 } }, { "c", { 1 } } },
  { { "a", { 1 } }, { "b", { 1 } } },
  { { "a", { 1 } } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("12500ms")
