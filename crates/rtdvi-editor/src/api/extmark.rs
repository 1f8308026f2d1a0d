//! Namespace and extmark entries: `nvim_create_namespace`, `nvim_get_namespaces`,
//! `nvim_buf_set_extmark`, `nvim_buf_get_extmark_by_id`, `nvim_buf_get_extmarks`,
//! `nvim_buf_del_extmark`, `nvim_buf_clear_namespace`, `nvim_buf_add_highlight`, over
//! [`crate::extmark`]. Positions are 0-based rows and byte columns, as in Neovim.

use rmpv::Value;

use super::args::{invalid_key, opt_bool, opt_int, opt_str, type_name};
use super::buffer::{byte_to_char_col, char_to_byte_col};
use super::{ApiEntry, ApiError, Args};
use crate::buffer::Buffer;
use crate::editor::Editor;
use crate::extmark::{Decoration, NewMark, VirtTextPos};

/// This module's entries of the API table.
pub(super) static ENTRIES: &[ApiEntry] = &[
    ApiEntry { name: "nvim_buf_add_highlight", params: ADD_HL, returns: "Integer", func: add_highlight },
    ApiEntry { name: "nvim_buf_clear_namespace", params: CLEAR, returns: "nil", func: clear_namespace },
    ApiEntry { name: "nvim_buf_del_extmark", params: BY_ID, returns: "Boolean", func: del_extmark },
    ApiEntry { name: "nvim_buf_get_extmark_by_id", params: BY_ID_OPTS, returns: "Array", func: get_extmark_by_id },
    ApiEntry { name: "nvim_buf_get_extmarks", params: GET, returns: "Array", func: get_extmarks },
    ApiEntry { name: "nvim_buf_set_extmark", params: SET, returns: "Integer", func: set_extmark },
    ApiEntry { name: "nvim_create_namespace", params: NAME, returns: "Integer", func: create_namespace },
    ApiEntry { name: "nvim_get_namespaces", params: &[], returns: "Dictionary", func: get_namespaces },
];

const NAME: &[(&str, &str)] = &[("name", "String")];
const SET: &[(&str, &str)] =
    &[("buffer", "Buffer"), ("ns_id", "Integer"), ("line", "Integer"), ("col", "Integer"), ("opts", "Dictionary")];
const BY_ID: &[(&str, &str)] = &[("buffer", "Buffer"), ("ns_id", "Integer"), ("id", "Integer")];
const BY_ID_OPTS: &[(&str, &str)] =
    &[("buffer", "Buffer"), ("ns_id", "Integer"), ("id", "Integer"), ("opts", "Dictionary")];
const GET: &[(&str, &str)] =
    &[("buffer", "Buffer"), ("ns_id", "Integer"), ("start", "Object"), ("end", "Object"), ("opts", "Dictionary")];
const CLEAR: &[(&str, &str)] =
    &[("buffer", "Buffer"), ("ns_id", "Integer"), ("line_start", "Integer"), ("line_end", "Integer")];
const ADD_HL: &[(&str, &str)] = &[
    ("buffer", "Buffer"),
    ("ns_id", "Integer"),
    ("hl_group", "String"),
    ("line", "Integer"),
    ("col_start", "Integer"),
    ("col_end", "Integer"),
];

/// `nvim_create_namespace(name)`.
pub(super) fn create_namespace(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let name = a.string()?;
    Ok(Value::from(editor.namespaces.create(name)))
}

/// `nvim_get_namespaces()`: named namespaces by name.
pub(super) fn get_namespaces(editor: &mut Editor, _: &mut Args<'_>) -> Result<Value, ApiError> {
    let m = editor.namespaces.named().iter().map(|(k, v)| (Value::from(k.as_str()), Value::from(*v))).collect();
    Ok(Value::Map(m))
}

/// A namespace argument that must exist.
fn namespace(editor: &Editor, n: i64) -> Result<u32, ApiError> {
    u32::try_from(n)
        .ok()
        .filter(|id| editor.namespaces.exists(*id))
        .ok_or_else(|| ApiError::Msg(format!("Invalid 'ns_id': {n}")))
}

/// A namespace filter: `-1` is every namespace.
fn namespace_filter(editor: &Editor, n: i64) -> Result<Option<u32>, ApiError> {
    if n == -1 {
        Ok(None)
    } else {
        namespace(editor, n).map(Some)
    }
}

