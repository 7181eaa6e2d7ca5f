-- Spark: State.get() on a state that does not exist throws
-- NoSuchElementException("State is not set") (StateImpl.get; MapWithStateSuite,
-- test("state - get, exists, update, remove, "): intercept[NoSuchElementException]).
-- Here the mapping function calls state:get() for a key it sees for the first
-- time, in the first batch: the task fails with that message, naming this file
-- and the line of the call, and the run stops with exit 2
-- (see tests/cli/test_spark_state.c).
scenario{ name = "spark map_with_state get on an absent state", seed = 1, duration = "5s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 1, ["spark.default.parallelism"] = 1 }
ssc:checkpoint("checkpoint")
files{ dir = "input", name = "batch-01", at = "500ms", lines = { "a" } }

local function mappingFunc(key, value, state)
  return state:get() + value -- no state for "a" yet
end

local mapped = ssc:textFileStream("input"):map(function(x) return { x, 1 } end):mapWithState(StateSpec.func(mappingFunc))
mapped:foreachRDD(function(rdd) rdd:collect() end)

ssc:start()
ssc:awaitTerminationOrTimeout("2500ms")
