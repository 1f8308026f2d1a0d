//! Functions on the text and the cursor: `line()`, `col()`, `getline()`, `setline()`, `append()`,
//! the `*bufline()` family, positions (`getpos()`, `setpos()`, `cursor()`), indents, searches.
//!
//! Vim's coordinates at this door: lines 1-based, columns 1-based byte indexes (`charcol()` and
//! `getcharpos()` count characters); the editor keeps 0-based rows and character columns.
//! Folding is not implemented, so `foldclosed()` is always -1 and `foldlevel()` 0.

use rtdvi_core::pattern::Pattern;

use super::window::buffer_arg;
use super::{arg, arg_num, arg_str, err, num, opt_num, str_list, to_usize, Function};
use crate::buffer::BufferId;
use crate::cursor_follow::ApiEdit;
use crate::editor::Editor;
use crate::expr::{ExprError, Value};
use crate::vi::Pos;

/// This module's functions.
pub(super) static FUNCTIONS: &[Function] = &[
    Function { name: "append", min_args: 2, max_args: 2, func: append },
    Function { name: "appendbufline", min_args: 3, max_args: 3, func: appendbufline },
    Function { name: "charcol", min_args: 1, max_args: 2, func: charcol },
    Function { name: "col", min_args: 1, max_args: 2, func: col },
    Function { name: "cursor", min_args: 1, max_args: 3, func: cursor },
    Function { name: "deletebufline", min_args: 2, max_args: 3, func: deletebufline },
    Function { name: "foldclosed", min_args: 1, max_args: 1, func: fold_none },
    Function { name: "foldclosedend", min_args: 1, max_args: 1, func: fold_none },
    Function { name: "foldlevel", min_args: 1, max_args: 1, func: zero },
    Function { name: "getbufline", min_args: 2, max_args: 3, func: getbufline },
    Function { name: "getbufoneline", min_args: 2, max_args: 2, func: getbufoneline },
    Function { name: "getcharpos", min_args: 1, max_args: 1, func: getcharpos },
    Function { name: "getcurpos", min_args: 0, max_args: 1, func: getcurpos },
    Function { name: "getline", min_args: 1, max_args: 2, func: getline },
    Function { name: "getpos", min_args: 1, max_args: 1, func: getpos },
    Function { name: "indent", min_args: 1, max_args: 1, func: indent },
    Function { name: "line", min_args: 1, max_args: 2, func: line },
    Function { name: "line2byte", min_args: 1, max_args: 1, func: line2byte },
    Function { name: "nextnonblank", min_args: 1, max_args: 1, func: nextnonblank },
    Function { name: "prevnonblank", min_args: 1, max_args: 1, func: prevnonblank },
    Function { name: "search", min_args: 1, max_args: 5, func: search },
    Function { name: "searchpos", min_args: 1, max_args: 5, func: searchpos },
    Function { name: "setbufline", min_args: 3, max_args: 3, func: setbufline },
    Function { name: "setline", min_args: 2, max_args: 2, func: setline },
    Function { name: "setpos", min_args: 2, max_args: 2, func: setpos },
    Function { name: "synID", min_args: 3, max_args: 3, func: zero },
    Function { name: "virtcol", min_args: 1, max_args: 3, func: virtcol },
    Function { name: "virtcol2col", min_args: 3, max_args: 3, func: virtcol2col },
];

fn zero(_: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Number(0))
}

fn fold_none(_: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Number(-1))
}

/// Byte offset of character column `col` in `line`.
pub(crate) fn byte_of(line: &str, col: usize) -> usize {
    line.char_indices().nth(col).map_or(line.len(), |(i, _)| i)
}

/// Character column of byte offset `byte` (inside a character: that character).
pub(crate) fn char_of(line: &str, byte: usize) -> usize {
    line.char_indices().take_while(|(i, _)| *i <= byte).count().saturating_sub(1)
}

