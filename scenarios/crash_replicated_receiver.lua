-- Acceptance 1 (issue 6): a worker crash with the receiver's blocks
-- replicated twice. worker-2 runs the Kafka receiver and holds one copy of
-- every block; it crashes at 4.6 s. Stored blocks are read from their
-- replica on another worker, tasks that ran on worker-2 run again, the
-- receiver is relaunched elsewhere. Without the write-ahead log
-- KafkaUtils.createStream runs Spark's KafkaReceiver, whose consumer only
-- auto-commits (every 60 s): its group has committed nothing yet, so the
-- new consumer starts at the end of the log, and what the receiver had
-- buffered but not stored (4.4-4.6 s, 10 records) is lost: at-most-once.
-- With the log it is the ReliableKafkaReceiver (wal_reliable_receiver.lua).
scenario{ name = "worker crash, blocks replicated twice", seed = 7, duration = "10s" }
kafka{ topic = "fortunes", partitions = 1, file = "data/fortunes/fortunes", rate = 50 }
faults{ { at = "4600ms", crash = "worker-2", restart_after = "3s" } }
expect{ delivery = "at-most-once" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 2 }
KafkaUtils.createStream(ssc, "zk:2181", "lab", { fortunes = 1 }):map(function(kv) return kv[2] end):print()
ssc:start()
