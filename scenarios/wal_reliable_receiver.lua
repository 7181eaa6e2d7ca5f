-- The receivers' write-ahead log with a reliable receiver (issue 6): the
-- Kafka receiver's blocks are stored once (MEMORY_ONLY) and logged; it
-- commits its offsets only once a block is stored and logged. worker-2,
-- running it, crashes at 4.6 s: the stored blocks are read from the log,
-- and what it had only buffered is read again from Kafka by the receiver
-- relaunched elsewhere. Nothing is lost, nothing twice.
scenario{ name = "write-ahead log, reliable receiver, worker crash", seed = 7, duration = "10s" }
kafka{ topic = "fortunes", partitions = 1, file = "data/fortunes/fortunes", rate = 50 }
faults{ { at = "4600ms", crash = "worker-2", restart_after = "3s" } }
expect{ delivery = "exactly-once" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 2,
                              ["spark.streaming.receiver.writeAheadLog.enable"] = true }
ssc:checkpoint("checkpoints")
KafkaUtils.createStream(ssc, "zk:2181", "lab", { fortunes = 1 }, StorageLevel.MEMORY_ONLY)
  :map(function(kv) return kv[2] end):print()
ssc:start()