/// The char offset of (row, byte col); `None` when the column is past the line's end.
fn char_pos(b: &Buffer, row: usize, col: usize) -> Option<usize> {
    if row >= b.line_count() {
        return (col == 0).then_some(b.text.len_chars());
    }
    let line = b.line(row);
    byte_to_char_col(&line, col).map(|c| b.line_start(row) + c)
}

/// (row, byte col) of a char offset.
fn row_col(b: &Buffer, pos: usize) -> (usize, usize) {
    let (row, col) = b.char_to_pos(pos.min(b.text.len_chars()));
    (row, char_to_byte_col(&b.line(row), col))
}

fn uint(key: &str, n: i64) -> Result<usize, ApiError> {
    usize::try_from(n).map_err(|_| ApiError::Msg(format!("Invalid '{key}': out of range")))
}

/// `nvim_buf_set_extmark(buffer, ns_id, line, col, opts)`: places or (with `id`) moves a mark.
pub(super) fn set_extmark(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let ns = namespace(editor, a.int()?)?;
    let (line, col) = (a.int()?, a.int()?);
    let opts = a.opts()?;
    let mut m = NewMark {
        ns,
        id: None,
        start: 0,
        end: None,
        line_end: 0,
        right_gravity: true,
        end_right_gravity: false,
        invalidate: false,
        decoration: Decoration::default(),
    };
    let (mut end_row, mut end_col, mut strict) = (None, None, true);
    for (k, v) in &opts {
        match *k {
            "id" => {
                let id = opt_int(k, v)?;
                m.id = Some(
                    u32::try_from(id)
                        .ok()
                        .filter(|i| *i > 0)
                        .ok_or_else(|| ApiError::Msg("Invalid 'id': expected positive Integer".to_string()))?,
                );
            }
            "end_row" | "end_line" => end_row = Some(opt_int(k, v)?),
            "end_col" => end_col = Some(opt_int(k, v)?),
            "strict" => strict = opt_bool(k, v)?,
            "right_gravity" => m.right_gravity = opt_bool(k, v)?,
            "end_right_gravity" => m.end_right_gravity = opt_bool(k, v)?,
            "invalidate" => m.invalidate = opt_bool(k, v)?,
            "hl_group" => m.decoration.hl_group = Some(hl_name(editor, k, v)?),
            "hl_eol" => m.decoration.hl_eol = opt_bool(k, v)?,
            "priority" => m.decoration.priority = Some(opt_int(k, v)?),
            "virt_text" => m.decoration.virt_text = virt_text(editor, v)?,
            "virt_text_pos" => {
                let s = opt_str(k, v)?;
                m.decoration.virt_text_pos =
                    VirtTextPos::parse(s).ok_or_else(|| ApiError::Msg(format!("Invalid 'virt_text_pos': '{s}'")))?;
            }
            "virt_text_hide" => m.decoration.virt_text_hide = opt_bool(k, v)?,
            "sign_text" => {
                let s = opt_str(k, v)?;
                let width = unicode_width::UnicodeWidthStr::width(s);
                if s.is_empty() || width > 2 {
                    return Err(ApiError::Msg("Invalid 'sign_text'".to_string()));
                }
                m.decoration.sign_text = Some(format!("{s}{}", " ".repeat(2 - width)));
            }
            "sign_hl_group" => m.decoration.sign_hl_group = Some(hl_name(editor, k, v)?),
            // Accepted and not drawn yet: the mark keeps its position all the same.
            "virt_text_win_col"
            | "virt_text_repeat_linebreak"
            | "virt_lines"
            | "virt_lines_above"
            | "virt_lines_leftcol"
            | "ephemeral"
            | "undo_restore"
            | "hl_mode"
            | "line_hl_group"
            | "number_hl_group"
            | "cursorline_hl_group"
            | "conceal"
            | "spell"
            | "ui_watched"
            | "url"
            | "scoped"
            | "virt_text_win_col_" => {}
            other => return Err(invalid_key(other)),
        }
    }
    let b = editor.buffers.get(&buf).ok_or(ApiError::InvalidBuffer(i64::from(buf.0)))?;
    let count = b.line_count();
    let mut row = uint("line", line)?;
    if row >= count {
        if strict {
            return Err(ApiError::Msg("Invalid 'line': out of range".to_string()));
        }
        row = count - 1;
    }
    let mut col = uint("col", col)?;
    let len = b.line(row).len();
    if col > len {
        if strict {
            return Err(ApiError::Msg("Invalid 'col': out of range".to_string()));
        }
        col = len;
    }
    m.start = char_pos(b, row, col).unwrap_or(0);
    m.line_end = if row + 1 < count { b.line_start(row + 1) } else { b.text.len_chars() };
    if end_row.is_some() || end_col.is_some() {
        let mut er = uint("end_row", end_row.unwrap_or(line))?;
        if er > count {
            if strict {
                return Err(ApiError::Msg("Invalid 'end_row': out of range".to_string()));
            }
            er = count;
        }
        let mut ec = uint("end_col", end_col.unwrap_or(0))?;
        let elen = if er < count { b.line(er).len() } else { 0 };
        if ec > elen {
            if strict {
                return Err(ApiError::Msg("Invalid 'end_col': out of range".to_string()));
            }
            ec = elen;
        }
        let end = char_pos(b, er, ec).unwrap_or(b.text.len_chars());
        if end < m.start {
            return Err(ApiError::Msg("Invalid 'end_col': end before start".to_string()));
        }
        m.end = Some(end);
    }
    let Some(b) = editor.buffers.get_mut(&buf) else { return Err(ApiError::InvalidBuffer(i64::from(buf.0))) };
    let id = b.extmarks.set(&mut b.anchors, m);
    Ok(Value::from(id))
}

