-- Spark: MapWithStateSuite, test("mapWithState - state timing out").
--   input  Seq(Seq("a", "b", "c"), Seq("a", "b"), Seq("a"),
--              Seq(),    // c will time out
--              Seq(),    // b will time out
--              Seq("a")  // a will not time out
--          ) ++ Seq.fill(20)(Seq("a")), 2 partitions per batch, mapped with x => (x, 1);
--          getOperationOutput runs 20 batches, so batches 21 to 26 never run
--   op     mapWithState(StateSpec.function(
--            (time: Time, key, value: Option[Int], state: State[Int]) => {
--              if (value.isDefined) state.update(1)
--              if (state.isTimingOut) Some(key) else None }).timeout(Seconds(3)))
--   Spark asserts, over the 20 batches:
--     collectedOutputs.flatten.sorted === Seq("b", "c")
--     collectedStateSnapshots.exists(_.toSet == Set(("a", 1), ("b", 1), ("c", 1)))
--     collectedStateSnapshots.last.toSet === Set(("a", 1))
--   Here they are written out batch by batch, as Spark's rules give them:
--   - a state's time is the batch that last updated it (b: 2 s, c: 1 s; a
--     every batch from 6 s on);
--   - timed-out states are only looked for in a full-scan batch, which is a
--     checkpoint batch of the internal state stream (MapWithStateRDD.checkpoint
--     sets doFullScan); its interval is 10 x the batch (InternalMapWithStateDStream,
--     DEFAULT_CHECKPOINT_DURATION_MULTIPLIER), so batches 10 s and 20 s;
--   - there, a state older than batch time - 3 s (getByTime: time < 7000 ms at
--     10 s) is timing out: the function is called once more with no value, its
--     result is mapped, and the state is removed.
--   output 0, the mapped data: no record but in batch 10 s, ("b", "c")
--   output 1, stateSnapshots(): {(a,1), (b,1), (c,1)} in batches 1 s to 9 s
--          (b and c have timed out since 6 s and 5 s, but stay until the full
--          scan), then {(a,1)} in batches 10 s to 20 s
--   both compared batch by batch as sets, over 20 batches; and the internal
--   stream's data checkpoints, the full-scan batches: 2 checkpoint_write events
-- Checks the timeout, its checkpoint-interval rule, and that a timing-out
-- key gets one last call (value nil, state:isTimingOut() true) whose result
-- is mapped. The batch time of Spark's function is unused and dropped.
--
-- Setup (MapWithStateSuite.getOperationOutput): master "local" (1 core, so
-- default parallelism 1), batch 1 s, ssc.checkpoint(dir), a TestInputStream
-- of 2 partitions per batch. A queueStream would print "queueStream doesn't
-- support checkpointing" (Spark refuses it outright), so each batch's records
-- arrive instead as two files of a textFileStream, sliced as makeRDD(seq, 2)
-- slices them, written half a batch before the batch time that picks them up.
scenario{ name = "spark map_with_state state timing out", seed = 1, duration = "30s" }

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
  { "a", "b", "c" },
  { "a", "b" },
  { "a" },
  {},      -- c will time out
  {},      -- b will time out
  { "a" }, -- a will not time out
}
for _ = 1, 20 do table.insert(inputData, { "a" }) end -- a will continue to stay active
local input = testInputStream("input", inputData)

local function mappingFunc(key, value, state)
  if value ~= nil then -- value.isDefined
    state:update(1)
  end
  if state:isTimingOut() then
    return key -- Some(key)
  else
    return nil -- None
  end
end

local mapped = input:map(function(x) return { x, 1 } end)
  :mapWithState(StateSpec.func(mappingFunc):timeout("3s"))
mapped:foreachRDD(function(rdd) rdd:collect() end)
mapped:stateSnapshots():foreachRDD(function(rdd) rdd:collect() end)

local outputs, snapshots = {}, {}
for t = 1, 20 do
  outputs[t] = t == 10 and { "b", "c" } or {}
  snapshots[t] = t < 10 and { { "a", 1 }, { "b", 1 }, { "c", 1 } } or { { "a", 1 } }
end
expect{ output = 0, unordered = true, batches = outputs }
expect{ output = 1, unordered = true, batches = snapshots }
expect{ events = { checkpoint_write = 2 } } -- the full-scan batches, 10 s and 20 s

ssc:start()
ssc:awaitTerminationOrTimeout("20500ms") -- 20 batches
