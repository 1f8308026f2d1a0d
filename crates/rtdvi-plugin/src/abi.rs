//! The rtdvi ABI (seeds/003): every `rtdvi.*` import. Writes go through the editor's API table
//! (`nvim_buf_set_text`, `nvim_win_set_cursor`), as does the generic `rtdvi_call`; the cheap
//! reads (line count, one line, cursor, current ids) read the editor directly because a plugin
//! loop calls them millions of times.
//!
//! Units: rows are 0-based; `char_pos`, `start`, `end` and cursor columns count characters
//! (Unicode scalar values), not bytes. Buffer and window id `0` mean the current one.
//!
//! Return codes of the `-> i32` imports: `>= 0` success (a count where the seed says so), `-1` an
//! argument the editor refuses (unknown buffer, window, row, option, name already taken...), `-2`
//! a pointer/length outside the plugin's memory, a negative length, a string over its bound, or
//! invalid UTF-8. No argument value makes the host panic or trap.

use rmpv::Value;
use rtdvi_editor::api;
use rtdvi_editor::{BufferId, Editor, WindowId};
use rtdvi_wasm::{Caller, Error, FuncType, HostError, Linker, Val, ValType};

use crate::event::EventMask;
use crate::state::{HostState, KeyBinding, Registration, MAX_STRING, MAX_TEXT};

const I32: ValType = ValType::I32;
const I64: ValType = ValType::I64;
/// Module name of every import.
pub const MODULE: &str = "rtdvi";
/// Invalid argument.
pub const EINVAL: i32 = -1;
/// Bad pointer, length, size or UTF-8.
pub const EFAULT: i32 = -2;
/// `rtdvi_call`: the plugin's `alloc` returned an unusable pointer.
pub const ENOMEM: i32 = -3;

type Cx<'a> = Caller<'a, HostState>;

fn arg(params: &[Val], i: usize) -> i32 {
    params.get(i).and_then(Val::i32).unwrap_or(0)
}

fn set(results: &mut [Val], v: Val) {
    if let Some(r) = results.first_mut() {
        *r = v;
    }
}

/// A string argument of at most `bound` bytes (`EFAULT` when unreadable, too long or not UTF-8).
fn text(cx: &mut Cx<'_>, ptr: i32, len: i32, bound: i32) -> Result<String, i32> {
    if !(0..=bound).contains(&len) {
        return Err(EFAULT);
    }
    cx.read_string(ptr, len).map_err(|_| EFAULT)
}

/// The buffer an ABI id names (`0`: the current one).
fn buffer(editor: &Editor, id: i32) -> Option<BufferId> {
    if id == 0 {
        return Some(editor.buf_id());
    }
    let id = BufferId(u32::try_from(id).ok()?);
    editor.buffers.contains_key(&id).then_some(id)
}

/// The window an ABI id names (`0`: the current one).
fn window(editor: &Editor, id: i32) -> Option<WindowId> {
    if id == 0 {
        return Some(editor.current);
    }
    let id = WindowId(u32::try_from(id).ok()?);
    editor.window(id).map(|w| w.id)
}

/// How many bytes of `s` fit in `max` bytes without cutting a character.
fn fitting(s: &str, max: usize) -> usize {
    let mut n = s.len().min(max);
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    n
}

/// Copies as much of `s` as fits in `max` bytes (cut at a character boundary) to `out`; returns
/// the count copied.
fn copy_out(cx: &mut Cx<'_>, out: i32, max: i32, s: &str) -> i32 {
    let Ok(max) = usize::try_from(max) else { return EFAULT };
    let n = fitting(s, max);
    match cx.write(out, s.as_bytes().get(..n).unwrap_or_default()) {
        Ok(()) => i32::try_from(n).unwrap_or(EFAULT),
        Err(_) => EFAULT,
    }
}

