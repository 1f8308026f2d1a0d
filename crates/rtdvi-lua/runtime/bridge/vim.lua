-- The `vim` module's bridge to the editor: vim.api, vim.fn, vim.cmd, the
-- option and variable accessors, scheduling and timers. Every editor
-- operation is one host call (`require('rtdvi').call`) into the editor's
-- API table; nothing here re-implements one.
--
-- Runs first when a Lua state is set up; the pure-Lua standard library
-- (runtime/vim/*.lua) is installed after it and keeps this `vim` table.
-- `...` is the list of API function names (from the host).

local call = require('rtdvi').call
local bind = require('rtdvi').bind
local api_names = ...

local vim = rawget(_G, 'vim') or {}
_G.vim = vim

if vim.NIL == nil then
  vim.NIL = setmetatable({}, {
    __tostring = function()
      return 'vim.NIL'
    end,
  })
end
require('rtdvi').set_nil(vim.NIL)
-- Marks tables that must stay dictionaries ({} in JSON, not []); an empty dictionary from the API
-- arrives with it, and a table with it and no entries goes to the API as a dictionary.
vim._empty_dict_mt = vim._empty_dict_mt
  or {
    __tostring = function()
      return 'vim.empty_dict()'
    end,
  }
require('rtdvi').set_empty_dict(vim._empty_dict_mt)

-- print writes a message, its arguments joined by spaces (Neovim's print,
-- unlike Lua's tab), as in Neovim (stdout for `-l` scripts); io.write and
-- io.stdout:write stay the process's stdout in headless mode.
do
  local tostring, select, concat = tostring, select, table.concat
  _G.print = function(...)
    local parts = {}
    for i = 1, select('#', ...) do
      parts[i] = tostring((select(i, ...)))
    end
    call('rtdvi.print', concat(parts, ' '))
  end
end

-- vim.api: one function per entry of the API table (unknown names are nil,
-- as in Neovim).
local api = {}
for _, name in ipairs(api_names or {}) do
  api[name] = bind(name)
end
vim.api = api

local function api_call(name, ...)
  return call(name, ...)
end

-- vim.fn: Vim functions through nvim_call_function; unknown names raise
-- E117 there.
vim.fn = setmetatable({}, {
  __index = function(t, name)
    if type(name) ~= 'string' then
      return nil
    end
    local f = function(...)
      local n = select('#', ...)
      local args = { ... }
      for i = 1, n do
        if args[i] == nil then
          args[i] = vim.NIL
        end
      end
      return api_call('nvim_call_function', name, args)
    end
    rawset(t, name, f)
    return f
  end,
})

-- vim.cmd: a string of ex commands (several lines allowed, run as
-- nvim_exec2 runs a script, so errors read "nvim_exec2(), line 1: ..."), a
-- table in nvim_cmd's form, or vim.cmd.name(...) / vim.cmd.name{...} (list
-- items of the table are the arguments).
local function run_cmd(spec)
  local copy, args = {}, nil
  for k, v in pairs(spec) do
    if type(k) ~= 'number' then
      copy[k] = v
    end
  end
  if spec[1] ~= nil and spec.args == nil then
    args = {}
    for i = 1, table.maxn(spec) do
      args[i] = spec[i]
    end
    copy.args = args
  end
  return api_call('nvim_cmd', copy, {})
end

vim.cmd = setmetatable({}, {
  __call = function(_, command)
    if type(command) == 'table' then
      return run_cmd(command)
    end
    api_call('nvim_exec2', command, {})
    return ''
  end,
  __index = function(t, name)
    local f = function(...)
      local first = ...
      local spec
      if select('#', ...) == 1 and type(first) == 'table' then
        spec = {}
        for k, v in pairs(first) do
          spec[k] = v
        end
      else
        spec = { args = { ... } }
      end
      spec.cmd = name
      return run_cmd(spec)
    end
    rawset(t, name, f)
    return f
  end,
})

-- Options: vim.o, vim.go, vim.bo, vim.wo.
local function get_option(name, opts)
  return api_call('nvim_get_option_value', name, opts)
end

local function set_option(name, value, opts)
  api_call('nvim_set_option_value', name, value, opts)
end

-- Errors point at the line that read or assigned the option (level 2 of a
-- metamethod is the indexing code), as Neovim's do.
local function option_accessor(opts)
  return setmetatable({}, {
    __index = function(_, k)
      local ok, v = pcall(get_option, k, opts)
      if not ok then
        error(v, 2)
      end
      return v
    end,
    __newindex = function(_, k, v)
      local ok, err = pcall(set_option, k, v, opts)
      if not ok then
        error(err, 2)
      end
    end,
  })
end

vim.o = option_accessor({})
vim.go = option_accessor({ scope = 'global' })

-- `vim.bo`-style tables: fields reach `make(0)` (the current buffer, window
-- or tab), a number `n` gives `make(n)` for that handle.
local function by_handle(make)
  local current = make(0)
  return setmetatable({}, {
    __index = function(_, k)
      if type(k) == 'number' then
        return make(k)
      end
      return current[k]
    end,
    __newindex = function(_, k, v)
      current[k] = v
    end,
  })
end

local function handle_accessor(key)
  return by_handle(function(handle)
    return option_accessor({ [key] = handle })
  end)
end

vim.bo = handle_accessor('buf')
vim.wo = handle_accessor('win')

-- vim.opt, vim.opt_local, vim.opt_global: option objects with :get(),
-- :append(), :prepend(), :remove() and the + ^ - operators.
local info_cache = {}
local function option_info(name)
  local info = info_cache[name]
  if info == nil then
    info = call('rtdvi.option_info', name)
    info_cache[name] = info
  end
  return info
end

-- Comma lists whose items are `key:value`.
local map_options = { listchars = true, lcs = true, fillchars = true, fcs = true }
-- Comma lists of flags (Neovim's "flagscomma"): sets, like flag lists.
local set_options = { whichwrap = true, ww = true }

local function split_list(s)
  local items = {}
  if s == '' then
    return items
  end
  for item in (s .. ','):gmatch('(.-),') do
    items[#items + 1] = item
  end
  return items
end

local function to_lua(name, raw)
  local info = option_info(name)
  if info.kind == 'comma' then
    local items = split_list(raw)
    if set_options[name] or set_options[info.name] then
      local set = {}
      for _, item in ipairs(items) do
        set[item] = true
      end
      return set
    end
    if map_options[name] or map_options[info.name] then
      local map = {}
      for _, item in ipairs(items) do
        local k, v = item:match('^([^:]*):(.*)$')
        if k then
          map[k] = v
        end
      end
      return map
    end
    return items
  elseif info.kind == 'flags' then
    local set = {}
    for c in raw:gmatch('.') do
      set[c] = true
    end
    return set
  end
  return raw
end

local function to_raw(name, value)
  if type(value) ~= 'table' then
    return value
  end
  local info = option_info(name)
  local comma_set = set_options[name] or set_options[info.name]
  if info.kind == 'flags' or comma_set then
    local out = {}
    for k, v in pairs(value) do
      if type(k) == 'number' then
        out[#out + 1] = v
      elseif v then
        out[#out + 1] = k
      end
    end
    return table.concat(out, comma_set and ',' or '')
  end
  if #value > 0 or next(value) == nil then
    local out = {}
    for i, v in ipairs(value) do
      out[i] = tostring(v)
    end
    return table.concat(out, ',')
  end
  local out = {}
  for k, v in pairs(value) do
    out[#out + 1] = tostring(k) .. ':' .. tostring(v)
  end
  table.sort(out)
  return table.concat(out, ',')
end

local Option = {}
Option.__index = Option

local function item_list(name, value)
  local info = option_info(name)
  if type(value) == 'table' then
    if info.kind == 'flags' or set_options[name] or set_options[info.name] then
      local out = {}
      for k, v in pairs(value) do
        out[#out + 1] = type(k) == 'number' and v or k
      end
      return out
    end
    return value
  end
  if info.kind == 'flags' then
    local out = {}
    for c in tostring(value):gmatch('.') do
      out[#out + 1] = c
    end
    return out
  end
  return split_list(tostring(value))
end

function Option:_raw()
  return get_option(self._name, self._opts)
end

function Option:get()
  return to_lua(self._name, self:_raw())
end

function Option:_set(raw)
  set_option(self._name, raw, self._opts)
  return self
end

function Option:append(value)
  local info = option_info(self._name)
  local raw = self:_raw()
  if info.kind == 'number' then
    return self:_set(raw + value)
  elseif info.kind == 'string' then
    return self:_set(raw .. value)
  end
  local sep = info.kind == 'flags' and '' or ','
  for _, item in ipairs(item_list(self._name, value)) do
    local present = false
    if info.kind == 'flags' then
      present = raw:find(item, 1, true) ~= nil
    else
      for _, have in ipairs(split_list(raw)) do
        if have == item then
          present = true
        end
      end
    end
    if not present then
      raw = raw == '' and item or raw .. sep .. item
    end
  end
  return self:_set(raw)
end

function Option:prepend(value)
  local info = option_info(self._name)
  local raw = self:_raw()
  if info.kind == 'number' then
    return self:_set(raw * value)
  elseif info.kind == 'string' then
    return self:_set(value .. raw)
  end
  local sep = info.kind == 'flags' and '' or ','
  local items = item_list(self._name, value)
  for i = #items, 1, -1 do
    raw = raw == '' and items[i] or items[i] .. sep .. raw
  end
  return self:_set(raw)
end

function Option:remove(value)
  local info = option_info(self._name)
  local raw = self:_raw()
  if info.kind == 'number' then
    return self:_set(raw - value)
  end
  local drop = {}
  for _, item in ipairs(item_list(self._name, value)) do
    drop[item] = true
  end
  if info.kind == 'flags' then
    return self:_set((raw:gsub('.', function(c)
      return drop[c] and '' or c
    end)))
  end
  local kept = {}
  for _, item in ipairs(split_list(raw)) do
    if not drop[item] then
      kept[#kept + 1] = item
    end
  end
  return self:_set(table.concat(kept, ','))
end

Option.__add = function(a, b)
  return a:append(b)
end
Option.__pow = function(a, b)
  return a:prepend(b)
end
Option.__sub = function(a, b)
  return a:remove(b)
end

local function opt_accessor(opts)
  return setmetatable({}, {
    __index = function(_, name)
      option_info(name)
      return setmetatable({ _name = name, _opts = opts }, Option)
    end,
    __newindex = function(_, name, value)
      if getmetatable(value) == Option then
        return
      end
      set_option(name, to_raw(name, value), opts)
    end,
  })
end

vim.opt = opt_accessor({})
vim.opt_local = opt_accessor({ scope = 'local' })
vim.opt_global = opt_accessor({ scope = 'global' })

-- Variables: vim.g, vim.b, vim.w, vim.t, vim.v; vim.env (read-only, empty).
local function var_accessor(get, set, del, handle)
  local function make(h)
    return setmetatable({}, {
      __index = function(_, k)
        if h == nil and type(k) == 'number' then
          return make(k)
        end
        local ok, v
        if h ~= nil then
          ok, v = pcall(api_call, get, h, k)
        else
          ok, v = pcall(api_call, get, k)
        end
        if ok then
          return v
        end
        return nil
      end,
      __newindex = function(_, k, v)
        if v == nil then
          if h ~= nil then
            pcall(api_call, del, h, k)
          else
            pcall(api_call, del, k)
          end
        elseif h ~= nil then
          api_call(set, h, k, v)
        else
          api_call(set, k, v)
        end
      end,
    })
  end
  if handle then
    return by_handle(make)
  end
  return make(nil)
end

vim.g = var_accessor('nvim_get_var', 'nvim_set_var', 'nvim_del_var', false)
vim.b = var_accessor('nvim_buf_get_var', 'nvim_buf_set_var', 'nvim_buf_del_var', true)
vim.w = var_accessor('nvim_win_get_var', 'nvim_win_set_var', 'nvim_win_del_var', true)
vim.t = var_accessor('nvim_tabpage_get_var', 'nvim_tabpage_set_var', 'nvim_tabpage_del_var', true)
vim.v = setmetatable({}, {
  __index = function(_, k)
    local ok, v = pcall(api_call, 'nvim_get_vvar', k)
    if ok then
      return v
    end
    return nil
  end,
  __newindex = function(_, k, v)
    api_call('nvim_set_vvar', k, v)
  end,
})
-- vim.on_key (runtime/vim/_editor.lua) hands its callbacks to the key engine
-- through this: `fn = nil` removes the namespace's callback.
function vim._register_on_key(ns_id, fn)
  call('rtdvi_on_key', ns_id, fn or vim.NIL)
end
vim.env = setmetatable({}, {
  __index = function()
    return nil
  end,
  __newindex = function(_, k)
    error('vim.env.' .. tostring(k) .. ': the environment is read-only in the sandbox', 2)
  end,
})

-- Scheduling: callbacks run on the editor's loop (and in vim.wait).
function vim.schedule(fn)
  if type(fn) ~= 'function' then
    error('vim.schedule: expected function', 2)
  end
  call('rtdvi.schedule', fn)
end

function vim.schedule_wrap(fn)
  return function(...)
    local args = table.pack(...)
    vim.schedule(function()
      fn(table.unpack(args, 1, args.n))
    end)
  end
end

-- vim.uv / vim.loop: timers and clocks; everything else is refused.
local Timer = {}
Timer.__index = Timer

function Timer:start(timeout, rep, cb)
  if self._closed then
    error('timer is closed', 2)
  end
  if self._id then
    call('rtdvi.timer_stop', self._id)
  end
  self._id = call('rtdvi.timer_start', timeout, rep or 0, cb)
  self._repeat = rep or 0
  return 0
end

function Timer:stop()
  if self._id then
    call('rtdvi.timer_stop', self._id)
    self._id = nil
  end
  return 0
end

function Timer:close(cb)
  self:stop()
  self._closed = true
  if cb then
    vim.schedule(cb)
  end
end

function Timer:is_closing()
  return self._closed == true
end

function Timer:is_active()
  return self._id ~= nil and call('rtdvi.timer_active', self._id)
end

function Timer:again()
  if self._id and self._repeat > 0 then
    call('rtdvi.timer_again', self._id)
  end
  return 0
end

function Timer:get_repeat()
  return self._repeat or 0
end

function Timer:set_repeat(rep)
  self._repeat = rep
end

local uv = {}
function uv.new_timer()
  return setmetatable({}, Timer)
end
function uv.hrtime()
  return call('rtdvi.hrtime')
end
function uv.now()
  return call('rtdvi.hrtime') // 1000000
end
function uv.update_time() end
uv.constants = {}

vim.uv = setmetatable(uv, {
  __index = function(_, name)
    return function()
      error('vim.uv.' .. tostring(name) .. ' is not permitted in the sandbox', 2)
    end
  end,
})
vim.loop = vim.uv

function vim.defer_fn(fn, timeout)
  local timer = uv.new_timer()
  timer:start(timeout, 0, function()
    timer:close()
    fn()
  end)
  return timer
end

-- vim.wait: runs scheduled callbacks and timers, advancing the loop's
-- clock instead of sleeping, so a wait never blocks the editor and tests
-- are deterministic. Returns true (and nil) once `cond` holds, or false
-- and -1 when `timeout` ms passed.
function vim.wait(timeout, cond, interval)
  if type(timeout) ~= 'number' then
    error('vim.wait: timeout must be a number', 2)
  end
  local start = uv.now()
  local limit = start + math.max(0, timeout)
  local step = math.max(1, interval or 200)
  call('rtdvi.run_pending', start)
  for _ = 1, 100000 do
    if cond ~= nil and cond() then
      return true, nil
    end
    local now = uv.now()
    if now >= limit then
      break
    end
    call('rtdvi.run_pending', math.min(limit, now + step))
  end
  if cond ~= nil and cond() then
    return true, nil
  end
  return false, -1
end

function vim.in_fast_event()
  return false
end

return vim
