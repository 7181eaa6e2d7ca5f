-- Spark: WindowOperationsSuite, test("countByValueAndWindow").
--   input  Seq(Seq("a"), Seq("b", "b"), Seq("a", "b")), 2 partitions per batch
--   op     s.countByValueAndWindow(Seconds(2), Seconds(1)).map(x => (x._1, x._2.toInt))
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 3 * 1 = 3 batches of 1 s
--   output Seq(Seq(("a", 1)), Seq(("a", 1), ("b", 2)), Seq(("a", 1), ("b", 3))),
--          as sets (useSet = true)
-- Checks that countByValueAndWindow counts each distinct value over the window.
-- ssc:checkpoint: it reduces with an inverse, which needs it (as Spark's
-- TestSuiteBase sets).
scenario{ name = "spark window_operations countByValueAndWindow", seed = 1, duration = "20s" }

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
  { "a" },
  { "b", "b" },
  { "a", "b" },
}, 2)

input:countByValueAndWindow("2s", "1s")
  :map(function(x) return { x[1], x[2] } end) -- (x._1, x._2.toInt)
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 1 } },
  { { "a", 1 }, { "b", 2 } },
  { { "a", 1 }, { "b", 3 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("3500ms")
