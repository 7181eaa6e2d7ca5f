-- make bench: the same word count as wordcount_builtin.lua, with Lua functions.
scenario{ name = "bench: word count, Lua functions", seed = 1, duration = "4s" }
netcat{ port = 9999, file = "fortunes", loop = true, count = 100000, rate = 100000 }
local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 4, cost = { perRecord = "1us" } }
ssc:socketTextStream("localhost", 9999, "MEMORY_ONLY")
   :flatMap(function(line) return line:split(" ") end)
   :map(function(w) return { w, 1 } end)
   :reduceByKey(function(a, b) return a + b end)
   :count():print()
ssc:start()
