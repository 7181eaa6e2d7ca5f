-- Spark: JavaAPISuite (streaming/src/test/java/org/apache/spark/streaming/JavaAPISuite.java),
--   testReduceByWindowWithoutInverse (later versions; the same test without invFunc).
--   WindowOperationsSuite has no reduceByWindow test.
--   input  Arrays.asList(Arrays.asList(1,2,3), Arrays.asList(4,5,6), Arrays.asList(7,8,9)),
--          1 partition per batch (attachTestInputStream(ssc, inputData, 1))
--   op     stream.reduceByWindow(new IntegerSum(), new Duration(2000), new Duration(1000))
--   runs   JavaTestUtils.runStreams(ssc, 4, 4): 4 batches of 1 s, 4 outputs
--   output Arrays.asList(Arrays.asList(6), Arrays.asList(21), Arrays.asList(39), Arrays.asList(24)),
--          in order (assertEquals on the lists)
-- Checks reduceByWindow without an inverse: reduce each batch, window, reduce
-- again.
scenario{ name = "spark window_operations reduceByWindow", seed = 1, duration = "20s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ 1, 2, 3 }, 1),
  sc:parallelize({ 4, 5, 6 }, 1),
  sc:parallelize({ 7, 8, 9 }, 1),
}, true)

input:reduceByWindow(add, nil, "2s", "1s"):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, batches = {
  { 6 },
  { 21 },
  { 39 },
  { 24 },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("4500ms")
