-- 12 Rate spikes: processing time above the batch interval, scheduling delay.
--
-- Concept. Batches are generated on the grid (every batchDuration) whatever
-- happens, and run one at a time. While processing time stays under the
-- batch interval, each batch starts when it is generated. When a burst
-- makes one batch take longer than the interval, the batches generated
-- meanwhile queue behind it: their scheduling delay (generation to start)
-- grows. Once the input is back to normal, each batch finishes early and
-- the queue drains by (interval - processing time) per batch. The Spark UI
-- tells the two apart: processing time is the cost of the work, scheduling
-- delay is the cost of the queue. A stable job is one whose processing time
-- stays under the interval on average, not at every instant.
--
-- A socket text stream with a word count, batch 1 s; a simulated cost of
-- 2 ms per record in each task (cost = { perRecord = "2ms" }). netcat sends
-- 20 lines a second, except from 5 s to 5.5 s: 400 lines at once.
--
-- Watch in the visualiser: the batch timeline. The bars of 0.3 to 0.5 s,
-- the tall one of batch 6000 ms (5.6 s, above the dashed batch interval),
-- then a staircase of hatched scheduling delay going down from 4.6 s by
-- about 0.55 s a batch, to nothing at 15 s. The Outputs panel: output 1's
-- tall bar for batch 6000 ms (its distinct words; output 0 is one count).
--
-- Predict, then run:
--   1. Batch 6000 ms has 410 lines; the others 20 and take about 0.4 s. When
--      does batch 7000 ms start? (At 11.63 s, 4626 ms late: batch 6000 ms ran
--      5626 ms.)
--   2. How many batches wait in the queue? (9, 7000 to 15000 ms, each about
--      0.55 s less than the one before; 15000 ms only 106 ms.)
-- Then try spark.streaming.receiver.maxRate = 50 in the StreamingContext
-- (and duration = "20s"): the receiver takes at most 50 lines a second, the
-- burst waits at the source and comes in over 12 batches, and the
-- scheduling delay peaks at 604 ms instead of 4626 ms: the records are late
-- at the source instead of in the queue.
scenario{ name = "12 rate spikes: processing time, scheduling delay", seed = 3, duration = "15500ms" }

netcat{ port = 9999, file = "data/fortunes/fortunes", arrival = function(line, i)
  if i <= 100 then return (i - 1) / 20 end          -- 20 lines a second until 5 s
  if i <= 500 then return 5 + (i - 101) / 800 end   -- the burst: 400 lines from 5 s to 5.5 s
  return 5.5 + (i - 501) / 20                       -- 20 lines a second again
end }

narrate{ at = "1s", text = "20 lines a second; each batch takes 0.3 to 0.5 s, under the 1 s interval: no queue." }
narrate{ at = "5s", text = "A burst: 400 lines in half a second. The receiver stores them in blocks as usual; nothing is lost." }
narrate{ at = "6s", text = "Batch 6000 ms: 410 lines. At 2 ms a record its word count runs 5.6 s, far above the batch interval." }
narrate{ at = "7s", text = "Batches 7000, 8000 ms... are generated on time and wait: scheduling delay, hatched, grows." }
narrate{ at = "11626ms", text = "Batch 6000 ms done; 7000 ms starts 4.6 s late. Each takes ~0.45 s: the queue shrinks ~0.55 s a batch." }
narrate{ at = "15s", text = "Batch 15000 ms starts 106 ms late: drained. The delay came from the burst, not from a fault." }

-- output 0: lines per batch, the burst in batch 6000 ms
expect{ output = 0, batches = { {16}, {20}, {20}, {20}, {20}, {410}, {20}, {20}, {20}, {20}, {20}, {20}, {20}, {20}, {20} } }
expect{ events = {
  batch_done = 15,          -- the queue drained before the end: every batch done
  job_start = 30,           -- 2 outputs x 15 batches
} }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2, cost = { perRecord = "2ms" } }

local lines = ssc:socketTextStream("localhost", 9999)
lines:count():print()                                                 -- output 0
lines:flatMap(function(l) local w = {} for x in l:gmatch("%a+") do w[#w + 1] = x:lower() end return w end)
  :map(function(w) return { w, 1 } end)
  :reduceByKey(function(a, b) return a + b end)
  :print()                                                            -- output 1

ssc:start()
ssc:awaitTerminationOrTimeout("15500ms")
