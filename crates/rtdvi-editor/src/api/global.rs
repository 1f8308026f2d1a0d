//! Editor-wide entries: current buffer/window, buffer list, ex commands, options, messages, mode,
//! and the version query.

use rmpv::Value;

use super::{ApiEntry, ApiError, Args};
use crate::editor::Editor;
use crate::options::{self, OptionValue, Scope, SetScope};

/// This module's entries of the API table.
pub(super) static ENTRIES: &[ApiEntry] = &[
    ApiEntry { name: "nvim__ns_set", params: NS_SET, returns: "nil", func: ns_set },
    ApiEntry { name: "nvim__redraw", params: REDRAW, returns: "nil", func: redraw },
    ApiEntry { name: "nvim_buf_get_option", params: BUF_GET_OPTION, returns: "Object", func: buf_get_option },
    ApiEntry { name: "nvim_buf_set_option", params: BUF_SET_OPTION, returns: "nil", func: buf_set_option },
    ApiEntry { name: "nvim_command", params: COMMAND, returns: "nil", func: command },
    ApiEntry { name: "nvim_echo", params: ECHO, returns: "nil", func: echo },
    ApiEntry { name: "nvim_err_write", params: TEXT, returns: "nil", func: err_write },
    ApiEntry { name: "nvim_err_writeln", params: TEXT, returns: "nil", func: err_writeln },
    ApiEntry { name: "nvim_get_runtime_file", params: RUNTIME_FILE, returns: "Array", func: get_runtime_file },
    ApiEntry { name: "nvim_list_runtime_paths", params: &[], returns: "Array", func: list_runtime_paths },
    ApiEntry { name: "nvim_out_write", params: TEXT, returns: "nil", func: out_write },
    ApiEntry { name: "nvim_strwidth", params: TEXT, returns: "Integer", func: strwidth },
    ApiEntry { name: "nvim_get_current_buf", params: &[], returns: "Buffer", func: get_current_buf },
    ApiEntry { name: "nvim_get_mode", params: &[], returns: "Dictionary", func: get_mode },
    ApiEntry { name: "nvim_get_option_value", params: GET_OPTION, returns: "Object", func: get_option_value },
    ApiEntry { name: "nvim_list_bufs", params: &[], returns: "Array", func: list_bufs },
    ApiEntry { name: "nvim_notify", params: NOTIFY, returns: "nil", func: notify },
    ApiEntry { name: "nvim_set_option_value", params: SET_OPTION, returns: "nil", func: set_option_value },
    ApiEntry { name: "nvim_win_get_option", params: WIN_GET_OPTION, returns: "Object", func: win_get_option },
    ApiEntry { name: "nvim_win_set_option", params: WIN_SET_OPTION, returns: "nil", func: win_set_option },
    ApiEntry { name: "rtdvi_api_version", params: &[], returns: "Dictionary", func: api_version },
];

/// `nvim_command` parameters.
pub(super) const COMMAND: &[(&str, &str)] = &[("command", "String")];
/// `nvim_echo` parameters.
pub(super) const ECHO: &[(&str, &str)] = &[("chunks", "Array"), ("history", "Boolean"), ("opts", "Dictionary?")];
/// `nvim_notify` parameters.
pub(super) const NOTIFY: &[(&str, &str)] = &[("msg", "String"), ("log_level", "Integer"), ("opts", "Dictionary?")];
/// `nvim_get_option_value` parameters.
pub(super) const GET_OPTION: &[(&str, &str)] = &[("name", "String"), ("opts", "Dictionary?")];
/// `nvim_set_option_value` parameters.
pub(super) const SET_OPTION: &[(&str, &str)] = &[("name", "String"), ("value", "Object"), ("opts", "Dictionary?")];

/// `nvim__redraw` parameters.
const REDRAW: &[(&str, &str)] = &[("opts", "Dictionary")];
/// `nvim__ns_set` parameters.
const NS_SET: &[(&str, &str)] = &[("ns_id", "Integer"), ("opts", "Dictionary")];

