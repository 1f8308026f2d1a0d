//! The editor's whole API table through the generic `rtdvi_call` import.
//!
//! `rtdvi_call(method, args)` takes an API name (Neovim's, e.g.
//! `nvim_buf_get_lines`) and a msgpack array of parameters, exactly as a
//! Neovim RPC request's params, and answers the msgpack array
//! `[error, result]`. [`call`] does the encoding; the functions below are
//! typed shortcuts for the common entries. Anything else is one
//! `call("nvim_…", vec![…])` away.

use crate::error::{Error, Result};
use crate::host::Buffer;
use crate::msgpack::{self, Value};
use crate::sys;

/// Calls API function `method` with `args`; its result or its error message.
pub fn call(method: &str, args: Vec<Value>) -> Result<Value> {
    let encoded = Value::Array(args).to_bytes();
    let reply = sys::call(method.as_bytes(), &encoded).map_err(|code| {
        Error::Call(match code {
            -1 => "arguments are not a msgpack array".to_string(),
            -2 => "method or arguments outside memory, or not UTF-8".to_string(),
            -3 => "alloc returned an unusable pointer".to_string(),
            c => format!("failed with code {c}"),
        })
    })?;
    let value = msgpack::decode(&reply).map_err(|e| Error::Call(e.to_string()))?;
    let Value::Array(mut pair) = value else { return Err(Error::Call("reply is not an array".into())) };
    if pair.len() != 2 {
        return Err(Error::Call(format!("reply has {} elements, not [error, result]", pair.len())));
    }
    let result = pair.pop().unwrap_or(Value::Nil);
    match pair.pop().unwrap_or(Value::Nil) {
        Value::Nil => Ok(result),
        err => Err(Error::Api(match err {
            Value::Str(s) => s,
            // Neovim's RPC error shape `[type, message]` too.
            Value::Array(a) => a.iter().find_map(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
            other => format!("{other:?}"),
        })),
    }
}

fn bad(method: &str) -> Error {
    Error::Call(format!("{method}: unexpected result type"))
}

fn strings(method: &str, v: Value) -> Result<Vec<String>> {
    let Value::Array(items) = v else { return Err(bad(method)) };
    items
        .into_iter()
        .map(|x| match x {
            Value::Str(s) => Ok(s),
            Value::Bin(b) => Ok(String::from_utf8_lossy(&b).into_owned()),
            _ => Err(bad(method)),
        })
        .collect()
}

/// What the host offers: `rtdvi_api_version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiInfo {
    /// Grows when entries are added; a plugin needing level N checks `level >= N`.
    pub level: i64,
    /// Names callable through [`call`].
    pub functions: Vec<String>,
}

/// The host's API level and function names.
pub fn api_version() -> Result<ApiInfo> {
    const M: &str = "rtdvi_api_version";
    let v = call(M, vec![])?;
    let level = v.get("api_level").and_then(Value::as_i64).ok_or_else(|| bad(M))?;
    let functions = v
        .get("functions")
        .and_then(Value::as_array)
        .map(|f| f.iter().filter_map(|x| x.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    Ok(ApiInfo { level, functions })
}

/// `nvim_buf_get_lines`: lines `start..end` (0-based, end exclusive, negative
/// counts from the end as in Neovim: `-1` is "past the last line").
pub fn buf_get_lines(buf: Buffer, start: i64, end: i64, strict: bool) -> Result<Vec<String>> {
    const M: &str = "nvim_buf_get_lines";
    strings(M, call(M, vec![buf.0.into(), start.into(), end.into(), strict.into()])?)
}

/// `nvim_buf_set_lines`: replaces lines `start..end` with `lines`.
pub fn buf_set_lines(buf: Buffer, start: i64, end: i64, strict: bool, lines: &[&str]) -> Result<()> {
    let lines = Value::Array(lines.iter().map(|l| Value::from(*l)).collect());
    call("nvim_buf_set_lines", vec![buf.0.into(), start.into(), end.into(), strict.into(), lines]).map(drop)
}

/// `nvim_buf_get_name`: the buffer's full file name (empty when it has none).
pub fn buf_get_name(buf: Buffer) -> Result<String> {
    const M: &str = "nvim_buf_get_name";
    match call(M, vec![buf.0.into()])? {
        Value::Str(s) => Ok(s),
        _ => Err(bad(M)),
    }
}

/// `nvim_list_bufs`: every buffer.
pub fn list_bufs() -> Result<Vec<Buffer>> {
    const M: &str = "nvim_list_bufs";
    let v = call(M, vec![])?;
    let items = v.as_array().ok_or_else(|| bad(M))?;
    items.iter().map(|x| x.as_i64().and_then(|i| i32::try_from(i).ok()).map(Buffer).ok_or_else(|| bad(M))).collect()
}

/// `nvim_command`: runs an ex command (`"write"`, `"set sw=2"`).
pub fn command(cmd: &str) -> Result<()> {
    call("nvim_command", vec![cmd.into()]).map(drop)
}

/// `nvim_get_option_value(name, {})`: an option's value.
pub fn get_option_value(name: &str) -> Result<Value> {
    call("nvim_get_option_value", vec![name.into(), Value::Map(vec![])])
}

/// `nvim_get_option_value(name, {buf = buf})`: a buffer-local option's value
/// (e.g. `filetype`).
pub fn get_buf_option(buf: Buffer, name: &str) -> Result<Value> {
    call("nvim_get_option_value", vec![name.into(), Value::Map(vec![("buf".into(), buf.0.into())])])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn typed_calls_reach_the_table() {
        testing::reset();
        testing::set_lines(Buffer(1), &["a", "b", "c"]);
        assert_eq!(buf_get_lines(Buffer(1), 1, -1, false).unwrap(), ["b", "c"]);
        buf_set_lines(Buffer(1), 0, 1, true, &["x", "y"]).unwrap();
        assert_eq!(testing::lines(Buffer(1)), ["x", "y", "b", "c"]);
        assert_eq!(list_bufs().unwrap(), [Buffer(1)]);
        assert_eq!(api_version().unwrap().level, 1);
        assert!(api_version().unwrap().functions.contains(&"nvim_buf_get_lines".to_string()));
    }

    #[test]
    fn api_errors_carry_the_message() {
        testing::reset();
        assert_eq!(buf_get_lines(Buffer(7), 0, -1, false), Err(Error::Api("Invalid buffer id: 7".into())));
        assert_eq!(call("nvim_nope", vec![]), Err(Error::Api("Invalid method: nvim_nope".into())));
    }

    #[test]
    fn malformed_replies_are_errors() {
        testing::reset();
        for reply in [vec![0xc1], vec![0x91, 0xc0], Value::Int(3).to_bytes()] {
            testing::with(|h| h.raw_reply = Some(Ok(reply.clone())));
            assert!(matches!(call("x", vec![]), Err(Error::Call(_))), "{reply:02x?}");
        }
        testing::with(|h| h.raw_reply = Some(Err(-3)));
        assert_eq!(call("x", vec![]), Err(Error::Call("alloc returned an unusable pointer".into())));
        // Neovim's `[type, message]` error form.
        let pair = Value::Array(vec![Value::Array(vec![0.into(), "boom".into()]), Value::Nil]);
        testing::with(|h| h.raw_reply = Some(Ok(pair.to_bytes())));
        assert_eq!(call("x", vec![]), Err(Error::Api("boom".into())));
    }
}
