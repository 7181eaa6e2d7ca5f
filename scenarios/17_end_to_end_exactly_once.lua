-- 17. End-to-end exactly-once (SEMANTICS.md 8.2, 8.4, 8.17, 9.4).
--
-- Concept: Structured Streaming gives exactly-once end to end only with
-- both halves: a replayable source (a batch that runs again reads the same
-- records, by the offsets in offsets/N) and an idempotent sink (writing a
-- batch twice leaves what writing it once leaves). The offset and commit
-- logs in the checkpoint tie them together: after a driver crash, a batch
-- with offsets/N but no commits/N runs again with exactly its logged offsets.
-- Four queries read the same 200 orders ("order-NNN amount", 20 a second
-- from 0.5 s), all with a checkpoint, all triggered every second:
--                      idempotent sink (kv upsert)   side effect (foreachBatch appends,
--                                                    batch_id ignored)
--   log (replayable)   log_kv: exactly-once          log_append: at-least-once
--   socket (not)       socket_kv: at-most-once       socket_append: at-most-once
-- The driver crashes at 5.007 s and restarts 2 s later. log_append's
-- function has appended batch 4 (at 5.006 s), but commits/4 is not written;
-- the socket queries' batch 4 lines live only in the driver's memory.
--
-- Watch in the visualiser: the crash (the driver struck through), then on
-- the batch timeline the re-run batches with a dashed blue border; the
-- storage panel's offset and commit logs (offsets/4 without commits/4);
-- the outputs panel, where the socket queries' re-run batch 4 is empty and
-- the log queries' batch 5 carries 60 orders (the log kept what arrived
-- while the driver was down).
--
-- Predict, then run (`streamlab check` compares each sink with a run
-- without the crash):
--   1. Which queries' sinks end with the 200 orders, each exactly once?
--      (Only log_kv. log_append holds orders 072-091 twice: batch 4 ran
--       again with the same offsets and its function appended them again.
--       The socket queries lack 60 orders, 072-131.)
--   2. The socket queries also run batch 4 again. Why do they duplicate
--      nothing, even socket_append?
--      (The socket cannot be read again: the re-run finds no rows,
--       numInputRows 0. What the driver had buffered and what arrived while
--       it was down reached no one: loss, never duplicates.)
scenario{ name = "17: end-to-end exactly-once", seed = 3, duration = "15s" }
local orders = {}
local function amount(i) return (i * 37) % 100 + 1 end
for i = 1, 200 do orders[i] = string.format("order-%03d %d", i, amount(i)) end
kafka{ topic = "orders", lines = orders, rate = 20, start = "500ms" }   -- a replayable log
netcat{ port = 9999, lines = orders, rate = 20, start = "500ms" }       -- nc -lk 9999: not replayable
faults{ { at = "5007ms", crash = "driver", restart_after = "2s" } }
expect{ delivery = { "exactly-once", "at-least-once", "at-most-once", "at-most-once" } }  -- one per query, in start order

local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local function parse(df)
  return df:select(udf(function(row) return row.value:split(" ")[1] end):alias("order"),
                   udf(function(row) return tonumber(row.value:split(" ")[2]) end):alias("amount"))
end
local function from_log()
  return parse(spark.readStream:format("log"):option("subscribe", "orders"):option("startingOffsets", "earliest"):load())
end
local function from_socket()
  return parse(spark.readStream:format("socket"):option("host", "localhost"):option("port", 9999):load())
end
-- a side effect that ignores batch_id: a batch run again appends its rows again
local function append_to(path)
  return function(batch_df, batch_id) batch_df:write():mode("append"):save(path) end
end

local q = from_log():writeStream():format("kv"):option("path", "out/log_kv")
  :option("checkpointLocation", "checkpoints/log_kv"):queryName("log_kv")
  :trigger{ processingTime = "1s" }:start()
from_log():writeStream():foreachBatch(append_to("out/log_append"))
  :option("checkpointLocation", "checkpoints/log_append"):queryName("log_append")
  :trigger{ processingTime = "1s" }:start()
from_socket():writeStream():format("kv"):option("path", "out/socket_kv")
  :option("checkpointLocation", "checkpoints/socket_kv"):queryName("socket_kv")
  :trigger{ processingTime = "1s" }:start()
from_socket():writeStream():foreachBatch(append_to("out/socket_append"))
  :option("checkpointLocation", "checkpoints/socket_append"):queryName("socket_append")
  :trigger{ processingTime = "1s" }:start()

narrate{ at = "1s", text = "Four queries read the same orders: two from a replayable log, two from a socket; kv upserts or appends." }
narrate{ at = "5006ms", text = "log_append's function appends batch 4 (orders 072-091) to out/log_append; commits/4 is not written yet." }
narrate{ at = "5007ms", text = "The driver crashes, and the socket lines it had buffered with it. The log keeps every record." }
narrate{ at = "7007ms", text = "Restart: each query finds offsets/4 without commits/4 and runs batch 4 again, with the logged offsets." }
narrate{ at = "8s", text = "The log queries catch up, 60 orders in batch 5; the socket ones get what came after reconnecting: 60 lost." }

-- (These describe the run with the crash; `streamlab check`'s reference run,
-- without it, leaves them unchecked. A progress report follows its batch's
-- commit, so log_kv's batch 5, whose job waits for the others', reports at 8.13 s.)
expect{ query = "log_append", progress = {
  { by = "7100ms", batchId = 4, numInputRows = 20 },   -- batch 4 again, the same 20 orders: appended twice
  { by = "8100ms", batchId = 5, numInputRows = 60 },   -- the log kept what arrived while the driver was down
} }
expect{ query = "log_kv", progress = {
  { by = "7100ms", batchId = 4, numInputRows = 20 },   -- the same 20 orders, upserted again: no change
  { by = "8200ms", batchId = 5, numInputRows = 60 },
} }
expect{ query = "socket_kv", progress = {
  { by = "7100ms", batchId = 4, numInputRows = 0 },    -- batch 4 again: the socket cannot be read again
  { by = "8100ms", batchId = 5, numInputRows = 20 },   -- only what arrived after reconnecting
} }
expect{ query = "socket_append", progress = {
  { by = "7100ms", batchId = 4, numInputRows = 0 },
  { by = "8100ms", batchId = 5, numInputRows = 20 },
} }
q:awaitTermination("15s")
