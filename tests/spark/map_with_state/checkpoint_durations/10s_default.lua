-- Spark: MapWithStateSuite, test("mapWithState - checkpoint durations"), the case
--   testCheckpointDuration(Seconds(10), Seconds(100))
--   op     new TestInputStream(ssc, Seq.empty[Seq[Int]], 2).map(_ -> 1)
--            .mapWithState(StateSpec.function((key: Int, value: Option[Int],
--              state: State[Int]) => 0)), registered as an output,
--          ssc.checkpoint(dir), batch Seconds(10)
--   Spark asserts after ssc.start():
--     mapWithStateStream.checkpointDuration === null
--     internalStream.checkpointDuration === Seconds(100)
-- Spark's test runs no batch; here the durations are seen in a run: every
-- data checkpoint is a checkpoint_write event, so the internal state stream,
-- checkpointed every 100 s (10 batches), writes 2 checkpoints in 250s (at 100 s and 200 s),
-- and the mapped stream none of its own.
-- tests/cli/test_spark_state.c checks the batch times of the writes.
-- The input has no records, as Spark's: an empty textFileStream folder.
scenario{ name = "spark map_with_state checkpoint durations 10s_default", seed = 1, duration = "300s" }

local ssc = StreamingContext{ batchDuration = "10s", workers = 1, cores = 1, ["spark.default.parallelism"] = 1 }

local function dummyFunc(key, value, state) return 0 end

local mapped = ssc:textFileStream("input"):map(function(x) return { x, 1 } end)
  :mapWithState(StateSpec.func(dummyFunc))
mapped:foreachRDD(function(rdd) rdd:collect() end) -- mapWithStateStream.register()
ssc:checkpoint("checkpoint")

expect{ events = { checkpoint_write = 2 } }

ssc:start()
ssc:awaitTerminationOrTimeout("250s")
