-- The engine's answers to lab.lua's questions (the solution's run, seed 1): for tests.
return {
  first_end_update = 4000,  -- last request in batch 1000 ms, quiet in 2000, 3000 and 4000 ms
  first_timeout = 10000,    -- timeouts are looked for only when the state is checkpointed (every 10 batches)
  timeout_batches = 3,      -- 10000, 20000, 30000 ms
  ended_10000 = 75,
  state_9000 = 146,         -- every client since the start: none can leave before 10 s
  open_9000 = 69,
}
