//! String functions: lengths and widths, parts, case, search in strings, patterns, conversions.
//!
//! Offsets are bytes unless the name says characters (`strcharpart`, `charidx`), as in Vim.
//! Patterns are Vim patterns, matched with 'ignorecase' as Vim's `match()` does.

use rtdvi_core::pattern::{Pattern, PatternOptions};
use rtdvi_core::substitute::Replacement;

use super::{arg, arg_num, arg_str, err, num, opt_flag, opt_num, str_list, to_usize, Function};
use crate::editor::Editor;
use crate::expr::{ExprError, Func, Value};

/// This module's functions.
pub(super) static FUNCTIONS: &[Function] = &[
    Function { name: "byteidx", min_args: 2, max_args: 3, func: byteidx },
    Function { name: "byteidxcomp", min_args: 2, max_args: 3, func: byteidx },
    Function { name: "char2nr", min_args: 1, max_args: 2, func: char2nr },
    Function { name: "charclass", min_args: 1, max_args: 1, func: charclass },
    Function { name: "charidx", min_args: 2, max_args: 4, func: charidx },
    Function { name: "escape", min_args: 2, max_args: 2, func: escape },
    Function { name: "list2str", min_args: 1, max_args: 2, func: list2str },
    Function { name: "match", min_args: 2, max_args: 4, func: match_ },
    Function { name: "matchend", min_args: 2, max_args: 4, func: matchend },
    Function { name: "matchlist", min_args: 2, max_args: 4, func: matchlist },
    Function { name: "matchstr", min_args: 2, max_args: 4, func: matchstr },
    Function { name: "matchstrpos", min_args: 2, max_args: 4, func: matchstrpos },
    Function { name: "nr2char", min_args: 1, max_args: 2, func: nr2char },
    Function { name: "shellescape", min_args: 1, max_args: 2, func: shellescape },
    Function { name: "split", min_args: 1, max_args: 3, func: split },
    Function { name: "str2float", min_args: 1, max_args: 2, func: str2float },
    Function { name: "str2list", min_args: 1, max_args: 2, func: str2list },
    Function { name: "str2nr", min_args: 1, max_args: 3, func: str2nr },
    Function { name: "strcharlen", min_args: 1, max_args: 1, func: strcharlen },
    Function { name: "strcharpart", min_args: 2, max_args: 4, func: strcharpart },
    Function { name: "strchars", min_args: 1, max_args: 2, func: strchars },
    Function { name: "strdisplaywidth", min_args: 1, max_args: 2, func: strdisplaywidth },
    Function { name: "strgetchar", min_args: 2, max_args: 2, func: strgetchar },
    Function { name: "stridx", min_args: 2, max_args: 3, func: stridx },
    Function { name: "string", min_args: 1, max_args: 1, func: string },
    Function { name: "strlen", min_args: 1, max_args: 1, func: strlen },
    Function { name: "strpart", min_args: 2, max_args: 4, func: strpart },
    Function { name: "strridx", min_args: 2, max_args: 3, func: strridx },
    Function { name: "strtrans", min_args: 1, max_args: 1, func: strtrans },
    Function { name: "strwidth", min_args: 1, max_args: 1, func: strwidth },
    Function { name: "submatch", min_args: 1, max_args: 2, func: submatch },
    Function { name: "substitute", min_args: 4, max_args: 4, func: substitute },
    Function { name: "tolower", min_args: 1, max_args: 1, func: tolower },
    Function { name: "toupper", min_args: 1, max_args: 1, func: toupper },
    Function { name: "tr", min_args: 3, max_args: 3, func: tr },
    Function { name: "trim", min_args: 1, max_args: 3, func: trim },
];

/// Whether `c` is a combining character (counted with its base by `strchars(s, 1)`).
fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36f | 0x1ab0..=0x1aff | 0x1dc0..=0x1dff | 0x20d0..=0x20ff | 0xfe20..=0xfe2f)
}

fn strlen(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(num(arg_str(&a, 0)?.len()))
}

