//! The status lines, the tab line and the command line / message area.
//!
//! The default status line: the mode (current window only), the file name with `[+]`/`[-]`/`[RO]`,
//! then at the right the filetype, the fileformat when it is not unix, and the ruler
//! (`line,col` and `Top`/`Bot`/`All`/`NN%` like Vim's `%P`). Without a status line the ruler goes to
//! the command line, at Vim's column (`columns - 18`). 'showcmd' keys sit at `columns - 11`.

use ratatui::buffer::Buffer;
use ratatui::style::Style;
use rtdvi_editor::message::Level;
use rtdvi_editor::window::Window;
use rtdvi_editor::Editor;
use unicode_width::UnicodeWidthStr;

use super::UiState;
use crate::style::Styles;

/// Writes `text` at (x, y) clipped to `max` cells; returns the cells used.
pub(super) fn put_str(buf: &mut Buffer, x: usize, y: usize, text: &str, style: Style, max: usize) -> usize {
    let area = buf.area;
    let mut used = 0;
    for g in unicode_segmentation::UnicodeSegmentation::graphemes(text, true) {
        let w = g.width().max(if g.chars().any(|c| c.is_control()) { 0 } else { 1 });
        let g = if g.chars().any(|c| c.is_control()) { "?" } else { g };
        let w = w.max(1);
        if used + w > max || x + used + w > area.width as usize || y >= area.height as usize {
            break;
        }
        let (cx, cy) = ((x + used) as u16, y as u16);
        buf[(cx, cy)].set_symbol(g).set_style(style);
        if w == 2 {
            buf[(cx + 1, cy)].reset();
            buf[(cx + 1, cy)].set_style(style);
            buf[(cx + 1, cy)].set_symbol("");
        }
        used += w;
    }
    used
}

/// The `<Tab>` completion popup menu ('wildoptions' "pum", Neovim's default): the matches in a
/// column above the command line starting at the completed word, scrolled to keep the
/// highlighted one visible.
fn draw_completion_menu(
    c: &super::CmdlineView,
    column: usize,
    bottom: usize,
    styles: &Styles,
    h: &rtdvi_editor::highlight::Highlights,
    buf: &mut Buffer,
) {
    if c.completions.is_empty() || bottom == 0 {
        return;
    }
    let screen_w = buf.area.width as usize;
    let height = c.completions.len().min(bottom);
    let first = c.selected.map_or(0, |s| (s + 1).saturating_sub(height));
    // One blank cell on each side of the widest item, as Neovim's menu.
    let inner = c.completions.iter().map(|m| m.width()).max().unwrap_or(0);
    let width = (inner + 2).min(screen_w);
    // The items line up with the word on the command line (the padding cell sits before it).
    let x = column.saturating_sub(1).min(screen_w - width);
    let menu = styles.named(h, "Pmenu");
    let chosen = menu.patch(styles.named(h, "PmenuSel"));
    for (i, item) in c.completions.iter().enumerate().skip(first).take(height) {
        let y = bottom - height + (i - first);
        let style = if Some(i) == c.selected { chosen } else { menu };
        fill(buf, x, y, width, style);
        put_str(buf, x + 1, y, item, style, width.saturating_sub(2));
    }
}

fn fill(buf: &mut Buffer, x: usize, y: usize, width: usize, style: Style) {
    let area = buf.area;
    for cx in x..(x + width).min(area.width as usize) {
        if y < area.height as usize {
            buf[(cx as u16, y as u16)].reset();
            buf[(cx as u16, y as u16)].set_style(style);
        }
    }
}

/// Vim's `%P`: Top, Bot, All or a percentage of the way through.
pub fn position_percent(top: usize, height: usize, lines: usize) -> String {
    let above = top;
    let below = lines.saturating_sub(top + height);
    match (above, below) {
        (0, 0) => "All".into(),
        (0, _) => "Top".into(),
        (_, 0) => "Bot".into(),
        _ => format!("{}%", above * 100 / (above + below)),
    }
}

/// The ruler text: `line,col[-vcol]` and the position (Vim's `%l,%c%V %P`).
fn ruler(ed: &Editor, w: &Window) -> String {
    let Some(b) = ed.buffers.get(&w.buffer) else { return String::new() };
    let c = w.cursor;
    let line = rtdvi_core::position::line_slice(&b.text, c.row);
    let ts = b.opt_number("tabstop").max(1) as usize;
    let (bytecol, vcol) = match line {
        Some(l) if b.line_len(c.row) > 0 => {
            let byte = l.try_char_to_byte(c.col.min(l.len_chars())).unwrap_or(0) + 1;
            let (v, _) = rtdvi_editor::view::display_span(l, c.col, ts);
            (byte, v + 1)
        }
        _ => (0, 0),
    };
    let col = if bytecol == 0 {
        "0-1".to_string()
    } else if bytecol == vcol {
        bytecol.to_string()
    } else {
        format!("{bytecol}-{vcol}")
    };
    let pct = position_percent(w.top_line, w.rect.height, b.line_count());
    format!("{:<14} {pct}", format!("{},{col}", c.row + 1))
}

