//! Running normal-mode commands: motions (where they go and how an operator takes them) and the
//! commands that are neither motions nor operators.

use rtdvi_core::position::{char_col_to_display_col, display_col_to_char_col};

use super::command::{Action, Command, Motion, Simple};
use super::motion;
use super::textpos::{self, first_nonblank, line_count, line_len, Pos};
use super::{Fail, VisualKind};
use crate::editor::Editor;
use crate::keys::Key;

/// How an operator takes a motion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MKind {
    /// Up to the target, not including it.
    Exclusive,
    /// Including the target.
    Inclusive,
    /// Whole lines.
    Linewise,
}

/// How the wanted column (curswant) changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    /// Set from the new cursor column.
    Set,
    /// Keep (vertical motions).
    Keep,
    /// To the end of every line (`$`).
    End,
    /// To this display column (screen-line motions compute it).
    Column(usize),
}

/// Where a motion goes.
#[derive(Clone, Copy, Debug)]
pub struct Moved {
    /// The target.
    pub pos: Pos,
    /// How an operator takes it.
    pub kind: MKind,
    /// A jump (sets `''` and the jumplist).
    pub jump: bool,
    /// The wanted column afterwards.
    pub want: Want,
    /// A delete with it goes to register 1 even when small.
    pub reg_one: bool,
    /// Don't apply the exclusive-at-column-0 adjustment.
    pub no_adjust: bool,
    /// The motion failed after moving (beep, but the move stands without an operator).
    pub partial_fail: bool,
    /// The motion failed after moving, also with an operator: the cursor moves, the operator is
    /// cancelled (Vim's `g$` past the last screen line).
    pub moved_then_failed: bool,
}

impl Moved {
    pub(crate) fn new(pos: Pos, kind: MKind) -> Moved {
        Moved {
            pos,
            kind,
            jump: false,
            want: Want::Set,
            reg_one: false,
            no_adjust: false,
            partial_fail: false,
            moved_then_failed: false,
        }
    }
}

impl Editor {
    /// The cursor as a [`Pos`].
    pub(crate) fn vpos(&self) -> Pos {
        let c = self.cursor();
        Pos::new(c.row, c.col)
    }

    /// Places the cursor exactly (no clamping beyond the text), updating curswant as asked.
    pub(crate) fn place(&mut self, p: Pos, want: Want) {
        let rope = &self.buf().text;
        let row = p.row.min(line_count(rope).saturating_sub(1));
        let col = p.col.min(line_len(rope, row));
        let vcol = self.cursor_vcol(row, col);
        let w = self.win_mut();
        w.cursor = crate::window::Cursor { row, col };
        match want {
            Want::Set => w.curswant = vcol,
            Want::End => w.curswant = usize::MAX,
            Want::Column(c) => w.curswant = c,
            Want::Keep => {}
        }
    }

    /// Places the cursor and keeps it on a character (normal-mode rule).
    pub(crate) fn place_normal(&mut self, p: Pos, want: Want) {
        let len = line_len(&self.buf().text, p.row.min(line_count(&self.buf().text).saturating_sub(1)));
        // After `<C-o>` the cursor may stay past the end of the line (Vim's restart_edit).
        let max = if self.vi.insert_normal.is_some() { len } else { len.saturating_sub(1) };
        let col = if len == 0 { 0 } else { p.col.min(max) };
        self.place(Pos::new(p.row, col), want);
    }

    /// Display column of a char column in a row.
    pub(crate) fn display_col(&self, row: usize, col: usize) -> usize {
        let rope = &self.buf().text;
        if row >= rope.len_lines() {
            return 0;
        }
        let ts = self.buf().opt_number("tabstop").max(1) as usize;
        char_col_to_display_col(rope.line(row), col, ts)
    }

    /// The display column Vim's cursor is on, which is what a lazily updated curswant takes: a
    /// tab in normal mode shows the cursor on its last column (Vim's getvcol "cursor" column),
    /// except with 'list' or at or before a visual selection's anchor.
    pub(crate) fn cursor_vcol(&self, row: usize, col: usize) -> usize {
        let start = self.display_col(row, col);
        let on_tab = textpos::char_at(&self.buf().text, Pos::new(row, col)) == '\t';
        let normal = self.vi.insert.is_none() && self.vi.cmdline.is_none();
        let before_anchor = self.vi.visual.is_some_and(|v| Pos::new(row, col) <= v.anchor);
        if !on_tab
            || !normal
            || before_anchor
            || self.option_for(crate::options::id("list"), self.buf_id(), self.current).as_bool()
        {
            return start;
        }
        self.display_col(row, col + 1).saturating_sub(1).max(start)
    }

    /// The char column in `row` for a wanted display column (the last char if the line is shorter).
    pub(crate) fn col_for_want(&self, row: usize, want: usize, past_end: bool) -> usize {
        let rope = &self.buf().text;
        let len = line_len(rope, row);
        if want == usize::MAX {
            return if past_end { len } else { len.saturating_sub(1) };
        }
        let ts = self.buf().opt_number("tabstop").max(1) as usize;
        let col = display_col_to_char_col(rope.line(row), want, ts).min(len);
        if past_end {
            col
        } else {
            col.min(len.saturating_sub(1))
        }
    }

    /// The column a line motion lands on: first non-blank with 'startofline', else the wanted column.
    /// Puts the cursor on `row` as Vim's `beginline(BL_SOL | BL_FIX)`: the first non-blank with
    /// 'startofline', else the wanted column (`:move`, `:copy`).
    pub(crate) fn cursor_to_line_start(&mut self, row: usize) {
        let row = row.min(line_count(&self.buf().text).saturating_sub(1));
        let (col, want) = self.sol_col(row);
        self.place_normal(Pos::new(row, col), want);
    }

    pub(crate) fn sol_col(&self, row: usize) -> (usize, Want) {
        if self.opt("startofline").as_bool() {
            (first_nonblank(&self.buf().text, row), Want::Set)
        } else {
            (self.col_for_want(row, self.win().curswant, false), Want::Keep)
        }
    }

