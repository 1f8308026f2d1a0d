//! Buffers, windows and tab pages: numbers and ids, names, sizes, views, `getbufinfo()` /
//! `getwininfo()`, and buffer/window/tab options through `getbufvar()` and friends.
//!
//! Buffers are named by number or by name as in Vim (`%` current, `#` alternate, `$` last, else
//! the buffer whose name is exactly, then partly, the text). Window numbers count in the current
//! tab page in layout order; window ids are Neovim's (1000, 1001, ...).

use std::collections::BTreeMap;

use super::context::option_value;
use super::{arg, arg_num, arg_str, err, num, opt_num, to_usize, Function};
use crate::buffer::BufferId;
use crate::editor::Editor;
use crate::expr::{ExprError, Value};
use crate::options::{self, OptionValue, Scope};
use crate::window::WindowId;

/// This module's functions.
pub(super) static FUNCTIONS: &[Function] = &[
    Function { name: "bufadd", min_args: 1, max_args: 1, func: bufadd },
    Function { name: "bufexists", min_args: 1, max_args: 1, func: bufexists },
    Function { name: "buflisted", min_args: 1, max_args: 1, func: buflisted },
    Function { name: "bufload", min_args: 1, max_args: 1, func: bufload },
    Function { name: "bufloaded", min_args: 1, max_args: 1, func: bufexists },
    Function { name: "bufname", min_args: 0, max_args: 1, func: bufname },
    Function { name: "bufnr", min_args: 0, max_args: 2, func: bufnr },
    Function { name: "bufwinid", min_args: 1, max_args: 1, func: bufwinid },
    Function { name: "bufwinnr", min_args: 1, max_args: 1, func: bufwinnr },
    Function { name: "getbufinfo", min_args: 0, max_args: 1, func: getbufinfo },
    Function { name: "getbufvar", min_args: 2, max_args: 3, func: getbufvar },
    Function { name: "gettabvar", min_args: 2, max_args: 3, func: gettabvar },
    Function { name: "gettabwinvar", min_args: 3, max_args: 4, func: gettabwinvar },
    Function { name: "getwininfo", min_args: 0, max_args: 1, func: getwininfo },
    Function { name: "getwinvar", min_args: 2, max_args: 3, func: getwinvar },
    Function { name: "screencol", min_args: 0, max_args: 0, func: screencol },
    Function { name: "screenpos", min_args: 3, max_args: 3, func: screenpos },
    Function { name: "screenrow", min_args: 0, max_args: 0, func: screenrow },
    Function { name: "setbufvar", min_args: 3, max_args: 3, func: setbufvar },
    Function { name: "settabvar", min_args: 3, max_args: 3, func: settabvar },
    Function { name: "setwinvar", min_args: 3, max_args: 3, func: setwinvar },
    Function { name: "tabpagebuflist", min_args: 0, max_args: 1, func: tabpagebuflist },
    Function { name: "tabpagenr", min_args: 0, max_args: 1, func: tabpagenr },
    Function { name: "tabpagewinnr", min_args: 1, max_args: 2, func: tabpagewinnr },
    Function { name: "win_findbuf", min_args: 1, max_args: 1, func: win_findbuf },
    Function { name: "win_getid", min_args: 0, max_args: 2, func: win_getid },
    Function { name: "win_gotoid", min_args: 1, max_args: 1, func: win_gotoid },
    Function { name: "win_id2tabwin", min_args: 1, max_args: 1, func: win_id2tabwin },
    Function { name: "win_id2win", min_args: 1, max_args: 1, func: win_id2win },
    Function { name: "win_screenpos", min_args: 1, max_args: 1, func: win_screenpos },
    Function { name: "winbufnr", min_args: 1, max_args: 1, func: winbufnr },
    Function { name: "wincol", min_args: 0, max_args: 0, func: wincol },
    Function { name: "winheight", min_args: 1, max_args: 1, func: winheight },
    Function { name: "winline", min_args: 0, max_args: 0, func: winline },
    Function { name: "winnr", min_args: 0, max_args: 1, func: winnr },
    Function { name: "winrestview", min_args: 1, max_args: 1, func: winrestview },
    Function { name: "winsaveview", min_args: 0, max_args: 0, func: winsaveview },
    Function { name: "winwidth", min_args: 1, max_args: 1, func: winwidth },
];

