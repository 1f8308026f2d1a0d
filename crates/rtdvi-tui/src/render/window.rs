//! Painting one window's text area: gutter, text with display widths, wrap or sideways scrolling,
//! and the highlights layered on it (syntax, cursor line, colour column, search, visual, paren).
//!
//! Style layers from bottom to top: Normal, CursorLine/ColorColumn backgrounds, syntax, Search
//! (CurSearch for the match under the cursor), MatchParen, Visual.

use ratatui::buffer::Buffer;
use ratatui::style::Style;
use ropey::RopeSlice;
use rtdvi_core::codec::RAW_BYTE_BASE;
use rtdvi_core::position::char_display_width;
use rtdvi_editor::window::Window;
use rtdvi_editor::Editor;

use super::{Palette, SelectionKind, SpanSource, UiState};
use crate::style::Styles;

/// Lines longer than this many bytes get no syntax colours past it (keeps a huge minified line cheap).
const SYNTAX_BYTE_CAP: usize = 1 << 16;

/// 'listchars' as the painter needs it.
#[derive(Debug, Default, Clone)]
struct ListChars {
    tab: Option<(char, char, Option<char>)>,
    trail: Option<char>,
    nbsp: Option<char>,
    eol: Option<char>,
    space: Option<char>,
    lead: Option<char>,
    extends: Option<char>,
    precedes: Option<char>,
}

fn parse_listchars(s: &str) -> ListChars {
    let mut lc = ListChars::default();
    for item in s.split(',') {
        let Some((k, v)) = item.split_once(':') else { continue };
        let mut cs = v.chars();
        let first = cs.next();
        match k {
            "tab" => {
                if let (Some(a), Some(b)) = (first, cs.next()) {
                    lc.tab = Some((a, b, cs.next()));
                }
            }
            "trail" => lc.trail = first,
            "nbsp" => lc.nbsp = first,
            "eol" => lc.eol = first,
            "space" => lc.space = first,
            "lead" => lc.lead = first,
            "extends" => lc.extends = first,
            "precedes" => lc.precedes = first,
            _ => {}
        }
    }
    lc
}

/// How one character is shown: its cells' text and whether it is drawn as "special" (`^X`, `<xx>`).
fn char_cells(c: char, width: usize, list: Option<&ListChars>) -> (Vec<String>, bool) {
    let cp = c as u32;
    match c {
        '\t' => {
            if let Some(lc) = list {
                match lc.tab {
                    Some((a, b, end)) => {
                        let mut v: Vec<String> = (0..width).map(|i| if i == 0 { a } else { b }.to_string()).collect();
                        if let (Some(e), Some(last)) = (end, v.last_mut()) {
                            *last = e.to_string();
                        }
                        return (v, true);
                    }
                    None => return (vec!["^".into(), "I".into()], true),
                }
            }
            (vec![" ".to_string(); width], false)
        }
        _ if cp < 0x20 => (vec!["^".into(), char::from_u32(cp + 0x40).unwrap_or('?').to_string()], true),
        '\u{7f}' => (vec!["^".into(), "?".into()], true),
        _ if (0x80..=0x9f).contains(&cp) => (format!("<{cp:02x}>").chars().map(String::from).collect(), true),
        _ if cp >= RAW_BYTE_BASE => {
            // A byte that was not valid UTF-8 in the file.
            (format!("<{:02x}>", cp - RAW_BYTE_BASE).chars().map(String::from).collect(), true)
        }
        _ if width > 2 || (width == 1 && c.len_utf8() > 1 && unicode_width::UnicodeWidthChar::width(c) == Some(0)) => {
            // Unprintable code points Vim shows as <xxxx>.
            let text = format!("<{cp:04x}>");
            if text.chars().count() == width {
                (text.chars().map(String::from).collect(), true)
            } else {
                (vec![c.to_string()], false)
            }
        }
        _ => (vec![c.to_string()], false),
    }
}

