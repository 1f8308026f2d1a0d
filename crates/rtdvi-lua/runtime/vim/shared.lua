-- rtdvi's Lua standard library: table, string and validation helpers on the
-- global `vim` table (Neovim's `vim.tbl_*`, `vim.split`, `vim.validate`...).
--
-- Written for rtdvi from Neovim 0.11's documented behaviour; error texts
-- match Neovim's so plugins that match on them keep working.

local vim = vim

-- Type names vim.validate accepts, with their one-letter aliases.
local type_aliases = {
  b = 'boolean',
  c = 'callable',
  f = 'function',
  n = 'number',
  s = 'string',
  t = 'table',
}

--- True if `f` can be called: a function, or a table whose metatable has a
--- function `__call`.
function vim.is_callable(f)
  if type(f) == 'function' then
    return true
  end
  local mt = getmetatable(f)
  return type(mt) == 'table' and type(rawget(mt, '__call')) == 'function'
end

-- Checks `value` against `validator`; returns nil when it passes, else the
-- error text (without the name prefix).
local function check(value, validator, optional, message)
  if optional and value == nil then
    return nil
  end
  local tv = type(validator)
  if tv == 'string' or tv == 'table' then
    local names = tv == 'string' and { validator } or validator
    local actual = type(value)
    for _, name in ipairs(names) do
      local full = type_aliases[name] or name
      if full == actual or (full == 'callable' and vim.is_callable(value)) then
        return nil
      end
    end
    -- A single name is spelled out; a list is shown as given.
    local wanted = message or (tv == 'string' and (type_aliases[validator] or validator)) or table.concat(names, '|')
    return ('expected %s, got %s'):format(wanted, actual)
  elseif vim.is_callable(validator) then
    local ok, info = validator(value)
    if ok then
      return nil
    end
    local text = ('expected %s, got %s'):format(message or '?', tostring(value))
    if info then
      text = text .. '. Info: ' .. tostring(info)
    end
    return text
  end
  error(('invalid validator: %s'):format(tostring(validator)), 3)
end

--- Validates arguments, raising an error in the caller's caller (like
--- Neovim): `vim.validate(name, value, validator[, optional][, message])`,
--- or the older spec form `vim.validate{ name = {value, validator,
--- optional_or_message} }`.
function vim.validate(...)
  local argc = select('#', ...)
  local first = ...
  if argc == 1 and type(first) == 'table' then
    local names = {}
    for name in pairs(first) do
      names[#names + 1] = name
    end
    -- Sorted so that with several failures the same one is reported each time.
    table.sort(names, function(a, b)
      return tostring(a) < tostring(b)
    end)
    for _, name in ipairs(names) do
      local spec = first[name]
      if type(spec) ~= 'table' then
        error(('opt[%s]: expected table, got %s'):format(tostring(name), type(spec)), 2)
      end
      local value, validator, third = spec[1], spec[2], spec[3]
      local optional, message = false, nil
      if type(third) == 'string' then
        message = third
      else
        optional = third
      end
      local err = check(value, validator, optional, message)
      if err then
        error(('%s: %s'):format(tostring(name), err), 2)
      end
    end
    return
  end
  if argc < 3 then
    error('invalid arguments')
  end
  local name, value, validator, optional, message = ...
  if type(optional) == 'string' then
    message, optional = optional, false
  end
  local err = check(value, validator, optional, message)
  if err then
    error(('%s: %s'):format(tostring(name), err), 2)
  end
end

--- Copies `orig` recursively (metatables are shared). Shared and cyclic
--- references keep their shape unless `noref` is true.
function vim.deepcopy(orig, noref)
  local seen = {}
  local function copy(obj)
    local t = type(obj)
    if t ~= 'table' then
      if t == 'thread' or (t == 'userdata' and obj ~= vim.NIL) then
        error(('Cannot deepcopy object of type %s'):format(t))
      end
      return obj
    end
    if not noref and seen[obj] then
      return seen[obj]
    end
    local out = {}
    if not noref then
      seen[obj] = out
    end
    for k, v in pairs(obj) do
      out[copy(k)] = copy(v)
    end
    return setmetatable(out, getmetatable(obj))
  end
  return copy(orig)
end

--- Deep comparison: tables are equal when they have equal keys and values.
function vim.deep_equal(a, b)
  if a == b then
    return true
  end
  if type(a) ~= 'table' or type(b) ~= 'table' then
    return false
  end
  for k, v in pairs(a) do
    if not vim.deep_equal(v, b[k]) then
      return false
    end
  end
  for k in pairs(b) do
    if a[k] == nil then
      return false
    end
  end
  return true
end

--- Iterates over the pieces of `s` separated by `sep` (a Lua pattern unless
--- `opts.plain`); `opts.trimempty` drops empty pieces at both ends.
function vim.gsplit(s, sep, opts)
  local plain, trimempty
  if type(opts) == 'boolean' then
    plain = opts
  else
    vim.validate('s', s, 'string')
    vim.validate('sep', sep, 'string')
    vim.validate('opts', opts, 'table', true)
    opts = opts or {}
    plain, trimempty = opts.plain, opts.trimempty
  end
  vim.validate('s', s, 'string')
  vim.validate('sep', sep, 'string')

  local pos = 1
  local finished = false
  local len = #s
  -- With trimempty, empty pieces in the middle are kept: they are held back
  -- and released only when a non-empty piece follows.
  local held = 0
  local seen_content = false
  local queue = {}

  local function next_raw()
    if finished then
      return nil
    end
    if sep == '' then
      if pos > len then
        finished = true
        if len == 0 then
          return ''
        end
        return nil
      end
      local piece = s:sub(pos, pos)
      pos = pos + 1
      if pos > len then
        finished = true
      end
      return piece
    end
    local i, j = s:find(sep, pos, plain)
    if i and j < i then
      -- An empty match would never advance.
      error('Infinite loop detected')
    end
    if not i then
      finished = true
      return s:sub(pos)
    end
    local piece = s:sub(pos, i - 1)
    pos = j + 1
    return piece
  end

  return function()
    if #queue > 0 then
      return table.remove(queue, 1)
    end
    while true do
      local piece = next_raw()
      if piece == nil then
        return nil
      end
      if not trimempty then
        return piece
      end
      if piece == '' then
        if seen_content then
          held = held + 1
        end
      else
        seen_content = true
        for _ = 1, held do
          queue[#queue + 1] = ''
        end
        held = 0
        queue[#queue + 1] = piece
        return table.remove(queue, 1)
      end
    end
  end
end

--- Splits `s` into a list at each `sep` (see `vim.gsplit`).
function vim.split(s, sep, opts)
  local out = {}
  for piece in vim.gsplit(s, sep, opts) do
    out[#out + 1] = piece
  end
  return out
end

--- The keys of `t` (in `pairs` order).
function vim.tbl_keys(t)
  vim.validate('t', t, 'table')
  local out = {}
  for k in pairs(t) do
    out[#out + 1] = k
  end
  return out
end

--- The values of `t` (in `pairs` order).
function vim.tbl_values(t)
  vim.validate('t', t, 'table')
  local out = {}
  for _, v in pairs(t) do
    out[#out + 1] = v
  end
  return out
end

--- A table with the same keys whose values are `func(value)`.
function vim.tbl_map(func, t)
  vim.validate('func', func, 'callable')
  vim.validate('t', t, 'table')
  local out = {}
  for k, v in pairs(t) do
    out[k] = func(v)
  end
  return out
end

--- A list of the values of `t` for which `func(value)` is true.
function vim.tbl_filter(func, t)
  vim.validate('func', func, 'callable')
  vim.validate('t', t, 'table')
  local out = {}
  for _, v in pairs(t) do
    if func(v) then
      out[#out + 1] = v
    end
  end
  return out
end

--- True if any value of `t` equals `value` (or, with `opts.predicate`,
--- satisfies the function `value`).
function vim.tbl_contains(t, value, opts)
  vim.validate('t', t, 'table')
  vim.validate('opts', opts, 'table', true)
  local pred
  if opts and opts.predicate then
    vim.validate('value', value, 'callable')
    pred = value
  end
  for _, v in pairs(t) do
    if pred then
      if pred(v) then
        return true
      end
    elseif v == value then
      return true
    end
  end
  return false
end

--- True if the list part of `t` (ipairs) holds `value`.
function vim.list_contains(t, value)
  vim.validate('t', t, 'table')
  for _, v in ipairs(t) do
    if v == value then
      return true
    end
  end
  return false
end

--- True if `t` has no keys.
function vim.tbl_isempty(t)
  vim.validate('t', t, 'table')
  return next(t) == nil
end

--- The number of keys of `t`.
function vim.tbl_count(t)
  vim.validate('t', t, 'table')
  local n = 0
  for _ in pairs(t) do
    n = n + 1
  end
  return n
end

--- True if `t` is a table whose keys are all integers (gaps allowed).
--- An empty table counts, unless it is `vim.empty_dict()`.
function vim.isarray(t)
  if type(t) ~= 'table' then
    return false
  end
  local any = false
  for k in pairs(t) do
    if math.type(k) ~= 'integer' and not (type(k) == 'number' and k % 1 == 0) then
      return false
    end
    any = true
  end
  if not any then
    return getmetatable(t) ~= vim._empty_dict_mt
  end
  return true
end

--- True if `t` is a table whose keys are exactly 1..n. An empty table
--- counts, unless it is `vim.empty_dict()`.
function vim.islist(t)
  if type(t) ~= 'table' then
    return false
  end
  local count = 0
  for k in pairs(t) do
    if type(k) ~= 'number' or k < 1 or k % 1 ~= 0 then
      return false
    end
    count = count + 1
  end
  if count == 0 then
    return getmetatable(t) ~= vim._empty_dict_mt
  end
  for i = 1, count do
    if t[i] == nil then
      return false
    end
  end
  return true
end

--- Deprecated name of `vim.islist`.
vim.tbl_islist = vim.islist

local function extend(behavior, deep, ...)
  if behavior ~= 'error' and behavior ~= 'keep' and behavior ~= 'force' then
    error(('invalid "behavior": %s'):format(tostring(behavior)))
  end
  local argc = select('#', ...)
  if argc < 2 then
    error(('wrong number of arguments (given %d, expected at least 3)'):format(argc + 1))
  end
  local out = {}
  for i = 1, argc do
    local tbl = select(i, ...)
    if type(tbl) ~= 'table' then
      -- Neovim names every table argument this way.
      error(('after the second argument: expected table, got %s'):format(type(tbl)))
    end
    for k, v in pairs(tbl) do
      local mergeable = deep and type(v) == 'table' and (next(v) == nil or not vim.islist(v))
      local prev = out[k]
      if mergeable and type(prev) == 'table' and (next(prev) == nil or not vim.islist(prev)) then
        out[k] = extend(behavior, true, prev, v)
      elseif prev ~= nil and behavior == 'error' then
        error('key found in more than one map: ' .. tostring(k))
      elseif prev == nil or behavior == 'force' then
        out[k] = v
      end
    end
  end
  return out
end

--- Merges tables into a new one; `behavior` says what to do with a key
--- found in several: "error", "keep" (first wins) or "force" (last wins).
function vim.tbl_extend(behavior, ...)
  return extend(behavior, false, ...)
end

--- Like `vim.tbl_extend`, merging nested dict-like tables recursively
--- (lists are values, replaced whole).
function vim.tbl_deep_extend(behavior, ...)
  return extend(behavior, true, ...)
end

--- Indexes nested tables: `vim.tbl_get(t, 'a', 'b')` is `t.a.b`, or nil
--- when a level is missing.
function vim.tbl_get(o, ...)
  local n = select('#', ...)
  if n == 0 then
    return nil
  end
  for i = 1, n do
    o = o[select(i, ...)]
    if o == nil then
      return nil
    elseif type(o) ~= 'table' and i < n then
      return nil
    end
  end
  return o
end

--- Appends `src[start..finish]` to the list `dst`, returns `dst`.
function vim.list_extend(dst, src, start, finish)
  vim.validate('dst', dst, 'table')
  vim.validate('src', src, 'table')
  vim.validate('start', start, 'number', true)
  vim.validate('finish', finish, 'number', true)
  for i = start or 1, finish or #src do
    table.insert(dst, src[i])
  end
  return dst
end

--- A new list of `list[start..finish]` (nil entries skipped).
function vim.list_slice(list, start, finish)
  local out = {}
  for i = start or 1, finish or #list do
    out[#out + 1] = list[i]
  end
  return out
end

--- A flat copy of a nested list.
function vim.tbl_flatten(t)
  local out = {}
  local function flatten(list)
    for i = 1, #list do
      local v = list[i]
      if type(v) == 'table' then
        flatten(v)
      elseif v ~= nil then
        out[#out + 1] = v
      end
    end
  end
  flatten(t)
  return out
end

--- Iterates `t` in sorted key order.
function vim.spairs(t)
  vim.validate('t', t, 'table')
  local keys = vim.tbl_keys(t)
  table.sort(keys)
  local i = 0
  return function()
    i = i + 1
    local k = keys[i]
    if k ~= nil then
      return k, t[k]
    end
  end, t
end

--- `s` without leading and trailing whitespace.
function vim.trim(s)
  vim.validate('s', s, 'string')
  return s:match('^%s*(.*%S)') or ''
end

--- `s` with Lua pattern magic characters escaped.
function vim.pesc(s)
  vim.validate('s', s, 'string')
  return (s:gsub('[%(%)%.%%%+%-%*%?%[%]%^%$]', '%%%0'))
end

--- True if `s` begins with `prefix`.
function vim.startswith(s, prefix)
  vim.validate('s', s, 'string')
  vim.validate('prefix', prefix, 'string')
  return s:sub(1, #prefix) == prefix
end

--- True if `s` ends with `suffix`.
function vim.endswith(s, suffix)
  vim.validate('s', s, 'string')
  vim.validate('suffix', suffix, 'string')
  return #suffix == 0 or s:sub(-#suffix) == suffix
end

--- A table that creates missing values with `createfn(key)` on access
--- (default: another defaulttable, so `t.a.b.c = 1` works).
function vim.defaulttable(createfn)
  createfn = createfn or function()
    return vim.defaulttable()
  end
  return setmetatable({}, {
    __index = function(tbl, key)
      local value = createfn(key)
      rawset(tbl, key, value)
      return value
    end,
  })
end

local Ringbuf = {}
Ringbuf.__index = Ringbuf

--- Adds an item, dropping the oldest when full.
function Ringbuf:push(item)
  self._items[self._head] = item
  self._head = self._head % self._size + 1
  if self._head == self._tail then
    self._tail = self._tail % self._size + 1
  end
end

--- Removes and returns the oldest item (nil when empty).
function Ringbuf:pop()
  if self._tail == self._head then
    return nil
  end
  local item = self._items[self._tail]
  self._items[self._tail] = nil
  self._tail = self._tail % self._size + 1
  return item
end

--- The oldest item without removing it.
function Ringbuf:peek()
  if self._tail == self._head then
    return nil
  end
  return self._items[self._tail]
end

--- Removes every item.
function Ringbuf:clear()
  self._items = {}
  self._head, self._tail = 1, 1
end

--- Calling the buffer pops, so `for item in rb do ... end` drains it.
function Ringbuf:__call()
  return self:pop()
end

--- A ring buffer holding at most `size` items.
function vim.ringbuf(size)
  -- One slot stays free to tell a full buffer from an empty one.
  return setmetatable({ _items = {}, _size = size + 1, _head = 1, _tail = 1 }, Ringbuf)
end

return vim
