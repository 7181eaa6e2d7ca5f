-- KafkaUtils.createStream with the receiver write-ahead log on: Spark's
-- ReliableKafkaReceiver, which commits its offsets only once a block is
-- stored (and logged). With 2 workers the blocks are replicated before they
-- are reported. Its consumer group has no committed offset at the start, so
-- it begins at the end of the log (auto.offset.reset = largest): "a",
-- there at 0 ms, before the receiver starts (2 ms), is never read.
scenario{ name = "reliable receiver", seed = 3, duration = "4s" }
kafka{ topic = "t", partitions = 2, lines = { "a", "b", "c", "d", "e", "f" }, rate = 4 }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2,
                              ["spark.streaming.receiver.writeAheadLog.enable"] = true }
ssc:checkpoint("checkpoints")
local stream = KafkaUtils.createStream(ssc, "zk:2181", "group", { t = 1 })
stream:map(function(kv) return kv[2] end):count():print()

-- arrivals every 250 ms: b c d by 1 s (d at 750 ms, cut at 800 ms), e f in the next
expect{ output = 0, batches = { { 3 }, { 2 }, { 0 } } }

ssc:start()
ssc:awaitTerminationOrTimeout("3500ms")
