-- 20k string.format + gsub + concatenation.
local parts = {}
for i = 1, 20000 do
  local s = string.format("%d:%s:%5.2f", i, "item", i / 7)
  s = s:gsub("%d", "x")
  parts[#parts + 1] = s .. "|"
end
return #table.concat(parts, ",")
