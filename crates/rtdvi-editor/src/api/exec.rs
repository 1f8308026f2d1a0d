//! Ex command entries: `nvim_exec2`, `nvim_exec`, `nvim_cmd`, `nvim_parse_cmd`.
//!
//! All of them run through [`Editor::execute_ex`], the one ex command path; `output = true`
//! captures the messages the commands print instead of showing them.

use rmpv::Value;

use super::args::{invalid_key, opt_bool, type_name};
use super::{ApiEntry, ApiError, Args};
use crate::editor::Editor;
use crate::ex::parse::{parse_command, AddrBase, Address};

/// This module's entries of the API table.
pub(super) static ENTRIES: &[ApiEntry] = &[
    ApiEntry { name: "nvim_cmd", params: CMD, returns: "String", func: cmd },
    ApiEntry { name: "nvim_exec", params: EXEC, returns: "String", func: exec },
    ApiEntry { name: "nvim_exec2", params: EXEC2, returns: "Dictionary", func: exec2 },
    ApiEntry { name: "nvim_parse_cmd", params: PARSE, returns: "Dictionary", func: parse_cmd },
];

const CMD: &[(&str, &str)] = &[("cmd", "Dictionary"), ("opts", "Dictionary")];
const EXEC: &[(&str, &str)] = &[("src", "String"), ("output", "Boolean")];
const EXEC2: &[(&str, &str)] = &[("src", "String"), ("opts", "Dictionary")];
const PARSE: &[(&str, &str)] = &[("str", "String"), ("opts", "Dictionary")];

/// An ex error as Vim reports it to a caller: `Vim(substitute):E486: ...` when the built-in
/// command `name` failed, else `Vim:...`.
pub(super) fn vim_error(name: Option<&str>, e: &crate::ex::ExError) -> String {
    match name {
        Some(n) => format!("Vim({n}):{e}"),
        None => format!("Vim:{e}"),
    }
}

