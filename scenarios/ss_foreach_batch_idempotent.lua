-- Structured Streaming, foreachBatch made idempotent with batch_id (SEMANTICS.md
-- 8.17): each batch's rows go to a folder of its own, out/lines/batch=<id>,
-- written with mode("overwrite"). The driver crashes at 5.007 s, after batch
-- 4's function wrote its folder (at 5.006 s) and before the commit log entry
-- commits/4 is written (at 5.008 s, when the write is durable: storage takes
-- 2 ms). The restarted driver finds offsets/4 without commits/4 and runs
-- batch 4 again with the same offsets: the function overwrites
-- out/lines/batch=4 with the same rows. (Batch ids count from 0, the first at 1 s.) `streamlab check`: exactly-once.
-- ss_foreach_batch_duplicates.lua appends to one folder instead: duplicates.
scenario{ name = "structured streaming: foreachBatch keyed by batch_id, driver crash", seed = 3, duration = "15s" }
kafka{ topic = "fortunes", partitions = 2, file = "data/fortunes/fortunes", rate = 20 }
faults{ { at = "5007ms", crash = "driver", restart_after = "2s" } }
expect{ delivery = "exactly-once" }
local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local lines = spark.readStream:format("log"):option("subscribe", "fortunes"):load()
local q = lines:writeStream()
  :foreachBatch(function(batch_df, batch_id)
    -- each batch replaces its own folder: a re-run writes the same rows again, in place
    batch_df:write():mode("overwrite"):save("out/lines/batch=" .. batch_id)
  end)
  :option("checkpointLocation", "checkpoints/lines"):queryName("lines")
  :trigger{ processingTime = "1s" }:start()
q:awaitTermination("15s")
