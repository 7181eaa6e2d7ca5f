-- scenarios/driver_recovery_wal.lua without the write-ahead log: the blocks
-- the receiver had stored lived only in the executors, which died with the
-- driver. Without the log KafkaUtils.createStream runs Spark's KafkaReceiver,
-- whose consumer auto-commits every 60 s: its group has committed nothing,
-- so the receiver of the restarted driver starts at the end of the log, and
-- what came while the driver was down is lost too. The restarted driver
-- recovers the pending batch but not those blocks: at-most-once.
scenario{ name = "driver recovery, Kafka receiver without write-ahead log", seed = 7, duration = "12s" }
local lines = {}
for i = 1, 600 do lines[i] = "record " .. i end
kafka{ topic = "records", partitions = 1, lines = lines, rate = 40 }
faults{ { at = "4600ms", crash = "driver", restart_after = "2s" } }
expect{ delivery = "at-most-once" }
local ssc = StreamingContext.getOrCreate("checkpoints", function()
  local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 2 }
  ssc:checkpoint("checkpoints")
  KafkaUtils.createStream(ssc, "zk:2181", "lab", { records = 1 }, StorageLevel.MEMORY_ONLY)
    :map(function(kv) return kv[2] end):print()
  return ssc
end)
ssc:start()