/// How `run_lines` words an error: `nvim_exec2` runs its text as a script, so Neovim names the
/// script and the line (`nvim_exec2(), line 2: Vim(echo):E121: ...`); `nvim_cmd` runs one command
/// and says only `Vim:...`.
#[derive(Clone, Copy)]
enum ErrorStyle {
    /// A script with this name: errors name it and the line.
    Script(&'static str),
    /// One command: `Vim:` and the message.
    Command,
}

/// Runs the lines of `src` as ex commands (stopping at the first error), capturing their output
/// when asked.
pub fn run_lines(editor: &mut Editor, src: &str, output: bool) -> Result<String, ApiError> {
    run_lines_styled(editor, src, output, ErrorStyle::Script("nvim_exec2()"))
}

fn run_lines_styled(editor: &mut Editor, src: &str, output: bool, style: ErrorStyle) -> Result<String, ApiError> {
    if output {
        editor.messages.begin_capture();
    }
    let mut result = Ok(());
    for (n, line) in src.lines().enumerate() {
        if let Err((name, e)) = editor.execute_ex_named(line) {
            result = Err(ApiError::Msg(match style {
                ErrorStyle::Script(script) => format!("{script}, line {}: {}", n + 1, vim_error(name, &e)),
                ErrorStyle::Command => format!("Vim:{e}"),
            }));
            break;
        }
    }
    let text = if output { editor.messages.end_capture() } else { String::new() };
    result?;
    Ok(text.strip_prefix('\n').unwrap_or(&text).to_string())
}

/// `nvim_exec2(src, {output})`: `{output = "..."}` with `output = true`, else `{}`.
pub(super) fn exec2(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let src = a.string()?.to_string();
    let mut output = false;
    for (k, v) in a.opts()? {
        match k {
            "output" => output = opt_bool(k, v)?,
            other => return Err(invalid_key(other)),
        }
    }
    let text = run_lines(editor, &src, output)?;
    Ok(if output { Value::Map(vec![(Value::from("output"), Value::from(text))]) } else { Value::Map(Vec::new()) })
}

/// `nvim_exec(src, output)` (deprecated in Neovim, still used): the captured output or `""`;
/// Neovim runs it through `nvim_exec2`, whose name its errors carry.
pub(super) fn exec(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let src = a.string()?.to_string();
    let output = a.bool()?;
    Ok(Value::from(run_lines_styled(editor, &src, output, ErrorStyle::Script("nvim_exec2()"))?))
}

/// Quotes an argument of `nvim_cmd` so the ex parser reads it back unchanged.
fn escape_arg(arg: &str) -> String {
    arg.replace('|', "\\|")
}

/// `nvim_cmd(cmd, {output})`: runs a command given as `nvim_parse_cmd` returns it (`cmd`,
/// `range`, `count`, `bang`, `args`, `reg`; `mods` and `magic` are accepted).
pub(super) fn cmd(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let spec = a.opts()?;
    let mut output = false;
    for (k, v) in a.opts()? {
        match k {
            "output" => output = opt_bool(k, v)?,
            other => return Err(invalid_key(other)),
        }
    }
    let (mut name, mut range, mut count, mut bang, mut args, mut reg) =
        (None, Vec::new(), None, false, Vec::new(), None);
    for (k, v) in &spec {
        match *k {
            "cmd" => {
                name = Some(
                    v.as_str()
                        .ok_or_else(|| ApiError::Msg(format!("Invalid 'cmd': expected String, got {}", type_name(v))))?
                        .to_string(),
                )
            }
            "range" => {
                let items = v.as_array().ok_or_else(|| ApiError::Msg("Invalid 'range': expected Array".to_string()))?;
                if items.len() > 2 {
                    return Err(ApiError::Msg("Invalid 'range': expected <=2 elements".to_string()));
                }
                range = items
                    .iter()
                    .map(|i| {
                        i.as_i64().ok_or_else(|| ApiError::Msg("Invalid 'range' item: expected Integer".to_string()))
                    })
                    .collect::<Result<_, _>>()?;
            }
            "count" => {
                count = Some(v.as_i64().ok_or_else(|| ApiError::Msg("Invalid 'count': expected Integer".to_string()))?)
            }
            "bang" => bang = opt_bool(k, v)?,
            "args" => {
                let items = v.as_array().ok_or_else(|| ApiError::Msg("Invalid 'args': expected Array".to_string()))?;
                for i in items {
                    args.push(match i {
                        Value::String(s) => s.as_str().unwrap_or_default().to_string(),
                        Value::Integer(n) => n.to_string(),
                        Value::Boolean(b) => i64::from(*b).to_string(),
                        other => {
                            return Err(ApiError::Msg(format!(
                                "Invalid 'args' item: expected String, got {}",
                                type_name(other)
                            )))
                        }
                    });
                }
            }
            "reg" => reg = v.as_str().map(str::to_string),
            "mods" | "magic" | "addr" | "nargs" | "nextcmd" => {}
            other => return Err(invalid_key(other)),
        }
    }
    let Some(name) = name else { return Err(ApiError::Msg("Required: 'cmd'".to_string())) };
    let known = crate::ex::resolve_name(&name).is_some()
        || editor.user_commands.find(editor.buf_id(), &name).ok().flatten().is_some();
    if !known && !editor.command_host.as_ref().is_some_and(|h| h.has_command(&name)) {
        return Err(ApiError::Msg(format!("Command not found: {name}")));
    }
    let mut line = match range.as_slice() {
        [] => String::new(),
        [a] => a.to_string(),
        [a, b, ..] => format!("{a},{b}"),
    };
    line.push_str(&name);
    if bang {
        line.push('!');
    }
    if let Some(r) = reg {
        line.push(' ');
        line.push_str(&r);
    }
    if let Some(c) = count {
        line.push(' ');
        line.push_str(&c.to_string());
    }
    for arg in &args {
        line.push(' ');
        line.push_str(&escape_arg(arg));
    }
    Ok(Value::from(run_lines_styled(editor, &line, output, ErrorStyle::Command)?))
}

/// The `mods` dictionary `nvim_parse_cmd` reports (no modifier is parsed yet: all off).
fn mods() -> Value {
    let b = |k: &str, v: Value| (Value::from(k), v);
    Value::Map(vec![
        b("browse", Value::from(false)),
        b("confirm", Value::from(false)),
        b("emsg_silent", Value::from(false)),
        b("filter", Value::Map(vec![b("force", Value::from(false)), b("pattern", Value::from(""))])),
        b("hide", Value::from(false)),
        b("horizontal", Value::from(false)),
        b("keepalt", Value::from(false)),
        b("keepjumps", Value::from(false)),
        b("keepmarks", Value::from(false)),
        b("keeppatterns", Value::from(false)),
        b("lockmarks", Value::from(false)),
        b("noautocmd", Value::from(false)),
        b("noswapfile", Value::from(false)),
        b("sandbox", Value::from(false)),
        b("silent", Value::from(false)),
        b("split", Value::from("")),
        b("tab", Value::from(-1)),
        b("unsilent", Value::from(false)),
        b("verbose", Value::from(-1)),
        b("vertical", Value::from(false)),
    ])
}

/// `nvim_parse_cmd(str, opts)`: `{cmd, range, bang, args, nextcmd, addr, nargs, magic, mods}`.
/// Arguments are split at blanks; a range is reported as given when it holds plain line numbers
/// (other addresses are evaluated against the current buffer).
pub(super) fn parse_cmd(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let text = a.string()?.to_string();
    a.opts()?;
    let (parsed, rest) =
        parse_command(&text).map_err(|e| ApiError::Msg(format!("Error while parsing command line: {e}")))?;
    let user = editor.user_commands.find(editor.buf_id(), &parsed.name).ok().flatten().cloned();
    let name = match (crate::ex::resolve_name(&parsed.name), &user) {
        (Some(n), _) => n.to_string(),
        (None, Some(u)) => u.name.clone(),
        (None, None) => {
            return Err(ApiError::Msg(format!("Error while parsing command line: E492: Not an editor command: {text}")))
        }
    };
    let args: Vec<Value> = parsed.args.split_whitespace().map(Value::from).collect();
    let mut m = vec![
        (Value::from("cmd"), Value::from(name.as_str())),
        (Value::from("bang"), Value::from(parsed.bang)),
        (Value::from("args"), Value::Array(args)),
        (Value::from("nextcmd"), Value::from(rest.unwrap_or_default())),
        (
            Value::from("nargs"),
            Value::from(if parsed.args.contains(' ') || parsed.args.is_empty() { "*" } else { "?" }),
        ),
        (
            Value::from("magic"),
            Value::Map(vec![(Value::from("bar"), Value::from(false)), (Value::from("file"), Value::from(false))]),
        ),
        (Value::from("mods"), mods()),
    ];
    let takes_range = !matches!(
        name.as_str(),
        "echo" | "echon" | "echomsg" | "echoerr" | "let" | "unlet" | "call" | "lua" | "execute"
    );
    if takes_range {
        m.push((Value::from("addr"), Value::from("line")));
        let lines: Vec<Value> = if parsed.range.addrs.is_empty() {
            Vec::new()
        } else {
            let numbers: Option<Vec<i64>> = parsed
                .range
                .addrs
                .iter()
                .map(|(_, ad): &(_, Address)| match ad.base {
                    AddrBase::Line(n) if ad.offset == 0 => i64::try_from(n).ok(),
                    _ => None,
                })
                .collect();
            match numbers {
                Some(n) => n.into_iter().map(Value::from).collect(),
                None => {
                    let r = editor.eval_range(&parsed.range).map_err(|e| ApiError::Msg(e.to_string()))?;
                    vec![Value::from(r.start), Value::from(r.end)]
                }
            }
        };
        m.push((Value::from("range"), Value::Array(lines)));
    } else {
        m.push((Value::from("addr"), Value::from("none")));
    }
    Ok(Value::Map(m))
}
