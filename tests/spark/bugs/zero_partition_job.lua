-- Bug repro (engine/dag.c, not a Spark test): a job over an RDD with no
-- partitions. A queueStream whose queue is empty gives an empty RDD
-- (SparkContext.emptyRDD: 0 partitions) every batch; collecting it must
-- give no records, as in Spark (a job of 0 tasks ends at once).
-- In streamlab the result stage has 0 tasks, so submit_ready finishes it
-- inside eng_dag_submit; finish_job runs the outputs on, which free the
-- job, and submit_ready goes on reading the freed job's stages: a
-- heap-use-after-free (engine/dag.c submit_ready, under
-- eng_dag_submit <- outputs.c step_foreach / eng_outputs_advance). print(),
-- rdd:count() and an emptyRDD returned by transform do the same. Any
-- Spark-port scenario that runs past the end of its queue meets it.
scenario{ name = "bug: a job over an RDD with no partitions", seed = 1, duration = "1500ms" }

local ssc = StreamingContext{ batchDuration = "1s", workers = 1, cores = 2 }

ssc:queueStream({}, true):foreachRDD(function(rdd) rdd:collect() end)

expect{ output = 0, batches = { {} } }

ssc:start()
