-- Processing slower than the batch interval: 1500 lines per second, and
-- every record costs 1 ms in each operation a task applies. Each 1 s batch
-- needs more than 1 s, so batches queue behind each other and the
-- scheduling delay grows batch after batch (JobScheduler runs one batch
-- at a time). The same job with spark.streaming.backpressure.enabled is
-- in slow_batches_backpressure.lua.
scenario{ name = "slow batches", seed = 5, duration = "20s" }
local lines = {}
for i = 1, 30000 do lines[i] = "event " .. i end
netcat{ port = 7777, lines = lines, rate = 1500 }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2,
                              cost = { perRecord = "1ms", taskLaunch = "2ms" } }
ssc:socketTextStream("localhost", 7777):count():print()
ssc:start()
ssc:awaitTerminationOrTimeout("20s")
