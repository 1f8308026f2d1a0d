//! File names and the file system: `fnamemodify()`, `expand()`, `getcwd()`, `stdpath()`, and the
//! file queries.
//!
//! The sandbox (DESIGN.md promise 5) decides what reaches the disk: queries that only say whether
//! a path exists and what it is (`filereadable()`, `isdirectory()`, `getftype()`) answer; reading
//! or changing files (`readfile()`, `writefile()`, `delete()`, `mkdir()`, `rename()`) and running
//! programs (`system()`, `systemlist()`) refuse with `E48: Not allowed in sandbox`, and
//! `executable()` answers 0 because no program can be run. `stdpath()` gives rtdvi's own
//! directories (`$XDG_CONFIG_HOME/rtdvi`, ...).

use std::path::{Path, PathBuf};

use super::{arg_str, err, opt_flag, str_list, Function, SANDBOX_ERROR};
use crate::editor::{expand_home, Editor};
use crate::expr::{ExprError, Value};

/// This module's functions.
pub(super) static FUNCTIONS: &[Function] = &[
    Function { name: "delete", min_args: 1, max_args: 2, func: refuse },
    Function { name: "executable", min_args: 1, max_args: 1, func: executable },
    Function { name: "exepath", min_args: 1, max_args: 1, func: exepath },
    Function { name: "expand", min_args: 1, max_args: 3, func: expand },
    Function { name: "filereadable", min_args: 1, max_args: 1, func: filereadable },
    Function { name: "filewritable", min_args: 1, max_args: 1, func: filewritable },
    Function { name: "fnameescape", min_args: 1, max_args: 1, func: fnameescape },
    Function { name: "fnamemodify", min_args: 2, max_args: 2, func: fnamemodify },
    Function { name: "getcwd", min_args: 0, max_args: 2, func: getcwd },
    Function { name: "getfsize", min_args: 1, max_args: 1, func: getfsize },
    Function { name: "getftime", min_args: 1, max_args: 1, func: getftime },
    Function { name: "getftype", min_args: 1, max_args: 1, func: getftype },
    Function { name: "glob", min_args: 1, max_args: 4, func: refuse },
    Function { name: "globpath", min_args: 2, max_args: 5, func: refuse },
    Function { name: "haslocaldir", min_args: 0, max_args: 2, func: haslocaldir },
    Function { name: "isabsolutepath", min_args: 1, max_args: 1, func: isabsolutepath },
    Function { name: "isdirectory", min_args: 1, max_args: 1, func: isdirectory },
    Function { name: "jobstart", min_args: 1, max_args: 2, func: refuse },
    Function { name: "jobstop", min_args: 1, max_args: 1, func: refuse },
    Function { name: "jobwait", min_args: 1, max_args: 2, func: refuse },
    Function { name: "chansend", min_args: 2, max_args: 2, func: refuse },
    Function { name: "mkdir", min_args: 1, max_args: 3, func: refuse },
    Function { name: "readfile", min_args: 1, max_args: 3, func: refuse },
    Function { name: "rename", min_args: 2, max_args: 2, func: refuse },
    Function { name: "simplify", min_args: 1, max_args: 1, func: simplify },
    Function { name: "stdpath", min_args: 1, max_args: 1, func: stdpath },
    Function { name: "system", min_args: 1, max_args: 2, func: refuse },
    Function { name: "systemlist", min_args: 1, max_args: 3, func: refuse },
    Function { name: "tempname", min_args: 0, max_args: 0, func: refuse },
    Function { name: "termopen", min_args: 1, max_args: 2, func: refuse },
    Function { name: "writefile", min_args: 2, max_args: 3, func: refuse },
];

fn refuse(_: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    Err(err(SANDBOX_ERROR))
}

fn executable(_: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Number(0))
}

fn exepath(_: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::empty_string())
}

fn path_arg(ed: &Editor, a: &[Value]) -> Result<PathBuf, ExprError> {
    Ok(ed.absolute(Path::new(&arg_str(a, 0)?)))
}

