-- Spark: MapWithStateSuite, test("mapWithState - checkpoint durations"), the case
--   testCheckpointDuration(Milliseconds(100), Seconds(2), Some(Seconds(2)))
--   op     new TestInputStream(ssc, Seq.empty[Seq[Int]], 2).map(_ -> 1)
--            .mapWithState(StateSpec.function((key: Int, value: Option[Int],
--              state: State[Int]) => 0)).checkpoint(Seconds(2)), registered as an output,
--          ssc.checkpoint(dir), batch Milliseconds(100)
--   Spark asserts after ssc.start():
--     mapWithStateStream.checkpointDuration === null
--     internalStream.checkpointDuration === Seconds(2)
-- Spark's test runs no batch; here the durations are seen in a run: every
-- data checkpoint is a checkpoint_write event, so the internal state stream,
-- checkpointed every 2 s, writes 2 checkpoints in 4500ms (at 2 s and 4 s),
-- and the mapped stream none of its own.
-- At its default interval (10 batches) the internal stream would write at
-- other times. A checkpoint_write does not name its stream, though: that the
-- interval is the internal stream's and not the mapped stream's own is not
-- seen here (streamlab's mapped:checkpoint sets the internal stream's, as
-- MapWithStateDStreamImpl.checkpoint does).
-- tests/cli/test_spark_state.c checks the batch times of the writes.
-- The input has no records, as Spark's: an empty textFileStream folder.
scenario{ name = "spark map_with_state checkpoint durations 100ms_checkpoint_2s", seed = 1, duration = "10s" }

local ssc = StreamingContext{ batchDuration = "100ms", workers = 1, cores = 1, ["spark.default.parallelism"] = 1 }

local function dummyFunc(key, value, state) return 0 end

local mapped = ssc:textFileStream("input"):map(function(x) return { x, 1 } end)
  :mapWithState(StateSpec.func(dummyFunc))
mapped:checkpoint("2s")
mapped:foreachRDD(function(rdd) rdd:collect() end) -- mapWithStateStream.register()
ssc:checkpoint("checkpoint")

expect{ events = { checkpoint_write = 2 } }

ssc:start()
ssc:awaitTerminationOrTimeout("4500ms")
