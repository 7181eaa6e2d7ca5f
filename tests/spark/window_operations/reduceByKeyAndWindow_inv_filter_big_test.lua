-- Spark: WindowOperationsSuite, testReduceByKeyAndWindowWithFilteredInverse("big test", ...),
--   i.e. test("reduceByKeyAndWindow with inverse and filter functions - big test").
--   input  bigInput = Seq(
--            Seq(("a", 1)),
--            Seq(("a", 1), ("b", 1)),
--            Seq(("a", 1), ("b", 1), ("c", 1)),
--            Seq(("a", 1), ("b", 1)),
--            Seq(("a", 1)),
--            Seq(),
--            Seq(("a", 1)),
--            Seq(("a", 1), ("b", 1)),
--            Seq(("a", 1), ("b", 1), ("c", 1)),
--            Seq(("a", 1), ("b", 1)),
--            Seq(("a", 1)),
--            Seq()),
--          2 partitions per batch
--   op     val filterFunc = (p: (String, Int)) => p._2 != 0
--          s.reduceByKeyAndWindow(_ + _, _ - _, Seconds(2), Seconds(1), filterFunc = filterFunc)
--            .persist().checkpoint(Seconds(100))   (window, slide: the defaults)
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 12 * 1 = 12 batches of 1 s
--   output bigReduceOutput = Seq(
--            Seq(("a", 1)),
--            Seq(("a", 2), ("b", 1)),
--            Seq(("a", 2), ("b", 2), ("c", 1)),
--            Seq(("a", 2), ("b", 2), ("c", 1)),
--            Seq(("a", 2), ("b", 1)),
--            Seq(("a", 1)),
--            Seq(("a", 1)),
--            Seq(("a", 2), ("b", 1)),
--            Seq(("a", 2), ("b", 2), ("c", 1)),
--            Seq(("a", 2), ("b", 2), ("c", 1)),
--            Seq(("a", 2), ("b", 1)),
--            Seq(("a", 1))),
--          as sets (useSet = true)
-- Checks that filterFunc drops the keys whose value fell to 0, so that the
-- incremental window gives what the naive one gives.
-- ssc:checkpoint: as Spark's TestSuiteBase; the inverse function needs it.
scenario{ name = "spark window_operations reduceByKeyAndWindow_inv_filter_big_test", seed = 1, duration = "20s" }

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
  { { "a", 1 }, { "b", 1 }, { "c", 1 } },
  { { "a", 1 }, { "b", 1 } },
  { { "a", 1 } },
  {},
  { { "a", 1 } },
  { { "a", 1 }, { "b", 1 } },
  { { "a", 1 }, { "b", 1 }, { "c", 1 } },
  { { "a", 1 }, { "b", 1 } },
  { { "a", 1 } },
  {},
}, 2)

input:reduceByKeyAndWindow(add, sub, "2s", "1s", nil, function(p) return p[2] ~= 0 end)
  :persist()
  :checkpoint("100s") -- large, to avoid the effect of RDD checkpointing
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 1 } },
  { { "a", 2 }, { "b", 1 } },
  { { "a", 2 }, { "b", 2 }, { "c", 1 } },
  { { "a", 2 }, { "b", 2 }, { "c", 1 } },
  { { "a", 2 }, { "b", 1 } },
  { { "a", 1 } },
  { { "a", 1 } },
  { { "a", 2 }, { "b", 1 } },
  { { "a", 2 }, { "b", 2 }, { "c", 1 } },
  { { "a", 2 }, { "b", 2 }, { "c", 1 } },
  { { "a", 2 }, { "b", 1 } },
  { { "a", 1 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("12500ms")
