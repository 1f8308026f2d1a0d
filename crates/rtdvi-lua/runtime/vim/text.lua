-- vim.text: hex encoding of strings, as Neovim's.

local M = {}

--- The bytes of `str` as uppercase hex digits.
function M.hexencode(str)
  return (str:gsub('.', function(c)
    return ('%02X'):format(c:byte())
  end))
end

--- Decodes hex digits into bytes; nil and a message for malformed input.
function M.hexdecode(enc)
  if #enc % 2 ~= 0 then
    return nil, 'string must have an even number of hex characters'
  end
  if enc:find('[^%x]') then
    return nil, 'string must contain only hex characters'
  end
  return (enc:gsub('%x%x', function(h)
    return string.char(tonumber(h, 16))
  end))
end

return M
