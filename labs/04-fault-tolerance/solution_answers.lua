-- The engine's answers to lab.lua's questions (the solution's run, seed 4): for tests.
return {
  receiver_starts = 3,    -- at the start, relaunched after worker-1's crash, and after the driver's restart
  logged_blocks = 49,     -- a block every 200 ms, none while the driver is down (10.05 s of receiving, one block fewer at the worker crash)
  batch_run_twice = 8000, -- pending in the metadata checkpoint when the driver crashed at 8.05 s
  records_11000 = 140,    -- the backlog: the relaunched receiver reads from its last committed offset
  records_10000 = 0,      -- generated at the restart (10.05 s), before the new receiver stored a block
}
