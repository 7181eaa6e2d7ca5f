-- 03 reduceByKeyAndWindow, without and with the inverse function.
--
-- Concept: requests per HTTP status class over the last 10 minutes, every
-- 2 minutes, three ways from the same stream (output 0 just counts the
-- requests of each batch, for reference):
--   output 1  reduceByKeyAndWindow(add, nil, W, S): each window is reduced
--             afresh from the per-batch results of all its batches. Its cost
--             grows with the window length.
--   output 2  reduceByKeyAndWindow(add, sub, W, S): incremental. The new
--             window is the previous one, plus the batches that came in,
--             minus (sub) the batches that left. Its cost follows the slide,
--             not the window; it needs ssc:checkpoint, since each window is
--             built on the one before (data checkpoint every 10 s). A key
--             whose count fell to 0 stays, (5xx, 0).
--   output 3  the same with filterFunc (count > 0): the zeros are dropped.
-- Input: the NASA Kennedy Space Center web log, 03/Jul/1995 10:46 to 11:08,
-- counted in aggregate only (status classes, no hosts), replayed 60 times
-- faster: one minute of log per 1 s batch (minute m is sent during the first
-- 3/4 of second m, so that all its blocks reach the batch of m + 1 s). It
-- holds a real incident: 53 HTTP 500s from a failing CGI script, 10:49:40
-- to 10:55:47 (batches 4000 to 10000 ms).
-- W = 10 s (10 batches = 10 minutes of log), S = 2 s: windows at 2, 4, ... 22 s.
--
-- Watch in the visualiser: the batch timeline (every 2nd batch, a slide,
-- runs the three window jobs and takes longer), the durable storage panel
-- (data checkpoints of the invertible windows at 10 s and 20 s), and at 20 s
-- the outputs panel: output 2 writes 4 rows, outputs 1 and 3 write 3.
--
-- Predict, then run:
--   Q1. The last 500 is in the batch of 10000 ms. What does each output say
--       about 5xx at 20 s and 22 s?
--       A. Output 1: nothing (no batch in (10 s, 20 s] has a 5xx). Output 2:
--          (5xx, 0): 53 were added, 53 subtracted, the key stays. Output 3:
--          nothing, its filterFunc drops it.
--   Q2. Once the window is full (from 12 s), how many tasks does each output's
--       job run per window?
--       A. Output 1: 52 = 8 (map stages of the 2 new batches, 4 blocks each)
--          + 40 (the 10 per-batch results, 4 partitions each, shuffled again)
--          + 4 (the final reduce). Outputs 2 and 3: 32 = 8 + 20 (the previous
--          window, the 2 new and the 2 old batches' results, 4 partitions
--          each) + 4; before any batch leaves (4 to 10 s) 24. While the
--          window fills (2 to 10 s) output 1 runs 20, 28, 36, 44, 52 tasks:
--          each batch of window length costs it 4 more; outputs 2 and 3
--          nothing.
--          (Trace: job_start, then stage_submitted's task counts; the jobs of
--          a batch start in output order.)
scenario{ name = "03 reduceByKeyAndWindow", seed = 1, duration = "22500ms" }

-- Minute m (0 = 10:46) arrives at m + s/80 seconds (s the second within the
-- minute), after start = 10 ms; the rest of the log arrives after the run.
netcat{ port = 9999, file = "data/nasa-http-1995/NASA_access_log_Jul95.xal", start = "10ms",
        arrival = function(line, i)
  local h, m, s = line:match("%[03/Jul/1995:(%d%d):(%d%d):(%d%d)")
  local minute = tonumber(h) * 60 + tonumber(m) - (10 * 60 + 46)
  if minute < 0 or minute >= 22 then return 100000 end
  return minute + tonumber(s) / 80
end }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
ssc:checkpoint("checkpoint")   -- required by the inverse function (Spark says so too)

-- "... HTTP/1.0" 500 0  ->  ("5xx", 1)
local lines = ssc:socketTextStream("localhost", 9999)
local byClass = lines:map(function(line) return { line:match(" (%d)%d%d %S+$") .. "xx", 1 } end)

