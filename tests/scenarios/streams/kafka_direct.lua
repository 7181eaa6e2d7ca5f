-- KafkaUtils.createDirectStream: no receiver. At each batch time the driver
-- takes, per topic partition, the offsets [current, latest) as one RDD
-- partition; with maxRatePerPartition = 2 and 1 s batches, at most 2 records
-- per partition per batch (DirectKafkaInputDStream.clamp).
-- Records 1..9 arrive at 10 per second from 0 s, round-robin over 3 partitions:
-- by 1 s all 9 have arrived (arrival 0.0 .. 0.8 s), so the cap decides.
scenario{ name = "kafka direct", seed = 1, duration = "5s" }
kafka{ topic = "events", partitions = 3, lines = { "1", "2", "3", "4", "5", "6", "7", "8", "9" }, rate = 10 }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2,
                              ["spark.streaming.kafka.maxRatePerPartition"] = 2 }
local stream = KafkaUtils.createDirectStream(ssc, { "events" }, { ["metadata.broker.list"] = "kafka:9092" })
-- records are (key, value); keys are nil (null)
stream:map(function(kv) return kv[2] end):glom():print()

-- partition p holds records p+1, p+4, p+7; each batch reads 2 per partition, then the rest.
expect{ output = 0, batches = {
  { { "1", "4" }, { "2", "5" }, { "3", "6" } },
  { { "7" }, { "8" }, { "9" } },
  { {}, {}, {} },
} }

ssc:start()
ssc:awaitTerminationOrTimeout("4s")
