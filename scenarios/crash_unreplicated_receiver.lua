-- Acceptance 2 (issue 6): an unreliable receiver, storage not replicated
-- (MEMORY_ONLY), and the worker that runs the receiver and holds its unprocessed blocks crashes.
-- The blocks were only in that executor's memory: their records are gone,
-- and a socket does not send them again. The checker must say so.
scenario{ name = "unreliable receiver, unreplicated blocks, worker crash", seed = 7, duration = "10s" }
netcat{ port = 9999, file = "data/fortunes/fortunes", rate = 50 }
faults{ { at = "4600ms", crash = "worker-2", restart_after = "3s" } }
expect{ delivery = "at-most-once" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 2 }
ssc:socketTextStream("localhost", 9999, StorageLevel.MEMORY_ONLY):print()
ssc:start()
