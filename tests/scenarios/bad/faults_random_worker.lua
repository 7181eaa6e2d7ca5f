scenario{ name = "random faults of workers the cluster has not", duration = "5s" }
faults.random{ count = 3, workers = 5, from = "1s", to = "4s" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 2 }
ssc:queueStream({ { 1 } }):print()
ssc:start()
