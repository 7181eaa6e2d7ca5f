-- Lab 06 — Exactly-once with foreachBatch (the instructor's solution).
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
-- The choices: a checkpoint location, so that the restarted query finds
-- offsets/4 without commits/4 and runs batch 4 again with the same offsets;
-- and a function that writes each batch to a folder of its own,
-- out/fortunes/batch=<id>, with mode("overwrite"): the second run of batch 4
-- replaces batch=4 with the same rows. `streamlab check solution.lua`:
-- exactly-once.
scenario{ name = "lab 06 exactly-once with foreachBatch: a driver crash", seed = 3, duration = "15s" }

kafka{ topic = "fortunes", partitions = 2, file = "data/fortunes/fortunes", rate = 20 }

-- The fault plan. Do not change it: the grader runs your file with the lab's plan.
faults{ { at = "5007ms", crash = "driver", restart_after = "2s" } }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local fortunes = spark.readStream:format("log"):option("subscribe", "fortunes"):load()
  :where(col("value"):neq(lit("%")))

-- TODO 2 (done): each batch owns the folder named by its id; a second call
--   for the same batch overwrites it with the same rows.
local function deliver(batch_df, batch_id)
  batch_df:write():mode("overwrite"):save("out/fortunes/batch=" .. batch_id)
end

local w = fortunes:writeStream():foreachBatch(deliver)

-- TODO 1 (done): the offset and commit logs in durable storage.
w = w:option("checkpointLocation", "checkpoints/fortunes")

local q = w:queryName("fortunes"):trigger{ processingTime = "1s" }:start()
q:awaitTermination("15s")
