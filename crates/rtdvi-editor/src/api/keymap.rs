//! Keymap entries: `nvim_set_keymap`, `nvim_del_keymap`, `nvim_get_keymap` and their buffer
//! variants. They store into the same [`crate::vi::Mappings`] as `:map` and `:unmap`.
//!
//! `nvim_get_keymap` reports one dictionary per mapping with Neovim's fields (`lhs`, `rhs` or
//! `callback`, `noremap`, `silent`, `expr`, `nowait`, `buffer`, `desc`, `mode`, `sid`, `lnum`,
//! `script`, `abbr`); `mode` is `" "` for a mapping made for `""` (normal, visual, select and
//! operator-pending alike), `"v"` for visual and select, `"!"` for insert and command line.
//! `lhsraw`, `mode_bits` and `scriptversion` are left out.

use rmpv::Value;

use super::args::{invalid_key, opt_bool, opt_str, type_name};
use super::{callback_arg, callback_id, ApiEntry, ApiError, Args};
use crate::buffer::BufferId;
use crate::editor::Editor;
use crate::keys::key_notation;
use crate::vi::mapping::{map_keys, MapMode, MapRhs, Mapping};

/// This module's entries of the API table.
pub(super) static ENTRIES: &[ApiEntry] = &[
    ApiEntry { name: "nvim_buf_del_keymap", params: BUF_DEL, returns: "nil", func: buf_del_keymap },
    ApiEntry { name: "nvim_buf_get_keymap", params: BUF_GET, returns: "Array", func: buf_get_keymap },
    ApiEntry { name: "nvim_buf_set_keymap", params: BUF_SET, returns: "nil", func: buf_set_keymap },
    ApiEntry { name: "nvim_del_keymap", params: DEL, returns: "nil", func: del_keymap },
    ApiEntry { name: "nvim_get_keymap", params: GET, returns: "Array", func: get_keymap },
    ApiEntry { name: "nvim_set_keymap", params: SET, returns: "nil", func: set_keymap },
];

const SET: &[(&str, &str)] = &[("mode", "String"), ("lhs", "String"), ("rhs", "String"), ("opts", "Dictionary")];
const BUF_SET: &[(&str, &str)] =
    &[("buffer", "Buffer"), ("mode", "String"), ("lhs", "String"), ("rhs", "String"), ("opts", "Dictionary")];
const DEL: &[(&str, &str)] = &[("mode", "String"), ("lhs", "String")];
const BUF_DEL: &[(&str, &str)] = &[("buffer", "Buffer"), ("mode", "String"), ("lhs", "String")];
const GET: &[(&str, &str)] = &[("mode", "String")];
const BUF_GET: &[(&str, &str)] = &[("buffer", "Buffer"), ("mode", "String")];

/// The modes of a mode short name (`""`, `"n"`, `"v"`, `"!"`, ...).
fn modes(short: &str) -> Result<Vec<MapMode>, ApiError> {
    MapMode::from_prefix(short).ok_or_else(|| ApiError::Msg(format!("Invalid mode shortname: \"{short}\"")))
}

/// Adds a mapping (`nvim_set_keymap` and `nvim_buf_set_keymap`).
pub fn set(
    editor: &mut Editor,
    buffer: Option<BufferId>,
    mode: &str,
    lhs: &str,
    rhs: &str,
    opts: &[(&str, &Value)],
) -> Result<(), ApiError> {
    let modes = modes(mode)?;
    if lhs.is_empty() {
        return Err(ApiError::Msg("Invalid (empty) LHS".to_string()));
    }
    let (leader, local) = editor.leaders();
    let mut m = Mapping {
        lhs: map_keys(lhs, &leader, &local),
        rhs: MapRhs::Keys(map_keys(rhs, &leader, &local)),
        rhs_text: rhs.to_string(),
        noremap: false,
        silent: false,
        nowait: false,
        expr: false,
        unique: false,
        desc: None,
    };
    for (k, v) in opts {
        match *k {
            "noremap" => m.noremap = opt_bool(k, v)?,
            "silent" => m.silent = opt_bool(k, v)?,
            "nowait" => m.nowait = opt_bool(k, v)?,
            "expr" => m.expr = opt_bool(k, v)?,
            "unique" => m.unique = opt_bool(k, v)?,
            "desc" => m.desc = Some(opt_str(k, v)?.to_string()),
            // Accepted for compatibility: rtdvi has no script-local mappings, and an `expr`
            // callback's result is always read as key notation.
            "script" | "replace_keycodes" => {
                opt_bool(k, v)?;
            }
            "callback" => {
                let cb = callback_id(v).ok_or_else(|| {
                    ApiError::Msg(format!("Invalid 'callback': expected Function, got {}", type_name(v)))
                })?;
                m.rhs = MapRhs::Callback(cb);
                m.rhs_text = String::new();
            }
            other => return Err(invalid_key(other)),
        }
    }
    editor.vi.mappings.set(&modes, buffer, m).map_err(|e| ApiError::Msg(e.to_string()))
}

