-- What plugins need from `vim` when the pure-Lua standard library does not
-- provide it (each definition checks first, so the library's wins).
local vim = vim

if vim.notify == nil then
  function vim.notify(msg, level)
    vim.api.nvim_notify(tostring(msg), level or 2, {})
  end
end

if vim.print == nil then
  function vim.print(...)
    local n = select('#', ...)
    for i = 1, n do
      local v = select(i, ...)
      if vim.inspect and type(v) == 'table' then
        print(vim.inspect(v))
      else
        print(tostring(v))
      end
    end
    return ...
  end
end

if vim.keymap == nil then
  local long = {
    normal = 'n', insert = 'i', visual = 'v', select = 's', command = 'c',
    operator = 'o', terminal = 't', replace = 'R', x = 'x',
  }
  local function modes(mode)
    local list = type(mode) == 'table' and mode or { mode }
    local out = {}
    for i, m in ipairs(list) do
      out[i] = long[m] or m
    end
    return out
  end
  vim.keymap = {}
  function vim.keymap.set(mode, lhs, rhs, opts)
    opts = opts or {}
    local o = {}
    for k, v in pairs(opts) do
      if k ~= 'buffer' and k ~= 'remap' then
        o[k] = v
      end
    end
    o.noremap = not opts.remap
    if type(rhs) == 'function' then
      o.callback = rhs
      rhs = ''
    end
    for _, m in ipairs(modes(mode)) do
      if opts.buffer then
        local b = opts.buffer == true and 0 or opts.buffer
        vim.api.nvim_buf_set_keymap(b, m, lhs, rhs, o)
      else
        vim.api.nvim_set_keymap(m, lhs, rhs, o)
      end
    end
  end
  function vim.keymap.del(mode, lhs, opts)
    opts = opts or {}
    for _, m in ipairs(modes(mode)) do
      if opts.buffer then
        vim.api.nvim_buf_del_keymap(opts.buffer == true and 0 or opts.buffer, m, lhs)
      else
        vim.api.nvim_del_keymap(m, lhs)
      end
    end
  end
end
