//! An in-process stand-in for the editor, so plugin logic runs in native
//! unit tests (`cargo test` on the host). Only on non-wasm targets.
//!
//! Each test thread has its own [`MockHost`]: [`reset`] it, put lines in with
//! [`set_lines`], call your plugin's [`crate::Plugin`] methods or the kit's
//! functions, then inspect it with [`with`] / [`lines`]. `rtdvi_call` answers
//! a few API entries (`nvim_buf_get_lines`, `nvim_buf_set_lines`,
//! `nvim_buf_line_count`, `nvim_buf_get_name`, `nvim_list_bufs`,
//! `nvim_get_current_buf`, `rtdvi_api_version`) with Neovim's error texts;
//! [`MockHost::raw_reply`] forces a reply.

use std::cell::RefCell;

use crate::host::Buffer;
use crate::msgpack::{self, Value};

/// The state of the stand-in editor.
#[derive(Debug, Default)]
pub struct MockHost {
    /// Buffers: id and lines, in creation order.
    pub buffers: Vec<(i32, Vec<String>)>,
    /// Names of buffers, by id.
    pub names: Vec<(i32, String)>,
    /// Id of the current buffer (0 = none yet; [`set_lines`] makes the first one current).
    pub current_buffer: i32,
    /// Cursor of the one window (id 1): row, column in characters.
    pub cursor: (u32, u32),
    /// Options as the text `rtdvi_get_option_str` returns.
    pub options: Vec<(String, String)>,
    /// Lines given to `rtdvi_log`.
    pub log: Vec<String>,
    /// Messages given to `rtdvi_set_status`.
    pub status: Vec<String>,
    /// Registered commands.
    pub commands: Vec<String>,
    /// Registered plugin-manager extensions.
    pub plugin_managers: Vec<String>,
    /// Registered indent-provider filetypes.
    pub indent_providers: Vec<String>,
    /// Bound keys: (mode, keys, function).
    pub keys: Vec<(String, String, String)>,
    /// Lists given to `rtdvi_subscribe`.
    pub subscriptions: Vec<String>,
    /// When set, the next `rtdvi_call` returns this (reply bytes or negative code).
    pub raw_reply: Option<Result<Vec<u8>, i64>>,
}

thread_local! {
    static HOST: RefCell<MockHost> = RefCell::new(MockHost::default());
}

/// Starts this thread's stand-in editor afresh.
pub fn reset() {
    HOST.with(|h| *h.borrow_mut() = MockHost::default());
}

/// Runs `f` on this thread's stand-in editor.
pub fn with<R>(f: impl FnOnce(&mut MockHost) -> R) -> R {
    HOST.with(|h| f(&mut h.borrow_mut()))
}

/// Creates or replaces buffer `buf` (the first buffer created becomes current).
pub fn set_lines(buf: Buffer, lines: &[&str]) {
    with(|h| {
        let lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        match h.buffers.iter_mut().find(|(id, _)| *id == buf.0) {
            Some(b) => b.1 = lines,
            None => h.buffers.push((buf.0, lines)),
        }
        if h.current_buffer == 0 {
            h.current_buffer = buf.0;
        }
    })
}

/// The lines of buffer `buf` (empty if it does not exist).
pub fn lines(buf: Buffer) -> Vec<String> {
    with(|h| h.buffer(buf.0).cloned().unwrap_or_default())
}

/// Sets an option's text.
pub fn set_option(key: &str, value: &str) {
    with(|h| {
        h.options.retain(|(k, _)| k != key);
        h.options.push((key.to_string(), value.to_string()));
    })
}

impl MockHost {
    fn resolve(&self, id: i32) -> i32 {
        if id == 0 {
            self.current_buffer
        } else {
            id
        }
    }

    fn buffer(&self, id: i32) -> Option<&Vec<String>> {
        let id = self.resolve(id);
        self.buffers.iter().find(|(i, _)| *i == id).map(|(_, l)| l)
    }