/// `nvim__redraw(opts)`: the front end redraws after every command anyway, so this only checks
/// its arguments (an experimental Neovim function plugins call to flush the screen).
pub(super) fn redraw(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    for (k, v) in a.opts()? {
        match k {
            "win" => {
                super::args::resolve_window(editor, super::args::opt_int(k, v)?)?;
            }
            "buf" => {
                super::args::resolve_buffer(editor, super::args::opt_int(k, v)?)?;
            }
            "flush" | "cursor" | "valid" | "statusline" | "statuscolumn" | "winbar" | "tabline" | "range" => {}
            other => return Err(super::args::invalid_key(other)),
        }
    }
    Ok(Value::Nil)
}

/// `nvim__ns_set(ns_id, opts)`: scoping a namespace to windows is not supported; accepted so
/// plugins that scope their highlights keep working (their marks show in every window).
pub(super) fn ns_set(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let ns = a.int()?;
    if u32::try_from(ns).map_or(true, |n| !editor.namespaces.exists(n)) {
        return Err(ApiError::Msg(format!("Invalid 'ns_id': {ns}")));
    }
    a.opts()?;
    Ok(Value::Nil)
}

/// `(str)`.
const TEXT: &[(&str, &str)] = &[("str", "String")];
/// `nvim_get_runtime_file` parameters.
const RUNTIME_FILE: &[(&str, &str)] = &[("name", "String"), ("all", "Boolean")];

/// `nvim_strwidth(text)`: display cells (a tab counts one, as in Neovim).
pub(super) fn strwidth(_: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let text = a.string()?;
    let w: usize =
        text.chars().map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(1).max(usize::from(c == '\t'))).sum();
    Ok(Value::from(w))
}

/// `nvim_out_write(str)`: text to the message area (a trailing line break ends the message).
pub(super) fn out_write(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let text = a.string()?;
    let text = text.strip_suffix('\n').unwrap_or(text);
    if !text.is_empty() {
        // Neovim keeps it in `:messages`, as `print` does.
        editor.messages.info(text);
    }
    Ok(Value::Nil)
}

/// `nvim_err_write(str)`: an error message (kept in `:messages`).
pub(super) fn err_write(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let text = a.string()?;
    let text = text.strip_suffix('\n').unwrap_or(text);
    if !text.is_empty() {
        editor.messages.error(text);
    }
    Ok(Value::Nil)
}

/// `nvim_err_writeln(str)`: an error message.
pub(super) fn err_writeln(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let text = a.string()?.to_string();
    editor.messages.error(text);
    Ok(Value::Nil)
}

/// The directories of 'runtimepath', `~` expanded and relative ones resolved.
fn runtime_dirs(editor: &Editor) -> Vec<std::path::PathBuf> {
    let rtp = editor.opt("runtimepath").as_str().into_owned();
    rtp.split(',').filter(|d| !d.is_empty()).map(|d| editor.absolute(std::path::Path::new(d))).collect()
}

/// `nvim_list_runtime_paths()`: the 'runtimepath' directories.
pub(super) fn list_runtime_paths(editor: &mut Editor, _: &mut Args<'_>) -> Result<Value, ApiError> {
    Ok(Value::Array(runtime_dirs(editor).iter().map(|d| Value::from(d.display().to_string())).collect()))
}

