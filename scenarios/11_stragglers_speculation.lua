-- 11 Stragglers and speculative execution (spark.speculation).
--
-- Concept. A stage is done when its last task is. One slow machine (a bad
-- disk, a noisy neighbour, garbage collection) makes every stage wait for
-- the tasks it runs: a straggler. With spark.speculation = true the driver
-- checks every 100 ms; once spark.speculation.quantile (0.75) of a stage's
-- tasks are done, a task running longer than spark.speculation.multiplier
-- (1.5) times their median gets a copy on another executor. The first
-- attempt to finish wins; the other is killed ("another attempt
-- succeeded"). Tasks are deterministic, so either copy's output is right.
--
-- A word count over a direct Kafka stream of 8 partitions, 4 workers of 2
-- cores, batch 1 s: each stage has 8 tasks, two of them on worker-3.
-- worker-3 runs 20 times slower from 3 s to 9 s.
--
-- Watch in the visualiser: from 3 s the "straggler" label on worker-3; in
-- each stage, 6 chips finish and then two copies with a dashed border and
-- "spec" start on other workers; worker-3's "failed" count grows: those are
-- its killed attempts, not failures of the job. The batch timeline: bars of
-- about 580 ms while worker-3 is slow (260 ms before), all under the batch
-- interval; no scheduling delay.
--
-- The contrast, speculation off (set it to false here and run again, or see
-- scenarios/straggler.lua and straggler_speculation.lua): batch 3000 ms takes
-- 3346 ms, batch 4000 ms 3306 ms, the scheduling delay climbs to 4653 ms and
-- the job keeps up again only at 11.4 s, 8.4 s after the slowdown began.
--
-- Predict, then run:
--   1. With speculation on, does any batch during the slowdown take longer
--      than the batch interval? (No: at most 592 ms, batch 3000 ms; the
--      slowdown's recovery time in summary.json is 592 ms.)
--   2. Is a copy ever launched when no worker is slow? (Yes, twice, at 1.2 s
--      and 9.2 s: Kafka partitions of uneven size make a task run past 1.5 x
--      the median; there the original finishes first and the copy is
--      killed. 26 copies in all, 24 of them while worker-3 is slow.)
scenario{ name = "11 stragglers and speculative execution", seed = 5, duration = "11500ms" }

kafka{ topic = "fortunes", partitions = 8, file = "data/fortunes/fortunes", rate = 80 }

faults{ { at = "3s", slow = "worker-3", factor = 20, duration = "6s" } }

narrate{ at = "1s", text = "8 tasks per stage on 4 workers of 2 cores; a batch takes about 260 ms." }
narrate{ at = "1200ms", text = "A copy of task 1.2 starts (it ran past 1.5 x the median); the original finishes first, the copy is killed." }
narrate{ at = "3s", text = "worker-3 becomes 20x slower: its two tasks of each stage straggle." }
narrate{ at = "3200ms", text = "6 of 8 tasks done, the other 2 over 1.5 x the median: spark.speculation copies them to other workers." }
narrate{ at = "3340ms", text = "The copies win; worker-3's attempts are killed. Batch 3000 ms: 592 ms (3346 ms without speculation)." }
narrate{ at = "9s", text = "worker-3 is fast again; batches are back to about 250 ms. No batch ever fell behind." }

expect{ delivery = "exactly-once", recovery_max = "1s" }   -- the job kept up within 1 s of the slowdown
expect{ events = {
  task_speculative = 26,   -- copies launched: 24 during the slowdown, 2 at 1.2 s and 9.2 s
  task_failed = 26,        -- all cause 5: the losing attempt killed
  batch_done = 11,
} }

local ssc = StreamingContext{ batchDuration = "1s", workers = 4, cores = 2, cost = { perRecord = "1ms" },
                              ["spark.speculation"] = true }

KafkaUtils.createDirectStream(ssc, { "fortunes" }, {})
  :flatMap(function(kv) local w = {} for x in kv[2]:gmatch("%a+") do w[#w + 1] = x:lower() end return w end)
  :map(function(w) return { w, 1 } end)
  :reduceByKey(function(a, b) return a + b end)
  :print()

ssc:start()
ssc:awaitTerminationOrTimeout("11500ms")
