-- A worker crashes at 4.1 s and comes back 5 s later. The receiver's
-- blocks are replicated (MEMORY_AND_DISK_SER_2), so every block has a copy
-- on the other worker: tasks that were running there run again elsewhere,
-- the receiver is launched again, and no record is lost.
scenario{ name = "worker crash, replicated blocks", seed = 3, duration = "12s" }
netcat{ port = 9999, lines = { "a", "b", "c", "d" }, rate = 40, loop = true }
faults{ { at = "4100ms", crash = "worker-1", restart_after = "5s" } }
local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 2 }
ssc:socketTextStream("localhost", 9999):countByValue():print()
ssc:start()