/// `nvim_get_runtime_file(name, all)`: files matching `name` (a relative path whose last part may
/// hold `*` and `?`) under each 'runtimepath' directory, in 'runtimepath' order; only the first
/// unless `all`.
pub(super) fn get_runtime_file(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let name = a.string()?.to_string();
    let all = a.bool()?;
    let rel = std::path::Path::new(&name);
    let (dir, pat) = match (rel.parent(), rel.file_name().and_then(|f| f.to_str())) {
        (Some(d), Some(p)) => (d.to_path_buf(), p.to_string()),
        _ => return Ok(Value::Array(Vec::new())),
    };
    let mut out = Vec::new();
    for root in runtime_dirs(editor) {
        let base = root.join(&dir);
        let mut found: Vec<String> = if pat.contains(['*', '?']) {
            let Ok(entries) = std::fs::read_dir(&base) else { continue };
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_str().is_some_and(|n| crate::events::pattern_matches(&pat, n)))
                .map(|e| e.path().display().to_string())
                .collect()
        } else {
            let p = base.join(&pat);
            if p.exists() {
                vec![p.display().to_string()]
            } else {
                Vec::new()
            }
        };
        found.sort();
        for f in found {
            out.push(Value::from(f));
            if !all {
                return Ok(Value::Array(out));
            }
        }
    }
    Ok(Value::Array(out))
}

/// `nvim_buf_get_option` parameters.
const BUF_GET_OPTION: &[(&str, &str)] = &[("buffer", "Buffer"), ("name", "String")];
/// `nvim_buf_set_option` parameters.
const BUF_SET_OPTION: &[(&str, &str)] = &[("buffer", "Buffer"), ("name", "String"), ("value", "Object")];
/// `nvim_win_get_option` parameters.
const WIN_GET_OPTION: &[(&str, &str)] = &[("window", "Window"), ("name", "String")];
/// `nvim_win_set_option` parameters.
const WIN_SET_OPTION: &[(&str, &str)] = &[("window", "Window"), ("name", "String"), ("value", "Object")];

/// The option of the deprecated per-buffer/window option functions (their own error text).
fn old_option_id(name: &str) -> Result<options::OptionId, ApiError> {
    options::lookup(name).ok_or_else(|| ApiError::Msg(format!("Invalid option name: '{name}'")))
}

/// `nvim_buf_get_option(buffer, name)` (deprecated in Neovim, still used): the buffer's value.
pub(super) fn buf_get_option(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let id = old_option_id(a.string()?)?;
    let key = Value::from(buf.0);
    get_option(editor, id, &[("buf", &key)])
}

/// `nvim_buf_set_option(buffer, name, value)`.
pub(super) fn buf_set_option(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let buf = a.buffer(editor)?;
    let name = a.string()?;
    let id = old_option_id(name)?;
    let value = a.any()?;
    let key = Value::from(buf.0);
    set_option(editor, id, name, value, &[("buf", &key)])
}

/// `nvim_win_get_option(window, name)`.
pub(super) fn win_get_option(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let win = a.window(editor)?;
    let id = old_option_id(a.string()?)?;
    let key = Value::from(win.0);
    get_option(editor, id, &[("win", &key)])
}

/// `nvim_win_set_option(window, name, value)`.
pub(super) fn win_set_option(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let win = a.window(editor)?;
    let name = a.string()?;
    let id = old_option_id(name)?;
    let value = a.any()?;
    let key = Value::from(win.0);
    set_option(editor, id, name, value, &[("win", &key)])
}

/// `nvim_get_current_buf()`.
pub(super) fn get_current_buf(editor: &mut Editor, _: &mut Args<'_>) -> Result<Value, ApiError> {
    Ok(Value::from(editor.buf_id().0))
}

/// `nvim_list_bufs()`: every buffer, listed or not, in id order (Neovim's rule).
pub(super) fn list_bufs(editor: &mut Editor, _: &mut Args<'_>) -> Result<Value, ApiError> {
    Ok(Value::Array(editor.buffers.keys().map(|id| Value::from(id.0)).collect()))
}

/// `nvim_command(command)`: runs an ex command line; its error comes back as Vim words it,
/// `Vim(substitute):<message>` (`Vim:<message>` when no built-in command failed).
pub(super) fn command(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let line = a.string()?;
    editor.execute_ex_named(line).map_err(|(name, e)| ApiError::Msg(super::exec::vim_error(name, &e)))?;
    Ok(Value::Nil)
}

