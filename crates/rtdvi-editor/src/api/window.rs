//! Window entries: `nvim_win_*`.

use rmpv::Value;

/// This module's entries of the API table.
pub(super) static ENTRIES: &[ApiEntry] = &[
    ApiEntry { name: "nvim_get_current_win", params: &[], returns: "Window", func: get_current_win },
    ApiEntry { name: "nvim_list_wins", params: &[], returns: "Array", func: list_wins },
    ApiEntry { name: "nvim_set_current_win", params: WIN_ONLY, returns: "nil", func: set_current_win },
    ApiEntry { name: "nvim_win_call", params: WIN_CALL, returns: "Object", func: win_call },
    ApiEntry { name: "nvim_win_close", params: WIN_FORCE, returns: "nil", func: close },
    ApiEntry { name: "nvim_win_get_buf", params: WIN_ONLY, returns: "Buffer", func: get_buf },
    ApiEntry { name: "nvim_win_get_cursor", params: WIN_ONLY, returns: "Array", func: get_cursor },
    ApiEntry { name: "nvim_win_get_height", params: WIN_ONLY, returns: "Integer", func: get_height },
    ApiEntry { name: "nvim_win_get_number", params: WIN_ONLY, returns: "Integer", func: get_number },
    ApiEntry { name: "nvim_win_get_position", params: WIN_ONLY, returns: "Array", func: get_position },
    ApiEntry { name: "nvim_win_get_tabpage", params: WIN_ONLY, returns: "Tabpage", func: get_tabpage },
    ApiEntry { name: "nvim_win_get_width", params: WIN_ONLY, returns: "Integer", func: get_width },
    ApiEntry { name: "nvim_win_hide", params: WIN_ONLY, returns: "nil", func: hide },
    ApiEntry { name: "nvim_win_is_valid", params: WIN_ONLY, returns: "Boolean", func: is_valid },
    ApiEntry { name: "nvim_win_set_buf", params: SET_BUF, returns: "nil", func: set_buf },
    ApiEntry { name: "nvim_win_set_cursor", params: SET_CURSOR, returns: "nil", func: set_cursor },
    ApiEntry { name: "nvim_win_set_height", params: SET_SIZE, returns: "nil", func: set_height },
    ApiEntry { name: "nvim_win_set_width", params: SET_SIZE, returns: "nil", func: set_width },
];

use super::buffer::{byte_to_char_col, char_to_byte_col};
use super::{ApiEntry, ApiError, Args};
use crate::editor::Editor;
use crate::window::WindowId;

/// `(window)`.
pub(super) const WIN_ONLY: &[(&str, &str)] = &[("window", "Window")];
/// `(window, force)`.
const WIN_FORCE: &[(&str, &str)] = &[("window", "Window"), ("force", "Boolean")];
/// `(window, fun)`.
const WIN_CALL: &[(&str, &str)] = &[("window", "Window"), ("fun", "LuaRef")];
/// `(window, buffer)`.
const SET_BUF: &[(&str, &str)] = &[("window", "Window"), ("buffer", "Buffer")];
/// `(window, size)`.
const SET_SIZE: &[(&str, &str)] = &[("window", "Window"), ("size", "Integer")];
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

fn win_ref(editor: &Editor, win: WindowId) -> Result<&crate::window::Window, ApiError> {
    editor.window(win).ok_or(ApiError::InvalidWindow(i64::from(win.0)))
}

/// `nvim_get_current_win()`.
pub(super) fn get_current_win(editor: &mut Editor, _: &mut Args<'_>) -> Result<Value, ApiError> {
    Ok(Value::from(editor.current.0))
}

/// `nvim_list_wins()`: the windows of every tab page, tab by tab, floats after each tab's splits.
pub(super) fn list_wins(editor: &mut Editor, _: &mut Args<'_>) -> Result<Value, ApiError> {
    let ids = editor.tabs.iter().flat_map(|t| t.root.windows().into_iter().chain(t.floats.iter().copied()));
    Ok(Value::Array(ids.map(|w| Value::from(w.0)).collect()))
}

/// The index of the tab page holding `win`.
pub(super) fn tab_of(editor: &Editor, win: WindowId) -> Option<usize> {
    editor.tabs.iter().position(|t| t.has_window(win))
}

/// Makes `win` the current window, switching tab pages when it is in another one.
pub(crate) fn enter(editor: &mut Editor, win: WindowId) {
    if let Some(t) = tab_of(editor, win) {
        if t != editor.tab_index {
            editor.goto_tab(t);
        }
    }
    editor.enter_window(win);
}

/// `nvim_set_current_win(window)`.
pub(super) fn set_current_win(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let win = a.window(editor)?;
    enter(editor, win);
    Ok(Value::Nil)
}

/// Runs `f` with `win` (and its tab page) current, without firing window events, as Neovim's
/// `nvim_win_call` does; the previous window is restored afterwards if it still exists.
pub(crate) fn with_window<T>(editor: &mut Editor, win: WindowId, f: impl FnOnce(&mut Editor) -> T) -> T {
    let (old_win, old_tab) = (editor.current, editor.tab_index);
    let tab = tab_of(editor, win).unwrap_or(old_tab);
    editor.tab_index = tab;
    editor.current = win;
    let out = f(editor);
    if editor.window(old_win).is_some() {
        editor.tab_index = tab_of(editor, old_win).unwrap_or(old_tab).min(editor.tabs.len().saturating_sub(1));
        editor.current = old_win;
    }
    out
}