/// The buffer a Vim buffer argument names (a number, `%`, `#`, `$`, or a name), if any.
pub(crate) fn buffer_arg(ed: &Editor, v: &Value) -> Result<Option<BufferId>, ExprError> {
    let exists = |id: BufferId| ed.buffers.contains_key(&id).then_some(id);
    match v {
        Value::Number(n) => {
            Ok(if *n == 0 { Some(ed.buf_id()) } else { u32::try_from(*n).ok().map(BufferId).and_then(exists) })
        }
        Value::String(s) => Ok(match s.as_str() {
            "" | "%" => Some(ed.buf_id()),
            "#" => ed.alternate.and_then(exists),
            "$" => ed.buffers.keys().next_back().copied(),
            name if name.chars().all(|c| c.is_ascii_digit()) => {
                u32::try_from(crate::expr::leading_number(name)).ok().map(BufferId).and_then(exists)
            }
            name => buffer_by_name(ed, name),
        }),
        other => Ok(u32::try_from(other.to_number()?).ok().map(BufferId).and_then(exists)),
    }
}

/// A buffer whose name is `name` exactly (as typed or absolute), else the only one containing it.
fn buffer_by_name(ed: &Editor, name: &str) -> Option<BufferId> {
    let abs = ed.absolute(std::path::Path::new(name));
    let exact = ed
        .buffers
        .values()
        .find(|b| b.path.as_deref().is_some_and(|p| p.to_string_lossy() == name || ed.absolute(p) == abs));
    if let Some(b) = exact {
        return Some(b.id);
    }
    let partial: Vec<BufferId> = ed
        .buffers
        .values()
        .filter(|b| b.path.as_deref().is_some_and(|p| p.to_string_lossy().contains(name)))
        .map(|b| b.id)
        .collect();
    match partial.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// The window a Vim window argument names: 0 the current one, a small number a window number
/// in the current tab, else a window id.
pub(crate) fn window_arg(ed: &Editor, v: &Value) -> Result<Option<WindowId>, ExprError> {
    let n = v.to_number()?;
    if n == 0 {
        return Ok(Some(ed.current));
    }
    if n < 1000 {
        return Ok(usize::try_from(n).ok().and_then(|i| ed.tab_windows().get(i.wrapping_sub(1)).copied()));
    }
    Ok(u32::try_from(n).ok().map(WindowId).filter(|w| ed.window(*w).is_some()))
}

/// A buffer's name as Vim shows it in `bufname()` (as given; empty for no name).
fn name_of(ed: &Editor, id: BufferId) -> String {
    ed.buffers.get(&id).and_then(|b| b.path.as_ref()).map(|p| p.display().to_string()).unwrap_or_default()
}

fn bufnr(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    if a.is_empty() {
        return Ok(Value::Number(i64::from(ed.buf_id().0)));
    }
    if let Some(id) = buffer_arg(ed, &arg(&a, 0))? {
        return Ok(Value::Number(i64::from(id.0)));
    }
    if opt_num(&a, 1, 0)? != 0 {
        if let Value::String(name) = arg(&a, 0) {
            let id = ed.create_buffer(Some(std::path::PathBuf::from(name)));
            return Ok(Value::Number(i64::from(id.0)));
        }
    }
    Ok(Value::Number(-1))
}

fn bufadd(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let name = arg_str(&a, 0)?;
    if !name.is_empty() {
        if let Some(id) = ed.find_buffer_by_path(std::path::Path::new(&name)) {
            return Ok(Value::Number(i64::from(id.0)));
        }
    }
    let path = (!name.is_empty()).then(|| std::path::PathBuf::from(name));
    let id = ed.create_buffer(path);
    if let Some(b) = ed.buffers.get_mut(&id) {
        // bufadd() makes an unlisted buffer, as in Vim.
        b.listed = false;
    }
    Ok(Value::Number(i64::from(id.0)))
}

fn bufload(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    // Buffers are loaded when created here; a buffer that does not exist is Vim's E475.
    match buffer_arg(ed, &arg(&a, 0))? {
        Some(_) => Ok(Value::Number(0)),
        None => Err(err(format!("E158: Invalid buffer name: {}", arg(&a, 0)))),
    }
}

fn bufname(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let id = match a.first() {
        None => Some(ed.buf_id()),
        // Number zero is the alternate buffer here (Vim's rule for bufname()).
        Some(Value::Number(0)) => ed.alternate.filter(|b| ed.buffers.contains_key(b)),
        Some(v) => buffer_arg(ed, v)?,
    };
    Ok(Value::String(id.map(|id| name_of(ed, id)).unwrap_or_default()))
}

fn bufexists(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::flag(buffer_arg(ed, &arg(&a, 0))?.is_some()))
}

