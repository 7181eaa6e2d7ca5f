-- Regression (a streamlab bug, now fixed), found while porting MapWithStateSuite's "initial states"
-- (not a case of the suite): the initial states take the time of the first
-- batch, so their timeout counts from there. Spark builds the first state RDD
-- with MapWithStateRDD.createFromPairRDD(initialStateRDD, partitioner, validTime),
-- which puts every initial state with updateTime = the first batch's time
-- (InternalMapWithStateDStream.compute); streamlab gives them time 0.
-- Initial state ("i", 7), no input, timeout 9.5 s; the full scan is at 10 s
-- (10 batches, the default checkpoint interval), cutoff 500 ms.
--   Spark: i's time is 1000 ms, not before the cutoff: no timeout. Outputs:
--     output 0: {} in every batch      output 1: {("i", 7)} in every batch
--   streamlab at 10 s: output 0 {"i timed out"}, output 1 {} (i's time is 0)
scenario{ name = "bug: mapWithState initial state time", seed = 1, duration = "15s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 1, ["spark.default.parallelism"] = 1 }
ssc:checkpoint("checkpoint")

local function mappingFunc(key, value, state)
  return key .. " timed out" -- only called when timing out: there is no data
end

local mapped = ssc:textFileStream("input"):map(function(x) return { x, 1 } end)
  :mapWithState(StateSpec.func(mappingFunc):initialState({ { "i", 7 } }):timeout("9500ms"))
mapped:foreachRDD(function(rdd) rdd:collect() end)
mapped:stateSnapshots():foreachRDD(function(rdd) rdd:collect() end)

local outputs, snapshots = {}, {}
for t = 1, 10 do
  outputs[t] = {}
  snapshots[t] = { { "i", 7 } }
end
expect{ output = 0, unordered = true, batches = outputs }
expect{ output = 1, unordered = true, batches = snapshots }

ssc:start()
ssc:awaitTerminationOrTimeout("10500ms")