    fn buffer_mut(&mut self, id: i32) -> Option<&mut Vec<String>> {
        let id = self.resolve(id);
        self.buffers.iter_mut().find(|(i, _)| *i == id).map(|(_, l)| l)
    }

    /// Applies `f` to the buffer's text as one string; -1 if `f` refuses.
    fn edit_text(&mut self, id: i32, f: impl FnOnce(&mut Vec<char>) -> bool) -> i32 {
        let Some(lines) = self.buffer_mut(id) else { return -1 };
        let mut text: Vec<char> = lines.join("\n").chars().collect();
        if !f(&mut text) {
            return -1;
        }
        *lines = text.into_iter().collect::<String>().split('\n').map(str::to_string).collect();
        0
    }

    /// Neovim's index rule for line ranges: negative counts from past the end.
    fn index(len: usize, i: i64) -> Option<usize> {
        let len = len as i64;
        let i = if i < 0 { len + 1 + i } else { i };
        (0..=len).contains(&i).then_some(i as usize)
    }

    fn api(&mut self, method: &str, args: &[Value]) -> Result<Value, String> {
        let int =
            |i: usize| args.get(i).and_then(Value::as_i64).ok_or_else(|| format!("Wrong type for argument {}", i + 1));
        let buf = |h: &MockHost| -> Result<i32, String> {
            let id = int(0)? as i32;
            h.buffer(id).map(|_| h.resolve(id)).ok_or(format!("Invalid buffer id: {id}"))
        };
        match method {
            "rtdvi_api_version" => Ok(Value::Map(vec![
                ("api_level".into(), 1.into()),
                ("functions".into(), Value::from(MOCK_FUNCTIONS.to_vec())),
            ])),
            "nvim_get_current_buf" => Ok(self.current_buffer.into()),
            "nvim_list_bufs" => Ok(Value::Array(self.buffers.iter().map(|(id, _)| Value::from(*id)).collect())),
            "nvim_buf_line_count" => {
                let id = buf(self)?;
                Ok((self.buffer(id).map_or(0, Vec::len) as i64).into())
            }
            "nvim_buf_get_name" => {
                let id = buf(self)?;
                Ok(self.names.iter().find(|(i, _)| *i == id).map_or(String::new(), |(_, n)| n.clone()).into())
            }
            "nvim_buf_get_lines" | "nvim_buf_set_lines" => {
                let id = buf(self)?;
                let lines = self.buffer_mut(id).ok_or("Invalid buffer")?;
                let (s, e) = (int(1)?, int(2)?);
                let (Some(s), Some(e)) = (Self::index(lines.len(), s), Self::index(lines.len(), e)) else {
                    return Err("Index out of bounds".into());
                };
                if s > e {
                    return Err("'start' is higher than 'end'".into());
                }
                if method == "nvim_buf_get_lines" {
                    return Ok(Value::from(lines[s..e].to_vec()));
                }
                let new = args.get(4).and_then(Value::as_array).ok_or("Wrong type for argument 5")?;
                let new: Vec<String> = new.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect();
                lines.splice(s..e, new);
                Ok(Value::Nil)
            }
            _ => Err(format!("Invalid method: {method}")),
        }
    }
}

/// API entries the stand-in answers.
const MOCK_FUNCTIONS: &[&str] = &[
    "nvim_buf_get_lines",
    "nvim_buf_get_name",
    "nvim_buf_line_count",
    "nvim_buf_set_lines",
    "nvim_get_current_buf",
    "nvim_list_bufs",
    "rtdvi_api_version",
];

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Copies `src` into `out` as the host does (truncated); returns the count.
fn copy_out(src: &[u8], out: &mut [u8]) -> i32 {
    let n = src.len().min(out.len());
    out[..n].copy_from_slice(&src[..n]);
    n as i32
}

fn register(list: &mut Vec<String>, name: &[u8]) -> i32 {
    let name = text(name);
    if name.is_empty() || list.contains(&name) {
        return -1;
    }
    list.push(name);
    0
}

