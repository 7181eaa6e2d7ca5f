scenario{ name = "bad duration", duration = "5s" }
local ssc = StreamingContext{ batchDuration = "1 parsec" }
