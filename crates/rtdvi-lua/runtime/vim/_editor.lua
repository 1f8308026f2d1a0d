-- rtdvi's Lua standard library: the parts of `vim` that talk to the editor
-- through `vim.api` (notify, keycode, on_key) and the small values every
-- plugin expects (vim.NIL, vim.empty_dict, vim.log.levels, string indexes).
--
-- `vim.api` is looked up at call time, never captured, so the bridge may
-- install it before or after this file runs (and tests may stub it).

local vim = vim

if vim.NIL == nil then
  -- Neovim's vim.NIL is a userdata; plain Lua cannot make one, so this is a
  -- unique table. The bridge may install its own before this file runs.
  vim.NIL = setmetatable({}, {
    __tostring = function()
      return 'vim.NIL'
    end,
    __newindex = function()
      error('attempt to assign to vim.NIL', 2)
    end,
  })
end

-- Marks tables that must stay dictionaries ({} in JSON, not []).
vim._empty_dict_mt = vim._empty_dict_mt
  or {
    __tostring = function()
      return 'vim.empty_dict()'
    end,
  }

--- A table that `vim.json.encode` and the API treat as an empty dict.
function vim.empty_dict()
  return setmetatable({}, vim._empty_dict_mt)
end

--- Log levels of `vim.notify`.
vim.log = vim.log or {}
vim.log.levels = vim.log.levels or {
  TRACE = 0,
  DEBUG = 1,
  INFO = 2,
  WARN = 3,
  ERROR = 4,
  OFF = 5,
}

--- Shows `msg` to the user: errors as error messages, warnings with
--- WarningMsg, others as plain messages (all kept in :messages).
function vim.notify(msg, level, opts) -- luacheck: no unused args
  local levels = vim.log.levels
  if level == levels.ERROR then
    vim.api.nvim_echo({ { msg } }, true, { err = true })
  elseif level == levels.WARN then
    vim.api.nvim_echo({ { msg, 'WarningMsg' } }, true, { err = false })
  else
    vim.api.nvim_echo({ { msg } }, true, { err = false })
  end
end

local notified = {}

--- Like `vim.notify`, but a message is shown once per session; returns
--- true if it was shown now.
function vim.notify_once(msg, level, opts)
  if notified[msg] then
    return false
  end
  notified[msg] = true
  vim.notify(msg, level, opts)
  return true
end

--- Replaces key notation (`<C-a>`, `<CR>`, `<lt>`...) with the keys' bytes.
function vim.keycode(str)
  return vim.api.nvim_replace_termcodes(str, true, true, true)
end

--- Prints each argument (tables through vim.inspect) and returns them all.
function vim.print(...)
  for i = 1, select('#', ...) do
    local v = select(i, ...)
    if type(v) == 'string' then
      print(v)
    else
      print(vim.inspect(v))
    end
  end
  return ...
end

--- Warns once that `name` is deprecated (naming `alternative` and the
--- `plugin` version that removes it); returns the message when shown, nil
--- when it was shown before. `backtrace = false` omits the traceback.
function vim.deprecate(name, alternative, version, plugin, backtrace)
  local msg = name .. ' is deprecated'
  if alternative then
    msg = msg .. ', use ' .. alternative .. ' instead.'
  else
    msg = msg .. '.'
  end
  msg = ('%s\nFeature will be removed in %s %s'):format(msg, plugin or 'Nvim', version)
  if not vim.notify_once(msg, vim.log.levels.WARN) then
    return nil
  end
  if backtrace ~= false then
    vim.notify(debug.traceback('', 2):sub(2), vim.log.levels.WARN)
  end
  return msg
end

-- Callbacks of vim.on_key by namespace id; the key engine calls them with
-- (key, typed) for every key it takes (see vim._register_on_key).
vim._on_key_callbacks = vim._on_key_callbacks or {}

--- Registers `fn(key, typed)` to see every key (in namespace `ns_id`, or a
--- new one); `fn = nil` removes it. Returns the namespace id.
function vim.on_key(fn, ns_id, opts) -- luacheck: no unused args
  vim.validate('fn', fn, 'callable', true)
  vim.validate('ns_id', ns_id, 'number', true)
  if ns_id == nil or ns_id == 0 then
    ns_id = vim.api.nvim_create_namespace('')
  end
  vim._on_key_callbacks[ns_id] = fn
  -- The key engine calls the callbacks: the bridge hands them over.
  local register = rawget(vim, '_register_on_key')
  if register then
    register(ns_id, fn)
  end
  return ns_id
end

-- Decodes the UTF-8 character at byte `i` of `s`: its length in bytes and
-- its width in UTF-16 units. An invalid byte counts as a character of one
-- byte and one unit, as in Neovim.
local function char_at(s, i)
  local c = s:byte(i)
  local len = c < 0x80 and 1 or c >= 0xF0 and c < 0xF8 and 4 or c >= 0xE0 and 3 or c >= 0xC0 and 2 or 1
  if len > 1 then
    for k = i + 1, i + len - 1 do
      local b = s:byte(k)
      if not b or b < 0x80 or b >= 0xC0 then
        return 1, 1
      end
    end
  end
  return len, len == 4 and 2 or 1
