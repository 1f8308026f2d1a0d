//! The editor's state: features (`has()`, `exists()`), modes, registers, mappings, typed input,
//! time, highlight groups, and running commands and expressions (`execute()`, `eval()`).
//!
//! Input functions never wait: `getchar()`/`getcharstr()` take a key from the pending typeahead
//! (what `:normal` and `nvim_feedkeys()` queue) and otherwise return 0 / `""`; `input()` reads the
//! answer from the typeahead up to `<CR>` (`<Esc>` cancels, `<BS>` edits) and answers its default
//! text when no key is pending; `inputlist()` reads a number ended by `<CR>` the same way, 0 when
//! nothing is pending. A plugin can't block the editor waiting for a key.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use super::context::EditorContext;
use super::{arg, arg_num, arg_str, err, num, opt_flag, str_list, to_usize, Function};
use crate::editor::Editor;
use crate::expr::{self, ExprError, Value};
use crate::keys::{key_notation, key_to_register_char, parse_keys};
use crate::registers::{Register, RegisterKind};
use crate::vi::{MapMode, MapRhs};

/// This module's functions.
pub(super) static FUNCTIONS: &[Function] = &[
    Function { name: "changenr", min_args: 0, max_args: 0, func: changenr },
    Function { name: "eval", min_args: 1, max_args: 1, func: eval },
    Function { name: "execute", min_args: 1, max_args: 2, func: execute },
    Function { name: "exists", min_args: 1, max_args: 1, func: exists },
    Function { name: "getchar", min_args: 0, max_args: 2, func: getchar },
    Function { name: "getcharstr", min_args: 0, max_args: 2, func: getcharstr },
    Function { name: "getcmdline", min_args: 0, max_args: 0, func: getcmdline },
    Function { name: "getcmdpos", min_args: 0, max_args: 0, func: getcmdpos },
    Function { name: "getcharsearch", min_args: 0, max_args: 0, func: getcharsearch },
    Function { name: "getcmdtype", min_args: 0, max_args: 0, func: getcmdtype },
    Function { name: "getcmdwintype", min_args: 0, max_args: 0, func: getcmdwintype },
    Function { name: "getenv", min_args: 1, max_args: 1, func: getenv },
    Function { name: "getreg", min_args: 0, max_args: 3, func: getreg },
    Function { name: "getreginfo", min_args: 0, max_args: 1, func: getreginfo },
    Function { name: "getregtype", min_args: 0, max_args: 1, func: getregtype },
    Function { name: "has", min_args: 1, max_args: 2, func: has },
    Function { name: "hasmapto", min_args: 1, max_args: 3, func: hasmapto },
    Function { name: "hlID", min_args: 1, max_args: 1, func: hlid },
    Function { name: "hlexists", min_args: 1, max_args: 1, func: hlexists },
    Function { name: "input", min_args: 1, max_args: 3, func: input },
    Function { name: "inputlist", min_args: 1, max_args: 1, func: inputlist },
    Function { name: "keytrans", min_args: 1, max_args: 1, func: keytrans },
    Function { name: "localtime", min_args: 0, max_args: 0, func: localtime },
    Function { name: "mapcheck", min_args: 1, max_args: 3, func: mapcheck },
    Function { name: "maparg", min_args: 1, max_args: 4, func: maparg },
    Function { name: "mode", min_args: 0, max_args: 1, func: mode },
    Function { name: "pumvisible", min_args: 0, max_args: 0, func: pumvisible },
    Function { name: "reg_executing", min_args: 0, max_args: 0, func: reg_executing },
    Function { name: "reg_recording", min_args: 0, max_args: 0, func: reg_recording },
    Function { name: "reltime", min_args: 0, max_args: 2, func: reltime },
    Function { name: "reltimefloat", min_args: 1, max_args: 1, func: reltimefloat },
    Function { name: "reltimestr", min_args: 1, max_args: 1, func: reltimestr },
    Function { name: "setreg", min_args: 2, max_args: 3, func: setreg },
    Function { name: "strftime", min_args: 1, max_args: 2, func: strftime },
    Function { name: "synIDattr", min_args: 2, max_args: 3, func: syn_id_attr },
    Function { name: "visualmode", min_args: 0, max_args: 1, func: visualmode },
    Function { name: "win_execute", min_args: 2, max_args: 3, func: win_execute },
    Function { name: "wordcount", min_args: 0, max_args: 0, func: wordcount },
];

