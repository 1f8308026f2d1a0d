//! Buffer entries: `nvim_buf_*`.

use rmpv::Value;

/// This module's entries of the API table.
pub(super) static ENTRIES: &[ApiEntry] = &[
    ApiEntry { name: "nvim_buf_attach", params: BUF_ATTACH, returns: "Boolean", func: attach },
    ApiEntry { name: "nvim_buf_call", params: BUF_CALL, returns: "Object", func: buf_call },
    ApiEntry { name: "nvim_buf_delete", params: BUF_DELETE, returns: "nil", func: delete },
    ApiEntry { name: "nvim_buf_get_changedtick", params: BUF_ONLY, returns: "Integer", func: get_changedtick },
    ApiEntry { name: "nvim_buf_get_mark", params: GET_MARK, returns: "Array", func: get_mark },
    ApiEntry { name: "nvim_buf_is_loaded", params: BUF_ONLY, returns: "Boolean", func: is_loaded },
    ApiEntry { name: "nvim_buf_is_valid", params: BUF_ONLY, returns: "Boolean", func: is_valid },
    ApiEntry { name: "nvim_create_buf", params: CREATE_BUF, returns: "Buffer", func: create_buf },
    ApiEntry { name: "nvim_get_current_line", params: &[], returns: "String", func: get_current_line },
    ApiEntry { name: "nvim_set_current_buf", params: BUF_ONLY, returns: "nil", func: set_current_buf },
    ApiEntry { name: "nvim_set_current_line", params: LINE, returns: "nil", func: set_current_line },
    ApiEntry { name: "nvim_buf_get_lines", params: GET_LINES, returns: "Array", func: get_lines },
    ApiEntry { name: "nvim_buf_get_name", params: BUF_ONLY, returns: "String", func: get_name },
    ApiEntry { name: "nvim_buf_get_text", params: GET_TEXT, returns: "Array", func: get_text },
    ApiEntry { name: "nvim_buf_line_count", params: BUF_ONLY, returns: "Integer", func: line_count },
    ApiEntry { name: "nvim_buf_set_lines", params: SET_LINES, returns: "nil", func: set_lines },
    ApiEntry { name: "nvim_buf_set_name", params: SET_NAME, returns: "nil", func: set_name },
    ApiEntry { name: "nvim_buf_set_text", params: SET_TEXT, returns: "nil", func: set_text },
];

use super::{ApiEntry, ApiError, Args};
use crate::buffer::BufferId;
use crate::cursor_follow::ApiEdit;
use crate::editor::Editor;
use rtdvi_core::changeset::{ChangeSet, Edit};

/// `(buffer)`.
pub(super) const BUF_ONLY: &[(&str, &str)] = &[("buffer", "Buffer")];
/// `(buffer, send_buffer, opts)`.
const BUF_ATTACH: &[(&str, &str)] = &[("buffer", "Buffer"), ("send_buffer", "Boolean"), ("opts", "Dictionary")];
/// `(buffer, fun)`.
const BUF_CALL: &[(&str, &str)] = &[("buffer", "Buffer"), ("fun", "LuaRef")];
/// `(buffer, opts)`.
const BUF_DELETE: &[(&str, &str)] = &[("buffer", "Buffer"), ("opts", "Dictionary")];
/// `(buffer, name)`.
const GET_MARK: &[(&str, &str)] = &[("buffer", "Buffer"), ("name", "String")];
/// `(listed, scratch)`.
const CREATE_BUF: &[(&str, &str)] = &[("listed", "Boolean"), ("scratch", "Boolean")];
/// `(line)`.
const LINE: &[(&str, &str)] = &[("line", "String")];
/// `nvim_buf_get_lines` parameters.
pub(super) const GET_LINES: &[(&str, &str)] =
    &[("buffer", "Buffer"), ("start", "Integer"), ("end", "Integer"), ("strict_indexing", "Boolean")];
