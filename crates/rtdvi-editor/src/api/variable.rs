//! Variable entries: `nvim_{get,set,del}_var` and their buffer, window and tab page variants.
//!
//! `b:`, `w:` and `t:` variables are API values stored with their buffer, window and tab page.
//! `g:` variables live in the expression layer's `globals` (what `:let g:x` and `:echo g:x` use),
//! converted as `nvim_call_function` converts values; the rare value it can't hold (a map whose
//! keys are not strings) is kept in `Editor::global_objects`, and reading checks both.

use std::collections::BTreeMap;

use rmpv::Value;

use super::{ApiEntry, ApiError, Args};
use crate::editor::Editor;
use crate::expr;

/// This module's entries of the API table.
pub(super) static ENTRIES: &[ApiEntry] = &[
    ApiEntry { name: "nvim_buf_del_var", params: BUF_NAME, returns: "nil", func: buf_del },
    ApiEntry { name: "nvim_buf_get_var", params: BUF_NAME, returns: "Object", func: buf_get },
    ApiEntry { name: "nvim_buf_set_var", params: BUF_SET, returns: "nil", func: buf_set },
    ApiEntry { name: "nvim_del_var", params: NAME, returns: "nil", func: del },
    ApiEntry { name: "nvim_get_var", params: NAME, returns: "Object", func: get },
    ApiEntry { name: "nvim_get_vvar", params: NAME, returns: "Object", func: get_vvar },
    ApiEntry { name: "nvim_set_var", params: SET, returns: "nil", func: set },
    ApiEntry { name: "nvim_set_vvar", params: SET, returns: "nil", func: set_vvar },
    ApiEntry { name: "nvim_tabpage_del_var", params: TAB_NAME, returns: "nil", func: tab_del },
    ApiEntry { name: "nvim_tabpage_get_var", params: TAB_NAME, returns: "Object", func: tab_get },
    ApiEntry { name: "nvim_tabpage_set_var", params: TAB_SET, returns: "nil", func: tab_set },
    ApiEntry { name: "nvim_win_del_var", params: WIN_NAME, returns: "nil", func: win_del },
    ApiEntry { name: "nvim_win_get_var", params: WIN_NAME, returns: "Object", func: win_get },
    ApiEntry { name: "nvim_win_set_var", params: WIN_SET, returns: "nil", func: win_set },
];

const NAME: &[(&str, &str)] = &[("name", "String")];
const SET: &[(&str, &str)] = &[("name", "String"), ("value", "Object")];
const BUF_NAME: &[(&str, &str)] = &[("buffer", "Buffer"), ("name", "String")];
const BUF_SET: &[(&str, &str)] = &[("buffer", "Buffer"), ("name", "String"), ("value", "Object")];
const WIN_NAME: &[(&str, &str)] = &[("window", "Window"), ("name", "String")];
const WIN_SET: &[(&str, &str)] = &[("window", "Window"), ("name", "String"), ("value", "Object")];
const TAB_NAME: &[(&str, &str)] = &[("tabpage", "Tabpage"), ("name", "String")];
const TAB_SET: &[(&str, &str)] = &[("tabpage", "Tabpage"), ("name", "String"), ("value", "Object")];

/// `nvim_get_vvar(name)`: `v:name` as the expression layer sees it (`count`, `hlsearch`...).
pub(super) fn get_vvar(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    use crate::expr::Context;
    let name = a.string()?;
    let ctx = crate::function::EditorContext::new(editor);
    ctx.variable(&format!("v:{name}")).map(|v| from_expr(&v)).ok_or_else(|| not_found(name))
}

/// The `v:` variables a plugin may write that have no other home in the editor (Neovim's writable
/// ones; the others are read-only or do not exist).
const WRITABLE_VVARS: &[&str] =
    &["errmsg", "warningmsg", "statusmsg", "char", "swapchoice", "swapcommand", "scrollstart", "operator"];

/// `nvim_set_vvar(name, value)`: sets a writable `v:` variable, with Neovim's errors for read-only
/// (`Key is read-only: count`) and unknown (`Dict is locked`) names.
pub(super) fn set_vvar(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    use crate::expr::Context;
    let name = a.string()?.to_string();
    // A value the expression layer can't hold (a map with non-string keys) is v:null there.
    let v = to_expr(a.any()?).unwrap_or(expr::Value::Null);
    match name.as_str() {
        "hlsearch" => editor.search.highlight = v.to_number().map_err(|e| ApiError::Msg(e.to_string()))? != 0,
        "searchforward" => {
            let forward = v.to_number().map_err(|e| ApiError::Msg(e.to_string()))? != 0;
            editor.search.direction =
                if forward { crate::search::Direction::Forward } else { crate::search::Direction::Backward };
        }
        n if WRITABLE_VVARS.contains(&n) => {
            editor.event_vars.insert(name, v);
        }
        n => {
            let known = crate::function::EditorContext::new(editor).variable(&format!("v:{n}")).is_some();
            return Err(ApiError::Msg(if known { format!("Key is read-only: {n}") } else { "Dict is locked".into() }));
        }
    }
    Ok(Value::Nil)
}

