-- Output faults (issue 6): a word count saved with saveAsTextFiles. At 3 s
-- the output system refuses two writes: those tasks fail and run again
-- (a failed task is retried up to spark.task.maxFailures = 4 times), and
-- each part file is committed once, by rename. From 5 s durable storage
-- answers 20 times slower for 2 s: the commits wait, batches end later, and
-- nothing changes in what is written.
scenario{ name = "sink and storage faults", seed = 2, duration = "10s" }
kafka{ topic = "fortunes", partitions = 2, file = "data/fortunes/fortunes", rate = 40 }
faults{
  { at = "3s", sink = "fail", count = 2 },
  { at = "5s", storage = "slow", factor = 20, duration = "2s" },
}
expect{ delivery = "exactly-once", recovery_max = "1s" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
KafkaUtils.createDirectStream(ssc, { "fortunes" }, {})
  :flatMap(function(kv) local words = {} for w in kv[2]:gmatch("%a+") do words[#words + 1] = w:lower() end return words end)
  :countByValue()
  :saveAsTextFiles("out/words", "txt")
ssc:start()
