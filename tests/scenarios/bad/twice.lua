scenario{ name = "one", duration = "5s" }
scenario{ name = "two", duration = "5s" }
