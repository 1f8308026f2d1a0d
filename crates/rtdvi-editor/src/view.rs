//! Views: which part of the buffer a window shows, kept around the cursor by 'scrolloff',
//! 'sidescrolloff' and 'sidescroll', with or without 'wrap'.
//!
//! Screen geometry is computed from display widths (tabs, wide characters, `^X`), the same numbers
//! the terminal UI draws with, so the cursor the UI places and the view the editor keeps agree.
//! Choices where Vim's rules are intricate: 'scrolloff' counts buffer lines (not screen rows) when
//! lines wrap, and a cursor that lands more than half a window away is centred, except that the
//! view never scrolls so far that the end of the buffer leaves the bottom half empty.

use ropey::RopeSlice;
use rtdvi_core::position::char_display_width;

use crate::editor::Editor;
use crate::window::WindowId;

/// How the cursor sits on a multi-cell character: normal mode puts it on the last cell of a tab
/// (Vim's habit), insert mode on the first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CursorPlacement {
    /// Normal, visual and operator-pending modes.
    #[default]
    OnChar,
    /// Insert and replace modes: before the character.
    BeforeChar,
}

/// Display width of `line` up to char column `col`, and the width of the char at `col`.
pub fn display_span(line: RopeSlice<'_>, col: usize, tabstop: usize) -> (usize, usize) {
    let mut vcol = 0;
    for (i, c) in line.chars().enumerate() {
        if c == '\n' {
            break;
        }
        let w = char_display_width(c, vcol, tabstop, i == 0);
        if i == col {
            return (vcol, w.max(1));
        }
        vcol += w;
    }
    (vcol, 1)
}

/// Display width of a whole line (newline excluded).
pub fn line_width(line: RopeSlice<'_>, tabstop: usize) -> usize {
    display_span(line, usize::MAX, tabstop).0
}

impl Editor {
    /// Columns in front of the text of window `id`: sign column and line numbers.
    pub fn gutter_width(&self, id: WindowId) -> usize {
        let Some(w) = self.window(id) else { return 0 };
        let opt = |name: &str| self.option_for(crate::options::id(name), w.buffer, id);
        let mut width = 0;
        let scl = opt("signcolumn");
        // No plugin places signs yet, so "auto" shows none; "yes" reserves the two cells.
        if scl.as_str().starts_with("yes") {
            width += 2;
        }
        if opt("number").as_bool() || opt("relativenumber").as_bool() {
            let lines = self.buffers.get(&w.buffer).map_or(1, |b| b.line_count());
            let digits = if opt("relativenumber").as_bool() && !opt("number").as_bool() {
                digits(w.rect.height.max(1))
            } else {
                digits(lines)
            };
            width += (digits + 1).max(opt("numberwidth").as_number().max(1) as usize);
        }
        width.min(w.rect.width.saturating_sub(1))
    }

    /// Width of the text part of window `id` (its width less the gutter).
    pub fn text_width(&self, id: WindowId) -> usize {
        let w = self.window(id).map_or(1, |w| w.rect.width);
        w.saturating_sub(self.gutter_width(id)).max(1)
    }

    /// Screen rows line `row` of the window's buffer takes (1 without 'wrap').
    pub fn line_rows(&self, id: WindowId, row: usize) -> usize {
        let Some(w) = self.window(id) else { return 1 };
        let Some(b) = self.buffers.get(&w.buffer) else { return 1 };
        if !self.option_for(crate::options::id("wrap"), w.buffer, id).as_bool() {
            return 1;
        }
        let Some(line) = rtdvi_core::position::line_slice(&b.text, row) else { return 1 };
        let ts = b.opt_number("tabstop").max(1) as usize;
        line_width(line, ts).max(1).div_ceil(self.text_width(id))
    }

