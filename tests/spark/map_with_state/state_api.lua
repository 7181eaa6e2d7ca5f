-- Spark: MapWithStateSuite, test("state - get, exists, update, remove, ").
--   Spark drives a StateImpl[Int] by hand and asserts, after each step:
--     new StateImpl / wrap(None)  !exists, get() throws NoSuchElementException,
--                                 !isTimingOut
--     wrap(Some(1))               exists, get() === 1, !isTimingOut
--     update(2)                   exists, get() === 2
--     remove()                    !exists, get() throws; remove() and update(-1)
--                                 throw IllegalArgumentException
--     wrapTimingOutState(3)       exists, get() === 3, isTimingOut; remove() and
--                                 update(-1) throw IllegalArgumentException
--   (isUpdated and isRemoved are StateImpl internals, not in State's API, so
--   they are not observed here.)
-- streamlab's State exists only inside a mapWithState function, so the same
-- steps are taken there, on the states the engine wraps, and each call maps
-- to what it saw: {exists(), get() or its error, isTimingOut()} after each
-- step, and the message of each call that must fail (caught with pcall; the
-- "file:line: " prefix is dropped). Input, one "key=value" line each:
--   batch 1 s  "a=1", "b=3"   both new (wrap(None)); each is set to its value
--   batch 2 s  "a=2"          a wraps Some(1); update(2); remove(); remove()
--                             and update(-1) fail
--   batches 3 s to 10 s: none. With timeout 3 s, b (last set at 1 s) times out
--   in the first full-scan batch, 10 s (the internal stream's checkpoint
--   interval, 10 batches): the function gets value nil and a state wrapped
--   as timing out with 3; remove() and update(-1) fail.
--   output 0, what each call saw; output 1, stateSnapshots():
--   {(a,1), (b,3)} at 1 s, {(b,3)} from 2 s to 9 s, none at 10 s
-- Setup as MapWithStateSuite's (master "local": default parallelism 1;
-- batch 1 s; ssc.checkpoint(dir)), with a textFileStream for the input.
scenario{ name = "spark map_with_state state get, exists, update, remove", seed = 1, duration = "15s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 1, ["spark.default.parallelism"] = 1 }
ssc:checkpoint("checkpoint")
files{ dir = "input", name = "batch-01-part-0", at = "500ms", lines = { "a=1" } }
files{ dir = "input", name = "batch-01-part-1", at = "500ms", lines = { "b=3" } }
files{ dir = "input", name = "batch-02-part-0", at = "1500ms", lines = {} }
files{ dir = "input", name = "batch-02-part-1", at = "1500ms", lines = { "a=2" } }

local function message(err) return (tostring(err):gsub("^[^:]*:%d+: ", "")) end

-- what testState checks: exists, get (or its error), isTimingOut
local function observe(state)
  local ok, got = pcall(state.get, state)
  return { state:exists(), ok and got or message(got), state:isTimingOut() }
end

-- the error of a call that must fail ("no error" if it did not)
local function fails(f, ...)
  local ok, err = pcall(f, ...)
  return ok and "no error" or message(err)
end

local function mappingFunc(key, value, state)
  if value == nil then -- wrapTimingOutState(3)
    return { key, observe(state), fails(state.remove, state), fails(state.update, state, -1) }
  elseif not state:exists() then -- new StateImpl, wrap(None)
    local seen = { key, observe(state) }
    state:update(value)
    return seen
  else -- wrap(Some(1)), update(2), remove()
    local seen = { key, observe(state) }
    state:update(value)
    table.insert(seen, observe(state))
    state:remove()
    table.insert(seen, observe(state))
    table.insert(seen, fails(state.remove, state))
    table.insert(seen, fails(state.update, state, -1))
    return seen
  end
end

local mapped = ssc:textFileStream("input")
  :map(function(line) local kv = line:split("=") return { kv[1], math.tointeger(tonumber(kv[2])) } end)
  :mapWithState(StateSpec.func(mappingFunc):timeout("3s"))
mapped:foreachRDD(function(rdd) rdd:collect() end)
mapped:stateSnapshots():foreachRDD(function(rdd) rdd:collect() end)

local NOT_SET = "State is not set"
local outputs = {
  { { "a", { false, NOT_SET, false } }, { "b", { false, NOT_SET, false } } },
  { { "a", { true, 1, false }, { true, 2, false }, { false, NOT_SET, false },
      "requirement failed: Cannot remove the state that has already been removed",
      "requirement failed: Cannot update the state after it has been removed" } },
}
local snapshots = { { { "a", 1 }, { "b", 3 } } }
for t = 3, 9 do outputs[t] = {} end
for t = 2, 9 do snapshots[t] = { { "b", 3 } } end
outputs[10] = { { "b", { true, 3, true },
  "requirement failed: Cannot remove the state that is timing out",
  "requirement failed: Cannot update the state that is timing out" } }
snapshots[10] = {}

expect{ output = 0, unordered = true, batches = outputs }
expect{ output = 1, unordered = true, batches = snapshots }
expect{ events = { checkpoint_write = 1 } } -- the full-scan batch, 10 s

ssc:start()
ssc:awaitTerminationOrTimeout("10500ms")