/// One cell to place: text, style, and how many columns it covers (2 for a wide char).
struct Painter<'a> {
    buf: &'a mut Buffer,
    x0: u16,
    y0: u16,
    width: usize,
    height: usize,
}

impl Painter<'_> {
    fn put(&mut self, row: usize, col: usize, text: &str, style: Style, wide: bool) {
        if row >= self.height || col >= self.width {
            return;
        }
        let (x, y) = (self.x0 + col as u16, self.y0 + row as u16);
        let area = self.buf.area;
        if x >= area.width || y >= area.height {
            return;
        }
        self.buf[(x, y)].set_symbol(text).set_style(style);
        if wide && col + 1 < self.width && x + 1 < area.width {
            // The terminal draws the wide char over the next cell; the diff must not touch it.
            let next = &mut self.buf[(x + 1, y)];
            next.reset();
            next.set_style(style);
            next.set_symbol("");
        }
    }

    fn append(&mut self, row: usize, col: usize, mark: char) {
        if row >= self.height || col >= self.width {
            return;
        }
        let (x, y) = (self.x0 + col as u16, self.y0 + row as u16);
        if x < self.buf.area.width && y < self.buf.area.height {
            let cell = &mut self.buf[(x, y)];
            let s = format!("{}{mark}", cell.symbol());
            cell.set_symbol(&s);
        }
    }

    fn style_row(&mut self, row: usize, from: usize, to: usize, style: Style) {
        for col in from..to.min(self.width) {
            if row < self.height {
                let (x, y) = (self.x0 + col as u16, self.y0 + row as u16);
                if x < self.buf.area.width && y < self.buf.area.height {
                    let cell = &mut self.buf[(x, y)];
                    let st = cell.style().patch(style);
                    cell.set_style(st);
                }
            }
        }
    }
}

/// The column numbers of 'colorcolumn' (absolute, or relative to 'textwidth' with `+N`/`-N`).
fn color_columns(spec: &str, textwidth: i64) -> Vec<usize> {
    spec.split(',')
        .filter_map(|item| {
            let item = item.trim();
            let n = if let Some(r) = item.strip_prefix('+') {
                (textwidth > 0).then(|| textwidth + r.parse::<i64>().unwrap_or(0))
            } else if let Some(r) = item.strip_prefix('-') {
                (textwidth > 0).then(|| textwidth - r.parse::<i64>().unwrap_or(0))
            } else {
                item.parse::<i64>().ok()
            };
            n.filter(|n| *n > 0).map(|n| n as usize - 1)
        })
        .collect()
}

/// Finds the bracket matching the one under the cursor, searching only the lines on screen.
fn matching_paren(ed: &Editor, w: &Window, last_visible: usize) -> Option<(usize, usize)> {
    let b = ed.buffers.get(&w.buffer)?;
    let pairs = b.opt_string("matchpairs");
    let line = rtdvi_core::position::line_slice(&b.text, w.cursor.row)?;
    let c = line.get_char(w.cursor.col)?;
    let (open, close, forward) = pairs.split(',').find_map(|p| {
        let mut it = p.chars();
        let (o, _, cl) = (it.next()?, it.next()?, it.next()?);
        if c == o {
            Some((o, cl, true))
        } else if c == cl {
            Some((o, cl, false))
        } else {
            None
        }
    })?;
    let start = b.pos_to_char(w.cursor.row, w.cursor.col);
    let first = b.line_start(w.top_line);
    let end = b.line_start(last_visible + 1).min(b.text.len_chars());
    let mut depth = 0usize;
    if forward {
        for (i, ch) in b.text.slice(start..end).chars().enumerate() {
            if ch == open {
                depth += 1;
            } else if ch == close {
                depth -= 1;
                if depth == 0 {
                    return Some(b.char_to_pos(start + i));
                }
            }
        }
    } else {
        let mut pos = start + 1;
        for ch in b.text.slice(first..start + 1).chars().reversed() {
            pos -= 1;
            if ch == close {
                depth += 1;
            } else if ch == open {
                depth -= 1;
                if depth == 0 {
                    return Some(b.char_to_pos(pos));
                }
            }
        }
    }
    None
}

