lab{ name = "grade test", seed = 7 }
check{ name = "counts per batch", points = 1, output = 0, unordered = true,
       hint = "reduceByKey(add) counts each word of a batch" }
check{ name = "windowed counts", points = 2, output = 1, unordered = true,
       hint = "the inverse function must undo the reduce: sub for add" }
check{ name = "exactly-once under the lab's fault plan", points = 2, delivery = "exactly-once",
       faults_as_solution = true, hint = "keep the faults{} line of the starter" }
check{ name = "cost", points = 1, max_events = { task_end = 2000 }, hint = "no extra jobs" }
check{ name = "a window every 2 s", points = 1, hint = "the slide is 2 s",
       test = function(run, solution)
         local n = #(run.outputs[1] or {})
         return n == #solution.outputs[1], n .. " windows, " .. #solution.outputs[1] .. " expected"
       end }
question{ id = "batches", points = 1, text = "How many batches does output 0 print?",
          answer = function(solution) return #solution.outputs[0] end }
question{ id = "verdict", points = 1, text = "What does streamlab check say of output 1?",
          answer = function(solution) return solution.check[1].verdict end }
