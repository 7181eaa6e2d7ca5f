-- Spark: WindowOperationsSuite, testWindow("tumbling window", ...), i.e.
--   test("window - tumbling window").
--   input  Seq(Seq(0), Seq(1), Seq(2), Seq(3), Seq(4), Seq(5)), 2 partitions per batch
--   op     s.window(Seconds(2), Seconds(2))   (the test's window and slide)
--   runs   numBatches = expectedOutput.size * (slide / batchDuration) = 3 * 2 = 6 batches of 1 s
--   output Seq(Seq(0, 1), Seq(2, 3), Seq(4, 5)),
--          as sets (useSet = true)
-- Checks that a window as long as its slide covers each batch exactly once,
-- output only at the slide times 2000, 4000, 6000 ms.
scenario{ name = "spark window_operations window_tumbling", seed = 1, duration = "20s" }

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

input:window("2s", "2s"):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { 0, 1 },
  { 2, 3 },
  { 4, 5 },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("6500ms")
