-- Spark: JavaAPISuite (streaming/src/test/java/org/apache/spark/streaming/JavaAPISuite.java),
--   testReduceByWindow (later versions: testReduceByWindowWithInverse).
--   WindowOperationsSuite has no reduceByWindow test.
--   input  Arrays.asList(Arrays.asList(1,2,3), Arrays.asList(4,5,6), Arrays.asList(7,8,9)),
--          1 partition per batch (attachTestInputStream(ssc, inputData, 1))
--   op     stream.reduceByWindow(new IntegerSum(), new IntegerDifference(), new Duration(2000), new Duration(1000))
--   runs   JavaTestUtils.runStreams(ssc, 4, 4): 4 batches of 1 s, 4 outputs
--   output Arrays.asList(Arrays.asList(6), Arrays.asList(21), Arrays.asList(39), Arrays.asList(24)),
--          in order (assertEquals on the lists)
-- Checks reduceByWindow with an inverse: the window's sum kept up by adding
-- the new batch and subtracting the one that left. ssc:checkpoint: the
-- inverse reduction needs it (JavaAPISuite sets it).
scenario{ name = "spark window_operations reduceByWindow_inv", seed = 1, duration = "20s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
ssc:checkpoint("checkpoint") -- LocalJavaStreamingContext sets it

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
  { 1, 2, 3 },
  { 4, 5, 6 },
  { 7, 8, 9 },
}, 1)

input:reduceByWindow(add, sub, "2s", "1s"):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, batches = {
  { 6 },
  { 21 },
  { 39 },
  { 24 },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("4500ms")
