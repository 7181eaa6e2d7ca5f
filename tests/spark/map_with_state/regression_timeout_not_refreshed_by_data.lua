-- Regression (a streamlab bug, now fixed), found while porting MapWithStateSuite's "state timing out"
-- (not a case of the suite): with a timeout, a key that gets data keeps its
-- state alive even if the function does not update it. Spark re-puts the state
-- with the batch time (MapWithStateRDDRecord.updateRecordWithData:
--   else if (wrappedState.isUpdated
--       || (wrappedState.exists && timeoutThresholdTime.isDefined)) {
--     newStateMap.put(key, wrappedState.get(), batchTime.milliseconds) }).
-- streamlab only refreshes the time on update(), so the key times out while
-- it still gets data, even in the batch of that data.
-- Input: "a" in every batch, 1 s to 10 s; the function sets the state once
-- (update(1) when absent), then leaves it; timeout 3 s; the full scan is at
-- 10 s (10 batches, the default checkpoint interval), cutoff 7000 ms.
--   Spark: a's time is 10000 ms at 10 s: no timeout. Outputs:
--     output 0: {"a"} in every batch        output 1: {("a", 1)} in every batch
--   streamlab at 10 s: output 0 {"a", "a timed out"}, output 1 {} (a's time
--     stayed 1000 ms, its update)
scenario{ name = "bug: mapWithState timeout not refreshed by data", seed = 1, duration = "15s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 1, ["spark.default.parallelism"] = 1 }
ssc:checkpoint("checkpoint")
for i = 1, 10 do
  files{ dir = "input", name = string.format("batch-%02d", i), at = string.format("%dms", i * 1000 - 500), lines = { "a" } }
end

local function mappingFunc(key, value, state)
  if state:isTimingOut() then return key .. " timed out" end
  if not state:exists() then state:update(1) end
  return key
end

local mapped = ssc:textFileStream("input"):map(function(x) return { x, 1 } end)
  :mapWithState(StateSpec.func(mappingFunc):timeout("3s"))
mapped:foreachRDD(function(rdd) rdd:collect() end)
mapped:stateSnapshots():foreachRDD(function(rdd) rdd:collect() end)

local outputs, snapshots = {}, {}
for t = 1, 10 do
  outputs[t] = { "a" }
  snapshots[t] = { { "a", 1 } }
end
expect{ output = 0, unordered = true, batches = outputs }
expect{ output = 1, unordered = true, batches = snapshots }

ssc:start()
ssc:awaitTerminationOrTimeout("10500ms")
