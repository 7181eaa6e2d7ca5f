-- KafkaUtils.createStream without the receiver write-ahead log runs Spark's
-- KafkaReceiver (KafkaInputDStream.getReceiver), whose consumer auto-commits
-- what it has consumed every auto.commit.interval.ms (60 s in Kafka 0.8),
-- whatever the receiver has stored. The receiver starts at 2 ms and commits
-- first at 60.002 s; worker-2, which runs it, crashes at 65.1 s. The
-- relaunched receiver's group resumes from that commit: the 5.1 s since are
-- read again. The blocks of that time kept their replica, so their records
-- come twice (at-least-once); the buffer of 65.0-65.1 s is read again too.
scenario{ name = "Kafka receiver, auto-commit, worker crash after a commit", seed = 7, duration = "70s" }
local lines = {}
for i = 1, 3600 do lines[i] = "record " .. i end
kafka{ topic = "records", partitions = 1, lines = lines, rate = 50 }
faults{ { at = "65100ms", crash = "worker-2", restart_after = "3s" } }
expect{ delivery = "at-least-once" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 2 }
KafkaUtils.createStream(ssc, "zk:2181", "lab", { records = 1 }):map(function(kv) return kv[2] end):print()
ssc:start()
ssc:awaitTerminationOrTimeout("70s")
