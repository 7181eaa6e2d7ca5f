-- Acceptance 5 (issue 6), with speculation: worker-1 runs 30 times
-- slower from 3 s to 13 s. With spark.speculation (multiplier 1.5, quantile
-- 0.75), once 6 of a stage's 8 tasks are done, a task running longer than
-- 1.5 x their median (at least 100 ms) gets a copy on another executor; the
-- first to finish wins and the other is killed. Compare
-- scenarios/straggler.lua: summary.json's "batches" give both runs'
-- processing times.
scenario{ name = "a straggler, speculation on", seed = 5, duration = "20s" }
local lines = {}
for i = 1, 8000 do lines[i] = "sensor-" .. (i % 17) .. " " .. (i % 101) end
kafka{ topic = "readings", partitions = 8, lines = lines, rate = 400 }
faults{ { at = "3s", slow = "worker-1", factor = 30, duration = "10s" } }
expect{ delivery = "exactly-once" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 4, cores = 2, cost = { perRecord = "1ms" },
                                 ["spark.speculation"] = true }
KafkaUtils.createDirectStream(ssc, { "readings" }, {})
  :map(function(kv) local sensor = kv[2]:match("^(%S+)") return { sensor, 1 } end)
  :reduceByKey(function(a, b) return a + b end)
  :print()
ssc:start()
