scenario{ name = "a random fault of an unknown kind", duration = "5s" }
faults.random{ count = 2, kinds = { "crash", "meteor" }, workers = 2, from = "1s", to = "4s" }
local ssc = StreamingContext{ batchDuration = "1s" }
ssc:start()