fn buflisted(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let id = buffer_arg(ed, &arg(&a, 0))?;
    Ok(Value::flag(id.and_then(|id| ed.buffers.get(&id)).is_some_and(|b| b.listed)))
}

/// Windows of the current tab page showing `buf`, in order.
fn windows_showing(ed: &Editor, buf: BufferId) -> Vec<(usize, WindowId)> {
    ed.tab_windows()
        .into_iter()
        .enumerate()
        .filter(|(_, w)| ed.window(*w).is_some_and(|w| w.buffer == buf))
        .map(|(i, w)| (i + 1, w))
        .collect()
}

fn bufwinnr(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let Some(buf) = buffer_arg(ed, &arg(&a, 0))? else { return Ok(Value::Number(-1)) };
    Ok(windows_showing(ed, buf).first().map_or(Value::Number(-1), |(n, _)| num(*n)))
}

fn bufwinid(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let Some(buf) = buffer_arg(ed, &arg(&a, 0))? else { return Ok(Value::Number(-1)) };
    Ok(windows_showing(ed, buf).first().map_or(Value::Number(-1), |(_, w)| Value::Number(i64::from(w.0))))
}

fn win_findbuf(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let n = arg_num(&a, 0)?;
    let ids = ed
        .tabs
        .iter()
        .flat_map(|t| t.root.windows())
        .filter(|w| ed.window(*w).is_some_and(|w| i64::from(w.buffer.0) == n));
    Ok(Value::List(ids.map(|w| Value::Number(i64::from(w.0))).collect()))
}

fn winnr(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let wins = ed.tab_windows();
    let cur = wins.iter().position(|w| *w == ed.current).map_or(1, |i| i + 1);
    Ok(num(match arg_str(&a, 0)?.as_str() {
        "" => cur,
        "$" => wins.len(),
        "#" => ed.previous_window.and_then(|p| wins.iter().position(|w| *w == p)).map_or(0, |i| i + 1),
        other => return Err(err(format!("E15: Invalid expression: \"{other}\""))),
    }))
}

fn win_getid(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    if a.is_empty() {
        return Ok(Value::Number(i64::from(ed.current.0)));
    }
    let n = to_usize(arg_num(&a, 0)?);
    let tab = if a.len() > 1 { to_usize(arg_num(&a, 1)?) } else { ed.tab_index + 1 };
    let Some(t) = tab.checked_sub(1).and_then(|i| ed.tabs.get(i)) else { return Ok(Value::Number(-1)) };
    let wins = t.root.windows();
    let id = if n == 0 {
        Some(if tab == ed.tab_index + 1 { ed.current } else { t.current })
    } else {
        wins.get(n - 1).copied()
    };
    Ok(Value::Number(id.map_or(0, |w| i64::from(w.0))))
}

/// (tab index, window number) of a window id.
fn locate(ed: &Editor, id: WindowId) -> Option<(usize, usize)> {
    ed.tabs.iter().enumerate().find_map(|(t, tab)| tab.root.windows().iter().position(|w| *w == id).map(|i| (t, i + 1)))
}

fn win_gotoid(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let id = u32::try_from(arg_num(&a, 0)?).map(WindowId).ok();
    let Some((tab, _)) = id.and_then(|id| locate(ed, id)) else { return Ok(Value::Number(0)) };
    let Some(id) = id else { return Ok(Value::Number(0)) };
    if tab != ed.tab_index {
        ed.goto_tab(tab);
    }
    ed.enter_window(id);
    Ok(Value::Number(1))
}

fn win_id2win(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let id = u32::try_from(arg_num(&a, 0)?).map(WindowId).ok();
    Ok(num(id.and_then(|id| locate(ed, id)).filter(|(t, _)| *t == ed.tab_index).map_or(0, |(_, n)| n)))
}

