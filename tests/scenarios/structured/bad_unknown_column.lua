-- A column that does not exist: the error names the file, the line and the columns there are.
scenario{ name = "bad", seed = 1, duration = "3s" }
local spark = SparkSession{}
local input = MemoryStream(spark)
input:addData("500ms", 1)
local q = input:toDF():select(col("valu")):writeStream():start()
