-- Works for two frames, then indexes a missing table in update().
local config = { speed = 2 }

function update(frame)
  if frame >= 3 then
    return config.missing.speed
  end
  return config.speed * frame
end

function destroy()
  sys.print("[broken] still here for destroy()")
end