fn win_id2tabwin(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let id = u32::try_from(arg_num(&a, 0)?).map(WindowId).ok();
    Ok(Value::List(match id.and_then(|id| locate(ed, id)) {
        Some((t, n)) => vec![num(t + 1), num(n)],
        None => vec![Value::Number(0), Value::Number(0)],
    }))
}

fn winbufnr(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let w = window_arg(ed, &arg(&a, 0))?.and_then(|w| ed.window(w));
    Ok(w.map_or(Value::Number(-1), |w| Value::Number(i64::from(w.buffer.0))))
}

fn winheight(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let w = window_arg(ed, &arg(&a, 0))?.and_then(|w| ed.window(w));
    Ok(w.map_or(Value::Number(-1), |w| num(w.height)))
}

fn winwidth(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let w = window_arg(ed, &arg(&a, 0))?.and_then(|w| ed.window(w));
    Ok(w.map_or(Value::Number(-1), |w| num(w.width)))
}

fn tabpagenr(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(num(match arg_str(&a, 0)?.as_str() {
        "" => ed.tab_index + 1,
        "$" => ed.tabs.len(),
        "#" => 0,
        other => return Err(err(format!("E15: Invalid expression: \"{other}\""))),
    }))
}

fn tabpagewinnr(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let t = to_usize(arg_num(&a, 0)?);
    let Some(tab) = t.checked_sub(1).and_then(|i| ed.tabs.get(i)) else { return Ok(Value::Number(0)) };
    let wins = tab.root.windows();
    let cur = if t == ed.tab_index + 1 { ed.current } else { tab.current };
    Ok(num(match arg_str(&a, 1)?.as_str() {
        "$" => wins.len(),
        _ => wins.iter().position(|w| *w == cur).map_or(1, |i| i + 1),
    }))
}

fn tabpagebuflist(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let t = if a.is_empty() { ed.tab_index + 1 } else { to_usize(arg_num(&a, 0)?) };
    let Some(tab) = t.checked_sub(1).and_then(|i| ed.tabs.get(i)) else { return Ok(Value::Number(0)) };
    let bufs =
        tab.root.windows().into_iter().filter_map(|w| ed.window(w)).map(|w| Value::Number(i64::from(w.buffer.0)));
    Ok(Value::List(bufs.collect()))
}

/// The cursor's screen row and column inside its window (1-based), as last drawn.
fn cursor_screen(ed: &Editor) -> (usize, usize) {
    let w = ed.win();
    let c = ed.cursor();
    let row = c.row.saturating_sub(w.top_line) + 1;
    let text = ed.buf().line(c.row);
    let before: String = text.chars().take(c.col).collect();
    let col = super::string::display_width(ed, &before, 0).saturating_sub(w.leftcol) + 1;
    (row, col)
}

fn winline(ed: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    Ok(num(cursor_screen(ed).0))
}

fn wincol(ed: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    Ok(num(cursor_screen(ed).1))
}

fn screenrow(ed: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    // Where the cursor is on the screen when a function runs: the command line is being typed in
    // Vim (`:echo screenrow()`), so both are 1 in headless Neovim; here the window position.
    let _ = ed;
    Ok(Value::Number(1))
}

fn screencol(ed: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    let _ = ed;
    Ok(Value::Number(1))
}

fn win_screenpos(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let w = window_arg(ed, &arg(&a, 0))?.and_then(|w| ed.window(w));
    Ok(Value::List(match w {
        Some(w) => vec![num(w.rect.y + 1), num(w.rect.x + 1)],
        None => vec![Value::Number(0), Value::Number(0)],
    }))
}

fn screenpos(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let zero = || {
        let mut d = BTreeMap::new();
        for k in ["row", "col", "endcol", "curscol"] {
            d.insert(k.to_string(), Value::Number(0));
        }
        Value::Dict(d)
    };
    let Some(w) = window_arg(ed, &arg(&a, 0))?.and_then(|w| ed.window(w)) else { return Ok(zero()) };
    let Some(b) = ed.buffers.get(&w.buffer) else { return Ok(zero()) };
    let lnum = arg_num(&a, 1)?;
    let col = arg_num(&a, 2)?;
    if lnum < 1 || lnum > b.line_count() as i64 {
        return Err(err(format!("E966: Invalid line number: {lnum}")));
    }
    let row = to_usize(lnum - 1);
    // Only unwrapped lines inside the window have a screen position here.
    if row < w.top_line || row >= w.top_line + w.height {
        return Ok(zero());
    }
    let text = b.line(row);
    let ccol = super::text::char_of(&text, to_usize(col - 1).min(text.len()));
    let before: String = text.chars().take(ccol).collect();
    let start = super::string::display_width(ed, &before, 0).saturating_sub(w.leftcol);
    let width = text.chars().nth(ccol).map_or(1, |c| super::string::display_width(ed, &c.to_string(), start).max(1));
    let (y, x) = (w.rect.y + row - w.top_line + 1, w.rect.x + start + 1);
    let mut d = BTreeMap::new();
    d.insert("row".to_string(), num(y));
    d.insert("col".to_string(), num(x));
    d.insert("curscol".to_string(), num(x + width - 1));
    d.insert("endcol".to_string(), num(x + width - 1));
    Ok(Value::Dict(d))
}

