-- Counts frames and asks the host to exit after the fifth.
local state = { frames = 0 }

function init()
  sys.print("[counter] hello! 3.4 + 6.6 = ", math.add(3.4, 6.6))
end

function update(frame)
  state.frames = state.frames + 1
  sys.print("[counter] frame ", frame, ", counted ", state.frames)
  if state.frames >= 5 then
    sys.exit("counter saw 5 frames")
  end
  return true
end

function destroy()
  sys.print("[counter] bye after ", state.frames, " frames")
end