fn strchars(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    let skipcc = opt_flag(&a, 1)?;
    Ok(num(s.chars().filter(|c| !(skipcc && is_combining(*c))).count()))
}

fn strcharlen(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(num(arg_str(&a, 0)?.chars().filter(|c| !is_combining(*c)).count()))
}

/// A part of `s` from item `start` (negative: before the start), `len` items long (or to the end).
fn part<T: Clone>(items: &[T], start: i64, len: Option<i64>) -> Vec<T> {
    let total = items.len() as i64;
    let (mut s, mut e) = (start, len.map_or(total, |l| start.saturating_add(l.max(0))));
    s = s.clamp(0, total);
    e = e.clamp(0, total);
    if e <= s {
        return Vec::new();
    }
    items.get(s as usize..e as usize).map(<[T]>::to_vec).unwrap_or_default()
}

fn strcharpart(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let chars: Vec<char> = arg_str(&a, 0)?.chars().collect();
    let len = if a.len() > 2 { Some(arg_num(&a, 2)?) } else { None };
    Ok(Value::String(part(&chars, arg_num(&a, 1)?, len).into_iter().collect()))
}

fn strpart(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    let len = if a.len() > 2 { Some(arg_num(&a, 2)?) } else { None };
    if opt_flag(&a, 3)? {
        let chars: Vec<char> = s.chars().collect();
        return Ok(Value::String(part(&chars, arg_num(&a, 1)?, len).into_iter().collect()));
    }
    let bytes = part(s.as_bytes(), arg_num(&a, 1)?, len);
    Ok(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
}

/// Display cells of `s` starting at screen column `col` (tabs expand with the current 'tabstop').
pub(crate) fn display_width(ed: &Editor, s: &str, col: usize) -> usize {
    let ts = usize::try_from(ed.buf().opt_number("tabstop")).unwrap_or(8).max(1);
    let mut v = col;
    for (i, c) in s.chars().enumerate() {
        v += rtdvi_core::position::char_display_width(c, v, ts, i == 0);
    }
    v - col
}

fn strdisplaywidth(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    Ok(num(display_width(ed, &s, to_usize(opt_num(&a, 1, 0)?))))
}

fn strwidth(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    Ok(num(s.chars().map(|c| if c == '\t' { 1 } else { unicode_width::UnicodeWidthChar::width(c).unwrap_or(0) }).sum()))
}

/// One character's case mapping, kept to one character as Vim does (`ß` becomes `ẞ`; a character
/// whose mapping is several characters stays as it is).
fn one_char(c: char, upper: bool) -> char {
    if upper && c == 'ß' {
        return 'ẞ';
    }
    let mut m: Vec<char> = if upper { c.to_uppercase().collect() } else { c.to_lowercase().collect() };
    match (m.len(), m.pop()) {
        (1, Some(x)) => x,
        _ => c,
    }
}

fn tolower(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::String(arg_str(&a, 0)?.chars().map(|c| one_char(c, false)).collect()))
}

fn toupper(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::String(arg_str(&a, 0)?.chars().map(|c| one_char(c, true)).collect()))
}

fn trim(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    let mask = arg_str(&a, 1)?;
    let dir = opt_num(&a, 2, 0)?;
    if !(0..=2).contains(&dir) {
        return Err(err(format!("E475: Invalid argument: {dir}")));
    }
    let is_trim = |c: char| if mask.is_empty() { (c as u32) <= 0x20 || c == '\u{a0}' } else { mask.contains(c) };
    let mut t: &str = &s;
    if dir != 2 {
        t = t.trim_start_matches(is_trim);
    }
    if dir != 1 {
        t = t.trim_end_matches(is_trim);
    }
    Ok(Value::str(t))
}

fn stridx(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let (h, n) = (arg_str(&a, 0)?, arg_str(&a, 1)?);
    let start = opt_num(&a, 2, 0)?;
    if start < 0 {
        return Ok(Value::Number(-1));
    }
    let start = to_usize(start);
    if start > h.len() {
        return Ok(Value::Number(-1));
    }
    let found = h.as_bytes().get(start..).and_then(|tail| find_bytes(tail, n.as_bytes())).map(|i| i + start);
    Ok(found.map_or(Value::Number(-1), num))
}

