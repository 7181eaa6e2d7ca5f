-- streamlab and PySpark differ: reduceByKeyAndWindow with an inverse
-- function over a window shorter than 5 slides, once a key's values have all
-- left the window (the smallest case of windowed_word_count.lua past 40 s).
--   input  one line "a" at 0.5 s (block of 0.6 s, batch of 1 s)
--   op     lines.map(lambda w: (w, 1))
--               .reduceByKeyAndWindow(lambda x, y: x + y, lambda x, y: x - y, 2, 1)
--   PySpark [("a", 1)] at 1 s, [("a", 1)] at 2 s, [] at 3 s: its
--          PythonReducedWindowedDStream reduces the window's batches afresh
--          when windowDuration < 5 x slideDuration, so "a" is gone at 3 s.
--   Scala  Seq(("a", 1)), Seq(("a", 1)), Seq(("a", 0)): ReducedWindowedDStream
--          keeps the key with value 0 (WindowOperationsSuite's "key removed
--          from window" case expects it).
--   streamlab gives Scala's answer, ("a", 0) at 3 s, for this PySpark
--   program. This scenario expects PySpark's; its test in
--   tests/cli/test_spark_windows.c is disabled.
scenario{ name = "pyspark reduceByKeyAndWindow, small window, key gone", seed = 1, duration = "4s" }
netcat{ port = 9999, lines = { "a" }, start = "500ms" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 2, cores = 2 }
ssc:checkpoint("checkpoint")

ssc:socketTextStream("localhost", 9999)
  :map(function(w) return { w, 1 } end)
  :reduceByKeyAndWindow(function(x, y) return x + y end, function(x, y) return x - y end, "2s", "1s")
  :foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, batches = {
  { { "a", 1 } },
  { { "a", 1 } },
  {},
} }

ssc:start()
ssc:awaitTerminationOrTimeout("3500ms")
