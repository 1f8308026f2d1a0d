//! Autocmd entries: `nvim_create_augroup`, `nvim_del_augroup_by_*`, `nvim_create_autocmd`,
//! `nvim_get_autocmds`, `nvim_clear_autocmds`, `nvim_exec_autocmds`.
//!
//! They share [`crate::events::Autocmds`] with `:augroup`, `:autocmd` and `:doautocmd`. One
//! `nvim_create_autocmd` call with several events or patterns makes one autocmd per (event,
//! pattern) sharing one id, as Neovim lists them. Group ids start at 1 (Neovim's first user
//! group gets a higher id because its own groups come first; plugins only compare ids).

use rmpv::Value;

use super::args::{invalid_key, opt_bool, opt_int, opt_str, opt_strings, resolve_buffer, type_name};
use super::{callback_arg, callback_id, ApiEntry, ApiError, Args};
use crate::buffer::BufferId;
use crate::editor::Editor;
use crate::events::{Action, Autocmd, Event};

/// This module's entries of the API table.
pub(super) static ENTRIES: &[ApiEntry] = &[
    ApiEntry { name: "nvim_clear_autocmds", params: OPTS, returns: "nil", func: clear_autocmds },
    ApiEntry { name: "nvim_create_augroup", params: NAME_OPTS, returns: "Integer", func: create_augroup },
    ApiEntry { name: "nvim_create_autocmd", params: EVENT_OPTS, returns: "Integer", func: create_autocmd },
    ApiEntry { name: "nvim_del_augroup_by_id", params: ID, returns: "nil", func: del_augroup_by_id },
    ApiEntry { name: "nvim_del_augroup_by_name", params: NAME, returns: "nil", func: del_augroup_by_name },
    ApiEntry { name: "nvim_del_autocmd", params: ID, returns: "nil", func: del_autocmd },
    ApiEntry { name: "nvim_exec_autocmds", params: EVENT_OPTS, returns: "nil", func: exec_autocmds },
    ApiEntry { name: "nvim_get_autocmds", params: OPTS, returns: "Array", func: get_autocmds },
];

const OPTS: &[(&str, &str)] = &[("opts", "Dictionary")];
const NAME_OPTS: &[(&str, &str)] = &[("name", "String"), ("opts", "Dictionary")];
const EVENT_OPTS: &[(&str, &str)] = &[("event", "Object"), ("opts", "Dictionary")];
const ID: &[(&str, &str)] = &[("id", "Integer")];
const NAME: &[(&str, &str)] = &[("name", "String")];

/// A group given by name or id; `Invalid 'group'` when it doesn't exist.
fn group(editor: &Editor, v: &Value) -> Result<u32, ApiError> {
    match v {
        Value::String(s) => {
            let name = s.as_str().unwrap_or_default();
            editor.autocmds.group_id(name).ok_or_else(|| ApiError::Msg(format!("Invalid 'group': '{name}'")))
        }
        Value::Integer(n) => {
            let id = n.as_i64().unwrap_or(0);
            u32::try_from(id)
                .ok()
                .filter(|g| editor.autocmds.group_name(*g).is_some())
                .ok_or_else(|| ApiError::Msg(format!("Invalid 'group': {id}")))
        }
        other => Err(ApiError::Msg(format!("Invalid 'group': expected String or Integer, got {}", type_name(other)))),
    }
}

/// Parses an event list (a name or an array of names).
fn events(v: &Value) -> Result<Vec<Event>, ApiError> {
    let names = opt_strings("event", v)?;
    if names.is_empty() {
        return Err(ApiError::Msg("Required: 'event'".to_string()));
    }
    names.iter().map(|n| n.parse::<Event>().map_err(|_| ApiError::Msg(format!("Invalid 'event': '{n}'")))).collect()
}

fn buffer(editor: &Editor, key: &str, v: &Value) -> Result<BufferId, ApiError> {
    resolve_buffer(editor, opt_int(key, v)?)
}

/// `nvim_create_augroup(name, {clear})`: creates or finds a group; `clear` (default true) deletes
/// its autocmds.
pub(super) fn create_augroup(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let name = a.string()?.to_string();
    let mut clear = true;
    for (k, v) in a.opts()? {
        match k {
            "clear" => clear = opt_bool(k, v)?,
            other => return Err(invalid_key(other)),
        }
    }
    let id = editor.autocmds.group_id(&name);
    if clear {
        if let Some(g) = id {
            remove(editor, |au| au.group == Some(g));
        }
    }
    Ok(Value::from(editor.autocmds.group(&name, false)))
}

/// Removes autocmds and releases their callbacks.
fn remove(editor: &mut Editor, hit: impl FnMut(&Autocmd) -> bool) {
    let gone = editor.autocmds.remove_where(hit);
    let mut released = Vec::new();
    for au in gone {
        if let Action::Callback(cb) = au.action {
            // Autocmds sharing an id share their callback: release it once.
            if !released.contains(&cb) {
                released.push(cb);
                editor.release_callback(cb);
            }
        }
    }
}

