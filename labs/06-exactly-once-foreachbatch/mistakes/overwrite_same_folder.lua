-- hint: overwrite regardless of batch_id
-- Lab 06 — a typical wrong submission: mode("overwrite") into the one folder
-- out/fortunes/. Writing a batch twice changes nothing, but every batch
-- deletes the ones before: the folder ends with the last batch alone. The
-- run without the crash ends the same way, so `streamlab check` says
-- exactly-once; the grader compares the folder's size with the solution's.
scenario{ name = "lab 06 exactly-once with foreachBatch: a driver crash", seed = 3, duration = "15s" }

kafka{ topic = "fortunes", partitions = 2, file = "data/fortunes/fortunes", rate = 20 }

-- The fault plan. Do not change it: the grader runs your file with the lab's plan.
faults{ { at = "5007ms", crash = "driver", restart_after = "2s" } }

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local fortunes = spark.readStream:format("log"):option("subscribe", "fortunes"):load()
  :where(col("value"):neq(lit("%")))

-- TODO 2: one folder, overwritten.
local function deliver(batch_df, batch_id)
  batch_df:write():mode("overwrite"):save("out/fortunes")
end

local w = fortunes:writeStream():foreachBatch(deliver)

-- TODO 1 (done): the offset and commit logs in durable storage.
w = w:option("checkpointLocation", "checkpoints/fortunes")

local q = w:queryName("fortunes"):trigger{ processingTime = "1s" }:start()
q:awaitTermination("15s")