end

local encodings = { ['utf-8'] = true, ['utf-16'] = true, ['utf-32'] = true }

local function valid_encoding(e)
  return encodings[e] == true, 'invalid encoding'
end

-- Counts the code units of `encoding` in the characters that start within
-- the first `index` bytes of `s`.
local function utf_units(s, encoding, index)
  if encoding == 'utf-8' then
    return index
  end
  local units, i = 0, 1
  while i <= index and i <= #s do
    local len, u16 = char_at(s, i)
    units = units + (encoding == 'utf-16' and u16 or 1)
    i = i + len
  end
  return units
end

-- The byte length of the characters covering the first `index` code units
-- (a unit inside a character counts the whole character), or nil when `s`
-- has fewer units.
local function byte_count(s, encoding, index)
  if encoding == 'utf-8' then
    return index <= #s and index or nil
  end
  local units, i = 0, 1
  while units < index do
    if i > #s then
      return nil
    end
    local len, u16 = char_at(s, i)
    units = units + (encoding == 'utf-16' and u16 or 1)
    i = i + len
  end
  return i - 1
end

--- The index in code units of `encoding` ("utf-8", "utf-16", "utf-32")
--- matching byte `index` of `s` (default: its end). Out-of-range indexes
--- are an error unless `strict_indexing` is false (then clamped). The
--- older form `vim.str_utfindex(s[, index])` returns the UTF-32 and
--- UTF-16 indexes.
function vim.str_utfindex(s, encoding, index, strict_indexing)
  if type(encoding) ~= 'string' then
    -- Older form: (s, index)
    local idx = encoding
    vim.validate('s', s, 'string')
    vim.validate('index', idx, 'number', true)
    idx = idx or #s
    if idx < 0 or idx > #s then
      error('index out of range')
    end
    return utf_units(s, 'utf-32', idx), utf_units(s, 'utf-16', idx)
  end
  vim.validate('s', s, 'string')
  vim.validate('encoding', encoding, valid_encoding)
  vim.validate('index', index, 'number', true)
  if index == nil then
    index = #s
  end
  if index > #s or index < 0 then
    if strict_indexing == false then
      index = math.max(0, math.min(index, #s))
    elseif encoding ~= 'utf-8' or index > #s then
      error('index out of range')
    end
  end
  return utf_units(s, encoding, index)
end

--- The byte index of `s` matching `index` code units of `encoding`. Out of
--- range is an error unless `strict_indexing` is false (then `#s`). The
--- older form `vim.str_byteindex(s, index[, use_utf16])` also works.
function vim.str_byteindex(s, encoding, index, strict_indexing)
  if type(encoding) ~= 'string' then
    -- Older form: (s, index, use_utf16)
    local idx, use_utf16 = encoding, index
    vim.validate('s', s, 'string')
    vim.validate('index', idx, 'number')
    local result = byte_count(s, use_utf16 and 'utf-16' or 'utf-32', idx)
    if result == nil or idx < 0 then
      error('index out of range')
    end
    return result
  end
  vim.validate('s', s, 'string')
  vim.validate('encoding', encoding, valid_encoding)
  vim.validate('index', index, 'number')
  if encoding == 'utf-8' and index < 0 then
    return index
  end
  local result = byte_count(s, encoding, math.max(index, 0))
  if result == nil then
    if strict_indexing == false then
      return #s
    end
    error('index out of range')
  end
  return result
end

--- The byte positions where the characters of `str` start.
function vim.str_utf_pos(str)
  vim.validate('str', str, 'string')
  local out, i = {}, 1
  while i <= #str do
    out[#out + 1] = i
    i = i + (char_at(str, i))
  end
  return out
end

-- The start and length of the character of `str` holding byte `index`,
-- raising Neovim's error (from a C function: no position) outside `str`.
local function char_around(str, index)
  if type(index) ~= 'number' or index < 1 or index > #str then
    error('index out of range', 0)
  end
  local i = 1
  while true do
    local len = char_at(str, i)
    if index < i + len then
      return i, len
    end
    i = i + len
  end
end

--- The offset (zero or negative) from byte `index` of `str` to the start
--- of its character.
function vim.str_utf_start(str, index)
  vim.validate('str', str, 'string')
  local start = char_around(str, index)
  return start - index
end

--- The offset (zero or positive) from byte `index` of `str` to the last
--- byte of its character.
function vim.str_utf_end(str, index)
  vim.validate('str', str, 'string')
  local start, len = char_around(str, index)
  return start + len - 1 - index
end

--- Compares strings ignoring case: 0 when equal, else -1 or 1.
function vim.stricmp(a, b)
  local la, lb = a:lower(), b:lower()
  if la == lb then
    return 0
  end
  return la < lb and -1 or 1
end

return vim
