-- hello: the smallest streaming job. A driver and two workers; a queue of
-- three RDDs of text feeds a word count, one RDD per batch of 1 s.
-- Watch for: batches at k x batchDuration (1000, 2000, ... ms), never
-- skipped; each batch's job cut into stages at the shuffle of reduceByKey;
-- empty batches once the queue runs dry (print still prints a header).
-- The network's latency jitter is drawn from the seed: change --seed and
-- the trace changes, the counts do not.
scenario{ name = "hello", seed = 7, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
local sc = ssc.sparkContext

local lines = ssc:queueStream({
  sc:parallelize({ "to be or not to be", "that is the question" }, 2),
  { "whether tis nobler in the mind to suffer" },
  { "the slings and arrows of outrageous fortune" },
}, true)

-- words, pairWithOne and add are built-ins: they run natively, as
-- line.split(" "), (w, 1) and _ + _ would in Spark.
local counts = lines:flatMap(words):map(pairWithOne):reduceByKey(add)
counts:print()

narrate{ at = "0s", text = "A driver and two workers start; the executors register with the driver." }
narrate{ at = "1s", text = "Batch 1000 ms: two partitions of text, split into words, shuffled by word into 4 partitions." }
narrate{ at = "4s", text = "The queue is empty from batch 4000 ms on: the batches still run, with no records." }

-- 10 batches (1 s .. 10 s) and one registration per worker.
expect{ events = { batch_generated = 10, executor_registered = 2 } }

ssc:start()
ssc:awaitTerminationOrTimeout("10s")
