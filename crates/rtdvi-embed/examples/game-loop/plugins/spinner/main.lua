-- Loops forever on its second frame: the deadline cuts it off.
function update(frame)
  if frame == 2 then
    while true do end
  end
  return frame
end

function destroy()
  sys.print("[spinner] never printed: this plugin was stopped")
end
