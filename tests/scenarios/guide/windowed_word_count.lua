-- The Spark Streaming Programming Guide's windowed word count ("Window
-- Operations"): the word counts over the last 30 seconds of data, every 10
-- seconds, on the (word, 1) pairs of NetworkWordCount, in the guide's Python:
--   # Reduce last 30 seconds of data, every 10 seconds
--   windowedWordCounts = pairs.reduceByKeyAndWindow(lambda x, y: x + y, lambda x, y: x - y, 30, 10)
-- with NetworkWordCount's batch interval of 1 second, and the checkpoint
-- directory the guide requires for the inverse function.
--
-- Input: six lines, one every 5 s from 0.5 s (netcat rate 0.2 per second):
--   line  arrives  block (the 200 ms tick at or after it)  batch
--   L1    0.5 s    0.6 s                                   1 s    hello world
--   L2    5.5 s    5.6 s                                   6 s    hello spark
--   L3   10.5 s   10.6 s                                  11 s    spark streaming
--   L4   15.5 s   15.6 s                                  16 s    hello streaming
--   L5   20.5 s   20.6 s                                  21 s    spark
--   L6   25.5 s   25.6 s                                  26 s    world
-- The receiver cuts a block every block interval (200 ms); a line arriving
-- at or before a tick is in that tick's block. The block is stored,
-- replicated and reported to the driver some 3 ms after its tick, so it
-- belongs to the first batch time strictly after the tick (a block cut at
-- 1.0 s goes to the batch of 2 s). No line here is near a batch time.
--
-- Output: a window at t = 10, 20, 30, 40 s holds the batches of (t - 30 s, t]:
--   10 s  L1 L2        hello 2, world 1, spark 1
--   20 s  L1 .. L4     hello 3, world 1, spark 2, streaming 2
--   30 s  L1 .. L6     hello 3, world 2, spark 3, streaming 2
--   40 s  L3 .. L6     hello 1, world 1, spark 2, streaming 2
-- (at 40 s the batches of 1 s and 6 s have left: L1 and L2 are subtracted)
--
-- The run stops at 40.5 s, before a word's last line leaves the window. From
-- then on PySpark and streamlab differ: at 50 s (L5 L6) PySpark prints
-- spark 1, world 1, and at 60 s nothing, because its reduceByKeyAndWindow
-- with an invFunc (PythonReducedWindowedDStream) reduces a window shorter
-- than 5 slides (30 s < 5 x 10 s) afresh instead of subtracting; streamlab
-- follows Scala's ReducedWindowedDStream at every window size and keeps the
-- words whose count fell to 0: hello 0 and streaming 0 at 50 s, all four
-- with 0 at 60 s. (The guide's Scala and Java versions use
-- reduceByKeyAndWindow without an inverse, which prints no zeros either.)
-- That difference is pyspark_small_window_zero_counts.lua, whose test in
-- tests/cli/test_spark_windows.c is disabled.
scenario{ name = "guide windowed word count", seed = 1, duration = "41s" }
netcat{ port = 9999, lines = {
  "hello world",
  "hello spark",
  "spark streaming",
  "hello streaming",
  "spark",
  "world",
}, rate = 0.2, start = "500ms" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
ssc:checkpoint("checkpoint")

local lines = ssc:socketTextStream("localhost", 9999)
local words = lines:flatMap(function(line) return line:split(" ") end)
local pairs_ = words:map(function(word) return { word, 1 } end)

-- Reduce last 30 seconds of data, every 10 seconds
local windowedWordCounts = pairs_:reduceByKeyAndWindow(function(x, y) return x + y end,
                                                       function(x, y) return x - y end,
                                                       "30 seconds", "10 seconds")
windowedWordCounts:print()

expect{ output = 0, unordered = true, batches = {
  { { "hello", 2 }, { "world", 1 }, { "spark", 1 } },
  { { "hello", 3 }, { "world", 1 }, { "spark", 2 }, { "streaming", 2 } },
  { { "hello", 3 }, { "world", 2 }, { "spark", 3 }, { "streaming", 2 } },
  { { "hello", 1 }, { "world", 1 }, { "spark", 2 }, { "streaming", 2 } },
} }
expect{ events = { block_created = 6, block_reported = 6 } }

ssc:start()
ssc:awaitTerminationOrTimeout("40500ms")
