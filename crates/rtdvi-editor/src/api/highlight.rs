//! Highlight entries: `nvim_set_hl`, `nvim_get_hl`, `nvim_get_hl_id_by_name`, over the editor's
//! [`crate::highlight::Highlights`] (the groups `:highlight` sets and the front end draws with).
//!
//! Only the global namespace (`ns_id` 0) draws; other namespaces are accepted and ignored until
//! `nvim_win_set_hl_ns` exists. Colours come back as 24-bit integers, as in Neovim.

use rmpv::Value;

use super::args::{invalid_key, opt_bool, opt_int, opt_str, type_name};
use super::{ApiEntry, ApiError, Args};
use crate::editor::Editor;
use crate::highlight::{parse_cterm_color, parse_gui_color, HlAttrs, Rgb};

/// This module's entries of the API table.
pub(super) static ENTRIES: &[ApiEntry] = &[
    ApiEntry { name: "nvim_get_hl", params: GET, returns: "Dictionary", func: get_hl },
    ApiEntry { name: "nvim_get_hl_id_by_name", params: NAME, returns: "Integer", func: get_hl_id_by_name },
    ApiEntry { name: "nvim_set_hl", params: SET, returns: "nil", func: set_hl },
];

const SET: &[(&str, &str)] = &[("ns_id", "Integer"), ("name", "String"), ("val", "Dictionary")];
const GET: &[(&str, &str)] = &[("ns_id", "Integer"), ("opts", "Dictionary")];
const NAME: &[(&str, &str)] = &[("name", "String")];

fn gui_color(editor: &Editor, v: &Value) -> Result<Option<Rgb>, ApiError> {
    match v {
        Value::Integer(n) => {
            let n = n
                .as_i64()
                .filter(|n| (0..=0xff_ffff).contains(n))
                .ok_or_else(|| ApiError::Msg(format!("Invalid highlight color: {n}")))?;
            Ok(Some(Rgb((n >> 16) as u8, (n >> 8) as u8, n as u8)))
        }
        Value::String(s) => {
            let s = s.as_str().unwrap_or_default();
            parse_gui_color(s, &editor.highlights).map_err(|_| ApiError::Msg(format!("Invalid highlight color: '{s}'")))
        }
        other => {
            Err(ApiError::Msg(format!("Invalid highlight color: expected String or Integer, got {}", type_name(other))))
        }
    }
}

fn cterm_color(v: &Value) -> Result<Option<u8>, ApiError> {
    match v {
        Value::Integer(n) => n
            .as_u64()
            .and_then(|n| u8::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| ApiError::Msg(format!("Invalid highlight color: {n}"))),
        Value::String(s) => {
            let s = s.as_str().unwrap_or_default();
            parse_cterm_color(s).map_err(|_| ApiError::Msg(format!("Invalid highlight color: '{s}'")))
        }
        other => {
            Err(ApiError::Msg(format!("Invalid highlight color: expected String or Integer, got {}", type_name(other))))
        }
    }
}

/// `nvim_set_hl(ns_id, name, val)`: replaces the group's definition (`{}` clears it); `link`
/// makes it a link; `default = true` leaves an already defined group alone.
pub(super) fn set_hl(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let ns = a.int()?;
    let name = a.string()?.to_string();
    let val = a.opts()?;
    if ns < 0 {
        return Err(ApiError::Msg(format!("Invalid 'ns_id': {ns}")));
    }
    let mut attrs = HlAttrs::default();
    let (mut link, mut default) = (None, false);
    for (k, v) in &val {
        match *k {
            "fg" | "foreground" => attrs.fg = gui_color(editor, v)?,
            "bg" | "background" => attrs.bg = gui_color(editor, v)?,
            "sp" | "special" => attrs.sp = gui_color(editor, v)?,
            "ctermfg" => attrs.ctermfg = cterm_color(v)?,
            "ctermbg" => attrs.ctermbg = cterm_color(v)?,
            "bold" => attrs.bold = opt_bool(k, v)?,
            "italic" => attrs.italic = opt_bool(k, v)?,
            "underline" => attrs.underline = opt_bool(k, v)?,
            "undercurl" => attrs.undercurl = opt_bool(k, v)?,
            "reverse" => attrs.reverse = opt_bool(k, v)?,
            "strikethrough" => attrs.strikethrough = opt_bool(k, v)?,
            "link" => link = Some(opt_str(k, v)?.to_string()),
            "default" => default = opt_bool(k, v)?,
            // Accepted, not drawn (no such attribute in the terminal front end yet).
            "standout" | "underdouble" | "underdotted" | "underdashed" | "altfont" | "nocombine" | "force"
            | "fallback" | "fg_indexed" | "bg_indexed" | "url" => {
                opt_bool(k, v)?;
            }
            "blend" => {
                opt_int(k, v)?;
            }
            "cterm" => {
                // Terminal-only attributes: the terminal front end draws the GUI ones.
                if !matches!(v, Value::Map(_)) {
                    return Err(ApiError::Msg(format!("Invalid 'cterm': expected Dict, got {}", type_name(v))));
                }
            }
            other => return Err(invalid_key(other)),
        }
    }
    if ns != 0 {
        return Ok(Value::Nil);
    }
    if default {
        let defined = editor
            .highlights
            .lookup(&name)
            .and_then(|id| editor.highlights.get(id))
            .is_some_and(|(a, l)| !a.is_empty() || l.is_some());
        if defined {
            return Ok(Value::Nil);
        }
    }
    match link {
        Some(to) if attrs.is_empty() => editor.highlights.link(&name, Some(&to)),
        _ => editor.highlights.set(&name, attrs),
    }
    Ok(Value::Nil)
}

