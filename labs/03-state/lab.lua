-- Lab 03 — State across batches. What `streamlab grade` checks.
lab{ name = "State: updateStateByKey and mapWithState", seed = 1 }

-- The batches of output i in a run (an empty list when the output is missing).
local function batches(run, i)
  return (run.outputs and run.outputs[i]) or {}
end

-- The single number a count() output printed in a batch (0 when none).
local function number_of(b)
  return (b and b.records[1]) or 0
end

-- Part A: the state survives from batch to batch at all.
check{ name = "state kept", points = 1,
       hint = "the update function must return the new state, { requests, idle }: a function that ends without return gives nil, and nil removes the key, so no session lives past its batch",
       test = function(run, solution)
         local out0 = batches(run, 0)
         if #out0 == 0 then return false, "output 0 printed nothing" end
         for _, b in ipairs(out0) do
           if number_of(b) == 0 then
             return false, string.format("batch %d ms: no session in the state (output 0 prints 0)", b.time_ms)
           end
         end
         return true
       end }

-- Part A: how many sessions are open after each batch.
check{ name = "open sessions", points = 2, output = 0,
       hint = "a session ends (return nil) at the 3rd batch in a row without a request, not before and not never: count the quiet batches in the state (idle), and set it back to 0 on a request" }

-- Part A: how long the open sessions are.
check{ name = "requests per session", points = 2, output = 1, unordered = true,
       hint = "a batch's requests add to the session's: return { state[1] + #values, 0 }; { #values, 0 } forgets the requests of the batches before" }

-- Part B: the sessions that timed out, by length.
check{ name = "ended sessions", points = 2, output = 2, unordered = true,
       hint = "keep the session's total in the state: state:update(before + n), before = state:get() (0 when not state:exists()); state:update(n) forgets the requests before, and the timed-out session must return state:get()" }

-- Part B: sessions time out at all, and the state's size follows the solution's.
check{ name = "sessions time out", points = 1,
       hint = 'StateSpec.func(f):timeout("3s"): without a timeout a session never ends. When it times out, f is called once more with n = nil and state:isTimingOut() true: return state:get(), and neither update nor remove that state',
       test = function(run, solution)
         local n = 0
         for _, b in ipairs(batches(run, 2)) do n = n + #b.records end
         if n == 0 then return false, "no session ever timed out (output 2 is empty)" end
         local got, want = batches(run, 3), batches(solution, 3)
         if #got ~= #want then return false, string.format("output 3 printed %d batches, expected %d", #got, #want) end
         for i = 1, #want do
           if number_of(got[i]) ~= number_of(want[i]) then
             return false, string.format("batch %d ms: the state holds %d sessions, expected %d",
                                         want[i].time_ms, number_of(got[i]), number_of(want[i]))
           end
         end
         return true
       end }

question{ id = "first_end_update", points = 1,
          text = "updateStateByKey: in which batch (ms) can the first sessions end?",
          answer = function(solution)
            -- until then no key has left updateStateByKey's state, so it holds as
            -- many sessions as mapWithState's (whose keys cannot leave before 10 s)
            local a, b = batches(solution, 0), batches(solution, 3)
            for i = 1, #a do
              if number_of(a[i]) ~= number_of(b[i]) then return a[i].time_ms end
            end
            error("the two states never differ")
          end }

question{ id = "first_timeout", points = 1,
          text = "mapWithState with timeout(\"3s\"): in which batch (ms) do the first sessions time out?",
          answer = function(solution)
            for _, b in ipairs(batches(solution, 2)) do
              if #b.records > 0 then return b.time_ms end
            end
            error("no session times out")
          end }

question{ id = "timeout_batches", points = 1,
          text = "In how many batches of the run do sessions time out?",
          answer = function(solution)
            local n = 0
            for _, b in ipairs(batches(solution, 2)) do
              if #b.records > 0 then n = n + 1 end
            end
            return n
          end }

question{ id = "ended_10000", points = 1,
          text = "How many sessions time out in the batch of 10000 ms?",
          answer = function(solution)
            for _, b in ipairs(batches(solution, 2)) do
              if b.time_ms == 10000 then
                local n = 0
                for _, r in ipairs(b.records) do n = n + r[2] end
                return n
              end
            end
            error("no batch 10000 ms in output 2")
          end }

question{ id = "state_9000", points = 1,
          text = "How many keys does mapWithState's state hold after the batch of 9000 ms (output 3)?",
          answer = function(solution)
            for _, b in ipairs(batches(solution, 3)) do
              if b.time_ms == 9000 then return number_of(b) end
            end
            error("no batch 9000 ms in output 3")
          end }

question{ id = "open_9000", points = 1,
          text = "And updateStateByKey's, after the same batch (output 0)?",
          answer = function(solution)
            for _, b in ipairs(batches(solution, 0)) do
              if b.time_ms == 9000 then return number_of(b) end
            end
            error("no batch 9000 ms in output 0")
          end }
