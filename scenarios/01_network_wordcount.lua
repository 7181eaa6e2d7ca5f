-- 01 network word count: Spark's NetworkWordCount on real text.
--
-- Concept: a receiver (socketTextStream) runs as a long task on an executor
-- and holds one of its cores. It cuts what it has read into a block every
-- block interval (spark.streaming.blockInterval, 200 ms), stores each block
-- twice (MEMORY_AND_DISK_SER_2) and reports it to the driver. At every batch
-- interval (1 s) the driver turns the blocks reported since the last batch
-- into one RDD: one block = one partition = one task of the first stage.
-- Input: the BSD fortune file, typed into `nc -lk 9999` at 50 lines a second
-- (the first line at 10 ms, then one every 20 ms), so a block holds 10 lines.
--
-- Watch in the visualiser: the blue receiver tag on one worker (one of the 4
-- cores is never free for tasks); a square per block appearing every 200 ms,
-- with a second outline for its replica on the other worker; at each batch,
-- as many first-stage tasks as blocks, then 4 reduce tasks after the shuffle.
--
-- Predict, then run:
--   Q1. How many partitions does the batch of 2000 ms have, and how many lines
--       each? And the very first batch, 1000 ms?
--       A. 5 partitions of 10 lines (1 s / 200 ms; 50 lines/s x 200 ms). The
--          first batch has only 4: the block cut at exactly 1.0 s is reported
--          a few ms later, after the batch of 1000 ms was generated, so it
--          goes to the batch of 2000 ms (output 1 prints 10 10 10 10).
--   Q2. How many tasks does the word count of the batch of 2000 ms run?
--       A. 9: 5 map tasks (one per block) and 4 reduce tasks after the
--          shuffle of reduceByKey (spark.default.parallelism = 2 workers x 2
--          cores). Output 1 runs a 5-task job of its own: 14 tasks per
--          batch, 12 in the first (4 + 4 + 4): 12 + 4 x 14 = 68 in all.
scenario{ name = "01 network word count", seed = 1, duration = "5500ms" }

netcat{ port = 9999, file = "data/fortunes/fortunes", rate = 50, start = "10ms" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2,
                              ["spark.streaming.blockInterval"] = "200ms" }

-- Spark's NetworkWordCount, word for word: words is line.split(" "),
-- pairWithOne is (w, 1), add is _ + _ (built-ins that run natively).
local lines = ssc:socketTextStream("localhost", 9999)
local wordCounts = lines:flatMap(words):map(pairWithOne):reduceByKey(add)
wordCounts:print()                                                   -- output 0

-- One record per partition: how many lines it holds (glom makes each
-- partition a list). This is what a block became.
lines:glom():map(function(block) return #block end):print()          -- output 1

narrate{ at = "0s", text = "The receiver starts on an executor and keeps one of its cores: 3 of the 4 cores are left for tasks." }
narrate{ at = "200ms", text = "Block interval 200 ms: the receiver cuts its first block (10 lines), stores it and a replica on the other worker, and reports it." }
narrate{ at = "1s", text = "Batch 1000 ms: the 4 blocks reported so far become an RDD of 4 partitions. The block cut at 1.0 s arrives too late and waits for the next batch." }
narrate{ at = "2s", text = "Batch 2000 ms: 5 blocks, 5 partitions, 5 map tasks; reduceByKey shuffles the words into 4 partitions, 4 reduce tasks." }
narrate{ at = "3s", text = "Every batch from now on: 1 s / 200 ms = 5 partitions of 10 lines, while the receiver goes on cutting blocks for the next one." }

expect{ output = 1, batches = {
  { 10, 10, 10, 10 },
  { 10, 10, 10, 10, 10 },
  { 10, 10, 10, 10, 10 },
  { 10, 10, 10, 10, 10 },
  { 10, 10, 10, 10, 10 },
} }
-- Blocks cut at 0.2, 0.4, ... 5.4 s: 27, each replicated once; 5 batches;
-- 24 map tasks (4 + 4 x 5) write shuffle blocks; 68 tasks (Q2).
expect{ events = { batch_generated = 5, block_created = 27, block_replicated = 27,
                   shuffle_write = 24, task_end = 68 } }

ssc:start()
ssc:awaitTerminationOrTimeout("5500ms")
