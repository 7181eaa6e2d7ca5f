-- Lab 02 — Sliding windows: reduceByKeyAndWindow with and without the inverse
-- function (starter).
--
-- Run it:    build/streamlab run labs/02-sliding-windows/starter.lua
-- Grade it:  build/streamlab grade labs/02-sliding-windows labs/02-sliding-windows/starter.lua \
--              --answers labs/02-sliding-windows/answers.lua
-- It runs as it is: outputs 1 to 3 print empty batches until you write the
-- TODO blocks (replace each placeholder line, marked "replace me").
--
-- Requests per HTTP status code over the last 12 minutes of a web log, every
-- 4 minutes, three ways. Input: the NASA Kennedy Space Center web log of
-- 03/Jul/1995, 10:44 to 11:44, counted in aggregate only (status codes, never a
-- client), replayed 60 times faster: one simulated second is one minute of log,
-- a batch (2 s) is two minutes. Minute m (0 = 10:44) is sent during the first
-- 3/4 of second m, so all its blocks reach the batch that follows. The slice
-- holds a real incident: 53 HTTP 500s from a failing CGI script, 10:49:40 to
-- 10:55:47 (batches 6000 to 12000 ms).
scenario{ name = "lab 02 sliding windows", seed = 1, duration = "60500ms" }

local W = "12s"   -- windowDuration: 12 minutes of log, 6 batches
local S = "4s"    -- slideDuration: a window every 4 minutes of log, every 2nd batch

netcat{ port = 9999, file = "data/nasa-http-1995/NASA_access_log_Jul95.xal", start = "10ms",
        arrival = function(line, i)
  local h, m, s = line:match("%[03/Jul/1995:(%d%d):(%d%d):(%d%d)")
  local minute = tonumber(h) * 60 + tonumber(m) - (10 * 60 + 44)
  if minute < 0 or minute >= 60 then return 100000 end   -- outside the slice: after the run
  return minute + tonumber(s) / 80
end }

local ssc = StreamingContext{ batchDuration = "2s", workers = 2, cores = 2 }
ssc:checkpoint("checkpoint")   -- the inverse function needs it: each window is built on the one before

-- "... HTTP/1.0" 500 0  ->  ("500", 1)
local lines = ssc:socketTextStream("localhost", 9999)
local byStatus = lines:map(function(line) return { line:match(" (%d%d%d) %S+$"), 1 } end)

-- Output 0 (given): requests per status code in each batch (2 minutes of log).
byStatus:reduceByKey(add):print()                                                  -- output 0

-- The three windowed outputs: requests per status code over the last W, every S.
-- reduceByKeyAndWindow(func, invFunc, windowDuration, slideDuration, numPartitions, filterFunc)
-- (PySpark's order; pass nil for an argument you leave out). The built-ins
-- add and sub are _ + _ and _ - _; a Lua function(a, b) works as well.

-- Output 1. TODO 1: without the inverse function: each window is reduced afresh
--   from the per-batch counts of all its batches.
local noInverse = byStatus:filter(function(_) return false end)      -- replace me (TODO 1)
noInverse:print()                                                    -- output 1

-- Output 2. TODO 2: with the inverse function: the new window is the previous
--   one, plus the batches that came in, minus the batches that left. Which
--   function undoes add?
local withInverse = byStatus:filter(function(_) return false end)    -- replace me (TODO 2)
withInverse:print()                                                  -- output 2

-- Output 3. TODO 3: as output 2, and drop the keys whose count fell to 0 with
--   filterFunc, a function of the (key, count) record that returns true to keep it.
local filtered = byStatus:filter(function(_) return false end)       -- replace me (TODO 3)
filtered:print()                                                     -- output 3

ssc:start()
ssc:awaitTerminationOrTimeout("60500ms")