/// Features `has()` reports, besides `nvim-X.Y.Z` up to 0.11.4.
const FEATURES: &[&str] = &[
    "autocmd",
    "cmdline_compl",
    "cmdline_hist",
    "comments",
    "eval",
    "ex_extra",
    "extra_search",
    "file_in_path",
    "find_in_path",
    "fname_case",
    "insert_expand",
    "jumplist",
    "linebreak",
    "linux",
    "listcmds",
    "localmap",
    "modify_fname",
    "mouse",
    "multi_byte",
    "nvim",
    "path_extra",
    "persistent_undo",
    "reltime",
    "scrollbind",
    "showcmd",
    "smartindent",
    "startuptime",
    "statusline",
    "syntax",
    "tablineat",
    "tag_binary",
    "termguicolors",
    "textobjects",
    "timers",
    "title",
    "ttyin",
    "ttyout",
    "unix",
    "user_commands",
    "vertsplit",
    "virtualedit",
    "visual",
    "visualextra",
    "vreplace",
    "wildignore",
    "wildmenu",
    "windows",
    "writebackup",
];

/// The Neovim version rtdvi answers to (`has('nvim-0.11')`).
const NVIM_VERSION: [u64; 3] = [0, 11, 4];

fn has(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let f = arg_str(&a, 0)?;
    if let Some(v) = f.strip_prefix("nvim-") {
        let parts: Option<Vec<u64>> = v.split('.').map(|p| p.parse().ok()).collect();
        return Ok(Value::flag(match parts {
            Some(p) if !p.is_empty() && p.len() <= 3 => {
                let mut want = [0u64; 3];
                want[..p.len()].copy_from_slice(&p);
                want <= NVIM_VERSION
            }
            _ => false,
        }));
    }
    Ok(Value::flag(FEATURES.contains(&f.as_str())))
}

fn exists(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let e = arg_str(&a, 0)?;
    let found = if let Some(name) = e.strip_prefix('*') {
        if name.is_empty() {
            return Err(err("E129: Function name required"));
        }
        i64::from(super::lookup(name).is_some())
    } else if let Some(o) = e.strip_prefix('&').or_else(|| e.strip_prefix('+')) {
        i64::from(crate::options::lookup(o.strip_prefix("l:").or_else(|| o.strip_prefix("g:")).unwrap_or(o)).is_some())
    } else if let Some(c) = e.strip_prefix(':') {
        match crate::ex::resolve_name(c) {
            Some(full) if full == c => 2,
            Some(_) => 1,
            None => {
                let user = ed.command_host.as_ref().is_some_and(|h| h.has_command(c));
                if user {
                    2
                } else {
                    0
                }
            }
        }
    } else if let Some(v) = e.strip_prefix('$') {
        i64::from(std::env::var_os(v).is_some())
    } else if e.starts_with('#') {
        0
    } else {
        // A variable, possibly indexed (`g:d.key`, `l[0]`): it exists if it evaluates.
        let mut ctx = EditorContext::new(ed);
        i64::from(!e.is_empty() && expr::eval(&e, &mut ctx).is_ok() && !e.contains('('))
    };
    Ok(Value::Number(found))
}

fn mode(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let full = ed.mode();
    if opt_flag(&a, 0)? {
        return Ok(Value::String(full));
    }
    Ok(Value::String(full.chars().next().map(String::from).unwrap_or_else(|| "n".into())))
}

fn visualmode(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let v = ed.vi.last_visual.map(|(k, ..)| k.mode_str().to_string()).unwrap_or_default();
    if opt_flag(&a, 0)? {
        ed.vi.last_visual = None;
    }
    Ok(Value::String(v))
}

/// A register name argument (`""` and a missing one mean the unnamed register).
fn reg_name(a: &[Value], i: usize) -> Result<char, ExprError> {
    let s = arg_str(a, i)?;
    let c = s.chars().next().unwrap_or('"');
    if c == '@' {
        return Ok('"');
    }
    if !crate::registers::is_valid_name(c) {
        return Err(err(format!("E354: Invalid register name: '{c}'")));
    }
    Ok(c)
}

