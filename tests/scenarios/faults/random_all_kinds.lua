-- faults.random{} drawing from every kind: a plan of 8 faults per seed,
-- each a worker's crash, slowdown or partition, the driver's crash, the
-- receiver's failure, slow or failing storage, or a refused write.
scenario{ name = "random faults of every kind", seed = 5, duration = "12s" }
netcat{ port = 9999, lines = { "a b", "b c", "c d" }, rate = 20, loop = true }
faults.random{ count = 8, workers = 3, from = "1s", to = "10s", restart_after = "2s", duration = "1s",
               kinds = { "crash", "slow", "partition", "driver_crash", "crash_receiver", "storage_slow",
                         "storage_fail", "sink_fail" } }
local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 2 }
ssc:socketTextStream("localhost", 9999):flatMap(function(l) return l:split(" ") end):countByValue():print()
ssc:start()