/// A position named in Vim's way (`.`, `$`, `'x`, `v`, `w0`, `w$`) as (row, char col), 0-based;
/// `None` if it names nothing. `$` is the last line (its column past the end).
fn named_pos(ed: &Editor, s: &str) -> Option<Pos> {
    let b = ed.buf();
    let c = ed.cursor();
    let last = b.line_count().saturating_sub(1);
    match s {
        "." => Some(Pos::new(c.row, c.col)),
        "$" => Some(Pos::new(last, b.line_len(last))),
        "v" => Some(match ed.vi.visual {
            Some(v) => v.anchor,
            None => Pos::new(c.row, c.col),
        }),
        "w0" => Some(Pos::new(ed.win().top_line.min(last), 0)),
        "w$" => Some(Pos::new((ed.win().top_line + ed.win().height.max(1) - 1).min(last), 0)),
        _ => {
            let m = s.strip_prefix('\'')?;
            let mut chars = m.chars();
            let name = chars.next()?;
            if chars.next().is_some() {
                return None;
            }
            let pos = b.mark(name)?;
            let (row, col) = b.char_to_pos(pos);
            Some(Pos::new(row, col))
        }
    }
}

/// A line number argument as `getline()` reads it: a number, or a string naming a position
/// (`"."`, `"$"`, `"'a"`), or a string of digits. 0 means none.
fn lnum_arg(ed: &Editor, v: &Value) -> Result<i64, ExprError> {
    match v {
        Value::String(s) => match named_pos(ed, s) {
            Some(p) => Ok(p.row as i64 + 1),
            None => Ok(crate::expr::leading_number(s)),
        },
        other => other.to_number(),
    }
}

/// Lines `first..=last` (1-based, clamped) of a buffer.
fn lines_of(ed: &Editor, buf: BufferId, first: i64, last: i64) -> Vec<String> {
    let Some(b) = ed.buffers.get(&buf) else { return Vec::new() };
    let count = b.line_count() as i64;
    let first = first.max(1);
    let last = last.min(count);
    if first > last {
        return Vec::new();
    }
    (first..=last).map(|l| b.line(to_usize(l - 1))).collect()
}

fn line(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    Ok(named_pos(ed, &s).map_or(Value::Number(0), |p| num(p.row + 1)))
}

/// The (row, byte col + 1) a `col()` argument names; `[lnum, col]` lists too. 0 if nothing.
fn col_of(ed: &Editor, v: &Value, chars: bool) -> Result<i64, ExprError> {
    let b = ed.buf();
    if let Value::List(l) = v {
        let lnum = l.first().map(|v| lnum_arg(ed, v)).transpose()?.unwrap_or(0);
        if lnum < 1 || lnum > b.line_count() as i64 {
            return Ok(0);
        }
        let text = b.line(to_usize(lnum - 1));
        return Ok(match l.get(1) {
            Some(Value::String(s)) if s == "$" => (if chars { text.chars().count() } else { text.len() }) as i64 + 1,
            Some(c) => c.to_number()?,
            None => 0,
        });
    }
    let s = v.to_string_value()?;
    let Some(p) = named_pos(ed, &s) else { return Ok(0) };
    let text = b.line(p.row);
    if s == "$" {
        let row = ed.cursor().row;
        let t = b.line(row);
        return Ok((if chars { t.chars().count() } else { t.len() }) as i64 + 1);
    }
    Ok(if chars { p.col as i64 + 1 } else { byte_of(&text, p.col) as i64 + 1 })
}

fn col(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Number(col_of(ed, &arg(&a, 0), false)?))
}

fn charcol(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Number(col_of(ed, &arg(&a, 0), true)?))
}

/// The display column (1-based) of the last cell of character `col` of `text`.
fn display_end(ed: &Editor, text: &str, col: usize) -> usize {
    let upto: String = text.chars().take(col + 1).collect();
    let w = super::string::display_width(ed, &upto, 0);
    if col >= text.chars().count() {
        w + 1
    } else {
        w
    }
}

fn virtcol(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let v = arg(&a, 0);
    let b = ed.buf();
    let (row, col) = match &v {
        Value::List(l) => {
            let lnum = l.first().map(|v| lnum_arg(ed, v)).transpose()?.unwrap_or(0);
            if lnum < 1 || lnum > b.line_count() as i64 {
                return Ok(Value::Number(0));
            }
            let row = to_usize(lnum - 1);
            let text = b.line(row);
            let col = match l.get(1) {
                Some(Value::String(s)) if s == "$" => text.chars().count(),
                Some(c) => char_of(&text, to_usize(c.to_number()? - 1)),
                None => 0,
            };
            (row, col)
        }
        other => {
            let s = other.to_string_value()?;
            let Some(p) = named_pos(ed, &s) else { return Ok(Value::Number(0)) };
            if s == "$" {
                let row = ed.cursor().row;
                (row, b.line_len(row))
            } else {
                (p.row, p.col)
            }
        }
    };
    let text = b.line(row);
    let end = display_end(ed, &text, col);
    if a.len() > 1 && opt_num(&a, 1, 0)? != 0 {
        let upto: String = text.chars().take(col).collect();
        let start = super::string::display_width(ed, &upto, 0) + 1;
        return Ok(Value::List(vec![num(start), num(end)]));
    }
    Ok(num(end))
}

