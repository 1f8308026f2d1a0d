//! Buffer entries: `nvim_buf_*`.

use rmpv::Value;

/// This module's entries of the API table.
pub(super) static ENTRIES: &[ApiEntry] = &[
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
use crate::editor::Editor;
use rtdvi_core::changeset::{ChangeSet, Edit};

/// `(buffer)`.
pub(super) const BUF_ONLY: &[(&str, &str)] = &[("buffer", "Buffer")];
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
    editor.apply_change(buf, change).map_err(|e| ApiError::Msg(e.to_string()))?;
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
    let change = ChangeSet::from_edits(len, [Edit { start, end, text: text.to_string() }])
        .map_err(|e| ApiError::Msg(e.to_string()))?;
    editor.apply_change(buf, change).map_err(|e| ApiError::Msg(e.to_string()))
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
