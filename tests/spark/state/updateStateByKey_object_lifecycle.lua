-- Spark: BasicOperationsSuite, test("updateStateByKey - object lifecycle").
--   input  Seq(Seq("a", "b"), null, Seq("a", "c", "a"), Seq("c"), null, null),
--          2 partitions per batch; TestInputStream gives no RDD for a null
--   op     // updateFunc clears a state when a StateObject is seen without new values twice in a row
--          val updateFunc = (values: Seq[Int], state: Option[StateObject]) => {
--            val stateObj = state.getOrElse(new StateObject)
--            values.sum match {
--              case 0 => stateObj.expireCounter += 1 // no new values
--              case n => // has new values, increment and reset expireCounter
--                stateObj.counter += n
--                stateObj.expireCounter = 0
--            }
--            stateObj.expireCounter match {
--              case 2 => None // seen twice with no new values, give it the boot
--              case _ => Option(stateObj)
--            }
--          }
--          s.map(x => (x, 1)).updateStateByKey[StateObject](updateFunc).mapValues(_.counter)
--   output Seq(
--            Seq(("a", 1), ("b", 1)),
--            Seq(("a", 1), ("b", 1)),
--            Seq(("a", 3), ("c", 1)),
--            Seq(("a", 3), ("c", 2)),
--            Seq(("c", 2)),
--            Seq()),
--          as sets (useSet = true); 6 batches (numBatches = expectedOutput.size)
-- Checks that a state is removed when the update function returns None
-- (nil here), and that a key without new values still gets the call.
-- A null batch is written as an empty one: the input here always has an
-- RDD for a batch (see ../basic_operations/union_none.lua). For
-- updateStateByKey the two are the same: with no parent RDD,
-- StateDStream.compute calls the update function on every state with no
-- values, which is what the cogroup of an empty batch with the states
-- gives. StateObject (counter, expireCounter) is the list
-- { counter, expireCounter }.
-- ssc:checkpoint: as Spark's TestSuiteBase; updateStateByKey needs it.
scenario{ name = "spark state updateStateByKey - object lifecycle", seed = 1, duration = "20s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
ssc:checkpoint("checkpoint") -- TestSuiteBase.checkpointDir

-- Spark's TestInputStream(ssc, input, numPartitions): batch i (at i s) gets
-- input[i], sliced in numPartitions as makeRDD slices a Seq. With a
-- checkpoint directory a queueStream warns "queueStream doesn't support
-- checkpointing" (as Spark's QueueInputDStream logs), so each slice arrives
-- instead as a file of a textFileStream, written half a batch before its
-- batch time, one record a line.
local function testInputStream(dir, input, numPartitions)
  for i, batch in ipairs(input) do
    for p = 0, numPartitions - 1 do
      local lines = {}
      for j = p * #batch // numPartitions + 1, (p + 1) * #batch // numPartitions do
        lines[#lines + 1] = batch[j]
      end
      files{ dir = dir, name = string.format("batch-%02d-part-%d", i, p),
             at = string.format("%dms", i * 1000 - 500), lines = lines }
    end
  end
  return ssc:textFileStream(dir)
end

local input = testInputStream("input", {
  { "a", "b" },
  {}, -- null
  { "a", "c", "a" },
  { "c" },
  {}, -- null
  {}, -- null
}, 2)

local COUNTER, EXPIRE = 1, 2

-- updateFunc clears a state when a StateObject is seen without new values twice in a row
local function updateFunc(values, state)
  local stateObj = state or { 0, 0 } -- new StateObject
  local n = 0
  for _, v in ipairs(values) do n = n + v end
  if n == 0 then
    stateObj[EXPIRE] = stateObj[EXPIRE] + 1 -- no new values
  else -- has new values, increment and reset expireCounter
    stateObj[COUNTER] = stateObj[COUNTER] + n
    stateObj[EXPIRE] = 0
  end
  if stateObj[EXPIRE] == 2 then return nil end -- seen twice with no new values, give it the boot
  return stateObj
end

input:map(function(x) return { x, 1 } end)
  :updateStateByKey(updateFunc)
  :mapValues(function(o) return o[COUNTER] end)
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 1 }, { "b", 1 } },
  { { "a", 1 }, { "b", 1 } },
  { { "a", 3 }, { "c", 1 } },
  { { "a", 3 }, { "c", 2 } },
  { { "c", 2 } },
  {},
} }

ssc:start()
ssc:awaitTerminationOrTimeout("6500ms")
