-- Lab 04 — Fault tolerance: receivers, storage levels, the write-ahead log, outputs (starter).
--
-- The fortune file arrives two ways at once, at 50 lines a second each: typed
-- into `nc -lk 9999` (a socket) and produced to the Kafka topic "fortunes"
-- (2 partitions, a log that keeps every record by offset). The job reads one
-- of them, drops the "%" separator lines and delivers each batch's fortunes
-- to the outside world: one output operation.
--
-- Two faults, fixed: worker-1, where the receiver runs, crashes at 4.6 s; the
-- driver crashes at 8.05 s, while batch 8000 ms runs, and restarts 2 s later
-- through StreamingContext.getOrCreate. Your four choices (the TODO blocks)
-- decide whether every fortune is delivered exactly once through both.
--
-- Run it:    streamlab run starter.lua
-- Watch it:  streamlab view starter.lua           (F jumps to the next fault)
-- Check it:  streamlab check starter.lua          (the verdict: lost, duplicated)
-- Grade it:  streamlab grade . starter.lua --answers answers.lua
--
-- It runs as it is: a socket, the default storage level, no write-ahead log
-- and a foreachRDD that sends each batch on. Change only the four TODO blocks;
-- the grader requires the fault plan as handed out.
scenario{ name = "lab 04 fault tolerance: a worker crash, then a driver crash", seed = 4, duration = "12s" }

netcat{ port = 9999, file = "data/fortunes/fortunes", rate = 50 }                    -- nc -lk 9999
kafka{ topic = "fortunes", partitions = 2, file = "data/fortunes/fortunes", rate = 50 }  -- the same lines, in a log

-- The fault plan. Do not change it: the grader runs your file with the lab's plan.
faults{
  { at = "4600ms", crash = "worker-1", restart_after = "2s" },  -- the receiver's worker (the socket's or Kafka's)
  { at = "8050ms", crash = "driver", restart_after = "2s" },    -- batch 8000 ms is running
}

-- TODO 2: the storage level of the blocks a receiver stores (ignored by a
--   stream without a receiver). MEMORY_AND_DISK_SER_2, the receivers' default,
--   keeps a second copy on another worker; StorageLevel.MEMORY_ONLY and
--   StorageLevel.MEMORY_AND_DISK_SER keep one. Which copies survive a worker
--   crash? Which survive a driver crash, which takes every executor with it?
local STORAGE = StorageLevel.MEMORY_AND_DISK_SER_2

-- TODO 3: the receivers' write-ahead log (spark.streaming.receiver.writeAheadLog.enable):
--   true writes every block a receiver stores to checkpoints/receivedData/ in
--   durable storage before it counts as received.
local WAL = false

local ssc = StreamingContext.getOrCreate("checkpoints", function()
  local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 2,
                                cost = { perRecord = "2ms" },   -- a batch's job takes about 0.3 s
                                ["spark.streaming.receiver.writeAheadLog.enable"] = WAL }
  ssc:checkpoint("checkpoints")   -- metadata checkpoints, and the log's folder

  -- TODO 1: the input, one of three (each gives a DStream of lines):
  --   ssc:socketTextStream("localhost", 9999, STORAGE)
  --       a receiver reading the socket;
  --   KafkaUtils.createStream(ssc, "zk:2181", "lab", { fortunes = 1 }, STORAGE)
  --       :map(function(kv) return kv[2] end)
  --       a receiver in the consumer group "lab" (records are { key, line });
  --   KafkaUtils.createDirectStream(ssc, { "fortunes" }, { ["auto.offset.reset"] = "smallest" })
  --       :map(function(kv) return kv[2] end)
  --       no receiver: each batch reads an offset range of each partition.
  --   Which of them can read again what a crash lost?
  local lines = ssc:socketTextStream("localhost", 9999, STORAGE)

  local fortunes = lines:filter(function(line) return line ~= "%" end)

  -- TODO 4: the output (output 0). Here a foreachRDD collects each batch to
  --   the driver, which sends it on; print() would show it on the console.
  --   saveAsTextFiles("out/fortunes", "txt") writes each batch's part files to
  --   out/fortunes-<batch time>.txt/ in durable storage, committed by rename.
  --   What does each do when the restarted driver runs a batch a second time?
  fortunes:foreachRDD(function(rdd) rdd:collect() end)

  return ssc
end)

ssc:start()
ssc:awaitTerminationOrTimeout("12s")
