scenario{ name = "a Lua error inside a task", duration = "3s" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
ssc:queueStream({ { 1, 2, 3 } }):map(function(x)
  return x + nil
end):print()
ssc:start()
