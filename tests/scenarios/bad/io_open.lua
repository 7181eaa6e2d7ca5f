scenario{ name = "io.open", duration = "5s" }
local f = io.open("/etc/passwd")
