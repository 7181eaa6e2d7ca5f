-- Acceptance 5 (issue 6), without speculation: worker-1 runs 30 times
-- slower from 3 s to 13 s. Each batch's map stage waits for its tasks there;
-- batches take longer than the batch interval and the scheduling delay
-- grows. Compare scenarios/straggler_speculation.lua: summary.json's
-- "batches" give both runs' processing times.
scenario{ name = "a straggler, speculation off", seed = 5, duration = "20s" }
local lines = {}
for i = 1, 8000 do lines[i] = "sensor-" .. (i % 17) .. " " .. (i % 101) end
kafka{ topic = "readings", partitions = 8, lines = lines, rate = 400 }
faults{ { at = "3s", slow = "worker-1", factor = 30, duration = "10s" } }
expect{ delivery = "exactly-once" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 4, cores = 2, cost = { perRecord = "1ms" } }
KafkaUtils.createDirectStream(ssc, { "readings" }, {})
  :map(function(kv) local sensor = kv[2]:match("^(%S+)") return { sensor, 1 } end)
  :reduceByKey(function(a, b) return a + b end)
  :print()
ssc:start()
