local a = vim.api
a.nvim_buf_set_lines(0, 0, -1, true, {"a", "b", "c"})
local log = {}
a.nvim_buf_attach(0, false, {on_lines=function(...) local t = {...}; t[3] = nil; log[#log+1] = t end, on_detach=function(...) log[#log+1] = {...} end})
local function p(name, f) log = {}; local ok, r = pcall(f); io.stdout:write(name, " => ", ok and vim.inspect(log, {newline=' ', indent=''}) or ("ERR " .. tostring(r)), "\n") end
p("set_lines replace", function() a.nvim_buf_set_lines(0, 1, 2, true, {"B", "B2"}) end)
p("set_lines insert", function() a.nvim_buf_set_lines(0, 0, 0, true, {"top"}) end)
p("set_lines delete", function() a.nvim_buf_set_lines(0, 1, 3, true, {}) end)
p("set_text", function() a.nvim_buf_set_text(0, 0, 1, 0, 2, {"X"}) end)
p("normal dd", function() vim.cmd("normal! gg0dd") end)
p("normal x", function() vim.cmd("normal! x") end)
p("undo", function() vim.cmd("undo") end)
p("bwipe", function() vim.cmd("enew | bwipeout! 1") end)
