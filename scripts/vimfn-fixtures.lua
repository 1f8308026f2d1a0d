-- Run by scripts/gen-vimfn-fixtures.sh inside headless Neovim 0.11.4.
-- Reads $RTDVI_VIMFN_CASES line by line: `#` lines are comments, `:` lines are ex commands run as
-- setup, every other line is an expression. Writes $RTDVI_VIMFN_OUT, one JSON object a line:
-- {"cmd": ...} for setup commands (with "err" if it failed) and {"expr": ..., "out": ...} with
-- `string()` of the value, or {"expr": ..., "err": ...} with the first error message.
local out = {}
local function strip(msg)
  msg = tostring(msg)
  -- "Vim(let):E117: ..." / "Vim:E117: ..." -> "E117: ..."
  return (msg:gsub('^Vim[^:]*:', ''))
end
for line in io.lines(vim.env.RTDVI_VIMFN_CASES) do
  if line == '' or line:sub(1, 1) == '#' then
    -- skip
  elseif line:sub(1, 1) == ':' then
    local ok, err = pcall(vim.cmd, line:sub(2))
    local rec = { cmd = line:sub(2) }
    if not ok then
      rec.err = strip(err)
    end
    table.insert(out, vim.json.encode(rec))
  else
    local ok, res = pcall(vim.fn.eval, 'string(' .. line .. ')')
    if ok then
      table.insert(out, vim.json.encode({ expr = line, out = res }))
    else
      table.insert(out, vim.json.encode({ expr = line, err = strip(res) }))
    end
  end
end
local f = assert(io.open(vim.env.RTDVI_VIMFN_OUT, 'w'))
f:write(table.concat(out, '\n'), '\n')
f:close()
