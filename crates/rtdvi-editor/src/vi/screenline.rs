//! Motions over screen lines when 'wrap' is on: `gj gk g<Down> g<Up>` and `g0 g^ g$`.
//!
//! A buffer line of display width `w` fills `ceil(w / width)` screen lines of the window's text
//! width (no 'showbreak'). The wanted column (curswant) is a display column of the whole line, so
//! `gj` adds a screen line's width to it within a line and keeps the column inside the screen line
//! when it moves to the next buffer line, as Vim's `nv_screengo` does. Without 'wrap', `gj`/`gk`
//! are `j`/`k` and `g0`/`g$` go to the edges of the visible part of the line.

use super::normal::{MKind, Moved, Want};
use super::textpos::{line_count, Pos};
use super::Fail;
use crate::editor::Editor;

impl Editor {
    /// Whether the current window wraps lines.
    pub(crate) fn wraps(&self) -> bool {
        self.option_for(crate::options::id("wrap"), self.buf_id(), self.current).as_bool()
    }

    /// Display width of buffer line `row`.
    fn row_width(&self, row: usize) -> usize {
        let len = super::textpos::line_len(&self.buf().text, row);
        self.display_col(row, len)
    }

    /// Columns the line's screen rows cover: a whole number of rows, at least one.
    fn covered(&self, row: usize, width: usize) -> usize {
        self.row_width(row).max(1).div_ceil(width) * width
    }

    /// `gj` (`down`) / `gk` over `dist` screen lines; `Err` when no move was possible at all.
    pub(crate) fn screen_go(&self, down: bool, dist: usize) -> Result<Moved, Fail> {
        let width = self.text_width(self.current);
        let cur = self.vpos();
        let mut row = cur.row;
        let last = line_count(&self.buf().text).saturating_sub(1);
        let mut want = match self.win().curswant {
            usize::MAX => self.display_col(cur.row, cur.col),
            w => w.min(self.covered(row, width) - 1),
        };
        let mut moved = false;
        let mut failed = false;
        for _ in 0..dist {
            if down {
                if want + width < self.covered(row, width) {
                    want += width;
                } else if row < last {
                    row += 1;
                    want %= width;
                } else {
                    failed = true;
                    break;
                }
            } else if want >= width {
                want -= width;
            } else if row > 0 {
                row -= 1;
                want += self.covered(row, width) - width;
            } else {
                failed = true;
                break;
            }
            moved = true;
        }
        if !moved {
            return Err(Fail);
        }
        let col = self.col_for_want(row, want, self.vi.visual.is_some());
        let mut mv = Moved::new(Pos::new(row, col), MKind::Exclusive);
        mv.want = Want::Column(want);
        mv.partial_fail = failed;
        Ok(mv)
    }

    /// `g0` (`first_nonblank` false) and `g^`: the start of the cursor's screen line.
    pub(crate) fn screen_line_start(&self, first_nonblank: bool) -> Moved {
        let cur = self.vpos();
        let start = if self.wraps() {
            let width = self.text_width(self.current);
            self.display_col(cur.row, cur.col) / width * width
        } else {
            self.win().leftcol
        };
        let mut col = self.col_for_want(cur.row, start, false);
        // A wide char that starts on the previous screen line belongs to it.
        if self.display_col(cur.row, col) < start && col + 1 < super::textpos::line_len(&self.buf().text, cur.row) {
            col += 1;
        }
        if first_nonblank {
            let line: Vec<char> = super::textpos::line_string(&self.buf().text, cur.row).chars().collect();
            let end = self.screen_line_last_col(cur.row, col);
            if let Some(nb) = (col..=end).find(|c| line.get(*c).is_some_and(|ch| !super::textpos::is_blank(*ch))) {
                col = nb;
            }
        }
        Moved::new(Pos::new(cur.row, col), MKind::Exclusive)
    }

    /// The last char column on the screen line that holds `col` of `row`.
    fn screen_line_last_col(&self, row: usize, col: usize) -> usize {
        let width = self.text_width(self.current);
        let start = if self.wraps() { self.display_col(row, col) / width * width } else { self.win().leftcol };
        let last_vcol = start + width - 1;
        let len = super::textpos::line_len(&self.buf().text, row);
        let mut c = self.col_for_want(row, last_vcol, false).min(len.saturating_sub(1));
        // A wide char that does not fit ends the screen line before it.
        while c > col && self.display_col(row, c + 1) > last_vcol + 1 {
            c -= 1;
        }
        c
    }

    /// `g$` with a count: the end of the screen line `count - 1` screen lines down.
    pub(crate) fn screen_line_end(&self, count: usize) -> Result<Moved, Fail> {
        // Vim's nv_screengo goes as far as it can and ends on that screen line's end even when
        // it could not go all the way (then the command fails after moving).
        let (row, col, failed) = if count > 1 {
            match self.screen_go(true, count - 1) {
                Ok(mv) => (mv.pos.row, mv.pos.col, mv.partial_fail),
                Err(_) => {
                    let c = self.vpos();
                    (c.row, c.col, true)
                }
            }
        } else {
            let c = self.vpos();
            (c.row, c.col, false)
        };
        let end = self.screen_line_last_col(row, col);
        let mut mv = Moved::new(Pos::new(row, end), MKind::Inclusive);
        mv.moved_then_failed = failed;
        // Vim: with a count it stays at line ends (MAXCOL), else the column it reached.
        mv.want = if count > 1 { Want::End } else { Want::Column(self.display_col(row, end)) };
        Ok(mv)
    }
}