    /// Evaluates a motion from the cursor. `op` says an operator is pending.
    pub(crate) fn eval_motion(&mut self, m: &Motion, count: Option<usize>, op: bool) -> Result<Moved, Fail> {
        let n = count.unwrap_or(1).max(1);
        let cur = self.vpos();
        let visual = self.vi.visual.is_some();
        let rope = &self.buf().text;
        let last_row = line_count(rope).saturating_sub(1);
        let len = line_len(rope, cur.row);
        let mut mv = match m {
            Motion::Left { wrap } => {
                let mut p = cur;
                let mut moved = 0;
                // Vim's nv_left: crossing a line start lands on the previous line's NUL in visual
                // mode, and for `d`/`c` (so the line break goes too; no column-0 adjustment);
                // otherwise on its last char. Each step counts.
                let takes_break = op && matches!(self.vi.motion_op, Some(super::Op::Delete | super::Op::Change));
                let mut no_adjust = false;
                for _ in 0..n {
                    if p.col > 0 {
                        p.col -= 1;
                        moved += 1;
                    } else if *wrap && p.row > 0 {
                        p.row -= 1;
                        let l = line_len(rope, p.row);
                        p.col = if visual || (takes_break && l > 0) { l } else { l.saturating_sub(1) };
                        no_adjust |= takes_break && l > 0;
                        moved += 1;
                    } else {
                        break;
                    }
                }
                if moved == 0 && !op {
                    return Err(Fail);
                }
                let mut mv = Moved::new(p, MKind::Exclusive);
                mv.no_adjust = no_adjust;
                mv
            }
            Motion::Right { wrap } => {
                let mut p = cur;
                let mut inclusive = false;
                let mut moved = 0;
                let mut k = n;
                while k > 0 {
                    let l = line_len(rope, p.row);
                    let can = if visual { p.col < l } else { p.col + 1 < l };
                    if !can {
                        if *wrap && p.row < last_row {
                            if op && !inclusive && l > 0 {
                                inclusive = true;
                            } else {
                                p.row += 1;
                                p.col = 0;
                                inclusive = false;
                            }
                            moved += 1;
                            k -= 1;
                            continue;
                        }
                        if !op {
                            if moved == 0 {
                                return Err(Fail);
                            }
                        } else if l > 0 {
                            inclusive = true;
                        }
                        break;
                    }
                    p.col += 1;
                    moved += 1;
                    k -= 1;
                }
                Moved::new(p, if inclusive { MKind::Inclusive } else { MKind::Exclusive })
            }
            Motion::DisplayUp | Motion::DisplayDown if self.wraps() => {
                self.screen_go(matches!(m, Motion::DisplayDown), n)?
            }
            Motion::Up | Motion::DisplayUp => {
                if cur.row == 0 {
                    return Err(Fail);
                }
                let row = cur.row.saturating_sub(n);
                let col = self.col_for_want(row, self.win().curswant, visual);
                let mut mv = Moved::new(Pos::new(row, col), MKind::Linewise);
                mv.want = Want::Keep;
                mv
            }
            Motion::Down | Motion::DisplayDown => {
                if cur.row >= last_row {
                    return Err(Fail);
                }
                let row = (cur.row + n).min(last_row);
                let col = self.col_for_want(row, self.win().curswant, visual);
                let mut mv = Moved::new(Pos::new(row, col), MKind::Linewise);
                mv.want = Want::Keep;
                mv
            }
            Motion::NextLineStart | Motion::PrevLineStart | Motion::CurrentLineStart => {
                // Vim's cursor_down/cursor_up: as far as the buffer goes, failing only when
                // already on the last (first) line.
                let down = match m {
                    Motion::NextLineStart => n,
                    Motion::PrevLineStart => 0,
                    _ => n - 1,
                };
                let row = if matches!(m, Motion::PrevLineStart) {
                    cur.row.checked_sub(1).ok_or(Fail)?.saturating_sub(n - 1)
                } else {
                    lines_down(cur.row, down, last_row)?
                };
                Moved::new(Pos::new(row, first_nonblank(rope, row)), MKind::Linewise)
            }
            Motion::WordForward(big) => {
                let start = cur;
                let (mut p, ok) = motion::word_forward(rope, start, n, *big, op);
                let mut kind = MKind::Exclusive;
                // Don't leave the cursor on the NUL past a line (Vim's adjust_cursor).
                if p > start && p.col > 0 && p.col >= line_len(rope, p.row) && !visual {
                    p.col -= 1;
                    kind = MKind::Inclusive;
                }
                let mut mv = Moved::new(p, kind);
                if !ok && !op {
                    mv.partial_fail = true;
                }
                mv
            }
            Motion::WordEnd(big) => {
                let (p, ok) = motion::word_end(rope, cur, n, *big, false, false);
                if !ok && !op && p == cur {
                    return Err(Fail);
                }
                let p = clamp_char(rope, p, visual);
                let mut mv = Moved::new(p, MKind::Inclusive);
                mv.partial_fail = !ok;
                mv
            }
            Motion::WordBack(big) => {
                let (p, ok) = motion::word_back(rope, cur, n, *big, false);
                // At the start of the text an operator is cancelled too (Neovim still operates
                // when some words were passed).
                if !ok && (!op || p == cur) {
                    return Err(Fail);
                }
                Moved::new(clamp_char(rope, p, true), MKind::Exclusive)
            }
            Motion::WordEndBack(big) => {
                let (p, ok) = motion::word_end_back(rope, cur, n, *big);
                if !ok && (!op || p == cur) {
                    return Err(Fail);
                }
                Moved::new(clamp_char(rope, p, visual), MKind::Inclusive)
            }
            Motion::LineStart => Moved::new(Pos::new(cur.row, 0), MKind::Exclusive),
            Motion::DisplayLineStart => self.screen_line_start(false),
            Motion::DisplayFirstNonBlank => self.screen_line_start(true),
            Motion::DisplayLineEnd => self.screen_line_end(n)?,
            Motion::FirstNonBlank => Moved::new(Pos::new(cur.row, first_nonblank(rope, cur.row)), MKind::Exclusive),
            Motion::LineEnd => {
                let row = lines_down(cur.row, n - 1, last_row)?;
                let l = line_len(rope, row);
                let col = if visual { l } else { l.saturating_sub(1) };
                let mut mv = Moved::new(Pos::new(row, col), MKind::Inclusive);
                mv.want = Want::End;
                mv
            }
            Motion::LastNonBlank => {
                let row = lines_down(cur.row, n - 1, last_row)?;
                let line = textpos::line_string(rope, row);
                let nb = line.chars().rev().take_while(|c| textpos::is_blank(*c)).count();
                let l = line.chars().count();
                Moved::new(Pos::new(row, l.saturating_sub(nb).saturating_sub(1)), MKind::Inclusive)
            }
            Motion::MiddleOfScreenLine | Motion::MiddleOfLine => {
                let width = if matches!(m, Motion::MiddleOfLine) {
                    let l = line_len(rope, cur.row);
                    self.display_col(cur.row, l) * count.unwrap_or(50).min(100) / 100
                } else {
                    self.win().width / 2
                };
                let col = self.col_for_want(cur.row, width, false);
                Moved::new(Pos::new(cur.row, col), MKind::Exclusive)
            }
            Motion::Column => {
                let want = n - 1;
                let col = self.col_for_want(cur.row, want, false);
                let mut mv = Moved::new(Pos::new(cur.row, col), MKind::Exclusive);
                mv.want = Want::Keep;
                self.win_mut().curswant = want;
                mv
            }
            Motion::FileStart | Motion::FileEnd => {
                let row = match (m, count) {
                    (_, Some(c)) => c.max(1) - 1,
                    (Motion::FileStart, None) => 0,
                    _ => last_row,
                }
                .min(last_row);
                let (col, want) = self.sol_col(row);
                let mut mv = Moved::new(Pos::new(row, col), MKind::Linewise);
                mv.jump = true;
                mv.want = want;
                mv
            }
            Motion::ByteOffset => {
                let off = rope.byte_to_char((n - 1).min(rope.len_bytes()));
                let p = textpos::pos_of(rope, off);
                let mut mv = Moved::new(clamp_char(rope, p, false), MKind::Exclusive);
                mv.jump = true;
                mv
            }
            Motion::Percent => match count {
                Some(c) => {
                    if c > 100 {
                        return Err(Fail);
                    }
                    let total = last_row + 1;
                    let row = ((c * total).div_ceil(100)).max(1) - 1;
                    let row = row.min(last_row);
                    let (col, want) = self.sol_col(row);
                    let mut mv = Moved::new(Pos::new(row, col), MKind::Linewise);
                    mv.jump = true;
                    mv.want = want;
                    mv
                }
                None => {
                    let p = motion::match_pair(rope, cur).ok_or(Fail)?;
                    let mut mv = Moved::new(p, MKind::Inclusive);
                    mv.jump = true;
                    mv.reg_one = true;
                    mv
                }
            },
            Motion::Find(kind, c) => {
                self.vi.last_find = Some((*kind, *c));
                let p = motion::find_in_line(&self.buf().text, cur, *kind, *c, n, false).ok_or(Fail)?;
                Moved::new(p, if kind.forward() { MKind::Inclusive } else { MKind::Exclusive })
            }
            Motion::RepeatFind(rev) => {
                let (kind, c) = self.vi.last_find.ok_or(Fail)?;
                let kind = if *rev { kind.reversed() } else { kind };
                let p = motion::find_in_line(rope, cur, kind, c, n, true).ok_or(Fail)?;
                Moved::new(p, if kind.forward() { MKind::Inclusive } else { MKind::Exclusive })
            }
            Motion::Paragraph(fwd) => {
                let (p, incl) = motion::paragraph(rope, cur, n, *fwd).ok_or(Fail)?;
                let mut mv = Moved::new(p, if incl { MKind::Inclusive } else { MKind::Exclusive });
                mv.jump = true;
                mv.reg_one = true;
                mv
            }
            Motion::Sentence(fwd) => {
                let mut p = motion::sentence_motion(rope, cur, n, *fwd).ok_or(Fail)?;
                // Not on the NUL past a line: back onto its last char, inclusive (adjust_cursor).
                let mut kind = MKind::Exclusive;
                if p.col > 0 && p.col >= line_len(rope, p.row) {
                    p.col = line_len(rope, p.row) - 1;
                    kind = MKind::Inclusive;
                }
                let mut mv = Moved::new(p, kind);
                mv.jump = true;
                mv.reg_one = true;
                mv
            }
            Motion::Unmatched(c) => {
                let (open, fwd) = match c {
                    '(' => (')', false),
                    '{' => ('}', false),
                    ')' => ('(', true),
                    _ => ('{', true),
                };
                // A count goes as far as there are unmatched brackets (fails only on none).
                let mut p = motion::find_unmatched(rope, cur, open, *c, fwd).ok_or(Fail)?;
                for _ in 1..n {
                    match motion::find_unmatched(rope, p, open, *c, fwd) {
                        Some(q) => p = q,
                        None => break,
                    }
                }
                let mut mv = Moved::new(p, MKind::Exclusive);
                mv.jump = true;
                mv
            }
            Motion::Section(fwd, c) => {
                let mut row = cur.row;
                for _ in 0..n {
                    loop {
                        if *fwd {
                            if row >= last_row {
                                break;
                            }
                            row += 1;
                        } else {
                            if row == 0 {
                                break;
                            }
                            row -= 1;
                        }
                        let first = textpos::char_at(rope, Pos::new(row, 0));
                        if first == *c || first == '\u{c}' {
                            break;
                        }
                    }
                }
                let mut mv = Moved::new(Pos::new(row, 0), MKind::Exclusive);
                mv.jump = true;
                mv
            }
            Motion::ScreenTop | Motion::ScreenMiddle | Motion::ScreenBottom => {
                // The view as drawn before the command (a cursor set from outside moves it).
                self.scroll_to_cursor();
                let top = self.win().top_line.min(last_row);
                let height = self.win().height.max(1);
                let bottom = (top + height - 1).min(last_row);
                let row = match m {
                    Motion::ScreenTop => (top + n - 1).min(bottom),
                    Motion::ScreenBottom => bottom.saturating_sub(n - 1).max(top),
                    _ => top + (bottom - top) / 2,
                };
                let (col, want) = self.sol_col(row);
                let mut mv = Moved::new(Pos::new(row, col), MKind::Linewise);
                mv.jump = true;
                mv.want = want;
                mv
            }
            Motion::Star(fwd, whole) => {
                let (word, start) = word_under_cursor(rope, cur).ok_or_else(|| {
                    self.messages.error("E348: No string under cursor");
                    Fail
                })?;
                let escaped = escape_pattern(&word);
                let keyword = word.chars().next().is_some_and(textpos::is_word_char);
                let pat = if *whole && keyword { format!("\\<{escaped}\\>") } else { escaped };
                self.search.last_pattern = Some(pat.clone());
                self.search.direction =
                    if *fwd { crate::search::Direction::Forward } else { crate::search::Direction::Backward };
                self.vi.search_offset = String::new();
                self.search.history.push(pat.clone());
                self.search.highlight = self.opt("hlsearch").as_bool();
                // Both start from the word's start (found under or after the cursor), so that
                // the word itself is skipped.
                let from = Pos::new(cur.row, start);
                let p = self.search_from(&pat, *fwd, from, n, "")?;
                let mut mv = Moved::new(p.0, p.1);
                mv.jump = true;
                mv.reg_one = true;
                mv
            }
            Motion::SearchPrompt(_) | Motion::ExPrompt => return Err(Fail),
            Motion::ExResult(row, col) => {
                let row = (*row).min(last_row);
                Moved::new(Pos::new(row, (*col).min(line_len(rope, row))), MKind::Exclusive)
            }
            Motion::Search { forward, text } => {
                let (pat, offset) = split_search(text, if *forward { '/' } else { '?' });
                let pat = if pat.is_empty() {
                    self.search.last_pattern.clone().ok_or_else(|| {
                        self.messages.error("E35: No previous regular expression");
                        Fail
                    })?
                } else {
                    pat
                };
                self.search.last_pattern = Some(pat.clone());
                self.search.direction =
                    if *forward { crate::search::Direction::Forward } else { crate::search::Direction::Backward };
                self.vi.search_offset = offset.clone();
                self.search.highlight = self.opt("hlsearch").as_bool();
                let p = self.search_from(&pat, *forward, cur, n, &offset)?;
                let mut mv = Moved::new(p.0, p.1);
                mv.jump = true;
                mv.reg_one = true;
                mv
            }
            Motion::SearchNext(rev) => {
                let pat = self.search.last_pattern.clone().ok_or_else(|| {
                    self.messages.error("E35: No previous regular expression");
                    Fail
                })?;
                let fwd = (self.search.direction == crate::search::Direction::Forward) != *rev;
                self.search.highlight = self.opt("hlsearch").as_bool();
                let offset = self.vi.search_offset.clone();
                let p = self.search_from(&pat, fwd, cur, n, &offset)?;
                let mut mv = Moved::new(p.0, p.1);
                mv.jump = true;
                mv.reg_one = true;
                mv
            }
            Motion::Mark(c, exact) | Motion::MarkNoJump(c, exact) => {
                let off = self.mark_offset(*c).ok_or_else(|| {
                    self.messages.error("E20: Mark not set");
                    Fail
                })?;
                let rope = &self.buf().text;
                let p = textpos::pos_of(rope, off);
                let mut mv = if *exact {
                    Moved::new(clamp_char(rope, p, false), MKind::Exclusive)
                } else {
                    Moved::new(Pos::new(p.row, first_nonblank(rope, p.row)), MKind::Linewise)
                };
                mv.jump = matches!(m, Motion::Mark(..));
                // `` ` `` is one of Vim's motions whose deletes go to register 1 even when small.
                mv.reg_one = *exact;
                mv
            }
        };
        if len == 0 && mv.pos.row == cur.row && matches!(m, Motion::LineEnd) {
            mv.pos.col = 0;
        }
        Ok(mv)
    }