fn getreg(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    // An invalid name reads as an empty register (Vim gives no error here).
    let name = reg_name(&a, 0).unwrap_or('_');
    let reg = ed.registers.get(name).cloned();
    if opt_flag(&a, 2)? {
        return Ok(str_list(reg.map(|r| r.lines).unwrap_or_default()));
    }
    Ok(Value::String(reg.map(|r| r.to_text()).unwrap_or_default()))
}

fn type_of(reg: Option<&Register>) -> String {
    match reg.map(|r| r.kind) {
        None => String::new(),
        Some(RegisterKind::Charwise) => "v".into(),
        Some(RegisterKind::Linewise) => "V".into(),
        Some(RegisterKind::Blockwise(w)) => format!("\x16{w}"),
    }
}

fn getregtype(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let name = reg_name(&a, 0).unwrap_or('_');
    let reg = ed.registers.get(name);
    if reg.is_none() && crate::registers::Registers::always_charwise(name) {
        return Ok(Value::String("v".into()));
    }
    Ok(Value::String(type_of(reg)))
}

fn getreginfo(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let name = reg_name(&a, 0)?;
    let Some(reg) = ed.registers.get(name).cloned() else { return Ok(Value::Dict(BTreeMap::new())) };
    let mut d = BTreeMap::new();
    d.insert("regtype".to_string(), Value::String(type_of(Some(&reg))));
    d.insert("regcontents".to_string(), str_list(reg.lines));
    let points_to = ed.registers.get('"').is_some_and(|u| ed.registers.get(name).is_some_and(|r| std::ptr::eq(u, r)));
    d.insert("isunnamed".to_string(), Value::Bool(points_to));
    if name == '"' {
        d.insert("points_to".to_string(), Value::String(String::new()));
    }
    Ok(Value::Dict(d))
}

fn setreg(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let mut name = reg_name(&a, 0)?;
    let value = arg(&a, 1);
    let (value, opts_text) = match (&value, a.get(2)) {
        // setreg(r, getreginfo(r)): the dictionary form.
        (Value::Dict(d), _) => {
            let contents = d.get("regcontents").cloned().unwrap_or(Value::List(Vec::new()));
            let t = d.get("regtype").map(Value::to_string_value).transpose()?.unwrap_or_default();
            (contents, t)
        }
        (_, Some(o)) => (value.clone(), o.to_string_value()?),
        _ => (value.clone(), String::new()),
    };
    if opts_text.contains('a') && name.is_ascii_lowercase() {
        name = name.to_ascii_uppercase();
    }
    let (lines, default_kind) = match &value {
        Value::List(l) => {
            (l.iter().map(Value::to_string_value).collect::<Result<Vec<_>, _>>()?, RegisterKind::Linewise)
        }
        other => {
            let s = other.to_string_value()?;
            match s.strip_suffix('\n') {
                Some(body) => (body.split('\n').map(str::to_string).collect(), RegisterKind::Linewise),
                None => (s.split('\n').map(str::to_string).collect(), RegisterKind::Charwise),
            }
        }
    };
    let kind = if opts_text.contains(['l', 'V']) {
        RegisterKind::Linewise
    } else if opts_text.contains(['c', 'v']) {
        RegisterKind::Charwise
    } else if let Some(i) = opts_text.find(['b', '\x16']) {
        let width = opts_text.get(i + 1..).map(crate::expr::leading_number).filter(|w| *w > 0);
        let w = width.map(to_usize).unwrap_or_else(|| {
            lines.iter().map(|l| unicode_width::UnicodeWidthStr::width(l.as_str())).max().unwrap_or(0)
        });
        RegisterKind::Blockwise(w)
    } else {
        default_kind
    };
    ed.registers.set_keeping_unnamed(name, Register { lines, kind }).map_err(|e| err(e.to_string()))?;
    Ok(Value::Number(0))
}

fn reg_executing(ed: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    let _ = ed;
    Ok(Value::empty_string())
}

fn reg_recording(ed: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::String(ed.recording_register().map(String::from).unwrap_or_default()))
}

