-- 06 stream-stream join: two Kafka topics joined by key.
--
-- Concept: a.join(b) on two DStreams joins, at each batch, the RDD of a with
-- the RDD of b of the SAME batch: a record meets only the records of the
-- other stream that fell in the same batch interval. To let records of
-- nearby batches meet, join windows: a window holds several batches.
-- Windows overlap when the slide (here the batch, 1 s) is shorter than the
-- window, so a pair that meets in one window meets again in the next: the
-- same match comes out more than once. Joining one stream's window with
-- the other stream's batch (output 2) gives each match once.
-- Input: a toy shop, two topics read with KafkaUtils.createDirectStream
-- (one Kafka partition each, one batch = the offsets that arrived in its
-- interval): orders "o1 book" ... and payments "o1 12" ..., keyed by order.
--   order   sent at  batch     payment  sent at  batch
--   o1      0.3 s    1000 ms   o1 12    0.8 s    1000 ms   same batch
--   o2      0.6 s    1000 ms   o2 30    1.3 s    2000 ms   1 batch later
--   o3      1.4 s    2000 ms   o3 2     1.9 s    2000 ms   same batch
--   o4      2.2 s    3000 ms   o4 150   4.1 s    5000 ms   2 batches later
--   o5      3.5 s    4000 ms   (never paid)
--
-- Watch in the visualiser: the outputs panel, rows per batch: output 0
-- writes matches only at 1000 and 2000 ms; output 1 writes 3 at 2000 ms
-- (two of them repeats or late); output 2 is the only one to find o4, at
-- 5000 ms. Every join job shuffles both sides (2 map stages, 4 reduce tasks).
--
-- Predict, then run:
--   Q1. Which orders meet their payment in the plain per-batch join?
--       A. o1 and o3 only (output 0): their two records are in the same
--          batch. o2's payment came one batch late, o4's two.
--   Q2. Both streams windowed over 2 s (output 1): how often does each order
--       come out?
--       A. o1 twice (1000 and 2000 ms), o3 twice (2000 and 3000 ms), o2 once
--          (2000 ms: both still in the window), o4 never (its order left the
--          window before the payment came).
--   Q3. orders.window(3 s) joined with each batch of payments (output 2)?
--       A. Each paid order exactly once, at its payment's batch: o1 at 1000,
--          o2 and o3 at 2000, o4 at 5000 ms (its order, from 3000 ms, is
--          still in the window). o5 never: nothing to join with.
scenario{ name = "06 stream-stream join", seed = 1, duration = "6500ms" }

local orderTimes = { 0.3, 0.6, 1.4, 2.2, 3.5 }
local paymentTimes = { 0.8, 1.3, 1.9, 4.1 }
kafka{ topic = "orders", lines = { "o1 book", "o2 lamp", "o3 pen", "o4 desk", "o5 mug" },
       arrival = function(line, i) return orderTimes[i] end }
kafka{ topic = "payments", lines = { "o1 12", "o2 30", "o3 2", "o4 150" },
       arrival = function(line, i) return paymentTimes[i] end }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }

-- A Kafka record is (key, value); the value "o1 book" becomes ("o1", "book").
local function byOrder(kv) local id, v = kv[2]:match("(%S+) (%S+)") return { id, v } end
local orders = KafkaUtils.createDirectStream(ssc, { "orders" }, {}):map(byOrder)
local payments = KafkaUtils.createDirectStream(ssc, { "payments" }, {}):map(byOrder)

orders:join(payments):print()                                          -- output 0: per batch
orders:window("2s"):join(payments:window("2s")):print()                -- output 1: both windowed
orders:window("3s"):join(payments):print()                             -- output 2: a window and a batch

narrate{ at = "1s", text = "Batch 1000 ms: o1's order and payment are in the same batch: every join finds them." }
narrate{ at = "2s", text = "Batch 2000 ms: o2's payment is here, its order was in batch 1000 ms: the per-batch join misses it, the windowed joins find it. Output 1 finds o1 again." }
narrate{ at = "3s", text = "Batch 3000 ms: no payment, yet output 1 repeats o3: both its records are still in the 2 s windows." }
narrate{ at = "5s", text = "Batch 5000 ms: o4's payment, 2 batches after its order. Only the 3 s window of orders still holds the order." }

expect{ output = 0, unordered = true, batches = {
  { { "o1", { "book", "12" } } },
  { { "o3", { "pen", "2" } } },
  {}, {}, {}, {},
} }
expect{ output = 1, unordered = true, batches = {
  { { "o1", { "book", "12" } } },
  { { "o1", { "book", "12" } }, { "o2", { "lamp", "30" } }, { "o3", { "pen", "2" } } },
  { { "o3", { "pen", "2" } } },
  {}, {}, {},
} }
expect{ output = 2, unordered = true, batches = {
  { { "o1", { "book", "12" } } },
  { { "o2", { "lamp", "30" } }, { "o3", { "pen", "2" } } },
  {}, {},
  { { "o4", { "desk", "150" } } },
  {},
} }

ssc:start()
ssc:awaitTerminationOrTimeout("6500ms")
