-- A receiver whose worker dies is relaunched on a live executor as soon as
-- one has a free core, not when a new executor registers: ReceiverTracker
-- runs it again as a job (RestartReceiver, ReceiverSchedulingPolicy.
-- rescheduleReceiver), and the task scheduler gives that job a core once the
-- jobs submitted before it have taken theirs (FIFO).
-- Two workers of 2 cores; the socket receiver holds one of worker-2's; a
-- task of 10 records at 30 ms runs 300 ms. worker-2 crashes for good at
-- 4.1 s, while batch 4000's tasks fill worker-1's two cores: partition 1
-- fails, partitions 3 and 4 still wait. As worker-1's cores free up, batch
-- 4000's tasks take them first (4.30 s: 1 and 3; 4.61 s: 4), then the
-- receiver takes the next one (4.61 s).
scenario{ name = "receiver relaunch takes the next free core", seed = 7, duration = "6s" }
local lines = {}
for i = 1, 400 do lines[i] = "line " .. i end
netcat{ port = 9999, lines = lines, rate = 50 }
faults{ { at = "4100ms", crash = "worker-2" } }
expect{ events = { executor_lost = 1, receiver_start = 2 } }
local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2, cost = { perRecord = "30ms" } }
ssc:socketTextStream("localhost", 9999):print()
ssc:start()
ssc:awaitTerminationOrTimeout("6s")
