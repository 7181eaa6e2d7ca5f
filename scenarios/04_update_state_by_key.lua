-- 04 updateStateByKey: per-key state across batches (web sessions).
--
-- Concept: updateStateByKey(f) keeps a value per key from batch to batch.
-- At every batch Spark calls f(values, state) for every key that has new
-- values OR a state: new keys get state nil, keys without new data get an
-- empty list. What f returns is the key's new state; nil removes the key.
-- The state is a whole new RDD each batch, built on the previous one, so
-- Spark requires ssc:checkpoint and cuts its lineage with a data checkpoint
-- every 10 s (max(batch interval, 10 s)).
-- Here the key is the client of a web log, the state its session:
-- { requests, idle batches }. A session ends after 5 batches without a
-- request: f marks it (idle = 5) for one batch, then removes it. Only the
-- aggregate is printed, per batch: how many sessions are active and how
-- many ended. (The log's own note asks for general traffic patterns only:
-- no client is ever printed.)
-- Input: the NASA Kennedy Space Center web log of 03/Jul/1995, 09:10 to
-- 09:30, replayed 60 times faster: one minute of log per 1 s batch (minute
-- m is sent during the first 3/4 of second m), so "5 batches idle" is a
-- 5-minute inactivity timeout.
--
-- Watch in the visualiser: the durable storage panel (a data checkpoint of
-- the state at 10 s and 20 s, written by an extra job in those batches) and
-- the outputs panel (a second row, "ended", from 6000 ms on).
--
-- Predict, then run:
--   Q1. In which batch can the first sessions end, and which ones?
--       A. 6000 ms: clients seen in batch 1000 ms only, idle in 2000, 3000,
--          4000, 5000 and 6000 ms (8 of them: "ended" at 6000 ms).
--   Q2. How many keys does the state hold after batch 20000 ms, and for how
--       many keys will f be called at 21000 ms at least?
--       A. 100 = 91 active + 9 ended; f runs for all 100 (and for any new
--          client), whether they sent a request or not.
scenario{ name = "04 updateStateByKey", seed = 1, duration = "20500ms" }

-- Minute m (0 = 09:10) arrives at m + s/80 seconds (s the second within the
-- minute), after start = 10 ms; the rest of the log arrives after the run.
netcat{ port = 9999, file = "data/nasa-http-1995/NASA_access_log_Jul95.xal", start = "10ms",
        arrival = function(line, i)
  local h, m, s = line:match("%[03/Jul/1995:(%d%d):(%d%d):(%d%d)")
  local minute = tonumber(h) * 60 + tonumber(m) - (9 * 60 + 10)
  if minute < 0 or minute >= 20 then return 100000 end
  return minute + tonumber(s) / 80
end }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
ssc:checkpoint("checkpoint")   -- required: updateStateByKey refuses to run without it

local lines = ssc:socketTextStream("localhost", 9999)
local requests = lines:map(function(line) return { line:match("^%S+"), 1 } end)   -- (client, 1)

local IDLE = 5   -- batches without a request that end a session

-- values: this batch's 1s for the client; state: { requests, idle } or nil.
local function updateSession(values, state)
  if state and state[2] >= IDLE then       -- ended in the batch before
    if #values == 0 then return nil end    -- remove the key
    state = nil                            -- back again: a new session
  end
  local n, idle = 0, 0
  if state then n, idle = state[1], state[2] end
  if #values > 0 then return { n + #values, 0 } end
  return { n, idle + 1 }                   -- idle = 5: ended in this batch
end

local sessions = requests:updateStateByKey(updateSession)

sessions:map(function(kv) return kv[2][2] < IDLE and "active" or "ended" end)
        :countByValue():print()                                                   -- output 0

narrate{ at = "1s", text = "Batch 1000 ms: 28 clients, 28 new keys: f(values, nil) starts a session for each." }
narrate{ at = "2s", text = "Batch 2000 ms: f runs for every key with state, new requests or not; a quiet client's idle count goes up." }
narrate{ at = "6s", text = "Batch 6000 ms: the first sessions end, 8 clients last seen in batch 1000 ms, 5 batches idle. Next batch f returns nil and they leave the state." }
narrate{ at = "10s", text = "Batch 10000 ms: the state RDD is written to checkpoint/ (every 10 s) and its lineage cut there; an extra job of 4 tasks." }
narrate{ at = "20s", text = "Batch 20000 ms: 100 keys in the state, 91 active sessions, and f ran for every one: each batch processes the whole state, not just its own requests." }

expect{ output = 0, unordered = true, batches = {
  { { "active", 28 } },                           --  1000 ms
  { { "active", 45 } },
  { { "active", 55 } },
  { { "active", 65 } },
  { { "active", 74 } },                           --  5000 ms
  { { "active", 79 }, { "ended", 8 } },
  { { "active", 96 }, { "ended", 7 } },
  { { "active", 101 }, { "ended", 13 } },
  { { "active", 88 }, { "ended", 17 } },
  { { "active", 97 }, { "ended", 5 } },           -- 10000 ms
  { { "active", 95 }, { "ended", 10 } },
  { { "active", 85 }, { "ended", 20 } },
  { { "active", 70 }, { "ended", 22 } },
  { { "active", 77 }, { "ended", 4 } },
  { { "active", 74 }, { "ended", 10 } },          -- 15000 ms
  { { "active", 76 }, { "ended", 7 } },
  { { "active", 85 }, { "ended", 6 } },
  { { "active", 91 }, { "ended", 5 } },
  { { "active", 90 }, { "ended", 11 } },
  { { "active", 91 }, { "ended", 9 } },           -- 20000 ms
} }
-- 20 output jobs and 2 data checkpoint jobs (10 s, 20 s).
expect{ events = { batch_done = 20, job_start = 22, checkpoint_write = 2 } }

ssc:start()
ssc:awaitTerminationOrTimeout("20500ms")
