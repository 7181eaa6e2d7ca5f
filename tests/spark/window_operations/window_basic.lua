-- Spark: WindowOperationsSuite, testWindow("basic window", ...), i.e.
--   test("window - basic window").
--   input  Seq(Seq(0), Seq(1), Seq(2), Seq(3), Seq(4), Seq(5)), 2 partitions per batch
--   op     s.window(Seconds(2), Seconds(1))   (testWindow's default window and slide)
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 6 * 1 = 6 batches of 1 s
--   output Seq(Seq(0), Seq(0, 1), Seq(1, 2), Seq(2, 3), Seq(3, 4), Seq(4, 5)),
--          as sets (useSet = true)
-- Checks that a 2 s window sliding every second holds the batch and the one
-- before it, and only the first batch at 1000 ms (no batch before time zero).
scenario{ name = "spark window_operations window_basic", seed = 1, duration = "20s" }

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

input:window("2s", "1s"):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { 0 },
  { 0, 1 },
  { 1, 2 },
  { 2, 3 },
  { 3, 4 },
  { 4, 5 },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("6500ms")
