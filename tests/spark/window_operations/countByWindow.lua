-- Spark: WindowOperationsSuite, test("countByWindow").
--   input  Seq(Seq(1), Seq(1), Seq(1, 2), Seq(0), Seq(), Seq()), 2 partitions per batch
--   op     s.countByWindow(Seconds(2), Seconds(1)).map(_.toInt)
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 6 * 1 = 6 batches of 1 s
--   output Seq(Seq(1), Seq(2), Seq(3), Seq(3), Seq(1), Seq(0)), as sets (useSet = true)
-- Checks that countByWindow counts the records of the window, and gives 0
-- (not nothing) once the window is empty: it is map(_ => 1L).reduceByWindow(
-- _ + _, _ - _, ...), an inverse reduction whose one key stays.
-- ssc:checkpoint: countByWindow reduces with an inverse, which needs it (as
-- Spark's TestSuiteBase sets).
scenario{ name = "spark window_operations countByWindow", seed = 1, duration = "20s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
ssc:checkpoint("checkpoint") -- TestSuiteBase.checkpointDir

-- Spark's TestInputStream(ssc, input, numPartitions): batch i (at i s) gets
-- input[i], sliced in numPartitions as makeRDD slices a Seq. With a
-- checkpoint directory a queueStream warns "queueStream doesn't support
-- checkpointing" (as Spark's QueueInputDStream logs), so each slice arrives
-- instead as a file of a textFileStream, written half a batch before its
-- batch time, one record a line, parsed back.
local function testInputStream(dir, input, numPartitions)
  for i, batch in ipairs(input) do
    for p = 0, numPartitions - 1 do
      local lines = {}
      for j = p * #batch // numPartitions + 1, (p + 1) * #batch // numPartitions do
        lines[#lines + 1] = tostring(batch[j])
      end
      files{ dir = dir, name = string.format("batch-%02d-part-%d", i, p),
             at = string.format("%dms", i * 1000 - 500), lines = lines }
    end
  end
  return ssc:textFileStream(dir):map(function(line) return tonumber(line) end)
end

local input = testInputStream("input", {
  { 1 },
  { 1 },
  { 1, 2 },
  { 0 },
  {},
  {},
}, 2)

input:countByWindow("2s", "1s")
  :map(function(x) return x end) -- _.toInt: the counts are Lua integers already
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { 1 },
  { 2 },
  { 3 },
  { 3 },
  { 1 },
  { 0 },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("6500ms")