fn virtcol2col(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let win = super::window::window_arg(ed, &arg(&a, 0))?;
    let Some(w) = win.and_then(|w| ed.window(w)) else { return Ok(Value::Number(-1)) };
    let Some(b) = ed.buffers.get(&w.buffer) else { return Ok(Value::Number(-1)) };
    let lnum = arg_num(&a, 1)?;
    let vcol = to_usize(arg_num(&a, 2)?);
    if lnum < 1 || lnum > b.line_count() as i64 || vcol < 1 {
        return Ok(Value::Number(-1));
    }
    let text = b.line(to_usize(lnum - 1));
    let mut width = 0;
    for (i, c) in text.char_indices() {
        width += super::string::display_width(ed, &c.to_string(), width);
        if width >= vcol {
            return Ok(num(i + 1));
        }
    }
    Ok(num(text.len()))
}

fn getline(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let first = lnum_arg(ed, &arg(&a, 0))?;
    let buf = ed.buf_id();
    if a.len() > 1 {
        let last = lnum_arg(ed, &arg(&a, 1))?;
        return Ok(str_list(lines_of(ed, buf, first, last)));
    }
    Ok(Value::String(lines_of(ed, buf, first, first).into_iter().next().unwrap_or_default()))
}

fn getbufline(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let Some(buf) = buffer_arg(ed, &arg(&a, 0))? else { return Ok(Value::List(Vec::new())) };
    let first = buf_lnum(ed, buf, &arg(&a, 1))?;
    let last = if a.len() > 2 { buf_lnum(ed, buf, &arg(&a, 2))? } else { first };
    Ok(str_list(lines_of(ed, buf, first, last)))
}

fn getbufoneline(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let Some(buf) = buffer_arg(ed, &arg(&a, 0))? else { return Ok(Value::empty_string()) };
    let l = buf_lnum(ed, buf, &arg(&a, 1))?;
    Ok(Value::String(lines_of(ed, buf, l, l).into_iter().next().unwrap_or_default()))
}

/// A line number for a buffer other than the current one: a number or `"$"`.
fn buf_lnum(ed: &Editor, buf: BufferId, v: &Value) -> Result<i64, ExprError> {
    match v {
        Value::String(s) if s == "$" => Ok(ed.buffers.get(&buf).map_or(0, |b| b.line_count() as i64)),
        Value::String(_) if buf == ed.buf_id() => lnum_arg(ed, v),
        other => other.to_number(),
    }
}

/// Text for `setline()`/`append()`: a string or a list of strings.
fn text_lines(v: &Value) -> Result<Vec<String>, ExprError> {
    match v {
        Value::List(l) => l.iter().map(Value::to_string_value).collect(),
        other => Ok(vec![other.to_string_value()?]),
    }
}

/// Replaces lines from `lnum` (1-based) on with `lines`, appending past the end; `true` on
/// failure (a line number outside `1..=count+1`), which Vim's functions return as 1.
fn set_lines(ed: &mut Editor, buf: BufferId, lnum: i64, lines: Vec<String>) -> Result<bool, ExprError> {
    let Some(b) = ed.buffers.get(&buf) else { return Ok(true) };
    let count = b.line_count() as i64;
    if lnum < 1 || lnum > count + 1 {
        return Ok(true);
    }
    if lines.is_empty() {
        return Ok(false);
    }
    if lines.iter().any(|l| l.contains('\n')) {
        return Err(err("E5555: line contains a newline"));
    }
    let first = to_usize(lnum - 1);
    let last = (first + lines.len()).min(to_usize(count));
    let change = b.lines_change(first, last, &lines).map_err(|e| err(e.to_string()))?;
    let edit = ApiEdit::Lines { start: first, end: last, count: lines.len() };
    ed.apply_api_change(buf, change, edit).map_err(|e| err(e.to_string()))?;
    Ok(false)
}

