-- vim.keymap: set/del mappings through nvim_set_keymap and friends, with
-- the options Neovim's vim.keymap.set takes (callback rhs, remap, buffer,
-- expr with replace_keycodes on by default, desc, silent, nowait...).
--
-- Besides Neovim's mode letters, the long names the rtdvi seed uses are
-- accepted: "normal", "insert", "visual", "select", "visual_only" (x),
-- "operator_pending" (or "operator"), "command" (or "cmdline"), "terminal",
-- "lang" and "insert_command" ("!").

local M = {}

local long_modes = {
  normal = 'n',
  insert = 'i',
  visual = 'v',
  select = 's',
  visual_only = 'x',
  operator_pending = 'o',
  operator = 'o',
  command = 'c',
  cmdline = 'c',
  terminal = 't',
  lang = 'l',
  insert_command = '!',
}

local function mode_list(mode)
  local modes = type(mode) == 'string' and { mode } or mode
  local out = {}
  for i, m in ipairs(modes) do
    out[i] = long_modes[m] or m
  end
  return out
end

-- The buffer a `buffer` option names: nil (global), 0 for true.
local function target_buffer(buffer)
  if buffer == true then
    return 0
  end
  if buffer == false then
    return nil
  end
  return buffer
end

--- Maps `lhs` to `rhs` (keys, or a Lua function) in `mode` (a mode or a
--- list of modes).
function M.set(mode, lhs, rhs, opts)
  vim.validate('mode', mode, { 'string', 'table' })
  vim.validate('lhs', lhs, 'string')
  vim.validate('rhs', rhs, { 'string', 'function' })
  vim.validate('opts', opts, 'table', true)

  local map_opts = {}
  for k, v in pairs(opts or {}) do
    map_opts[k] = v
  end
  local buffer = target_buffer(map_opts.buffer)
  map_opts.buffer = nil
  -- `remap` is the option; Neovim ignores a `noremap` given with it.
  map_opts.noremap = not map_opts.remap
  map_opts.remap = nil
  if map_opts.expr and map_opts.replace_keycodes ~= false then
    map_opts.replace_keycodes = true
  end
  if type(rhs) == 'function' then
    map_opts.callback = rhs
    rhs = ''
  end

  for _, m in ipairs(mode_list(mode)) do
    if buffer then
      vim.api.nvim_buf_set_keymap(buffer, m, lhs, rhs, map_opts)
    else
      vim.api.nvim_set_keymap(m, lhs, rhs, map_opts)
    end
  end
end

--- Removes the mapping of `lhs` in `modes` (global, or `opts.buffer`'s).
function M.del(modes, lhs, opts)
  vim.validate('mode', modes, { 'string', 'table' })
  vim.validate('lhs', lhs, 'string')
  vim.validate('opts', opts, 'table', true)
  local buffer = target_buffer((opts or {}).buffer)
  for _, m in ipairs(mode_list(modes)) do
    if buffer then
      vim.api.nvim_buf_del_keymap(buffer, m, lhs)
    else
      vim.api.nvim_del_keymap(m, lhs)
    end
  end
end

return M
