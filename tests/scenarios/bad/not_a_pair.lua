scenario{ name = "reduceByKey on records that are not pairs", duration = "3s" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
ssc:queueStream({ { "a", "b" } }):reduceByKey(add):print()
ssc:start()
