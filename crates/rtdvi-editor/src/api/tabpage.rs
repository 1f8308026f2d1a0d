//! Tab page entries: `nvim_tabpage_*`, `nvim_list_tabpages`, the current tab page.
//!
//! Tab page handles are ids handed out once (1, 2, ...), not positions: closing a tab page leaves
//! the others' handles unchanged, as in Neovim.

use rmpv::Value;

use super::{ApiEntry, ApiError, Args};
use crate::editor::Editor;

/// This module's entries of the API table.
pub(super) static ENTRIES: &[ApiEntry] = &[
    ApiEntry { name: "nvim_get_current_tabpage", params: &[], returns: "Tabpage", func: get_current },
    ApiEntry { name: "nvim_list_tabpages", params: &[], returns: "Array", func: list },
    ApiEntry { name: "nvim_set_current_tabpage", params: TAB_ONLY, returns: "nil", func: set_current },
    ApiEntry { name: "nvim_tabpage_get_number", params: TAB_ONLY, returns: "Integer", func: get_number },
    ApiEntry { name: "nvim_tabpage_get_win", params: TAB_ONLY, returns: "Window", func: get_win },
    ApiEntry { name: "nvim_tabpage_is_valid", params: TAB_ONLY, returns: "Boolean", func: is_valid },
    ApiEntry { name: "nvim_tabpage_list_wins", params: TAB_ONLY, returns: "Array", func: list_wins },
    ApiEntry { name: "nvim_tabpage_set_win", params: SET_WIN, returns: "nil", func: set_win },
];

/// `(tabpage)`.
const TAB_ONLY: &[(&str, &str)] = &[("tabpage", "Tabpage")];
/// `(tabpage, win)`.
const SET_WIN: &[(&str, &str)] = &[("tabpage", "Tabpage"), ("win", "Window")];

fn tab(editor: &Editor, index: usize) -> Result<&crate::layout::TabPage, ApiError> {
    editor.tabs.get(index).ok_or(ApiError::InvalidTabpage(0))
}

/// `nvim_get_current_tabpage()`.
pub(super) fn get_current(editor: &mut Editor, _: &mut Args<'_>) -> Result<Value, ApiError> {
    Ok(Value::from(editor.tab().id))
}

/// `nvim_list_tabpages()`: in tab order.
pub(super) fn list(editor: &mut Editor, _: &mut Args<'_>) -> Result<Value, ApiError> {
    Ok(Value::Array(editor.tabs.iter().map(|t| Value::from(t.id)).collect()))
}

/// `nvim_set_current_tabpage(tabpage)`.
pub(super) fn set_current(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let t = a.tabpage(editor)?;
    editor.goto_tab(t);
    Ok(Value::Nil)
}

/// `nvim_tabpage_get_number(tabpage)`: 1-based position.
pub(super) fn get_number(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let t = a.tabpage(editor)?;
    Ok(Value::from(t + 1))
}

/// `nvim_tabpage_get_win(tabpage)`: the tab page's current window.
pub(super) fn get_win(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let t = a.tabpage(editor)?;
    let w = if t == editor.tab_index { editor.current } else { tab(editor, t)?.current };
    Ok(Value::from(w.0))
}

/// `nvim_tabpage_is_valid(tabpage)`.
pub(super) fn is_valid(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let n = a.int()?;
    Ok(Value::from(super::args::resolve_tabpage(editor, n).is_ok()))
}

/// `nvim_tabpage_list_wins(tabpage)`: split windows in layout order, then floats.
pub(super) fn list_wins(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let t = tab(editor, a.tabpage(editor)?)?;
    let ids = t.root.windows().into_iter().chain(t.floats.iter().copied());
    Ok(Value::Array(ids.map(|w| Value::from(w.0)).collect()))
}

/// `nvim_tabpage_set_win(tabpage, win)`: the window must be in that tab page.
pub(super) fn set_win(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let t = a.tabpage(editor)?;
    let w = a.window(editor)?;
    if !tab(editor, t)?.has_window(w) {
        return Err(ApiError::Msg("Window does not belong to tabpage".to_string()));
    }
    if t == editor.tab_index {
        editor.enter_window(w);
    } else if let Some(tp) = editor.tabs.get_mut(t) {
        tp.current = w;
    }
    Ok(Value::Nil)
}