/// Draws the status line of `w` (if it has one).
pub(super) fn draw_status_line(ed: &Editor, w: &Window, ui: &UiState, styles: &Styles, buf: &mut Buffer) {
    if !w.status_line {
        return;
    }
    let current = w.id == ed.current;
    let h = &ed.highlights;
    let base = styles.named(h, "Normal").patch(styles.named(h, if current { "StatusLine" } else { "StatusLineNC" }));
    let y = w.rect.y + w.rect.height;
    let width = w.rect.width + usize::from(w.separator);
    fill(buf, w.rect.x, y, width, base);
    let Some(b) = ed.buffers.get(&w.buffer) else { return };
    let mut left = String::from(" ");
    if current && !ui.mode_name.is_empty() {
        left.push_str(&ui.mode_name);
        left.push_str("  ");
    }
    left.push_str(&ed.buffer_display_name(w.buffer));
    if b.is_modified() {
        left.push_str(" [+]");
    }
    if !b.opt_bool("modifiable") {
        left.push_str(" [-]");
    }
    if b.opt_bool("readonly") {
        left.push_str(" [RO]");
    }
    let ft = b.opt_string("filetype");
    let ff = b.opt_string("fileformat");
    let mut extras = String::new();
    if !ft.is_empty() {
        extras.push_str(&ft);
        extras.push_str("  ");
    }
    if ff != "unix" {
        extras.push_str(&format!("[{ff}]  "));
    }
    let (full, compact) = if ed.opt("ruler").as_bool() {
        let r = ruler(ed, w);
        let compact = r.split_whitespace().collect::<Vec<_>>().join(" ");
        (r, compact)
    } else {
        (String::new(), String::new())
    };
    // When space is short, the filetype goes first, then the ruler's padding; the name is cut
    // from its start last (Vim's `%<`), so the window always says which file it shows.
    let lw = left.width();
    let candidates = [format!("{extras}{full}"), full.clone(), compact.clone()];
    let right = candidates
        .iter()
        .find(|c| lw + c.trim_end().width() + 2 <= width)
        .cloned()
        .unwrap_or(compact)
        .trim_end()
        .to_string();
    let rw = if right.is_empty() { 0 } else { right.width() + 1 };
    let room = if rw == 0 { width } else { width.saturating_sub(rw + 1) };
    let shown = if lw > room && room > 1 {
        let tail: String = {
            let mut acc = 0;
            let mut out: Vec<char> = Vec::new();
            for ch in left.chars().rev() {
                let cw = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(1);
                if acc + cw + 1 > room {
                    break;
                }
                acc += cw;
                out.push(ch);
            }
            out.into_iter().rev().collect()
        };
        format!("<{tail}")
    } else {
        left
    };
    let used = put_str(buf, w.rect.x, y, &shown, base, room);
    if rw > 0 && used + rw <= width {
        put_str(buf, w.rect.x + width - rw, y, &right, base, rw);
    }
}

/// Draws the tab line: one label per tab page (number of windows, buffer name, `+` if modified).
pub(super) fn draw_tabline(ed: &Editor, styles: &Styles, buf: &mut Buffer) {
    let h = &ed.highlights;
    let normal = styles.named(h, "Normal");
    let (tab, sel, fill_st) = (
        normal.patch(styles.named(h, "TabLine")),
        normal.patch(styles.named(h, "TabLineSel")),
        normal.patch(styles.named(h, "TabLineFill")),
    );
    let width = buf.area.width as usize;
    fill(buf, 0, 0, width, fill_st);
    let mut x = 0;
    for (i, t) in ed.tabs.iter().enumerate() {
        let wins = t.root.windows();
        let cur = if i == ed.tab_index { ed.current } else { t.current };
        let Some(w) = ed.window(cur) else { continue };
        let name = ed.buffer_display_name(w.buffer);
        let short = std::path::Path::new(&name).file_name().map_or(name.clone(), |n| n.to_string_lossy().into_owned());
        let modified = wins
            .iter()
            .any(|id| ed.window(*id).and_then(|w| ed.buffers.get(&w.buffer)).is_some_and(|b| b.is_modified()));
        let mut label = String::from(" ");
        if wins.len() > 1 {
            label.push_str(&wins.len().to_string());
        }
        if modified {
            label.push('+');
        }
        if wins.len() > 1 || modified {
            label.push(' ');
        }
        label.push_str(&short);
        label.push(' ');
        let st = if i == ed.tab_index { sel } else { tab };
        x += put_str(buf, x, 0, &label, st, width.saturating_sub(x));
        if x >= width {
            break;
        }
    }
}

