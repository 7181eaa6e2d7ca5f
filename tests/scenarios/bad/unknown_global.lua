scenario{ name = "unknown global", duration = "5s" }
local ssc = StreamingContxt{ batchDuration = "1s" }
