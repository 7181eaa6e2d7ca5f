-- The save runs first, then foreachRDD (tests/cli/test_check.c): the crash
-- comes after batch 5000's save is done and before the batch is, so the
-- restarted driver runs the save again; it writes the same folder again,
-- which is what Spark does (a recovered batch overwrites prefix-TIME);
-- foreachRDD had not run for it yet, so it runs once: both exactly-once.
scenario{ name = "driver recovery: outputs of a batch run again", seed = 3, duration = "10s" }
local lines = {}
for i = 1, 600 do lines[i] = "line " .. i end
kafka{ topic = "fortunes", partitions = 2, lines = lines, rate = 40 }
faults{ { at = "5600ms", crash = "driver", restart_after = "1s" } }
expect{ delivery = "exactly-once" }
local ssc = StreamingContext.getOrCreate("checkpoints", function()
  local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2, cost = { perRecord = "10ms" } }
  ssc:checkpoint("checkpoints")
  local lines = KafkaUtils.createDirectStream(ssc, { "fortunes" }, { ["auto.offset.reset"] = "smallest" })
    :map(function(kv) return kv[2] end)
  lines:saveAsTextFiles("out/lines", "txt")
  lines:foreachRDD(function(rdd) rdd:collect() end)
  return ssc
end)
ssc:start()
