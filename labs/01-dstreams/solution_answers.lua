-- The engine's answers to lab.lua's questions (the solution's run, seed 1): for tests.
return {
  partitions_first = 5,      -- the block cut at exactly 1.5 s is reported after batch 1500 ms is generated
  partitions_3000 = 6,       -- 1500 ms / 250 ms
  lines_per_partition = 10,  -- 40 lines/s x 250 ms
  first_line_4500 = 111,     -- 50 lines in batch 1500 ms, 60 in 3000 ms
  percent_3000 = 28,         -- sed -n 51,110p data/fortunes/fortunes | grep -c '^%$'
  blocks = 26,               -- 6.5 s / 250 ms
  tasks = 62,                -- per batch 2P + 4 (P map tasks + 4 reduce tasks, P glom tasks): 14 + 3 x 16
}