/// The lines messages take on screen (each message may hold several lines).
pub fn message_lines(ui: &UiState) -> Vec<(String, Level)> {
    ui.messages.iter().flat_map(|m| m.text.split('\n').map(move |l| (l.to_string(), m.level))).collect()
}

/// Draws the command line (or messages, or the mode), and returns where the cursor goes when the
/// command line has it.
pub(super) fn draw_cmdline(ed: &Editor, ui: &UiState, styles: &Styles, buf: &mut Buffer) -> Option<(u16, u16)> {
    let h = &ed.highlights;
    let normal = styles.named(h, "Normal").patch(styles.named(h, "MsgArea"));
    let width = buf.area.width as usize;
    let screen_h = buf.area.height as usize;
    let rows = ed.cmdline_rows().min(screen_h);
    let top = screen_h - rows;
    for y in top..screen_h {
        fill(buf, 0, y, width, normal);
    }
    let level_style = |l: Level| match l {
        Level::Error => normal.patch(styles.named(h, "ErrorMsg")),
        Level::Warning => normal.patch(styles.named(h, "WarningMsg")),
        _ => normal,
    };
    if let Some(c) = &ui.cmdline {
        let text = format!("{}{}", c.prompt, c.text);
        let before: String = c.prompt.chars().chain(c.text.chars().take(c.cursor)).collect();
        let cw = before.width();
        // A command line longer than the screen shows its end, as Vim scrolls it.
        let shift = (cw + 1).saturating_sub(width * rows);
        let shown: String = {
            let mut acc = 0;
            text.chars()
                .skip_while(|ch| {
                    let w = unicode_width::UnicodeWidthChar::width(*ch).unwrap_or(1);
                    let skip = acc < shift;
                    acc += w;
                    skip
                })
                .collect()
        };
        put_str(buf, 0, top, &shown, normal, width);
        let pos = cw - shift;
        let start: String = c.prompt.chars().chain(c.text.chars().take(c.completion_start)).collect();
        draw_completion_menu(c, (start.width().saturating_sub(shift)) % width, top, styles, h, buf);
        return Some(((pos % width) as u16, (top + pos / width).min(screen_h - 1) as u16));
    }
    let lines = message_lines(ui);
    if ui.hit_enter {
        // The message screen: messages scroll up over the windows, the prompt on the last row.
        let prompt = "Press ENTER or type command to continue";
        let total = lines.len() + 1;
        let first = screen_h.saturating_sub(total);
        let sep = styles.named(h, "MsgSeparator");
        if first > 0 {
            fill(buf, 0, first - 1, width, normal.patch(sep));
        }
        for (i, (text, level)) in lines.iter().skip(total.saturating_sub(screen_h)).enumerate() {
            let y = first + i;
            fill(buf, 0, y, width, normal);
            put_str(buf, 0, y, text, level_style(*level), width);
        }
        fill(buf, 0, screen_h - 1, width, normal);
        let used = put_str(buf, 0, screen_h - 1, prompt, normal.patch(styles.named(h, "Question")), width);
        return Some((used.min(width - 1) as u16, (screen_h - 1) as u16));
    }
    if let Some((text, level)) = lines.last().filter(|_| !lines.is_empty()) {
        put_str(buf, 0, top, text, level_style(*level), width);
    } else if ed.opt("showmode").as_bool() && !ui.mode_msg.is_empty() {
        put_str(buf, 0, top, &ui.mode_msg, normal.patch(styles.named(h, "ModeMsg")), width);
    }
    let y = screen_h - 1;
    if ed.opt("showcmd").as_bool() && !ui.showcmd.is_empty() {
        let sc: String = ui.showcmd.chars().rev().take(10).collect::<Vec<_>>().into_iter().rev().collect();
        put_str(buf, width.saturating_sub(11), y, &sc, normal, 10);
    }
    if ed.opt("ruler").as_bool() && !ed.win().status_line {
        let r = ruler(ed, ed.win());
        put_str(buf, width.saturating_sub(18), y, &r, normal, 18);
    }
    None
}
