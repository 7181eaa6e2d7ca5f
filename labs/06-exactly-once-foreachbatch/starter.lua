-- Lab 06 — Exactly-once with foreachBatch (starter).
--
-- The fortune file is produced to the Kafka topic "fortunes" (2 partitions,
-- 20 lines a second): a log that keeps every line by offset, so a batch can
-- be read again. A Structured Streaming query drops the "%" separator lines
-- and hands each micro-batch to a foreachBatch function, which writes the
-- batch's fortunes to the outside folder out/fortunes/ in durable storage,
-- where the next system reads them. Every fortune must land there exactly
-- once.
--
-- The fault, fixed: the driver crashes at 5.007 s, after the function wrote
-- batch 4 (at 5.006 s) and before the query wrote commits/4 to its commit log
-- (at 5.008 s, once the write is durable), and restarts 2 s later.
--
-- Run it:    streamlab run starter.lua
-- Watch it:  streamlab view starter.lua           (F jumps to the crash)
-- Check it:  streamlab check starter.lua          (what out/fortunes/ holds, against a run without the crash)
-- Grade it:  streamlab grade . starter.lua --answers answers.lua
--
-- It runs as it is. Change only the two TODO blocks; the grader requires the
-- fault plan as handed out.
scenario{ name = "lab 06 exactly-once with foreachBatch: a driver crash", seed = 3, duration = "15s" }

kafka{ topic = "fortunes", partitions = 2, file = "data/fortunes/fortunes", rate = 20 }

-- The fault plan. Do not change it: the grader runs your file with the lab's plan.
faults{ { at = "5007ms", crash = "driver", restart_after = "2s" } }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local fortunes = spark.readStream:format("log"):option("subscribe", "fortunes"):load()
  :where(col("value"):neq(lit("%")))

-- TODO 2: make the function idempotent. It is called with the batch's rows
--   and the batch's id (0, 1, 2, ...). A restarted query runs its last
--   uncommitted batch again, with the same id and the same rows. Here every
--   call appends to the same folder. batch_df:write():mode(m):save(path)
--   writes the rows to the folder `path`: mode "append" adds files to it,
--   "overwrite" first deletes what the folder held. What must `path` be so
--   that a second call for the same batch changes nothing, and the folder
--   still ends with every batch?
local function deliver(batch_df, batch_id)
  batch_df:write():mode("append"):save("out/fortunes")
end

local w = fortunes:writeStream():foreachBatch(deliver)

-- TODO 1: the checkpoint location. Without one, foreachBatch runs with a
--   temporary checkpoint folder that a restarted application never finds
--   again: the restarted query starts afresh, from batch 0 and the log's
--   latest offsets. With
--   w = w:option("checkpointLocation", "checkpoints/fortunes") it writes
--   offsets/<id> before each batch and commits/<id> after it, and a restart
--   resumes from them.

local q = w:queryName("fortunes"):trigger{ processingTime = "1s" }:start()
q:awaitTermination("15s")
