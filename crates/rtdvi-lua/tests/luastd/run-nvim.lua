-- Records expected.txt in Neovim: `nvim -l run-nvim.lua DIR` (see
-- scripts/gen-luastd-fixtures.sh).
local dir = arg[1]
local H = dofile(dir .. '/harness.lua')
local f = assert(io.open(dir .. '/cases.lua'))
local text = f:read('a')
f:close()
for _, case in ipairs(H.parse(text)) do
  io.stdout:write(case[1], '\t', H.run(case[2]), '\n')
end