lines:count():print()                                                               -- output 0
byClass:reduceByKeyAndWindow(add, nil, "10s", "2s"):print()                          -- output 1
byClass:reduceByKeyAndWindow(add, sub, "10s", "2s"):print()                          -- output 2
byClass:reduceByKeyAndWindow(add, sub, "10s", "2s", nil,
                             function(kv) return kv[2] > 0 end):print()             -- output 3

narrate{ at = "2s", text = "First slide: a partial window (batches 1000 and 2000 ms). The three window outputs agree; outputs 2 and 3 start their chain of windows." }
narrate{ at = "4s", text = "10:49:40 in the log: the first HTTP 500s (5xx) enter the window." }
narrate{ at = "10s", text = "The window is full: output 1 reduces 10 batches' results again (52 tasks from now on); outputs 2 and 3 add 2 batches to the previous window (24 tasks), and checkpoint it." }
narrate{ at = "12s", text = "Batches start to leave: outputs 2 and 3 subtract the 2 oldest batches with sub (32 tasks), whatever the window length." }
narrate{ at = "20s", text = "The last 500 (batch 10000 ms) has left: output 1 no longer has a 5xx key, output 2 keeps (5xx, 0), output 3's filterFunc drops it." }

-- Requests per batch (one minute of log each), 1000 to 22000 ms.
expect{ output = 0, batches = { { 65 }, { 55 }, { 73 }, { 75 }, { 97 }, { 116 }, { 72 }, { 72 }, { 59 }, { 102 },
  { 66 }, { 106 }, { 66 }, { 85 }, { 105 }, { 81 }, { 74 }, { 50 }, { 80 }, { 104 }, { 98 }, { 77 } } }
-- Per window, in the order of the slides (records in any order): the same
-- for outputs 1 and 3. Output 2 has (5xx, 0) in addition at 20 s and 22 s.
local windows = {
  { { "2xx", 110 }, { "3xx", 10 } },                                       --  2 s
  { { "2xx", 245 }, { "3xx", 19 }, { "4xx", 1 }, { "5xx", 3 } },            --  4 s
  { { "2xx", 417 }, { "3xx", 41 }, { "4xx", 1 }, { "5xx", 22 } },           --  6 s
  { { "2xx", 536 }, { "3xx", 56 }, { "4xx", 2 }, { "5xx", 31 } },           --  8 s
  { { "2xx", 671 }, { "3xx", 60 }, { "4xx", 2 }, { "5xx", 53 } },           -- 10 s
  { { "2xx", 721 }, { "3xx", 60 }, { "4xx", 4 }, { "5xx", 53 } },           -- 12 s
  { { "2xx", 720 }, { "3xx", 68 }, { "4xx", 3 }, { "5xx", 50 } },           -- 14 s
  { { "2xx", 725 }, { "3xx", 54 }, { "4xx", 4 }, { "5xx", 31 } },           -- 16 s
  { { "2xx", 717 }, { "3xx", 51 }, { "4xx", 4 }, { "5xx", 22 } },           -- 18 s
  { { "2xx", 756 }, { "3xx", 57 }, { "4xx", 4 } },                          -- 20 s
  { { "2xx", 763 }, { "3xx", 52 }, { "4xx", 5 } },                          -- 22 s
}
local withZeros = {}
for i, w in ipairs(windows) do
  withZeros[i] = { table.unpack(w) }
  if i >= 10 then table.insert(withZeros[i], { "5xx", 0 }) end
end
expect{ output = 1, unordered = true, batches = windows }
expect{ output = 2, unordered = true, batches = withZeros }
expect{ output = 3, unordered = true, batches = windows }
-- Q2's cost, summed: output 1 20 + 28 + 36 + 44 + 52 + 6 x 52 = 492 tasks;
-- outputs 2 and 3 20 + 4 x 24 + 6 x 32 = 308 each, plus a data checkpoint
-- job of 4 tasks each at 10 s and at 20 s; output 0 6 tasks a batch, 132:
-- 1256 tasks. 22 + 33 output jobs and 4 checkpoint jobs; 4 data checkpoints.
expect{ events = { task_end = 1256, job_start = 59, checkpoint_write = 4 } }

ssc:start()
ssc:awaitTerminationOrTimeout("22500ms")
