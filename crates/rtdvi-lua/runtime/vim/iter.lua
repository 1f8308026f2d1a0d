-- vim.iter: chainable iterators over lists, dicts and iterator functions.
--
-- `vim.iter(t)` on a table with integer keys walks its values in key order
-- (holes dropped) and supports everything, including the list-only methods
-- (rev, peek, pop, rpeek, slice, flatten, rfind). A table with other keys
-- iterates like `pairs` (each item is `key, value`); a function iterates
-- like a generic `for` (`vim.iter(ipairs(t))`). `map` dropping an item by
-- returning nil, multi-value items becoming tables in `totable` and the
-- error texts follow Neovim 0.11.

local Iter = {}
Iter.__index = Iter
Iter.__call = function(self)
  return self:next()
end

-- Items of a list iterator with several values are stored packed.
local packed_mt = {}

local function pack(...)
  if select('#', ...) > 1 then
    return setmetatable(table.pack(...), packed_mt)
  end
  return ...
end

local function unpack_item(item)
  if getmetatable(item) == packed_mt then
    return table.unpack(item, 1, item.n)
  end
  return item
end

-- The value `totable` stores for an item.
local function as_value(item)
  if getmetatable(item) == packed_mt then
    return { table.unpack(item, 1, item.n) }
  end
  return item
end

local function list_only(self, name)
  if not self._list then
    error(name .. '() requires an array-like table')
  end
end

