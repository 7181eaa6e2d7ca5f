-- Spark: MapWithStateSuite, test("mapWithState - state removing").
--   input  Seq(Seq(), Seq("a"), Seq("a", "b"), Seq("a", "b", "c"), Seq("a", "b", "c"),
--              Seq("a", "b"), Seq("a"), Seq()), 2 partitions per batch,
--          mapped with x => (x, 1)
--   op     mapWithState(StateSpec.function(
--            (time: Time, key, value: Option[Int], state: State[Int]) => {
--              if (state.exists) { state.remove(); Some(key) }
--              else { state.update(value.get); None } }).numPartitions(1))
--   output 0, the mapped data (the keys whose state was removed):
--            Seq(Seq(), Seq(), Seq("a"), Seq("b"), Seq("a", "c"), Seq("b"), Seq("a"), Seq())
--   output 1, stateSnapshots():
--            Seq(Seq(), Seq(("a", 1)), Seq(("b", 1)), Seq(("a", 1), ("c", 1)),
--                Seq(("b", 1)), Seq(("a", 1)), Seq(), Seq())
--   both compared batch by batch as sets (c.toSet === e.toSet), over 8 batches
-- Checks that state.remove() drops the key from the state (it is gone from
-- the snapshot of the same batch) and that the key can get a new state later.
-- The batch time of Spark's function is unused and dropped (streamlab's
-- function is f(key, value, state)).
--
-- Setup (MapWithStateSuite.getOperationOutput): master "local" (1 core, so
-- default parallelism 1), batch 1 s, ssc.checkpoint(dir), a TestInputStream
-- of 2 partitions per batch. A queueStream would print "queueStream doesn't
-- support checkpointing" (Spark refuses it outright), so each batch's records
-- arrive instead as two files of a textFileStream, sliced as makeRDD(seq, 2)
-- slices them, written half a batch before the batch time that picks them up.
scenario{ name = "spark map_with_state state removing", seed = 1, duration = "10s" }

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
  { "a", "b" },      -- a will be removed
  { "a", "b", "c" }, -- b will be removed
  { "a", "b", "c" }, -- a and c will be removed
  { "a", "b" },      -- b will be removed
  { "a" },           -- a will be removed
  {},
})

local function mappingFunc(key, value, state)
  if state:exists() then
    state:remove()
    return key -- Some(key)
  else
    state:update(value) -- value.get
    return nil -- None
  end
end

local mapped = input:map(function(x) return { x, 1 } end)
  :mapWithState(StateSpec.func(mappingFunc):numPartitions(1))
mapped:foreachRDD(function(rdd) rdd:collect() end)
mapped:stateSnapshots():foreachRDD(function(rdd) rdd:collect() end)

-- States that were removed
expect{ output = 0, unordered = true, batches = {
  {},
  {},
  { "a" },
  { "b" },
  { "a", "c" },
  { "b" },
  { "a" },
  {},
} }

expect{ output = 1, unordered = true, batches = {
  {},
  { { "a", 1 } },
  { { "b", 1 } },
  { { "a", 1 }, { "c", 1 } },
  { { "b", 1 } },
  { { "a", 1 } },
  {},
  {},
} }

ssc:start()
ssc:awaitTerminationOrTimeout("8500ms")
