-- vim.F: small functional helpers (if_nil, npcall, ok_or_nil, nil_wrap,
-- pack_len, unpack_len), as in Neovim.

local M = {}

--- The first argument that is not nil.
function M.if_nil(...)
  local n = select('#', ...)
  for i = 1, n do
    local v = select(i, ...)
    if v ~= nil then
      return v
    end
  end
  return nil
end

--- The results after `status` when it is true, else nil.
function M.ok_or_nil(status, ...)
  if not status then
    return nil
  end
  return ...
end

--- Calls `fn(...)` protected: its results, or nil if it raised an error.
function M.npcall(fn, ...)
  return M.ok_or_nil(pcall(fn, ...))
end

--- Wraps `fn` so that calling it with a nil first argument returns nil.
function M.nil_wrap(fn)
  return function(...)
    if select('#', ...) == 0 or (...) == nil then
      return nil
    end
    return fn(...)
  end
end

--- Packs the arguments into a table with their count in `n`.
function M.pack_len(...)
  return { n = select('#', ...), ... }
end

--- Unpacks a table made by `pack_len`, nils included.
function M.unpack_len(t)
  return table.unpack(t, 1, t.n)
end

return M
