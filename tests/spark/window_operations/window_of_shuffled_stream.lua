-- Regression: a window over a stream that ends in a shuffle (what
-- reduceByKeyAndWindow without an inverse, groupByKeyAndWindow and
-- reduceByWindow without an inverse are made of), in its smallest form.
--   input  Seq(Seq(("a", 1)), Seq(("a", 1))), 2 partitions per batch
--   op     s.reduceByKey(_ + _).window(Seconds(2), Seconds(1))
--   output Seq(Seq(("a", 1)), Seq(("a", 1), ("a", 1))), as sets: at 2000 ms the
--          window is the union of the two batches' reduced RDDs
-- In Spark the window's RDD at 2000 ms is a UnionRDD of the two ShuffledRDDs
-- (2 partitions each, so 4); its partition 2 is partition 0 of the 2000 ms
-- ShuffledRDD, which reads reduce partition 0 of that shuffle. streamlab at
-- commit 779c08e read reduce partition 2 (the union's index) of a shuffle of
-- 2, and AddressSanitizer stopped the run with a heap-buffer-overflow in
-- engine/executor.c start_fetches (reduceByWindow, with no sanitizer report,
-- gave [6], [6], [15], [24] for JavaAPISuite's [6], [21], [39], [24]). The
-- same held without a window: r:union(r) of a reduceByKey stream r.
scenario{ name = "window of a shuffled stream", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
local sc = ssc.sparkContext

local input = ssc:queueStream({
  sc:parallelize({ { "a", 1 } }, 2),
  sc:parallelize({ { "a", 1 } }, 2),
}, true)

input:reduceByKey(add):window("2s", "1s"):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, unordered = true, batches = {
  { { "a", 1 } },
  { { "a", 1 }, { "a", 1 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("2500ms")