/// `nvim_buf_set_lines` parameters.
pub(super) const SET_LINES: &[(&str, &str)] = &[
    ("buffer", "Buffer"),
    ("start", "Integer"),
    ("end", "Integer"),
    ("strict_indexing", "Boolean"),
    ("replacement", "ArrayOf(String)"),
];
/// `nvim_buf_get_text` parameters.
pub(super) const GET_TEXT: &[(&str, &str)] = &[
    ("buffer", "Buffer"),
    ("start_row", "Integer"),
    ("start_col", "Integer"),
    ("end_row", "Integer"),
    ("end_col", "Integer"),
    ("opts", "Dictionary?"),
];
/// `nvim_buf_set_text` parameters.
pub(super) const SET_TEXT: &[(&str, &str)] = &[
    ("buffer", "Buffer"),
    ("start_row", "Integer"),
    ("start_col", "Integer"),
    ("end_row", "Integer"),
    ("end_col", "Integer"),
    ("replacement", "ArrayOf(String)"),
];
/// `nvim_buf_set_name` parameters.
pub(super) const SET_NAME: &[(&str, &str)] = &[("buffer", "Buffer"), ("name", "String")];

/// Resolves a line index of get/set_lines: negative counts from one past the end (`-1` is the
/// end); `None` when strict indexing is asked and the index is outside `0..=count`.
fn line_index(index: i64, count: usize, strict: bool) -> Option<usize> {
    let count = i64::try_from(count).unwrap_or(i64::MAX);
    let i = if index < 0 { count.saturating_add(1).saturating_add(index) } else { index };
    if strict && !(0..=count).contains(&i) {
        return None;
    }
    usize::try_from(i.clamp(0, count)).ok()
}

/// A 0-based row of get/set_text (negative counts from the end: `-1` is the last line).
fn text_row(index: i64, count: usize) -> Option<usize> {
    let c = i64::try_from(count).ok()?;
    let i = if index < 0 { c.checked_add(index)? } else { index };
    if (0..c).contains(&i) {
        usize::try_from(i).ok()
    } else {
        None
    }
}

/// The char column of byte column `byte` in `line`; `None` past the end. A byte inside a
/// multi-byte character resolves to that character's start.
pub(super) fn byte_to_char_col(line: &str, byte: usize) -> Option<usize> {
    if byte > line.len() {
        return None;
    }
    Some(line.char_indices().take_while(|(b, _)| *b < byte).count() - usize::from(!line.is_char_boundary(byte)))
}

/// The byte column of char column `col` in `line` (clamped to the line's end).
pub(super) fn char_to_byte_col(line: &str, col: usize) -> usize {
    line.char_indices().nth(col).map_or(line.len(), |(b, _)| b)
}

fn lines_of(editor: &Editor, buf: BufferId) -> Result<&crate::buffer::Buffer, ApiError> {
    editor.buffers.get(&buf).ok_or(ApiError::InvalidBuffer(i64::from(buf.0)))
}

fn no_newlines(lines: &[String]) -> Result<(), ApiError> {
    if lines.iter().any(|l| l.contains('\n')) {
        return Err(ApiError::Msg("'replacement string' item contains newlines".to_string()));
    }
    Ok(())
}

/// `nvim_buf_line_count(buffer)`.
pub(super) fn line_count(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    Ok(Value::from(lines_of(editor, buf)?.line_count()))
}

/// `nvim_buf_get_lines(buffer, start, end, strict_indexing)`.
pub(super) fn get_lines(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let (start, end, strict) = (a.int()?, a.int()?, a.bool()?);
    let b = lines_of(editor, buf)?;
    let count = b.line_count();
    let (Some(s), Some(e)) = (line_index(start, count, strict), line_index(end, count, strict)) else {
        return Err(ApiError::IndexOutOfBounds);
    };
    // Neovim returns nothing (no error) for an empty or reversed range.
    Ok(Value::Array((s..e.max(s)).map(|r| Value::from(b.line(r))).collect()))
}

