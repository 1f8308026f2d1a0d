-- Runs the same checks on textutil in rtdvi (textutil.wasm, sandboxed) and
-- in Neovim (textutil.so, native): one line per check on stdout, compared
-- with check.expected by crates/rtdvi/tests/lua.rs and scripts/test-nvim-module.sh.
-- Written for Lua 5.4 and LuaJIT alike (no \u{} escapes, no integer division).
local t = require('textutil')

local function show(v)
  if type(v) ~= 'table' then
    return type(v) .. ' ' .. tostring(v)
  end
  local parts = {}
  for i, item in ipairs(v) do
    parts[i] = show(item)
  end
  return '{' .. table.concat(parts, ', ') .. '}'
end

local function check(label, f, ...)
  local ok, v = pcall(f, ...)
  print(label .. ': ' .. (ok and show(v) or ('error ' .. tostring(v))))
end

local acute = '\204\129' -- U+0301 COMBINING ACUTE ACCENT
check('width ascii', t.width, 'hello')
check('width wide', t.width, '日本語')
check('width combining', t.width, 'e' .. acute)
check('width empty', t.width, '')
check('graphemes', t.graphemes, 'e' .. acute .. 'x👍🏽!')
check('graphemes empty', t.graphemes, '')
check('title_case', t.title_case, 'ÉCOLE de paris')
check('title_case digraph', t.title_case, 'ǆungla straße')
check('title_case punctuation', t.title_case, "it's 3am, o'neil")
check('format_date default', t.format_date, 951827696)
check('format_date pattern', t.format_date, 0, '%A %d %B %Y, day %j')
check('format_date negative', t.format_date, -1, '%F %T')
check('format_date float', t.format_date, 86400.0)
check('format_date bad pattern', t.format_date, 0, '%Q')
check('format_date fraction', t.format_date, 1.5)
check('width of a table', t.width, {})
check('title_case of nil', t.title_case, nil)
check('number as string', t.width, 12345)
