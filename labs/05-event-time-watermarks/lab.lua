-- Lab 05 — Event time and watermarks. What `streamlab grade` checks.
--
-- The bulletin's budget, from the query's progress reports: at most 100 rows
-- dropped by the watermark over the run, at most 60 hours in the state store
-- at once; and its rule, from the sink: each hour written once. Any delay
-- that fits the budget passes (46 to 56 hours do, in append mode), so no
-- check compares the rows with the solution's batch by batch.
lab{ name = "Event time and watermarks: the earthquake bulletin", seed = 1 }

local MAX_DROPPED, MAX_STATE = 100, 60

local function progress(run)
  local q = run.queries and run.queries.bulletin
  return (q and q.progress) or {}
end

local function operator(p) return p.stateOperators and p.stateOperators[1] end

-- "2018-01-31 02:00 UTC" for a time in ms since the epoch (no os.date in the sandbox).
local function utc(ms)
  local s = ms // 1000
  local days, rem = s // 86400, s % 86400
  local z = days + 719468                      -- H. Hinnant's civil_from_days
  local era = z // 146097
  local doe = z - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local d = doy - (153 * mp + 2) // 5 + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400 + (m <= 2 and 1 or 0)
  return string.format("%04d-%02d-%02d %02d:%02d UTC", y, m, d, rem // 3600, rem % 3600 // 60)
end

check{ name = "a watermark on the event time", points = 1,
       hint = "Append output mode not supported when there are streaming aggregations on streaming DataFrames/DataSets without watermark, Spark says at start() when append mode has no withWatermark(\"time\", DELAY) before the groupBy; in update or complete mode, without a watermark the state keeps every hour",
       test = function(run)
         local ps = progress(run)
         if #ps == 0 then return false, "the query \"bulletin\" reported no progress" end
         for _, p in ipairs(ps) do
           if (p.watermarkMs or 0) > 0 then return true end
         end
         return false, "no progress report has a watermark (eventTime.watermark)"
       end }

check{ name = "at most 100 rows dropped", points = 2,
       hint = "the watermark drops too much: the delay is shorter than many reports are late (updated - time: median 4 h, 90 % within 45.6 h, PROVENANCE.md); a report whose hour ended before the watermark is dropped, so the delay must cover most of the lateness",
       test = function(run)
         local ps, dropped, worst, at = progress(run), 0, 0, nil
         if #ps == 0 then return false, "the query \"bulletin\" reported no progress" end
         for _, p in ipairs(ps) do
           local op = operator(p)
           local d = op and op.numRowsDroppedByWatermark or 0
           dropped = dropped + d
           if d > worst then worst, at = d, p.batchId end
         end
         if dropped > MAX_DROPPED then
           return false, string.format("%d rows dropped by the watermark (numRowsDroppedByWatermark, summed), at most %d; the most in one batch: %d, batch %d",
                                       dropped, MAX_DROPPED, worst, at)
         end
         return true
       end }

check{ name = "at most 60 hours in the state", points = 2,
       hint = "the state holds more than 60 hours: complete mode keeps every hour for ever, whatever the watermark (its output is the whole table), and a delay of D keeps about D / 1 hour of hours open: shorten the delay, or leave complete mode",
       test = function(run)
         local ps, most, at = progress(run), -1, nil
         for _, p in ipairs(ps) do
           local op = operator(p)
           if op and op.numRowsTotal > most then most, at = op.numRowsTotal, p.batchId end
         end
         if most < 0 then return false, "no progress report of \"bulletin\" has a state operator" end
         if most > MAX_STATE then
           return false, string.format("%d hours in the state at batch %d (numRowsTotal), at most %d", most, at, MAX_STATE)
         end
         return true
       end }

check{ name = "each hour written once", points = 2,
       hint = "the bulletin writes each hour once, final: append mode. update writes an hour again each time its count changes, complete writes the whole table every batch",
       test = function(run)
         local q = run.queries and run.queries.bulletin
         if not q then return false, "no query named \"bulletin\"" end
         local seen, rows = {}, 0
         for _, b in ipairs(q.batches or {}) do
           for _, r in ipairs(b.rows or {}) do
             rows = rows + 1
             local key = r.window and r.window.start
             if key == nil then return false, string.format("batch %d: a row without a window", b.batch_id) end
             if seen[key] then
               return false, string.format("the hour from %s is written in batch %d and again in batch %d",
                                           utc(key), seen[key], b.batch_id)
             end
             seen[key] = b.batch_id
           end
         end
         if rows == 0 then return false, "the sink got no row" end
         return true
       end }

-- The questions: the engine answers them from the solution's run (2 days, append).
local function solution_progress(solution) return solution.queries.bulletin.progress end

question{ id = "dropped_rows", points = 1,
          text = "With the solution's 2-day watermark, how many rows does the watermark drop in the whole run (numRowsDroppedByWatermark, summed)?",
          answer = function(solution)
            local n = 0
            for _, p in ipairs(solution_progress(solution)) do n = n + (operator(p) and operator(p).numRowsDroppedByWatermark or 0) end
            return n
          end }

question{ id = "max_state", points = 1,
          text = "With the solution's 2-day watermark, how many hours does the state store hold at most (numRowsTotal)?",
          answer = function(solution)
            local most = 0
            for _, p in ipairs(solution_progress(solution)) do
              if operator(p) and operator(p).numRowsTotal > most then most = operator(p).numRowsTotal end
            end
            return most
          end }

question{ id = "first_batch", points = 1,
          text = "In append mode with the 2-day watermark, which batch (its batchId) writes the bulletin's first hour?",
          answer = function(solution)
            for _, b in ipairs(solution.queries.bulletin.batches) do
              if #b.rows > 0 then return b.batch_id end
            end
            error("the solution's sink got no row")
          end }

question{ id = "hours_published", points = 1,
          text = "How many hours has the solution's bulletin published when the run ends?",
          answer = function(solution)
            local n = 0
            for _, b in ipairs(solution.queries.bulletin.batches) do n = n + #b.rows end
            return n
          end }

question{ id = "hours_open", points = 1,
          text = "How many hours are still in the state store, unpublished, after the solution's last batch?",
          answer = function(solution)
            local ps = solution_progress(solution)
            return operator(ps[#ps]).numRowsTotal
          end }
