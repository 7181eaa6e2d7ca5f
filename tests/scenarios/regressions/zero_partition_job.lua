-- Regression: a job over an RDD with no partitions. A queueStream whose
-- queue is empty gives an empty RDD (SparkContext.emptyRDD: 0 partitions)
-- every batch; collecting it must give no records, as in Spark, where a job
-- of 0 tasks ends at once. It once finished inside eng_dag_submit and the
-- outputs freed the job while the DAG scheduler still walked its stages (a
-- heap-use-after-free found by the BasicOperationsSuite port); a job that
-- ends at submission is now only marked done, and its caller goes on.
scenario{ name = "a job over an RDD with no partitions", seed = 1, duration = "1500ms" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }

ssc:queueStream({}, true):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, batches = { {} } }

ssc:start()
