-- Table construction, field access, hashing and sorting.
local t = {}
for i = 1, 20000 do
  t[i] = { id = i, w = (i * 7919) % 1000 }
end
local sum = 0
for _, v in ipairs(t) do sum = sum + v.w end
local buckets = {}
for i = 1, #t do
  local k = t[i].w
  buckets[k] = (buckets[k] or 0) + 1
end
table.sort(t, function(a, b) return a.w < b.w end)
return sum + #t + buckets[0]