/// Inserts `lines` after line `lnum` (0: before the first line); `true` on failure.
fn insert_lines(ed: &mut Editor, buf: BufferId, lnum: i64, lines: Vec<String>) -> Result<bool, ExprError> {
    let Some(b) = ed.buffers.get(&buf) else { return Ok(true) };
    let count = b.line_count() as i64;
    if lnum < 0 || lnum > count {
        return Ok(true);
    }
    if lines.is_empty() {
        return Ok(false);
    }
    // A buffer that is one empty line is a buffer with no lines to Vim's append(): still, the empty
    // line stays (Vim keeps it too).
    let at = to_usize(lnum);
    let change = b.lines_change(at, at, &lines).map_err(|e| err(e.to_string()))?;
    let edit = ApiEdit::Lines { start: at, end: at, count: lines.len() };
    ed.apply_api_change(buf, change, edit).map_err(|e| err(e.to_string()))?;
    Ok(false)
}

fn setline(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let lnum = lnum_arg(ed, &arg(&a, 0))?;
    let lines = text_lines(&arg(&a, 1))?;
    let buf = ed.buf_id();
    Ok(Value::flag(set_lines(ed, buf, lnum, lines)?))
}

fn setbufline(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let Some(buf) = buffer_arg(ed, &arg(&a, 0))? else { return Ok(Value::Number(1)) };
    let lnum = buf_lnum(ed, buf, &arg(&a, 1))?;
    let lines = text_lines(&arg(&a, 2))?;
    Ok(Value::flag(set_lines(ed, buf, lnum, lines)?))
}

fn append(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let lnum = lnum_arg(ed, &arg(&a, 0))?;
    let lines = text_lines(&arg(&a, 1))?;
    let buf = ed.buf_id();
    Ok(Value::flag(insert_lines(ed, buf, lnum, lines)?))
}

fn appendbufline(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let Some(buf) = buffer_arg(ed, &arg(&a, 0))? else { return Ok(Value::Number(1)) };
    let lnum = buf_lnum(ed, buf, &arg(&a, 1))?;
    let lines = text_lines(&arg(&a, 2))?;
    Ok(Value::flag(insert_lines(ed, buf, lnum, lines)?))
}

fn deletebufline(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let Some(buf) = buffer_arg(ed, &arg(&a, 0))? else { return Ok(Value::Number(1)) };
    let first = buf_lnum(ed, buf, &arg(&a, 1))?;
    let last = if a.len() > 2 { buf_lnum(ed, buf, &arg(&a, 2))? } else { first };
    let Some(b) = ed.buffers.get(&buf) else { return Ok(Value::Number(1)) };
    let count = b.line_count() as i64;
    if first < 1 || first > count || last < first {
        return Ok(Value::Number(1));
    }
    let last = last.min(count);
    let (start, end) = (to_usize(first - 1), to_usize(last));
    let all = first == 1 && last == count;
    let change = if all { b.lines_change(0, end, &[String::new()]) } else { b.lines_change(start, end, &[]) }
        .map_err(|e| err(e.to_string()))?;
    let edit = ApiEdit::Lines { start, end, count: usize::from(all) };
    ed.apply_api_change(buf, change, edit).map_err(|e| err(e.to_string()))?;
    Ok(Value::Number(0))
}

fn line2byte(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let l = lnum_arg(ed, &arg(&a, 0))?;
    let b = ed.buf();
    let count = b.line_count() as i64;
    if l < 1 || l > count + 1 {
        return Ok(Value::Number(-1));
    }
    let bytes: usize = (0..to_usize(l - 1)).map(|r| b.line(r).len() + 1).sum();
    Ok(num(bytes + 1))
}

/// `[bufnum, lnum, col, off]` for a 0-based row and char column.
fn pos_list(ed: &Editor, row: usize, col: usize, chars: bool) -> Vec<Value> {
    let text = ed.buf().line(row);
    let c = if chars { col + 1 } else { byte_of(&text, col) + 1 };
    vec![Value::Number(0), num(row + 1), num(c), Value::Number(0)]
}