    /// The char offset of a mark (`'` and `` ` `` are the previous-context mark).
    pub(crate) fn mark_offset(&self, c: char) -> Option<usize> {
        let c = if c == '`' { '\'' } else { c };
        match c {
            '\'' => Some(self.buf().mark('\'').unwrap_or(0)),
            _ => self.buf().mark(c),
        }
    }

    /// Searches `count` times from `from`; returns the target and its kind (search offsets may make
    /// it linewise or inclusive).
    pub(crate) fn search_from(
        &mut self,
        pat: &str,
        forward: bool,
        from: Pos,
        count: usize,
        offset: &str,
    ) -> Result<(Pos, MKind), Fail> {
        let _ = self.registers.set(
            '/',
            crate::registers::Register { lines: vec![pat.to_string()], kind: crate::registers::RegisterKind::Charwise },
        );
        let compiled = match self.compile_pattern(pat) {
            Ok(c) => c,
            Err(e) => {
                self.messages.error(e.to_string());
                return Err(Fail);
            }
        };
        let wrapscan = self.opt("wrapscan").as_bool();
        let rope = self.buf().text.clone();
        let (kind_off, num) = parse_offset(offset);
        // With an end offset the search starts after the current match end (Vim searches from the
        // cursor adjusted back by the offset).
        let mut at = textpos::offset(&rope, from);
        if (kind_off == 'e' && forward) || ((kind_off == 's' || kind_off == 'b') && num != 0) {
            at = (at as i64 - num).max(0) as usize;
        }
        let mut found = None;
        let mut wrapped_any = false;
        let mut count = count;
        if kind_off == 'e' && forward {
            // Vim's SEARCH_END: a match on the cursor line that started before the cursor counts
            // when its last char is after it (`/out<CR>//e<CR>` stays on the same match).
            let mut from = rope.line_to_char(rope.char_to_line(at.min(rope.len_chars())));
            while let Some(r) = rtdvi_core::search::find_first(&rope, &compiled, from) {
                if r.start > at {
                    break;
                }
                if r.end.saturating_sub(1) > at {
                    at = r.end.saturating_sub(1);
                    found = Some(r);
                    count -= 1;
                    break;
                }
                from = r.end.max(r.start + 1);
            }
        }
        for _ in 0..count {
            let r = if forward {
                rtdvi_core::search::search_forward(&rope, &compiled, at, wrapscan)
            } else {
                rtdvi_core::search::search_backward(&rope, &compiled, at, wrapscan)
            };
            match r {
                rtdvi_core::search::SearchResult::Found { range, wrapped } => {
                    wrapped_any |= wrapped;
                    at = if kind_off == 'e' && forward { range.end.saturating_sub(1) } else { range.start };
                    found = Some(range);
                }
                other => {
                    if let Some(msg) = other.error_message(pat) {
                        self.messages.error(msg);
                    }
                    return Err(Fail);
                }
            }
        }
        let Some(range) = found else { return Err(Fail) };
        if wrapped_any && !self.opt("shortmess").as_str().contains('s') {
            self.messages.warning(if forward {
                rtdvi_core::search::WRAPPED_FORWARD
            } else {
                rtdvi_core::search::WRAPPED_BACKWARD
            });
        }
        let total = rope.len_chars();
        let res = match kind_off {
            'e' => {
                let end = (range.end.max(range.start + 1) as i64 - 1 + num).clamp(0, total as i64) as usize;
                // An offset may count the line break: landing on it means the next line's start.
                let mut p = textpos::pos_of(&rope, end);
                if p.col >= line_len(&rope, p.row) && p.col > 0 && p.row + 1 < line_count(&rope) && num > 0 {
                    p = Pos::new(p.row + 1, 0);
                }
                (p, MKind::Inclusive)
            }
            's' | 'b' => {
                let s = (range.start as i64 + num).clamp(0, total as i64) as usize;
                (textpos::pos_of(&rope, s), if num > 0 { MKind::Inclusive } else { MKind::Exclusive })
            }
            'l' => {
                // A line offset lands in column 0 ("in column 1", says Vim's help).
                let p = textpos::pos_of(&rope, range.start);
                let row = (p.row as i64 + num).clamp(0, line_count(&rope) as i64 - 1) as usize;
                (Pos::new(row, 0), MKind::Linewise)
            }
            _ => (textpos::pos_of(&rope, range.start), MKind::Exclusive),
        };
        Ok(res)
    }

