//! Typed reading of an API call's msgpack arguments, with Neovim's error for a wrong type.

use rmpv::Value;

use super::ApiError;
use crate::buffer::BufferId;
use crate::editor::Editor;
use crate::window::WindowId;

/// The arguments of one call, read in order.
pub struct Args<'a> {
    method: &'static str,
    values: &'a [Value],
    next: usize,
}

impl<'a> Args<'a> {
    /// Arguments for a call of `method`.
    pub fn new(method: &'static str, values: &'a [Value]) -> Self {
        Args { method, values, next: 0 }
    }

    fn take(&mut self) -> (usize, Option<&'a Value>) {
        let i = self.next;
        self.next += 1;
        (i + 1, self.values.get(i))
    }

    fn wrong(&self, index: usize, expected: &'static str) -> ApiError {
        ApiError::ArgType { index, method: self.method, expected }
    }

    /// An integer (ext-typed handles count as integers, as in Neovim's RPC).
    pub fn int(&mut self) -> Result<i64, ApiError> {
        let (i, v) = self.take();
        v.and_then(as_int).ok_or_else(|| self.wrong(i, "Integer"))
    }

    /// A boolean.
    pub fn bool(&mut self) -> Result<bool, ApiError> {
        let (i, v) = self.take();
        v.and_then(Value::as_bool).ok_or_else(|| self.wrong(i, "Boolean"))
    }

    /// A UTF-8 string.
    pub fn string(&mut self) -> Result<&'a str, ApiError> {
        let (i, v) = self.take();
        v.and_then(Value::as_str).ok_or_else(|| self.wrong(i, "String"))
    }

    /// An array of anything.
    pub fn array(&mut self) -> Result<&'a [Value], ApiError> {
        let (i, v) = self.take();
        v.and_then(|v| v.as_array().map(Vec::as_slice)).ok_or_else(|| self.wrong(i, "Array"))
    }

    /// An array of strings.
    pub fn strings(&mut self) -> Result<Vec<String>, ApiError> {
        let (i, v) = self.take();
        let arr = v.and_then(Value::as_array).ok_or_else(|| self.wrong(i, "ArrayOf(String)"))?;
        arr.iter().map(|s| s.as_str().map(str::to_string).ok_or_else(|| self.wrong(i, "ArrayOf(String)"))).collect()
    }

    /// Any value (an option's value).
    pub fn any(&mut self) -> Result<&'a Value, ApiError> {
        let (i, v) = self.take();
        v.ok_or_else(|| self.wrong(i, "Object"))
    }

    /// An optional trailing dictionary (`opts`): missing means empty.
    pub fn opts(&mut self) -> Result<Vec<(&'a str, &'a Value)>, ApiError> {
        let (i, v) = self.take();
        match v {
            None => Ok(Vec::new()),
            Some(Value::Map(m)) => {
                m.iter().map(|(k, v)| k.as_str().map(|k| (k, v)).ok_or_else(|| self.wrong(i, "Dictionary"))).collect()
            }
            // Lua's empty table `{}` arrives as an empty array.
            Some(Value::Array(a)) if a.is_empty() => Ok(Vec::new()),
            Some(_) => Err(self.wrong(i, "Dictionary")),
        }
    }

    /// A buffer handle, resolved (`0` is the current buffer).
    pub fn buffer(&mut self, editor: &Editor) -> Result<BufferId, ApiError> {
        let (i, v) = self.take();
        let n = v.and_then(as_int).ok_or_else(|| self.wrong(i, "Buffer"))?;
        resolve_buffer(editor, n)
    }

    /// A window handle, resolved (`0` is the current window).
    pub fn window(&mut self, editor: &Editor) -> Result<WindowId, ApiError> {
        let (i, v) = self.take();
        let n = v.and_then(as_int).ok_or_else(|| self.wrong(i, "Window"))?;
        resolve_window(editor, n)
    }
}

/// An integer or an ext-typed handle (Neovim encodes Buffer/Window/Tabpage as ext 0/1/2 holding
/// a msgpack integer).
fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Ext(_, data) => {
            let mut slice = data.as_slice();
            rmpv::decode::read_value(&mut slice).ok().as_ref().and_then(Value::as_i64)
        }
        _ => v.as_i64(),
    }
}

/// The buffer a handle names (`0`: the current one).
pub fn resolve_buffer(editor: &Editor, n: i64) -> Result<BufferId, ApiError> {
    if n == 0 {
        return Ok(editor.buf_id());
    }
    let id = u32::try_from(n).map(BufferId).map_err(|_| ApiError::InvalidBuffer(n))?;
    if editor.buffers.contains_key(&id) {
        Ok(id)
    } else {
        Err(ApiError::InvalidBuffer(n))
    }
}

/// The window a handle names (`0`: the current one).
pub fn resolve_window(editor: &Editor, n: i64) -> Result<WindowId, ApiError> {
    if n == 0 {
        return Ok(editor.current);
    }
    let id = u32::try_from(n).map(WindowId).map_err(|_| ApiError::InvalidWindow(n))?;
    if editor.window(id).is_some() {
        Ok(id)
    } else {
        Err(ApiError::InvalidWindow(n))
    }
}