/// `nvim_echo(chunks, history, opts)`: the chunks' texts joined into one message (highlight groups
/// are accepted and not yet used).
pub(super) fn echo(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let chunks = a.array()?;
    let history = a.bool()?;
    let opts = a.opts()?;
    let mut text = String::new();
    for c in chunks {
        let t = c.as_array().and_then(|c| c.first()).and_then(Value::as_str);
        let Some(t) = t else {
            return Err(ApiError::Msg("Invalid chunk: expected Array with 1 or 2 Strings".to_string()));
        };
        text.push_str(t);
    }
    if opts.iter().any(|(k, v)| *k == "err" && v.as_bool() == Some(true)) {
        editor.messages.error(text);
    } else if history {
        editor.messages.info(text);
    } else {
        editor.messages.echo(text);
    }
    Ok(Value::Nil)
}

/// `nvim_notify(msg, log_level, opts)`: levels are `vim.log.levels` (3 WARN, 4 ERROR).
pub(super) fn notify(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let msg = a.string()?.to_string();
    let level = a.int()?;
    a.opts()?;
    match level {
        4.. => editor.messages.error(msg),
        3 => editor.messages.warning(msg),
        _ => editor.messages.info(msg),
    }
    Ok(Value::Nil)
}

/// `nvim_get_mode()`: the mode as `mode()` names it (`n`, `i`, `v`, `no`...); never blocking, since
/// plugin calls run between keys.
pub(super) fn get_mode(editor: &mut Editor, _: &mut Args<'_>) -> Result<Value, ApiError> {
    Ok(Value::Map(vec![
        (Value::from("mode"), Value::from(editor.mode())),
        (Value::from("blocking"), Value::from(false)),
    ]))
}

/// `rtdvi_api_version()`: `{api_level, functions = [names]}`, so plugins can check what the host
/// offers.
pub(super) fn api_version(_: &mut Editor, _: &mut Args<'_>) -> Result<Value, ApiError> {
    let names = super::table().iter().map(|e| Value::from(e.name)).collect();
    Ok(Value::Map(vec![
        (Value::from("api_level"), Value::from(super::API_LEVEL)),
        (Value::from("functions"), Value::Array(names)),
    ]))
}

/// The `scope`/`buf`/`win` keys of the option functions' `opts`.
struct OptionTarget {
    scope: Option<SetScope>,
    buf: Option<crate::buffer::BufferId>,
    win: Option<crate::window::WindowId>,
}

fn option_target(editor: &Editor, opts: &[(&str, &Value)]) -> Result<OptionTarget, ApiError> {
    let mut t = OptionTarget { scope: None, buf: None, win: None };
    for (k, v) in opts {
        match *k {
            "scope" => {
                t.scope = match v.as_str() {
                    Some("global") => Some(SetScope::Global),
                    Some("local") => Some(SetScope::Local),
                    _ => return Err(ApiError::Msg("Invalid 'scope': expected 'local' or 'global'".to_string())),
                }
            }
            "buf" => {
                let n = v.as_i64().ok_or_else(|| ApiError::Msg("Invalid 'buf': expected Integer".to_string()))?;
                t.buf = Some(super::args::resolve_buffer(editor, n)?);
            }
            "win" => {
                let n = v.as_i64().ok_or_else(|| ApiError::Msg("Invalid 'win': expected Integer".to_string()))?;
                t.win = Some(super::args::resolve_window(editor, n)?);
            }
            other => return Err(ApiError::Msg(format!("Invalid key: '{other}'"))),
        }
    }
    if t.scope.is_some() && (t.buf.is_some() || t.win.is_some()) {
        return Err(ApiError::Msg("Can't use both 'scope' and 'buf'/'win'".to_string()));
    }
    Ok(t)
}

fn option_id(name: &str) -> Result<options::OptionId, ApiError> {
    options::lookup(name).ok_or_else(|| ApiError::Msg(format!("Unknown option '{name}'")))
}