fn find_bytes(h: &[u8], n: &[u8]) -> Option<usize> {
    if n.is_empty() {
        return Some(0);
    }
    h.windows(n.len()).position(|w| w == n)
}

fn strridx(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let (h, n) = (arg_str(&a, 0)?, arg_str(&a, 1)?);
    let (hb, nb) = (h.as_bytes(), n.as_bytes());
    let last_start = if a.len() > 2 {
        let s = arg_num(&a, 2)?;
        if s < 0 {
            return Ok(Value::Number(-1));
        }
        to_usize(s).min(hb.len())
    } else {
        hb.len()
    };
    let found = (0..=last_start).rev().find(|&i| hb.get(i..i + nb.len()) == Some(nb));
    Ok(found.map_or(Value::Number(-1), num))
}

fn tr(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    let from: Vec<char> = arg_str(&a, 1)?.chars().collect();
    let to: Vec<char> = arg_str(&a, 2)?.chars().collect();
    if from.len() != to.len() {
        return Err(err(format!("E475: Invalid argument: {}", arg_str(&a, 1)?)));
    }
    Ok(Value::String(
        s.chars().map(|c| from.iter().position(|f| *f == c).and_then(|i| to.get(i).copied()).unwrap_or(c)).collect(),
    ))
}

fn escape(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    let chars = arg_str(&a, 1)?;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if chars.contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(Value::String(out))
}

/// Single-quotes `s` for a POSIX shell (`'` becomes `'\''`).
pub(crate) fn shell_quote(s: &str, special: bool) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\'' => out.push_str("'\\''"),
            '!' | '%' | '#' if special => {
                out.push('\\');
                out.push(c);
            }
            '\n' if special => out.push_str("\\\n"),
            _ => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn shellescape(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::String(shell_quote(&arg_str(&a, 0)?, opt_flag(&a, 1)?)))
}

fn string(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::String(arg(&a, 0).to_vim_string()))
}

fn strtrans(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    let mut out = String::new();
    for c in s.chars() {
        match c as u32 {
            0..=0x1f => {
                out.push('^');
                out.push(char::from_u32(c as u32 + 0x40).unwrap_or('?'));
            }
            0x7f => out.push_str("^?"),
            _ => out.push(c),
        }
    }
    Ok(Value::String(out))
}

fn str2nr(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    let base = opt_num(&a, 1, 10)?;
    if ![2, 8, 10, 16].contains(&base) {
        return Err(err("E474: Invalid argument"));
    }
    let t = s.trim_start();
    let (neg, mut d) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let prefixes: &[&str] = match base {
        16 => &["0x", "0X"],
        2 => &["0b", "0B"],
        8 => &["0o", "0O"],
        _ => &[],
    };
    for p in prefixes {
        if let Some(r) = d.strip_prefix(p) {
            d = r;
            break;
        }
    }
    let radix = u32::try_from(base).unwrap_or(10);
    let end = d.find(|c: char| !c.is_digit(radix)).unwrap_or(d.len());
    let n = i64::from_str_radix(&d[..end], radix).unwrap_or(if end > 0 { i64::MAX } else { 0 });
    Ok(Value::Number(if neg { -n } else { n }))
}

fn str2float(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    let t = s.trim_start();
    let (neg, body) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let lower = body.to_ascii_lowercase();
    let x = if lower.starts_with("inf") {
        f64::INFINITY
    } else if lower.starts_with("nan") {
        f64::NAN
    } else {
        // The longest prefix that parses as a float.
        let b = body.as_bytes();
        let mut end = 0;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
        if end < b.len() && b[end] == b'.' {
            end += 1;
            while end < b.len() && b[end].is_ascii_digit() {
                end += 1;
            }
        }
        if end > 0 && end < b.len() && (b[end] == b'e' || b[end] == b'E') {
            let mut e = end + 1;
            if e < b.len() && (b[e] == b'+' || b[e] == b'-') {
                e += 1;
            }
            let digits = b.get(e..).map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count());
            if digits > 0 {
                end = e + digits;
            }
        }
        body.get(..end).and_then(|p| p.trim_end_matches('.').parse::<f64>().ok()).unwrap_or(0.0)
    };
    Ok(Value::Float(if neg { -x } else { x }))
}