/// `nvim_buf_set_lines(buffer, start, end, strict_indexing, replacement)`.
pub(super) fn set_lines(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let (start, end, strict) = (a.int()?, a.int()?, a.bool()?);
    let lines = a.strings()?;
    no_newlines(&lines)?;
    let b = lines_of(editor, buf)?;
    let count = b.line_count();
    let (Some(s), Some(e)) = (line_index(start, count, strict), line_index(end, count, strict)) else {
        return Err(ApiError::IndexOutOfBounds);
    };
    if s > e {
        return Err(ApiError::Msg("'start' is higher than 'end'".to_string()));
    }
    let change = b.lines_change(s, e, &lines).map_err(|e| ApiError::Msg(e.to_string()))?;
    let edit = ApiEdit::Lines { start: s, end: e.min(count), count: lines.len() };
    editor.apply_api_change(buf, change, edit).map_err(|e| ApiError::Msg(e.to_string()))?;
    Ok(Value::Nil)
}

/// The char offsets of a (row, byte col) pair for get/set_text.
fn text_pos(b: &crate::buffer::Buffer, row: i64, col: i64, what: &str) -> Result<usize, ApiError> {
    let r = text_row(row, b.line_count()).ok_or(ApiError::IndexOutOfBounds)?;
    let line = b.line(r);
    let byte = usize::try_from(col).map_err(|_| ApiError::Msg(format!("Invalid '{what}': out of range")))?;
    let c = byte_to_char_col(&line, byte).ok_or_else(|| ApiError::Msg(format!("Invalid '{what}': out of range")))?;
    Ok(b.line_start(r) + c)
}

/// `nvim_buf_get_text(buffer, start_row, start_col, end_row, end_col, opts)`: rows end-inclusive,
/// byte columns end-exclusive.
pub(super) fn get_text(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let (sr, sc, er, ec) = (a.int()?, a.int()?, a.int()?, a.int()?);
    a.opts()?;
    let b = lines_of(editor, buf)?;
    let start = text_pos(b, sr, sc, "start_col")?;
    let end = text_pos(b, er, ec, "end_col")?;
    if start > end {
        return Err(ApiError::Msg("'start' is higher than 'end'".to_string()));
    }
    let text = b.text.slice(start..end).to_string();
    Ok(Value::Array(text.split('\n').map(Value::from).collect()))
}

/// `nvim_buf_set_text(buffer, start_row, start_col, end_row, end_col, replacement)`.
pub(super) fn set_text(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let (sr, sc, er, ec) = (a.int()?, a.int()?, a.int()?, a.int()?);
    let lines = a.strings()?;
    no_newlines(&lines)?;
    let b = lines_of(editor, buf)?;
    let start = text_pos(b, sr, sc, "start_col")?;
    let end = text_pos(b, er, ec, "end_col")?;
    if start > end {
        return Err(ApiError::Msg("'start' is higher than 'end'".to_string()));
    }
    replace_chars(editor, buf, start, end, &lines.join("\n"))?;
    Ok(Value::Nil)
}

/// Replaces the chars `start..end` of `buf` by `text` (shared by set_text and the ABI's
/// character-offset imports, so both go through the same change path).
pub fn replace_chars(editor: &mut Editor, buf: BufferId, start: usize, end: usize, text: &str) -> Result<(), ApiError> {
    let b = lines_of(editor, buf)?;
    let len = b.text.len_chars();
    if start > end || end > len {
        return Err(ApiError::IndexOutOfBounds);
    }
    let row_col = |off: usize| {
        let row = b.text.char_to_line(off);
        (row, off - b.line_start(row))
    };
    let (from, to) = (row_col(start), row_col(end));
    let lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let change = ChangeSet::from_edits(len, [Edit { start, end, text: text.to_string() }])
        .map_err(|e| ApiError::Msg(e.to_string()))?;
    let edit = ApiEdit::Text { start: from, end: to, lines: &lines };
    editor.apply_api_change(buf, change, edit).map_err(|e| ApiError::Msg(e.to_string()))
}

/// `nvim_buf_get_name(buffer)`: the full path, or "" for a buffer without a name.
pub(super) fn get_name(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let name = lines_of(editor, buf)?.path.as_ref().map(|p| editor.absolute(p).display().to_string());
    Ok(Value::from(name.unwrap_or_default()))
}