fn winsaveview(ed: &mut Editor, _: Vec<Value>) -> Result<Value, ExprError> {
    let w = ed.win();
    let c = w.cursor;
    let text = ed.buf().line(c.row);
    let mut d = BTreeMap::new();
    d.insert("lnum".to_string(), num(c.row + 1));
    d.insert("col".to_string(), num(super::text::byte_of(&text, c.col)));
    d.insert("coladd".to_string(), Value::Number(0));
    d.insert(
        "curswant".to_string(),
        if w.curswant == usize::MAX { Value::Number(i64::from(i32::MAX)) } else { num(w.curswant) },
    );
    d.insert("topline".to_string(), num(w.top_line + 1));
    d.insert("topfill".to_string(), Value::Number(0));
    d.insert("leftcol".to_string(), num(w.leftcol));
    d.insert("skipcol".to_string(), Value::Number(0));
    Ok(Value::Dict(d))
}

fn winrestview(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let Value::Dict(d) = arg(&a, 0) else { return Err(err("E1206: Dictionary required for argument 1")) };
    let get = |k: &str| d.get(k).map(Value::to_number).transpose();
    let cur = ed.cursor();
    let lnum = get("lnum")?.map_or(cur.row, |l| to_usize(l - 1));
    let row = lnum.min(ed.buf().line_count().saturating_sub(1));
    let text = ed.buf().line(row);
    let col = get("col")?.map_or(cur.col, |c| super::text::char_of(&text, to_usize(c).min(text.len())));
    ed.set_cursor(row, col);
    let last = ed.buf().line_count().saturating_sub(1);
    let w = ed.win_mut();
    if let Some(want) = get("curswant")? {
        w.curswant = if want >= i64::from(i32::MAX) { usize::MAX } else { to_usize(want) };
    }
    if let Some(top) = get("topline")? {
        w.top_line = to_usize(top - 1).min(last);
    }
    if let Some(left) = get("leftcol")? {
        w.leftcol = to_usize(left);
    }
    Ok(Value::Number(0))
}

fn getbufinfo(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let ids: Vec<BufferId> = match a.first() {
        None | Some(Value::Dict(_)) => {
            let listed_only =
                matches!(a.first(), Some(Value::Dict(d)) if d.get("buflisted").is_some_and(|v| !v.is_empty()));
            ed.buffers.values().filter(|b| !listed_only || b.listed).map(|b| b.id).collect()
        }
        Some(v) => buffer_arg(ed, v)?.into_iter().collect(),
    };
    let mut out = Vec::new();
    for id in ids {
        let Some(b) = ed.buffers.get(&id) else { continue };
        let wins: Vec<Value> =
            ed.windows.iter().filter(|w| w.buffer == id).map(|w| Value::Number(i64::from(w.id.0))).collect();
        let lnum =
            if id == ed.buf_id() { ed.cursor().row + 1 } else { b.mark('"').map_or(1, |p| b.char_to_pos(p).0 + 1) };
        let mut d = BTreeMap::new();
        d.insert("bufnr".into(), Value::Number(i64::from(id.0)));
        d.insert(
            "name".into(),
            Value::String(b.path.as_ref().map(|p| ed.absolute(p).display().to_string()).unwrap_or_default()),
        );
        d.insert("changed".into(), Value::flag(b.is_modified()));
        d.insert("changedtick".into(), Value::Number(i64::try_from(b.changedtick).unwrap_or(i64::MAX)));
        d.insert("hidden".into(), Value::flag(wins.is_empty()));
        d.insert("listed".into(), Value::flag(b.listed));
        d.insert("loaded".into(), Value::Number(1));
        d.insert("lnum".into(), num(lnum));
        d.insert("linecount".into(), num(b.line_count()));
        d.insert("lastused".into(), Value::Number(0));
        d.insert("windows".into(), Value::List(wins));
        d.insert("variables".into(), Value::Dict(BTreeMap::new()));
        d.insert("signs".into(), Value::List(Vec::new()));
        out.push(Value::Dict(d));
    }
    Ok(Value::List(out))
}