/// The `crate::sys` functions, answered by the stand-in.
pub(crate) mod backend {
    use super::*;

    pub fn log(msg: &[u8]) {
        with(|h| h.log.push(text(msg)))
    }
    pub fn set_status(msg: &[u8]) {
        with(|h| h.status.push(text(msg)))
    }
    pub fn register_command(name: &[u8]) -> i32 {
        with(|h| register(&mut h.commands, name))
    }
    pub fn register_plugin_manager(ext: &[u8]) -> i32 {
        with(|h| register(&mut h.plugin_managers, ext))
    }
    pub fn register_indent_provider(filetype: &[u8]) -> i32 {
        with(|h| register(&mut h.indent_providers, filetype))
    }
    pub fn bind_key(mode: &[u8], keys: &[u8], func: &[u8]) -> i32 {
        with(|h| h.keys.push((text(mode), text(keys), text(func))));
        0
    }
    pub fn subscribe(kinds: &[u8]) -> i32 {
        with(|h| h.subscriptions.push(text(kinds)));
        0
    }
    pub fn active_buffer_id() -> i32 {
        with(|h| h.current_buffer)
    }
    pub fn active_window_id() -> i32 {
        1
    }
    pub fn line_count(buf: i32) -> i32 {
        with(|h| h.buffer(buf).map_or(-1, |l| l.len() as i32))
    }
    pub fn get_line(buf: i32, row: i32, out: &mut [u8]) -> i32 {
        with(|h| {
            let line = h.buffer(buf).and_then(|l| usize::try_from(row).ok().and_then(|r| l.get(r)));
            line.map_or(-1, |l| copy_out(l.as_bytes(), out))
        })
    }
    pub fn get_cursor(win: i32) -> i64 {
        if win != 0 && win != 1 {
            return -1;
        }
        with(|h| ((h.cursor.0 as i64) << 32) | h.cursor.1 as i64)
    }
    pub fn set_cursor(win: i32, row: i32, col: i32) -> i32 {
        with(|h| {
            let Some(line) = h.buffer(0).and_then(|l| usize::try_from(row).ok().and_then(|r| l.get(r))) else {
                return -1;
            };
            if (win != 0 && win != 1) || col < 0 {
                return -1;
            }
            h.cursor = (row as u32, (col as u32).min(line.chars().count() as u32));
            0
        })
    }
    pub fn insert_text(buf: i32, char_pos: i32, ins: &[u8]) -> i32 {
        let Ok(ins) = std::str::from_utf8(ins) else { return -2 };
        with(|h| {
            h.edit_text(buf, |t| {
                let Some(at) = usize::try_from(char_pos).ok().filter(|p| *p <= t.len()) else { return false };
                t.splice(at..at, ins.chars());
                true
            })
        })
    }
    pub fn delete_text(buf: i32, start: i32, end: i32) -> i32 {
        with(|h| {
            h.edit_text(buf, |t| {
                let (Ok(s), Ok(e)) = (usize::try_from(start), usize::try_from(end)) else { return false };
                if s > e || e > t.len() {
                    return false;
                }
                t.drain(s..e);
                true
            })
        })
    }
    pub fn get_option_str(key: &[u8], out: &mut [u8]) -> i32 {
        let key = text(key);
        with(|h| h.options.iter().find(|(k, _)| *k == key).map_or(-1, |(_, v)| copy_out(v.as_bytes(), out)))
    }
    pub fn call(method: &[u8], args: &[u8]) -> Result<Vec<u8>, i64> {
        if let Some(forced) = with(|h| h.raw_reply.take()) {
            return forced;
        }
        let Ok(Value::Array(args)) = msgpack::decode(args) else { return Err(-1) };
        let method = std::str::from_utf8(method).map_err(|_| -2i64)?;
        let reply = match with(|h| h.api(method, &args)) {
            Ok(v) => vec![Value::Nil, v],
            Err(e) => vec![Value::Str(e), Value::Nil],
        };
        Ok(Value::Array(reply).to_bytes())
    }
}
