-- The engine's answers to lab.lua's questions (the solution's run, seed 1): for tests.
return {
  windows = 15,        -- a window every 4 s from 4 s to 60 s
  errors_12000 = 53,   -- (0 s, 12 s]: minutes 10:44 to 10:55, the whole incident
  errors_20000 = 31,   -- (8 s, 20 s]: minutes 10:52 to 11:03: 9 + 1 + 21
  zero_key = 500,      -- the last 500 (10:55:47) is in batch 12000 ms, out of the window from 24 s
  zero_windows = 10,   -- 24, 28, ..., 60 s
  checkpoints = 10,    -- outputs 2 and 3, every 12 s (the smallest multiple of the slide >= 10 s): 12, 24, 36, 48, 60 s
}
