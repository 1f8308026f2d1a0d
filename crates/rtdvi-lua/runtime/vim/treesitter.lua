-- vim.treesitter as Neovim behaves when no parser is installed: rtdvi's
-- Lua side has no tree-sitter parsers, so every parser request fails the
-- way Neovim's does for a language it cannot load (same error text, same
-- nil returns with `error = false`), and node queries find nothing.

local M = {}

local language = {}
local registered = {}

--- The parser language for a filetype: one registered with
--- `language.register`, else the filetype itself (Neovim 0.11).
function language.get_lang(filetype)
  vim.validate('filetype', filetype, 'string')
  if registered[filetype] then
    return registered[filetype]
  end
  if filetype == '' then
    return nil
  end
  return filetype
end

--- Registers `lang` as the parser for one filetype or a list of them.
function language.register(lang, filetype)
  local fts = type(filetype) == 'table' and filetype or { filetype }
  for _, ft in ipairs(fts) do
    registered[ft] = lang
  end
end

--- The filetypes registered for `lang`.
function language.get_filetypes(lang)
  local out = {}
  for ft, l in pairs(registered) do
    if l == lang then
      out[#out + 1] = ft
    end
  end
  table.sort(out)
  if #out == 0 then
    out[1] = lang
  end
  return out
end

--- Loads a parser: none exists, so false and the reason (Neovim 0.11's
--- return convention for a missing parser).
function language.add(lang)
  return nil, ('No parser for language "%s"'):format(lang)
end

function language.inspect(lang)
  error(('no parser for \'%s\' language, see :help treesitter-parsers'):format(lang), 2)
end

M.language = language

local function bufnr_of(bufnr)
  if bufnr == nil or bufnr == 0 then
    return vim.api.nvim_get_current_buf()
  end
  return bufnr
end

--- The parser of a buffer: none can be created; raises Neovim's error, or
--- returns nil and the message when `opts.error` is false.
function M.get_parser(bufnr, lang, opts)
  bufnr = bufnr_of(bufnr)
  lang = lang or language.get_lang(vim.bo[bufnr].filetype) or ''
  local msg = ('Parser could not be created for buffer %d and language "%s"'):format(bufnr, lang)
  if opts and opts.error == false then
    return nil, msg
  end
  error(msg, 2)
end

--- A string parser: none can be created either.
function M.get_string_parser(_, lang)
  error(('No parser for language "%s"'):format(lang), 2)
end

--- The node at a position: nil, as Neovim returns for a buffer without a
--- parser.
function M.get_node()
  return nil
end

--- The range of a node: {start_row, start_col, start_byte, end_row,
--- end_col, end_byte}; only nodes from a parser exist, so this is reached
--- with a node a plugin made itself (its `range()` method).
function M.get_range(node, source, metadata)
  if metadata and metadata.range then
    return metadata.range
  end
  local sr, sc, sb, er, ec, eb = node:range(true)
  return { sr, sc, sb, er, ec, eb }
end

--- A node's range as four numbers.
function M.get_node_range(node)
  return node:range()
end

--- Highlighting cannot start without a parser: Neovim's error.
function M.start(bufnr, lang)
  M.get_parser(bufnr, lang)
end

--- Nothing to stop.
function M.stop() end

--- The captures at a position: none.
function M.get_captures_at_pos()
  return {}
end

--- The text of a node.
function M.get_node_text(node, source)
  local sr, sc, er, ec = node:range()
  if type(source) == 'string' then
    local lines = vim.split(source, '\n')
    local out = {}
    for row = sr, er do
      local line = lines[row + 1] or ''
      local first = row == sr and sc + 1 or 1
      local last = row == er and ec or #line
      out[#out + 1] = line:sub(first, last)
    end
    return table.concat(out, '\n')
  end
  return table.concat(vim.api.nvim_buf_get_text(source, sr, sc, er, ec, {}), '\n')
end

return M
