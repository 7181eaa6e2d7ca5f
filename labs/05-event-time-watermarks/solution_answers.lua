-- The engine's answers to lab.lua's questions (the solution's run, seed 1): for tests.
return {
  dropped_rows = 91,      -- summed numRowsDroppedByWatermark; 633 with the starter's 30 minutes
  max_state = 52,         -- about 48 hours open, plus the hours the batch touched
  first_batch = 36,       -- its watermark, 31 Jan 03:58 (the latest quake seen, 2 Feb 03:58, minus 2 days), is past the first hour's end, 03:00
  hours_published = 119,  -- hours written in append mode by the end of the run
  hours_open = 49,        -- the last two days of the week, still before the watermark: never published
}
