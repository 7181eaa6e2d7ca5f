-- Spark: BasicOperationsSuite, test("updateStateByKey - simple with initial value RDD").
--   input  Seq(Seq("a"), Seq("a", "b"), Seq("a", "b", "c"), Seq("a", "b"), Seq("a"), Seq()),
--          2 partitions per batch
--   op     val initialRDD = s.context.sparkContext.makeRDD(Seq(("a", 1), ("c", 2)))
--          val updateFunc = (values: Seq[Int], state: Option[Int]) =>
--            Some(values.sum + state.getOrElse(0))
--          s.map(x => (x, 1)).updateStateByKey[Int](updateFunc,
--            new HashPartitioner(numInputPartitions), initialRDD)   (numInputPartitions = 2)
--   output Seq(
--            Seq(("a", 2), ("c", 2)),
--            Seq(("a", 3), ("b", 1), ("c", 2)),
--            Seq(("a", 4), ("b", 2), ("c", 3)),
--            Seq(("a", 5), ("b", 3), ("c", 3)),
--            Seq(("a", 6), ("b", 3), ("c", 3)),
--            Seq(("a", 6), ("b", 3), ("c", 3))),
--          as sets (useSet = true); 6 batches (numBatches = expectedOutput.size)
-- Checks that the initial RDD is the state before the first batch: "a"
-- starts at 1, "c" at 2 and is in the output from the first batch on,
-- before any "c" arrives. makeRDD without numSlices slices by the default
-- parallelism (2), as sc:parallelize does without it.
-- ssc:checkpoint: as Spark's TestSuiteBase; updateStateByKey needs it.
scenario{ name = "spark state updateStateByKey - simple with initial value RDD", seed = 1, duration = "20s" }

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
