scenario{ name = "unknown option", duration = "5s" }
local ssc = StreamingContext{ batchDurations = "1s" }