fn getwininfo(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let only = if a.is_empty() { None } else { Some(arg_num(&a, 0)?) };
    let mut out = Vec::new();
    for (t, tab) in ed.tabs.iter().enumerate() {
        for (i, id) in tab.root.windows().into_iter().enumerate() {
            if only.is_some_and(|o| o != i64::from(id.0)) {
                continue;
            }
            let Some(w) = ed.window(id) else { continue };
            let lines = ed.buffers.get(&w.buffer).map_or(1, |b| b.line_count());
            let mut d = BTreeMap::new();
            d.insert("winid".into(), Value::Number(i64::from(id.0)));
            d.insert("winnr".into(), num(i + 1));
            d.insert("tabnr".into(), num(t + 1));
            d.insert("bufnr".into(), Value::Number(i64::from(w.buffer.0)));
            d.insert("height".into(), num(w.height));
            d.insert("width".into(), num(w.width));
            d.insert("topline".into(), num(w.top_line + 1));
            d.insert("botline".into(), num((w.top_line + w.height).min(lines)));
            d.insert("winrow".into(), num(w.rect.y + 1));
            d.insert("wincol".into(), num(w.rect.x + 1));
            d.insert("leftcol".into(), num(w.leftcol));
            d.insert("textoff".into(), Value::Number(0));
            d.insert("quickfix".into(), Value::Number(0));
            d.insert("loclist".into(), Value::Number(0));
            d.insert("terminal".into(), Value::Number(0));
            d.insert("variables".into(), Value::Dict(BTreeMap::new()));
            out.push(Value::Dict(d));
        }
    }
    Ok(Value::List(out))
}

/// An expression value as a value for option `id` (checked as `:let &opt = v` checks it).
fn to_option(id: options::OptionId, v: &Value, name: &str) -> Result<OptionValue, ExprError> {
    let value = match id.def().kind {
        options::Kind::Bool => OptionValue::Bool(v.to_number()? != 0),
        options::Kind::Number => OptionValue::Number(v.to_number()?),
        _ => OptionValue::String(v.to_string_value()?),
    };
    options::validate(id, &value, name).map_err(|e| err(e.to_string()))?;
    Ok(value)
}

/// Sets a local option of a given buffer or window (the current ones through the editor, so
/// OptionSet fires and dependent state updates).
fn set_local_option(ed: &mut Editor, buf: BufferId, win: WindowId, name: &str, v: &Value) -> Result<(), ExprError> {
    let id = options::lookup(name).ok_or_else(|| err(format!("E355: Unknown option: {name}")))?;
    let value = to_option(id, v, name)?;
    let current = match id.def().scope {
        Scope::Buffer | Scope::GlobalOrBuffer => buf == ed.buf_id(),
        Scope::Window | Scope::GlobalOrWindow => win == ed.current,
        Scope::Global => true,
    };
    if current {
        let scope = if id.def().scope == Scope::Global { options::SetScope::Both } else { options::SetScope::Local };
        ed.set_option(id, value, scope);
        return Ok(());
    }
    match id.def().scope {
        Scope::Buffer | Scope::GlobalOrBuffer => {
            if let Some(b) = ed.buffers.get_mut(&buf) {
                b.options.set(id, value);
            }
        }
        _ => {
            if let Some(w) = ed.window_mut(win) {
                w.options.set(id, value);
            }
        }
    }
    Ok(())
}

