-- Regression (a streamlab bug, now fixed), the smallest case of
-- updateStateByKey_testing_time_stamps.lua: the time the 4-parameter
-- update function gets.
--   input  Seq(Seq("a"), Seq("a")), 2 partitions per batch
--   op     s.map(x => (x, 1)).updateStateByKey[Long](
--            (time: Time, key: String, values: Seq[Int], state: Option[Long]) =>
--              Option(time.milliseconds + state.getOrElse(0L)))
--   output Seq(Seq(("a", 1000L)), Seq(("a", 3000L))): the state RDD of 1000 ms
--          is made with time 1000 ms, that of 2000 ms with 2000 ms + 1000
-- What streamlab gives: Seq(("a", 1000)), Seq(("a", 4000)). The 2000 ms job
-- computes the 1000 ms state RDD again (its cogroup shuffles the previous
-- state, and persisted RDDs are not read from a cache: engine/dag.c never
-- uses rdd->cached_on), and that recomputation calls the update function
-- with the running job's batch time, 2000 ms (engine/compute.c update_state
-- gets the task's time_us), not the state RDD's own time, 1000 ms. So the
-- 1000 ms state becomes 2000, and the 2000 ms state 2000 + 2000. Spark's
-- StateDStream.compute(validTime) closes over validTime: a recomputed RDD
-- gets the same time.
scenario{ name = "bug: updateStateByKey time of a recomputed state", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }
ssc:checkpoint("checkpoint")

-- Spark's TestInputStream(ssc, input, numPartitions): batch i (at i s) gets
-- input[i], sliced in numPartitions as makeRDD slices a Seq. With a
-- checkpoint directory a queueStream warns "queueStream doesn't support
-- checkpointing" (as Spark's QueueInputDStream logs), so each slice arrives
-- instead as a file of a textFileStream, written half a batch before its
-- batch time, one record a line.
local function testInputStream(dir, input, numPartitions)
  for i, batch in ipairs(input) do
    for p = 0, numPartitions - 1 do
      local lines = {}
      for j = p * #batch // numPartitions + 1, (p + 1) * #batch // numPartitions do
        lines[#lines + 1] = batch[j]
      end
      files{ dir = dir, name = string.format("batch-%02d-part-%d", i, p),
             at = string.format("%dms", i * 1000 - 500), lines = lines }
    end
  end
  return ssc:textFileStream(dir)
end

local input = testInputStream("input", {
  { "a" },
  { "a" },
}, 2)

input:map(function(x) return { x, 1 } end)
  :updateStateByKey(function(time, key, values, state) return time + (state or 0) end)
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, batches = {
  { { "a", 1000 } },
  { { "a", 3000 } },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("2500ms")
