scenario{ name = "a storage fault of no known kind", duration = "5s" }
faults{ { at = "1s", storage = "melts", duration = "1s" } }
local ssc = StreamingContext{ batchDuration = "1s" }
ssc:queueStream({ { 1 } }):print()
ssc:start()