fn color_value(c: Rgb) -> Value {
    Value::from((u32::from(c.0) << 16) | (u32::from(c.1) << 8) | u32::from(c.2))
}

/// A group's definition as `nvim_get_hl` reports it.
fn describe(a: &HlAttrs, link: Option<&str>) -> Value {
    let mut m = Vec::new();
    if let Some(l) = link {
        m.push((Value::from("link"), Value::from(l)));
        return Value::Map(m);
    }
    let mut cterm = Vec::new();
    for (k, on) in [
        ("bold", a.bold),
        ("italic", a.italic),
        ("reverse", a.reverse),
        ("strikethrough", a.strikethrough),
        ("undercurl", a.undercurl),
        ("underline", a.underline),
    ] {
        if on {
            m.push((Value::from(k), Value::from(true)));
            cterm.push((Value::from(k), Value::from(true)));
        }
    }
    if let Some(c) = a.fg {
        m.push((Value::from("fg"), color_value(c)));
    }
    if let Some(c) = a.bg {
        m.push((Value::from("bg"), color_value(c)));
    }
    if let Some(c) = a.sp {
        m.push((Value::from("sp"), color_value(c)));
    }
    if let Some(c) = a.ctermfg {
        m.push((Value::from("ctermfg"), Value::from(c)));
    }
    if let Some(c) = a.ctermbg {
        m.push((Value::from("ctermbg"), Value::from(c)));
    }
    if !cterm.is_empty() {
        m.push((Value::from("cterm"), Value::Map(cterm)));
    }
    Value::Map(m)
}

/// `nvim_get_hl(ns_id, opts)`: one group (`name` or `id`; `link = false` follows links) or,
/// without either, every defined group by name.
pub(super) fn get_hl(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let _ns = a.int()?;
    let (mut name, mut id, mut follow) = (None, None, false);
    for (k, v) in a.opts()? {
        match k {
            "name" => name = Some(opt_str(k, v)?.to_string()),
            "id" => id = Some(opt_int(k, v)?),
            "link" => follow = !opt_bool(k, v)?,
            "create" => {
                opt_bool(k, v)?;
            }
            other => return Err(invalid_key(other)),
        }
    }
    let h = &editor.highlights;
    let target = match (name, id) {
        (Some(n), _) => h.lookup(&n),
        (None, Some(i)) => u32::try_from(i - 1).ok().map(crate::highlight::HlId).filter(|x| (x.0 as usize) < h.len()),
        (None, None) => {
            let all = (0..h.len() as u32)
                .map(crate::highlight::HlId)
                .filter_map(|id| {
                    let (attrs, link) = h.get(id)?;
                    (!attrs.is_empty() || link.is_some())
                        .then(|| (Value::from(h.name(id)), describe(attrs, link.map(|l| h.name(l)))))
                })
                .collect();
            return Ok(Value::Map(all));
        }
    };
    let Some(id) = target else { return Ok(Value::Map(Vec::new())) };
    if follow {
        return Ok(describe(&h.resolve(id), None));
    }
    Ok(match h.get(id) {
        Some((attrs, link)) if attrs.is_empty() => describe(attrs, link.map(|l| h.name(l))),
        Some((attrs, _)) => describe(attrs, None),
        None => Value::Map(Vec::new()),
    })
}

/// `nvim_get_hl_id_by_name(name)`: the group's id (1-based), creating the group if needed.
pub(super) fn get_hl_id_by_name(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let name = a.string()?;
    Ok(Value::from(editor.highlights.id(name).0 + 1))
}