/// Defines an import whose failures are all return codes (none traps).
fn define(
    linker: &mut Linker<HostState>,
    name: &str,
    params: &[ValType],
    results: &[ValType],
    f: impl Fn(&mut Cx<'_>, &[Val], &mut [Val]) + Send + Sync + 'static,
) -> Result<(), Error> {
    let ty = FuncType::new(params.iter().copied(), results.iter().copied());
    linker.define(MODULE, name, ty, move |cx, p, r| {
        f(cx, p, r);
        Ok::<(), HostError>(())
    })?;
    Ok(())
}

/// Calls an API entry on the lent editor (the call's first one saves the checkpoint).
fn call_api(cx: &mut Cx<'_>, name: &str, args: &[Value]) -> Result<Value, String> {
    let editor = cx.data_mut().editor_mut().ok_or("no editor")?;
    api::call(editor, name, args).map_err(|e| e.to_string())
}

/// Reports a refused registration in one line and returns `EINVAL`.
fn refuse(cx: &mut Cx<'_>, why: String) -> i32 {
    let name = cx.data().plugin.clone();
    if let Some(m) = cx.data_mut().messages() {
        m.error(format!("plugin {name}: {why}"));
    }
    EINVAL
}

/// The linker with every import of the ABI and the WASI subset.
pub(crate) fn linker() -> Result<Linker<HostState>, Error> {
    let mut l = Linker::new();
    l.define_wasi()?;
    define(&mut l, "rtdvi_log", &[I32, I32], &[], |cx, p, _| {
        let line = text(cx, arg(p, 0), arg(p, 1), MAX_STRING).unwrap_or_else(|_| "<invalid string>".to_string());
        cx.data_mut().say(&line, true);
    })?;
    define(&mut l, "rtdvi_set_status", &[I32, I32], &[], |cx, p, _| {
        let line = text(cx, arg(p, 0), arg(p, 1), MAX_STRING).unwrap_or_else(|_| "<invalid string>".to_string());
        cx.data_mut().say(&line, false);
    })?;
    define(&mut l, "rtdvi_register_command", &[I32, I32], &[I32], |cx, p, r| {
        let code = match text(cx, arg(p, 0), arg(p, 1), MAX_STRING) {
            Err(e) => e,
            Ok(name) => register_command(cx, name),
        };
        set(r, Val::I32(code));
    })?;
    define(&mut l, "rtdvi_register_plugin_manager", &[I32, I32], &[I32], |cx, p, r| {
        let code = match text(cx, arg(p, 0), arg(p, 1), MAX_STRING) {
            Err(e) => e,
            Ok(ext) => register_manager(cx, ext),
        };
        set(r, Val::I32(code));
    })?;
    define(&mut l, "rtdvi_register_indent_provider", &[I32, I32], &[I32], |cx, p, r| {
        let code = match text(cx, arg(p, 0), arg(p, 1), MAX_STRING) {
            Err(e) => e,
            Ok(ft) => register_indent(cx, ft),
        };
        set(r, Val::I32(code));
    })?;
    define(&mut l, "rtdvi_bind_key", &[I32, I32, I32, I32, I32, I32], &[I32], |cx, p, r| {
        let parts = (
            text(cx, arg(p, 0), arg(p, 1), MAX_STRING),
            text(cx, arg(p, 2), arg(p, 3), MAX_STRING),
            text(cx, arg(p, 4), arg(p, 5), MAX_STRING),
        );
        let code = match parts {
            (Ok(mode), Ok(keys), Ok(func)) => bind_key(cx, &mode, &keys, func),
            _ => EFAULT,
        };
        set(r, Val::I32(code));
    })?;
    define(&mut l, "rtdvi_subscribe", &[I32, I32], &[I32], |cx, p, r| {
        let code = match text(cx, arg(p, 0), arg(p, 1), MAX_STRING) {
            Err(e) => e,
            Ok(list) => match EventMask::parse(&list) {
                Ok(mask) => {
                    let plugin = cx.data().plugin.clone();
                    cx.data().registry.borrow_mut().subscriptions.insert(plugin, mask);
                    0
                }
                Err(why) => refuse(cx, format!("rtdvi_subscribe: {why}")),
            },
        };
        set(r, Val::I32(code));
    })?;
    define(&mut l, "rtdvi_active_buffer_id", &[], &[I32], |cx, _, r| {
        let v = cx.data_mut().editor().map(|e| i32::try_from(e.buf_id().0).unwrap_or(EINVAL));
        set(r, Val::I32(v.unwrap_or(EINVAL)));
    })?;
    define(&mut l, "rtdvi_active_window_id", &[], &[I32], |cx, _, r| {
        let v = cx.data_mut().editor().map(|e| i32::try_from(e.current.0).unwrap_or(EINVAL));
        set(r, Val::I32(v.unwrap_or(EINVAL)));
    })?;
    define(&mut l, "rtdvi_line_count", &[I32], &[I32], |cx, p, r| {
        let v = cx.data_mut().editor().and_then(|e| {
            let b = e.buffers.get(&buffer(e, arg(p, 0))?)?;
            i32::try_from(b.line_count()).ok()
        });
        set(r, Val::I32(v.unwrap_or(EINVAL)));
    })?;
    define(&mut l, "rtdvi_get_line", &[I32, I32, I32, I32], &[I32], |cx, p, r| {
        let (buf, row, out, max) = (arg(p, 0), arg(p, 1), arg(p, 2), arg(p, 3));
        let code = get_line(cx, buf, row, out, max);
        set(r, Val::I32(code));
    })?;
    define(&mut l, "rtdvi_get_cursor", &[I32], &[I64], |cx, p, r| {
        let v = cx.data_mut().editor().and_then(|e| {
            let w = e.window(window(e, arg(p, 0))?)?;
            let (row, col) = (i64::try_from(w.cursor.row).ok()?, i64::try_from(w.cursor.col).ok()?);
            Some((row << 32) | (col & 0xffff_ffff))
        });
        set(r, Val::I64(v.unwrap_or(-1)));
    })?;
    define(&mut l, "rtdvi_set_cursor", &[I32, I32, I32], &[I32], |cx, p, r| {
        let code = set_cursor(cx, arg(p, 0), arg(p, 1), arg(p, 2));
        set(r, Val::I32(code));
    })?;
    define(&mut l, "rtdvi_insert_text", &[I32, I32, I32, I32], &[I32], |cx, p, r| {
        let code = match text(cx, arg(p, 2), arg(p, 3), MAX_TEXT) {
            Err(e) => e,
            Ok(t) => replace(cx, arg(p, 0), arg(p, 1), arg(p, 1), &t),
        };
        set(r, Val::I32(code));
    })?;
    define(&mut l, "rtdvi_delete_text", &[I32, I32, I32], &[I32], |cx, p, r| {
        let code = replace(cx, arg(p, 0), arg(p, 1), arg(p, 2), "");
        set(r, Val::I32(code));
    })?;
    define(&mut l, "rtdvi_get_option_str", &[I32, I32, I32, I32], &[I32], |cx, p, r| {
        let code = match text(cx, arg(p, 0), arg(p, 1), MAX_STRING) {
            Err(e) => e,
            // A pure read: no checkpoint (indent providers read options on every call).
            Ok(key) => match cx
                .data_mut()
                .editor_for_read_entry()
                .map(|e| api::call(e, "nvim_get_option_value", &[Value::from(key)]).map_err(|e| e.to_string()))
            {
                Some(Ok(v)) => {
                    let s = match v {
                        Value::String(s) => s.into_str().unwrap_or_default(),
                        Value::Boolean(b) => if b { "1" } else { "0" }.to_string(),
                        other => other.to_string(),
                    };
                    copy_out(cx, arg(p, 2), arg(p, 3), &s)
                }
                _ => EINVAL,
            },
        };
        set(r, Val::I32(code));
    })?;
    // Not through `define`: a trap inside the guest's `alloc` must end the call with its kind.
    l.define(MODULE, "rtdvi_call", FuncType::new([I32, I32, I32, I32], [I64]), |cx, p, r| {
        let v = generic_call(cx, p)?;
        set(r, Val::I64(v));
        Ok(())
    })?;
    Ok(l)
}

fn register_command(cx: &mut Cx<'_>, name: String) -> i32 {
    if !rtdvi_editor::ex::is_valid_plugin_command_name(&name) || name == crate::bridge::PLUGIN_COMMAND {
        return refuse(cx, format!("invalid command name {name:?} (letters, or an uppercase letter then letters and digits; no built-in name)"));
    }
    let owner = cx.data().owner();
    let taken = cx.data().registry.borrow().commands.get(&name).cloned();
    if let Some(o) = taken {
        return refuse(cx, format!("E174: Command already exists: {name} (registered by plugin {})", o.plugin));
    }
    cx.data().registry.borrow_mut().commands.insert(name.clone(), owner);
    cx.data_mut().pending.push(Registration::Command(name));
    0
}

fn register_manager(cx: &mut Cx<'_>, ext: String) -> i32 {
    let valid =
        ext.len() > 1 && ext.starts_with('.') && ext[1..].chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return refuse(cx, format!("invalid plugin extension {ext:?} (expected one like \".lua\")"));
    }
    let ext = ext.to_ascii_lowercase();
    if matches!(ext.as_str(), ".wasm" | ".wat") {
        return refuse(cx, format!("{ext} plugins are loaded by rtdvi itself"));
    }
    let owner = cx.data().owner();
    let taken = cx.data().registry.borrow().managers.get(&ext).cloned();
    if let Some(o) = taken.filter(|o| o.plugin != owner.plugin) {
        return refuse(cx, format!("plugin {} already manages {ext} plugins", o.plugin));
    }
    cx.data().registry.borrow_mut().managers.insert(ext.clone(), owner);
    cx.data_mut().pending.push(Registration::Manager(ext));
    0
}