fn nr2char(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let n = arg_num(&a, 0)?;
    if n == 0 {
        return Ok(Value::String(String::new()));
    }
    if n < 0 {
        return Err(err("E5070: Character number must not be less than zero"));
    }
    let c =
        u32::try_from(n).ok().and_then(char::from_u32).ok_or_else(|| err(format!("E1514: Invalid character: {n}")))?;
    Ok(Value::String(c.to_string()))
}

fn char2nr(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Number(arg_str(&a, 0)?.chars().next().map_or(0, |c| i64::from(u32::from(c)))))
}

fn str2list(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::List(arg_str(&a, 0)?.chars().map(|c| Value::Number(i64::from(u32::from(c)))).collect()))
}

fn list2str(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let l = super::arg_list(&a, 0)?;
    let mut out = String::new();
    for v in l {
        let n = v.to_number()?;
        if let Some(c) = u32::try_from(n).ok().filter(|n| *n != 0).and_then(char::from_u32) {
            out.push(c);
        }
    }
    Ok(Value::String(out))
}

fn strgetchar(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    let i = arg_num(&a, 1)?;
    let c = usize::try_from(i).ok().and_then(|i| s.chars().nth(i));
    Ok(Value::Number(c.map_or(-1, |c| i64::from(u32::from(c)))))
}

fn charclass(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    // 0 blank, 1 punctuation, 2 word character, 3 emoji, other classes for other scripts.
    let c = arg_str(&a, 0)?.chars().next().unwrap_or(' ');
    Ok(Value::Number(if c.is_whitespace() || c == '\0' {
        0
    } else if c.is_alphanumeric() || c == '_' {
        2
    } else if (0x1f300..=0x1faff).contains(&u32::from(c)) {
        3
    } else {
        1
    }))
}

fn byteidx(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    let n = arg_num(&a, 1)?;
    if n < 0 {
        return Ok(Value::Number(-1));
    }
    let n = to_usize(n);
    let count = s.chars().count();
    if n > count {
        return Ok(Value::Number(-1));
    }
    Ok(num(s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)))
}

fn charidx(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    let b = arg_num(&a, 1)?;
    if b < 0 || to_usize(b) > s.len() {
        return Ok(Value::Number(-1));
    }
    let b = to_usize(b);
    if b == s.len() {
        return Ok(Value::Number(-1));
    }
    Ok(num(s.char_indices().take_while(|(i, _)| *i <= b).count().saturating_sub(1)))
}

/// A Vim pattern compiled with the editor's 'ignorecase' (as `match()` and `=~` use it).
pub(crate) fn compile(ed: &Editor, pat: &str) -> Result<Pattern, ExprError> {
    let opts = PatternOptions {
        ignorecase: ed.buf().opt_bool("ignorecase") || ed.opt("ignorecase").as_bool(),
        ..Default::default()
    };
    Pattern::new(pat, &opts).map_err(|e| err(e.to_string()))
}

/// One match for the `match*()` family: the item index (lists) or byte range (strings) and groups.
struct Found {
    index: Option<usize>,
    start: usize,
    end: usize,
    groups: Vec<String>,
}

