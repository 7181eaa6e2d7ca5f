scenario{ name = "a batch interval of zero", duration = "3s" }
local ssc = StreamingContext{ batchDuration = "0s" }