/// Draws the text area and gutter of `w`; returns the cursor's screen position for this window.
#[allow(clippy::too_many_arguments)]
pub(super) fn draw_window(
    ed: &Editor,
    w: &Window,
    pal: &Palette,
    styles: &Styles,
    pattern: Option<&rtdvi_core::pattern::Pattern>,
    ui: &UiState,
    syntax: &mut dyn SpanSource,
    buf: &mut Buffer,
) -> Option<(u16, u16)> {
    let b = ed.buffers.get(&w.buffer)?;
    let r = w.rect;
    let opt = |name: &str| ed.option_for(rtdvi_editor::options::id(name), w.buffer, w.id);
    let is_current = w.id == ed.current;
    let normal = if is_current { pal.normal } else { pal.nc };
    let gutter = ed.gutter_width(w.id);
    let text_w = r.width.saturating_sub(gutter).max(1);
    let wrap = opt("wrap").as_bool();
    let tabstop = b.opt_number("tabstop").max(1) as usize;
    let number = opt("number").as_bool();
    let relative = opt("relativenumber").as_bool();
    let list = opt("list").as_bool().then(|| parse_listchars(&opt("listchars").as_str()));
    let cursorline = opt("cursorline").as_bool();
    let ccols = color_columns(&opt("colorcolumn").as_str(), b.opt_number("textwidth"));
    let sign_w = if opt("signcolumn").as_str().starts_with("yes") { 2 } else { 0 };
    let last = b.line_count().saturating_sub(1);
    // Lines that can appear: at most one per screen row.
    let last_visible = (w.top_line + r.height).min(last + 1);
    let spans = syntax.spans(ed, w.buffer, w.top_line, last_visible);
    let paren =
        if is_current && ui.cmdline.is_none() { matching_paren(ed, w, last_visible.saturating_sub(1)) } else { None };
    let selection = if is_current { ui.selection } else { None };
    let mut p = Painter { buf, x0: r.x as u16, y0: r.y as u16, width: r.width, height: r.height };
    if normal != pal.normal {
        // The screen was cleared with Normal; only NormalNC windows need another pass.
        for row in 0..r.height {
            p.style_row(row, 0, r.width, normal);
        }
    }
    let mut srow = 0;
    let mut line_no = w.top_line;
    let mut line_text = String::new();
    let mut byte_hl: Vec<Option<rtdvi_editor::highlight::HlId>> = Vec::new();
    while srow < r.height {
        if line_no > last {
            p.put(srow, 0, "~", pal.end_of_buffer, false);
            srow += 1;
            continue;
        }
        let Some(line) = rtdvi_core::position::line_slice(&b.text, line_no) else { break };
        let on_cursor_line = line_no == w.cursor.row;
        let line_style = if cursorline && on_cursor_line { normal.patch(pal.cursor_line) } else { normal };
        // Per-byte syntax groups, painted in order so later spans win.
        let line_bytes = line.len_bytes();
        byte_hl.clear();
        if let Some(sp) = spans.get(line_no - w.top_line).filter(|s| !s.is_empty()) {
            byte_hl.resize(line_bytes.min(SYNTAX_BYTE_CAP), None);
            for s in sp {
                let end = s.end.min(byte_hl.len());
                for slot in byte_hl.iter_mut().take(end).skip(s.start) {
                    *slot = Some(s.hl);
                }
            }
        }
        // Extmark decorations of this line: highlights over the syntax, virtual text at its end.
        let mut virt_text: Vec<(String, Option<String>)> = Vec::new();
        if !b.extmarks.is_empty() {
            let line_start = b.line_start(line_no);
            let line_end = line_start + line.len_chars();
            let byte0 = b.text.char_to_byte(line_start);
            for d in b.extmarks.decorations(&b.anchors, line_start, line_end) {
                let dec = d.decoration;
                if let Some(hl) = dec.hl_group.as_deref().and_then(|n| ed.highlights.lookup(n)) {
                    let s = d.start.clamp(line_start, line_end);
                    let e = if dec.hl_eol && d.end > line_end { line_end } else { d.end.clamp(line_start, line_end) };
                    let (sb, eb) = (b.text.char_to_byte(s) - byte0, b.text.char_to_byte(e) - byte0);
                    if eb > sb {
                        byte_hl.resize(line_bytes.min(SYNTAX_BYTE_CAP).max(byte_hl.len()), None);
                        let end = eb.min(byte_hl.len());
                        for slot in byte_hl.iter_mut().take(end).skip(sb) {
                            *slot = Some(hl);
                        }
                    }
                }
                // Virtual text belongs to the line the mark starts on.
                if !dec.virt_text.is_empty() && (line_start..line_end.max(line_start + 1)).contains(&d.start) {
                    virt_text.extend(dec.virt_text.iter().cloned());
                }
            }
        }
        // Search matches as char ranges (the pattern runs on the line text).
        let mut matches: Vec<(usize, usize, bool)> = Vec::new();
        if let Some(pat) = pattern {
            line_text.clear();
            line_text.extend(line.chunks());
            if line_text.ends_with('\n') {
                line_text.pop();
            }
            let mut from = 0;
            while from <= line_text.len() {
                let Some(m) = pat.find_in_line(&line_text, from) else { break };
                let sc = line_text[..m.start].chars().count();
                let ec = sc + line_text[m.start..m.end.max(m.start)].chars().count();
                let at_cursor = if ui.incsearch.is_some() && ui.cmdline.is_some() {
                    is_current && pal.inc_target == Some((line_no, sc))
                } else {
                    on_cursor_line && is_current && (sc..ec.max(sc + 1)).contains(&w.cursor.col)
                };
                if ec > sc {
                    matches.push((sc, ec, at_cursor));
                }
                let next = if m.end > m.start { m.end } else { m.end + 1 };
                from = line_text.ceil_char_boundary_compat(next);
                if from <= m.start {
                    break;
                }
            }
        }
        let sel_range = selection.and_then(|s| selected_cols(s, line_no, line, tabstop));
        // Gutter.
        if gutter > 0 {
            let gstyle = if cursorline && on_cursor_line { pal.cursor_line_nr } else { pal.line_nr };
            if sign_w > 0 {
                p.put(srow, 0, " ", pal.sign_column, false);
                p.put(srow, 1, " ", pal.sign_column, false);
            }
            let numw = gutter - sign_w;
            if number || relative {
                let n = if relative && !on_cursor_line { line_no.abs_diff(w.cursor.row) } else { line_no + 1 };
                // Relative numbers are right-aligned; the cursor line's absolute number is left-aligned
                // with 'relativenumber' + 'number', as in Vim.
                let text = if relative && number && on_cursor_line {
                    format!("{:<width$} ", n, width = numw - 1)
                } else {
                    format!("{:>width$} ", n, width = numw - 1)
                };
                let st = if on_cursor_line { normal.patch(pal.cursor_line_nr) } else { normal.patch(gstyle) };
                for (i, ch) in text.chars().enumerate().take(numw) {
                    p.put(srow, sign_w + i, &ch.to_string(), st, false);
                }
            }
        }
        // Text.
        let leftcol = if wrap { 0 } else { w.leftcol };
        let mut vcol = 0usize;
        let mut byte = 0usize;
        let mut x = 0usize; // column inside the text area of the current screen row
        let mut row_start_vcol = 0usize;
        let trailing_from = if list.as_ref().is_some_and(|l| l.trail.is_some()) {
            let n = line.len_chars() - usize::from(line.len_chars() > 0 && line.char(line.len_chars() - 1) == '\n');
            let mut t = n;
            while t > 0 && matches!(line.char(t - 1), ' ' | '\t') {
                t -= 1;
            }
            t
        } else {
            usize::MAX
        };
        let leading_to = {
            let mut t = 0;
            for ch in line.chars() {
                if ch == ' ' || ch == '\t' {
                    t += 1;
                } else {
                    break;
                }
            }
            t
        };
        let mut last_cell: Option<(usize, usize)> = None;
        let mut done = false;
        for (ci, c) in line.chars().enumerate() {
            if c == '\n' {
                break;
            }
            let cw = char_display_width(c, vcol, tabstop, ci == 0);
            let clen = c.len_utf8();
            if cw == 0 {
                // A combining mark joins the cell before it.
                if let Some((r0, c0)) = last_cell {
                    p.append(r0, c0, c);
                }
                vcol += cw;
                byte += clen;
                continue;
            }
            // The style of this char.
            let mut st = line_style;
            if !ccols.is_empty() && ccols.contains(&vcol) {
                st = st.patch(pal.color_column);
            }
            let hl = byte_hl.get(byte).copied().flatten();
            if let Some(id) = hl {
                st = st.patch(styles.get(id));
            }
            // Ordinary printable characters (the vast majority) skip the allocation of `char_cells`.
            let plain = c != '\t'
                && !(list.is_some() && matches!(c, ' ' | '\u{a0}'))
                && unicode_width::UnicodeWidthChar::width(c) == Some(cw);
            let mut utf8 = [0u8; 4];
            let plain_sym: &str = if plain { c.encode_utf8(&mut utf8) } else { "" };
            let (cells, special) = match c {
                _ if plain => (Vec::new(), false),
                ' ' if list.is_some() => {
                    let lc = list.as_ref().map(|l| {
                        if ci >= trailing_from {
                            l.trail.or(l.space)
                        } else if ci < leading_to {
                            l.lead.or(l.space)
                        } else {
                            l.space
                        }
                    });
                    match lc.flatten() {
                        Some(m) => (vec![m.to_string()], true),
                        None => (vec![" ".to_string()], false),
                    }
                }
                '\u{a0}' if list.as_ref().and_then(|l| l.nbsp).is_some() => {
                    (vec![list.as_ref().and_then(|l| l.nbsp).unwrap_or(' ').to_string()], true)
                }
                '\t' if list.is_some() && ci >= trailing_from && list.as_ref().is_some_and(|l| l.tab.is_none()) => {
                    char_cells(c, cw, list.as_ref())
                }
                _ => char_cells(c, cw, list.as_ref()),
            };
            if special {
                st = st.patch(if c == '\t' || c == ' ' || c == '\u{a0}' { pal.whitespace } else { pal.special_key });
            }
            if let Some(&(_, _, cur)) = matches.iter().find(|(s, e, _)| (*s..*e).contains(&ci)) {
                let current = if ui.cmdline.is_some() { pal.inc_search } else { pal.cur_search };
                st = st.patch(if cur { current } else { pal.search });
            }
            if paren.is_some_and(|pp| pp == (line_no, ci)) || (paren.is_some() && on_cursor_line && ci == w.cursor.col)
            {
                st = st.patch(pal.match_paren);
            }
            if sel_range.is_some_and(|(s, e)| vcol >= s && vcol < e) {
                st = st.patch(pal.visual);
            }
            let ncells = if plain { 1 } else { cells.len() };
            let cell = |i: usize| -> &str {
                if plain {
                    if i == 0 {
                        plain_sym
                    } else {
                        " "
                    }
                } else {
                    cells.get(i).map_or(" ", String::as_str)
                }
            };
            let wide = ncells == 1 && cw == 2;
            if wrap {
                if x + cw > text_w && x > 0 {
                    if wide && x + 1 == text_w {
                        // A wide char that doesn't fit: Vim fills the last cell with '>'.
                        p.put(srow, gutter + x, ">", normal.patch(pal.non_text), false);
                    }
                    srow += 1;
                    x = 0;
                    row_start_vcol = vcol;
                    if srow >= r.height {
                        done = true;
                        break;
                    }
                }
                if wide {
                    p.put(srow, gutter + x, cell(0), st, true);
                } else {
                    for i in 0..ncells {
                        if x + i >= text_w {
                            // A tab or ^X reaching past the edge continues on the next row.
                            break;
                        }
                        p.put(srow, gutter + x + i, cell(i), st, false);
                    }
                }
                last_cell = Some((srow, gutter + x));
                x += cw;
                let _ = row_start_vcol;
            } else {
                let end = vcol + cw;
                if end > leftcol && vcol < leftcol + text_w {
                    if wide && vcol >= leftcol && end <= leftcol + text_w {
                        p.put(srow, gutter + vcol - leftcol, cell(0), st, true);
                        last_cell = Some((srow, gutter + vcol - leftcol));
                    } else {
                        for i in 0..cw {
                            let v = vcol + i;
                            if v < leftcol || v >= leftcol + text_w {
                                continue;
                            }
                            let text = if wide { " " } else { cell(i) };
                            p.put(srow, gutter + v - leftcol, text, st, false);
                            last_cell = Some((srow, gutter + v - leftcol));
                        }
                    }
                } else if vcol >= leftcol + text_w {
                    if let Some(ext) = list.as_ref().and_then(|l| l.extends) {
                        p.put(srow, gutter + text_w - 1, &ext.to_string(), normal.patch(pal.non_text), false);
                    }
                    done = true;
                    break;
                }
            }
            vcol += cw;
            byte += clen;
        }
        if !done {
            // End of line: 'eol' listchar, then the cursor line and colour columns to the edge.
            let end_col = if wrap { x } else { vcol.saturating_sub(leftcol) };
            if let Some(eol) = list.as_ref().and_then(|l| l.eol) {
                if end_col < text_w {
                    p.put(srow, gutter + end_col, &eol.to_string(), line_style.patch(pal.non_text), false);
                }
            }
            if sel_range.is_some_and(|(s, e)| e > vcol && s <= vcol) && end_col < text_w {
                // An empty line or the end of a selected line shows one selected cell, as in Vim.
                p.style_row(srow, gutter + end_col, gutter + end_col + 1, pal.visual);
            }
            for cc in &ccols {
                let col = if wrap { cc.checked_sub(row_start_vcol) } else { cc.checked_sub(leftcol) };
                if let Some(col) = col.filter(|c| *c >= end_col && *c < text_w) {
                    p.style_row(srow, gutter + col, gutter + col + 1, pal.color_column);
                }
            }
            if cursorline && on_cursor_line {
                p.style_row(srow, gutter + end_col, r.width, pal.cursor_line);
            }
            // Virtual text after the end of the line, one cell after it (as Neovim's "eol").
            let mut col = gutter + end_col + 1;
            for (text, hl) in &virt_text {
                let style = hl.as_deref().map_or(line_style, |n| line_style.patch(styles.named(&ed.highlights, n)));
                for ch in text.chars() {
                    let cw = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
                    if cw == 0 || col + cw > r.width {
                        continue;
                    }
                    p.put(srow, col, &ch.to_string(), style, cw > 1);
                    col += cw;
                }
            }
            srow += 1;
        }
        line_no += 1;
    }
    if w.id != ed.current {
        return None;
    }
    let (cy, cx) = w.cursor_screen;
    Some(((r.x + cx.min(r.width.saturating_sub(1))) as u16, (r.y + cy) as u16))
}

