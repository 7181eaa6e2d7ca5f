-- Spark: WindowOperationsSuite, testWindow("non-overlapping window", ...), i.e.
--   test("window - non-overlapping window").
--   input  Seq(Seq(0), Seq(1), Seq(2), Seq(3), Seq(4), Seq(5)), 2 partitions per batch
--   op     s.window(Seconds(2), Seconds(3))   (the test's window and slide)
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 2 * 3 = 6 batches of 1 s
--   output Seq(Seq(1, 2), Seq(4, 5)),
--          as sets (useSet = true)
-- Checks that a window shorter than its slide skips batches: at 3000 ms it
-- holds batches 2000-3000 ms (1, 2), at 6000 ms 5000-6000 ms (4, 5).
scenario{ name = "spark window_operations window_non_overlapping", seed = 1, duration = "20s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ 0 }, 2),
  sc:parallelize({ 1 }, 2),
  sc:parallelize({ 2 }, 2),
  sc:parallelize({ 3 }, 2),
  sc:parallelize({ 4 }, 2),
  sc:parallelize({ 5 }, 2),
}, true)

input:window("2s", "3s"):foreachRDD(function(rdd) rdd:collect() end)
-- TestInputStream gives input(t / 1 s - 1) at time t whether or not anything
-- computes it; a queueStream (as Spark's QueueInputDStream) dequeues one RDD
-- each time its RDD is computed, and no window of this stream covers 1000 ms
-- or 4000 ms. This second output computes the input at every batch, so that
-- batch k holds input(k - 1) as in Spark's test.
input:foreachRDD(function(rdd) end)

expect{ output = 0, unordered = true, batches = {
  { 1, 2 },
  { 4, 5 },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("6500ms")