fn hl_name(editor: &Editor, key: &str, v: &Value) -> Result<String, ApiError> {
    match v {
        Value::String(s) => Ok(s.as_str().unwrap_or_default().to_string()),
        // A highlight id, as `nvim_get_hl_id_by_name` returns it (1-based).
        Value::Integer(n) => {
            let id = n.as_u64().and_then(|n| u32::try_from(n).ok()).and_then(|n| n.checked_sub(1));
            let name = id.map(|i| editor.highlights.name(crate::highlight::HlId(i))).unwrap_or_default();
            if name.is_empty() {
                return Err(ApiError::Msg(format!("Invalid highlight id: {n}")));
            }
            Ok(name.to_string())
        }
        other => Err(ApiError::Msg(format!("Invalid '{key}': expected String or Integer, got {}", type_name(other)))),
    }
}

/// `virt_text`: `[[text, hl_group?], ...]`.
fn virt_text(editor: &Editor, v: &Value) -> Result<Vec<(String, Option<String>)>, ApiError> {
    let bad = || ApiError::Msg("Invalid 'virt_text': expected Array of [text, hl_group] chunks".to_string());
    let chunks = v.as_array().ok_or_else(bad)?;
    chunks
        .iter()
        .map(|c| {
            let c = c.as_array().ok_or_else(bad)?;
            let text = c.first().and_then(Value::as_str).ok_or_else(bad)?;
            let hl = match c.get(1) {
                None | Some(Value::Nil) => None,
                Some(h) => Some(hl_name(editor, "hl_group", h)?),
            };
            Ok((text.to_string(), hl))
        })
        .collect()
}

/// The `[row, col]` (plus details) of a mark, as Neovim's extmark functions return it.
fn describe(
    b: &Buffer,
    m: &crate::extmark::Extmark,
    start: usize,
    end: Option<usize>,
    details: bool,
    with_id: bool,
) -> Value {
    let (row, col) = row_col(b, start);
    let mut out = Vec::new();
    if with_id {
        out.push(Value::from(m.id));
    }
    out.push(Value::from(row));
    out.push(Value::from(col));
    if details {
        let mut d = Vec::new();
        let mut put = |k: &str, v: Value| d.push((Value::from(k), v));
        put("ns_id", Value::from(m.ns));
        put("right_gravity", Value::from(m.right_gravity));
        if let Some(e) = end {
            let (er, ec) = row_col(b, e);
            put("end_row", Value::from(er));
            put("end_col", Value::from(ec));
            put("end_right_gravity", Value::from(m.end_right_gravity));
        }
        let dec = &m.decoration;
        if let Some(p) = dec.priority.or_else(|| (!dec.is_empty()).then_some(4096)) {
            put("priority", Value::from(p));
        }
        if let Some(h) = &dec.hl_group {
            put("hl_group", Value::from(h.as_str()));
            put("hl_eol", Value::from(dec.hl_eol));
        }
        if !dec.virt_text.is_empty() {
            let chunks = dec
                .virt_text
                .iter()
                .map(|(t, h)| {
                    let mut c = vec![Value::from(t.as_str())];
                    if let Some(h) = h {
                        c.push(Value::from(h.as_str()));
                    }
                    Value::Array(c)
                })
                .collect();
            put("virt_text", Value::Array(chunks));
            put("virt_text_pos", Value::from(dec.virt_text_pos.name()));
            put("virt_text_hide", Value::from(dec.virt_text_hide));
            put("virt_text_repeat_linebreak", Value::from(false));
        }
        if let Some(s) = &dec.sign_text {
            put("sign_text", Value::from(s.as_str()));
        }
        if let Some(s) = &dec.sign_hl_group {
            put("sign_hl_group", Value::from(s.as_str()));
        }
        if m.invalidate {
            put("invalidate", Value::from(true));
        }
        if m.invalid {
            put("invalid", Value::from(true));
        }
        out.push(Value::Map(d));
    }
    Value::Array(out)
}