fn filereadable(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let p = path_arg(ed, &a)?;
    Ok(Value::flag(p.is_file() && std::fs::File::open(&p).is_ok()))
}

fn filewritable(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let p = path_arg(ed, &a)?;
    Ok(Value::Number(match std::fs::metadata(&p) {
        Ok(m) if m.permissions().readonly() => 0,
        Ok(m) if m.is_dir() => 2,
        Ok(_) => 1,
        Err(_) => 0,
    }))
}

fn isdirectory(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::flag(path_arg(ed, &a)?.is_dir()))
}

fn getftype(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let p = path_arg(ed, &a)?;
    let kind = match std::fs::symlink_metadata(&p) {
        Ok(m) if m.file_type().is_symlink() => "link",
        Ok(m) if m.is_dir() => "dir",
        Ok(m) if m.is_file() => "file",
        Ok(_) => "other",
        Err(_) => "",
    };
    Ok(Value::str(kind))
}

fn getfsize(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let p = path_arg(ed, &a)?;
    Ok(Value::Number(match std::fs::metadata(&p) {
        Ok(m) if m.is_dir() => 0,
        Ok(m) => i64::try_from(m.len()).unwrap_or(-2),
        Err(_) => -1,
    }))
}

fn getftime(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let p = path_arg(ed, &a)?;
    let t = std::fs::metadata(&p).and_then(|m| m.modified()).ok();
    let secs = t.and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map(|d| d.as_secs());
    Ok(Value::Number(secs.and_then(|s| i64::try_from(s).ok()).unwrap_or(-1)))
}

fn isabsolutepath(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::flag(Path::new(&arg_str(&a, 0)?).is_absolute()))
}

fn getcwd(ed: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::String(ed.cwd.display().to_string()))
}

fn haslocaldir(_: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Number(0))
}

fn fnameescape(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if " \t\n*?[{`$\\%#'\"|!<".contains(c)
            || (i == 0 && (c == '+' || c == '>'))
            || (i == 0 && c == '-' && s.len() == 1)
        {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(Value::String(out))
}

fn stdpath(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let what = arg_str(&a, 0)?;
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/"));
    let xdg = |var: &str, default: &str| {
        std::env::var_os(var).map(PathBuf::from).filter(|p| p.is_absolute()).unwrap_or_else(|| home.join(default))
    };
    let dir = |p: PathBuf| Value::String(p.join("rtdvi").display().to_string());
    Ok(match what.as_str() {
        "config" => dir(xdg("XDG_CONFIG_HOME", ".config")),
        "data" => dir(xdg("XDG_DATA_HOME", ".local/share")),
        "state" | "log" => dir(xdg("XDG_STATE_HOME", ".local/state")),
        "cache" => dir(xdg("XDG_CACHE_HOME", ".cache")),
        "run" => dir(std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from).unwrap_or_else(std::env::temp_dir)),
        "config_dirs" => str_list(["/etc/xdg/rtdvi"]),
        "data_dirs" => str_list(["/usr/local/share/rtdvi", "/usr/share/rtdvi"]),
        _ => return Err(err(format!("E6100: \"{what}\" is not a valid stdpath"))),
    })
}

fn simplify(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    let abs = s.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for p in s.split('/') {
        match p {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            ".." if abs => {}
            other => parts.push(other),
        }
    }
    let mut out = parts.join("/");
    if abs {
        out.insert(0, '/');
    } else if s.starts_with("./") && !out.is_empty() {
        // A leading "./" stays (it matters to commands that search a path).
        out.insert_str(0, "./");
    }
    if s.ends_with('/') && !out.ends_with('/') {
        out.push('/');
    }
    if out.is_empty() {
        out.push('.');
    }
    Ok(Value::String(out))
}

fn fnamemodify(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let name = arg_str(&a, 0)?;
    let mods = arg_str(&a, 1)?;
    Ok(Value::String(modify(ed, &name, &mods)?))
}

/// The tail (last component) of a name: after the last `/`.
fn tail(s: &str) -> &str {
    s.rfind('/').map_or(s, |i| &s[i + 1..])
}

