scenario{ name = "getOrCreate whose context checkpoints nowhere", duration = "3s" }
local ssc = StreamingContext.getOrCreate("checkpoints", function()
  local ssc = StreamingContext{ batchDuration = "1s" }
  ssc:queueStream({ { 1 } }):print()
  return ssc
end)
ssc:start()
