-- Lab 02 — Sliding windows: what a window costs (step 7 of the handout).
--
-- One windowed output only, so that the run's tasks (event_counts.task_end in
-- summary.json, with --out DIR) are the window's cost. Set W (a multiple of
-- the slide, 4 s) and INVERSE, run, note the tasks; the handout's loop does it
-- for W = 4, 8, 12, 16, 24, 32 and 48 s, with and without the inverse.
-- As handed out (48 s, no inverse) it is the run of figure 2.
--
-- Requests per HTTP status code over the last W of the NASA web log, every
-- 4 minutes of log: the same input as solution.lua (10:44 to 11:44, 60 times
-- faster, a 2 s batch is two minutes of log).
scenario{ name = "lab 02 what a window costs", seed = 1, duration = "60500ms" }

local W = "48s"       -- windowDuration: a multiple of the slide
local INVERSE = false -- true: reduceByKeyAndWindow(add, sub, W, S); false: (add, nil, W, S)
local S = "4s"        -- slideDuration: a window every 4 minutes of log, every 2nd batch

netcat{ port = 9999, file = "data/nasa-http-1995/NASA_access_log_Jul95.xal", start = "10ms",
        arrival = function(line, i)
  local h, m, s = line:match("%[03/Jul/1995:(%d%d):(%d%d):(%d%d)")
  local minute = tonumber(h) * 60 + tonumber(m) - (10 * 60 + 44)
  if minute < 0 or minute >= 60 then return 100000 end   -- outside the slice: after the run
  return minute + tonumber(s) / 80
end }

local ssc = StreamingContext{ batchDuration = "2s", workers = 2, cores = 2 }
ssc:checkpoint("checkpoint")   -- the inverse function needs it

local lines = ssc:socketTextStream("localhost", 9999)
local byStatus = lines:map(function(line) return { line:match(" (%d%d%d) %S+$"), 1 } end)

-- The one output: the windowed counts, with the inverse function (sub) or without (nil).
byStatus:reduceByKeyAndWindow(add, INVERSE and sub or nil, W, S):print()             -- output 0

ssc:start()
ssc:awaitTerminationOrTimeout("60500ms")
