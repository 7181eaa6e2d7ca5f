scenario{ name = "no output operations", duration = "3s" }
local ssc = StreamingContext{ batchDuration = "1s" }
ssc:queueStream({ { 1 } }):map(function(x) return x end)
ssc:start()