/// Draws a floating window's border (one cell around its text area) with `FloatBorder`, and
/// clears the text area with `NormalFloat` over `Normal`.
pub(super) fn draw_float_border(ed: &Editor, w: &Window, styles: &Styles, buf: &mut Buffer) {
    let Some(f) = &w.float else { return };
    let normal = styles.named(&ed.highlights, "Normal").patch(styles.named(&ed.highlights, "NormalFloat"));
    let border_style = normal.patch(styles.named(&ed.highlights, "FloatBorder"));
    let r = w.rect;
    let area = buf.area;
    let mut set = |x: usize, y: usize, sym: &str, style: Style| {
        if let (Ok(x), Ok(y)) = (u16::try_from(x), u16::try_from(y)) {
            if x < area.width && y < area.height {
                buf[(x, y)].set_symbol(sym).set_style(style);
            }
        }
    };
    for y in r.y..r.y + r.height {
        for x in r.x..r.x + r.width {
            set(x, y, " ", normal);
        }
    }
    let [tl, t, tr, rt, br, bm, bl, lf] = match <[String; 8]>::try_from(f.border.clone()) {
        Ok(b) => b,
        Err(_) => return,
    };
    let (Some(left), Some(top)) = (r.x.checked_sub(1), r.y.checked_sub(1)) else { return };
    let (right, bottom) = (r.x + r.width, r.y + r.height);
    let cell = |s: &String| if s.is_empty() { " ".to_string() } else { s.clone() };
    set(left, top, &cell(&tl), border_style);
    set(right, top, &cell(&tr), border_style);
    set(left, bottom, &cell(&bl), border_style);
    set(right, bottom, &cell(&br), border_style);
    for x in r.x..right {
        set(x, top, &cell(&t), border_style);
        set(x, bottom, &cell(&bm), border_style);
    }
    for y in r.y..bottom {
        set(left, y, &cell(&lf), border_style);
        set(right, y, &cell(&rt), border_style);
    }
    if let Some(title) = &f.title {
        for (i, ch) in title.chars().take(r.width).enumerate() {
            set(r.x + i, top, &ch.to_string(), border_style);
        }
    }
}

