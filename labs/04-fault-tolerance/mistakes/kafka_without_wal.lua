-- hint: without the write-ahead log a receiver's blocks live only in executors' memory
-- Lab 04 — a typical wrong submission: Kafka's receiver without the write-ahead
-- log. Without the log KafkaUtils.createStream is Spark's KafkaReceiver: its
-- consumer auto-commits every 60 s whatever it consumed, its blocks live only
-- in executors' memory, and the driver crash takes every executor with it.
-- `streamlab check`: at-most-once.
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

-- TODO 3: the log left off.
local WAL = false

local ssc = StreamingContext.getOrCreate("checkpoints", function()
  local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 2,
                                cost = { perRecord = "2ms" },   -- a batch's job takes about 0.3 s
                                ["spark.streaming.receiver.writeAheadLog.enable"] = WAL }
  ssc:checkpoint("checkpoints")   -- metadata checkpoints, and the log's folder

  -- TODO 1 (done): Kafka's receiver; with the log on it is the ReliableKafkaReceiver.
  local lines = KafkaUtils.createStream(ssc, "zk:2181", "lab", { fortunes = 1 }, STORAGE)
    :map(function(kv) return kv[2] end)

  local fortunes = lines:filter(function(line) return line ~= "%" end)

  -- TODO 4 (done): part files in durable storage: a batch run again rewrites its folder.
  fortunes:saveAsTextFiles("out/fortunes", "txt")

  return ssc
end)

ssc:start()
ssc:awaitTerminationOrTimeout("12s")
