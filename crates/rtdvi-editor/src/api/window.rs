//! Window entries: `nvim_win_*`.

use rmpv::Value;

/// This module's entries of the API table.
pub(super) static ENTRIES: &[ApiEntry] = &[
    ApiEntry { name: "nvim_win_get_buf", params: WIN_ONLY, returns: "Buffer", func: get_buf },
    ApiEntry { name: "nvim_win_get_cursor", params: WIN_ONLY, returns: "Array", func: get_cursor },
    ApiEntry { name: "nvim_win_set_cursor", params: SET_CURSOR, returns: "nil", func: set_cursor },
];

use super::buffer::{byte_to_char_col, char_to_byte_col};
use super::{ApiEntry, ApiError, Args};
use crate::editor::Editor;

/// `(window)`.
pub(super) const WIN_ONLY: &[(&str, &str)] = &[("window", "Window")];
/// `nvim_win_set_cursor` parameters.
pub(super) const SET_CURSOR: &[(&str, &str)] = &[("window", "Window"), ("pos", "ArrayOf(Integer, 2)")];

/// `nvim_win_get_buf(window)`.
pub(super) fn get_buf(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let win = a.window(editor)?;
    let w = editor.window(win).ok_or(ApiError::InvalidWindow(i64::from(win.0)))?;
    Ok(Value::from(w.buffer.0))
}

/// `nvim_win_get_cursor(window)`: `[row, col]`, row 1-based, col a byte offset.
pub(super) fn get_cursor(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let win = a.window(editor)?;
    let w = editor.window(win).ok_or(ApiError::InvalidWindow(i64::from(win.0)))?;
    let line = editor.buffers.get(&w.buffer).map(|b| b.line(w.cursor.row)).unwrap_or_default();
    let col = char_to_byte_col(&line, w.cursor.col);
    Ok(Value::Array(vec![Value::from(w.cursor.row + 1), Value::from(col)]))
}

/// `nvim_win_set_cursor(window, {row, col})`: a row outside the buffer is an error, a column past
/// the end of the line is clamped (Neovim's rule).
pub(super) fn set_cursor(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let win = a.window(editor)?;
    let pos = a.array()?;
    let (Some(row), Some(col)) = (pos.first().and_then(Value::as_i64), pos.get(1).and_then(Value::as_i64)) else {
        return Err(ApiError::Msg("Argument \"pos\" must be a [row, col] array".to_string()));
    };
    if pos.len() != 2 {
        return Err(ApiError::Msg("Argument \"pos\" must be a [row, col] array".to_string()));
    }
    let buf = editor.window(win).ok_or(ApiError::InvalidWindow(i64::from(win.0)))?.buffer;
    let b = editor.buffers.get(&buf).ok_or(ApiError::InvalidBuffer(i64::from(buf.0)))?;
    let count = i64::try_from(b.line_count()).unwrap_or(i64::MAX);
    if row < 1 || row > count {
        return Err(ApiError::Msg("Cursor position outside buffer".to_string()));
    }
    if col < 0 {
        return Err(ApiError::Msg("Column value outside range".to_string()));
    }
    let r = usize::try_from(row - 1).unwrap_or(0);
    let line = b.line(r);
    let byte = usize::try_from(col).unwrap_or(usize::MAX).min(line.len());
    let c = byte_to_char_col(&line, byte).unwrap_or(0);
    // Normal mode: the cursor sits on a character, not after the last one.
    let c = c.min(line.chars().count().saturating_sub(1));
    if let Some(w) = editor.window_mut(win) {
        w.cursor = crate::window::Cursor { row: r, col: c };
        w.curswant = c;
    }
    Ok(Value::Nil)
}
