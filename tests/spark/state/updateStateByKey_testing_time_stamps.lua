-- Spark: BasicOperationsSuite, test("updateStateByKey - testing time stamps as input").
--   input  Seq(Seq("a"), Seq("a", "b"), Seq("a", "b", "c"), Seq("a", "b"), Seq("a"), Seq()),
--          2 partitions per batch
--   op     val initialRDD = s.context.sparkContext.makeRDD(Seq(("a", 0L), ("c", 0L)))
--          val updateFunc = (time: Time, key: String, values: Seq[Int],
--                            state: Option[Long]) =>
--            // Update only if we receive values for this key during the batch.
--            if (values.nonEmpty) Option(time.milliseconds + state.getOrElse(0L))
--            else Option(state.getOrElse(0L))
--          s.map(x => (x, 1)).updateStateByKey[Long](updateFunc = updateFunc,
--            partitioner = new HashPartitioner(numInputPartitions),
--            rememberPartitioner = false, initialRDD = Option(initialRDD))
--   output (a -> 1000, 3000, 6000, 10000, 15000, 15000;
--           b -> 0, 2000, 5000, 9000, 9000, 9000;
--           c -> 1000, 1000, 3000, 3000, 3000, 3000, as Spark's comment has it;
--           c's state stays 0 until "c" arrives at 3000 ms)
--          Seq(
--            Seq(("a", 1000L), ("c", 0L)),                 // t = 1000
--            Seq(("a", 3000L), ("b", 2000L), ("c", 0L)),   // t = 2000
--            Seq(("a", 6000L), ("b", 5000L), ("c", 3000L)), // t = 3000
--            Seq(("a", 10000L), ("b", 9000L), ("c", 3000L)), // t = 4000
--            Seq(("a", 15000L), ("b", 9000L), ("c", 3000L)), // t = 5000
--            Seq(("a", 15000L), ("b", 9000L), ("c", 3000L))), // t = 6000
--          as sets (useSet = true); 6 batches (numBatches = expectedOutput.size)
-- Checks the update function with the batch time and the key: streamlab
-- passes f(time_ms, key, values, state) when f has four parameters.
-- rememberPartitioner = false changes nothing here (every state RDD is made
-- by the same HashPartitioner(2)).
-- ssc:checkpoint: as Spark's TestSuiteBase; updateStateByKey needs it.
-- KNOWN BUG (streamlab): each batch computes the previous batch's state RDD
-- again, and that recomputation calls the update function with the running
-- batch's time instead of the state RDD's own time, so from 2000 ms on the
-- run gives a -> 1000, 4000, 8000, 13000, 19000, 20000 and
-- b -> 2000, 6000, 11000, 12000, 12000. Smallest case:
-- bug_update_state_time.lua. The test in tests/cli/test_spark_windows.c is
-- disabled until the engine is fixed.
scenario{ name = "spark state updateStateByKey - testing time stamps as input", seed = 1, duration = "20s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext
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
  { "a" },
  { "a", "b" },
  { "a", "b", "c" },
  { "a", "b" },
  { "a" },
  {},
}, 2)

local initialRDD = sc:parallelize({ { "a", 0 }, { "c", 0 } })

local function updateFunc(time, key, values, state)
  -- Update only if we receive values for this key during the batch.
  if #values > 0 then
    return time + (state or 0)
  else
    return state or 0
  end
end

input:map(function(x) return { x, 1 } end)
  :updateStateByKey(updateFunc, 2, initialRDD)
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 1000 }, { "c", 0 } },
  { { "a", 3000 }, { "b", 2000 }, { "c", 0 } },
  { { "a", 6000 }, { "b", 5000 }, { "c", 3000 } },
  { { "a", 10000 }, { "b", 9000 }, { "c", 3000 } },
  { { "a", 15000 }, { "b", 9000 }, { "c", 3000 } },
  { { "a", 15000 }, { "b", 9000 }, { "c", 3000 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("6500ms")
