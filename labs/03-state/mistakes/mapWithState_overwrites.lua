-- hint: keep the session's total in the state: state:update(before + n)
-- Lab 03 — a typical wrong submission: state:update(n) in the mapping function:
-- the state holds the last batch's requests, not the session's.
--
-- Web sessions from a real log. The key is the client of a request, the state
-- its session; only aggregates are printed (how many sessions, how long), never
-- a client: the log's publishers ask for "general traffic patterns" only.
-- Input: the NASA Kennedy Space Center web log of 03/Jul/1995, 11:00 to 11:30,
-- replayed 60 times faster: one minute of log per 1 s batch (minute m is sent
-- during the first 3/4 of second m, so all its blocks reach the batch of m + 1 s).
scenario{ name = "lab 03 state", seed = 1, duration = "30500ms" }

netcat{ port = 9999, file = "data/nasa-http-1995/NASA_access_log_Jul95.xal", start = "10ms",
        arrival = function(line, i)
  local h, m, s = line:match("%[03/Jul/1995:(%d%d):(%d%d):(%d%d)")
  local minute = tonumber(h) * 60 + tonumber(m) - 11 * 60
  if minute < 0 or minute >= 30 then return 100000 end   -- outside the slice: after the run
  return minute + tonumber(s) / 80
end }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
ssc:checkpoint("checkpoint")   -- state needs it: each batch's state is built on the one before

local lines = ssc:socketTextStream("localhost", 9999)
local requests = lines:map(function(line) return { line:match("^%S+"), 1 } end)   -- (client, 1)

-- A session's length as a bucket, so that what is printed stays aggregate.
local function bucket(n)
  if n == 1 then return "1" elseif n <= 4 then return "2-4" elseif n <= 9 then return "5-9"
  elseif n <= 19 then return "10-19" else return "20+" end
end

local IDLE = 3   -- batches in a row without a request that end a session

------------------------------------------------------------------------------
-- Part A: updateStateByKey. The state of a client is its session so far,
-- { requests, idle }: how many requests it made, and how many batches in a row
-- it has been quiet.
------------------------------------------------------------------------------

-- TODO 1 (done). values: this batch's 1s for the client (an empty list when it
-- sent nothing); state: its session, or nil for a client without one.
-- Return the new state; nil ends the session (removes the key).
local function updateSession(values, state)
  local requests, idle = 0, 0
  if state then requests, idle = state[1], state[2] end
  if #values > 0 then
    return { requests + #values, 0 }       -- a request: the session goes on
  end
  if idle + 1 >= IDLE then return nil end  -- the 3rd quiet batch: the session ends
  return { requests, idle + 1 }
end

local sessions = requests:updateStateByKey(updateSession)

sessions:count():print()                                                          -- output 0
sessions:map(function(kv) return bucket(kv[2][1]) end):countByValue():print()     -- output 1

------------------------------------------------------------------------------
-- Part B: mapWithState with a timeout. The state of a client is just its
-- request count; a session ends when the client has been quiet for longer
-- than the timeout (3 s): Spark then calls the function one last time, with no
-- value and state:isTimingOut() true, and removes the key.
------------------------------------------------------------------------------

-- TODO 2 (done). n: the client's requests in this batch (nil when it times out).
-- Returns what the mapped stream gets: a finished session's request count, or
-- nil (nothing) while the session goes on.
local function trackSession(client, n, state)
  if state:isTimingOut() then
    return state:get()                      -- the session ended: its length
  end
  local before = state:exists() and state:get() or 0
  state:update(n)                           -- the mistake: the requests before are lost
  return nil
end

-- TODO 3 (done): the StateSpec, with the timeout.
local spec = StateSpec.func(trackSession):timeout("3s")

local ended = requests:reduceByKey(add):mapWithState(spec)
ended:map(bucket):countByValue():print()                                          -- output 2
ended:stateSnapshots():count():print()                                            -- output 3

ssc:start()
ssc:awaitTerminationOrTimeout("30500ms")