/// `nvim_buf_get_extmark_by_id(buffer, ns_id, id, opts)`: `[row, col]` (`[]` if there is no such
/// mark), with a details dictionary for `details = true`.
pub(super) fn get_extmark_by_id(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let ns = namespace(editor, a.int()?)?;
    let id = a.int()?;
    let mut details = false;
    for (k, v) in a.opts()? {
        match k {
            "details" => details = opt_bool(k, v)?,
            "hl_name" => {
                opt_bool(k, v)?;
            }
            other => return Err(invalid_key(other)),
        }
    }
    let b = editor.buffers.get(&buf).ok_or(ApiError::InvalidBuffer(i64::from(buf.0)))?;
    let found = u32::try_from(id).ok().and_then(|id| b.extmarks.get(&b.anchors, ns, id));
    Ok(match found {
        Some((m, s, e)) => describe(b, m, s, e, details, false),
        None => Value::Array(Vec::new()),
    })
}

/// A `start`/`end` argument of `nvim_buf_get_extmarks`: `[row, col]`, a mark id, or `0`/`-1`
/// for the buffer's start/end. Returns a char offset.
fn bound(b: &Buffer, ns: Option<u32>, v: &Value) -> Result<usize, ApiError> {
    match v {
        Value::Array(p) => {
            if p.len() != 2 {
                return Err(ApiError::Msg("Invalid mark position: expected 2 Integer items".to_string()));
            }
            let (Some(r), Some(c)) = (p[0].as_i64(), p[1].as_i64()) else {
                return Err(ApiError::Msg("Invalid mark position: expected 2 Integer items".to_string()));
            };
            // -1 in either place means "the end".
            if r < 0 {
                return Ok(b.text.len_chars());
            }
            let row = usize::try_from(r).unwrap_or(0);
            if row >= b.line_count() {
                return Ok(b.text.len_chars());
            }
            let line = b.line(row);
            let byte = if c < 0 { line.len() } else { usize::try_from(c).unwrap_or(0).min(line.len()) };
            Ok(b.line_start(row) + byte_to_char_col(&line, byte).unwrap_or(0))
        }
        Value::Integer(n) => match n.as_i64() {
            Some(0) => Ok(0),
            Some(-1) => Ok(b.text.len_chars()),
            Some(id) => {
                let ns = ns.ok_or_else(|| ApiError::Msg("Invalid 'ns_id': -1 with a mark id".to_string()))?;
                u32::try_from(id)
                    .ok()
                    .and_then(|id| b.extmarks.get(&b.anchors, ns, id))
                    .map(|(_, s, _)| s)
                    .ok_or_else(|| ApiError::Msg(format!("Invalid mark id: {id}")))
            }
            None => Err(ApiError::Msg("Invalid mark position".to_string())),
        },
        _ => Err(ApiError::Msg("Invalid mark position: expected mark id Integer or 2-item Array".to_string())),
    }
}

