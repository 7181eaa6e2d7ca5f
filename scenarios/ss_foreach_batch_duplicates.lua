-- Structured Streaming, foreachBatch that ignores batch_id (SEMANTICS.md
-- 8.17): each batch's rows are appended to an outside folder. The driver
-- crashes at 5.007 s, after batch 4's function appended its rows (at
-- 5.006 s) and before the commit log entry commits/4 is written (at 5.008 s,
-- when the append is durable: storage takes 2 ms). The restarted driver finds offsets/4 without commits/4 and
-- runs batch 4 again with the same offsets: the function appends the same
-- rows a second time. (Batch ids count from 0, the first at 1 s.) `streamlab check`: at-least-once (duplicates).
-- ss_foreach_batch_idempotent.lua is the same job writing each batch to its
-- own folder with mode("overwrite"): exactly-once.
scenario{ name = "structured streaming: foreachBatch ignoring batch_id, driver crash", seed = 3, duration = "15s" }
kafka{ topic = "fortunes", partitions = 2, file = "data/fortunes/fortunes", rate = 20 }
faults{ { at = "5007ms", crash = "driver", restart_after = "2s" } }
expect{ delivery = "at-least-once" }
local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local lines = spark.readStream:format("log"):option("subscribe", "fortunes"):load()
local q = lines:writeStream()
  :foreachBatch(function(batch_df, batch_id)
    batch_df:write():mode("append"):save("out/lines")
  end)
  :option("checkpointLocation", "checkpoints/lines"):queryName("lines")
  :trigger{ processingTime = "1s" }:start()
q:awaitTermination("15s")