fn not_found(name: &str) -> ApiError {
    ApiError::Msg(format!("Key not found: {name}"))
}

/// An API value as an expression value, when the expression layer can hold it (everything but
/// maps with keys that are not strings, and containers nested too deep).
fn to_expr(v: &Value) -> Option<expr::Value> {
    super::from_msgpack(v, 0).ok()
}

/// An expression value as an API value.
fn from_expr(v: &expr::Value) -> Value {
    super::to_msgpack(v)
}

/// Reads `g:name`.
pub fn get_global(editor: &Editor, name: &str) -> Option<Value> {
    editor.globals.get(name).map(from_expr).or_else(|| editor.global_objects.get(name).cloned())
}

/// Sets `g:name`.
pub fn set_global(editor: &mut Editor, name: &str, value: Value) {
    match to_expr(&value) {
        Some(v) => {
            editor.global_objects.remove(name);
            editor.globals.insert(name.to_string(), v);
        }
        None => {
            editor.globals.remove(name);
            editor.global_objects.insert(name.to_string(), value);
        }
    }
}

/// `nvim_get_var(name)`.
pub(super) fn get(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let name = a.string()?;
    get_global(editor, name).ok_or_else(|| not_found(name))
}

/// `nvim_set_var(name, value)`.
pub(super) fn set(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let name = a.string()?;
    let value = a.any()?.clone();
    set_global(editor, name, value);
    Ok(Value::Nil)
}

/// `nvim_del_var(name)`.
pub(super) fn del(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let name = a.string()?;
    let a = editor.globals.remove(name).is_some();
    let b = editor.global_objects.remove(name).is_some();
    if a || b {
        Ok(Value::Nil)
    } else {
        Err(not_found(name))
    }
}

fn get_in(vars: &BTreeMap<String, Value>, name: &str) -> Result<Value, ApiError> {
    vars.get(name).cloned().ok_or_else(|| not_found(name))
}

fn del_in(vars: &mut BTreeMap<String, Value>, name: &str) -> Result<Value, ApiError> {
    vars.remove(name).map(|_| Value::Nil).ok_or_else(|| not_found(name))
}

fn buf_vars<'e>(editor: &'e mut Editor, a: &mut Args<'_>) -> Result<&'e mut BTreeMap<String, Value>, ApiError> {
    let b = a.buffer(editor)?;
    editor.buffers.get_mut(&b).map(|b| &mut b.vars).ok_or(ApiError::InvalidBuffer(i64::from(b.0)))
}

fn win_vars<'e>(editor: &'e mut Editor, a: &mut Args<'_>) -> Result<&'e mut BTreeMap<String, Value>, ApiError> {
    let w = a.window(editor)?;
    editor.window_mut(w).map(|w| &mut w.vars).ok_or(ApiError::InvalidWindow(i64::from(w.0)))
}

fn tab_vars<'e>(editor: &'e mut Editor, a: &mut Args<'_>) -> Result<&'e mut BTreeMap<String, Value>, ApiError> {
    let t = a.tabpage(editor)?;
    editor.tabs.get_mut(t).map(|t| &mut t.vars).ok_or(ApiError::InvalidTabpage(0))
}

/// `nvim_buf_get_var(buffer, name)`.
pub(super) fn buf_get(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let vars = buf_vars(editor, a)?;
    get_in(vars, a.string()?)
}

/// `nvim_buf_set_var(buffer, name, value)`.
pub(super) fn buf_set(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let vars = buf_vars(editor, a)?;
    vars.insert(a.string()?.to_string(), a.any()?.clone());
    Ok(Value::Nil)
}

/// `nvim_buf_del_var(buffer, name)`.
pub(super) fn buf_del(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let vars = buf_vars(editor, a)?;
    del_in(vars, a.string()?)
}

/// `nvim_win_get_var(window, name)`.
pub(super) fn win_get(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let vars = win_vars(editor, a)?;
    get_in(vars, a.string()?)
}

/// `nvim_win_set_var(window, name, value)`.
pub(super) fn win_set(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let vars = win_vars(editor, a)?;
    vars.insert(a.string()?.to_string(), a.any()?.clone());
    Ok(Value::Nil)
}

/// `nvim_win_del_var(window, name)`.
pub(super) fn win_del(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let vars = win_vars(editor, a)?;
    del_in(vars, a.string()?)
}

/// `nvim_tabpage_get_var(tabpage, name)`.
pub(super) fn tab_get(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let vars = tab_vars(editor, a)?;
    get_in(vars, a.string()?)
}

/// `nvim_tabpage_set_var(tabpage, name, value)`.
pub(super) fn tab_set(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let vars = tab_vars(editor, a)?;
    vars.insert(a.string()?.to_string(), a.any()?.clone());
    Ok(Value::Nil)
}

/// `nvim_tabpage_del_var(tabpage, name)`.
pub(super) fn tab_del(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let vars = tab_vars(editor, a)?;
    del_in(vars, a.string()?)
}