/// The modes a `maparg()` mode string names (`""` is `:map`'s modes).
fn map_modes(s: &str) -> Vec<MapMode> {
    if s.is_empty() {
        return MapMode::from_prefix("").unwrap_or_default();
    }
    let mut out = Vec::new();
    for c in s.chars() {
        if let Some(m) = MapMode::from_prefix(&c.to_string()) {
            out.extend(m);
        }
    }
    out
}

/// The mapping of `lhs` in one of `modes` (buffer-local first), as maparg() finds it.
fn find_mapping(ed: &Editor, lhs: &str, modes: &[MapMode]) -> Option<(MapMode, crate::vi::Mapping)> {
    let leader = ed.globals.get("mapleader").map(ToString::to_string).unwrap_or_else(|| "\\".into());
    let local = ed.globals.get("maplocalleader").map(ToString::to_string).unwrap_or_else(|| "\\".into());
    let keys = crate::vi::mapping::map_keys(lhs, &leader, &local);
    modes.iter().find_map(|m| ed.vi.mappings.get(*m, Some(ed.buf_id()), &keys).map(|map| (*m, map.clone())))
}

fn maparg(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let lhs = arg_str(&a, 0)?;
    let modes = map_modes(&arg_str(&a, 1)?);
    let dict = opt_flag(&a, 3)?;
    let Some((mode, m)) = find_mapping(ed, &lhs, &modes) else {
        return Ok(if dict { Value::Dict(BTreeMap::new()) } else { Value::empty_string() });
    };
    if !dict {
        return Ok(Value::String(m.rhs_text));
    }
    let mut d = BTreeMap::new();
    d.insert("lhs".to_string(), Value::String(key_notation(&m.lhs)));
    d.insert("lhsraw".to_string(), Value::String(m.lhs.iter().filter_map(key_to_register_char).collect()));
    d.insert("rhs".to_string(), Value::String(m.rhs_text.clone()));
    if let MapRhs::Callback(id) = m.rhs {
        d.insert("callback".to_string(), Value::Number(i64::from(id.0)));
    }
    d.insert("noremap".to_string(), Value::flag(m.noremap));
    d.insert("silent".to_string(), Value::flag(m.silent));
    d.insert("nowait".to_string(), Value::flag(m.nowait));
    d.insert("expr".to_string(), Value::flag(m.expr));
    d.insert("script".to_string(), Value::Number(0));
    d.insert(
        "buffer".to_string(),
        Value::flag(
            ed.vi.mappings.list(mode, Some(ed.buf_id())).iter().any(|x| x.lhs == m.lhs)
                && ed.vi.mappings.get(mode, None, &m.lhs) != Some(&m),
        ),
    );
    d.insert("mode".to_string(), Value::String(mode.letter().to_string()));
    d.insert("sid".to_string(), Value::Number(0));
    d.insert("lnum".to_string(), Value::Number(0));
    d.insert("mode_bits".to_string(), Value::Number(0));
    d.insert("abbr".to_string(), Value::Number(0));
    if let Some(desc) = m.desc {
        d.insert("desc".to_string(), Value::String(desc));
    }
    Ok(Value::Dict(d))
}

fn mapcheck(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let lhs = arg_str(&a, 0)?;
    let keys = parse_keys(&lhs);
    for mode in map_modes(&arg_str(&a, 1)?) {
        for m in ed.vi.mappings.list(mode, Some(ed.buf_id())) {
            let n = keys.len().min(m.lhs.len());
            if n > 0 && keys[..n] == m.lhs[..n] {
                return Ok(Value::String(m.rhs_text.clone()));
            }
        }
    }
    Ok(Value::empty_string())
}

fn hasmapto(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let what = arg_str(&a, 0)?;
    let modes = if a.len() > 1 { arg_str(&a, 1)? } else { "nvo".into() };
    let found = map_modes(&modes)
        .into_iter()
        .any(|mode| ed.vi.mappings.list(mode, Some(ed.buf_id())).iter().any(|m| m.rhs_text.contains(&what)));
    Ok(Value::flag(found))
}

