-- Spark: MapWithStateSuite, test("mapWithState - initial states, with nothing returned
-- as from mapping function").
--   initial sc.makeRDD(Seq(("a", 5), ("b", 10), ("c", -20), ("d", 0)))
--   input  Seq(Seq(), Seq("a"), Seq("a", "b"), Seq("a", "b", "c"), Seq("a", "b"),
--              Seq("a"), Seq()), 2 partitions per batch, mapped with x => (x, 1)
--   op     mapWithState(StateSpec.function(
--            (time: Time, key, value: Option[Int], state: State[Int]) => {
--              val sum = value.getOrElse(0) + state.getOption.getOrElse(0)
--              state.update(sum); None }).initialState(initial))
--   output 0, the mapped data: Seq.fill(7)(Seq.empty[Int])
--   output 1, stateSnapshots():
--            Seq(Seq(("a", 5), ("b", 10), ("c", -20), ("d", 0)),
--                Seq(("a", 6), ("b", 10), ("c", -20), ("d", 0)),
--                Seq(("a", 7), ("b", 11), ("c", -20), ("d", 0)),
--                Seq(("a", 8), ("b", 12), ("c", -19), ("d", 0)),
--                Seq(("a", 9), ("b", 13), ("c", -19), ("d", 0)),
--                Seq(("a", 10), ("b", 13), ("c", -19), ("d", 0)),
--                Seq(("a", 10), ("b", 13), ("c", -19), ("d", 0)))
--   both compared batch by batch as sets (c.toSet === e.toSet), over 7 batches
-- Checks that the initial state RDD seeds the state before the first batch
-- (the first snapshot is the initial state, though the batch has no data),
-- that the function sees and updates it, and that a function returning None
-- (nil here) maps to no record at all.
-- The batch time of Spark's function is unused and dropped (streamlab's
-- function is f(key, value, state)); makeRDD without a slice count takes the
-- default parallelism, 1 under master "local".
--
-- Setup (MapWithStateSuite.getOperationOutput): master "local" (1 core, so
-- default parallelism 1), batch 1 s, ssc.checkpoint(dir), a TestInputStream
-- of 2 partitions per batch. A queueStream would print "queueStream doesn't
-- support checkpointing" (Spark refuses it outright), so each batch's records
-- arrive instead as two files of a textFileStream, sliced as makeRDD(seq, 2)
-- slices them, written half a batch before the batch time that picks them up.
scenario{ name = "spark map_with_state initial states, nothing returned", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 1, ["spark.default.parallelism"] = 1 }
local sc = ssc.sparkContext
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

local initialState = sc:parallelize({ { "a", 5 }, { "b", 10 }, { "c", -20 }, { "d", 0 } })

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
  local output = { key, sum } -- unused, as in Spark's test
  state:update(sum)
  return nil -- None.asInstanceOf[Option[Int]]
end

local mapped = input:map(function(x) return { x, 1 } end)
  :mapWithState(StateSpec.func(mappingFunc):initialState(initialState))
mapped:foreachRDD(function(rdd) rdd:collect() end)
mapped:stateSnapshots():foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = { {}, {}, {}, {}, {}, {}, {} } }

expect{ output = 1, unordered = true, batches = {
  { { "a", 5 }, { "b", 10 }, { "c", -20 }, { "d", 0 } },
  { { "a", 6 }, { "b", 10 }, { "c", -20 }, { "d", 0 } },
  { { "a", 7 }, { "b", 11 }, { "c", -20 }, { "d", 0 } },
  { { "a", 8 }, { "b", 12 }, { "c", -19 }, { "d", 0 } },
  { { "a", 9 }, { "b", 13 }, { "c", -19 }, { "d", 0 } },
  { { "a", 10 }, { "b", 13 }, { "c", -19 }, { "d", 0 } },
  { { "a", 10 }, { "b", 13 }, { "c", -19 }, { "d", 0 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("7500ms")
