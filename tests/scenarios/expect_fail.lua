-- An expectation that cannot hold: 5 batches of 1 s make 5 batch_generated
-- events, not 6. `streamlab run` must exit 1 and name this file and line.
scenario{ name = "expect fail", seed = 1, duration = "5s" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 1 }
expect{ events = { batch_generated = 6 } }
ssc:queueStream({ { 1, 2, 3 } }):count():print()
ssc:start()
