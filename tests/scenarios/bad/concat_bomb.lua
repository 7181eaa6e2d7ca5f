scenario{ name = "concatenation bomb", duration = "5s" }
local s = "streamlab"
for _ = 1, 64 do
  s = s .. s
end
