-- The conformance driver: runs one scenario in Neovim or in rtdvi (the same file for both) and writes
-- its outcome to stdout as one line `CONFORMANCE-OUTCOME <canonical JSON>`, then quits.
--
-- The runner prepends `local SCENARIO = {...}` (a Lua table literal made from the scenario file) and
-- starts the editor with `--headless -u NONE -i NONE -n --noplugin buf -c 'luafile run.lua'`.
-- Plain Lua 5.1 (LuaJIT) and 5.4 only; the editor is reached through vim.api/vim.fn/vim.cmd.
--
-- Steps settle through `vim.defer_fn(next, 0)`: a timer callback runs only once the editor waits for
-- input, after the keys of the previous step were consumed (mappings, autocmds such as TextChanged and
-- CursorMoved, and the mode included). A `vim.schedule` chain does not work for this in Neovim: its
-- queue is drained in one go, before typeahead is looked at.

local S = SCENARIO
local api, fn = vim.api, vim.fn
local outcome = { output = {}, results = {}, errors = {} }

-- ----- canonical JSON ----------------------------------------------------------------------------

local empty_dict_mt
do
  local ok, d = pcall(function()
    return vim.empty_dict()
  end)
  if ok and type(d) == "table" then
    empty_dict_mt = getmetatable(d)
  end
end

-- Length of the UTF-8 sequence starting at byte i of s, or nil when it is not valid UTF-8.
local function utf8_len_at(s, i)
  local c = s:byte(i)
  local n
  if c < 0x80 then
    return 1
  elseif c >= 0xC2 and c <= 0xDF then
    n = 2
  elseif c >= 0xE0 and c <= 0xEF then
    n = 3
  elseif c >= 0xF0 and c <= 0xF4 then
    n = 4
  else
    return nil
  end
  for k = i + 1, i + n - 1 do
    local b = s:byte(k)
    if not b or b < 0x80 or b > 0xBF then
      return nil
    end
  end
  return n
end

local function is_utf8(s)
  local i = 1
  while i <= #s do
    local n = utf8_len_at(s, i)
    if not n then
      return false
    end
    i = i + n
  end
  return true
end

