-- vim.json: JSON encode/decode in plain Lua, matching what Neovim's (C)
-- module produces and the error texts it raises.
--
--   * null decodes to vim.NIL (or nil with opts.luanil.object/array), `{}`
--     to vim.empty_dict(), `[]` to an empty table;
--   * a table encodes as an array when all its keys are positive integers
--     (holes become null), otherwise as an object; an empty table is `[]`
--     unless it is vim.empty_dict();
--   * integers print as integers, other numbers with 16 significant digits;
--     NaN and infinities are an error;
--   * object key order follows `pairs` (as in Neovim: do not rely on it).

local M = {}

local MAX_DEPTH = 1000

local escapes = {
  ['"'] = '\\"',
  ['\\'] = '\\\\',
  ['\b'] = '\\b',
  ['\f'] = '\\f',
  ['\n'] = '\\n',
  ['\r'] = '\\r',
  ['\t'] = '\\t',
}

local function encode_string(s)
  return '"'
    .. s:gsub('[%c"\\]', function(c)
      return escapes[c] or ('\\u%04x'):format(c:byte())
    end)
    .. '"'
end

local function encode_number(n)
  if n ~= n or n == math.huge or n == -math.huge then
    error('Cannot serialise number: must not be NaN or Infinity', 0)
  end
  if math.type(n) == 'integer' then
    return tostring(n)
  end
  return ('%.16g'):format(n)
end

-- The array length of `t` if every key is a positive integer, else nil.
local function array_length(t)
  local max = 0
  for k in pairs(t) do
    if type(k) ~= 'number' or k < 1 or k % 1 ~= 0 then
      return nil
    end
    if k > max then
      max = k
    end
  end
  return max
end

local encode_value