    /// Runs a parsed command.
    pub(crate) fn run_command(&mut self, cmd: Command) -> Result<(), Fail> {
        let r = self.run_command_action(cmd);
        self.vi.undo_cursor = None;
        r
    }

    fn run_command_action(&mut self, cmd: Command) -> Result<(), Fail> {
        match cmd.action.clone() {
            Action::Motion(m) => self.do_motion(&m, cmd.count),
            Action::Operator { op, force, target } => self.do_operator(&cmd, op, force, &target),
            Action::VisualOperator(op, linewise) => self.visual_operator(&cmd, op, linewise),
            Action::VisualObject(obj) => self.visual_object(obj, cmd.count),
            Action::Simple(s) => self.do_simple(&cmd, s),
        }
    }

    /// A motion without operator: move the cursor (in visual mode this extends the selection).
    fn do_motion(&mut self, m: &Motion, count: Option<usize>) -> Result<(), Fail> {
        if let Motion::SearchPrompt(fwd) = m {
            self.vi.search_count = count;
            self.open_cmdline(if *fwd { '/' } else { '?' }, String::new(), super::CmdPurpose::Search(None));
            return Ok(());
        }
        let mv = self.eval_motion(m, count, false)?;
        let prev_context = self.mark_offset('\'');
        if mv.jump {
            self.set_jump();
        }
        if self.vi.visual.is_some() {
            self.place(mv.pos, mv.want);
        } else {
            self.place_normal(mv.pos, mv.want);
        }
        // Vim's checkpcmark: a jump that left the cursor where it was keeps the previous context.
        if mv.jump && self.buf().mark('\'') == Some(self.cursor_char()) {
            if let Some(off) = prev_context {
                self.buf_mut().set_mark('\'', off);
            }
        }
        if mv.partial_fail || mv.moved_then_failed {
            return Err(Fail);
        }
        Ok(())
    }

