-- Spark: mapWithState needs a checkpoint directory. Without
-- ssc.checkpoint(dir), StreamingContext.start() fails in
-- DStream.validateAtStart with IllegalArgumentException("requirement failed:
-- The checkpoint directory has not been set. Please set it by
-- StreamingContext.checkpoint().") (MapWithStateSuite's getOperationOutput
-- always sets it; this is the rule it follows.)
-- Here the program is basic_simple_api.lua's without ssc:checkpoint: the
-- start fails with that message, naming the line of ssc:start() and the line
-- of the mapWithState call that made the stream, and the run stops with
-- exit 2 (see tests/cli/test_spark_state.c).
scenario{ name = "spark map_with_state without a checkpoint directory", seed = 1, duration = "5s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 1, ["spark.default.parallelism"] = 1 }
files{ dir = "input", name = "batch-01", at = "500ms", lines = { "a" } }

local function mappingFunc(key, value, state)
  local sum = (value or 0) + (state:exists() and state:get() or 0)
  state:update(sum)
  return sum
end

local mapped = ssc:textFileStream("input"):map(function(x) return { x, 1 } end):mapWithState(StateSpec.func(mappingFunc))
mapped:foreachRDD(function(rdd) rdd:collect() end)
mapped:stateSnapshots():foreachRDD(function(rdd) rdd:collect() end)

ssc:start()
ssc:awaitTerminationOrTimeout("2500ms")
