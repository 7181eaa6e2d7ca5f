-- Spark: MapWithStateSuite, test("mapWithState - basic operations with advanced API").
--   input  Seq(Seq(), Seq("a"), Seq("a", "b"), Seq("a", "b", "c"), Seq("a", "b"),
--              Seq("a"), Seq()), 2 partitions per batch, mapped with x => (x, 1)
--   op     mapWithState(StateSpec.function(
--            (batchTime: Time, key, value: Option[Int], state: State[Int]) => {
--              val sum = value.getOrElse(0) + state.getOption.getOrElse(0)
--              state.update(sum); Some(key * 2) }))
--   output 0, the mapped data:
--            Seq(Seq(), Seq("aa"), Seq("aa", "bb"), Seq("aa", "bb", "cc"),
--                Seq("aa", "bb"), Seq("aa"), Seq())
--   output 1, stateSnapshots():
--            Seq(Seq(), Seq(("a", 1)), Seq(("a", 2), ("b", 1)),
--                Seq(("a", 3), ("b", 2), ("c", 1)), Seq(("a", 4), ("b", 3), ("c", 1)),
--                Seq(("a", 5), ("b", 3), ("c", 1)), Seq(("a", 5), ("b", 3), ("c", 1)))
--   both compared batch by batch as sets (c.toSet === e.toSet), over 7 batches
-- Checks that the mapped record is whatever the function returns (Some(x)
-- becomes x), independent of the state it keeps. Spark's advanced function
-- also gets the batch time, which this one ignores: streamlab's function is
-- f(key, value, state), so the time argument is dropped.
--
-- Setup (MapWithStateSuite.getOperationOutput): master "local" (1 core, so
-- default parallelism 1), batch 1 s, ssc.checkpoint(dir), a TestInputStream
-- of 2 partitions per batch. A queueStream would print "queueStream doesn't
-- support checkpointing" (Spark refuses it outright), so each batch's records
-- arrive instead as two files of a textFileStream, sliced as makeRDD(seq, 2)
-- slices them, written half a batch before the batch time that picks them up.
scenario{ name = "spark map_with_state basic operations with advanced API", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 1, ["spark.default.parallelism"] = 1 }
ssc:checkpoint("checkpoint")

-- TestInputStream(ssc, input, numPartitions = 2): batch i (at i s) gets input[i].
local function testInputStream(dir, input)
  for i, batch in ipairs(input) do
    local cut = #batch // 2 -- ParallelCollectionRDD.slice: [0, n/2), [n/2, n)
    local slices = { {}, {} }
    for j, x in ipairs(batch) do table.insert(slices[j <= cut and 1 or 2], x) end
    for p = 1, 2 do
      files{ dir = dir, name = string.format("batch-%02d-part-%d", i, p - 1),
             at = string.format("%dms", i * 1000 - 500), lines = slices[p] }
    end
  end
  return ssc:textFileStream(dir)
end

local input = testInputStream("input", {
  {},
  { "a" },
  { "a", "b" },
  { "a", "b", "c" },
  { "a", "b" },
  { "a" },
  {},
})

local function mappingFunc(key, value, state)
  local sum = (value or 0) + (state:exists() and state:get() or 0)
  state:update(sum)
  return key:rep(2) -- Some(key * 2)
end

local mapped = input:map(function(x) return { x, 1 } end):mapWithState(StateSpec["function"](mappingFunc))
mapped:foreachRDD(function(rdd) rdd:collect() end)
mapped:stateSnapshots():foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  {},
  { "aa" },
  { "aa", "bb" },
  { "aa", "bb", "cc" },
  { "aa", "bb" },
  { "aa" },
  {},
} }

expect{ output = 1, unordered = true, batches = {
  {},
  { { "a", 1 } },
  { { "a", 2 }, { "b", 1 } },
  { { "a", 3 }, { "b", 2 }, { "c", 1 } },
  { { "a", 4 }, { "b", 3 }, { "c", 1 } },
  { { "a", 5 }, { "b", 3 }, { "c", 1 } },
  { { "a", 5 }, { "b", 3 }, { "c", 1 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("7500ms")
