-- Spark: WindowOperationsSuite, testReduceByKeyAndWindowWithInverse(
--     "key removed from window", ...),
--   i.e. test("reduceByKeyAndWindow with inverse function - key removed from window").
--   input  Seq(Seq(("a", 1)), Seq(("a", 1)), Seq(), Seq()),
--          2 partitions per batch
--   op     s.reduceByKeyAndWindow(_ + _, _ - _, Seconds(2), Seconds(1))
--            .checkpoint(Seconds(100))   (window, slide: the defaults)
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 4 * 1 = 4 batches of 1 s
--   output Seq(Seq(("a", 1)), Seq(("a", 2)), Seq(("a", 1)), Seq(("a", 0))),
--          as sets (useSet = true)
-- Checks that a key leaves the window with its batches: the inverse
-- function subtracts them and the key stays with value 0 (no filterFunc).
-- ssc:checkpoint: Spark's TestSuiteBase sets the checkpoint directory, and
-- the inverse function needs it.
scenario{ name = "spark window_operations reduceByKeyAndWindow_inv_key_removed", seed = 1, duration = "20s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
ssc:checkpoint("checkpoint") -- TestSuiteBase.checkpointDir

-- Spark's TestInputStream(ssc, input, numPartitions): batch i (at i s) gets
-- input[i], sliced in numPartitions as makeRDD slices a Seq. With a
-- checkpoint directory a queueStream warns "queueStream doesn't support
-- checkpointing" (as Spark's QueueInputDStream logs), so each slice arrives
-- instead as a file of a textFileStream, written half a batch before its
-- batch time, one record a line ("key value" for a pair), parsed back.
local function testInputStream(dir, input, numPartitions)
  for i, batch in ipairs(input) do
    for p = 0, numPartitions - 1 do
      local lines = {}
      for j = p * #batch // numPartitions + 1, (p + 1) * #batch // numPartitions do
        lines[#lines + 1] = batch[j][1] .. " " .. batch[j][2]
      end
      files{ dir = dir, name = string.format("batch-%02d-part-%d", i, p),
             at = string.format("%dms", i * 1000 - 500), lines = lines }
    end
  end
  return ssc:textFileStream(dir):map(function(line)
    local f = line:split(" ")
    return { f[1], tonumber(f[2]) }
  end)
end

local input = testInputStream("input", {
  { { "a", 1 } },
  { { "a", 1 } },
  {},
  {},
}, 2)

input:reduceByKeyAndWindow(add, sub, "2s", "1s")
  :checkpoint("100s") -- large, to avoid the effect of RDD checkpointing
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 1 } },
  { { "a", 2 } },
  { { "a", 1 } },
  { { "a", 0 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("4500ms")