/// `nvim_del_augroup_by_id(id)`.
pub(super) fn del_augroup_by_id(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let id = a.int()?;
    let g = u32::try_from(id).ok().filter(|g| editor.autocmds.group_name(*g).is_some());
    let Some(g) = g else {
        // Neovim keeps a deleted group's slot under the name `--Deleted--`.
        let deleted = u32::try_from(id).is_ok_and(|g| editor.autocmds.group_was_deleted(g));
        let name = if deleted { "--Deleted--" } else { "[NULL]" };
        return Err(ApiError::Msg(format!("Vim:E367: No such group: \"{name}\"")));
    };
    remove(editor, |au| au.group == Some(g));
    editor.autocmds.delete_group(g);
    Ok(Value::Nil)
}

/// `nvim_del_augroup_by_name(name)`.
pub(super) fn del_augroup_by_name(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let name = a.string()?;
    let Some(g) = editor.autocmds.group_id(name) else {
        return Err(ApiError::Msg(format!("Vim:E367: No such group: \"{name}\"")));
    };
    remove(editor, |au| au.group == Some(g));
    editor.autocmds.delete_group(g);
    Ok(Value::Nil)
}

/// `nvim_del_autocmd(id)`.
pub(super) fn del_autocmd(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let id = a.int()?;
    if id < 1 {
        return Err(ApiError::Msg("Invalid 'id': expected positive Integer".to_string()));
    }
    let id = u64::try_from(id).unwrap_or(0);
    remove(editor, |au| au.id == id);
    Ok(Value::Nil)
}

/// `nvim_create_autocmd(event, opts)`: `opts` takes `group`, `pattern`, `buffer`, `desc`,
/// `callback` or `command`, `once`, `nested`; returns the autocmd id.
pub(super) fn create_autocmd(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let evs = events(a.any()?)?;
    let (mut grp, mut patterns, mut buf, mut desc, mut action) = (None, None, None, None, None);
    let (mut once, mut nested) = (false, false);
    let mut both = false;
    for (k, v) in a.opts()? {
        match k {
            "group" => grp = Some(group(editor, v)?),
            "pattern" => patterns = Some(opt_strings(k, v)?),
            "buffer" => buf = Some(buffer(editor, k, v)?),
            "desc" => desc = Some(opt_str(k, v)?.to_string()),
            "callback" => {
                let cb = callback_id(v).ok_or_else(|| {
                    ApiError::Msg(format!("Invalid 'callback': expected Function, got {}", type_name(v)))
                })?;
                both |= action.is_some();
                action = Some(Action::Callback(cb));
            }
            "command" => {
                both |= action.is_some();
                action = Some(Action::Command(opt_str(k, v)?.to_string()));
            }
            "once" => once = opt_bool(k, v)?,
            "nested" => nested = opt_bool(k, v)?,
            other => return Err(invalid_key(other)),
        }
    }
    if both {
        return Err(ApiError::Msg("Cannot use both 'callback' and 'command'".to_string()));
    }
    let Some(action) = action else {
        return Err(ApiError::Msg("Required: 'command' or 'callback'".to_string()));
    };
    if patterns.is_some() && buf.is_some() {
        return Err(ApiError::Msg("Cannot use both 'pattern' and 'buffer' for the same autocmd".to_string()));
    }
    let patterns = match (buf, patterns) {
        (Some(b), _) => vec![format!("<buffer={}>", b.0)],
        (None, Some(p)) if !p.is_empty() => p,
        _ => vec!["*".to_string()],
    };
    let mut list = Vec::new();
    for event in &evs {
        for p in &patterns {
            list.push(Autocmd {
                id: 0,
                group: grp,
                event: *event,
                pattern: p.clone(),
                buffer: buf,
                once,
                nested,
                action: action.clone(),
                desc: desc.clone(),
            });
        }
    }
    Ok(Value::from(editor.autocmds.add_shared(list)))
}

