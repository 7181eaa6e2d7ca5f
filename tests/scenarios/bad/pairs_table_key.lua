scenario{ name = "pairs with a table key", duration = "5s" }
local t = { [{}] = 1 }
for k, v in pairs(t) do end
