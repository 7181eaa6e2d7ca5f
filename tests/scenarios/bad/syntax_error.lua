scenario{ name = "syntax error", duration = "5s" }
local ssc = StreamingContext{ batchDuration = "1s"
ssc:start()