fn to_value(v: OptionValue) -> Value {
    match v {
        OptionValue::Bool(b) => Value::from(b),
        OptionValue::Number(n) => Value::from(n),
        OptionValue::String(s) => Value::from(s),
    }
}

/// `nvim_get_option_value(name, opts)`.
pub(super) fn get_option_value(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let name = a.string()?;
    let opts = a.opts()?;
    let id = option_id(name)?;
    get_option(editor, id, &opts)
}

fn get_option(editor: &Editor, id: options::OptionId, opts: &[(&str, &Value)]) -> Result<Value, ApiError> {
    let t = option_target(editor, opts)?;
    let win = t.win.unwrap_or(editor.current);
    let buf = t.buf.or_else(|| t.win.and_then(|w| editor.window(w)).map(|w| w.buffer)).unwrap_or(editor.buf_id());
    let value = if t.scope == Some(SetScope::Global) {
        editor.options.get(id).cloned().unwrap_or(OptionValue::Bool(false))
    } else {
        editor.option_for(id, buf, win)
    };
    Ok(to_value(value))
}

/// `nvim_set_option_value(name, value, opts)`: the value's type must match the option's.
pub(super) fn set_option_value(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let name = a.string()?;
    let value = a.any()?;
    let opts = a.opts()?;
    let id = option_id(name)?;
    set_option(editor, id, name, value, &opts)
}

fn set_option(
    editor: &mut Editor,
    id: options::OptionId,
    name: &str,
    value: &Value,
    opts: &[(&str, &Value)],
) -> Result<Value, ApiError> {
    let t = option_target(editor, opts)?;
    let def = id.def();
    let typed = match (def.kind, value) {
        (options::Kind::Bool, Value::Boolean(b)) => OptionValue::Bool(*b),
        (options::Kind::Number, v) if v.as_i64().is_some() => OptionValue::Number(v.as_i64().unwrap_or(0)),
        (options::Kind::String | options::Kind::CommaList | options::Kind::FlagList, Value::String(s))
            if s.as_str().is_some() =>
        {
            OptionValue::String(s.as_str().unwrap_or_default().to_string())
        }
        _ => {
            let expected = match def.kind {
                options::Kind::Bool => "boolean",
                options::Kind::Number => "number",
                _ => "string",
            };
            let got = match value {
                Value::String(s) => format!("string \"{}\"", s.as_str().unwrap_or_default()),
                Value::Integer(n) => format!("number {n}"),
                Value::Boolean(b) => format!("boolean {b}"),
                Value::F32(_) | Value::F64(_) => "float".to_string(),
                Value::Nil => "nil".to_string(),
                _ => "table".to_string(),
            };
            return Err(ApiError::Msg(format!("Invalid value for option '{name}': expected {expected}, got {got}")));
        }
    };
    if def.read_only {
        return Err(ApiError::Msg(format!("E519: Option not supported: {name}")));
    }
    options::validate(id, &typed, name).map_err(|e| ApiError::Msg(e.to_string()))?;
    match (t.buf, t.win) {
        // A local value for another buffer or window goes straight to its store.
        (Some(b), None) if b != editor.buf_id() && matches!(def.scope, Scope::Buffer | Scope::GlobalOrBuffer) => {
            if let Some(buffer) = editor.buffers.get_mut(&b) {
                buffer.options.set(id, typed);
            }
        }
        (None, Some(w)) if w != editor.current && matches!(def.scope, Scope::Window | Scope::GlobalOrWindow) => {
            if let Some(window) = editor.window_mut(w) {
                window.options.set(id, typed);
            }
        }
        (Some(_), _) | (_, Some(_)) => editor.set_option(id, typed, SetScope::Local),
        (None, None) => editor.set_option(id, typed, t.scope.unwrap_or(SetScope::Both)),
    }
    Ok(Value::Nil)
}