/// `nvim_win_call(window, fun)`: calls `fun` with `window` temporarily current; returns its result.
pub(super) fn win_call(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let win = a.window(editor)?;
    let cb = a.callback()?;
    with_window(editor, win, |e| e.run_callback(cb, Vec::new())).map_err(super::buffer::call_error)
}

/// Closes `win` (the float, the split, or its whole tab page when it is the tab's last window).
fn close_window(editor: &mut Editor, win: WindowId, force: bool) -> Result<(), ApiError> {
    let is_float = editor.window(win).is_some_and(|w| w.float.is_some());
    let split_count = editor.tabs.iter().map(|t| t.root.windows().len()).sum::<usize>();
    if !is_float && split_count <= 1 {
        return Err(ApiError::Msg("Vim:E444: Cannot close last window".to_string()));
    }
    let buf = win_ref(editor, win)?.buffer;
    let shown_elsewhere = editor.windows.iter().any(|w| w.id != win && w.buffer == buf);
    let modified = editor.buffers.get(&buf).is_some_and(|b| b.is_modified());
    if !force && !shown_elsewhere && modified && !editor.opt("hidden").as_bool() {
        return Err(ApiError::Msg("Vim:E37: No write since last change (add ! to override)".to_string()));
    }
    let tab = tab_of(editor, win).unwrap_or(editor.tab_index);
    if !is_float && editor.tabs.get(tab).is_some_and(|t| t.root.windows().len() <= 1) {
        editor.close_tab(tab).map_err(|e| ApiError::Msg(format!("Vim:{e}")))?;
    } else {
        if win == editor.current {
            editor.fire(crate::events::Event::WinLeave, Default::default());
        }
        editor.remove_window(win);
    }
    Ok(())
}

/// `nvim_win_close(window, force)`.
pub(super) fn close(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let win = a.window(editor)?;
    let force = a.bool()?;
    close_window(editor, win, force)?;
    Ok(Value::Nil)
}

/// `nvim_win_hide(window)`: closes the window and hides its buffer (changes are kept).
pub(super) fn hide(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let win = a.window(editor)?;
    close_window(editor, win, true)?;
    Ok(Value::Nil)
}

/// `nvim_win_is_valid(window)`.
pub(super) fn is_valid(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let n = a.int()?;
    Ok(Value::from(super::args::resolve_window(editor, n).is_ok()))
}

/// `nvim_win_get_height(window)`: text rows.
pub(super) fn get_height(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let win = a.window(editor)?;
    Ok(Value::from(win_ref(editor, win)?.height))
}

/// `nvim_win_get_width(window)`: text columns.
pub(super) fn get_width(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let win = a.window(editor)?;
    Ok(Value::from(win_ref(editor, win)?.width))
}

/// `nvim_win_get_position(window)`: `[row, col]` of the window's top-left text cell on screen.
pub(super) fn get_position(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let win = a.window(editor)?;
    let w = win_ref(editor, win)?;
    // A float's position is its outer corner, border included (Neovim's rule).
    let border = w.float.as_ref().map_or(0, |f| usize::from(!f.border.is_empty()));
    let r = w.rect;
    Ok(Value::Array(vec![Value::from(r.y.saturating_sub(border)), Value::from(r.x.saturating_sub(border))]))
}

/// `nvim_win_get_tabpage(window)`.
pub(super) fn get_tabpage(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let win = a.window(editor)?;
    let t = tab_of(editor, win).and_then(|t| editor.tabs.get(t)).map_or(0, |t| t.id);
    Ok(Value::from(t))
}

/// `nvim_win_get_number(window)`: the window's number in its tab page (`winnr()`).
pub(super) fn get_number(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let win = a.window(editor)?;
    let n = tab_of(editor, win)
        .and_then(|t| editor.tabs.get(t))
        .and_then(|t| t.root.windows().into_iter().chain(t.floats.iter().copied()).position(|w| w == win))
        .map_or(0, |i| i + 1);
    Ok(Value::from(n))
}

/// `nvim_win_set_buf(window, buffer)`: shows `buffer` in `window` (cursor to the buffer's last
/// position, as `:buffer` does).
pub(super) fn set_buf(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let win = a.window(editor)?;
    let buf = a.buffer(editor)?;
    with_window(editor, win, |e| e.switch_to_buffer(buf));
    Ok(Value::Nil)
}

/// `nvim_win_set_height(window, height)`.
pub(super) fn set_height(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    set_size(editor, a, crate::layout::Dir::Col)
}

/// `nvim_win_set_width(window, width)`.
pub(super) fn set_width(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    set_size(editor, a, crate::layout::Dir::Row)
}

fn set_size(editor: &mut Editor, a: &mut Args<'_>, dir: crate::layout::Dir) -> Result<Value, ApiError> {
    let win = a.window(editor)?;
    // Neovim clamps a size below 1 (and one beyond the screen) instead of failing.
    let size = usize::try_from(a.int()?.max(1)).unwrap_or(1);
    let floating = win_ref(editor, win)?.float.is_some();
    if floating {
        if let Some(f) = editor.window_mut(win).and_then(|w| w.float.as_mut()) {
            match dir {
                crate::layout::Dir::Col => f.height = size,
                crate::layout::Dir::Row => f.width = size,
            }
        }
        editor.place_floats();
    } else {
        with_window(editor, win, |e| e.resize_window(dir, size));
    }
    Ok(Value::Nil)
}
