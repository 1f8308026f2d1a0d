-- vim.version: semantic versions (parse, compare) and the version rtdvi
-- reports to plugins. `vim.version()` answers as Neovim 0.11.4 with API
-- level 13, the API rtdvi implements; `build` names rtdvi.

local M = {}

local Version = {}

local function compare_prerelease(a, b)
  if a == b then
    return 0
  end
  -- A version without pre-release ranks above one with it.
  if a == nil then
    return 1
  elseif b == nil then
    return -1
  end
  local pa, pb = vim.split(a, '.', { plain = true }), vim.split(b, '.', { plain = true })
  for i = 1, math.max(#pa, #pb) do
    local x, y = pa[i], pb[i]
    if x == nil then
      return -1
    elseif y == nil then
      return 1
    end
    local nx, ny = tonumber(x), tonumber(y)
    if nx and ny then
      if nx ~= ny then
        return nx < ny and -1 or 1
      end
    elseif nx then
      return -1
    elseif ny then
      return 1
    elseif x ~= y then
      return x < y and -1 or 1
    end
  end
  return 0
end

local function compare(a, b)
  for _, field in ipairs({ 'major', 'minor', 'patch' }) do
    if a[field] ~= b[field] then
      return a[field] < b[field] and -1 or 1
    end
  end
  return compare_prerelease(a.prerelease, b.prerelease)
end

Version.__index = Version

function Version.__eq(a, b)
  return compare(a, b) == 0
end

function Version.__lt(a, b)
  return compare(a, b) < 0
end

function Version.__le(a, b)
  return compare(a, b) <= 0
end

function Version.__tostring(v)
  local s = ('%d.%d.%d'):format(v.major, v.minor, v.patch)
  if v.prerelease then
    s = s .. '-' .. v.prerelease
  end
  if v.build and v.build ~= vim.NIL then
    s = s .. '+' .. v.build
  end
  return s
end

local function new(major, minor, patch, prerelease, build)
  return setmetatable({
    major = major,
    minor = minor or 0,
    patch = patch or 0,
    prerelease = prerelease,
    build = build,
  }, Version)
end

--- Parses a version string: `opts.strict` requires `[v]X.Y.Z[-pre][+build]`
--- exactly; otherwise missing parts default to 0 and surrounding text is
--- ignored. Nil when no version is found.
function M.parse(version, opts)
  if type(version) ~= 'string' then
    error(('invalid version: %s (%s)'):format(tostring(version), type(version)))
  end
  opts = opts or {}
  if opts.strict then
    local major, minor, patch, rest = version:match('^v?(%d+)%.(%d+)%.(%d+)(.*)$')
    if not major then
      return nil
    end
    local pre, build = rest:match('^%-([%w%.%-]+)%+([%w%.%-]+)$')
    if not pre then
      pre = rest:match('^%-([%w%.%-]+)$')
      build = rest:match('^%+([%w%.%-]+)$')
      if rest ~= '' and not pre and not build then
        return nil
      end
    end
    return new(tonumber(major), tonumber(minor), tonumber(patch), pre, build)
  end
  local text = vim.trim(version)
  local start, stop, major = text:find('v?(%d+)')
  if not start then
    return nil
  end
  local minor, patch
  local pos = stop + 1
  local m = text:match('^%.(%d+)', pos)
  if m then
    minor = tonumber(m)
    pos = pos + 1 + #m
    local p = text:match('^%.(%d+)', pos)
    if p then
      patch = tonumber(p)
      pos = pos + 1 + #p
    end
  end
  local pre = text:match('^%-([%w%.%-]*[%w])', pos)
  if pre then
    pos = pos + 1 + #pre
  end
  local build = text:match('^%+([%w%.%-]*[%w])', pos)
  return new(tonumber(major), minor, patch, pre, build)
end

local function to_version(v)
  if getmetatable(v) == Version then
    return v
  end
  if type(v) == 'table' then
    return new(v[1] or v.major or 0, v[2] or v.minor, v[3] or v.patch, v.prerelease, v.build)
  end
  if type(v) == 'string' then
    local parsed = M.parse(v)
    if parsed then
      return parsed
    end
  end
  error(('invalid version: "%s"'):format(tostring(v)))
end

--- -1, 0 or 1 as `v1` is older than, the same as or newer than `v2`
--- (versions, strings or `{major, minor, patch}` lists; build ignored).
function M.cmp(v1, v2)
  return compare(to_version(v1), to_version(v2))
end

--- `v1 == v2` by `vim.version.cmp`.
function M.eq(v1, v2)
  return M.cmp(v1, v2) == 0
end

--- `v1 < v2` by `vim.version.cmp`.
function M.lt(v1, v2)
  return M.cmp(v1, v2) == -1
end

--- `v1 <= v2` by `vim.version.cmp`.
function M.le(v1, v2)
  return M.cmp(v1, v2) <= 0
end

--- `v1 > v2` by `vim.version.cmp`.
function M.gt(v1, v2)
  return M.cmp(v1, v2) == 1
end

--- `v1 >= v2` by `vim.version.cmp`.
function M.ge(v1, v2)
  return M.cmp(v1, v2) >= 0
end

--- The newest of a list of versions.
function M.last(versions)
  local last = versions[1]
  for i = 2, #versions do
    if M.gt(versions[i], last) then
      last = versions[i]
    end
  end
  return last
end

--- The version the editor reports (a new table each call).
function M.current()
  local v = new(0, 11, 4, nil, 'rtdvi')
  v.api_level = 13
  v.api_compatible = 0
  v.api_prerelease = false
  return v
end

return setmetatable(M, {
  __call = function()
    return M.current()
  end,
})
