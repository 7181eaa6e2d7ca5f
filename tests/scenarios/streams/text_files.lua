-- textFileStream: each batch reads the files that appeared in the folder
-- since the last one, one partition per file; saveAsTextFiles writes each
-- batch to prefix-<time>.suffix/part-NNNNN in durable storage.
scenario{ name = "text files", seed = 1, duration = "5s" }
files{ dir = "incoming", name = "a.txt", at = "1500ms", lines = { "x y", "y" } }
files{ dir = "incoming", name = "b.txt", at = "2200ms", lines = { "z" } }
files{ dir = "incoming", name = "_tmp.txt", at = "2300ms", lines = { "ignored" } }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 1 }
local counts = ssc:textFileStream("incoming"):flatMap(words):countByValue()
counts:print()
counts:saveAsTextFiles("out/counts", "txt")

expect{ output = 0, batches = { {}, { { "y", 2 }, { "x", 1 } }, { { "z", 1 } }, {} }, unordered = true }

ssc:start()
ssc:awaitTerminationOrTimeout("4500ms")
