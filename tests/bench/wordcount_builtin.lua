-- make bench: word count over 100000 lines of real text (the fortunes
-- file, repeated), all arriving within the first second, on one worker,
-- with the built-in functions (they run natively, without entering Lua).
scenario{ name = "bench: word count, built-ins", seed = 1, duration = "4s" }
netcat{ port = 9999, file = "fortunes", loop = true, count = 100000, rate = 100000 }
local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 4, cost = { perRecord = "1us" } }
ssc:socketTextStream("localhost", 9999, "MEMORY_ONLY")
   :flatMap(words):map(pairWithOne):reduceByKey(add):count():print()
ssc:start()
