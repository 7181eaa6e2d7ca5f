-- The receivers' write-ahead log (issue 6): scenario 2 again, an unreliable
-- receiver whose blocks are stored once (MEMORY_ONLY), worker-2 running it
-- crashes at 4.6 s; but with spark.streaming.receiver.writeAheadLog.enable
-- every block also goes to a log in the checkpoint directory. The blocks
-- worker-2 held are read from the log (WriteAheadLogBackedBlockRDD). What is
-- still lost is what no log could hold: the receiver's buffer of the last
-- block interval, and what the socket sent while no receiver listened.
scenario{ name = "write-ahead log, unreplicated receiver, worker crash", seed = 7, duration = "10s" }
netcat{ port = 9999, lines = { "a", "b" }, rate = 50 }
faults{ { at = "4600ms", crash = "worker-2", restart_after = "3s" } }
expect{ delivery = "at-most-once" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 2,
                              ["spark.streaming.receiver.writeAheadLog.enable"] = true }

ssc:socketTextStream("localhost", 9999, StorageLevel.MEMORY_ONLY):print()
ssc:start()