    /// Records the cursor position for `''` and `<C-o>`.
    pub(crate) fn set_jump(&mut self) {
        self.push_jump();
        let pos = self.vpos();
        let buf = self.buf_id();
        let j = &mut self.vi.jumps;
        j.list.truncate(j.list.len().min(j.index.max(j.list.len())));
        j.list.retain(|(b, p)| !(*b == buf && p.row == pos.row));
        j.list.push((buf, pos));
        if j.list.len() > 100 {
            j.list.remove(0);
        }
        j.index = j.list.len();
    }

    fn do_simple(&mut self, cmd: &Command, s: Simple) -> Result<(), Fail> {
        let n = cmd.count.unwrap_or(1).max(1);
        match s {
            Simple::Insert(c) => self.start_insert_command(c, cmd),
            Simple::Replace => {
                self.begin_insert(super::InsertKind::Replace, cmd, None);
                Ok(())
            }
            Simple::VirtualReplace => {
                self.begin_insert(super::InsertKind::VirtualReplace, cmd, None);
                Ok(())
            }
            Simple::Visual(c) => {
                let kind = VisualKind::from_char(c);
                self.start_visual(kind, cmd.count);
                Ok(())
            }
            Simple::Reselect => self.reselect_visual(),
            Simple::SelectMatch(forward) => {
                let (start, end) = self.search_match(forward, self.vpos())?;
                self.vi.visual = Some(super::VisualState { anchor: start, kind: super::VisualKind::Char });
                self.place(end, Want::Set);
                self.report_mode();
                Ok(())
            }
            Simple::Undo => self.vi_undo(n, true),
            Simple::Redo => self.vi_undo(n, false),
            Simple::UndoLine => self.undo_line(),
            Simple::UndoTime(earlier) => self.time_travel(&n.to_string(), earlier).map_err(|e| {
                self.messages.error(e.to_string());
                Fail
            }),
            Simple::Repeat => self.repeat_last(cmd.count, cmd.register),
            Simple::Put { after, move_after, indent } => {
                let reg = cmd.register.unwrap_or('"');
                self.put(reg, after, n, move_after, indent)?;
                self.record_dot(cmd);
                Ok(())
            }
            Simple::ReplaceChar(c) => {
                let literal = cmd.keys.iter().any(|k| k.is_ctrl('v'));
                if c == '\t' && !literal && (self.buf().opt_bool("expandtab") || self.opt("smarttab").as_bool()) {
                    // Vim replaces with a <Tab> through Replace mode then ('expandtab' and
                    // 'smarttab' apply): `{count}R<Tab><Esc>`.
                    let mut keys: Vec<Key> = n.to_string().chars().map(Key::char).collect();
                    keys.extend([
                        Key::char('R'),
                        Key::plain(crate::keys::KeyCode::Tab),
                        Key::plain(crate::keys::KeyCode::Esc),
                    ]);
                    for k in keys.iter().rev() {
                        self.vi.typeahead.push_front(super::TKey {
                            key: *k,
                            remap: false,
                            typed: false,
                            stuffed: true,
                        });
                    }
                    return Ok(());
                }
                self.replace_chars(c, n)?;
                // The replacement is the last inserted text (`".`), control chars behind a <C-v>.
                let key = Key::char(c);
                let ctrl = c < ' ' || c == '\x7f';
                self.vi.last_insert_text = if ctrl { vec![Key::ctrl('v'), key] } else { vec![key] };
                let text = if ctrl { format!("\x16{c}") } else { c.to_string() };
                let _ = self.registers.set(
                    '.',
                    crate::registers::Register { lines: vec![text], kind: crate::registers::RegisterKind::Charwise },
                );
                self.record_dot(cmd);
                Ok(())
            }
            Simple::Tilde => {
                if self.opt("tildeop").as_bool() {
                    return Err(Fail);
                }
                self.tilde(n)?;
                self.record_dot(cmd);
                Ok(())
            }
            Simple::JoinLines(spaces) => {
                let row = self.vpos().row;
                let last = line_count(&self.buf().text);
                let count = n.max(2);
                if row + 1 >= last {
                    // Vim joins what is left: with a count above 2 on the last line that is the
                    // line alone, which only puts the cursor on its first char.
                    if count <= 2 {
                        return Err(Fail);
                    }
                    self.place_normal(Pos::new(row, 0), Want::Set);
                    self.record_dot(cmd);
                    return Ok(());
                }
                let end = (row + count).min(last);
                self.join_rows(row, end, spaces)?;
                // `.` repeats the count Vim clamped to the lines there were.
                let mut rec = cmd.clone();
                if rec.count.is_some() {
                    rec.count = Some(end - row);
                }
                self.record_dot(&rec);
                Ok(())
            }
            Simple::Increment(delta, progressive) if self.vi.visual.is_some() => {
                self.visual_increment(delta * n as i64, progressive)?;
                self.record_dot(cmd);
                Ok(())
            }
            Simple::Increment(delta, _) => {
                self.increment(delta * n as i64)?;
                self.record_dot(cmd);
                Ok(())
            }
            Simple::Record(r) => {
                if self.vi.recording.is_some() {
                    self.stop_recording();
                    return Ok(());
                }
                if !(r.is_ascii_alphanumeric() || r == '"') {
                    return Err(Fail);
                }
                self.vi.recording = Some((r, Vec::new()));
                Ok(())
            }
            Simple::StopRecord => {
                self.stop_recording();
                Ok(())
            }
            Simple::Execute(r) => self.execute_register(r, n),
            Simple::SetMark(c) => {
                let pos = self.cursor_char();
                match c {
                    'a'..='z' | 'A'..='Z' | '\'' | '`' | '[' | ']' | '<' | '>' => {
                        let c = if c == '`' { '\'' } else { c };
                        if c == '\'' {
                            self.set_jump();
                        } else {
                            self.buf_mut().set_mark(c, pos);
                        }
                        Ok(())
                    }
                    _ => Err(Fail),
                }
            }
            Simple::Cmdline if self.vi.visual.is_some() => {
                // Vim runs `:` from visual mode as an operator: the cursor first goes to the start of
                // the selection (column 0 for `V`, the left edge for a block).
                let start = self.visual_start();
                self.end_visual();
                if let Some(p) = start {
                    self.place_normal(p, Want::Set);
                }
                self.open_cmdline(':', "'<,'>".to_string(), super::CmdPurpose::Ex);
                Ok(())
            }
            Simple::Cmdline => {
                let init = match cmd.count {
                    Some(1) => ".".to_string(),
                    Some(c) => format!(".,.+{}", c - 1),
                    None => String::new(),
                };
                self.open_cmdline(':', init, super::CmdPurpose::Ex);
                Ok(())
            }
            Simple::RepeatSubstitute | Simple::RepeatSubstituteAll => {
                let line = if matches!(s, Simple::RepeatSubstitute) { "s" } else { "%s//~/&" };
                if let Err(e) = self.execute_ex(line) {
                    self.messages.error(e.to_string());
                    return Err(Fail);
                }
                self.record_dot(cmd);
                Ok(())
            }
            Simple::Scroll(c) => self.scroll(c, cmd.count),
            Simple::Z(k) => self.z_command(k, cmd.count),
            Simple::Jump(older) => self.jump_list(older, n),
            Simple::ChangeJump(older) => self.change_jump(older, n),
            Simple::Quit(c) => {
                let line = if c == 'Z' { "x" } else { "q!" };
                if let Err(e) = self.execute_ex(line) {
                    self.messages.error(e.to_string());
                    return Err(Fail);
                }
                Ok(())
            }
            Simple::Info => {
                let _ = self.execute_ex("file");
                Ok(())
            }
            Simple::Alternate => {
                if let Err(e) = self.execute_ex("buffer #") {
                    self.messages.error(e.to_string());
                    return Err(Fail);
                }
                Ok(())
            }
            Simple::Nop => {
                if self.vi.visual.is_some() {
                    self.end_visual();
                }
                Ok(())
            }
            Simple::VisualOther | Simple::VisualOtherCorner => {
                self.visual_swap(matches!(s, Simple::VisualOtherCorner));
                Ok(())
            }
            Simple::VisualInsert(c) => self.visual_insert(c, cmd),
            Simple::VisualReplace(c) => self.visual_replace(c, cmd),
            Simple::VisualPut(after) => self.visual_put(cmd, after),
            Simple::Window(k) => self.window_command(k, cmd.count),
            Simple::TabPage(forward) => {
                match (forward, cmd.count) {
                    // `{N}gt` goes to tab page N; `{N}gT` goes N back.
                    (true, Some(k)) => self.goto_tab(k.saturating_sub(1)),
                    (true, None) => self.cycle_tab(1),
                    (false, _) => self.cycle_tab(-(n as isize)),
                }
                Ok(())
            }
            Simple::Keyword | Simple::Unsupported => Err(Fail),
        }
    }

