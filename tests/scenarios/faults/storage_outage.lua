-- Durable storage fails for 2 s from 3 s. The save tasks of batch 3000
-- fail, run again at once and fail again: after spark.task.maxFailures (4)
-- the job fails, and the run stops (Spark's awaitTermination rethrows the
-- job's error). Everything after is lost: at-most-once.
scenario{ name = "storage outage longer than the task retries", seed = 2, duration = "8s" }
local lines = {}
for i = 1, 400 do lines[i] = "line " .. i end
kafka{ topic = "lines", partitions = 2, lines = lines, rate = 40 }
faults{ { at = "3s", storage = "fail", duration = "2s" } }
expect{ delivery = "at-most-once" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
KafkaUtils.createDirectStream(ssc, { "lines" }, {}):map(function(kv) return kv[2] end):saveAsTextFiles("out/lines", "txt")
ssc:start()