/// `nvim_buf_set_name(buffer, name)`.
pub(super) fn set_name(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let name = a.string()?;
    if name.is_empty() {
        if let Some(b) = editor.buffers.get_mut(&buf) {
            b.path = None;
        }
        return Ok(Value::Nil);
    }
    let path = std::path::PathBuf::from(name);
    if editor.find_buffer_by_path(&path).is_some_and(|other| other != buf) {
        return Err(ApiError::Msg("Failed to rename buffer".to_string()));
    }
    if let Some(b) = editor.buffers.get_mut(&buf) {
        b.path = Some(path);
        // A renamed buffer no longer matches its old file (Vim sets 'nomodified' off too).
        b.file_meta = None;
        b.stamp = None;
    }
    Ok(Value::Nil)
}

/// `nvim_buf_is_valid(buffer)`.
pub(super) fn is_valid(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let n = a.int()?;
    Ok(Value::from(super::args::resolve_buffer(editor, n).is_ok()))
}

/// `nvim_buf_is_loaded(buffer)`: every buffer rtdvi keeps is loaded (there is no unloaded state).
pub(super) fn is_loaded(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let n = a.int()?;
    Ok(Value::from(super::args::resolve_buffer(editor, n).is_ok()))
}

/// `nvim_buf_get_changedtick(buffer)`: `b:changedtick`.
pub(super) fn get_changedtick(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    Ok(Value::from(lines_of(editor, buf)?.changedtick))
}

/// `nvim_buf_get_mark(buffer, name)`: `[row, col]`, row 1-based and col a byte offset; `[0, 0]`
/// for a mark that is not set (file marks `A`-`Z` and `0`-`9` are not kept yet: always unset).
pub(super) fn get_mark(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let name = a.string()?;
    let mut chars = name.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return Err(ApiError::Msg(format!("Invalid mark name (must be a single char): '{name}'")));
    };
    if !(c.is_ascii_alphanumeric() || "<>[]'`\"^.".contains(c)) {
        return Err(ApiError::Msg(format!("Invalid mark name: '{name}'")));
    }
    let b = lines_of(editor, buf)?;
    let c = if c == '`' { '\'' } else { c };
    let pos = b.mark(c);
    let Some(p) = pos else { return Ok(Value::Array(vec![Value::from(0), Value::from(0)])) };
    let (row, col) = b.char_to_pos(p);
    // Vim's MAXCOL, as Neovim reports it.
    let byte = if b.mark_at_line_end(c) { 2147483647 } else { char_to_byte_col(&b.line(row), col) };
    Ok(Value::Array(vec![Value::from(row + 1), Value::from(byte)]))
}

/// `nvim_create_buf(listed, scratch)`: a new buffer shown nowhere; a scratch buffer is
/// `buftype=nofile bufhidden=hide noswapfile`, as in Neovim.
pub(super) fn create_buf(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let listed = a.bool()?;
    let scratch = a.bool()?;
    let id = editor.create_buffer(None);
    if let Some(b) = editor.buffers.get_mut(&id) {
        b.listed = listed;
        let set = |b: &mut crate::buffer::Buffer, name: &str, v: crate::options::OptionValue| {
            b.options.set(crate::options::id(name), v);
        };
        set(b, "buflisted", crate::options::OptionValue::Bool(listed));
        if scratch {
            set(b, "buftype", crate::options::OptionValue::String("nofile".into()));
            set(b, "bufhidden", crate::options::OptionValue::String("hide".into()));
            set(b, "swapfile", crate::options::OptionValue::Bool(false));
        }
    }
    Ok(Value::from(id.0))
}

/// `nvim_buf_delete(buffer, {force, unload})`: wipes the buffer out (`:bwipeout`); `unload`
/// does the same, since rtdvi keeps no unloaded buffers.
pub(super) fn delete(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let mut force = false;
    for (k, v) in a.opts()? {
        match k {
            "force" => force = super::args::opt_bool(k, v)?,
            "unload" => {
                super::args::opt_bool(k, v)?;
            }
            other => return Err(super::args::invalid_key(other)),
        }
    }
    let cmd = format!("bwipeout{} {}", if force { "!" } else { "" }, buf.0);
    editor.execute_ex(&cmd).map_err(|e| ApiError::Msg(format!("Vim:{e}")))?;
    Ok(Value::Nil)
}

