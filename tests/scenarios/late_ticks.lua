-- A batch interval that does not divide the run: 2.5 s batches over 10 s
-- give batches at 2500, 5000, 7500 and 10000 ms, and an await timeout at
-- 6 s ends the run first: two batches.
scenario{ name = "await timeout", seed = 3, duration = "10s" }
local ssc = StreamingContext{ batchDuration = "2500ms", workers = 3, cores = 1 }
expect{ events = { batch_generated = 2, executor_registered = 3 } }
ssc:queueStream({ { 1, 2, 3 } }):count():print()
ssc:start()
ssc:awaitTerminationOrTimeout("6s")
