-- Acceptance 1 (issue 6): a worker crash with the receiver's blocks
-- replicated twice. worker-2 runs the (reliable) Kafka receiver and holds one
-- copy of every block; it crashes at 4.6 s. Stored blocks are read from
-- their replica on another worker, tasks that ran on worker-2 run again,
-- the receiver is relaunched elsewhere and reads again, from the last offsets
-- it committed, what it had buffered but not stored. Every record is
-- delivered once: some in a later batch than without the crash.
scenario{ name = "worker crash, blocks replicated twice", seed = 7, duration = "10s" }
kafka{ topic = "fortunes", partitions = 1, file = "data/fortunes/fortunes", rate = 50 }
faults{ { at = "4600ms", crash = "worker-2", restart_after = "3s" } }
expect{ delivery = "exactly-once" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 2 }
KafkaUtils.createStream(ssc, "zk:2181", "lab", { fortunes = 1 }):map(function(kv) return kv[2] end):print()
ssc:start()
