-- vim.hl (also vim.highlight): highlight a region of a buffer with
-- extmarks, as Neovim's vim.hl.range.

local M = {}

--- Default priorities of highlights by origin.
M.priorities = {
  syntax = 50,
  treesitter = 100,
  semantic_tokens = 125,
  diagnostics = 150,
  user = 200,
}

-- A position as (row, col), 0-based with byte columns; strings are marks
-- or expressions vim.fn.getpos understands ("'<", ".").
local function position(pos)
  if type(pos) == 'string' then
    local p = vim.fn.getpos(pos)
    return p[2] - 1, p[3] - 1
  end
  return pos[1], pos[2]
end

--- Highlights `higroup` from `start` to `finish` ({row, col}, 0-based, or
--- a mark string) in `bufnr` under namespace `ns`. `opts.regtype` is "v"
--- (default), "V" (whole lines) or "\22"/"<C-v>" (block);
--- `opts.inclusive` includes the end column; `opts.priority` defaults to
--- `vim.hl.priorities.user`; `opts.timeout` (ms, -1 = never) clears the
--- highlighted rows of `ns` later (through vim.defer_fn).
function M.range(bufnr, ns, higroup, start, finish, opts)
  opts = opts or {}
  local timeout = opts.timeout or -1
  local regtype = opts.regtype or 'v'
  local priority = opts.priority or M.priorities.user
  local srow, scol = position(start)
  local erow, ecol = position(finish)
  if srow > erow or (srow == erow and scol > ecol) then
    srow, scol, erow, ecol = erow, ecol, srow, scol
  end
  local extra = opts.inclusive and 1 or 0
  local function mark(row, col, end_row, end_col)
    vim.api.nvim_buf_set_extmark(bufnr, ns, row, col, {
      hl_group = higroup,
      end_row = end_row,
      end_col = end_col,
      priority = priority,
      strict = false,
    })
  end
  if regtype == 'V' then
    mark(srow, 0, erow + 1, 0)
  elseif regtype:sub(1, 1) == '\22' or regtype == '<C-v>' then
    local left, right = math.min(scol, ecol), math.max(scol, ecol)
    for row = srow, erow do
      mark(row, left, row, right + extra)
    end
  else
    mark(srow, scol, erow, ecol + extra)
  end
  if timeout ~= -1 then
    vim.defer_fn(function()
      if vim.api.nvim_buf_is_valid(bufnr) then
        vim.api.nvim_buf_clear_namespace(bufnr, ns, srow, erow + 1)
      end
    end, timeout)
  end
end

local yank_ns

--- Briefly highlights the text just yanked; meant for a TextYankPost
--- autocmd. Options: higroup ("IncSearch"), timeout (150 ms), on_macro
--- (false: not while a register executes), on_visual (true), priority,
--- event (default vim.v.event).
function M.on_yank(opts)
  opts = opts or {}
  local event = opts.event or vim.v.event
  if type(event) ~= 'table' or event.operator ~= 'y' or event.regtype == nil or event.regtype == '' then
    return
  end
  if not opts.on_macro and vim.fn.reg_executing() ~= '' then
    return
  end
  if opts.on_visual == false and event.visual then
    return
  end
  yank_ns = yank_ns or vim.api.nvim_create_namespace('nvim.hlyank')
  local bufnr = vim.api.nvim_get_current_buf()
  -- A new yank replaces the highlight of the previous one.
  vim.api.nvim_buf_clear_namespace(bufnr, yank_ns, 0, -1)
  M.range(bufnr, yank_ns, opts.higroup or 'IncSearch', "'[", "']", {
    regtype = event.regtype,
    inclusive = true,
    priority = opts.priority or M.priorities.user,
    timeout = opts.timeout or 150,
  })
end

return M
