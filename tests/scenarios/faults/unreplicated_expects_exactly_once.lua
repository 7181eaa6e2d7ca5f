-- The checker must be able to fail: scenarios/crash_replicated_receiver.lua
-- with its blocks stored once (MEMORY_ONLY). The crash takes the only copy
-- of the blocks worker-2 had stored, and the Kafka receiver's buffer (without
-- the write-ahead log it is Spark's KafkaReceiver, whose group has not
-- auto-committed yet: the relaunched one starts at the end of the log):
-- those records are lost, and the expectation below is violated.
scenario{ name = "Kafka receiver, unreplicated blocks, expects exactly-once", seed = 7, duration = "10s" }
local lines = {}
for i = 1, 500 do lines[i] = "record " .. i end
kafka{ topic = "records", partitions = 1, lines = lines, rate = 50 }
faults{ { at = "4600ms", crash = "worker-2", restart_after = "3s" } }
expect{ delivery = "exactly-once" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 2 }
KafkaUtils.createStream(ssc, "zk:2181", "lab", { records = 1 }, StorageLevel.MEMORY_ONLY)
  :map(function(kv) return kv[2] end):print()
ssc:start()
