-- Fuzzing (issue 6): scenario 2's configuration, an unreliable receiver
-- whose blocks are stored once (MEMORY_ONLY), with a fault plan drawn from
-- the seed: two worker crashes, each at a time between 2 s and 8 s, each
-- followed by a restart 3 s later. The job claims exactly-once; a crash of
-- the worker that runs the receiver proves it wrong, one of another worker
-- does not. `streamlab fuzz` finds such a seed and shrinks its plan to the
-- one crash that loses records:
--   build/streamlab fuzz scenarios/fuzz_unreplicated_receiver.lua --seeds 1..20
scenario{ name = "fuzzing an unreplicated receiver", seed = 1, duration = "10s" }
netcat{ port = 9999, file = "data/fortunes/fortunes", rate = 50 }
faults.random{ count = 2, kinds = { "crash" }, workers = 3, from = "2s", to = "8s", restart_after = "3s" }
expect{ delivery = "exactly-once" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 2 }
ssc:socketTextStream("localhost", 9999, StorageLevel.MEMORY_ONLY):print()
ssc:start()