    /// Scrolls window `id` so its cursor is visible with 'scrolloff'/'sidescrolloff', and records
    /// where the cursor is on screen. Front ends call this for every window before drawing.
    pub fn update_view(&mut self, id: WindowId, placement: CursorPlacement) {
        let Some(w) = self.window(id) else { return };
        let (buf, cursor, height, mut top) = (w.buffer, w.cursor, w.rect.height.max(1), w.top_line);
        let Some(b) = self.buffers.get(&buf) else { return };
        let last = b.line_count().saturating_sub(1);
        let row = cursor.row.min(last);
        let wrap = self.option_for(crate::options::id("wrap"), buf, id).as_bool();
        let so = (self.option_for(crate::options::id("scrolloff"), buf, id).as_number().max(0) as usize)
            .min((height - 1) / 2);
        top = top.min(last);
        // Far jumps centre the cursor line (clamped so the buffer end stays at the bottom).
        let far = row + height / 2 < top || row >= top + height + height / 2;
        if far {
            top = row.saturating_sub(height / 2);
            // The highest top that still fills the window down to the last line.
            let mut max_top = last;
            let mut rows = self.line_rows(id, last);
            while max_top > 0 && rows + self.line_rows(id, max_top - 1) <= height {
                max_top -= 1;
                rows += self.line_rows(id, max_top);
            }
            top = top.min(max_top);
        }
        if row < top + so {
            top = row.saturating_sub(so);
        }
        // Move the top down until the cursor line and 'scrolloff' lines after it fit.
        let want_last = (row + so).min(last);
        if want_last >= top + height {
            top = want_last + 1 - height;
        }
        if wrap {
            loop {
                let rows: usize = (top..=want_last).map(|r| self.line_rows(id, r)).sum();
                if rows <= height || top >= row {
                    break;
                }
                top += 1;
            }
        }
        // The cursor's screen position.
        let ts = b.opt_number("tabstop").max(1) as usize;
        let line = rtdvi_core::position::line_slice(&b.text, row);
        let (vcol, cw) = line.map_or((0, 1), |l| display_span(l, cursor.col, ts));
        let vcol = match placement {
            // On a tab (or a wide char) the cursor sits on its last cell in normal mode.
            CursorPlacement::OnChar if line.and_then(|l| l.get_char(cursor.col)) == Some('\t') => vcol + cw - 1,
            _ => vcol,
        };
        let text_w = self.text_width(id);
        let gutter = self.gutter_width(id);
        let mut leftcol = self.window(id).map_or(0, |w| w.leftcol);
        let screen = if wrap {
            leftcol = 0;
            let above: usize = (top..row).map(|r| self.line_rows(id, r)).sum();
            (above + vcol / text_w, gutter + vcol % text_w)
        } else {
            let siso = (self.option_for(crate::options::id("sidescrolloff"), buf, id).as_number().max(0) as usize)
                .min((text_w - 1) / 2);
            let ss = self.opt("sidescroll").as_number().max(0) as usize;
            if vcol < leftcol + siso || vcol + siso >= leftcol + text_w {
                let off_by = if vcol < leftcol { leftcol - vcol } else { (vcol + 1).saturating_sub(leftcol + text_w) };
                if ss == 0 || off_by >= text_w / 2 {
                    // 'sidescroll' 0: put the cursor in the middle, as Vim does.
                    leftcol = vcol.saturating_sub(text_w / 2);
                } else if vcol < leftcol + siso {
                    leftcol = vcol.saturating_sub(siso);
                } else {
                    leftcol = (vcol + siso + 1).saturating_sub(text_w);
                }
            }
            (row - top, gutter + vcol.saturating_sub(leftcol))
        };
        if let Some(w) = self.window_mut(id) {
            w.top_line = top;
            w.leftcol = leftcol;
            w.cursor_screen = (screen.0.min(height - 1), screen.1);
        }
    }

    /// Updates the view of every window of the current tab page.
    pub fn update_views(&mut self, placement: CursorPlacement) {
        for id in self.tab_windows() {
            // Only the current window's cursor follows the mode; others show their cursor as in normal mode.
            let p = if id == self.current { placement } else { CursorPlacement::OnChar };
            self.update_view(id, p);
        }
    }