local function encode_table(t, depth, out)
  if depth > MAX_DEPTH then
    error(('Cannot serialise, excessive nesting (%d)'):format(depth), 0)
  end
  local len = array_length(t)
  if len == 0 and getmetatable(t) == vim._empty_dict_mt then
    len = nil
  end
  if len then
    out[#out + 1] = '['
    for i = 1, len do
      if i > 1 then
        out[#out + 1] = ','
      end
      encode_value(rawget(t, i), depth, out)
    end
    out[#out + 1] = ']'
    return
  end
  out[#out + 1] = '{'
  local first = true
  for k, v in pairs(t) do
    local tk = type(k)
    if tk == 'number' then
      k = encode_number(k)
    elseif tk ~= 'string' then
      error('Cannot serialise ' .. tk .. ': table key must be a number or string', 0)
    end
    if not first then
      out[#out + 1] = ','
    end
    first = false
    out[#out + 1] = encode_string(k)
    out[#out + 1] = ':'
    encode_value(v, depth, out)
  end
  out[#out + 1] = '}'
end

encode_value = function(v, depth, out)
  local tv = type(v)
  if v == nil or v == vim.NIL then
    out[#out + 1] = 'null'
  elseif tv == 'boolean' then
    out[#out + 1] = tostring(v)
  elseif tv == 'number' then
    out[#out + 1] = encode_number(v)
  elseif tv == 'string' then
    out[#out + 1] = encode_string(v)
  elseif tv == 'table' then
    encode_table(v, depth + 1, out)
  else
    error('Cannot serialise ' .. tv .. ': type not supported', 0)
  end
end

--- Encodes a Lua value as JSON text.
function M.encode(obj, opts) -- luacheck: no unused args
  local out = {}
  local ok, err = pcall(encode_value, obj, 0, out)
  if not ok then
    -- Like a C function's error: no position prefix.
    error(err, 0)
  end
  return table.concat(out)
end

-- Decoding: a small tokenizer whose error texts name tokens as Neovim's
-- decoder does ("Expected value but found T_END at character 6").

local Parser = {}
Parser.__index = Parser

local punctuation = {
  ['{'] = 'T_OBJ_BEGIN',
  ['}'] = 'T_OBJ_END',
  ['['] = 'T_ARR_BEGIN',
  [']'] = 'T_ARR_END',
  [':'] = 'T_COLON',
  [','] = 'T_COMMA',
}

local string_escapes = { ['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t' }

local words = { { 'true', 'T_BOOLEAN', true }, { 'false', 'T_BOOLEAN', false }, { 'null', 'T_NULL', nil } }

local function parse_error(expected, found, pos)
  error({ json = ('Expected %s but found %s at character %d'):format(expected, found, pos) }, 0)
end

function Parser:skip_space()
  self.pos = self.text:find('[^ \t\n\r]', self.pos) or (#self.text + 1)
end

-- Reads the next token: kind, value, start position. Kinds are the names
-- Neovim reports: T_OBJ_BEGIN, T_STRING, T_NUMBER, T_END, T_ERROR...
function Parser:token()
  self:skip_space()
  local text, pos = self.text, self.pos
  local start = pos
  local c = text:sub(pos, pos)
  if c == '' then
    return 'T_END', nil, start
  end
  if punctuation[c] then
    self.pos = pos + 1
    return punctuation[c], nil, start
  end
  if c == '"' then
    local parts = {}
    local i = pos + 1
    while true do
      -- Raw control characters are accepted, as by Neovim's decoder.
      local j = text:find('["\\]', i)
      if not j then
        return 'T_ERROR', 'unexpected end of string', #text + 1
      end
      parts[#parts + 1] = text:sub(i, j - 1)
      local d = text:sub(j, j)
      if d == '"' then
        self.pos = j + 1
        return 'T_STRING', table.concat(parts), start
      elseif d == '\\' then
        local e = text:sub(j + 1, j + 1)
        if string_escapes[e] then
          parts[#parts + 1] = string_escapes[e]
          i = j + 2
        elseif e == 'u' then
          local hex = text:match('^%x%x%x%x', j + 2)
          if not hex then
            return 'T_ERROR', 'invalid unicode escape code', j
          end
          local code = tonumber(hex, 16)
          i = j + 6
          if code >= 0xD800 and code <= 0xDBFF then
            local low = text:match('^\\u(%x%x%x%x)', i)
            local lc = low and tonumber(low, 16)
            if not lc or lc < 0xDC00 or lc > 0xDFFF then
              return 'T_ERROR', 'invalid unicode escape code', j
            end
            code = 0x10000 + (code - 0xD800) * 0x400 + (lc - 0xDC00)
            i = i + 6
          elseif code >= 0xDC00 and code <= 0xDFFF then
            return 'T_ERROR', 'invalid unicode escape code', j
          end
          parts[#parts + 1] = utf8.char(code)
        else
          return 'T_ERROR', 'invalid escape code', j
        end
      end
    end
  end
  local num = text:match('^-?%d+', pos)
  if num then
    -- As C's strtod, which Neovim's decoder uses: "1." is a number.
    num = num .. (text:match('^%.%d*', pos + #num) or '')
    num = num .. (text:match('^[eE][-+]?%d+', pos + #num) or '')
    local value = tonumber(num)
    if value == nil then
      return 'T_ERROR', 'invalid number', start
    end
    self.pos = pos + #num
    -- Neovim's decoder names integer and float tokens differently.
    return math.type(value) == 'integer' and 'T_INTEGER' or 'T_NUMBER', value, start
  end
  if c == '-' then
    return 'T_ERROR', 'invalid number', start
  end
  for _, w in ipairs(words) do
    local word, kind, value = w[1], w[2], w[3]
    if text:sub(pos, pos + #word - 1) == word then
      self.pos = pos + #word
      return kind, value, start
    end
  end
  return 'T_ERROR', 'invalid token', start
end

function Parser:value(kind, value, start, depth)
  if kind == 'T_OBJ_BEGIN' or kind == 'T_ARR_BEGIN' then
    depth = depth + 1
    if depth > MAX_DEPTH then
      error({ json = ('Found too many nested data structures (%d) at character %d'):format(depth, start) }, 0)
    end
  end
  if kind == 'T_STRING' or kind == 'T_NUMBER' or kind == 'T_INTEGER' or kind == 'T_BOOLEAN' then
    return value
  elseif kind == 'T_NULL' then
    return self.null
  elseif kind == 'T_ARR_BEGIN' then
    local list = {}
    local k, v, s = self:token()
    if k == 'T_ARR_END' then
      return list
    end
    local n = 0
    while true do
      n = n + 1
      if k == 'T_NULL' and self.luanil_array then
        list[n] = nil
      else
        list[n] = self:value(k, v, s, depth)
      end
      k, v, s = self:token()
      if k == 'T_ARR_END' then
        return list
      elseif k ~= 'T_COMMA' then
        parse_error('comma or array end', k == 'T_ERROR' and v or k, s)
      end
      k, v, s = self:token()
    end
  elseif kind == 'T_OBJ_BEGIN' then
    local obj = {}
    local k, v, s = self:token()
    if k == 'T_OBJ_END' then
      return vim.empty_dict()
    end
    while true do
      if k ~= 'T_STRING' then
        parse_error('object key string', k == 'T_ERROR' and v or k, s)
      end
      local key = v
      k, v, s = self:token()
      if k ~= 'T_COLON' then
        parse_error('colon', k == 'T_ERROR' and v or k, s)
      end
      k, v, s = self:token()
      if k == 'T_NULL' and self.luanil_object then
        obj[key] = nil
      else
        obj[key] = self:value(k, v, s, depth)
      end
      k, v, s = self:token()
      if k == 'T_OBJ_END' then
        return obj
      elseif k ~= 'T_COMMA' then
        parse_error('comma or object end', k == 'T_ERROR' and v or k, s)
      end
      k, v, s = self:token()
    end
  end
  parse_error('value', kind == 'T_ERROR' and value or kind, start)
end

--- Decodes JSON text. `opts.luanil = { object = true, array = true }`
--- turns null into nil (dropping the key / leaving a hole).
function M.decode(str, opts)
  -- Like Lua's C API, a number is taken as its text.
  if type(str) == 'number' then
    str = tostring(str)
  end
  if type(str) ~= 'string' then
    error(('bad argument #1 to \'decode\' (string expected, got %s)'):format(type(str)), 0)
  end
  local luanil = opts and opts.luanil or {}
  local parser = setmetatable({
    text = str,
    pos = 1,
    null = vim.NIL,
    luanil_object = luanil.object,
    luanil_array = luanil.array,
  }, Parser)
  local ok, result = pcall(function()
    local kind, value, start = parser:token()
    value = parser:value(kind, value, start, 0)
    local k, v, s = parser:token()
    if k ~= 'T_END' then
      parse_error('the end', k == 'T_ERROR' and v or k, s)
    end
    return value
  end)
  if not ok then
    if type(result) == 'table' and result.json then
      error(result.json, 0)
    end
    error(result, 0)
  end
  return result
end

return M