/// Vim's `match()` family: search `expr` (a string or a list) from `start`, the `count`th match.
fn find_match(ed: &Editor, a: &[Value]) -> Result<Option<Found>, ExprError> {
    let pat = compile(ed, &arg_str(a, 1)?)?;
    let start = opt_num(a, 2, 0)?;
    let mut count = opt_num(a, 3, 1)?.max(1);
    if let Value::List(items) = arg(a, 0) {
        for (i, item) in items.iter().enumerate().skip(to_usize(start)) {
            let s = match item {
                Value::Number(_) | Value::String(_) | Value::Float(_) => item.to_string_value()?,
                _ => continue,
            };
            if let Some(c) = pat.captures_at(&s, 0) {
                count -= 1;
                if count == 0 {
                    let groups = groups_of(&c, &s);
                    return Ok(Some(Found { index: Some(i), start: c.matched.start, end: c.matched.end, groups }));
                }
            }
        }
        return Ok(None);
    }
    let s = arg_str(a, 0)?;
    let mut at = to_usize(start);
    if at > s.len() {
        return Ok(None);
    }
    while at <= s.len() {
        let Some(c) = pat.captures_at(&s, at) else { return Ok(None) };
        count -= 1;
        if count == 0 {
            let groups = groups_of(&c, &s);
            return Ok(Some(Found { index: None, start: c.matched.start, end: c.matched.end, groups }));
        }
        at = if c.matched.end > c.matched.start { c.matched.end } else { next_char(&s, c.matched.start) };
    }
    Ok(None)
}

fn next_char(s: &str, at: usize) -> usize {
    s.get(at..).and_then(|r| r.chars().next()).map_or(at + 1, |c| at + c.len_utf8())
}

fn groups_of(c: &rtdvi_core::pattern::Captures, s: &str) -> Vec<String> {
    c.groups.iter().map(|g| g.and_then(|m| s.get(m.start..m.end)).unwrap_or("").to_string()).collect()
}

fn match_(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(match find_match(ed, &a)? {
        Some(f) => num(f.index.unwrap_or(f.start)),
        None => Value::Number(-1),
    })
}

fn matchend(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(match find_match(ed, &a)? {
        Some(f) => num(f.index.unwrap_or(f.end)),
        None => Value::Number(-1),
    })
}

fn matchstr(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::String(find_match(ed, &a)?.and_then(|f| f.groups.into_iter().next()).unwrap_or_default()))
}

fn matchstrpos(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let list = matches!(a.first(), Some(Value::List(_)));
    Ok(Value::List(match find_match(ed, &a)? {
        Some(f) => {
            let s = f.groups.into_iter().next().unwrap_or_default();
            match f.index {
                Some(i) => vec![Value::String(s), num(i), num(f.start), num(f.end)],
                None => vec![Value::String(s), num(f.start), num(f.end)],
            }
        }
        None if list => vec![Value::empty_string(), Value::Number(-1), Value::Number(-1), Value::Number(-1)],
        None => vec![Value::empty_string(), Value::Number(-1), Value::Number(-1)],
    }))
}

fn matchlist(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(match find_match(ed, &a)? {
        Some(f) => str_list(f.groups),
        None => Value::List(Vec::new()),
    })
}

fn split(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let text = arg_str(&a, 0)?;
    let given = arg_str(&a, 1)?;
    let pat_src = if given.is_empty() { "[\\x01- ]\\+".to_string() } else { given };
    let keepempty = opt_flag(&a, 2)?;
    let pat = compile(ed, &pat_src)?;
    let mut out = Vec::new();
    let mut pos = 0usize;
    let mut col = 0usize;
    while pos < text.len() || keepempty {
        let rest = text.get(pos..).unwrap_or("");
        let m = if rest.is_empty() { None } else { pat.find_at(rest, col) };
        let end = m.map_or(rest.len(), |m| m.start);
        if keepempty || end > 0 || (!out.is_empty() && !rest.is_empty() && m.is_some_and(|m| end < m.end)) {
            out.push(Value::str(rest.get(..end).unwrap_or("")));
        }
        let Some(m) = m else { break };
        if m.end > 0 {
            col = 0;
        } else {
            col = next_char(rest, 0);
        }
        pos += m.end;
        if m.end == 0 && col > rest.len() {
            break;
        }
    }
    Ok(Value::List(out))
}

