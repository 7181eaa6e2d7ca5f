-- hint: a receiver lost records: socketTextStream can never read again
-- Lab 04 — a typical wrong submission: the socket with the write-ahead log.
-- Every block the receiver stored is in the log, but a socket does not send
-- again: the 200 ms the receiver had only buffered when worker-1 crashed, and
-- the driver crash's buffer and 2 s of downtime, are gone. `streamlab check`:
-- at-most-once.
scenario{ name = "lab 04 fault tolerance: a worker crash, then a driver crash", seed = 4, duration = "12s" }

netcat{ port = 9999, file = "data/fortunes/fortunes", rate = 50 }                    -- nc -lk 9999
kafka{ topic = "fortunes", partitions = 2, file = "data/fortunes/fortunes", rate = 50 }  -- the same lines, in a log

-- The fault plan. Do not change it: the grader runs your file with the lab's plan.
faults{
  { at = "4600ms", crash = "worker-1", restart_after = "2s" },  -- the receiver's worker (the socket's or Kafka's)
  { at = "8050ms", crash = "driver", restart_after = "2s" },    -- batch 8000 ms is running
}

-- TODO 2 (done): one copy in the executor's memory. A second copy on another
--   worker (the default, MEMORY_AND_DISK_SER_2) survives the worker crash but
--   not the driver crash, which takes every executor; the log survives both.
--   Spark's guide: with the log on, disable replication (MEMORY_AND_DISK_SER).
local STORAGE = StorageLevel.MEMORY_AND_DISK_SER

-- TODO 3 (done): every stored block is also written to checkpoints/receivedData/.
local WAL = true

local ssc = StreamingContext.getOrCreate("checkpoints", function()
  local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 2,
                                cost = { perRecord = "2ms" },   -- a batch's job takes about 0.3 s
                                ["spark.streaming.receiver.writeAheadLog.enable"] = WAL }
  ssc:checkpoint("checkpoints")   -- metadata checkpoints, and the log's folder

  -- TODO 1: the socket, with the log.
  local lines = ssc:socketTextStream("localhost", 9999, STORAGE)

  local fortunes = lines:filter(function(line) return line ~= "%" end)

  -- TODO 4 (done): part files in durable storage: a batch run again rewrites its folder.
  fortunes:saveAsTextFiles("out/fortunes", "txt")

  return ssc
end)

ssc:start()
ssc:awaitTerminationOrTimeout("12s")
