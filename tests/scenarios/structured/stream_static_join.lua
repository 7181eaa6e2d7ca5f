-- Stream-static joins (SEMANTICS.md 8.12): each batch of the stream joins the
-- whole static table, statelessly. Inner keeps the words the table has, with
-- its columns; left_outer keeps every word, with nulls where the table has
-- none; left_semi keeps the words the table has, with the stream's columns only.
scenario{ name = "stream-static joins", seed = 1, duration = "3s" }
local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 2 }
local kinds = spark:createDataFrame({ { "dog", "animal" }, { "owl", "bird" }, { "oak", "tree" } }, { "word", "kind" })
local input = MemoryStream(spark)
input:addData("500ms", "dog", "cat", "owl", "dog")
local words = input:toDF():withColumnRenamed("value", "word")
local inner = words:join(kinds, "word"):writeStream():format("memory"):queryName("inner")
  :trigger{ processingTime = "1s" }:start()
local outer = words:join(kinds, "word", "left_outer"):writeStream():format("memory"):queryName("outer")
  :trigger{ processingTime = "1s" }:start()
local semi = words:join(kinds, "word", "left_semi"):writeStream():format("memory"):queryName("semi")
  :trigger{ processingTime = "1s" }:start()
expect{ query = "inner", new_rows = { { by = "2s", rows = {
  { word = "dog", kind = "animal" }, { word = "owl", kind = "bird" }, { word = "dog", kind = "animal" } } } } }
expect{ query = "outer", new_rows = { { by = "2s", rows = {
  { word = "dog", kind = "animal" }, { word = "cat" }, { word = "owl", kind = "bird" }, { word = "dog", kind = "animal" } } } } }
expect{ query = "semi", new_rows = { { by = "2s", rows = { { word = "dog" }, { word = "owl" }, { word = "dog" } } } } }
spark.streams:awaitAnyTermination("3s")
