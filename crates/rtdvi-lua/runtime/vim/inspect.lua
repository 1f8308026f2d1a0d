-- vim.inspect: human-readable text for any Lua value, in the exact layout
-- Neovim prints (written for rtdvi from that observed format):
--
--   * the list part (1..n without holes) goes on the opening line,
--     `{ 1, 2, 3 }`; other keys go one per line, sorted (numbers, then
--     booleans, then strings, then other types), identifiers bare and other
--     keys in brackets; then `<metatable> = {...}` if there is one;
--   * a table met more than once is printed the first time as `<N>{...}`
--     and afterwards as `<table N>`; functions, threads and userdata as
--     `<function N>` (the same value always gets the same N);
--   * strings use double quotes unless they contain `"` and no `'`;
--   * options: depth (deeper tables print as `{...}`), newline, indent,
--     process(item, path) to rewrite or drop (nil) items before printing.

local M = {}

--- Marks the `path` entry of a key in `process` callbacks.
M.KEY = setmetatable({}, {
  __tostring = function()
    return 'inspect.KEY'
  end,
})
--- Marks the `path` entry of a metatable in `process` callbacks.
M.METATABLE = setmetatable({}, {
  __tostring = function()
    return 'inspect.METATABLE'
  end,
})

local keywords = {}
for word in
  ([[and break do else elseif end false for function goto if in local nil not or repeat return then true until while]]):gmatch(
    '%a+'
  )
do
  keywords[word] = true
end

local short_escapes = {
  ['\a'] = '\\a',
  ['\b'] = '\\b',
  ['\f'] = '\\f',
  ['\n'] = '\\n',
  ['\r'] = '\\r',
  ['\t'] = '\\t',
  ['\v'] = '\\v',
}

local function escape(s)
  -- A control character before a digit needs three digits so it reads back
  -- as the same byte.
  s = s:gsub('\\', '\\\\')
  s = s:gsub('(%c)(%d)', function(c, d)
    if short_escapes[c] then
      return short_escapes[c] .. d
    end
    return ('\\%03d%s'):format(c:byte(), d)
  end)
  return (s:gsub('%c', function(c)
    return short_escapes[c] or ('\\' .. c:byte())
  end))
end

local function quote(s)
  s = escape(s)
  if s:find('"', 1, true) and not s:find("'", 1, true) then
    return "'" .. s .. "'"
  end
  return '"' .. s:gsub('"', '\\"') .. '"'
end

local function is_identifier(k)
  return type(k) == 'string' and k:match('^[_%a][_%w]*$') ~= nil and not keywords[k]
end

local type_order = { number = 1, boolean = 2, string = 3, table = 4, ['function'] = 5, userdata = 6, thread = 7 }

local function key_less(a, b)
  local ta, tb = type(a), type(b)
  if ta == tb then
    if ta == 'number' or ta == 'string' then
      return a < b
    elseif ta == 'boolean' then
      return a == false and b == true
    end
    return false
  end
  local oa, ob = type_order[ta] or 100, type_order[tb] or 100
  if oa == ob then
    return ta < tb
  end
  return oa < ob
end

-- Length of the list part: 1..n while raw values are non-nil.
local function list_length(t)
  local n = 0
  while rawget(t, n + 1) ~= nil do
    n = n + 1
  end
  return n
end

local function rewrite(process, item, path, done)
  if item == nil then
    return nil
  end
  if done[item] ~= nil then
    return done[item]
  end
  local result = process(item, path)
  if type(result) ~= 'table' then
    return result
  end
  local copy = {}
  done[item] = copy
  for k, v in next, result do
    local kpath = { table.unpack(path) }
    kpath[#kpath + 1] = k
    kpath[#kpath + 1] = M.KEY
    local newk = rewrite(process, k, kpath, done)
    if newk ~= nil then
      local vpath = { table.unpack(path) }
      vpath[#vpath + 1] = newk
      copy[newk] = rewrite(process, v, vpath, done)
    end
  end
  local mpath = { table.unpack(path) }
  mpath[#mpath + 1] = M.METATABLE
  local mt = rewrite(process, getmetatable(result), mpath, done)
  if type(mt) == 'table' then
    setmetatable(copy, mt)
  end
  return copy
end

-- How often each table is reachable (walking keys, values and metatables).
local function count_refs(x, counts)
  if type(x) ~= 'table' then
    return
  end
  if counts[x] then
    counts[x] = counts[x] + 1
    return
  end
  counts[x] = 1
  for k, v in next, x do
    count_refs(k, counts)
    count_refs(v, counts)
  end
  count_refs(getmetatable(x), counts)
end

--- The text of `root` (see the module comment for options).
function M.inspect(root, opts)
  opts = opts or {}
  local depth = opts.depth or math.huge
  local newline = opts.newline or '\n'
  local indent = opts.indent or '  '
  if opts.process then
    root = rewrite(opts.process, root, {}, {})
  end

  local counts = {}
  count_refs(root, counts)
  local ids, next_id = {}, {}
  local out = {}
  local level = 0

  local function id_of(v)
    local id = ids[v]
    if not id then
      local tv = type(v)
      id = (next_id[tv] or 0) + 1
      next_id[tv] = id
      ids[v] = id
    end
    return id
  end

  local function put(s)
    out[#out + 1] = s
  end

  local function new_line()
    put(newline .. indent:rep(level))
  end

  local put_value

  local function put_key(k)
    if is_identifier(k) then
      put(k)
    else
      put('[')
      put_value(k)
      put(']')
    end
  end

  local function put_table(t)
    if t == M.KEY or t == M.METATABLE then
      put(tostring(t))
      return
    end
    local mt = getmetatable(t)
    if mt == vim._empty_dict_mt and next(t) == nil then
      put('vim.empty_dict()')
      return
    end
    if ids[t] and counts[t] > 1 then
      put(('<table %d>'):format(ids[t]))
      return
    end
    if level >= depth then
      put('{...}')
      return
    end
    if counts[t] > 1 then
      put(('<%d>'):format(id_of(t)))
    end
    local n = list_length(t)
    local keys = {}
    for k in next, t do
      if not (type(k) == 'number' and k % 1 == 0 and k >= 1 and k <= n) then
        keys[#keys + 1] = k
      end
    end
    table.sort(keys, key_less)
    put('{')
    level = level + 1
    local count = 0
    for i = 1, n do
      if count > 0 then
        put(',')
      end
      put(' ')
      put_value(rawget(t, i))
      count = count + 1
    end
    for _, k in ipairs(keys) do
      if count > 0 then
        put(',')
      end
      new_line()
      put_key(k)
      put(' = ')
      put_value(rawget(t, k))
      count = count + 1
    end
    if type(mt) == 'table' then
      if count > 0 then
        put(',')
      end
      new_line()
      put('<metatable> = ')
      put_value(mt)
    end
    level = level - 1
    if #keys > 0 or type(mt) == 'table' then
      new_line()
    elseif n > 0 then
      put(' ')
    end
    put('}')
  end

  put_value = function(v)
    local tv = type(v)
    if v == vim.NIL then
      put('vim.NIL')
    elseif tv == 'string' then
      put(quote(v))
    elseif tv == 'number' or tv == 'boolean' or tv == 'nil' then
      put(tostring(v))
    elseif tv == 'table' then
      put_table(v)
    else
      put(('<%s %d>'):format(tv, id_of(v)))
    end
  end

  put_value(root)
  return table.concat(out)
end

return setmetatable(M, {
  __call = function(_, root, opts)
    return M.inspect(root, opts)
  end,
})