/// The display columns of line `row` covered by a selection, as (start, end exclusive).
fn selected_cols(s: super::Selection, row: usize, line: RopeSlice<'_>, ts: usize) -> Option<(usize, usize)> {
    let (a, b) = if s.anchor <= s.head { (s.anchor, s.head) } else { (s.head, s.anchor) };
    if row < a.0 || row > b.0 {
        return None;
    }
    let vc = |col: usize| rtdvi_editor::view::display_span(line, col, ts);
    match s.kind {
        SelectionKind::Line => Some((0, usize::MAX)),
        SelectionKind::Char => {
            let start = if row == a.0 { vc(a.1).0 } else { 0 };
            let end = if row == b.0 {
                let (v, w) = vc(b.1);
                v + w
            } else {
                usize::MAX
            };
            Some((start, end))
        }
        SelectionKind::Block => {
            // Block columns come from the two corners' display columns on their own lines.
            let ca = s.anchor.1;
            let ch = s.head.1;
            let (lo, hi) = (ca.min(ch), ca.max(ch));
            let (v1, _) = vc(lo);
            let (v2, w2) = vc(hi);
            Some((v1.min(v2), v1.max(v2 + w2)))
        }
    }
}

/// Draws the vertical separator right of a window (and beside its status line).
pub(super) fn draw_separator(w: &Window, pal: &Palette, buf: &mut Buffer) {
    let x = (w.rect.x + w.rect.width) as u16;
    // The status line row belongs to the window's status line, which spans the separator column.
    for dy in 0..w.rect.height {
        let y = (w.rect.y + dy) as u16;
        if x < buf.area.width && y < buf.area.height {
            buf[(x, y)].set_symbol("│").set_style(pal.normal.patch(pal.separator));
        }
    }
}

trait CeilBoundary {
    fn ceil_char_boundary_compat(&self, i: usize) -> usize;
}

impl CeilBoundary for String {
    fn ceil_char_boundary_compat(&self, mut i: usize) -> usize {
        while i < self.len() && !self.is_char_boundary(i) {
            i += 1;
        }
        i.min(self.len() + 1)
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn colorcolumn_relative_to_textwidth() {
        assert_eq!(color_columns("80,+1,-2", 72), vec![79, 72, 69]);
        assert_eq!(color_columns("+1", 0), Vec::<usize>::new());
    }

    #[test]
    fn listchars_parse() {
        let lc = parse_listchars("tab:>-,trail:~,eol:$");
        assert_eq!(lc.tab, Some(('>', '-', None)));
        assert_eq!(lc.trail, Some('~'));
        assert_eq!(lc.eol, Some('$'));
    }
}
