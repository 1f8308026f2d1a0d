-- vim.ui: minimal select/input on top of vim.fn.inputlist and vim.fn.input,
-- as Neovim's defaults. Plugins may replace vim.ui.select/input.

local M = {}

--- Asks the user to pick one of `items`; calls `on_choice(item, index)`,
--- or `on_choice(nil, nil)` when cancelled. `opts.prompt` and
--- `opts.format_item` as in Neovim.
function M.select(items, opts, on_choice)
  vim.validate('items', items, 'table')
  vim.validate('on_choice', on_choice, 'function')
  opts = opts or {}
  local format_item = opts.format_item or tostring
  local choices = { opts.prompt or 'Select one of:' }
  for i, item in ipairs(items) do
    choices[#choices + 1] = ('%d: %s'):format(i, format_item(item))
  end
  local choice = vim.fn.inputlist(choices)
  if type(choice) ~= 'number' or choice < 1 or choice > #items then
    on_choice(nil, nil)
  else
    on_choice(items[choice], choice)
  end
end

--- Asks the user for text (`opts.prompt`, `opts.default`,
--- `opts.completion`...); calls `on_confirm(text)`, or `on_confirm(nil)`
--- when cancelled (unlike an empty answer).
function M.input(opts, on_confirm)
  vim.validate('opts', opts, 'table', true)
  vim.validate('on_confirm', on_confirm, 'function')
  local args = {}
  for k, v in pairs(opts or {}) do
    args[k] = v
  end
  -- vim.fn.input returns '' when cancelled; ask for a value no answer can be.
  if args.cancelreturn == nil then
    args.cancelreturn = vim.NIL
  end
  if next(args) == nil then
    args = vim.empty_dict()
  end
  local ok, answer = pcall(vim.fn.input, args)
  if not ok or answer == vim.NIL or type(answer) ~= 'string' then
    on_confirm(nil)
  else
    on_confirm(answer)
  end
end

return M
