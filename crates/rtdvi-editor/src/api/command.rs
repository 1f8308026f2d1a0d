//! User command entries: `nvim_create_user_command`, `nvim_del_user_command`,
//! `nvim_get_commands` and their buffer variants, over [`crate::user_command`].

use rmpv::Value;

use super::args::{invalid_key, opt_bool, opt_str, type_name};
use super::{callback_id, ApiEntry, ApiError, Args};
use crate::buffer::BufferId;
use crate::editor::Editor;
use crate::user_command::{Nargs, RangeKind, UserAction, UserCommand};

/// This module's entries of the API table.
pub(super) static ENTRIES: &[ApiEntry] = &[
    ApiEntry { name: "nvim_buf_create_user_command", params: BUF_CREATE, returns: "nil", func: buf_create },
    ApiEntry { name: "nvim_buf_del_user_command", params: BUF_NAME, returns: "nil", func: buf_del },
    ApiEntry { name: "nvim_buf_get_commands", params: BUF_OPTS, returns: "Dictionary", func: buf_get_commands },
    ApiEntry { name: "nvim_create_user_command", params: CREATE, returns: "nil", func: create },
    ApiEntry { name: "nvim_del_user_command", params: NAME, returns: "nil", func: del },
    ApiEntry { name: "nvim_get_commands", params: OPTS, returns: "Dictionary", func: get_commands },
];

const CREATE: &[(&str, &str)] = &[("name", "String"), ("command", "Object"), ("opts", "Dictionary")];
const BUF_CREATE: &[(&str, &str)] =
    &[("buffer", "Buffer"), ("name", "String"), ("command", "Object"), ("opts", "Dictionary")];
const NAME: &[(&str, &str)] = &[("name", "String")];
const BUF_NAME: &[(&str, &str)] = &[("buffer", "Buffer"), ("name", "String")];
const OPTS: &[(&str, &str)] = &[("opts", "Dictionary")];
const BUF_OPTS: &[(&str, &str)] = &[("buffer", "Buffer"), ("opts", "Dictionary")];

/// Defines a command from the API's arguments.
fn define(
    editor: &mut Editor,
    buffer: Option<BufferId>,
    name: &str,
    command: &Value,
    opts: &[(&str, &Value)],
) -> Result<(), ApiError> {
    let action = match command {
        Value::String(s) => UserAction::Command(s.as_str().unwrap_or_default().to_string()),
        v => UserAction::Callback(callback_id(v).ok_or_else(|| {
            ApiError::Msg(format!("Invalid 'command': expected String or Function, got {}", type_name(v)))
        })?),
    };
    let mut cmd = UserCommand::new(name, action);
    for (k, v) in opts {
        match *k {
            "nargs" => {
                let text = match v {
                    Value::Integer(n) => n.to_string(),
                    Value::String(s) => s.as_str().unwrap_or_default().to_string(),
                    _ => String::new(),
                };
                cmd.nargs = Nargs::parse(&text).ok_or_else(|| ApiError::Msg(format!("Invalid 'nargs': {text}")))?;
            }
            "bang" => cmd.bang = opt_bool(k, v)?,
            "bar" => cmd.bar = opt_bool(k, v)?,
            "register" => cmd.register = opt_bool(k, v)?,
            "desc" => cmd.desc = Some(opt_str(k, v)?.to_string()),
            "complete" => {
                // A completion function is accepted; only named kinds are reported back.
                cmd.complete = v.as_str().map(str::to_string);
            }
            "range" => {
                cmd.range = match v {
                    Value::Boolean(true) => RangeKind::Line,
                    Value::Boolean(false) => RangeKind::None,
                    Value::String(s) if s.as_str() == Some("%") => RangeKind::All,
                    Value::Integer(n) => RangeKind::Count(n.as_i64().unwrap_or(0)),
                    _ => return Err(ApiError::Msg("Invalid 'range': expected boolean, '%' or number".to_string())),
                }
            }
            "count" => {
                cmd.range = match v {
                    Value::Boolean(true) => RangeKind::Count(0),
                    Value::Boolean(false) => cmd.range,
                    Value::Integer(n) => RangeKind::Count(n.as_i64().unwrap_or(0)),
                    _ => return Err(ApiError::Msg("Invalid 'count': expected boolean or number".to_string())),
                }
            }
            "force" | "keepscript" | "preview" | "addr" => {}
            other => return Err(invalid_key(other)),
        }
    }
    let old = editor.user_commands.define(buffer, cmd).map_err(|e| ApiError::Msg(e.to_string()))?;
    release(editor, old);
    Ok(())
}

