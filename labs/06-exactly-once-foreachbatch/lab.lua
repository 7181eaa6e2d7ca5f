-- Lab 06 — Exactly-once with foreachBatch. What `streamlab grade` checks.
--
-- The main check is the delivery verdict: `streamlab check` compares what the
-- outside folder out/fortunes/ holds at the end with a run without the crash.
-- The other checks say what is wrong: the query did not resume (no
-- checkpointLocation), a batch written twice (append regardless of
-- batch_id), batches lost from the folder (overwrite regardless of batch_id:
-- the folder ends with one batch, in both runs, so the verdict alone cannot
-- see it).
lab{ name = "Exactly-once with foreachBatch", seed = 3 }

local function progress(run)
  local q = run.queries and run.queries.fortunes
  return (q and q.progress) or {}
end

local function verdict(run) return run.check and run.check[0] end

check{ name = "exactly-once through the driver crash", points = 3, delivery = "exactly-once", faults_as_solution = true,
       hint = "every fortune in out/fortunes/ once, through the driver crash, with the fault plan as handed out: a query that resumes from its checkpoint, and a function that writes each batch so that writing it twice changes nothing; the checks below say which part is wrong" }

check{ name = "the query resumes from its checkpoint", points = 1,
       hint = "no checkpointLocation: the restarted query finds no offset or commit log, starts again from batch 0 at the log's latest offsets, and what came while the driver was down is never read; writeStream():option(\"checkpointLocation\", \"checkpoints/fortunes\")",
       test = function(run)
         local ps = progress(run)
         if #ps == 0 then return false, "the query \"fortunes\" reported no progress" end
         local ids = {}
         for i, p in ipairs(ps) do
           ids[#ids + 1] = tostring(p.batchId)
           if i > 1 and p.batchId <= ps[i - 1].batchId then
             return false, "the batch ids start again after the restart: " .. table.concat(ids, ", ") .. ", ..."
           end
         end
         if (run.events.recovery_phase or 0) == 0 then
           return false, "the query never resumed from an offset and commit log (no recovery_phase event)"
         end
         return true
       end }

check{ name = "each batch written once", points = 1,
       hint = "appending regardless of batch_id: the restarted query runs batch 4 again (offsets/4 is logged, commits/4 is not) with the same rows, and the function appends them a second time; write each batch where its id says, batch_df:write():mode(\"overwrite\"):save(\"out/fortunes/batch=\" .. batch_id)",
       test = function(run)
         local v = verdict(run)
         if not v then return false, "no delivery verdict for the query" end
         if v.duplicated > 0 then
           return false, string.format("%d fortunes twice in out/fortunes/ (%s)", v.duplicated, v.what)
         end
         return true
       end }

check{ name = "every batch kept", points = 1,
       hint = "overwrite regardless of batch_id: each batch deletes the folder's earlier batches, so out/fortunes/ ends with the last batch alone; give each batch a folder of its own, named by batch_id",
       test = function(run, solution)
         local v, w = verdict(run), verdict(solution)
         if not v then return false, "no delivery verdict for the query" end
         if not w then error("the solution's run has no delivery verdict") end
         if v.records < w.records then
           return false, string.format("out/fortunes/ holds %d fortunes at the end of a run without the crash; the solution's holds %d",
                                       v.records, w.records)
         end
         return true
       end }

-- The questions: the engine answers them from the solution's run.
local function solution_batches(solution) return solution.queries.fortunes.batches end

question{ id = "batch_run_twice", points = 1,
          text = "In the solution's run, which batch id does the restarted query run a second time?",
          answer = function(solution)
            local seen = {}
            for _, b in ipairs(solution_batches(solution)) do
              if seen[b.batch_id] then return b.batch_id end
              seen[b.batch_id] = true
            end
            error("no batch of the solution runs twice")
          end }

question{ id = "rows_batch_5", points = 1,
          text = "In the solution's run, how many input rows does batch 5, the first after the restart, read (numInputRows)?",
          answer = function(solution)
            for _, p in ipairs(solution.queries.fortunes.progress) do
              if p.batchId == 5 then return p.numInputRows end
            end
            error("the solution has no progress report for batch 5")
          end }

question{ id = "fortunes_delivered", points = 1,
          text = "How many fortunes does out/fortunes/ hold at the end of the solution's run?",
          answer = function(solution) return solution.check[0].records end }

question{ id = "folders", points = 1,
          text = "How many batch=<id> folders does out/fortunes/ hold at the end of the solution's run?",
          answer = function(solution)
            local ids, n = {}, 0
            for _, b in ipairs(solution_batches(solution)) do
              if not ids[b.batch_id] then ids[b.batch_id] = true; n = n + 1 end
            end
            return n
          end }
