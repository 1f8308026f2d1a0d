//! Typed reading of an API call's msgpack arguments, with Neovim's error for a wrong type.

use rmpv::Value;

use super::ApiError;
use crate::buffer::BufferId;
use crate::editor::Editor;
use crate::events::CallbackId;
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

/// The msgpack ext type of a function argument (a Lua function, a WASM handler): its data is the
/// host's callback id as 4 big-endian bytes. Every door (Lua bridge, WASM ABI, RPC) encodes
/// functions this way.
pub const CALLBACK_EXT: i8 = 64;

/// Encodes a callback id as an API argument.
pub fn callback_arg(id: CallbackId) -> Value {
    Value::Ext(CALLBACK_EXT, id.0.to_be_bytes().to_vec())
}

/// Decodes a callback argument (`None` for any other value).
pub fn callback_id(v: &Value) -> Option<CallbackId> {
    match v {
        Value::Ext(CALLBACK_EXT, data) => {
            <[u8; 4]>::try_from(data.as_slice()).ok().map(|b| CallbackId(u32::from_be_bytes(b)))
        }
        _ => None,
    }
}

impl<'a> Args<'a> {
    /// A function argument (see [`CALLBACK_EXT`]).
    pub fn callback(&mut self) -> Result<CallbackId, ApiError> {
        let (i, v) = self.take();
        v.and_then(callback_id).ok_or_else(|| self.wrong(i, "LuaRef"))
    }

    /// A tab page handle, resolved (`0` is the current one).
    pub fn tabpage(&mut self, editor: &Editor) -> Result<usize, ApiError> {
        let (i, v) = self.take();
        let n = v.and_then(as_int).ok_or_else(|| self.wrong(i, "Tabpage"))?;
        resolve_tabpage(editor, n)
    }
}

/// The index in `editor.tabs` of the tab page a handle names (`0`: the current one).
pub fn resolve_tabpage(editor: &Editor, n: i64) -> Result<usize, ApiError> {
    if n == 0 {
        return Ok(editor.tab_index.min(editor.tabs.len().saturating_sub(1)));
    }
    let id = u32::try_from(n).map_err(|_| ApiError::InvalidTabpage(n))?;
    editor.tabs.iter().position(|t| t.id == id).ok_or(ApiError::InvalidTabpage(n))
}

/// An integer inside an `opts` dictionary (handles count as integers).
pub fn opt_int(key: &str, v: &Value) -> Result<i64, ApiError> {
    as_int(v).ok_or_else(|| ApiError::Msg(format!("Invalid '{key}': expected Integer, got {}", type_name(v))))
}

/// A boolean inside an `opts` dictionary (Lua's numbers count too, as in Neovim: 0 is false).
pub fn opt_bool(key: &str, v: &Value) -> Result<bool, ApiError> {
    match v {
        Value::Boolean(b) => Ok(*b),
        Value::Integer(n) => Ok(n.as_i64() != Some(0)),
        Value::Nil => Ok(false),
        _ => Err(ApiError::Msg(format!("Invalid '{key}': expected Boolean, got {}", type_name(v)))),
    }
}

/// A string inside an `opts` dictionary.
pub fn opt_str<'v>(key: &str, v: &'v Value) -> Result<&'v str, ApiError> {
    v.as_str().ok_or_else(|| ApiError::Msg(format!("Invalid '{key}': expected String, got {}", type_name(v))))
}

/// A string or an array of strings inside `opts` (`event`, `pattern`).
pub fn opt_strings(key: &str, v: &Value) -> Result<Vec<String>, ApiError> {
    match v {
        Value::String(s) => Ok(vec![s.as_str().unwrap_or_default().to_string()]),
        Value::Array(items) => items
            .iter()
            .map(|s| {
                s.as_str().map(str::to_string).ok_or_else(|| {
                    ApiError::Msg(format!("Invalid '{key}' item: expected String, got {}", type_name(s)))
                })
            })
            .collect(),
        _ => Err(ApiError::Msg(format!("Invalid '{key}': expected String or Array, got {}", type_name(v)))),
    }
}

/// The error for a key an `opts` dictionary doesn't take (Neovim's text).
pub fn invalid_key(key: &str) -> ApiError {
    ApiError::Msg(format!("invalid key: {key}"))
}

/// Neovim's name of a value's type in messages.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Nil => "Nil",
        Value::Boolean(_) => "Boolean",
        Value::Integer(_) | Value::Ext(0..=2, _) => "Integer",
        Value::F32(_) | Value::F64(_) => "Float",
        Value::String(_) | Value::Binary(_) => "String",
        Value::Array(_) => "Array",
        Value::Map(_) => "Dict",
        Value::Ext(CALLBACK_EXT, _) => "Function",
        Value::Ext(..) => "Object",
    }
}