/// Takes one key from the pending typeahead, as text (special keys as the editor's key chars).
fn next_key(ed: &mut Editor) -> Option<crate::keys::Key> {
    ed.vi.typeahead.pop_front().map(|t| t.key)
}

fn getcharstr(ed: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::String(next_key(ed).and_then(|k| key_to_register_char(&k)).map(String::from).unwrap_or_default()))
}

fn getchar(ed: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    let Some(k) = next_key(ed) else { return Ok(Value::Number(0)) };
    Ok(match (k.as_char(), key_to_register_char(&k)) {
        (Some(c), _) if k.mods.0 == 0 => Value::Number(i64::from(u32::from(c))),
        (_, Some(c)) if (c as u32) < 0x20 => Value::Number(i64::from(u32::from(c))),
        (_, Some(c)) => Value::String(c.to_string()),
        _ => Value::Number(0),
    })
}

/// A line typed into the pending typeahead after `text`: `Some(line)` on `<CR>` or when the keys
/// run out, `None` on `<Esc>` or `<C-c>`.
fn read_line(ed: &mut Editor, mut text: String) -> Option<String> {
    use crate::keys::KeyCode;
    while let Some(k) = next_key(ed) {
        match k.code {
            KeyCode::Enter | KeyCode::NewLine => break,
            KeyCode::Esc => return None,
            KeyCode::Char('c') if k.is_ctrl('c') => return None,
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char('u') if k.is_ctrl('u') => text.clear(),
            _ => {
                if let Some(c) = k.to_text_char() {
                    text.push(c);
                }
            }
        }
    }
    Some(text)
}

fn input(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let (default, cancel) = match arg(&a, 0) {
        Value::Dict(d) => (
            d.get("default").map(Value::to_string_value).transpose()?.unwrap_or_default(),
            d.get("cancelreturn").cloned().unwrap_or(Value::empty_string()),
        ),
        _ => (if a.len() > 1 { arg_str(&a, 1)? } else { String::new() }, Value::empty_string()),
    };
    // Nothing typed ahead: the default is the answer (headless Neovim reads nothing either).
    if ed.vi.typeahead.is_empty() {
        return Ok(Value::String(default));
    }
    Ok(read_line(ed, default).map_or(cancel, Value::String))
}

fn inputlist(ed: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    let answer = read_line(ed, String::new()).unwrap_or_default();
    Ok(Value::Number(answer.trim().parse().unwrap_or(0)))
}

fn getcmdline(ed: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::String(ed.cmdline().map(|c| c.text).unwrap_or_default()))
}

fn getcmdpos(ed: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    Ok(match ed.cmdline() {
        Some(c) => num(c.text.chars().take(c.cursor).map(char::len_utf8).sum::<usize>() + 1),
        None => Value::Number(0),
    })
}

fn getcmdtype(ed: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::String(ed.cmdline().map(|c| c.prompt.to_string()).unwrap_or_default()))
}

fn getcmdwintype(_: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    // There is no command-line window.
    Ok(Value::empty_string())
}

fn pumvisible(_: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    // There is no completion menu.
    Ok(Value::Number(0))
}

fn getcharsearch(ed: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    use crate::vi::motion::FindKind;
    let mut d = BTreeMap::new();
    let (ch, forward, until) = match ed.vi.last_find {
        Some((k, c)) => {
            (c.to_string(), matches!(k, FindKind::F | FindKind::T), matches!(k, FindKind::T | FindKind::BackT))
        }
        None => (String::new(), true, false),
    };
    d.insert("char".to_string(), Value::String(ch));
    d.insert("forward".to_string(), Value::flag(forward));
    d.insert("until".to_string(), Value::flag(until));
    Ok(Value::Dict(d))
}

