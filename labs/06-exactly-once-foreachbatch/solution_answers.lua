-- The engine's answers to lab.lua's questions (the solution's run, seed 3): for tests.
return {
  batch_run_twice = 4,      -- offsets/4 logged at 5.0 s, written at 5.006 s, the crash at 5.007 s before commits/4
  rows_batch_5 = 60,        -- 8.0 s: the log kept what came while the driver was down (5 s to 8 s, 20 lines a second)
  fortunes_delivered = 149, -- the 240 lines of 12 batches, without the "%" separators
  folders = 12,             -- batch=0 to batch=11: batch 4 written twice into the same folder
}
