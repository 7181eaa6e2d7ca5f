-- hint: no checkpointLocation
-- Lab 06 — a typical wrong submission: the idempotent function, but no
-- checkpoint location. The restarted application finds no offset or commit
-- log: its query starts again from batch 0, at the log's latest offsets.
-- What came while the driver was down is never read, and the new batches
-- 0, 1, 2, ... overwrite the folders batch=0, batch=1, ... of the first run:
-- at-most-once, and more lost than with append.
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

-- TODO 1: left out.
-- (no checkpointLocation)

local q = w:queryName("fortunes"):trigger{ processingTime = "1s" }:start()
q:awaitTermination("15s")
