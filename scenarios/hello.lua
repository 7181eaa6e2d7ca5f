-- hello: the smallest run. A driver and two workers; the driver's
-- JobGenerator fires once per batch interval, and each batch is generated
-- at k x batchDuration of simulated time (k = 1, 2, ...), never skipped.
-- Executors register with the driver over the simulated network, whose
-- latency jitter is drawn from the seed: change --seed and the trace changes.
scenario{ name = "hello", seed = 7, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }

narrate{ at = "0s", text = "A driver and two workers start; the executors register with the driver." }
narrate{ at = "5s", text = "Batch 5000 ms: the batch timer fires on the grid, once per second." }

-- 10 batches (1 s .. 10 s) and one registration per worker; the first
-- heartbeats (every 10 s after registering) fall just after the run ends.
expect{ events = { batch_generated = 10, executor_registered = 2 } }

ssc:start()
ssc:awaitTerminationOrTimeout("10s")