fn getpos(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    Ok(Value::List(match named_pos(ed, &s) {
        Some(p) if s == "$" => vec![Value::Number(0), num(p.row + 1), Value::Number(0), Value::Number(0)],
        Some(p) => pos_list(ed, p.row, p.col, false),
        None => vec![Value::Number(0); 4],
    }))
}

fn getcharpos(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    Ok(Value::List(match named_pos(ed, &s) {
        Some(p) => pos_list(ed, p.row, p.col, true),
        None => vec![Value::Number(0); 4],
    }))
}

fn getcurpos(ed: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    let c = ed.cursor();
    let mut l = pos_list(ed, c.row, c.col, false);
    let want = ed.win().curswant;
    l.push(if want == usize::MAX { Value::Number(i64::from(i32::MAX)) } else { num(want + 1) });
    Ok(Value::List(l))
}

/// Moves the cursor to a 1-based line and byte column (0: keep), clamped as Vim's `cursor()`.
fn move_cursor(ed: &mut Editor, lnum: i64, col: i64) {
    let cur = ed.cursor();
    let count = ed.buf().line_count() as i64;
    let row = if lnum == 0 { cur.row } else { to_usize(lnum.clamp(1, count.max(1)) - 1) };
    let text = ed.buf().line(row);
    let ccol = if col == 0 { cur.col } else { char_of(&text, to_usize(col - 1).min(text.len())) };
    ed.set_cursor(row, ccol);
}

fn cursor(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let (lnum, col) = match arg(&a, 0) {
        Value::List(l) => {
            if l.len() < 2 {
                return Ok(Value::Number(-1));
            }
            (
                l.first().map(|v| lnum_arg(ed, v)).transpose()?.unwrap_or(0),
                l.get(1).map(Value::to_number).transpose()?.unwrap_or(0),
            )
        }
        v => (lnum_arg(ed, &v)?, arg_num(&a, 1)?),
    };
    if lnum < 0 || col < 0 {
        return Ok(Value::Number(-1));
    }
    move_cursor(ed, lnum, col);
    Ok(Value::Number(0))
}

fn setpos(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let s = arg_str(&a, 0)?;
    let Value::List(l) = arg(&a, 1) else { return Err(err("E474: Invalid argument")) };
    let get = |i: usize| l.get(i).map(Value::to_number).transpose().map(|v| v.unwrap_or(0));
    let (lnum, col) = (get(1)?, get(2)?);
    if s == "." {
        if lnum < 1 {
            return Ok(Value::Number(-1));
        }
        move_cursor(ed, lnum, col.max(1));
        return Ok(Value::Number(0));
    }
    let Some(name) = s.strip_prefix('\'').and_then(|m| m.chars().next()) else { return Ok(Value::Number(-1)) };
    let b = ed.buf();
    if lnum < 1 || lnum > b.line_count() as i64 {
        return Ok(Value::Number(-1));
    }
    let row = to_usize(lnum - 1);
    let text = b.line(row);
    let ccol = char_of(&text, to_usize(col - 1).min(text.len()));
    let pos = b.pos_to_char(row, ccol);
    ed.buf_mut().set_mark(name, pos);
    Ok(Value::Number(0))
}

fn indent_of(text: &str, ts: usize) -> usize {
    let mut w = 0;
    for c in text.chars() {
        match c {
            ' ' => w += 1,
            '\t' => w += ts - w % ts,
            _ => break,
        }
    }
    w
}

fn indent(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let l = lnum_arg(ed, &arg(&a, 0))?;
    let b = ed.buf();
    if l < 1 || l > b.line_count() as i64 {
        return Ok(Value::Number(-1));
    }
    let ts = usize::try_from(b.opt_number("tabstop")).unwrap_or(8).max(1);
    Ok(num(indent_of(&b.line(to_usize(l - 1)), ts)))
}

fn is_blank(s: &str) -> bool {
    s.chars().all(|c| c == ' ' || c == '\t')
}

fn nextnonblank(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let l = lnum_arg(ed, &arg(&a, 0))?;
    let b = ed.buf();
    let count = b.line_count() as i64;
    if l < 1 {
        return Ok(Value::Number(0));
    }
    Ok((l..=count).find(|&r| !is_blank(&b.line(to_usize(r - 1)))).map_or(Value::Number(0), Value::Number))
}

