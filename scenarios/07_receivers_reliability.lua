-- 07 Receivers: unreliable (socket) vs reliable (Kafka receiver), and the
-- write-ahead log, under a worker crash.
--
-- Concept. A receiver-based input stream stores what it receives as blocks
-- (one every spark.streaming.blockInterval, 200 ms) on the executor that runs
-- it, and the batch that covers them reads them later. Here both receivers
-- store their blocks once (StorageLevel.MEMORY_ONLY) on worker-2, and the
-- write-ahead log is on (spark.streaming.receiver.writeAheadLog.enable):
-- every stored block is also written to checkpoints/receivedData/<stream>/.
-- worker-2 crashes at 4.6 s. The blocks it stored are read back from the log
-- by both streams. What differs is the receiver's buffer, the last 200 ms
-- not yet made into a block:
--   output 0, ssc.socketTextStream: an unreliable source. The socket does not
--     send again; the buffer is gone: at-most-once, 10 records lost.
--   output 1, KafkaUtils.createStream: with the log on, Spark runs the
--     ReliableKafkaReceiver. It commits its offsets only once a block is
--     stored (and logged); the receiver relaunched elsewhere reads again from
--     the committed offsets: nothing lost, nothing twice (exactly-once).
--
-- The other two corners of the 2 x 2 (one run cannot switch the log off for
-- one stream only):
--   no log, socket:      scenarios/crash_unreplicated_receiver.lua (40 lost:
--                        the 3 stored blocks and the buffer)
--   no log, Kafka:       this file with the option set to false (40 lost, as
--                        the socket: without the log createStream runs the
--                        KafkaReceiver, whose consumer auto-commits every
--                        60 s whatever was stored; its group has committed
--                        nothing yet, so the relaunched receiver starts at the
--                        end of the log: the stored blocks and the buffer are
--                        gone)
--   log, each alone:     scenarios/wal_unreplicated_receiver.lua (10 lost),
--                        scenarios/wal_reliable_receiver.lua (exactly-once)
-- (The default storage level, MEMORY_AND_DISK_SER_2, keeps a second copy on
-- another worker instead: scenarios/crash_replicated_receiver.lua.)
--
-- Watch in the visualiser: the two blue receiver tags (receiver 0, the
-- socket; receiver 2, Kafka) on worker-2, their blocks stored once; at
-- 4.6 s worker-2 hatched and struck through, the receivers relaunched on
-- worker-1 and worker-3; the Outputs panel at batch 5000 ms: 40 rows on
-- output 0, 50 on output 1. The log's writes (to checkpoints/receivedData/)
-- are the storage panel's WAL row, one tick per block.
--
-- Predict, then run:
--   1. Both streams keep their blocks only in worker-2's memory. Which of
--      the two outputs loses records in batch 5000 ms, and how many? (The
--      socket's: 10, one block interval's buffer.)
--   2. The relaunched Kafka receiver's first block (4800 ms) holds how many
--      records, at 50 a second? (20: the 10 it re-reads and 10 new.)
--
-- Each worker has 3 cores: two receivers hold two of worker-2's, and a task
-- whose MEMORY_ONLY block lives there needs a free core on it, or it waits
-- spark.locality.wait (3 s) before running elsewhere.
scenario{ name = "07 receivers: socket vs Kafka receiver, write-ahead log, worker crash", seed = 7, duration = "10s" }

netcat{ port = 9999, file = "data/fortunes/fortunes", rate = 50 }
kafka{ topic = "fortunes", partitions = 1, file = "data/fortunes/fortunes", rate = 50 }

faults{ { at = "4600ms", crash = "worker-2", restart_after = "3s" } }

narrate{ at = "0s", text = "Two receivers on worker-2: a socket (unreliable) and Kafka (reliable); blocks MEMORY_ONLY, plus the log." }
narrate{ at = "2s", text = "Steady state: every 200 ms each receiver stores a block; a batch reads 50 records per stream." }
narrate{ at = "4600ms", text = "worker-2 crashes: its stored blocks and both receivers' buffers (the last 200 ms) are gone." }
narrate{ at = "4602ms", text = "Receivers relaunched on worker-1 and worker-3. Kafka re-reads from its committed offsets; the socket cannot." }
narrate{ at = "5s", text = "Batch 5000 ms reads the lost blocks from the log. Socket: 40 records, 10 lost for good. Kafka: 50." }
narrate{ at = "7600ms", text = "worker-2 restarts empty; the receivers stay where they are. Every batch has 50 + 50 records again." }

expect{ delivery = { "at-most-once", "exactly-once" } }
expect{ events = {
  executor_lost = 1,     -- worker-2's executor
  receiver_start = 4,    -- two at the start, two relaunched after the crash
  block_lost = 0,        -- every stored block had its copy in the log (16 without it: per
                         -- stream, 3 blocks not yet in a batch and batch 4000's 5, done
                         -- but kept until batch 5000 is)
  block_reported = 96,   -- 2 x 48: no block at 4.6 s (the crash), those of 10 s unreported at the end
} }

local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 3,
                              ["spark.streaming.receiver.writeAheadLog.enable"] = true }
ssc:checkpoint("checkpoints")   -- the log lives under the checkpoint folder

-- output 0: the socket receiver, an unreliable source
ssc:socketTextStream("localhost", 9999, StorageLevel.MEMORY_ONLY):print()

-- output 1: the Kafka receiver (zookeeper, consumer group, {topic = threads})
KafkaUtils.createStream(ssc, "zk:2181", "lab", { fortunes = 1 }, StorageLevel.MEMORY_ONLY)
  :map(function(kv) return kv[2] end)
  :print()

ssc:start()
ssc:awaitTerminationOrTimeout("10s")