fn register_indent(cx: &mut Cx<'_>, ft: String) -> i32 {
    if ft.is_empty() || ft.chars().any(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')) {
        return refuse(cx, format!("invalid filetype {ft:?} for an indent provider"));
    }
    let owner = cx.data().owner();
    let taken = cx.data().registry.borrow().indent.get(&ft).cloned();
    if let Some(o) = taken.filter(|o| *o != owner) {
        return refuse(cx, format!("plugin {} is already the indent provider for {ft}", o.plugin));
    }
    cx.data().registry.borrow_mut().indent.insert(ft.clone(), owner);
    cx.data_mut().pending.push(Registration::Indent(ft));
    0
}

/// The modes a `rtdvi_bind_key` mode string names: Vim's map letters (`n`, `v`, `x`, `s`, `o`,
/// `i`, `c`, `t`, `!`, `""` for `:map`) or the words `normal`, `visual`, `insert`, `command`,
/// `operator`, `select`, `terminal`.
fn modes(mode: &str) -> Option<Vec<rtdvi_editor::vi::MapMode>> {
    let letter = match mode {
        "normal" => "n",
        "visual" => "v",
        "insert" => "i",
        "command" | "cmdline" => "c",
        "operator" => "o",
        "select" => "s",
        "terminal" => "t",
        other => other,
    };
    rtdvi_editor::vi::MapMode::from_prefix(letter)
}

