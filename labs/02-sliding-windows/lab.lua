-- Lab 02 — Sliding windows. What `streamlab grade` checks.
lab{ name = "Sliding windows: reduceByKeyAndWindow and its inverse", seed = 1 }

-- The batches of output i in a run (an empty list when the output is missing).
local function batches(run, i)
  return (run.outputs and run.outputs[i]) or {}
end

-- A batch's (key, count) records as a sorted list of "key=count" text; with
-- nonzero = true, without the records whose count is 0.
local function canon(records, nonzero)
  local list = {}
  for _, r in ipairs(records) do
    if type(r) ~= "table" then
      list[#list + 1] = tostring(r)
    elseif not (nonzero and r[2] == 0) then
      list[#list + 1] = tostring(r[1]) .. "=" .. tostring(r[2])
    end
  end
  table.sort(list)
  return table.concat(list, " ")
end

-- Output a of a run against output b of the same run, window by window.
local function same_windows(run, a, b, nonzero_a)
  local A, B = batches(run, a), batches(run, b)
  local n = 0
  for _, x in ipairs(A) do n = n + #x.records end
  if n == 0 then return false, string.format("output %d printed no records", a) end
  if #A ~= #B then
    return false, string.format("output %d printed %d batches, output %d %d", a, #A, b, #B)
  end
  for i = 1, #B do
    if A[i].time_ms ~= B[i].time_ms then
      return false, string.format("output %d printed at %d ms, output %d at %d ms", a, A[i].time_ms, b, B[i].time_ms)
    end
    local x, y = canon(A[i].records, nonzero_a), canon(B[i].records)
    if x ~= y then
      return false, string.format("window %d ms: output %d has [%s], output %d [%s]", B[i].time_ms, a, x, b, y)
    end
  end
  return true
end

-- Output 1 against the solution: the window's length, slide and reduce.
check{ name = "windowed counts", points = 2, output = 1, unordered = true,
       hint = "the window, 12s, then the slide, 4s: both must be multiples of the batch interval (2s), and the window a whole number of slides, or batches fall into different numbers of windows; reduceByKeyAndWindow(add, nil, W, S) reduces each window afresh" }

-- Output 2 against the student's own output 1: the same windows, except keys at 0.
check{ name = "inverse undoes the reduce", points = 2,
       hint = "the inverse function must undo the reduce: sub for add. With add as the inverse, a batch that leaves the window is added a second time instead of taken away",
       test = function(run, solution) return same_windows(run, 2, 1, true) end }

-- Output 2 is incremental: a key whose count fell to 0 stays, (500, 0).
check{ name = "keys at zero stay", points = 1,
       hint = "output 2 must pass the inverse function (sub): only an incremental window keeps a key whose count fell to 0, such as (500, 0) once the last HTTP 500 has left",
       test = function(run, solution)
         local n = 0
         for _, b in ipairs(batches(run, 2)) do
           for _, r in ipairs(b.records) do
             if type(r) == "table" and r[2] == 0 then n = n + 1 end
           end
         end
         if n == 0 then return false, "output 2 never prints a key with count 0" end
         return true
       end }

-- Output 3 against the student's own output 1: filterFunc drops the zeros.
check{ name = "zeros filtered", points = 2,
       hint = "filterFunc, the 6th argument, gets each (key, count) record and returns true to keep it: function(kv) return kv[2] > 0 end; output 3 must then print what output 1 prints",
       test = function(run, solution) return same_windows(run, 3, 1, false) end }

-- The cost: outputs 2 and 3 incremental, checkpointed, no more tasks than the solution.
check{ name = "incremental windows", points = 1,
       hint = "outputs 2 and 3 must both pass the inverse function (sub): with nil, filterFunc is ignored (PySpark's rule) and each window is reduced afresh from its 6 batches, which costs more tasks; only incremental windows are checkpointed",
       test = function(run, solution)
         local ck, want = run.events.checkpoint_write or 0, solution.events.checkpoint_write or 0
         if ck < want then
           return false, string.format("%d data checkpoints of incremental windows, expected %d", ck, want)
         end
         local t, tw = run.events.task_end or 0, solution.events.task_end or 0
         if t > tw then
           return false, string.format("%d tasks in all, the solution %d", t, tw)
         end
         return true
       end }

-- The records of output i in the solution's window at time t.
local function window_at(solution, i, t)
  for _, b in ipairs(batches(solution, i)) do
    if b.time_ms == t then return b.records end
  end
  error("the solution has no window " .. t .. " ms in output " .. i)
end

local function count_of(records, key)
  for _, r in ipairs(records) do
    if r[1] == key then return r[2] end
  end
  return 0
end

question{ id = "windows", points = 1,
          text = "How many windows does output 1 print in the 60.5 s run?",
          answer = function(solution) return #batches(solution, 1) end }

question{ id = "errors_12000", points = 1,
          text = "How many HTTP 500s does the window at 12 s (12000 ms) count?",
          answer = function(solution) return count_of(window_at(solution, 1, 12000), "500") end }

question{ id = "errors_20000", points = 1,
          text = "How many HTTP 500s does the window at 20 s count?",
          answer = function(solution) return count_of(window_at(solution, 1, 20000), "500") end }

question{ id = "zero_key", points = 1,
          text = "Which status code does output 2 print with a count of 0 at 24 s?",
          answer = function(solution)
            for _, r in ipairs(window_at(solution, 2, 24000)) do
              if r[2] == 0 then return math.tointeger(tonumber(r[1])) end   -- "500" -> 500
            end
            error("no key at 0 in output 2 at 24000 ms")
          end }

question{ id = "zero_windows", points = 1,
          text = "In how many windows does output 2 print a key with a count of 0?",
          answer = function(solution)
            local n = 0
            for _, b in ipairs(batches(solution, 2)) do
              for _, r in ipairs(b.records) do
                if r[2] == 0 then n = n + 1; break end
              end
            end
            return n
          end }

question{ id = "checkpoints", points = 1,
          text = "How many data checkpoints (checkpoint_write events) does the run write?",
          answer = function(solution) return solution.events.checkpoint_write end }
