-- vim.filetype: detection through the editor's own detector (the API
-- entry rtdvi_filetype_match), so a plugin asking for a file's type gets
-- the type the editor itself would give it.
--
-- rtdvi has no filetype plugins: get_option returns the option's global
-- value, which is what Neovim returns for a filetype whose ftplugin leaves
-- the option alone.

local M = {}

local added = { extension = {}, filename = {}, pattern = {} }

--- Registers filetypes by extension, file name or Lua pattern (matched
--- against the full path), as Neovim's vim.filetype.add; a value may be a
--- function(path, bufnr) returning the filetype.
function M.add(filetypes)
  for kind, map in pairs(filetypes or {}) do
    if added[kind] then
      for k, v in pairs(map) do
        added[kind][k] = v
      end
    end
  end
end

local function resolve(v, path, bufnr)
  if type(v) == 'function' then
    return v(path, bufnr)
  elseif type(v) == 'table' then
    return v[1]
  end
  return v
end

local function by_user(path, bufnr)
  local name = path:match('[^/]*$')
  if added.filename[path] or added.filename[name] then
    return resolve(added.filename[path] or added.filename[name], path, bufnr)
  end
  for pattern, v in pairs(added.pattern) do
    if path:match(pattern) or name:match(pattern) then
      local ft = resolve(v, path, bufnr)
      if ft then
        return ft
      end
    end
  end
  local ext = name:match('%.([^.]+)$')
  if ext and added.extension[ext] then
    return resolve(added.extension[ext], path, bufnr)
  end
  return nil
end

--- The filetype of a file given by `filename`, `buf` (its name and first
--- line) or `contents` (lines); nil when nothing matches.
function M.match(args)
  vim.validate('args', args, 'table')
  local name, first = args.filename, ''
  if args.buf ~= nil then
    local buf = args.buf == 0 and vim.api.nvim_get_current_buf() or args.buf
    name = name or vim.api.nvim_buf_get_name(buf)
    first = vim.api.nvim_buf_get_lines(buf, 0, 1, false)[1] or ''
  end
  if args.contents ~= nil then
    first = args.contents[1] or ''
  end
  if name == nil and args.buf == nil and args.contents == nil then
    error('At least one of "buf", "filename", or "contents" must be given', 2)
  end
  name = name or ''
  local ft = name ~= '' and by_user(name, args.buf) or nil
  if ft then
    return ft
  end
  ft = vim.api.rtdvi_filetype_match(name, first)
  if ft == '' then
    return nil
  end
  return ft
end

--- The value `option` takes in a buffer of filetype `filetype` (without
--- filetype plugins: the option's global value).
function M.get_option(filetype, option)
  vim.validate('filetype', filetype, 'string')
  vim.validate('option', option, 'string')
  return vim.api.nvim_get_option_value(option, { scope = 'global' })
end

return M