fn bind_key(cx: &mut Cx<'_>, mode: &str, keys: &str, func: String) -> i32 {
    let Some(modes) = modes(mode) else { return refuse(cx, format!("rtdvi_bind_key: unknown mode {mode:?}")) };
    if keys.is_empty() || func.is_empty() {
        return refuse(cx, "rtdvi_bind_key: empty keys or function name".to_string());
    }
    let Some(editor) = cx.data_mut().editor() else { return EINVAL };
    let (leader, localleader) = editor.leaders();
    let lhs = rtdvi_editor::vi::mapping::map_keys(keys, &leader, &localleader);
    if lhs.is_empty() {
        return refuse(cx, format!("rtdvi_bind_key: no keys in {keys:?}"));
    }
    let owner = cx.data().owner();
    let mut reg = cx.data().registry.borrow_mut();
    let id = reg.key_id();
    reg.keys.insert(id, KeyBinding { owner, modes, lhs, func, id });
    drop(reg);
    cx.data_mut().pending.push(Registration::Key(id));
    0
}

fn get_line(cx: &mut Cx<'_>, buf: i32, row: i32, out: i32, max: i32) -> i32 {
    // Memory and editor at once: the line goes from the rope straight into the guest (a plugin
    // loop calls this millions of times; no allocation for a line that sits in one rope chunk).
    let (memory, state) = cx.memory_and_data();
    let Some(editor) = state.editor() else { return EINVAL };
    let Some(b) = buffer(editor, buf).and_then(|id| editor.buffers.get(&id)) else { return EINVAL };
    let Some(line) = usize::try_from(row).ok().and_then(|row| b.line_at(row)) else { return EINVAL };
    let Ok(max) = usize::try_from(max) else { return EFAULT };
    let n = fitting(&line, max);
    let (Some(memory), Ok(len)) = (memory, i32::try_from(n)) else { return EFAULT };
    let Ok(range) = Cx::range(out, len, memory.len()) else { return EFAULT };
    match (memory.get_mut(range), line.as_bytes().get(..n)) {
        (Some(dst), Some(src)) => {
            dst.copy_from_slice(src);
            len
        }
        _ => EFAULT,
    }
}

