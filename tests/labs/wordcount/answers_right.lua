return { batches = 9, verdict = "Exactly-Once " }
