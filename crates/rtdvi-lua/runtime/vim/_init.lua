-- Sets up the global `vim` table from rtdvi's Lua standard library.
--
-- The Rust side (`rtdvi_lua::stdlib::install`) first stores every module's
-- source in `__rtdvi_stdlib_sources` ({ ["vim.inspect"] = source, ... }),
-- then runs this file. Each module becomes a `package.preload` entry (one
-- the bridge registered first wins), `vim.shared` and `vim._editor` run
-- now, and the other submodules load on first access through `vim`'s
-- `__index` (vim.inspect, vim.iter, vim.json, ...), so startup only pays
-- for what plugins use.
--
-- An existing `vim` table (and an existing metatable with an `__index`) is
-- kept: names not in `vim._submodules` fall through to the old `__index`.
-- The bridge can add lazy modules of its own by putting a preload entry in
-- `package.preload` and its name in `vim._submodules`.

local sources = rawget(_G, '__rtdvi_stdlib_sources') or {}
_G.__rtdvi_stdlib_sources = nil

local vim = rawget(_G, 'vim') or {}
_G.vim = vim

for name, source in pairs(sources) do
  if package.preload[name] == nil then
    local chunk_name = '@' .. name:gsub('%.', '/') .. '.lua'
    package.preload[name] = function(...)
      local chunk = assert(load(source, chunk_name, 't'))
      return chunk(...)
    end
  end
end

require('vim.shared')
require('vim._editor')

--- Submodules loaded on first access: field name -> module name.
vim._submodules = vim._submodules or {}
for field, module in pairs({
  inspect = 'vim.inspect',
  iter = 'vim.iter',
  json = 'vim.json',
  fs = 'vim.fs',
  version = 'vim.version',
  F = 'vim.F',
  keymap = 'vim.keymap',
  ui = 'vim.ui',
  hl = 'vim.hl',
  highlight = 'vim.hl',
  base64 = 'vim.base64',
  text = 'vim.text',
  filetype = 'vim.filetype',
  treesitter = 'vim.treesitter',
}) do
  if vim._submodules[field] == nil then
    vim._submodules[field] = module
  end
end

local mt = getmetatable(vim) or {}
local fallback = mt.__index
mt.__index = function(t, key)
  local module = vim._submodules[key]
  if module ~= nil then
    local value = require(module)
    rawset(t, key, value)
    return value
  end
  if type(fallback) == 'function' then
    return fallback(t, key)
  elseif type(fallback) == 'table' then
    return fallback[key]
  end
  return nil
end
setmetatable(vim, mt)

return vim
