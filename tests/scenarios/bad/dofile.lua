scenario{ name = "dofile", duration = "5s" }
dofile("/etc/passwd")