/// The autocmds `opts` selects (`group`, `event`, `pattern`, `buffer`, and for `get` also `id`).
fn select(editor: &Editor, opts: &[(&str, &Value)], allow_id: bool) -> Result<Vec<Autocmd>, ApiError> {
    let (mut grp, mut evs, mut patterns, mut bufs, mut id) = (None, None, None, None, None);
    for (k, v) in opts {
        match *k {
            "group" => grp = Some(group(editor, v)?),
            "event" => evs = Some(events(v)?),
            "pattern" => patterns = Some(opt_strings(k, v)?),
            "buffer" => {
                bufs = Some(match v {
                    Value::Array(items) => items.iter().map(|b| buffer(editor, k, b)).collect::<Result<Vec<_>, _>>()?,
                    _ => vec![buffer(editor, k, v)?],
                })
            }
            "id" if allow_id => id = Some(opt_int(k, v)?),
            other => return Err(invalid_key(other)),
        }
    }
    if patterns.is_some() && bufs.is_some() {
        return Err(ApiError::Msg("Cannot use both 'pattern' and 'buffer'".to_string()));
    }
    let mut out: Vec<Autocmd> = editor
        .autocmds
        .all()
        .iter()
        .filter(|au| {
            grp.is_none_or(|g| au.group == Some(g))
                && evs.as_ref().is_none_or(|e| e.contains(&au.event))
                && patterns.as_ref().is_none_or(|p| p.contains(&au.pattern))
                && bufs.as_ref().is_none_or(|b| au.buffer.is_some_and(|x| b.contains(&x)))
                && id.is_none_or(|i| i64::try_from(au.id).is_ok_and(|x| x == i))
        })
        .cloned()
        .collect();
    // Neovim lists by event, then in definition order.
    out.sort_by_key(|au| au.event);
    Ok(out)
}

/// `nvim_get_autocmds(opts)`: a dictionary per (event, pattern) autocmd.
pub(super) fn get_autocmds(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let opts = a.opts()?;
    let list = select(editor, &opts, true)?;
    let mut out = Vec::new();
    for au in list {
        let mut m = vec![(Value::from("id"), Value::from(au.id))];
        if let Some(g) = au.group {
            m.push((Value::from("group"), Value::from(g)));
            let name = editor.autocmds.group_name(g).unwrap_or_default();
            m.push((Value::from("group_name"), Value::from(name)));
        }
        if let Some(d) = &au.desc {
            m.push((Value::from("desc"), Value::from(d.as_str())));
        }
        m.push((Value::from("event"), Value::from(au.event.name())));
        match &au.action {
            Action::Command(c) => m.push((Value::from("command"), Value::from(c.as_str()))),
            Action::Callback(cb) => {
                m.push((Value::from("callback"), callback_arg(*cb)));
                m.push((Value::from("command"), Value::from("")));
            }
        }
        m.push((Value::from("once"), Value::from(au.once)));
        m.push((Value::from("pattern"), Value::from(au.pattern.as_str())));
        m.push((Value::from("buflocal"), Value::from(au.buffer.is_some())));
        if let Some(b) = au.buffer {
            m.push((Value::from("buffer"), Value::from(b.0)));
        }
        out.push(Value::Map(m));
    }
    Ok(Value::Array(out))
}

/// `nvim_clear_autocmds(opts)`: deletes the autocmds `event`, `pattern`, `buffer` and `group`
/// select (without `group`, only autocmds outside any group, as in Neovim).
pub(super) fn clear_autocmds(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let opts = a.opts()?;
    let has_group = opts.iter().any(|(k, _)| *k == "group");
    let ids: Vec<(u64, Event, String)> =
        select(editor, &opts, false)?.into_iter().map(|au| (au.id, au.event, au.pattern)).collect();
    remove(editor, |au| {
        (has_group || au.group.is_none())
            && ids.iter().any(|(i, e, p)| *i == au.id && *e == au.event && *p == au.pattern)
    });
    Ok(Value::Nil)
}

/// `nvim_exec_autocmds(event, opts)`: fires events now; `opts` takes `group`, `pattern`, `buffer`,
/// `modeline` (accepted, no modelines are applied) and `data` (passed to callbacks).
pub(super) fn exec_autocmds(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let evs = events(a.any()?)?;
    let (mut grp, mut patterns, mut buf, mut data) = (None, None, None, None);
    for (k, v) in a.opts()? {
        match k {
            "group" => grp = Some(group(editor, v)?),
            "pattern" => patterns = Some(opt_strings(k, v)?),
            "buffer" => buf = Some(buffer(editor, k, v)?),
            "modeline" => {
                opt_bool(k, v)?;
            }
            "data" => data = Some(super::value_to_json(v).to_string()),
            other => return Err(invalid_key(other)),
        }
    }
    if patterns.is_some() && buf.is_some() {
        return Err(ApiError::Msg("Cannot use both 'pattern' and 'buffer' for the same autocmd".to_string()));
    }
    let target = buf.unwrap_or_else(|| editor.buf_id());
    for event in evs {
        let base = editor.buf_event_args(target);
        let matches = match &patterns {
            Some(p) => p.clone(),
            // A User event without a pattern matches `*` autocmds only; others match the file.
            None if event == Event::User => vec![String::new()],
            None => vec![base.matched.clone()],
        };
        for m in matches {
            let mut args = base.clone();
            if event == Event::User || patterns.is_some() {
                args.file = m.clone();
            }
            args.matched = m;
            args.data = data.clone();
            editor.fire_explicitly(event, args, grp);
        }
    }
    Ok(Value::Nil)
}
