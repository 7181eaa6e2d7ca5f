-- 05 transform: joining every batch with a static dataset (stop words).
--
-- Concept: transform(f) hands f each batch's RDD, on the driver, and uses
-- the RDD f returns. Inside f any RDD operation is allowed, including the
-- ones DStreams do not have, such as a join with a static RDD (the Spark
-- guide's example joins with a spam list). f is called again at every
-- batch, when the batch is generated, so what it joins with may change
-- from batch to batch.
-- Here each batch's word counts are joined (leftOuterJoin) with the 301
-- English stop words of data/stopwords-en, read by sc:textFile: a word with
-- a match is a stop word. Output 0 sums the counts of stop words and other
-- words; output 1 lists the other words seen at least twice in the batch.
-- Input: the fortune file at 10 lines a second, lowercased, split on
-- letters.
--
-- Watch in the visualiser: every batch's job has a stage that reads the
-- stop list (2 tasks, 301 records) beside the one that counts the words,
-- and both shuffle into the join; the outputs panel: outputs 0 and 1 write
-- at every batch.
--
-- Predict, then run:
--   Q1. About how many of each batch's words are stop words?
--       A. About half, and more as the fortunes get shorter: 20 of 36,
--          20 of 43, 21 of 46, 27 of 49, 34 of 48.
--   Q2. Which words does output 1 keep at 1000 ms, and why never "a"?
--       A. Only "soon" (2): "a" (5) and "will" (2) are in the stop list.
--          At 2000 ms: bring, fresh, place, strange, visit, work (2 each).
--   Q3. The join shuffles the stop list at every batch. How would you
--       avoid that in Spark? (cache() the static RDD, or broadcast the
--       list: a map-side join; streamlab has neither yet.)

scenario{ name = "05 transform with a static dataset", seed = 1, duration = "5500ms" }

netcat{ port = 9999, file = "data/fortunes/fortunes", rate = 10, start = "10ms" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
local sc = ssc.sparkContext

local lines = ssc:socketTextStream("localhost", 9999)
local wordCounts = lines:flatMap(function(line)
  local ws = {}
  for w in line:lower():gmatch("%a+") do ws[#ws + 1] = w end
  return ws
end):map(pairWithOne):reduceByKey(add)

-- (word, count) leftOuterJoin (word, true) -> (word, (count, true or nil))
-- transform's function runs on the driver at every batch; the static RDD
-- it joins with is read from the stop-word file (sc.textFile, 2 partitions).
local tagged = wordCounts:transform(function(rdd)
  local stopRDD = sc:textFile("data/stopwords-en/words.txt"):map(function(w) return { w, true } end)
  return rdd:leftOuterJoin(stopRDD)
end)

tagged:map(function(kv) return { kv[2][2] and "stopword" or "other", kv[2][1] } end)
      :reduceByKey(add):print()                                                -- output 0
tagged:filter(function(kv) return not kv[2][2] and kv[2][1] >= 2 end)
      :map(function(kv) return { kv[1], kv[2][1] } end):print(20)              -- output 1

narrate{ at = "0s", text = "The fortune lines start to arrive; the stop list (301 words) waits in a file." }
narrate{ at = "1s", text = "Batch 1000 ms: transform's function runs on the driver and joins the word counts with the stop list." }
narrate{ at = "2s", text = "Batch 2000 ms: the function runs again, with a new RDD of the list: 20 of the batch's 43 words match." }
narrate{ at = "3s", text = "Every batch: the word counts shuffle for reduceByKey, then both sides shuffle for the join." }

expect{ output = 0, unordered = true, batches = {
  { { "stopword", 20 }, { "other", 16 } },
  { { "stopword", 20 }, { "other", 23 } },
  { { "stopword", 21 }, { "other", 25 } },
  { { "stopword", 27 }, { "other", 22 } },
  { { "stopword", 34 }, { "other", 14 } },
} }
expect{ output = 1, unordered = true, batches = {
  { { "soon", 2 } },
  { { "bring", 2 }, { "fresh", 2 }, { "place", 2 }, { "strange", 2 }, { "visit", 2 }, { "work", 2 } },
  {},
  {},
  {},
} }
-- two jobs per batch, one per output
expect{ events = { batch_done = 5, job_start = 10 } }

ssc:start()
ssc:awaitTerminationOrTimeout("5500ms")
