-- Lab 04 — Fault tolerance. What `streamlab grade` checks.
--
-- The main check is the delivery verdict: `streamlab check` on the
-- submission, under the lab's fault plan (a worker crash, then a driver
-- crash), must say exactly-once. The other checks say which choice is wrong:
-- the receiver, the write-ahead log, the output, the storage level. Any
-- choice that passes them all passes: KafkaUtils.createStream with the log,
-- or KafkaUtils.createDirectStream, each with saveAsTextFiles.
lab{ name = "Fault tolerance: receivers, storage levels, the write-ahead log, outputs", seed = 4 }

-- The delivery verdicts of a run's outputs, 0-based: lost, duplicated.
local function verdicts(run)
  local list, k = {}, 0
  while run.check and run.check[k] do
    list[#list + 1] = run.check[k]
    k = k + 1
  end
  return list
end

local function count(run, ev) return (run.events and run.events[ev]) or 0 end

check{ name = "exactly-once through both faults", points = 3, delivery = "exactly-once", faults_as_solution = true,
       hint = "every fortune once, through the worker crash and the driver crash, with the fault plan as handed out: a source that can be read again, the received blocks in durable storage, an output that can run twice; the checks below say which choice is wrong" }

-- A receiver that lost records: the socket's, or Kafka's without the log (the
-- next check names the log; with the log on, the detail says so: the socket).
check{ name = "the source can be read again", points = 1,
       hint = "a receiver lost records: socketTextStream can never read again what its receiver had only buffered when worker-1 crashed, nor what the socket sent while the driver was down, write-ahead log or not; KafkaUtils.createStream reads them again from its committed offsets, but only with the log (then it is the ReliableKafkaReceiver); createDirectStream has no receiver",
       test = function(run)
         for _, v in ipairs(verdicts(run)) do
           if v.lost > 0 and count(run, "receiver_start") > 0 then
             return false, string.format("%s: %d records lost%s", v.what, v.lost,
               count(run, "wal_write") > 0 and ", with the write-ahead log on" or "")
           end
         end
         return true
       end }

-- A receiver without the log: its blocks die with the executors.
check{ name = "received blocks in the write-ahead log", points = 1,
       hint = "without the write-ahead log a receiver's blocks live only in executors' memory, and the driver crash takes every executor, replicas too: set spark.streaming.receiver.writeAheadLog.enable = true (or read with createDirectStream: no receiver, no blocks)",
       test = function(run)
         local receivers, logged = count(run, "receiver_start"), count(run, "wal_write")
         if receivers > 0 and logged == 0 then
           return false, string.format("a receiver started %d times and wrote no block to the log (wal_write 0)", receivers)
         end
         return true
       end }

-- One output, saveAsTextFiles: its part files are committed by rename
-- (storage_rename events; print and foreachRDD write none). The delivery
-- check cannot grade this choice: with one output, no batch has delivered
-- and is still pending when the driver crashes, and streamlab check counts a
-- completed saveAsTextFiles that runs again as duplicates, as it does a
-- foreachRDD's, so no crash time tells the two apart.
check{ name = "an output that can run twice", points = 1,
       hint = "print and foreachRDD act again when the restarted driver runs a pending batch again: at-least-once (in this run no batch has delivered and is still pending when the driver crashes, so nothing comes twice; scenarios/driver_recovery_outputs.lua shows a batch delivered twice); saveAsTextFiles(\"out/fortunes\", \"txt\") writes each batch to its own folder, out/fortunes-<time>.txt, and a second run rewrites it with the same records: idempotent",
       test = function(run)
         if run.outputs == nil or run.outputs[0] == nil then return false, "output 0 wrote nothing" end
         if run.outputs[1] ~= nil then return false, "the job has more than one output; the lab's has one" end
         if count(run, "storage_rename") == 0 then
           return false, "output 0 committed no part file (storage_rename 0): it is print or foreachRDD"
         end
         return true
       end }

-- No second in-memory copy: it does not survive the driver crash, and the log is one.
check{ name = "no second copy in memory", points = 1, max_events = { block_replicated = 0 },
       hint = "a block's second copy on another worker (the _2 of MEMORY_AND_DISK_SER_2) dies with the driver crash like the first; the write-ahead log already keeps every block in durable storage, and Spark's guide says to disable replication with it: StorageLevel.MEMORY_AND_DISK_SER" }

-- The questions: the engine answers them from the solution's run.
local function batch_records(solution, t)
  local got
  for _, b in ipairs(solution.summary.batches or {}) do
    if b.time_ms == t then got = b.records end
  end
  if got == nil then error("the solution has no batch " .. t .. " ms") end
  return got
end

question{ id = "receiver_starts", points = 1,
          text = "In the solution's run, how many times is the Kafka receiver started (receiver_start)?",
          answer = function(solution) return solution.events.receiver_start end }

question{ id = "logged_blocks", points = 1,
          text = "In the solution's run, how many blocks does the receiver write to the write-ahead log (wal_write)?",
          answer = function(solution) return solution.events.wal_write end }

question{ id = "batch_run_twice", points = 1,
          text = "In the solution's run, which batch (its time in ms) does the restarted driver generate a second time?",
          answer = function(solution)
            local seen = {}
            for _, b in ipairs(solution.summary.batches or {}) do
              if seen[b.time_ms] then return b.time_ms end
              seen[b.time_ms] = true
            end
            error("no batch of the solution runs twice")
          end }

question{ id = "records_11000", points = 1,
          text = "In the solution's run, how many records does batch 11000 ms hold?",
          answer = function(solution) return batch_records(solution, 11000) end }

question{ id = "records_10000", points = 1,
          text = "In the solution's run, how many records does batch 10000 ms hold?",
          answer = function(solution) return batch_records(solution, 10000) end }
