-- Regression (a streamlab bug, now fixed), found by porting MapWithStateSuite (initial states, state
-- removing, state timing out): a mapping function that returns nil (Spark's
-- None from a function returning Option[T]) must map to no record; streamlab
-- puts a nil record in the mapped stream.
-- Spark: MapWithStateRDDRecord.updateRecordWithData does
--   mappedData ++= returned   (returned: Option[E]; None adds nothing)
-- Input: "a" in batch 1 s; the function returns nil.
--   expected output 0: {} (no record)     streamlab gives {nil}, shown [null]
--   expected output 1, stateSnapshots(): {("a", 1)}
scenario{ name = "bug: mapWithState None maps to a record", seed = 1, duration = "5s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 1, ["spark.default.parallelism"] = 1 }
ssc:checkpoint("checkpoint")
files{ dir = "input", name = "batch-01", at = "500ms", lines = { "a" } }

local function mappingFunc(key, value, state)
  state:update(value)
  return nil -- None
end

local mapped = ssc:textFileStream("input"):map(function(x) return { x, 1 } end):mapWithState(StateSpec.func(mappingFunc))
mapped:foreachRDD(function(rdd) rdd:collect() end)
mapped:stateSnapshots():foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, batches = { {} } }
expect{ output = 1, batches = { { { "a", 1 } } } }

ssc:start()
ssc:awaitTerminationOrTimeout("1500ms")
