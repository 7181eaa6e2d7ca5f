scenario{ name = "error value", duration = "5s" }
error({ code = 1 })
