-- slow_batches.lua with backpressure: after each batch the PID rate estimator
-- lowers the receiver's rate to what the job can process, so the scheduling
-- delay stays bounded; the lines not taken wait in the socket.
scenario{ name = "slow batches with backpressure", seed = 5, duration = "20s" }
local lines = {}
for i = 1, 30000 do lines[i] = "event " .. i end
netcat{ port = 7777, lines = lines, rate = 1500 }
local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2,
                              cost = { perRecord = "1ms", taskLaunch = "2ms" },
                              ["spark.streaming.backpressure.enabled"] = true }
ssc:socketTextStream("localhost", 7777):count():print()
ssc:start()
ssc:awaitTerminationOrTimeout("20s")
