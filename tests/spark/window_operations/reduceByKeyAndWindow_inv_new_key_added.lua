-- Spark: WindowOperationsSuite, testReduceByKeyAndWindowWithInverse(
--     "new key added into window", ...),
--   i.e. test("reduceByKeyAndWindow with inverse function - new key added into window").
--   input  Seq(Seq(("a", 1)), Seq(("a", 1), ("b", 1))),
--          2 partitions per batch
--   op     s.reduceByKeyAndWindow(_ + _, _ - _, Seconds(2), Seconds(1))
--            .checkpoint(Seconds(100))   (window, slide: the defaults)
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 2 * 1 = 2 batches of 1 s
--   output Seq(Seq(("a", 1)), Seq(("a", 2), ("b", 1))),
--          as sets (useSet = true)
-- Checks that a key first seen in the newest batch joins the window's records.
-- Here through ReducedWindowedDStream: previous window - old batches + new.
-- ssc:checkpoint: Spark's TestSuiteBase sets the checkpoint directory, and
-- the inverse function needs it.
scenario{ name = "spark window_operations reduceByKeyAndWindow_inv_new_key_added", seed = 1, duration = "20s" }

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
  { { "a", 1 }, { "b", 1 } },
}, 2)

input:reduceByKeyAndWindow(add, sub, "2s", "1s")
  :checkpoint("100s") -- large, to avoid the effect of RDD checkpointing
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 1 } },
  { { "a", 2 }, { "b", 1 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("2500ms")
