-- vim.base64: RFC 4648 base64 (with padding), as Neovim's.

local M = {}

local alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
local values = {}
for i = 1, #alphabet do
  values[alphabet:byte(i)] = i - 1
end

--- Encodes a string as base64.
function M.encode(str)
  if type(str) ~= 'string' then
    error("bad argument #1 to '?' (expected string)", 0)
  end
  local out = {}
  for i = 1, #str, 3 do
    local a, b, c = str:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local s1, s2, s3, s4 = n >> 18, (n >> 12) & 63, (n >> 6) & 63, n & 63
    out[#out + 1] = alphabet:sub(s1 + 1, s1 + 1)
      .. alphabet:sub(s2 + 1, s2 + 1)
      .. (b and alphabet:sub(s3 + 1, s3 + 1) or '=')
      .. (c and alphabet:sub(s4 + 1, s4 + 1) or '=')
  end
  return table.concat(out)
end

--- Decodes base64 text; "Invalid input" for anything not padded base64.
function M.decode(str)
  if type(str) ~= 'string' then
    error("bad argument #1 to '?' (expected string)", 0)
  end
  if #str % 4 ~= 0 then
    error('Invalid input', 0)
  end
  local out = {}
  for i = 1, #str, 4 do
    local last = i + 3 == #str
    local n, pad = 0, 0
    for j = i, i + 3 do
      local ch = str:byte(j)
      local v = values[ch]
      if ch == 61 and last and j >= i + 2 and (j == i + 3 or str:byte(i + 3) == 61) then
        pad = pad + 1
        v = 0
      elseif v == nil or pad > 0 then
        error('Invalid input', 0)
      end
      n = n * 64 + v
    end
    local bytes = string.char(n >> 16, (n >> 8) & 255, n & 255)
    out[#out + 1] = bytes:sub(1, 3 - pad)
  end
  return table.concat(out)
end

return M
