scenario{ name = "unknown function", duration = "5s" }
local ssc = StreamingContext{ batchDuration = "1s" }
ssc:startt()