fn release(editor: &mut Editor, old: Option<UserCommand>) {
    if let Some(UserCommand { action: UserAction::Callback(cb), .. }) = old {
        editor.release_callback(cb);
    }
}

/// `nvim_create_user_command(name, command, opts)`.
pub(super) fn create(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let name = a.string()?;
    let command = a.any()?;
    let opts = a.opts()?;
    define(editor, None, name, command, &opts)?;
    Ok(Value::Nil)
}

/// `nvim_buf_create_user_command(buffer, name, command, opts)`.
pub(super) fn buf_create(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let name = a.string()?;
    let command = a.any()?;
    let opts = a.opts()?;
    define(editor, Some(buf), name, command, &opts)?;
    Ok(Value::Nil)
}

/// `nvim_del_user_command(name)`.
pub(super) fn del(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let name = a.string()?;
    let old = editor.user_commands.delete(None, name).map_err(|e| ApiError::Msg(e.to_string()))?;
    release(editor, Some(old));
    Ok(Value::Nil)
}

/// `nvim_buf_del_user_command(buffer, name)`.
pub(super) fn buf_del(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let name = a.string()?;
    let old = editor.user_commands.delete(Some(buf), name).map_err(|e| ApiError::Msg(e.to_string()))?;
    release(editor, Some(old));
    Ok(Value::Nil)
}

/// The `{builtin}` options of the listing functions.
fn listing_opts(opts: &[(&str, &Value)]) -> Result<(), ApiError> {
    for (k, v) in opts {
        match *k {
            "builtin" if opt_bool(k, v)? => return Err(ApiError::Msg("builtin=true not implemented".to_string())),
            "builtin" => {}
            other => return Err(invalid_key(other)),
        }
    }
    Ok(())
}

/// A command's dictionary as `nvim_get_commands` reports it.
fn describe(c: &UserCommand) -> Value {
    // A command string is its own definition (Neovim 0.11 shows it even with a `desc`); a Lua
    // callback is described by its `desc`.
    let definition = match (&c.desc, &c.action) {
        (_, UserAction::Command(s)) => s.clone(),
        (Some(d), UserAction::Callback(_)) => d.clone(),
        (None, UserAction::Callback(_)) => String::new(),
    };
    let mut m = vec![
        (Value::from("name"), Value::from(c.name.as_str())),
        (Value::from("nargs"), Value::from(c.nargs.as_str())),
        (Value::from("bang"), Value::from(c.bang)),
        (Value::from("bar"), Value::from(c.bar)),
        (Value::from("register"), Value::from(c.register)),
        (Value::from("definition"), Value::from(definition)),
        (Value::from("keepscript"), Value::from(false)),
        (Value::from("preview"), Value::from(false)),
        (Value::from("script_id"), Value::from(-8)),
    ];
    match c.range {
        RangeKind::None => {}
        RangeKind::Line => m.push((Value::from("range"), Value::from("."))),
        RangeKind::All => m.push((Value::from("range"), Value::from("%"))),
        RangeKind::Count(n) => {
            m.push((Value::from("range"), Value::from(n.to_string())));
            m.push((Value::from("count"), Value::from(n.to_string())));
            m.push((Value::from("addr"), Value::from("other")));
        }
    }
    if let Some(comp) = &c.complete {
        m.push((Value::from("complete"), Value::from(comp.as_str())));
    }
    Value::Map(m)
}

fn listing(editor: &Editor, buffer: Option<BufferId>) -> Value {
    Value::Map(
        editor.user_commands.list(buffer).into_iter().map(|c| (Value::from(c.name.as_str()), describe(c))).collect(),
    )
}

/// `nvim_get_commands(opts)`: global user commands by name.
pub(super) fn get_commands(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    listing_opts(&a.opts()?)?;
    Ok(listing(editor, None))
}

/// `nvim_buf_get_commands(buffer, opts)`: the buffer's local user commands.
pub(super) fn buf_get_commands(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    listing_opts(&a.opts()?)?;
    Ok(listing(editor, Some(buf)))
}
