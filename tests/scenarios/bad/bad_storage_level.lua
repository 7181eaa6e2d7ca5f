scenario{ name = "a storage level Spark does not have", duration = "5s" }
netcat{ port = 9999, lines = { "a" } }
local ssc = StreamingContext{ batchDuration = "1s" }
ssc:socketTextStream("localhost", 9999, "MEMORY_TWICE"):print()
ssc:start()
