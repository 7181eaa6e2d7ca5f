-- hint: sum the 1s of each word with reduceByKey(add)
-- Lab 01 — a typical wrong submission: the 1s are never added up:
-- every occurrence of a word stays its own (word, 1) record.
--
-- The fortune file is typed into `nc -lk 9999` at 40 lines a second (the first
-- line at 10 ms, then one every 25 ms). A receiver cuts what it read into a
-- block every block interval (250 ms: 10 lines); every batch interval
-- (1500 ms) the driver makes the blocks reported since the last batch into
-- one RDD: one block = one partition = one task of the first stage.
scenario{ name = "lab 01 DStreams: batches, blocks and partitions", seed = 1, duration = "6500ms" }

-- The two intervals of this lab. Submit with these values; change them only
-- in a copy (steps 6 to 8 of the handout).
local BATCH = "1500ms"   -- batchDuration: a batch every 1.5 s (1500, 3000, 4500, 6000 ms)
local BLOCK = "250ms"    -- spark.streaming.blockInterval: a block every 250 ms

netcat{ port = 9999, file = "data/fortunes/fortunes", rate = 40, start = "10ms" }

local ssc = StreamingContext{ batchDuration = BATCH, workers = 2, cores = 2,
                              ["spark.streaming.blockInterval"] = BLOCK }

local lines = ssc:socketTextStream("localhost", 9999)

-- Output 0: the words of each batch and how often each occurs in it.
-- TODO 1 (done): Spark's NetworkWordCount, flatMap / map / reduceByKey.
local wordCounts = lines:flatMap(words):map(pairWithOne)   -- the mistake: no reduceByKey(add)
wordCounts:print()                                                  -- output 0

-- Output 1: one record per partition of the batch, the number of lines in it.
-- TODO 2 (done): glom makes each partition one list; map takes its length.
local linesPerPartition = lines:glom():map(function(partition) return #partition end)
linesPerPartition:print()                                           -- output 1

ssc:start()
ssc:awaitTerminationOrTimeout("6500ms")
