return { batches = 10 }