/// `nvim_get_current_line()`.
pub(super) fn get_current_line(editor: &mut Editor, _: &mut Args<'_>) -> Result<Value, ApiError> {
    Ok(Value::from(editor.buf().line(editor.cursor().row)))
}

/// `nvim_set_current_line(line)`.
pub(super) fn set_current_line(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let line = a.string()?.to_string();
    let lines = [line];
    no_newlines(&lines)?;
    let (buf, row) = (editor.buf_id(), editor.cursor().row);
    let change = editor.buf().lines_change(row, row + 1, &lines).map_err(|e| ApiError::Msg(e.to_string()))?;
    editor.apply_change(buf, change).map_err(|e| ApiError::Msg(e.to_string()))?;
    Ok(Value::Nil)
}

/// `nvim_set_current_buf(buffer)`: shows the buffer in the current window.
pub(super) fn set_current_buf(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    editor.switch_to_buffer(buf);
    Ok(Value::Nil)
}

/// `nvim_buf_call(buffer, fun)`: calls `fun` with `buffer` current: in a window of the current tab
/// page showing it if there is one, otherwise in the current window, which shows `buffer` for the
/// call's duration (no autocmds fire either way, as in Neovim).
pub(super) fn buf_call(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let cb = a.callback()?;
    if editor.buf_id() == buf {
        return editor.run_callback(cb, Vec::new()).map_err(call_error);
    }
    let shown = editor.tab_windows().into_iter().find(|w| editor.window(*w).is_some_and(|w| w.buffer == buf));
    if let Some(w) = shown {
        return super::window::with_window(editor, w, |e| e.run_callback(cb, Vec::new())).map_err(call_error);
    }
    let win = editor.current;
    let saved = editor.window(win).map(|w| (w.buffer, w.cursor, w.curswant, w.top_line));
    if let Some(w) = editor.window_mut(win) {
        w.buffer = buf;
        w.cursor = crate::window::Cursor::default();
    }
    let out = editor.run_callback(cb, Vec::new());
    // The original buffer may have been wiped out by the callback: then the window keeps `buf`.
    let restore = saved.filter(|(b, ..)| editor.buffers.contains_key(b));
    if let (Some((b, c, want, top)), Some(w)) = (restore, editor.window_mut(win)) {
        w.buffer = b;
        w.cursor = c;
        w.curswant = want;
        w.top_line = top;
    }
    editor.clamp_cursors(buf);
    out.map_err(call_error)
}

/// The error of a function run by `nvim_buf_call`/`nvim_win_call`, as Neovim words it.
pub(super) fn call_error(raw: String) -> ApiError {
    ApiError::Msg(crate::editor::callback_error("Error executing lua: ", raw))
}

/// `nvim_buf_attach(buffer, send_buffer, opts)`: subscribes `on_lines`, `on_changedtick` and
/// `on_detach` callbacks (see [`crate::attach`]); `on_bytes`, `on_reload`, `utf_sizes` and
/// `preview` are accepted, and `send_buffer` (an RPC notification) does nothing here.
pub(super) fn attach(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let _send_buffer = a.bool()?;
    let mut att = crate::attach::Attachment::default();
    for (k, v) in a.opts()? {
        let cb = || {
            super::callback_id(v).ok_or_else(|| {
                ApiError::Msg(format!("Invalid '{k}': expected Function, got {}", super::args::type_name(v)))
            })
        };
        match k {
            "on_lines" => att.on_lines = Some(cb()?),
            "on_changedtick" => att.on_changedtick = Some(cb()?),
            "on_detach" => att.on_detach = Some(cb()?),
            "on_bytes" | "on_reload" => {
                cb()?;
            }
            "utf_sizes" | "preview" => {
                super::args::opt_bool(k, v)?;
            }
            other => return Err(super::args::invalid_key(other)),
        }
    }
    if let Some(b) = editor.buffers.get_mut(&buf) {
        b.attachments.push(att);
    }
    Ok(Value::from(true))
}