fn wordcount(ed: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    let b = ed.buf();
    let c = ed.cursor();
    let (mut words, mut chars, mut bytes) = (0usize, 0usize, 0usize);
    let (mut cur_words, mut cur_chars, mut cur_bytes) = (0usize, 0usize, 0usize);
    let count = b.line_count();
    for row in 0..count {
        let line = b.line(row);
        // A line ends in a newline byte that counts (Vim counts the file's bytes).
        let (lw, lc, lb) = (line.split_whitespace().count(), line.chars().count() + 1, line.len() + 1);
        if row < c.row {
            cur_words += lw;
            cur_chars += lc;
            cur_bytes += lb;
        } else if row == c.row {
            let before: String = line.chars().take(c.col + 1).collect();
            cur_words += before.split_whitespace().count();
            cur_chars += before.chars().count();
            cur_bytes += before.len();
        }
        words += lw;
        chars += lc;
        bytes += lb;
    }
    let mut d = BTreeMap::new();
    d.insert("words".to_string(), num(words));
    d.insert("chars".to_string(), num(chars));
    d.insert("bytes".to_string(), num(bytes));
    d.insert("cursor_words".to_string(), num(cur_words));
    d.insert("cursor_chars".to_string(), num(cur_chars));
    d.insert("cursor_bytes".to_string(), num(cur_bytes));
    Ok(Value::Dict(d))
}

fn getenv(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(std::env::var(arg_str(&a, 0)?).map_or(Value::Null, Value::String))
}

fn keytrans(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    let keys: Vec<crate::keys::Key> = s.chars().map(crate::keys::key_from_register_char).collect();
    Ok(Value::String(key_notation(&keys)))
}

fn changenr(ed: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    Ok(num(ed.buf().undo.seq_cur()))
}

fn now() -> std::time::Duration {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default()
}

fn localtime(_: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Number(i64::try_from(now().as_secs()).unwrap_or(0)))
}

/// A time as Neovim's `reltime()` gives it: nanoseconds as `[high 32 bits, low 32 bits]`.
fn reltime_value(nanos: i64) -> Value {
    let n = nanos as u64;
    Value::List(vec![Value::Number((n >> 32) as i64), Value::Number((n & 0xffff_ffff) as i64)])
}

fn nanos_of(v: &Value) -> Result<i64, ExprError> {
    match v {
        Value::List(l) if l.len() == 2 => {
            let hi = l.first().map(Value::to_number).transpose()?.unwrap_or(0) as u64;
            let lo = l.get(1).map(Value::to_number).transpose()?.unwrap_or(0) as u64;
            Ok(((hi << 32) | (lo & 0xffff_ffff)) as i64)
        }
        _ => Err(err("E475: Invalid argument")),
    }
}

fn reltime(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let now = i64::try_from(now().as_nanos()).unwrap_or(i64::MAX);
    Ok(match a.len() {
        0 => reltime_value(now),
        1 => reltime_value(now.wrapping_sub(nanos_of(&arg(&a, 0))?)),
        _ => reltime_value(nanos_of(&arg(&a, 1))?.wrapping_sub(nanos_of(&arg(&a, 0))?)),
    })
}

fn reltimefloat(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Float(nanos_of(&arg(&a, 0))? as f64 / 1e9))
}

fn reltimestr(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let secs = nanos_of(&arg(&a, 0))? as f64 / 1e9;
    Ok(Value::String(format!("{secs:10.6}")))
}