fn getbufvar(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let default = a.get(2).cloned().unwrap_or(Value::empty_string());
    let Some(buf) = buffer_arg(ed, &arg(&a, 0))? else { return Ok(default) };
    let name = arg_str(&a, 1)?;
    let Some(b) = ed.buffers.get(&buf) else { return Ok(default) };
    if let Some(opt) = name.strip_prefix('&') {
        let win = ed.windows.iter().find(|w| w.buffer == buf).map_or(ed.current, |w| w.id);
        return Ok(options::lookup(opt).map_or(default, |id| option_value(ed.option_for(id, buf, win))));
    }
    Ok(match name.as_str() {
        "changedtick" => Value::Number(i64::try_from(b.changedtick).unwrap_or(i64::MAX)),
        "" => {
            let mut d = vars_dict(&b.vars);
            d.insert("changedtick".into(), Value::Number(i64::try_from(b.changedtick).unwrap_or(i64::MAX)));
            Value::Dict(d)
        }
        _ => var_of(&b.vars, &name).unwrap_or(default),
    })
}

fn setbufvar(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let Some(buf) = buffer_arg(ed, &arg(&a, 0))? else { return Ok(Value::Number(0)) };
    let name = arg_str(&a, 1)?;
    let Some(opt) = name.strip_prefix('&') else {
        if let Some(b) = ed.buffers.get_mut(&buf) {
            b.vars.insert(name, crate::api::to_msgpack(&arg(&a, 2)));
        }
        return Ok(Value::Number(0));
    };
    let win = ed.windows.iter().find(|w| w.buffer == buf).map_or(ed.current, |w| w.id);
    set_local_option(ed, buf, win, opt, &arg(&a, 2))?;
    Ok(Value::Number(0))
}

fn getwinvar(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let default = a.get(2).cloned().unwrap_or(Value::empty_string());
    let Some(win) = window_arg(ed, &arg(&a, 0))? else { return Ok(default) };
    let name = arg_str(&a, 1)?;
    let Some(opt) = name.strip_prefix('&') else {
        let vars = ed.window(win).map(|w| &w.vars);
        return Ok(match vars {
            Some(v) if name.is_empty() => Value::Dict(vars_dict(v)),
            Some(v) => var_of(v, &name).unwrap_or(default),
            None => default,
        });
    };
    let buf = ed.window(win).map_or(ed.buf_id(), |w| w.buffer);
    Ok(options::lookup(opt).map_or(default, |id| option_value(ed.option_for(id, buf, win))))
}

fn gettabwinvar(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    getwinvar(ed, a.into_iter().skip(1).collect())
}

fn setwinvar(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let Some(win) = window_arg(ed, &arg(&a, 0))? else { return Ok(Value::Number(0)) };
    let name = arg_str(&a, 1)?;
    let Some(opt) = name.strip_prefix('&') else {
        if let Some(w) = ed.window_mut(win) {
            w.vars.insert(name, crate::api::to_msgpack(&arg(&a, 2)));
        }
        return Ok(Value::Number(0));
    };
    let buf = ed.window(win).map_or(ed.buf_id(), |w| w.buffer);
    set_local_option(ed, buf, win, opt, &arg(&a, 2))?;
    Ok(Value::Number(0))
}

/// One `b:`/`w:`/`t:` variable as an expression value.
fn var_of(vars: &BTreeMap<String, rmpv::Value>, name: &str) -> Option<Value> {
    vars.get(name).and_then(|v| crate::api::from_msgpack(v, 0).ok())
}

/// All of a scope's variables as a dictionary (`getbufvar(b, '')`).
fn vars_dict(vars: &BTreeMap<String, rmpv::Value>) -> BTreeMap<String, Value> {
    vars.iter().filter_map(|(k, v)| crate::api::from_msgpack(v, 0).ok().map(|v| (k.clone(), v))).collect()
}

fn gettabvar(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let default = a.get(2).cloned().unwrap_or(Value::empty_string());
    let t = to_usize(arg_num(&a, 0)?);
    let name = arg_str(&a, 1)?;
    let Some(tab) = t.checked_sub(1).and_then(|i| ed.tabs.get(i)) else { return Ok(default) };
    Ok(if name.is_empty() { Value::Dict(vars_dict(&tab.vars)) } else { var_of(&tab.vars, &name).unwrap_or(default) })
}

fn settabvar(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let t = to_usize(arg_num(&a, 0)?);
    let name = arg_str(&a, 1)?;
    let value = crate::api::to_msgpack(&arg(&a, 2));
    if let Some(tab) = t.checked_sub(1).and_then(|i| ed.tabs.get_mut(i)) {
        tab.vars.insert(name, value);
    }
    Ok(Value::Number(0))
}
