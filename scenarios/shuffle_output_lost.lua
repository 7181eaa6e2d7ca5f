-- Acceptance 6 (issue 6): shuffle output is lost. A word count over a
-- direct Kafka stream (no receiver: each batch's input is an offset range,
-- durable in Kafka). worker-1 crashes after the map stage of the 4 s batch
-- wrote its shuffle files and while the reduce stage runs: the reduce tasks
-- fail to fetch (FetchFailed), the driver resubmits the map stage on the
-- live workers, reading the same offsets again, and the counts come out as
-- without the crash.
scenario{ name = "shuffle output lost", seed = 11, duration = "30s" }
kafka{ topic = "fortunes", partitions = 4, file = "data/fortunes/fortunes", rate = 30 }
faults{ { at = "4006ms", crash = "worker-1", restart_after = "2s" } }
expect{ delivery = "exactly-once", recovery_max = "20s" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 2 }
KafkaUtils.createDirectStream(ssc, { "fortunes" }, {})
  :flatMap(function(kv) local words = {} for w in kv[2]:gmatch("%a+") do words[#words + 1] = w:lower() end return words end)
  :map(function(w) return { w, 1 } end)
  :reduceByKey(function(a, b) return a + b end)
  :print()
ssc:start()
