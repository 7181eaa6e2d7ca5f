-- Lab 01 — DStreams: batches, blocks and partitions (starter).
--
-- The fortune file is typed into `nc -lk 9999` at 40 lines a second (the first
-- line at 10 ms, then one every 25 ms). A receiver cuts what it read into a
-- block every block interval; every batch interval the driver makes the
-- blocks reported since the last batch into one RDD.
--
-- Run it:    streamlab run starter.lua
-- Watch it:  streamlab view starter.lua
-- Grade it:  streamlab grade . starter.lua --answers answers.lua
--
-- It runs as it is: the two outputs print empty batches until you write the
-- TODO blocks (replace each placeholder line, marked "replace me").
scenario{ name = "lab 01 DStreams: batches, blocks and partitions", seed = 1, duration = "6500ms" }

-- The two intervals of this lab. Submit with these values; change them only
-- in a copy (steps 6 to 8 of the handout).
local BATCH = "1500ms"   -- batchDuration: a batch every 1.5 s (1500, 3000, 4500, 6000 ms)
local BLOCK = "250ms"    -- spark.streaming.blockInterval: a block every 250 ms

netcat{ port = 9999, file = "data/fortunes/fortunes", rate = 40, start = "10ms" }

local ssc = StreamingContext{ batchDuration = BATCH, workers = 2, cores = 2,
                              ["spark.streaming.blockInterval"] = BLOCK }

local lines = ssc:socketTextStream("localhost", 9999)

-- Output 0: the words of each batch and how often each occurs in it, as
-- (word, count) records: Spark's NetworkWordCount.
-- TODO 1: split each line into words (split on single spaces, as Java's
--   line.split(" "): the built-in `words`, or function(line) return line:split(" ") end),
--   pair each word with 1 (`pairWithOne`, or function(w) return { w, 1 } end),
--   and add up the 1s of each word (`reduceByKey` with `add`).
--   Which of map and flatMap gives one record per word?
local wordCounts = lines:filter(function(line) return false end)    -- replace me (TODO 1)
wordCounts:print()                                                  -- output 0

-- Output 1: one record per partition of the batch: the number of lines the
-- partition holds, in partition order.
-- TODO 2: turn each partition into one record. Either glom() (each partition
--   becomes one list of its lines) followed by a map, or mapPartitions(f),
--   where f gets the partition's lines as a list and returns a list of records.
local linesPerPartition = lines:filter(function(line) return false end)   -- replace me (TODO 2)
linesPerPartition:print()                                           -- output 1

ssc:start()
ssc:awaitTerminationOrTimeout("6500ms")