fn prevnonblank(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let l = lnum_arg(ed, &arg(&a, 0))?;
    let b = ed.buf();
    let count = b.line_count() as i64;
    if l > count {
        return Ok(Value::Number(0));
    }
    Ok((1..=l).rev().find(|&r| !is_blank(&b.line(to_usize(r - 1)))).map_or(Value::Number(0), Value::Number))
}

/// Searches the current buffer for `pat` from the cursor as Vim's `search()`: flags `b` backward,
/// `c` accept a match at the cursor, `e` the match's end, `n` don't move, `w`/`W` wrap or not
/// (default: 'wrapscan'), `s` set the ' mark. Returns the (row, char col) found.
fn search_pos(ed: &mut Editor, a: &[Value]) -> Result<Option<(usize, usize)>, ExprError> {
    let pat_src = arg_str(a, 0)?;
    let flags = arg_str(a, 1)?;
    if let Some(bad) = flags.chars().find(|c| !"bcenpswWz".contains(*c)) {
        return Err(err(format!("E475: Invalid argument: {bad}")));
    }
    let stopline = opt_num(a, 2, 0)?;
    let pat: Pattern = super::string::compile(ed, &pat_src)?;
    let backward = flags.contains('b');
    let accept_here = flags.contains('c');
    let wrap = if flags.contains('W') { false } else { flags.contains('w') || ed.opt("wrapscan").as_bool() };
    let b = ed.buf();
    let count = b.line_count();
    let cur = ed.cursor();
    let lines: Vec<String> = (0..count).map(|r| b.line(r)).collect();
    let cur_byte = lines.get(cur.row).map_or(0, |l| byte_of(l, cur.col));
    // Every match on a line as byte ranges, at most one per start position.
    let matches_in = |row: usize| -> Vec<(usize, usize)> {
        let line = lines.get(row).map(String::as_str).unwrap_or("");
        let mut out = Vec::new();
        let mut at = 0;
        while at <= line.len() {
            let Some(m) = pat.find_at(line, at) else { break };
            out.push((m.start, m.end));
            at = if m.end > m.start {
                m.end
            } else {
                m.start + line[m.start..].chars().next().map_or(1, char::len_utf8)
            };
        }
        out
    };
    let within = |row: usize| stopline <= 0 || (row as i64 + 1) <= stopline || backward && (row as i64 + 1) >= stopline;
    let pick = |row: usize, ms: Vec<(usize, usize)>, first_row: bool| -> Option<(usize, usize)> {
        let pos_of = |(s, e): (usize, usize)| if flags.contains('e') { e.saturating_sub(1).max(s) } else { s };
        if backward {
            ms.into_iter()
                .rev()
                .find(|m| !first_row || pos_of(*m) < cur_byte || (accept_here && pos_of(*m) == cur_byte))
                .map(|m| (row, pos_of(m)))
        } else {
            ms.into_iter()
                .find(|m| !first_row || pos_of(*m) > cur_byte || (accept_here && pos_of(*m) == cur_byte))
                .map(|m| (row, pos_of(m)))
        }
    };
    let mut found = None;
    for step in 0..=count {
        let row = if backward { (cur.row + count * 2 - step) % count.max(1) } else { (cur.row + step) % count.max(1) };
        let wrapped = if backward {
            row > cur.row || (step > 0 && row == cur.row)
        } else {
            row < cur.row || (step > 0 && row == cur.row)
        };
        if wrapped && !wrap {
            break;
        }
        if !within(row) && !wrapped {
            break;
        }
        let first_row = step == 0;
        if let Some(p) = pick(row, matches_in(row), first_row) {
            found = Some(p);
            break;
        }
        if step == count {
            break;
        }
    }
    let Some((row, byte)) = found else { return Ok(None) };
    let ccol = lines.get(row).map_or(0, |l| char_of(l, byte));
    if !flags.contains('n') {
        if flags.contains('s') {
            let here = ed.cursor_char();
            ed.buf_mut().set_mark('\'', here);
        }
        ed.set_cursor(row, ccol);
    }
    Ok(Some((row, byte)))
}

fn search(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(search_pos(ed, &a)?.map_or(Value::Number(0), |(row, _)| num(row + 1)))
}

fn searchpos(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::List(match search_pos(ed, &a)? {
        Some((row, byte)) => vec![num(row + 1), num(byte + 1)],
        None => vec![Value::Number(0), Value::Number(0)],
    }))
}