/// `nvim_buf_get_extmarks(buffer, ns_id, start, end, opts)`: `[[id, row, col], ...]` in position
/// order (reversed when `start` is after `end`); `opts`: `limit`, `details`, `overlap`, `type`.
pub(super) fn get_extmarks(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let ns = namespace_filter(editor, a.int()?)?;
    let (start, end) = (a.any()?, a.any()?);
    let (mut limit, mut details, mut overlap, mut kind) = (None, false, false, None);
    for (k, v) in a.opts()? {
        match k {
            "limit" => limit = Some(opt_int(k, v)?).filter(|l| *l >= 0),
            "details" => details = opt_bool(k, v)?,
            "overlap" => overlap = opt_bool(k, v)?,
            "hl_name" => {
                opt_bool(k, v)?;
            }
            "type" => kind = Some(opt_str(k, v)?.to_string()),
            other => return Err(invalid_key(other)),
        }
    }
    let b = editor.buffers.get(&buf).ok_or(ApiError::InvalidBuffer(i64::from(buf.0)))?;
    let (s, e) = (bound(b, ns, start)?, bound(b, ns, end)?);
    let reverse = s > e;
    let (lo, hi) = if reverse { (e, s) } else { (s, e) };
    let mut found: Vec<_> = b
        .extmarks
        .list(&b.anchors, ns)
        .into_iter()
        .filter(|(m, st, en)| {
            let inside = (lo..=hi).contains(st) || (overlap && *st < lo && en.is_some_and(|en| en >= lo));
            let typed = match kind.as_deref() {
                None => true,
                Some("highlight") => m.decoration.hl_group.is_some(),
                Some("virt_text") => !m.decoration.virt_text.is_empty(),
                Some("sign") => m.decoration.sign_text.is_some(),
                Some(_) => false,
            };
            inside && typed
        })
        .collect();
    if reverse {
        found.reverse();
    }
    if let Some(l) = limit.and_then(|l| usize::try_from(l).ok()).filter(|l| *l > 0) {
        found.truncate(l);
    }
    Ok(Value::Array(found.into_iter().map(|(m, st, en)| describe(b, m, st, en, details, true)).collect()))
}

/// `nvim_buf_del_extmark(buffer, ns_id, id)`: whether the mark existed.
pub(super) fn del_extmark(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let ns = namespace(editor, a.int()?)?;
    let id = a.int()?;
    let b = editor.buffers.get_mut(&buf).ok_or(ApiError::InvalidBuffer(i64::from(buf.0)))?;
    let gone = u32::try_from(id).is_ok_and(|id| b.extmarks.delete(&mut b.anchors, ns, id));
    Ok(Value::from(gone))
}

/// `nvim_buf_clear_namespace(buffer, ns_id, line_start, line_end)`: deletes the marks starting in
/// lines `line_start..line_end` (`-1`: to the end; `ns_id` `-1`: every namespace).
pub(super) fn clear_namespace(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let ns = namespace_filter(editor, a.int()?)?;
    let (first, last) = (a.int()?, a.int()?);
    let b = editor.buffers.get_mut(&buf).ok_or(ApiError::InvalidBuffer(i64::from(buf.0)))?;
    let first = usize::try_from(first).unwrap_or(0);
    let last = usize::try_from(last).unwrap_or(usize::MAX);
    let text = b.text.clone();
    b.extmarks.clear(&mut b.anchors, ns, |pos| {
        let row = text.char_to_line(pos.min(text.len_chars()));
        row >= first && row < last
    });
    Ok(Value::Nil)
}

/// `nvim_buf_add_highlight(buffer, ns_id, hl_group, line, col_start, col_end)`: a highlight
/// extmark (`col_end` `-1`: to the end of the line); returns `ns_id`. A line outside the buffer
/// is ignored, as in Neovim.
pub(super) fn add_highlight(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let ns_arg = a.int()?;
    let group = a.string()?.to_string();
    let (line, cs, ce) = (a.int()?, a.int()?, a.int()?);
    let ns = if ns_arg < 0 { editor.namespaces.create("") } else { namespace(editor, ns_arg)? };
    let b = editor.buffers.get_mut(&buf).ok_or(ApiError::InvalidBuffer(i64::from(buf.0)))?;
    let Ok(row) = usize::try_from(line) else { return Ok(Value::from(ns_arg)) };
    if row >= b.line_count() {
        return Ok(Value::from(ns_arg));
    }
    let text = b.line(row);
    let start_byte = usize::try_from(cs).unwrap_or(0).min(text.len());
    let end_byte = if ce < 0 { text.len() } else { usize::try_from(ce).unwrap_or(0).min(text.len()) };
    let start = b.line_start(row) + byte_to_char_col(&text, start_byte).unwrap_or(0);
    let end = b.line_start(row) + byte_to_char_col(&text, end_byte.max(start_byte)).unwrap_or(0);
    let m = NewMark {
        ns,
        id: None,
        start,
        end: Some(end),
        line_end: end,
        right_gravity: true,
        end_right_gravity: false,
        invalidate: false,
        decoration: Decoration { hl_group: Some(group), ..Decoration::default() },
    };
    b.extmarks.set(&mut b.anchors, m);
    Ok(Value::from(ns_arg))
}
