scenario{ name = "load", duration = "5s" }
local f = load("return 1")
