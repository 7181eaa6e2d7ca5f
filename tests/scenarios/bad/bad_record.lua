scenario{ name = "a record that is not a value", duration = "3s" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 1 }
ssc:queueStream({ { 1 } }):map(function(x)
  return { name = "x" }
end):print()
ssc:start()
