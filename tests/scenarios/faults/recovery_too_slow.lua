-- A reduce stage loses its shuffle input when worker-1 crashes at 4.006 s;
-- its tasks learn it only when their fetches time out (15 s), so the job
-- catches up again 15.2 s after the crash: recovery_max = "10s" is missed.
scenario{ name = "recovery slower than expected", seed = 11, duration = "30s" }
local lines = {}
for i = 1, 900 do lines[i] = "w" .. (i % 13) .. " w" .. (i % 7) end
kafka{ topic = "words", partitions = 4, lines = lines, rate = 30 }
faults{ { at = "4006ms", crash = "worker-1", restart_after = "2s" } }
expect{ delivery = "exactly-once", recovery_max = "10s" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 2 }
KafkaUtils.createDirectStream(ssc, { "words" }, {})
  :flatMap(function(kv) local words = {} for w in kv[2]:gmatch("%S+") do words[#words + 1] = w end return words end)
  :map(function(w) return { w, 1 } end)
  :reduceByKey(function(a, b) return a + b end)
  :print()
ssc:start()