/// Applies Vim's filename modifiers (`:p :~ :. :h :t :r :e :s?a?b? :gs?a?b? :S`) in order.
pub(crate) fn modify(ed: &Editor, name: &str, mods: &str) -> Result<String, ExprError> {
    let mut s = name.to_string();
    let mut rest = mods;
    // Consecutive `:e`s widen the extension; remember the tail they work on.
    let mut ext_base: Option<(String, usize)> = None;
    let mut after_tail = false;
    while let Some(m) = rest.strip_prefix(':') {
        let mut chars = m.chars();
        let Some(c) = chars.next() else { break };
        let mut consumed = c.len_utf8();
        if c != 'e' {
            ext_base = None;
        }
        match c {
            'p' => {
                if !s.is_empty() {
                    let abs = ed.absolute(Path::new(&s));
                    let mut t = simplify_abs(&abs);
                    if (abs.is_dir() || s.ends_with('/')) && !t.ends_with('/') {
                        t.push('/');
                    }
                    s = t;
                }
            }
            '~' => {
                let home = expand_home(Path::new("~")).display().to_string();
                let abs = simplify_abs(&ed.absolute(Path::new(&s)));
                s = match abs.strip_prefix(&home) {
                    Some("") => "~".into(),
                    Some(r) if r.starts_with('/') => format!("~{r}"),
                    _ => abs,
                };
            }
            '.' => {
                let cwd = ed.cwd.display().to_string();
                let abs = simplify_abs(&ed.absolute(Path::new(&s)));
                if let Some(r) = abs.strip_prefix(&cwd).and_then(|r| r.strip_prefix('/')) {
                    s = if r.is_empty() { ".".into() } else { r.to_string() };
                }
            }
            // The head of a tail (`:t:h`) is the tail itself, as in Vim.
            'h' if after_tail && !s.contains('/') => {}
            'h' => {
                s = match s.rfind('/') {
                    Some(0) => "/".into(),
                    Some(i) => s[..i].to_string(),
                    None if s.is_empty() => String::new(),
                    None => ".".into(),
                };
            }
            't' => {
                s = tail(&s).to_string();
                after_tail = true;
            }
            'r' => {
                let t = tail(&s);
                if let Some(dot) = t.rfind('.').filter(|&d| d > 0) {
                    let cut = s.len() - t.len() + dot;
                    s.truncate(cut);
                }
            }
            'e' => {
                let (base, n) = match ext_base.take() {
                    Some((b, n)) => (b, n + 1),
                    None => (tail(&s).to_string(), 1),
                };
                let dots: Vec<usize> = base.match_indices('.').map(|(i, _)| i).filter(|&i| i > 0).collect();
                s = match dots.len().checked_sub(n).and_then(|i| dots.get(i)) {
                    Some(&d) => base[d + 1..].to_string(),
                    None => dots.first().map_or(String::new(), |&d| base[d + 1..].to_string()),
                };
                ext_base = Some((base, n));
            }
            'S' => s = super::string::shell_quote(&s, false),
            's' | 'g' => {
                let global = c == 'g';
                let body = if global {
                    match m.get(1..).and_then(|r| r.strip_prefix('s')) {
                        Some(r) => {
                            consumed += 1;
                            r
                        }
                        None => break,
                    }
                } else {
                    &m[1..]
                };
                let Some(sep) = body.chars().next() else { break };
                let parts: Vec<&str> = body[sep.len_utf8()..].splitn(3, sep).collect();
                let (Some(pat), Some(sub)) = (parts.first(), parts.get(1)) else { break };
                consumed += sep.len_utf8() + pat.len() + sep.len_utf8() + sub.len() + sep.len_utf8();
                s = super::string::substitute_text(ed, &s, pat, sub, global)?;
            }
            _ => break,
        }
        rest = m.get(consumed..).unwrap_or("");
    }
    Ok(s)
}

