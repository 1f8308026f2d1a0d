-- vim.fs: path helpers that need no file system access (joinpath,
-- basename, dirname, normalize), with Neovim 0.11's results on Unix paths.
--
-- `normalize` expands `~` and `$VAR` from `vim.env`, which is empty in the
-- sandbox unless the editor grants variables: unknown ones stay as written.

local M = {}

local function getenv(name)
  local ok, env = pcall(function()
    return vim.env
  end)
  if not ok or type(env) ~= 'table' then
    return nil
  end
  local got, value = pcall(function()
    return env[name]
  end)
  if got and type(value) == 'string' then
    return value
  end
  return nil
end

--- Joins path parts with `/`, collapsing repeated slashes.
function M.joinpath(...)
  return (table.concat({ ... }, '/'):gsub('//+', '/'))
end

--- The last component of `file` ('' when it ends with `/`); nil for nil.
function M.basename(file)
  if file == nil then
    return nil
  end
  vim.validate('file', file, 'string')
  if file:sub(-1) == '/' then
    return ''
  end
  return (file:match('[^/]*$'))
end

--- The parent directory of `file` ('.' when it has none); nil for nil.
function M.dirname(file)
  if file == nil then
    return nil
  end
  vim.validate('file', file, 'string')
  if file == '/' then
    return '/'
  end
  local dir = file:match('^(.*)/[^/]*$')
  if dir == nil then
    return '.'
  elseif dir == '' then
    return '/'
  end
  return dir
end

--- Cleans up a path: expands `~` and `$VAR` (unless `opts.expand_env` is
--- false, which keeps `$VAR`), removes `.` and resolves `..` components,
--- repeated and trailing slashes.
function M.normalize(path, opts)
  vim.validate('path', path, 'string')
  opts = opts or {}
  if path == '' then
    return ''
  end
  if path:sub(1, 1) == '~' and (#path == 1 or path:sub(2, 2) == '/') then
    local home = getenv('HOME')
    if home then
      path = home .. path:sub(2)
    end
  end
  if opts.expand_env ~= false then
    path = path:gsub('%$([%w_]+)', function(name)
      return getenv(name)
    end)
  end
  -- POSIX keeps exactly two leading slashes; more collapse to one.
  local prefix = ''
  if path:match('^//[^/]') then
    prefix = '//'
  elseif path:sub(1, 1) == '/' then
    prefix = '/'
  end
  local parts = {}
  for part in path:gmatch('[^/]+') do
    if part == '..' then
      if #parts > 0 and parts[#parts] ~= '..' then
        parts[#parts] = nil
      elseif prefix == '' then
        parts[#parts + 1] = '..'
      end
    elseif part ~= '.' then
      parts[#parts + 1] = part
    end
  end
  local joined = prefix .. table.concat(parts, '/')
  if joined == '' then
    return '.'
  end
  return joined
end

return M