    /// `u` / `<C-r>` with Vim's cursor rule.
    /// `U`: puts back the line as it was before the latest changes on it; itself a change, so `u`
    /// undoes it and another `U` swaps back.
    fn undo_line(&mut self) -> Result<(), Fail> {
        let Some(lu) = self.buf_mut().line_undo.take() else { return Err(Fail) };
        if lu.row >= line_count(&self.buf().text) {
            return Err(Fail);
        }
        let cur = self.vpos();
        let id = self.buf_id();
        let now = self.buf().line(lu.row);
        let cs = self.buf().lines_change(lu.row, lu.row + 1, std::slice::from_ref(&lu.text)).map_err(|_| Fail)?;
        self.apply_change(id, cs).map_err(|_| Fail)?;
        // The line as it was before this `U`, for the next one.
        let col = if cur.row == lu.row { cur.col } else { lu.col };
        self.buf_mut().line_undo = Some(crate::buffer::LineUndo { row: lu.row, text: now, col });
        self.vi.changed = true;
        self.place_normal(Pos::new(lu.row, lu.col), Want::Set);
        Ok(())
    }

    pub(crate) fn vi_undo(&mut self, count: usize, undo: bool) -> Result<(), Fail> {
        // An undo step is still open when `u` or `<C-r>` come from a script or a mapping (typed keys
        // close it before they run). Vim's `u` then closes it and undoes just it, whatever the
        // count; `<C-r>` leaves it open and has nothing to redo, since a change cut the redo branch.
        let mut count = count;
        if undo {
            if self.buf_mut().commit_undo() {
                count = 1;
            }
        } else if self.buf().has_open_undo_step() {
            self.messages.info("Already at newest change");
            return Err(Fail);
        }
        let mut target = None;
        for _ in 0..count {
            let step = if undo { self.buf_mut().undo.undo() } else { self.buf_mut().undo.redo() };
            let Some(step) = step else {
                if target.is_none() {
                    self.messages.info(if undo { "Already at oldest change" } else { "Already at newest change" });
                }
                break;
            };
            if self.buf_mut().apply_undo_steps(vec![step.clone()]).is_err() {
                return Err(Fail);
            }
            target = Some(step.vim_cursor(&self.buf().text));
        }
        let id = self.buf_id();
        self.clamp_cursors(id);
        match target {
            Some(rtdvi_core::undo::CursorTarget::Saved { row, col }) => {
                self.place_normal(Pos::new(row, col), Want::Set);
            }
            Some(rtdvi_core::undo::CursorTarget::ChangedLine { row }) => {
                let (col, want) = self.sol_col(row);
                let col = if self.opt("startofline").as_bool() { col } else { col.min(self.cursor().col) };
                self.place_normal(Pos::new(row, col), want);
            }
            None => return Err(Fail),
        }
        Ok(())
    }