/// Deletes a mapping (`nvim_del_keymap` and `nvim_buf_del_keymap`), releasing its callback.
pub fn del(editor: &mut Editor, buffer: Option<BufferId>, mode: &str, lhs: &str) -> Result<(), ApiError> {
    let modes = modes(mode)?;
    let (leader, local) = editor.leaders();
    let keys = map_keys(lhs, &leader, &local);
    let callbacks: Vec<_> = modes
        .iter()
        .filter_map(|m| editor.vi.mappings.scope(*m, buffer).iter().find(|x| x.lhs == keys))
        .filter_map(|m| match m.rhs {
            MapRhs::Callback(cb) => Some(cb),
            MapRhs::Keys(_) => None,
        })
        .collect();
    editor.vi.mappings.remove(&modes, buffer, &keys).map_err(|e| ApiError::Msg(e.to_string()))?;
    for cb in callbacks {
        let still_used = MapMode::from_prefix("")
            .into_iter()
            .flatten()
            .chain(MapMode::from_prefix("!").into_iter().flatten())
            .any(|m| editor.vi.mappings.scope(m, buffer).iter().any(|x| x.rhs == MapRhs::Callback(cb)));
        if !still_used {
            editor.release_callback(cb);
        }
    }
    Ok(())
}

/// The mode field of a listed mapping: a group's name when the same mapping is in all its modes.
fn mode_name(editor: &Editor, buffer: Option<BufferId>, mode: MapMode, m: &Mapping) -> String {
    let in_all = |group: &str| {
        MapMode::from_prefix(group).is_some_and(|ms| {
            ms.contains(&mode) && ms.iter().all(|x| editor.vi.mappings.scope(*x, buffer).iter().any(|o| o == m))
        })
    };
    if in_all("") {
        " ".to_string()
    } else if in_all("v") {
        "v".to_string()
    } else if in_all("!") {
        "!".to_string()
    } else {
        mode.letter().to_string()
    }
}

/// Lists the mappings of one scope (`nvim_get_keymap`: global; `nvim_buf_get_keymap`: local).
fn list(editor: &Editor, buffer: Option<BufferId>, mode: &str) -> Result<Value, ApiError> {
    let mut seen: Vec<&Mapping> = Vec::new();
    let mut out = Vec::new();
    for md in modes(mode)? {
        for m in editor.vi.mappings.scope(md, buffer) {
            if seen.contains(&m) {
                continue;
            }
            seen.push(m);
            let flag = |b: bool| Value::from(i64::from(b));
            let mut d = vec![
                (Value::from("abbr"), Value::from(0)),
                (Value::from("buffer"), Value::from(buffer.map_or(0, |b| b.0))),
            ];
            if let Some(desc) = &m.desc {
                d.push((Value::from("desc"), Value::from(desc.as_str())));
            }
            d.push((Value::from("expr"), flag(m.expr)));
            d.push((Value::from("lhs"), Value::from(key_notation(&m.lhs))));
            d.push((Value::from("lnum"), Value::from(0)));
            d.push((Value::from("mode"), Value::from(mode_name(editor, buffer, md, m))));
            d.push((Value::from("noremap"), flag(m.noremap)));
            d.push((Value::from("nowait"), flag(m.nowait)));
            match &m.rhs {
                MapRhs::Callback(cb) => d.push((Value::from("callback"), callback_arg(*cb))),
                MapRhs::Keys(_) => d.push((Value::from("rhs"), Value::from(m.rhs_text.as_str()))),
            }
            d.push((Value::from("script"), Value::from(0)));
            d.push((Value::from("sid"), Value::from(-8)));
            d.push((Value::from("silent"), flag(m.silent)));
            out.push(Value::Map(d));
        }
    }
    Ok(Value::Array(out))
}

/// `nvim_set_keymap(mode, lhs, rhs, opts)`.
pub(super) fn set_keymap(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let (mode, lhs, rhs) = (a.string()?, a.string()?, a.string()?);
    let opts = a.opts()?;
    set(editor, None, mode, lhs, rhs, &opts)?;
    Ok(Value::Nil)
}

/// `nvim_buf_set_keymap(buffer, mode, lhs, rhs, opts)`.
pub(super) fn buf_set_keymap(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let (mode, lhs, rhs) = (a.string()?, a.string()?, a.string()?);
    let opts = a.opts()?;
    set(editor, Some(buf), mode, lhs, rhs, &opts)?;
    Ok(Value::Nil)
}

/// `nvim_del_keymap(mode, lhs)`.
pub(super) fn del_keymap(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let (mode, lhs) = (a.string()?, a.string()?);
    del(editor, None, mode, lhs)?;
    Ok(Value::Nil)
}

/// `nvim_buf_del_keymap(buffer, mode, lhs)`.
pub(super) fn buf_del_keymap(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let (mode, lhs) = (a.string()?, a.string()?);
    del(editor, Some(buf), mode, lhs)?;
    Ok(Value::Nil)
}

/// `nvim_get_keymap(mode)`: global mappings.
pub(super) fn get_keymap(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let mode = a.string()?;
    list(editor, None, mode)
}

/// `nvim_buf_get_keymap(buffer, mode)`: the buffer's local mappings.
pub(super) fn buf_get_keymap(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let mode = a.string()?;
    list(editor, Some(buf), mode)
}
