-- Lab 01 — DStreams: batches, blocks and partitions. What `streamlab grade` checks.
lab{ name = "DStreams: batches, blocks and partitions", seed = 1 }

-- The batches of output i in a run (an empty list when the output is missing).
local function batches(run, i)
  return (run.outputs and run.outputs[i]) or {}
end

-- The batch grid and the blocks: the handed-out intervals, 1500 ms and 250 ms.
check{ name = "intervals as handed out", points = 1,
       hint = "submit with batchDuration 1500ms and spark.streaming.blockInterval 250ms: change the intervals only in a copy (steps 6 to 8)",
       test = function(run, solution)
         local gb, wb = run.summary.batches or {}, solution.summary.batches or {}
         local times = {}
         for i, b in ipairs(gb) do times[i] = tostring(b.time_ms) end
         local wtimes = {}
         for i, b in ipairs(wb) do wtimes[i] = tostring(b.time_ms) end
         if table.concat(times, ",") ~= table.concat(wtimes, ",") then
           return false, "batch times " .. table.concat(times, ", ") .. " ms, expected " .. table.concat(wtimes, ", ") .. " ms"
         end
         local g, w = run.events.block_created or 0, solution.events.block_created or 0
         if g ~= w then
           return false, string.format("the receiver cut %d blocks, expected %d", g, w)
         end
         return true
       end }

-- Output 0, keys only: every key must be one word (a string without spaces),
-- and every batch must have some. map(words) instead of flatMap(words) makes
-- each whole line, the list of its words, a key.
check{ name = "one key per word", points = 2,
       hint = "split lines into words with flatMap(words): map(words) keeps one record per line (the list of its words), so whole lines become the keys",
       test = function(run, solution)
         local got = batches(run, 0)
         if #got == 0 then return false, "output 0 has no batches" end
         for _, b in ipairs(got) do
           if #b.records == 0 then return false, string.format("batch %d ms: no records", b.time_ms) end
           for _, r in ipairs(b.records) do
             local k = type(r) == "table" and r[1] or r
             if type(k) ~= "string" then
               return false, string.format("batch %d ms: a key is a %s, not a word", b.time_ms, type(k))
             end
             if k:find(" ", 1, true) then
               return false, string.format("batch %d ms: the key %q is a whole line", b.time_ms, k)
             end
           end
         end
         return true
       end }

-- Output 0, whole records: (word, count), one record per word and batch.
check{ name = "word counts", points = 2, output = 0, unordered = true,
       hint = "sum the 1s of each word with reduceByKey(add): without it every occurrence stays its own (word, 1) record" }

-- Output 1: the lines of each partition, in partition order.
check{ name = "lines per partition", points = 2, output = 1,
       hint = "one record per partition, not per batch: glom():map(function(p) return #p end) or mapPartitions(function(p) return { #p } end); count() counts the whole batch" }

-- The records of output 1 in the solution's batch of time t.
local function partitions_at(solution, t)
  for _, b in ipairs(batches(solution, 1)) do
    if b.time_ms == t then return b.records end
  end
  error("the solution has no batch " .. t .. " ms in output 1")
end

question{ id = "partitions_first", points = 1,
          text = "How many partitions does the first batch (1500 ms) have?",
          answer = function(solution) return #partitions_at(solution, 1500) end }

question{ id = "partitions_3000", points = 1,
          text = "How many partitions does the batch of 3000 ms have, with a 250 ms block interval?",
          answer = function(solution) return #partitions_at(solution, 3000) end }

question{ id = "lines_per_partition", points = 1,
          text = "How many lines does each partition of the batch of 3000 ms hold?",
          answer = function(solution) return partitions_at(solution, 3000)[1] end }

question{ id = "first_line_4500", points = 1,
          text = "Which line of data/fortunes/fortunes (counting from 1) is the first line of the batch of 4500 ms?",
          answer = function(solution)
            local n = 0
            for _, b in ipairs(batches(solution, 1)) do
              if b.time_ms >= 4500 then break end
              for _, lines in ipairs(b.records) do n = n + lines end
            end
            return n + 1
          end }

question{ id = "percent_3000", points = 1,
          text = "How many times does the word \"%\" (the fortune file's record separator) occur in the batch of 3000 ms (output 0)?",
          answer = function(solution)
            for _, b in ipairs(batches(solution, 0)) do
              if b.time_ms == 3000 then
                for _, r in ipairs(b.records) do
                  if r[1] == "%" then return r[2] end
                end
                return 0
              end
            end
            error("the solution has no batch 3000 ms in output 0")
          end }

question{ id = "blocks", points = 1,
          text = "How many blocks does the receiver cut in the whole run (6.5 s)?",
          answer = function(solution) return solution.events.block_created end }

question{ id = "tasks", points = 1,
          text = "How many tasks does the whole run take (task_end events), both outputs together?",
          answer = function(solution) return solution.events.task_end end }
