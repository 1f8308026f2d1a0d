-- Runs one standard-library test case and describes its outcome as one
-- line of text, identically in Neovim (scripts/gen-luastd-fixtures.sh
-- records expected.txt) and in rtdvi (crates/rtdvi-lua/src/stdlib/tests.rs
-- compares). Cases are chunks named "case": error positions inside them
-- stay visible; positions inside the library become "<lib>" since line
-- numbers differ between the two implementations.

local H = {}

-- Load the lazy modules now: the stubs below replace vim.api and vim.fn,
-- which Neovim's module loader itself uses.
local _ = { vim.inspect, vim.iter, vim.json, vim.fs, vim.version, vim.F, vim.keymap, vim.ui, vim.hl, vim.base64, vim.text }

local function is_int(n)
  return n == math.floor(n) and n > -2 ^ 63 and n < 2 ^ 63
end

local type_rank = { number = 1, boolean = 2, string = 3 }

local function key_less(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then
    return (type_rank[ta] or 9) < (type_rank[tb] or 9)
  end
  if ta == 'number' or ta == 'string' then
    return a < b
  end
  if ta == 'boolean' then
    return not a and b
  end
  return false
end

--- A deterministic description of `v` (sorted keys, functions unnamed).
function H.show(v, seen)
  seen = seen or {}
  local tv = type(v)
  if v == vim.NIL then
    return 'vim.NIL'
  elseif tv == 'nil' or tv == 'boolean' then
    return tostring(v)
  elseif tv == 'number' then
    if v ~= v then
      return 'nan'
    elseif v == math.huge or v == -math.huge then
      return v > 0 and 'inf' or '-inf'
    elseif is_int(v) then
      return ('%d'):format(v)
    end
    return ('%.14g'):format(v)
  elseif tv == 'string' then
    return '"' .. v:gsub('[%c"\\\128-\255]', function(c)
      return ('\\%d'):format(c:byte())
    end) .. '"'
  elseif tv == 'table' then
    if seen[v] then
      return '<cycle>'
    end
    seen[v] = true
    local keys = {}
    for k in pairs(v) do
      keys[#keys + 1] = k
    end
    table.sort(keys, key_less)
    local parts = {}
    for _, k in ipairs(keys) do
      parts[#parts + 1] = '[' .. H.show(k, seen) .. ']=' .. H.show(v[k], seen)
    end
    seen[v] = nil
    local prefix = getmetatable(v) == getmetatable(vim.empty_dict()) and 'empty_dict' or ''
    return prefix .. '{' .. table.concat(parts, ',') .. '}'
  end
  return '<' .. tv .. '>'
end

local function show_error(err)
  if type(err) ~= 'string' then
    return H.show(err)
  end
  local path, rest = err:match('^(.-):%d+: (.*)$')
  if path and path ~= 'case' then
    return '<lib>: ' .. rest
  end
  return err
end

--- Calls `f` with vim.api and vim.fn replaced by recorders; returns the
--- calls made (`{name, args...}`). Stubbed functions return
--- `results[name]` (default 1).
function H.record(f, results)
  results = results or {}
  local calls = {}
  local function stub()
    return setmetatable({}, {
      __index = function(_, name)
        return function(...)
          calls[#calls + 1] = { name, ... }
          local r = results[name]
          if r == nil then
            return 1
          end
          return r
        end
      end,
    })
  end
  local api, fn = vim.api, vim.fn
  vim.api, vim.fn = stub(), stub()
  local ok, err = pcall(f)
  vim.api, vim.fn = api, fn
  if not ok then
    error(err, 0)
  end
  return calls
end

--- Runs `code` and returns "ok <values>" or "error <message>".
function H.run(code)
  local chunk, err = load(code, '=case', 't')
  if not chunk then
    return 'compile ' .. tostring(err)
  end
  local results = { n = 0 }
  local function collect(...)
    results = { n = select('#', ...), ... }
  end
  collect(pcall(chunk))
  if not results[1] then
    return 'error ' .. show_error(results[2])
  end
  local parts = {}
  for i = 2, results.n do
    parts[#parts + 1] = H.show(results[i])
  end
  return 'ok ' .. table.concat(parts, ' ')
end

--- Splits a cases file into { {name, code}, ... } at "-- case: NAME" lines.
function H.parse(text)
  local cases = {}
  for line in (text .. '\n'):gmatch('(.-)\n') do
    local name = line:match('^%-%- case: (%S+)')
    if name then
      cases[#cases + 1] = { name, {} }
    elseif #cases > 0 then
      table.insert(cases[#cases][2], line)
    end
  end
  for _, case in ipairs(cases) do
    case[2] = table.concat(case[2], '\n')
  end
  return cases
end

-- Cases reach the harness as the global `H`.
_G.H = H
return H
