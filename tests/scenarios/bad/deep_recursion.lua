scenario{ name = "deep recursion", duration = "5s" }
local function down(n)
  return down(n + 1) + 1
end
down(1)
