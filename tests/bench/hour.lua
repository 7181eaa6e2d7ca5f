-- make bench: one hour of simulated time at 1000 lines per second (the
-- fortunes file, looped), a word count every 1 s batch, on 2 workers.
scenario{ name = "bench: one hour at 1000 records/s", seed = 1, duration = "1 hour" }
netcat{ port = 9999, file = "fortunes", loop = true, rate = 1000 }
local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
ssc:socketTextStream("localhost", 9999):flatMap(words):map(pairWithOne):reduceByKey(add):count():print()
ssc:start()