    /// Scrolling commands (`<C-e> <C-y> <C-d> <C-u> <C-f> <C-b>`).
    fn scroll(&mut self, c: char, count: Option<usize>) -> Result<(), Fail> {
        self.scroll_to_cursor();
        let last = line_count(&self.buf().text).saturating_sub(1);
        let height = self.win().height.max(1);
        let cur = self.vpos();
        let top = self.win().top_line;
        match c {
            'e' | 'y' => {
                let n = count.unwrap_or(1);
                let new_top = if c == 'e' { (top + n).min(last) } else { top.saturating_sub(n) };
                self.win_mut().top_line = new_top;
                let row = cur.row.clamp(new_top, (new_top + height - 1).min(last));
                if row != cur.row {
                    let col = self.col_for_want(row, self.win().curswant, false);
                    self.place(Pos::new(row, col), Want::Keep);
                }
                Ok(())
            }
            'd' | 'u' => {
                if (c == 'd' && cur.row >= last) || (c == 'u' && cur.row == 0) {
                    return Err(Fail);
                }
                let amount = match count {
                    Some(n) => {
                        self.vi.scroll_amount = n;
                        n
                    }
                    None if self.vi.scroll_amount > 0 => self.vi.scroll_amount,
                    None => (height / 2).max(1),
                };
                let (row, new_top) = if c == 'd' {
                    ((cur.row + amount).min(last), (top + amount).min(last.saturating_sub(height - 1).max(top)))
                } else {
                    (cur.row.saturating_sub(amount), top.saturating_sub(amount))
                };
                self.win_mut().top_line = new_top;
                let (col, want) = self.sol_col(row);
                self.place_normal(Pos::new(row, col), want);
                Ok(())
            }
            _ => {
                let n = count.unwrap_or(1);
                let page = height.saturating_sub(2).max(1);
                if c == 'f' {
                    if top >= last {
                        return Err(Fail);
                    }
                    let new_top = (top + page * n).min(last);
                    self.win_mut().top_line = new_top;
                    let row = cur.row.max(new_top);
                    let (col, want) = self.sol_col(row);
                    self.place_normal(Pos::new(row, col), want);
                } else {
                    if top == 0 {
                        return Err(Fail);
                    }
                    let new_top = top.saturating_sub(page * n);
                    self.win_mut().top_line = new_top;
                    let row = cur.row.min(new_top + height - 1);
                    let (col, want) = self.sol_col(row);
                    self.place_normal(Pos::new(row, col), want);
                }
                Ok(())
            }
        }
    }

    /// `z` commands that position the view (`zt zz zb z<CR> z. z-`); others are accepted and ignored.
    fn z_command(&mut self, k: Key, count: Option<usize>) -> Result<(), Fail> {
        if let Some(n) = count {
            let last = line_count(&self.buf().text).saturating_sub(1);
            let row = (n.max(1) - 1).min(last);
            let col = self.vpos().col;
            self.place_normal(Pos::new(row, col), Want::Keep);
        }
        let row = self.vpos().row;
        let height = self.win().height.max(1);
        let to_first = matches!(k.code, crate::keys::KeyCode::Enter) || matches!(k.as_char(), Some('.') | Some('-'));
        let top = match k.code {
            crate::keys::KeyCode::Enter => row,
            crate::keys::KeyCode::Char('t') => row,
            crate::keys::KeyCode::Char('z') | crate::keys::KeyCode::Char('.') => row.saturating_sub(height / 2),
            crate::keys::KeyCode::Char('b') | crate::keys::KeyCode::Char('-') => row.saturating_sub(height - 1),
            _ => return Ok(()),
        };
        self.win_mut().top_line = top;
        if to_first {
            let col = first_nonblank(&self.buf().text, row);
            self.place(Pos::new(row, col), Want::Set);
        }
        Ok(())
    }

    /// `<C-o>` and `<Tab>`.
    fn jump_list(&mut self, older: bool, n: usize) -> Result<(), Fail> {
        let buf = self.buf_id();
        let pos = self.vpos();
        let j = &mut self.vi.jumps;
        if older && j.index == j.list.len() {
            // Jumping back from the newest position remembers it so `<Tab>` can return.
            j.list.retain(|(b, p)| !(*b == buf && p.row == pos.row));
            j.list.push((buf, pos));
            j.index = j.list.len() - 1;
        }
        let target = if older { j.index.checked_sub(n) } else { Some(j.index + n) };
        let Some(t) = target.filter(|t| *t < j.list.len()) else { return Err(Fail) };
        j.index = t;
        let (b, p) = j.list[t];
        if b != self.buf_id() {
            self.switch_to_buffer(b);
        }
        self.push_jump();
        self.place_normal(p, Want::Set);
        Ok(())
    }

    /// `g;` and `g,`.
    fn change_jump(&mut self, older: bool, n: usize) -> Result<(), Fail> {
        let buf = self.buf_id();
        let list: Vec<Pos> = self.vi.changes.iter().filter(|(b, _)| *b == buf).map(|(_, p)| *p).collect();
        if list.is_empty() {
            self.messages.error("E664: Changelist is empty");
            return Err(Fail);
        }
        let idx = self.vi.change_index.min(list.len());
        let t = if older { idx.checked_sub(n) } else { Some(idx + n) };
        let Some(t) = t.filter(|t| *t < list.len()) else {
            self.messages.error(if older { "E662: At start of changelist" } else { "E663: At end of changelist" });
            return Err(Fail);
        };
        self.vi.change_index = t;
        self.place_normal(list[t], Want::Set);
        Ok(())
    }

