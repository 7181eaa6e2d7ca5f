-- The Spark Streaming Programming Guide's first example, NetworkWordCount:
-- `nc -lk 9999` in one terminal, the job in another, and "hello world"
-- typed into netcat. The guide shows, for the batch that got the line:
--   -------------------------------------------
--   Time: 1357008430000 ms
--   -------------------------------------------
--   (hello,1)
--   (world,1)
-- Here the line arrives at 0.5 s; the receiver cuts it into the block of
-- the tick at 600 ms, so the batch at 1000 ms counts it; later batches are empty.
scenario{ name = "guide network word count", seed = 1, duration = "4s" }
netcat{ port = 9999, lines = { "hello world" }, start = "500ms" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
local lines = ssc:socketTextStream("localhost", 9999)
local words = lines:flatMap(function(line) return line:split(" ") end)
local pairs_ = words:map(function(word) return { word, 1 } end)
local wordCounts = pairs_:reduceByKey(function(a, b) return a + b end)
wordCounts:print()

expect{ output = 0, batches = { { { "hello", 1 }, { "world", 1 } }, {}, {} } }
expect{ events = { receiver_start = 1, block_created = 1, block_reported = 1 } }

ssc:start()
ssc:awaitTerminationOrTimeout("3500ms")
