scenario{ name = "wrong type", seed = "seven", duration = "5s" }
