-- 09 Worker failure: recomputation from lineage, and the surviving replica.
--
-- Concept. When a worker dies, Spark Streaming loses two kinds of things
-- and gets each back another way:
--   - computed data (shuffle map outputs, running tasks): recomputed from
--     lineage. The driver unregisters the dead executor's map outputs and
--     resubmits the map stage for the missing partitions only; the reduce
--     tasks that were running there run again elsewhere.
--   - received data (the receiver's blocks): it cannot be recomputed, it was
--     never computed. With the default storage level MEMORY_AND_DISK_SER_2
--     every block has a second copy on another worker, which tasks read.
-- The receiver itself is relaunched on a live executor, on the next core
-- that frees up. What it had only buffered is lost, as a socket's would be:
-- without the write-ahead log KafkaUtils.createStream runs Spark's
-- KafkaReceiver, whose consumer auto-commits every 60 s whatever was stored;
-- its group has committed nothing yet, so the relaunched receiver starts at
-- the end of the log. (With the log it runs the ReliableKafkaReceiver, which
-- reads its buffer again: 07_receivers_reliability.lua.)
--
-- A word count (reduceByKey: a map stage and a reduce stage per batch) over
-- KafkaUtils.createStream, batch 1 s. The receiver runs on worker-2, so the
-- first copy of every block is there. worker-2 crashes at 4.29 s, while
-- batch 4000 ms is in its reduce stage: its map task 7.1 had written its
-- shuffle output on worker-2, and three reduce tasks were running there.
--
-- Watch in the visualiser: at 4.29 s worker-2 hatched, crosses on batch
-- 4000's bar (failed tasks); chip 7.1 of the map stage running again on
-- worker-1 at once; the receiver tag moving to worker-3 at 4.30 s, when a
-- core frees up there (its relaunch job comes after batch 4000's, which
-- takes worker-1's free core first); batch 4000 finishing late (608 ms
-- instead of 351 ms), batch 5000 on time.
-- The FetchFailed path (a reduce task that finds a map output gone, 15 s of
-- fetch retries) is scenarios/shuffle_output_lost.lua; blocks kept once
-- (MEMORY_ONLY) and lost with the worker: 07_receivers_reliability.lua.
--
-- Predict, then run:
--   1. How many tasks of the map stage run again: all 5, or fewer? (1: only
--      partition 1's output was on worker-2; the others stay registered.)
--   2. Are any records lost? (Yes, 5: every stored block had a replica, but
--      the receiver's buffer and what came until its relaunch (4.22 to
--      4.30 s) are gone; batch 5000 ms counts the words of 45 lines, not 50.
--      A count that differs is one lost and one unexpected record: broken.)
scenario{ name = "09 worker failure: lineage recomputation, replicated blocks", seed = 7, duration = "12500ms" }

kafka{ topic = "fortunes", partitions = 1, file = "data/fortunes/fortunes", rate = 50 }

faults{ { at = "4290ms", crash = "worker-2", restart_after = "3s" } }

narrate{ at = "0s", text = "The Kafka receiver runs on worker-2. Each block is stored twice: on worker-2 and on another worker." }
narrate{ at = "4252ms", text = "Batch 4000 ms: the map stage is done, its 5 outputs written where they ran (7.1 on worker-2). Reduce starts." }
narrate{ at = "4290ms", text = "worker-2 crashes: 3 running reduce tasks, map output 7.1, a copy of every block and the receiver are gone." }
narrate{ at = "4291ms", text = "Lineage: the driver resubmits the map stage for partition 1 only; task 7.1 runs again on worker-1, reading the replica there." }
narrate{ at = "4302ms", text = "The receiver is relaunched on worker-3, on the next core that frees up. Its group committed nothing: it starts at the end of the log." }
narrate{ at = "4543ms", text = "The 3 reduce tasks run again; batch 4000 ms ends at 4.61 s. Batch 5000 ms has 45 records: the receiver's buffer is gone." }

expect{ delivery = "broken" }      -- the counts of batch 5000 ms miss 5 lines
expect{ events = {
  executor_lost = 1,
  task_failed = 3,         -- the reduce tasks running on worker-2
  stage_submitted = 26,    -- 2 per batch, + the map stage resubmitted, + the reduce stage again
  block_lost = 0,          -- every block had its replica
  receiver_start = 2,      -- at the start, and relaunched after the crash
} }

local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 4, cost = { perRecord = "2ms" } }

KafkaUtils.createStream(ssc, "zk:2181", "lab", { fortunes = 1 })   -- MEMORY_AND_DISK_SER_2
  :flatMap(function(kv) local w = {} for x in kv[2]:gmatch("%a+") do w[#w + 1] = x:lower() end return w end)
  :map(function(w) return { w, 1 } end)
  :reduceByKey(function(a, b) return a + b end)
  :print()

ssc:start()
ssc:awaitTerminationOrTimeout("12500ms")