/// Days since 1970-01-01 to a (year, month, day) in the proleptic Gregorian calendar.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `strftime()` in UTC (the sandbox gives plugins no time zone): `%Y %m %d %H %M %S %y %j %a %A %b
/// %B %e %p %I %s %%` and the combinations `%F %T %D %R %c %x %X`.
fn strftime(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let fmt = arg_str(&a, 0)?;
    let t = if a.len() > 1 { arg_num(&a, 1)? } else { i64::try_from(now().as_secs()).unwrap_or(0) };
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    let (h, mi, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let wday = (days + 4).rem_euclid(7) as usize;
    let yday = days - {
        let mut z = days;
        while civil_from_days(z - 1).0 == y {
            z -= 1;
            if days - z > 366 {
                break;
            }
        }
        z
    } + 1;
    const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = MONTHS.get((mo as usize).wrapping_sub(1)).copied().unwrap_or("");
    let day = DAYS.get(wday).copied().unwrap_or("");
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let part = match chars.next() {
            Some('Y') => y.to_string(),
            Some('y') => format!("{:02}", y.rem_euclid(100)),
            Some('m') => format!("{mo:02}"),
            Some('d') => format!("{d:02}"),
            Some('e') => format!("{d:>2}"),
            Some('H') => format!("{h:02}"),
            Some('I') => format!("{:02}", if h % 12 == 0 { 12 } else { h % 12 }),
            Some('p') => (if h < 12 { "AM" } else { "PM" }).to_string(),
            Some('M') => format!("{mi:02}"),
            Some('S') => format!("{s:02}"),
            Some('j') => format!("{yday:03}"),
            Some('a') => day.chars().take(3).collect(),
            Some('A') => day.to_string(),
            Some('b') | Some('h') => month.chars().take(3).collect(),
            Some('B') => month.to_string(),
            Some('s') => t.to_string(),
            Some('F') => format!("{y}-{mo:02}-{d:02}"),
            Some('T') | Some('X') => format!("{h:02}:{mi:02}:{s:02}"),
            Some('R') => format!("{h:02}:{mi:02}"),
            Some('D') | Some('x') => format!("{mo:02}/{d:02}/{:02}", y.rem_euclid(100)),
            Some('c') => format!(
                "{} {} {d:>2} {h:02}:{mi:02}:{s:02} {y}",
                &day[..3.min(day.len())],
                &month[..3.min(month.len())]
            ),
            Some('n') => "\n".into(),
            Some('t') => "\t".into(),
            Some('%') => "%".into(),
            Some(other) => format!("%{other}"),
            None => "%".into(),
        };
        out.push_str(&part);
    }
    Ok(Value::String(out))
}

fn hlexists(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::flag(ed.highlights.lookup(&arg_str(&a, 0)?).is_some()))
}

fn hlid(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Number(ed.highlights.lookup(&arg_str(&a, 0)?).map_or(0, |id| i64::from(id.0) + 1)))
}

fn syn_id_attr(_: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::empty_string())
}

fn eval(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let src = arg_str(&a, 0)?;
    expr::eval(&src, &mut EditorContext::new(ed))
}

/// Runs ex commands and returns what they printed (each message after a newline, as Vim's
/// `execute()` gives it); `silent` / `silent!` / `""` as the second argument as in Vim.
pub fn capture(ed: &mut Editor, commands: &Value, silent: &str) -> Result<String, ExprError> {
    let lines: Vec<String> = match commands {
        Value::List(l) => l.iter().map(Value::to_string_value).collect::<Result<_, _>>()?,
        other => other.to_string_value()?.split('\n').map(str::to_string).collect(),
    };
    let before = ed.messages.take_pending();
    let mut result = Ok(());
    for line in &lines {
        let r = if silent == "silent!" { ed.execute_ex(&format!("silent! {line}")) } else { ed.execute_ex(line) };
        if let Err(e) = r {
            result = Err(e);
            break;
        }
    }
    let produced = ed.messages.take_pending();
    // Output captured by execute() is not shown; earlier pending messages stay pending.
    for m in before {
        match m.level {
            crate::message::Level::Error => ed.messages.error(m.text),
            crate::message::Level::Warning => ed.messages.warning(m.text),
            crate::message::Level::Info => ed.messages.info(m.text),
            crate::message::Level::Echo => ed.messages.echo(m.text),
        }
    }
    result.map_err(|e| err(e.to_string()))?;
    Ok(produced.into_iter().map(|m| format!("\n{}", m.text)).collect())
}

fn execute(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let silent = if a.len() > 1 { arg_str(&a, 1)? } else { "silent".into() };
    Ok(Value::String(capture(ed, &arg(&a, 0), &silent)?))
}

fn win_execute(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let id = u32::try_from(arg_num(&a, 0)?).map(crate::window::WindowId).ok();
    let Some(id) = id.filter(|w| ed.window(*w).is_some()) else { return Ok(Value::empty_string()) };
    let silent = if a.len() > 2 { arg_str(&a, 2)? } else { "silent".into() };
    // Run in the window without the events of entering and leaving it, as Vim's win_execute().
    let old = ed.current;
    let same_tab = ed.tab_windows().contains(&id);
    if !same_tab {
        return Err(err("E994: Not allowed in a popup window"));
    }
    ed.current = id;
    let r = capture(ed, &arg(&a, 1), &silent);
    if ed.window(old).is_some() {
        ed.current = old;
    }
    r.map(Value::String)
}
