-- hint: must be a multiple of the slide duration of parent DStream
-- Lab 02 — a typical wrong submission: a 15 s window with 2 s batches:
-- Spark refuses it at once (a window must be a whole number of batches).
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

local W = "15s"   -- the mistake: not a multiple of the batch interval (2s)
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

-- Output 1. TODO 1 (done): each window reduced afresh from its batches.
byStatus:reduceByKeyAndWindow(add, nil, W, S):print()                              -- output 1

-- Output 2. TODO 2 (done): incremental, the previous window plus the batches
-- that came in, minus (the inverse function, sub) the batches that left.
byStatus:reduceByKeyAndWindow(add, sub, W, S):print()                              -- output 2

-- Output 3. TODO 3 (done): incremental too, and the keys whose count fell to 0
-- dropped by filterFunc.
byStatus:reduceByKeyAndWindow(add, sub, W, S, nil,
                              function(kv) return kv[2] > 0 end):print()           -- output 3

ssc:start()
ssc:awaitTerminationOrTimeout("60500ms")