-- A JSON string; bytes that are not UTF-8 are written as `\xNN` text so the JSON stays valid.
local function enc_string(s)
  local parts = {}
  local i = 1
  while i <= #s do
    local n = utf8_len_at(s, i)
    local c = s:byte(i)
    if not n then
      parts[#parts + 1] = string.format("\\\\x%02x", c)
      i = i + 1
    else
      local ch = s:sub(i, i + n - 1)
      if ch == '"' then
        ch = '\\"'
      elseif ch == "\\" then
        ch = "\\\\"
      elseif c < 0x20 or c == 0x7f then
        ch = string.format("\\u%04x", c)
      end
      parts[#parts + 1] = ch
      i = i + n
    end
  end
  return '"' .. table.concat(parts) .. '"'
end

local function enc_number(x)
  if x ~= x then
    return '"nan"'
  elseif x == math.huge then
    return '"inf"'
  elseif x == -math.huge then
    return '"-inf"'
  elseif x == math.floor(x) and math.abs(x) < 2 ^ 53 then
    return string.format("%d", x)
  end
  return string.format("%.17g", x)
end

local enc

local function is_sequence(t)
  local n = 0
  for _ in pairs(t) do
    n = n + 1
  end
  for i = 1, n do
    if t[i] == nil then
      return false, n
    end
  end
  return true, n
end

local function enc_table(t, seen)
  if seen[t] then
    return '"<cycle>"'
  end
  seen[t] = true
  local seq, n = is_sequence(t)
  local s
  if n == 0 then
    s = (empty_dict_mt and getmetatable(t) == empty_dict_mt) and "{}" or "[]"
  elseif seq then
    local items = {}
    for i = 1, n do
      items[i] = enc(t[i], seen)
    end
    s = "[" .. table.concat(items, ",") .. "]"
  else
    local keys = {}
    for k in pairs(t) do
      keys[#keys + 1] = type(k) == "string" and k or ("[" .. tostring(k) .. "]")
    end
    table.sort(keys)
    local items = {}
    for _, k in ipairs(keys) do
      local v = t[k]
      if v == nil then
        -- a non-string key, written as "[key]": find it again
        for kk, vv in pairs(t) do
          if type(kk) ~= "string" and ("[" .. tostring(kk) .. "]") == k then
            v = vv
          end
        end
      end
      items[#items + 1] = enc_string(k) .. ":" .. enc(v, seen)
    end
    s = "{" .. table.concat(items, ",") .. "}"
  end
  seen[t] = nil
  return s
end

enc = function(v, seen)
  local ty = type(v)
  if v == nil or v == vim.NIL then
    return "null"
  elseif ty == "boolean" then
    return v and "true" or "false"
  elseif ty == "number" then
    return enc_number(v)
  elseif ty == "string" then
    return enc_string(v)
  elseif ty == "table" then
    return enc_table(v, seen or {})
  end
  return '"<' .. ty .. '>"'
end

-- A JSON value already encoded: kept as is when the outcome is written.
local Raw = {}
local function raw(text)
  return setmetatable({ text = text }, Raw)
end

local function write_outcome(t)
  local keys = {}
  for k in pairs(t) do
    keys[#keys + 1] = k
  end
  table.sort(keys)
  local items = {}
  for _, k in ipairs(keys) do
    local v = t[k]
    local text
    if type(v) == "table" and getmetatable(v) == Raw then
      text = v.text
    elseif type(v) == "table" and #v > 0 and getmetatable(v[1]) == Raw then
      local parts = {}
      for i, r in ipairs(v) do
        parts[i] = r.text
      end
      text = "[" .. table.concat(parts, ",") .. "]"
    else
      text = enc(v)
    end
    items[#items + 1] = enc_string(k) .. ":" .. text
  end
  io.stdout:write("CONFORMANCE-OUTCOME {" .. table.concat(items, ",") .. "}\n")
end

-- ----- errors and output ---------------------------------------------------------------------------

-- Error text without what differs between editors for reasons other than behaviour: file paths
-- (`/x/y/_editor.lua:12: `) and tracebacks.
local function clean(msg)
  msg = tostring(msg)
  msg = msg:gsub("\n?stack traceback:.*$", "")
  msg = msg:gsub("[^%s:\"'%[%]]*%.lua:%d+: ", "")
  return msg
end

local function record_error(where, err)
  table.insert(outcome.errors, where .. ": " .. clean(err))
end

local real_print = print
_G.print = function(...)
  local parts = {}
  for i = 1, select("#", ...) do
    parts[i] = tostring((select(i, ...)))
  end
  table.insert(outcome.output, table.concat(parts, "\t"))
  return real_print(...)
end

-- A copy of a value with every string cleaned like an error message (values often are pcall errors).
local function cleaned(v, seen)
  if type(v) == "string" then
    return clean(v)
  elseif type(v) ~= "table" or getmetatable(v) ~= nil and getmetatable(v) ~= empty_dict_mt then
    return v
  end
  seen = seen or {}
  if seen[v] then
    return v
  end
  seen[v] = true
  local t = setmetatable({}, getmetatable(v))
  for k, x in pairs(v) do
    t[k] = cleaned(x, seen)
  end
  return t
end

-- `report(v)` (or `report(a, b, ...)`, kept as a list) records values in the outcome's `results`,
-- strings cleaned as error messages are.
_G.report = function(...)
  local n = select("#", ...)
  if n == 1 then
    table.insert(outcome.results, raw(enc(cleaned((...)))))
  else
    local items = {}
    for i = 1, n do
      items[i] = enc(cleaned((select(i, ...))))
    end
    table.insert(outcome.results, raw("[" .. table.concat(items, ",") .. "]"))
  end
end

local loader = loadstring or load

-- Errors of a chunk already name it (`step2:3: boom`).
local function run_chunk(code, name)
  local f, err = loader(code, "=" .. name)
  if not f then
    table.insert(outcome.errors, clean(err))
    return
  end
  local ok, e = pcall(f)
  if not ok then
    table.insert(outcome.errors, clean(e))
  end
end

-- ----- capture -----------------------------------------------------------------------------------

local function capture()
  local cap = S.capture or {}
  local res = {}
  local function try(what, f)
    local ok, e = pcall(f)
    if not ok then
      record_error("capture " .. what, e)
    end
  end
  try("lines", function()
    res.lines = api.nvim_buf_get_lines(0, 0, -1, false)
  end)
  try("cursor", function()
    res.cursor = api.nvim_win_get_cursor(0)
  end)
  try("mode", function()
    res.mode = api.nvim_get_mode().mode
  end)
  if cap.registers then
    res.registers = {}
    for _, r in ipairs(cap.registers) do
      try("register " .. r, function()
        local text = fn.getreg(r)
        local entry = { type = fn.getregtype(r) }
        if is_utf8(text) then
          entry.text = text
        else
          -- special keys of a recorded macro: compare them in key notation
          entry.keys = fn.keytrans(text)
        end
        res.registers[r] = entry
      end)
    end
  end
  if cap.marks then
    res.marks = {}
    for _, m in ipairs(cap.marks) do
      try("mark " .. m, function()
        res.marks[m] = api.nvim_buf_get_mark(0, m)
      end)
    end
  end
  if cap.extmarks then
    res.extmarks = {}
    for _, name in ipairs(cap.extmarks) do
      try("extmarks " .. name, function()
        local ns = api.nvim_get_namespaces()[name]
        local list = {}
        if ns then
          for _, m in ipairs(api.nvim_buf_get_extmarks(0, ns, 0, -1, { details = true })) do
            local details = m[4] or {}
            -- the namespace is named by the key; its number depends on the editor's own namespaces
            details.ns_id = nil
            list[#list + 1] = { m[1], m[2], m[3], details }
          end
        end
        res.extmarks[name] = list
      end)
    end
  end
  if cap.messages then
    try("messages", function()
      local text = api.nvim_exec2("messages", { output = true }).output
      local lines = {}
      local in_traceback = false
      for line in (text .. "\n"):gmatch("(.-)\n") do
        -- a traceback's frames name the editor's own files: left out, like paths
        if line == "stack traceback:" then
          in_traceback = true
        elseif not (in_traceback and line:sub(1, 1) == "\t") then
          in_traceback = false
          if line ~= "" then
            lines[#lines + 1] = clean(line)
          end
        end
      end
      res.messages = lines
    end)
  end
  if cap.lua then
    -- expressions evaluated at the end: `capture.lua = ["vim.bo.sw", ...]`
    res.values = {}
    for i, expr in ipairs(cap.lua) do
      local f, err = loader("return " .. expr, "=capture" .. i)
      if f then
        local ok, v = pcall(f)
        res.values[i] = ok and raw(enc(cleaned(v))) or raw(enc("error: " .. clean(v)))
      else
        res.values[i] = raw(enc("error: " .. clean(err)))
      end
    end
    res.values = raw("[" .. (function()
      local parts = {}
      for i, r in ipairs(res.values) do
        parts[i] = r.text
      end
      return table.concat(parts, ",")
    end)() .. "]")
  end
  for _, k in ipairs({ "output", "results", "errors" }) do
    if #outcome[k] > 0 then
      res[k] = outcome[k]
    end
  end
  return res
end

-- ----- the run -------------------------------------------------------------------------------------

local function finish()
  local ok, res = pcall(capture)
  if not ok then
    res = { errors = { "capture: " .. clean(res) } }
  end
  write_outcome(res)
  vim.cmd("qall!")
end

local steps = S.steps or {}

local function run_step(i)
  if i > #steps then
    return finish()
  end
  local st = steps[i]
  if st.keys then
    local ok, err = pcall(function()
      local keys = api.nvim_replace_termcodes(st.keys, true, true, true)
      api.nvim_feedkeys(keys, st.noremap and "nt" or "mt", false)
    end)
    if not ok then
      record_error("step" .. i, err)
    end
  elseif st.lua then
    run_chunk(st.lua, "step" .. i)
  end
  vim.defer_fn(function()
    run_step(i + 1)
  end, 0)
end

local function setup()
  -- Determinism first (as the vi fixtures): no timeouts, no mode message, no swap file.
  for _, o in ipairs({ "timeout", "ttimeout", "showmode", "swapfile" }) do
    pcall(function()
      vim.o[o] = false
    end)
  end
  local opts = S.options or {}
  local names = {}
  for k in pairs(opts) do
    names[#names + 1] = k
  end
  table.sort(names)
  for _, k in ipairs(names) do
    local ok, err = pcall(function()
      vim.o[k] = opts[k]
    end)
    if not ok then
      record_error("option " .. k, err)
    end
  end
  if S.filetype then
    local ok, err = pcall(function()
      vim.bo.filetype = S.filetype
    end)
    if not ok then
      record_error("filetype", err)
    end
  end
  if S.cursor then
    local ok, err = pcall(api.nvim_win_set_cursor, 0, S.cursor)
    if not ok then
      record_error("cursor", err)
    end
  end
  pcall(vim.cmd, "messages clear")
  if S.lua then
    run_chunk(S.lua, "lua")
  end
  vim.defer_fn(function()
    run_step(1)
  end, 0)
end

vim.defer_fn(setup, 0)