-- `_pos[i]`, when set, is the position item `i` had before `rev`:
-- `enumerate` on a list numbers items by their place in the source list.
local function new_list(list)
  return setmetatable({ _list = list, _head = 1, _tail = #list + 1 }, Iter)
end

-- Replaces the list (map, filter, flatten): positions start again at 1.
local function set_list(self, list)
  self._list, self._head, self._tail, self._pos = list, 1, #list + 1, nil
end

local function new_fn(fn)
  return setmetatable({ _fn = fn }, Iter)
end

--- The next item (nil when done).
function Iter:next()
  if self._list then
    if self._head >= self._tail then
      return nil
    end
    local item = self._list[self._head]
    self._head = self._head + 1
    return unpack_item(item)
  end
  return self._fn()
end

-- Replaces each item by `g(item)` (items packed), dropping those it maps to
-- nil: what `filter` and `map` share, on lists eagerly and lazily otherwise.
local function rewrite(self, g)
  if self._list then
    local out = {}
    for i = self._head, self._tail - 1 do
      local item = g(self._list[i])
      if item ~= nil then
        out[#out + 1] = item
      end
    end
    set_list(self, out)
    return self
  end
  local src = self._fn
  self._fn = function()
    while true do
      local item = pack(src())
      if item == nil then
        return nil
      end
      local kept = g(item)
      if kept ~= nil then
        return unpack_item(kept)
      end
    end
  end
  return self
end

--- Keeps the items for which `f(...)` is true.
function Iter:filter(f)
  return rewrite(self, function(item)
    if f(unpack_item(item)) then
      return item
    end
  end)
end

--- Replaces each item by `f(...)`'s results; items mapped to nil are dropped.
function Iter:map(f)
  return rewrite(self, function(item)
    return pack(f(unpack_item(item)))
  end)
end

--- Calls `f(...)` on every item.
function Iter:each(f)
  while true do
    local item = pack(self:next())
    if item == nil then
      return
    end
    f(unpack_item(item))
  end
end

--- Collects the items into a list (multi-value items become tables). A
--- list iterator is not consumed (as in Neovim).
function Iter:totable()
  local out = {}
  if self._list then
    for i = self._head, self._tail - 1 do
      out[#out + 1] = as_value(self._list[i])
    end
    return out
  end
  while true do
    local item = pack(self:next())
    if item == nil then
      return out
    end
    out[#out + 1] = as_value(item)
  end
end

--- Concatenates the items with `delim`.
function Iter:join(delim)
  return table.concat(self:totable(), delim)
end

--- Folds the items: `acc = f(acc, ...)` starting from `init`.
function Iter:fold(init, f)
  local acc = init
  while true do
    local item = pack(self:next())
    if item == nil then
      return acc
    end
    acc = f(acc, unpack_item(item))
  end
end

--- The first item for which `f(...)` is true (or that equals `f` when it
--- is not a function); consumes up to it.
function Iter:find(f)
  if type(f) ~= 'function' then
    local wanted = f
    f = function(v)
      return v == wanted
    end
  end
  while true do
    local item = pack(self:next())
    if item == nil then
      return nil
    end
    if f(unpack_item(item)) then
      return unpack_item(item)
    end
  end
end

--- Like `find`, from the end of a list.
function Iter:rfind(f)
  list_only(self, 'rfind')
  if type(f) ~= 'function' then
    local wanted = f
    f = function(v)
      return v == wanted
    end
  end
  while self._tail > self._head do
    self._tail = self._tail - 1
    local item = self._list[self._tail]
    if f(unpack_item(item)) then
      return unpack_item(item)
    end
  end
end

--- Prefixes each item with its position (1, 2, ...; for a list, its
--- place in the source list).
function Iter:enumerate()
  if self._list then
    local out = {}
    for i = self._head, self._tail - 1 do
      out[#out + 1] = pack((self._pos and self._pos[i]) or i, unpack_item(self._list[i]))
    end
    set_list(self, out)
    return self
  end
  local i = 0
  return self:map(function(...)
    i = i + 1
    return i, ...
  end)
end

--- Keeps only the first `n` items.
function Iter:take(n)
  if self._list then
    self._tail = math.min(self._tail, self._head + n)
    return self
  end
  local src, count = self._fn, 0
  self._fn = function()
    if count >= n then
      return nil
    end
    count = count + 1
    return src()
  end
  return self
end

--- Drops the first `n` items.
function Iter:skip(n)
  if self._list then
    self._head = math.min(self._tail, self._head + n)
    return self
  end
  for _ = 1, n do
    if self:next() == nil then
      break
    end
  end
  return self
end

--- Keeps items `first`..`last` of a list (1-based, inclusive).
function Iter:slice(first, last)
  list_only(self, 'slice')
  self._tail = math.min(self._tail, self._head + last)
  self._head = math.min(self._tail, self._head + first - 1)
  return self
end

--- The `n`th item (negative: from the end of a list).
function Iter:nth(n)
  if n < 0 then
    list_only(self, 'nth')
    local i = self._tail + n
    if i < self._head then
      return nil
    end
    self._tail = i
    return unpack_item(self._list[i])
  end
  if n > 0 then
    return self:skip(n - 1):next()
  end
end

--- The last item (consumes everything).
function Iter:last()
  if self._list then
    if self._tail <= self._head then
      return nil
    end
    local item = self._list[self._tail - 1]
    self._head = self._tail
    return unpack_item(item)
  end
  local last = nil
  while true do
    local item = pack(self:next())
    if item == nil then
      return unpack_item(last)
    end
    last = item
  end
end

--- True if `pred(...)` holds for some item.
function Iter:any(pred)
  while true do
    local item = pack(self:next())
    if item == nil then
      return false
    end
    if pred(unpack_item(item)) then
      return true
    end
  end
end

--- True if `pred(...)` holds for every item.
function Iter:all(pred)
  while true do
    local item = pack(self:next())
    if item == nil then
      return true
    end
    if not pred(unpack_item(item)) then
      return false
    end
  end
end

--- Reverses a list iterator.
function Iter:rev()
  list_only(self, 'rev')
  local out, pos = {}, {}
  for i = self._tail - 1, self._head, -1 do
    out[#out + 1] = self._list[i]
    pos[#pos + 1] = (self._pos and self._pos[i]) or i
  end
  set_list(self, out)
  self._pos = pos
  return self
end

--- The next item of a list without consuming it.
function Iter:peek()
  list_only(self, 'peek')
  if self._head < self._tail then
    return unpack_item(self._list[self._head])
  end
end

--- Removes and returns the last item of a list.
function Iter:pop()
  list_only(self, 'pop')
  if self._head < self._tail then
    self._tail = self._tail - 1
    return unpack_item(self._list[self._tail])
  end
end

--- The last item of a list without consuming it.
function Iter:rpeek()
  list_only(self, 'rpeek')
  if self._head < self._tail then
    return unpack_item(self._list[self._tail - 1])
  end
end

--- Flattens nested lists up to `depth` levels (default 1).
function Iter:flatten(depth)
  list_only(self, 'flatten')
  depth = depth or 1
  local out = {}
  local function add(v, d)
    if type(v) == 'table' and getmetatable(v) ~= packed_mt and d > 0 then
      if not vim.isarray(v) then
        error('flatten() requires an array-like table')
      end
      for _, inner in ipairs(v) do
        add(inner, d - 1)
      end
    else
      out[#out + 1] = v
    end
  end
  for i = self._head, self._tail - 1 do
    add(self._list[i], depth)
  end
  set_list(self, out)
  return self
end

local M = {}

--- Creates an iterator over a table, or over `fn, state, control` as a
--- generic `for` would call them.
function M.new(src, ...)
  if type(src) == 'table' then
    if vim.isarray(src) then
      local keys = {}
      for k in pairs(src) do
        keys[#keys + 1] = k
      end
      table.sort(keys)
      local list = {}
      for i, k in ipairs(keys) do
        list[i] = src[k]
      end
      return new_list(list)
    end
    local key
    return new_fn(function()
      local k, v = next(src, key)
      key = k
      if k ~= nil then
        return k, v
      end
    end)
  end
  if type(src) ~= 'function' then
    error('src must be a table or function')
  end
  local state, control = ...
  local function advance(first, ...)
    control = first
    if first == nil then
      return nil
    end
    return first, ...
  end
  return new_fn(function()
    return advance(src(state, control))
  end)
end

return setmetatable(M, {
  __call = function(_, src, ...)
    return M.new(src, ...)
  end,
})
