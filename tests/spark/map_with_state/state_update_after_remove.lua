-- Spark: State.update() after State.remove() in the same call fails its
-- requirement: IllegalArgumentException("requirement failed: Cannot update the
-- state after it has been removed") (StateImpl.update; MapWithStateSuite,
-- test("state - get, exists, update, remove, "): after state.remove(),
-- intercept[IllegalArgumentException] { state.update(-1) }).
-- Here the mapping function updates, removes, then updates the state again,
-- in the first batch: the task fails with that message, naming this file and
-- the line of the call, and the run stops with exit 2
-- (see tests/cli/test_spark_state.c).
scenario{ name = "spark map_with_state update after remove", seed = 1, duration = "5s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 1, ["spark.default.parallelism"] = 1 }
ssc:checkpoint("checkpoint")
files{ dir = "input", name = "batch-01", at = "500ms", lines = { "a" } }

local function mappingFunc(key, value, state)
  state:update(value)
  state:remove()
  state:update(-1) -- requirement failed
  return key
end

local mapped = ssc:textFileStream("input"):map(function(x) return { x, 1 } end):mapWithState(StateSpec.func(mappingFunc))
mapped:foreachRDD(function(rdd) rdd:collect() end)

ssc:start()
ssc:awaitTerminationOrTimeout("2500ms")
