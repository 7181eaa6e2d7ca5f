-- Acceptance 3, second half (issue 6): a reliable Kafka receiver with the
-- write-ahead log, in a context made by getOrCreate; the driver crashes at
-- 4.6 s and restarts 2 s later. Every block the receiver stored is in the
-- log (and its offsets are committed only then): the restarted driver
-- reads the pending batch's blocks from the log, gives the blocks reported
-- since to the next batch, and the relaunched receiver goes on from the
-- committed offsets. No record is lost.
scenario{ name = "driver recovery, reliable receiver with write-ahead log", seed = 7, duration = "12s" }
kafka{ topic = "fortunes", partitions = 1, file = "data/fortunes/fortunes", rate = 40 }
faults{ { at = "4600ms", crash = "driver", restart_after = "2s" } }
expect{ delivery = "exactly-once" }
local ssc = StreamingContext.getOrCreate("checkpoints", function()
  local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 2,
                                ["spark.streaming.receiver.writeAheadLog.enable"] = true }
  ssc:checkpoint("checkpoints")
  KafkaUtils.createStream(ssc, "zk:2181", "lab", { fortunes = 1 }, StorageLevel.MEMORY_ONLY)
    :map(function(kv) return kv[2] end):print()
  return ssc
end)
ssc:start()