    /// `<C-w>` commands ([`Editor::wincmd`]): arrows and `<C-x>` forms count as their letter.
    fn window_command(&mut self, k: Key, count: Option<usize>) -> Result<(), Fail> {
        let ch = match k.code {
            crate::keys::KeyCode::Left => Some('h'),
            crate::keys::KeyCode::Down => Some('j'),
            crate::keys::KeyCode::Up => Some('k'),
            crate::keys::KeyCode::Right => Some('l'),
            _ => k.as_char().or_else(|| if k.mods == crate::keys::Mods::CTRL { k.to_text_char() } else { None }),
        };
        let Some(ch) = ch else { return Err(Fail) };
        if let Err(e) = self.wincmd(ch, count) {
            self.messages.error(e.to_string());
            return Err(Fail);
        }
        Ok(())
    }

    /// Starts `i a I A gI gi o O`.
    fn start_insert_command(&mut self, c: char, cmd: &Command) -> Result<(), Fail> {
        let rope = &self.buf().text;
        let p = self.vpos();
        let len = line_len(rope, p.row);
        match c {
            'i' => {}
            'a' if len > 0 => self.place(Pos::new(p.row, p.col + 1), Want::Set),
            'I' => {
                let col = first_nonblank(rope, p.row);
                self.place(Pos::new(p.row, col), Want::Set);
            }
            'G' => self.place(Pos::new(p.row, 0), Want::Set),
            'A' => self.place(Pos::new(p.row, len), Want::End),
            'g' => {
                if let Some(off) = self.buf().mark('^') {
                    let q = textpos::pos_of(&self.buf().text, off);
                    self.place(q, Want::Set);
                }
            }
            'o' | 'O' => {
                self.open_line(c == 'o')?;
            }
            _ => {}
        }
        self.begin_insert(super::InsertKind::Insert, cmd, Some(c));
        if matches!(c, 'o' | 'O') {
            let p = self.vpos();
            // An indent (or comment leader) from the indent provider is automatic too.
            if self.buf().opt_bool("autoindent") || p.col > 0 {
                if let Some(i) = &mut self.vi.insert {
                    i.ai_row = Some(p.row);
                }
            }
        }
        Ok(())
    }
}

/// Keeps a position on a character (not the NUL past the end) unless `past_end` is allowed.
pub(crate) fn clamp_char(rope: &ropey::Rope, p: Pos, past_end: bool) -> Pos {
    let row = p.row.min(line_count(rope).saturating_sub(1));
    let len = line_len(rope, row);
    let col = if past_end { p.col.min(len) } else { p.col.min(len.saturating_sub(1)) };
    Pos::new(row, col)
}

/// The keyword under or after the cursor for `*` (a non-keyword run if there is no keyword);
/// returns the word and its start column.
pub(crate) fn word_under_cursor(rope: &ropey::Rope, p: Pos) -> Option<(String, usize)> {
    let line: Vec<char> = textpos::line_string(rope, p.row).chars().collect();
    let find = |pred: &dyn Fn(char) -> bool| -> Option<(String, usize)> {
        // The word under the cursor, else the first one after it.
        let mut i = p.col.min(line.len());
        if i < line.len() && pred(line[i]) {
            while i > 0 && pred(line[i - 1]) {
                i -= 1;
            }
        } else {
            while i < line.len() && !pred(line[i]) {
                i += 1;
            }
            if i >= line.len() {
                return None;
            }
        }
        let mut e = i;
        while e < line.len() && pred(line[e]) {
            e += 1;
        }
        Some((line[i..e].iter().collect(), i))
    };
    find(&|c| textpos::is_word_char(c)).or_else(|| find(&|c| !textpos::is_blank(c)))
}

/// Escapes a literal string for a Vim pattern (what `*` searches for).
pub(crate) fn escape_pattern(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\/.*$^~[]".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Splits `pat/offset` typed after `/` (a `\/` stays in the pattern).
pub(crate) fn split_search(text: &str, delim: char) -> (String, String) {
    let mut pat = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                // Vim keeps `\/` in a `/` pattern (it matches a `/`) and turns `\?` into `?`.
                if n != delim || delim == '/' {
                    pat.push('\\');
                }
                pat.push(n);
            } else {
                pat.push('\\');
            }
            continue;
        }
        if c == delim {
            return (pat, chars.collect());
        }
        pat.push(c);
    }
    (pat, String::new())
}

/// Parses a search offset: (`e`, `s`/`b`, or `l` for a line offset, and the number).
/// No offset at all is `('n', 0)`: unlike a line offset of 0 (`/pat/0`), it keeps the motion
/// charwise.
fn parse_offset(off: &str) -> (char, i64) {
    let off = off.trim();
    if off.is_empty() {
        return ('n', 0);
    }
    let (kind, rest) = match off.chars().next() {
        Some(c @ ('e' | 's' | 'b')) => (c, &off[1..]),
        _ => ('l', off),
    };
    let num = match rest {
        "" => 0,
        "+" => 1,
        "-" => -1,
        r => r.parse::<i64>().unwrap_or(0),
    };
    (kind, num)
}

/// The row `n` lines below `row` as Vim's `cursor_down`: clamped to the last line, failing only
/// when a move is asked for from the last line.
fn lines_down(row: usize, n: usize, last_row: usize) -> Result<usize, Fail> {
    if n > 0 && row >= last_row {
        return Err(Fail);
    }
    Ok((row + n).min(last_row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_text_splits() {
        assert_eq!(split_search("foo/e+1", '/'), ("foo".into(), "e+1".into()));
        assert_eq!(split_search("a\\/b", '/'), ("a\\/b".into(), "".into()));
        assert_eq!(split_search("a\\?b?e", '?'), ("a?b".into(), "e".into()));
        assert_eq!(split_search("a\\.b", '/'), ("a\\.b".into(), "".into()));
        assert_eq!(parse_offset("e+1"), ('e', 1));
        assert_eq!(parse_offset("+2"), ('l', 2));
        assert_eq!(parse_offset("s-1"), ('s', -1));
        assert_eq!(parse_offset("b"), ('b', 0));
        assert_eq!(parse_offset("0"), ('l', 0));
        assert_eq!(parse_offset(""), ('n', 0));
    }

    #[test]
    fn star_word() {
        let r = ropey::Rope::from_str("  foo.bar baz");
        assert_eq!(word_under_cursor(&r, Pos::new(0, 0)), Some(("foo".into(), 2)));
        assert_eq!(word_under_cursor(&r, Pos::new(0, 7)), Some(("bar".into(), 6)));
        assert_eq!(escape_pattern("a.b*"), "a\\.b\\*");
    }

    #[test]
    fn find_kind_reverse() {
        use crate::vi::motion::FindKind;
        assert_eq!(FindKind::T.reversed(), FindKind::BackT);
    }
}