    /// Scrolls window `id` by `delta` lines without moving past the buffer (for the mouse wheel and
    /// `<C-e>`/`<C-y>`), then keeps the cursor inside the view.
    pub fn scroll_window(&mut self, id: WindowId, delta: isize) {
        let Some(w) = self.window(id) else { return };
        let last = self.buffers.get(&w.buffer).map_or(0, |b| b.line_count().saturating_sub(1));
        let top = (w.top_line as isize + delta).clamp(0, last as isize) as usize;
        let height = w.rect.height.max(1);
        let mut cursor = w.cursor;
        cursor.row = cursor.row.clamp(top, (top + height - 1).min(last));
        if let Some(w) = self.window_mut(id) {
            w.top_line = top;
            if w.cursor.row != cursor.row {
                w.cursor.row = cursor.row;
            }
        }
        if id == self.current {
            let c = self.cursor();
            self.set_cursor(c.row, c.col);
        }
    }
}

fn digits(n: usize) -> usize {
    n.max(1).ilog10() as usize + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::options::{id, OptionValue, SetScope};

    fn editor(text: &str, cols: usize, lines: usize) -> Editor {
        let mut ed = Editor::new();
        ed.buf_mut().text = ropey::Rope::from_str(text);
        ed.set_screen_size(cols, lines);
        ed
    }

    fn numbered(n: usize) -> String {
        (1..=n).map(|i| format!("line {i}")).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn cursor_below_the_view_scrolls_with_scrolloff() {
        let mut ed = editor(&numbered(100), 40, 12);
        ed.set_option(id("scrolloff"), OptionValue::Number(2), SetScope::Both);
        // 12 lines: 10 text rows.
        ed.set_cursor(10, 0);
        ed.update_view(ed.current, CursorPlacement::OnChar);
        assert_eq!(ed.win().top_line, 3);
        assert_eq!(ed.win().cursor_screen, (7, 0));
        ed.set_cursor(4, 0);
        ed.update_view(ed.current, CursorPlacement::OnChar);
        assert_eq!(ed.win().top_line, 2);
    }

    #[test]
    fn far_jump_centres_and_end_stays_at_bottom() {
        let mut ed = editor(&numbered(100), 40, 12);
        ed.set_cursor(50, 0);
        ed.update_view(ed.current, CursorPlacement::OnChar);
        assert_eq!(ed.win().top_line, 45);
        ed.set_cursor(99, 0);
        ed.update_view(ed.current, CursorPlacement::OnChar);
        assert_eq!(ed.win().top_line, 90);
        assert_eq!(ed.win().cursor_screen.0, 9);
    }

    #[test]
    fn wrapped_lines_take_several_rows() {
        let long = "x".repeat(95);
        let mut ed = editor(&format!("{long}\nb\nc"), 40, 6);
        assert_eq!(ed.line_rows(ed.current, 0), 3);
        ed.set_cursor(0, 85);
        ed.update_view(ed.current, CursorPlacement::OnChar);
        assert_eq!(ed.win().cursor_screen, (2, 5));
        // Line 3 needs rows 3..=4 of the 4-row window plus the 3 rows of line 1: scroll.
        ed.set_cursor(2, 0);
        ed.update_view(ed.current, CursorPlacement::OnChar);
        assert_eq!(ed.win().top_line, 1);
    }

    #[test]
    fn nowrap_scrolls_sideways_and_tabs_place_the_cursor() {
        let mut ed = editor(&format!("{}\n\tx", "y".repeat(200)), 40, 6);
        ed.set_option(id("wrap"), OptionValue::Bool(false), SetScope::Both);
        ed.set_cursor(0, 100);
        ed.update_view(ed.current, CursorPlacement::OnChar);
        assert_eq!(ed.win().leftcol, 80);
        assert_eq!(ed.win().cursor_screen, (0, 20));
        ed.set_cursor(1, 0);
        ed.update_view(ed.current, CursorPlacement::OnChar);
        assert_eq!(ed.win().cursor_screen, (1, 7));
        ed.update_view(ed.current, CursorPlacement::BeforeChar);
        assert_eq!(ed.win().cursor_screen, (1, 0));
    }

    #[test]
    fn number_column_width() {
        let mut ed = editor(&numbered(12345), 80, 24);
        assert_eq!(ed.gutter_width(ed.current), 0);
        ed.set_option(id("number"), OptionValue::Bool(true), SetScope::Both);
        assert_eq!(ed.gutter_width(ed.current), 6);
        ed.set_option(id("signcolumn"), OptionValue::String("yes".into()), SetScope::Both);
        assert_eq!(ed.gutter_width(ed.current), 8);
    }
}
