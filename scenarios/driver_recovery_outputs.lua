-- Acceptance 3, outputs (issue 6): a batch whose outputs ran in part runs
-- again after a driver restart. Each batch has two outputs: a foreachRDD
-- whose function sends the records to an outside system (output 0), then
-- saveAsTextFiles (output 1). The driver crashes at 5.6 s, when batch 5000's
-- foreachRDD is done and its save is running; the batch is pending in the
-- checkpoint, so the restarted driver runs it again: the side effect
-- happens twice (at-least-once), the part files are written again to the
-- same folder (exactly-once: saving is idempotent).
scenario{ name = "driver recovery: outputs of a batch run again", seed = 3, duration = "10s" }
kafka{ topic = "fortunes", partitions = 2, file = "data/fortunes/fortunes", rate = 40 }
faults{ { at = "5600ms", crash = "driver", restart_after = "1s" } }
expect{ delivery = { "at-least-once", "exactly-once" } }
local ssc = StreamingContext.getOrCreate("checkpoints", function()
  local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2, cost = { perRecord = "10ms" } }
  ssc:checkpoint("checkpoints")
  local lines = KafkaUtils.createDirectStream(ssc, { "fortunes" }, { ["auto.offset.reset"] = "smallest" })
    :map(function(kv) return kv[2] end)
  lines:foreachRDD(function(rdd) rdd:collect() end)
  lines:saveAsTextFiles("out/lines", "txt")
  return ssc
end)
ssc:start()
