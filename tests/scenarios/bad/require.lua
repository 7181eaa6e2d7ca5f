scenario{ name = "require", duration = "5s" }
local os = require("os")
