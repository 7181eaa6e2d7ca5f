scenario{ name = "endless loop", duration = "5s" }
local n = 0
while true do
  n = n + 1
end
