scenario{ name = "string.rep bomb", duration = "5s" }
local s = string.rep("x", 1e12)