/// Replaces the first (or, `global`, every) match of `pat` in `text` with what `with` makes of it.
fn replace_matches(
    text: &str,
    pat: &Pattern,
    global: bool,
    mut with: impl FnMut(&rtdvi_core::pattern::Captures) -> Result<String, ExprError>,
) -> Result<String, ExprError> {
    let mut out = String::new();
    let mut at = 0usize;
    let mut copied = 0usize;
    let mut prev_end: Option<usize> = None;
    while at <= text.len() {
        let Some(c) = pat.captures_at(text, at) else { break };
        let m = c.matched;
        if m.start == m.end && prev_end == Some(m.start) {
            // No empty match right after the previous match (Vim's rule).
            at = next_char(text, m.start);
            continue;
        }
        out.push_str(text.get(copied..m.start).unwrap_or(""));
        out.push_str(&with(&c)?);
        copied = m.end;
        prev_end = Some(m.end);
        if !global {
            break;
        }
        at = if m.end > m.start { m.end } else { next_char(text, m.end) };
    }
    out.push_str(text.get(copied..).unwrap_or(""));
    Ok(out)
}

/// `substitute()` with a replacement string (what `fnamemodify()`'s `:s` uses too).
pub(crate) fn substitute_text(
    ed: &Editor,
    text: &str,
    pat: &str,
    sub: &str,
    global: bool,
) -> Result<String, ExprError> {
    let pat = compile(ed, pat)?;
    let rep = Replacement::parse(sub, None, true);
    replace_matches(text, &pat, global, |c| Ok(rep.expand(c, text)))
}

thread_local! {
    /// The groups of the match a `\=` replacement is being evaluated for (innermost last), which
    /// `submatch()` reads.
    static SUBMATCHES: std::cell::RefCell<Vec<Vec<String>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Evaluates a `\=` replacement expression for one match, with `submatch()` answering from
/// `groups` (`:s/pat/\=expr/` and `substitute(s, pat, '\=expr', flags)`).
pub fn eval_replacement(ed: &mut Editor, expr_src: &str, groups: Vec<String>) -> Result<String, ExprError> {
    SUBMATCHES.with(|s| s.borrow_mut().push(groups));
    let r = crate::expr::eval(expr_src, &mut super::EditorContext::new(ed));
    SUBMATCHES.with(|s| s.borrow_mut().pop());
    match r? {
        Value::List(l) => Ok(l.iter().map(Value::to_string_value).collect::<Result<Vec<_>, _>>()?.join("\n")),
        v => v.to_string_value(),
    }
}

fn substitute(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let text = arg_str(&a, 0)?;
    let global = arg_str(&a, 3)?.contains('g');
    match arg(&a, 2) {
        Value::Func(f) => {
            let f: Func = f;
            let pat = compile(ed, &arg_str(&a, 1)?)?;
            let out = replace_matches(&text, &pat, global, |c| {
                super::context::call_func(ed, &f, vec![str_list(groups_of(c, &text))])?.to_string_value()
            })?;
            Ok(Value::String(out))
        }
        sub => {
            let sub = sub.to_string_value()?;
            if let Some(src) = sub.strip_prefix("\\=") {
                let pat = compile(ed, &arg_str(&a, 1)?)?;
                let out = replace_matches(&text, &pat, global, |c| eval_replacement(ed, src, groups_of(c, &text)))?;
                return Ok(Value::String(out));
            }
            Ok(Value::String(substitute_text(ed, &text, &arg_str(&a, 1)?, &sub, global)?))
        }
    }
}

fn submatch(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let n = arg_num(&a, 0)?;
    if !(0..=9).contains(&n) {
        return Err(err(format!("E935: Invalid submatch number: {n}")));
    }
    let text = SUBMATCHES.with(|s| s.borrow().last().and_then(|g| g.get(to_usize(n)).cloned())).unwrap_or_default();
    if opt_flag(&a, 1)? {
        return Ok(str_list(text.split('\n').map(str::to_string)));
    }
    Ok(Value::String(text))
}