/// An absolute path with `.` and `..` removed, as text.
fn simplify_abs(p: &Path) -> String {
    let mut out: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::Normal(n) => out.push(n.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    format!("/{}", out.join("/"))
}

/// The word under or after the cursor: a keyword (`<cword>`), a run of non-blanks (`<cWORD>`),
/// or a file name (`<cfile>`).
fn word_at_cursor(ed: &Editor, class: fn(char) -> bool) -> String {
    let c = ed.cursor();
    let chars: Vec<char> = ed.buf().line(c.row).chars().collect();
    let mut i = c.col.min(chars.len());
    if !chars.get(i).is_some_and(|ch| class(*ch)) {
        match chars.iter().skip(i).position(|ch| class(*ch)) {
            Some(off) => i += off,
            None => return String::new(),
        }
    }
    let mut start = i;
    while start > 0 && chars.get(start - 1).is_some_and(|ch| class(*ch)) {
        start -= 1;
    }
    let mut end = i;
    while chars.get(end).is_some_and(|ch| class(*ch)) {
        end += 1;
    }
    chars.get(start..end).map(|s| s.iter().collect()).unwrap_or_default()
}

fn is_keyword(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || u32::from(c) >= 192
}

fn is_nonblank(c: char) -> bool {
    !c.is_whitespace()
}

fn is_fname(c: char) -> bool {
    c.is_alphanumeric() || "/.-_+,#$%~=".contains(c) || u32::from(c) >= 192
}

fn expand(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    let as_list = opt_flag(&a, 2)?;
    let out = expand_one(ed, &s)?;
    Ok(if as_list {
        if out.is_empty() {
            Value::List(Vec::new())
        } else {
            str_list([out])
        }
    } else {
        Value::String(out)
    })
}

/// `expand()` of one item: `%`, `#`, `<cword>`... with modifiers; `~` and `$VAR` at the start.
fn expand_one(ed: &Editor, s: &str) -> Result<String, ExprError> {
    let (base, mods) = if let Some(r) = s.strip_prefix('<') {
        match r.find('>') {
            Some(i) => (&s[..i + 2], &s[i + 2..]),
            None => return Ok(s.to_string()),
        }
    } else if s.starts_with('%') || s.starts_with('#') {
        let end = s[1..].find(':').map_or(s.len(), |i| i + 1);
        (&s[..end], &s[end..])
    } else if s.starts_with('~') || s.starts_with('$') {
        return Ok(expand_env(s));
    } else {
        return Ok(s.to_string());
    };
    if !mods.is_empty() && !mods.starts_with(':') {
        return Ok(s.to_string());
    }
    let value = match base {
        "%" => ed.buf().path.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
        "#" => ed
            .alternate
            .and_then(|b| ed.buffers.get(&b))
            .and_then(|b| b.path.as_ref())
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        "<cword>" => word_at_cursor(ed, is_keyword),
        "<cWORD>" => word_at_cursor(ed, is_nonblank),
        "<cfile>" => word_at_cursor(ed, is_fname),
        "<sfile>" | "<script>" | "<stack>" | "<afile>" | "<amatch>" | "<abuf>" | "<slnum>" | "<sflnum>" => {
            String::new()
        }
        _ if base.starts_with('#') => {
            let n = crate::expr::leading_number(&base[1..]);
            u32::try_from(n)
                .ok()
                .and_then(|n| ed.buffers.get(&crate::buffer::BufferId(n)))
                .and_then(|b| b.path.as_ref())
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        }
        _ => return Ok(s.to_string()),
    };
    if value.is_empty() {
        return Ok(value);
    }
    modify(ed, &value, mods)
}

/// `~/x` and `$VAR/x` at the start of a name.
fn expand_env(s: &str) -> String {
    if let Some(r) = s.strip_prefix('~') {
        if r.is_empty() || r.starts_with('/') {
            return expand_home(Path::new(s)).display().to_string();
        }
        return s.to_string();
    }
    let Some(r) = s.strip_prefix('$') else { return s.to_string() };
    let end = r.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(r.len());
    match std::env::var(&r[..end]) {
        Ok(v) => format!("{v}{}", &r[end..]),
        Err(_) => s.to_string(),
    }
}
