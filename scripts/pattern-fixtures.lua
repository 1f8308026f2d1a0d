-- Run by scripts/gen-pattern-fixtures.sh inside headless Neovim 0.11.4.
-- Reads the case list ($RTDVI_PATTERN_CASES, a Lua file returning a list of cases) and writes
-- $RTDVI_PATTERN_OUT: for each case, the error Neovim gives or every match `:s///g` finds.
-- Then reads $RTDVI_SEARCH_CASES and writes $RTDVI_SEARCH_OUT: where searchpos() lands.
-- Matches are found by substituting each match with itself between two marker bytes and reading
-- the marker positions back, so they follow Neovim's own rules for empty matches.
local cases = dofile(vim.env.RTDVI_PATTERN_CASES)
local OPEN, CLOSE = '\1', '\2'

_G.rtdvi_mark = function()
  return OPEN .. vim.fn.submatch(0) .. CLOSE
end

local function spans(text)
  local out, pos, start = {}, 0, nil
  for i = 1, #text do
    local b = text:sub(i, i)
    if b == OPEN then
      start = pos
    elseif b == CLOSE then
      table.insert(out, { start, pos })
    else
      pos = pos + 1
    end
  end
  return out
end

local function run(case)
  vim.o.ignorecase = case.ic or false
  vim.o.smartcase = case.scs or false
  vim.o.magic = case.magic ~= false
  if case.sub then
    -- `~` in a pattern matches the previous substitute string.
    vim.api.nvim_buf_set_lines(0, 0, -1, false, { '' })
    vim.cmd('s/^/' .. case.sub .. '/')
  end
  vim.api.nvim_buf_set_lines(0, 0, -1, false, vim.split(case.t, '\n', { plain = true }))
  -- An empty pattern in `:s` uses the last search pattern: no delimiter can clash with it.
  -- `@/` remembers its pattern as magic, so 'nomagic' is spelled as the equivalent leading `\M`.
  vim.fn.setreg('/', (case.magic == false and '\\M' or '') .. case.p)
  local ok, err = pcall(vim.cmd, 'silent %s//\\=v:lua.rtdvi_mark()/ge')
  local result = {
    pattern = case.p,
    text = case.t,
    ignorecase = case.ic or false,
    smartcase = case.scs or false,
    magic = case.magic ~= false,
    last_substitute = case.sub or vim.NIL,
    error = vim.NIL,
    matches = {},
  }
  if not ok then
    result.error = tostring(err):match('Vim%(substitute%):(.*)$') or tostring(err)
  else
    local lines = vim.api.nvim_buf_get_lines(0, 0, -1, false)
    result.matches = spans(table.concat(lines, '\n'))
  end
  return result
end

local function write_json(path, objects)
  local f = assert(io.open(path, 'w'))
  f:write('[\n' .. table.concat(objects, ',\n') .. '\n]\n')
  f:close()
end

local encoded = {}
for _, case in ipairs(cases) do
  local r = run(case)
  local matches = {}
  for _, m in ipairs(r.matches) do
    table.insert(matches, string.format('[%d,%d]', m[1], m[2]))
  end
  r.matches = nil
  local obj = vim.json.encode(r)
  -- Append the match list by hand: an empty Lua table has no JSON array form.
  obj = obj:sub(1, -2) .. ',"matches":[' .. table.concat(matches, ',') .. ']}'
  table.insert(encoded, '  ' .. obj)
end
write_json(vim.env.RTDVI_PATTERN_OUT, encoded)

-- Search positions: searchpos() from a cursor, as `/` and `?` move.
vim.o.ignorecase, vim.o.smartcase, vim.o.magic = false, false, true
local searches = {}
for _, case in ipairs(dofile(vim.env.RTDVI_SEARCH_CASES)) do
  vim.api.nvim_buf_set_lines(0, 0, -1, false, vim.split(case.t, '\n', { plain = true }))
  vim.api.nvim_win_set_cursor(0, case.at)
  local pos = vim.fn.searchpos(case.p, case.flags .. (case.flags:find('W') and '' or 'w'))
  local found = vim.NIL
  if pos[1] ~= 0 then
    found = { pos[1], pos[2] - 1 }
  end
  table.insert(searches, '  ' .. vim.json.encode({
    text = case.t,
    pattern = case.p,
    line = case.at[1],
    col = case.at[2],
    backward = case.flags:find('b') ~= nil,
    wrapscan = case.flags:find('W') == nil,
    found = found,
  }))
end
write_json(vim.env.RTDVI_SEARCH_OUT, searches)
