-- Spark: State.remove() on a state already removed fails its requirement:
-- IllegalArgumentException("requirement failed: Cannot remove the state that
-- has already been removed") (StateImpl.remove; MapWithStateSuite,
-- test("state - get, exists, update, remove, "): after state.remove(),
-- intercept[IllegalArgumentException] { state.remove() }).
-- Here the mapping function sets the state in the first batch, then removes
-- it twice in the second: the task fails with that message, naming this file
-- and the line of the call, and the run stops with exit 2
-- (see tests/cli/test_spark_state.c).
scenario{ name = "spark map_with_state remove twice", seed = 1, duration = "5s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 1, ["spark.default.parallelism"] = 1 }
ssc:checkpoint("checkpoint")
files{ dir = "input", name = "batch-01", at = "500ms", lines = { "a" } }
files{ dir = "input", name = "batch-02", at = "1500ms", lines = { "a" } }

local function mappingFunc(key, value, state)
  if not state:exists() then
    state:update(value)
  else
    state:remove()
    state:remove() -- requirement failed
  end
  return key
end

local mapped = ssc:textFileStream("input"):map(function(x) return { x, 1 } end):mapWithState(StateSpec.func(mappingFunc))
mapped:foreachRDD(function(rdd) rdd:collect() end)

ssc:start()
ssc:awaitTerminationOrTimeout("3500ms")
