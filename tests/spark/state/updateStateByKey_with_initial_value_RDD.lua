-- Spark: BasicOperationsSuite, test("updateStateByKey - with initial value RDD").
--   input  Seq(Seq("a"), Seq("a", "b"), Seq("a", "b", "c"), Seq("a", "b"), Seq("a"), Seq()),
--          2 partitions per batch
--   op     val initialRDD = s.context.sparkContext.makeRDD(Seq(("a", 1), ("c", 2)))
--          val updateFunc = (values: Seq[Int], state: Option[Int]) =>
--            Some(values.sum + state.getOrElse(0))
--          val newUpdateFunc = (iterator: Iterator[(String, Seq[Int], Option[Int])]) =>
--            iterator.flatMap(t => updateFunc(t._2, t._3).map(s => (t._1, s)))
--          s.map(x => (x, 1)).updateStateByKey[Int](newUpdateFunc,
--            new HashPartitioner(numInputPartitions), true, initialRDD)
--          (numInputPartitions = 2; rememberPartitioner = true)
--   output the same as "updateStateByKey - simple with initial value RDD":
--          Seq(
--            Seq(("a", 2), ("c", 2)),
--            Seq(("a", 3), ("b", 1), ("c", 2)),
--            Seq(("a", 4), ("b", 2), ("c", 3)),
--            Seq(("a", 5), ("b", 3), ("c", 3)),
--            Seq(("a", 6), ("b", 3), ("c", 3)),
--            Seq(("a", 6), ("b", 3), ("c", 3))),
--          as sets (useSet = true); 6 batches (numBatches = expectedOutput.size)
-- Checks the initial RDD through Spark's iterator form of the update
-- function. streamlab (as PySpark) has only the per-key form f(values,
-- state); newUpdateFunc applies updateFunc to each (key, values, state) and
-- keeps the key when it returns Some, which is what the per-key form does
-- (nil drops the key), so updateFunc is passed as it is. rememberPartitioner
-- = true (keep the partitioner of the state RDDs) has nothing to change here:
-- every state RDD is made by the same HashPartitioner(2).
-- ssc:checkpoint: as Spark's TestSuiteBase; updateStateByKey needs it.
scenario{ name = "spark state updateStateByKey - with initial value RDD", seed = 1, duration = "20s" }

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

local initialRDD = sc:parallelize({ { "a", 1 }, { "c", 2 } })

local function updateFunc(values, state)
  local sum = 0
  for _, v in ipairs(values) do sum = sum + v end
  return sum + (state or 0) -- Some(values.sum + state.getOrElse(0))
end

input:map(function(x) return { x, 1 } end)
  :updateStateByKey(updateFunc, 2, initialRDD)
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 2 }, { "c", 2 } },
  { { "a", 3 }, { "b", 1 }, { "c", 2 } },
  { { "a", 4 }, { "b", 2 }, { "c", 3 } },
  { { "a", 5 }, { "b", 3 }, { "c", 3 } },
  { { "a", 6 }, { "b", 3 }, { "c", 3 } },
  { { "a", 6 }, { "b", 3 }, { "c", 3 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("6500ms")
