-- Spark: MapWithStateSuite, test("mapWithState - driver failure recovery").
--   input  Seq(Seq(), Seq("a"), Seq("a", "b"), Seq("a", "b", "c"), Seq("a", "b"),
--              Seq("a"), Seq()), 2 partitions per batch
--   op     dstream.map { _ -> 1 }.mapWithState(StateSpec.function(
--            (key, value: Option[Int], state: State[Int]) => {
--              state.update(state.getOption().getOrElse(0) + value.getOrElse(0))
--              state.get() }))
--          .checkpoint(batchDuration * (7 / 2)), i.e. every 3 s, then
--          .stateSnapshots(), printed and collected
--   output Seq(Seq(), Seq(("a", 1)), Seq(("a", 2), ("b", 1)),
--              Seq(("a", 3), ("b", 2), ("c", 1)), Seq(("a", 4), ("b", 3), ("c", 1)),
--              Seq(("a", 5), ("b", 3), ("c", 1)), Seq(("a", 5), ("b", 3), ("c", 1))),
--          compared batch by batch as sets
-- Spark's testCheckpointedOperation runs 3 batches, stops the context, makes
-- a new one from the checkpoint directory (new StreamingContext(checkpointDir))
-- and runs the 4 others, the last batch before the stop running again. Here
-- the driver crashes 1 ms into batch 3000 (pending in its checkpoint) and
-- restarts 499 ms later through StreamingContext.getOrCreate: batch 3000 is
-- generated again from the files it had, the state from the file stream's
-- remembered batches (no data checkpoint was done yet), then the rest. The
-- expected output is Spark's, batch by batch, each batch once.
-- Setup as DStreamCheckpointTester's: master "local" (default parallelism 1),
-- batch 1 s, ssc.checkpoint(dir), a TestInputStream of 2 partitions per batch
-- (here two files of a textFileStream per batch: a queueStream cannot be
-- checkpointed).
scenario{ name = "spark map_with_state driver failure recovery", seed = 1, duration = "10s" }
faults{ { at = "3001ms", crash = "driver", restart_after = "499ms" } }

local ssc = StreamingContext.getOrCreate("checkpoint", function()
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

local inputData = {
  {},
  { "a" },
  { "a", "b" },
  { "a", "b", "c" },
  { "a", "b" },
  { "a" },
  {},
}
local input = testInputStream("input", inputData)

local function runningCount(key, value, state)
  state:update((state:exists() and state:get() or 0) + (value or 0))
  return state:get()
end

local checkpointDuration = string.format("%ds", 1 * (#inputData // 2)) -- batchDuration * (stateData.size / 2)
local mapWithStateStream = input:map(function(x) return { x, 1 } end):mapWithState(StateSpec.func(runningCount))
mapWithStateStream:checkpoint(checkpointDuration)
local operated = mapWithStateStream:stateSnapshots()
operated:print()                                     -- output 0
operated:foreachRDD(function(rdd) rdd:collect() end) -- output 1, TestOutputStreamWithPartitions
return ssc
end)

expect{ output = 1, unordered = true, batches = {
  {},
  { { "a", 1 } },
  { { "a", 2 }, { "b", 1 } },
  { { "a", 3 }, { "b", 2 }, { "c", 1 } },
  { { "a", 4 }, { "b", 3 }, { "c", 1 } },
  { { "a", 5 }, { "b", 3 }, { "c", 1 } },
  { { "a", 5 }, { "b", 3 }, { "c", 1 } },
} }
expect{ events = { checkpoint_write = 2, recovery_phase = 1 } }

ssc:start()
ssc:awaitTerminationOrTimeout("7500ms")
