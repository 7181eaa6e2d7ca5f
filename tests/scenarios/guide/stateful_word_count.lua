-- The Spark Streaming Programming Guide's stateful word count
-- ("UpdateStateByKey Operation"): a running count of each word, over the
-- (word, 1) pairs of NetworkWordCount, in the guide's Python:
--   def updateFunction(newValues, runningCount):
--       if runningCount is None:
--           runningCount = 0
--       return sum(newValues, runningCount)  # add the new values with the previous running count to get the new count
--   runningCounts = pairs.updateStateByKey(updateFunction)
-- with NetworkWordCount's batch interval of 1 second, and the checkpoint
-- directory the guide says updateStateByKey requires.
--
-- Input: four lines, one a second from 0.5 s (netcat rate 1 per second):
--   line  arrives  block (the 200 ms tick at or after it)  batch
--   L1    0.5 s    0.6 s                                   1 s    hello world
--   L2    1.5 s    1.6 s                                   2 s    hello spark
--   L3    2.5 s    2.6 s                                   3 s    spark streaming
--   L4    3.5 s    3.6 s                                   4 s    hello
-- The receiver cuts a block every block interval (200 ms); a line arriving
-- at or before a tick is in that tick's block, which is reported to the
-- driver some 3 ms after the tick and so belongs to the first batch time
-- strictly after it.
--
-- Output: every batch prints the running count of every word seen so far
-- (a word with no new values keeps its count: sum([], n) = n):
--   1 s  hello 1, world 1
--   2 s  hello 2, world 1, spark 1
--   3 s  hello 2, world 1, spark 2, streaming 1
--   4 s  hello 3, world 1, spark 2, streaming 1
--   5 s  the same: no new line
scenario{ name = "guide stateful word count", seed = 1, duration = "6s" }
netcat{ port = 9999, lines = {
  "hello world",
  "hello spark",
  "spark streaming",
  "hello",
}, rate = 1, start = "500ms" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
ssc:checkpoint("checkpoint")

local lines = ssc:socketTextStream("localhost", 9999)
local words = lines:flatMap(function(line) return line:split(" ") end)
local pairs_ = words:map(function(word) return { word, 1 } end)

local function updateFunction(newValues, runningCount)
  if runningCount == nil then
    runningCount = 0
  end
  -- add the new values with the previous running count to get the new count
  for _, v in ipairs(newValues) do runningCount = runningCount + v end
  return runningCount
end

local runningCounts = pairs_:updateStateByKey(updateFunction)
runningCounts:print()

expect{ output = 0, unordered = true, batches = {
  { { "hello", 1 }, { "world", 1 } },
  { { "hello", 2 }, { "world", 1 }, { "spark", 1 } },
  { { "hello", 2 }, { "world", 1 }, { "spark", 2 }, { "streaming", 1 } },
  { { "hello", 3 }, { "world", 1 }, { "spark", 2 }, { "streaming", 1 } },
  { { "hello", 3 }, { "world", 1 }, { "spark", 2 }, { "streaming", 1 } },
} }
expect{ events = { block_created = 4, block_reported = 4 } }

ssc:start()
ssc:awaitTerminationOrTimeout("5500ms")
