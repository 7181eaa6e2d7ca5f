-- 02 sliding windows: window and countByWindow.
--
-- Concept: a windowed DStream sees, at each slide, the union of the batches
-- of the last windowDuration. Both durations must be multiples of the batch
-- interval (here 1 s): windowDuration 3 s = 3 batches, slideDuration 2 s =
-- an output every 2nd batch. At time t the window holds the batches of
-- (t - 3 s, t]; at the start the window is partial; between slides a
-- windowed stream emits nothing.
-- Input: the first 36 lines of the fortune file, typed into netcat so that
-- the batch of k s gets k lines (1 line in batch 1000 ms, 2 in 2000 ms, ...,
-- 8 in 8000 ms), so that a count tells which batches were in the window.
--
-- Watch in the visualiser: the outputs panel. Output 0 writes at every
-- batch; the windowed outputs 1 and 2 only at 2, 4, 6 and 8 s (the slide).
-- Output 2's bars (rows per window: 3, 9, 15, 21) grow as the window slides
-- over bigger batches.
--
-- Predict, then run:
--   Q1. What does countByWindow("3s", "2s") print at 2 s, 4 s, 6 s and 8 s?
--       A. 3, 9, 15, 21: at 2 s the window is partial (batches 1 and 2:
--          1 + 2), then 2 + 3 + 4, 4 + 5 + 6, 6 + 7 + 8 (output 1; output 0
--          prints each batch's own count, 1 to 8).
--   Q2. The window (3 s) is longer than the slide (2 s): which batches are
--       counted twice, and which once?
--       A. The even ones (2000, 4000, 6000 ms) are in two windows, the odd
--          ones in one: output 2 tags every line with its batch time and
--          prints each window of tags (4000 appears at 4 s and at 6 s).
--   Q3. Output 0 (lines:count()) writes at every batch. How many writes do
--       the three outputs make in all?
--       A. 16: 8 for output 0, and 4 each for the windowed outputs, which
--          write only at 2, 4, 6 and 8 s (sink_write events).
scenario{ name = "02 sliding windows", seed = 1, duration = "8500ms" }

-- Line i of batch k (k = 1..8, i = 1..k) arrives at (k - 1) + 0.1 x i s:
-- well inside its batch, in the block of the next 200 ms tick. The lines
-- after the 36th arrive after the run (at 1000 s).
netcat{ port = 9999, file = "data/fortunes/fortunes", arrival = function(line, n)
  local k = 1
  while k * (k + 1) // 2 < n do k = k + 1 end
  if k > 8 then return 1000 end
  return (k - 1) + 0.1 * (n - (k - 1) * k // 2)
end }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
ssc:checkpoint("checkpoint")   -- countByWindow is an incremental reduceByWindow (+, -): Spark requires it

local lines = ssc:socketTextStream("localhost", 9999)

lines:count():print()                                                 -- output 0: lines per batch
lines:countByWindow("3s", "2s"):print()                               -- output 1

-- Tag each line with the time of the batch it came in (transform gets the
-- batch's RDD and its time), then take the 3 s window of the tags: a window
-- is the union of its batches' RDDs, in time order.
local batchOfLine = lines:transform(function(rdd, time_ms)
  return rdd:map(function(_) return time_ms end)
end)
batchOfLine:window("3s", "2s"):print(30)                             -- output 2

narrate{ at = "1s", text = "Batch 1000 ms: 1 line (output 0). Not a multiple of the slide (2 s): the windowed streams emit nothing." }
narrate{ at = "2s", text = "Batch 2000 ms, a slide: the first window is partial, only batches 1000 and 2000 ms exist: 1 + 2 = 3 lines." }
narrate{ at = "4s", text = "4 s: a full window of 3 batches, (1 s, 4 s]: batches 2000, 3000, 4000 ms, 2 + 3 + 4 = 9 lines. Batch 1000 ms has left." }
narrate{ at = "6s", text = "6 s: (3 s, 6 s]: 4 + 5 + 6 = 15. The window is 3 batches long and slides by 2: batch 4000 ms is in two windows." }
narrate{ at = "8s", text = "8 s: 6 + 7 + 8 = 21. Odd batches were counted once, even batches twice." }

expect{ output = 0, batches = { { 1 }, { 2 }, { 3 }, { 4 }, { 5 }, { 6 }, { 7 }, { 8 } } }
expect{ output = 1, batches = { { 3 }, { 9 }, { 15 }, { 21 } } }
expect{ output = 2, batches = {
  { 1000, 2000, 2000 },
  { 2000, 2000, 3000, 3000, 3000, 4000, 4000, 4000, 4000 },
  { 4000, 4000, 4000, 4000, 5000, 5000, 5000, 5000, 5000, 6000, 6000, 6000, 6000, 6000, 6000 },
  { 6000, 6000, 6000, 6000, 6000, 6000, 7000, 7000, 7000, 7000, 7000, 7000, 7000,
    8000, 8000, 8000, 8000, 8000, 8000, 8000, 8000 },
} }
-- Every batch writes output 0 (8 writes); the windowed outputs 1 and 2 write
-- only at a slide (4 writes each). 36 lines in 20 blocks (ceil(k / 2) per batch).
expect{ events = { batch_generated = 8, sink_write = 16, block_created = 20 } }

ssc:start()
ssc:awaitTerminationOrTimeout("8500ms")
