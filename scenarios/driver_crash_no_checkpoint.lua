-- Acceptance 3, first half (issue 6): the driver crashes at 4.6 s, with no
-- checkpoint and no write-ahead log. Its executors exit with it, taking the
-- receiver and every block it had stored; 3 s later the driver program runs
-- again, from nothing: a new StreamingContext, new executors, the receiver
-- connects anew. What the socket sent meanwhile, and what the dead
-- executors held, is lost, and the checker says so.
scenario{ name = "driver crash without checkpoint or WAL", seed = 7, duration = "12s" }
netcat{ port = 9999, file = "data/fortunes/fortunes", rate = 50 }
faults{ { at = "4600ms", crash = "driver", restart_after = "3s" } }
expect{ delivery = "at-most-once" }
local ssc = StreamingContext{ batchDuration = "1s", workers = 3, cores = 2 }
ssc:socketTextStream("localhost", 9999):print()
ssc:start()