fn set_cursor(cx: &mut Cx<'_>, win: i32, row: i32, col: i32) -> i32 {
    let Some(editor) = cx.data_mut().editor() else { return EINVAL };
    let Some(w) = window(editor, win) else { return EINVAL };
    let (Ok(row), Ok(col)) = (usize::try_from(row), usize::try_from(col)) else { return EINVAL };
    let Some(b) = editor.window(w).and_then(|w| editor.buffers.get(&w.buffer)) else { return EINVAL };
    if row >= b.line_count() {
        return EINVAL;
    }
    let line = b.line_cow(row);
    let byte = line.char_indices().nth(col).map_or(line.len(), |(i, _)| i);
    let pos = Value::Array(vec![Value::from(row + 1), Value::from(byte)]);
    let args = [Value::from(w.0), pos];
    call_api(cx, "nvim_win_set_cursor", &args).map_or(EINVAL, |_| 0)
}

/// Replaces characters `start..end` of buffer `buf` with `t` (insert: `start == end`).
fn replace(cx: &mut Cx<'_>, buf: i32, start: i32, end: i32, t: &str) -> i32 {
    let Some(editor) = cx.data_mut().editor() else { return EINVAL };
    let Some(id) = buffer(editor, buf) else { return EINVAL };
    let Some(b) = editor.buffers.get(&id) else { return EINVAL };
    let (Ok(start), Ok(end)) = (usize::try_from(start), usize::try_from(end)) else { return EINVAL };
    let len = b.text.len_chars();
    if start > end || end > len {
        return EINVAL;
    }
    let pos = |c: usize| {
        let (row, col) = b.char_to_pos(c);
        let line = b.line_cow(row);
        (row, line.char_indices().nth(col).map_or(line.len(), |(i, _)| i))
    };
    let ((sr, sc), (er, ec)) = (pos(start), pos(end));
    let lines = Value::Array(t.split('\n').map(Value::from).collect());
    let args = [Value::from(id.0), Value::from(sr), Value::from(sc), Value::from(er), Value::from(ec), lines];
    call_api(cx, "nvim_buf_set_text", &args).map_or(EINVAL, |_| 0)
}

/// `rtdvi_call(method_ptr, method_len, args_ptr, args_len) -> i64`: see `doc/plugins.md`.
fn generic_call(cx: &mut Cx<'_>, p: &[Val]) -> Result<i64, HostError> {
    let method = match text(cx, arg(p, 0), arg(p, 1), MAX_STRING) {
        Ok(m) => m,
        Err(e) => return Ok(i64::from(e)),
    };
    let (ap, al) = (arg(p, 2), arg(p, 3));
    if !(0..=MAX_TEXT).contains(&al) {
        return Ok(i64::from(EFAULT));
    }
    let decoded = match cx.slice_mut(ap, al) {
        Ok(bytes) => rmpv::decode::read_value(&mut &bytes[..]).ok(),
        Err(_) => return Ok(i64::from(EFAULT)),
    };
    // An empty argument list may also be given as nothing at all (args_len 0).
    let args = match decoded {
        Some(Value::Array(args)) => args,
        None if al == 0 => Vec::new(),
        _ => return Ok(i64::from(EINVAL)),
    };
    let reply = match call_api(cx, &method, &args) {
        Ok(v) => Value::Array(vec![Value::Nil, v]),
        Err(e) => Value::Array(vec![Value::from(e), Value::Nil]),
    };
    let mut out = Vec::new();
    if rmpv::encode::write_value(&mut out, &reply).is_err() {
        return Ok(i64::from(EINVAL));
    }
    let Ok(len) = i32::try_from(out.len()) else { return Ok(i64::from(ENOMEM)) };
    let mut ptr = [Val::I32(0)];
    cx.call("alloc", &[Val::I32(len)], &mut ptr)?;
    let ptr = ptr[0].i32().unwrap_or(-1);
    if ptr < 0 || cx.write(ptr, &out).is_err() {
        return Ok(i64::from(ENOMEM));
    }
    Ok((i64::from(ptr) << 32) | i64::from(len))
}
