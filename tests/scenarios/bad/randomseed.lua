scenario{ name = "randomseed", duration = "5s" }
math.randomseed(42)
