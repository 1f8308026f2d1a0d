//! Operators over ranges (charwise, linewise, blockwise), the registers they fill, and the other
//! text-changing normal commands: put, `r`, `~`, `J`, `<C-a>`, `o`.

use rtdvi_core::changeset::{ChangeSet, Edit};

use super::command::{Action, Command, Force, Motion, Op, Target};
use super::normal::{MKind, Want};
use super::textpos::{self, first_nonblank, line_count, line_len, line_string, Pos};
use super::Fail;
use crate::editor::Editor;
use crate::events::Event;
use crate::keys::{Key, KeyCode};
use crate::registers::{Register, RegisterKind};

/// The shape of an operator's range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeKind {
    /// Characters from start up to (not including) end.
    Char,
    /// Whole lines from start.row to end.row.
    Line,
    /// A block of display columns `left..=right` on rows start.row..=end.row (`to_eol`: `$`).
    Block {
        /// First display column.
        left: usize,
        /// Last display column (inclusive).
        right: usize,
        /// Every line to its end.
        to_eol: bool,
    },
}

/// A range an operator works on. For [`RangeKind::Char`] `end` is exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpRange {
    /// First position.
    pub start: Pos,
    /// End position (exclusive for charwise ranges).
    pub end: Pos,
    /// The shape.
    pub kind: RangeKind,
    /// A delete goes to register 1 even when small.
    pub reg_one: bool,
    /// The range came from a visual selection.
    pub visual: bool,
    /// Charwise range that was inclusive when typed (for `c` at line ends and yank cursor rules).
    pub forced: bool,
    /// An exclusive motion's end was moved back from column 0 of the next line (Vim's
    /// `end_adjusted`): `gq` then leaves the cursor on that next line, so `.` goes on from there.
    pub end_adjusted: bool,
}

impl Editor {
    /// Applies a change replacing chars `start..end` by `text` in the current buffer.
    pub(crate) fn edit(&mut self, start: usize, end: usize, text: &str) -> Result<(), Fail> {
        self.edits(vec![Edit { start, end, text: text.to_string() }])
    }

    /// Applies several sorted, non-overlapping edits as one change.
    pub(crate) fn edits(&mut self, edits: Vec<Edit>) -> Result<(), Fail> {
        let id = self.buf_id();
        let len = self.buf().text.len_chars();
        let cs = ChangeSet::from_edits(len, edits).map_err(|_| Fail)?;
        match self.apply_change(id, cs) {
            Ok(()) => {
                self.vi.changed = true;
                Ok(())
            }
            Err(e) => {
                self.messages.error(e.to_string());
                Err(Fail)
            }
        }
    }

    /// `{op}{motion}` / `{op}{object}` / doubled operators in normal mode.
    pub(crate) fn do_operator(
        &mut self,
        cmd: &Command,
        op: Op,
        force: Option<Force>,
        target: &Target,
    ) -> Result<(), Fail> {
        let cur = self.vpos();
        let rope_lines = line_count(&self.buf().text);
        let n = cmd.count.unwrap_or(1).max(1);
        let range = match target {
            Target::Lines => {
                let last = cur.row + n - 1;
                if last >= rope_lines && n > 1 && cur.row + 1 >= rope_lines {
                    return Err(Fail);
                }
                let last = last.min(rope_lines - 1);
                // Vim moves the cursor to the last line's first non-blank (`beginline`) before
                // the operator runs; the range starts at whichever comes first.
                let end_pos = Pos::new(last, first_nonblank(&self.buf().text, last));
                let start = if end_pos < cur { end_pos } else { cur };
                let mut r = OpRange {
                    start,
                    end: Pos::new(last, 0),
                    kind: RangeKind::Line,
                    reg_one: false,
                    visual: false,
                    forced: false,
                    end_adjusted: false,
                };
                match force {
                    Some(Force::Char) => {
                        r.kind = RangeKind::Char;
                        r.end = Pos::new(last, line_len(&self.buf().text, last));
                    }
                    Some(Force::Block) => {
                        let v = self.display_col(cur.row, cur.col);
                        r.kind = RangeKind::Block { left: v, right: v, to_eol: false };
                    }
                    _ => {}
                }
                r
            }
            Target::Motion(Motion::ExPrompt) => {
                let init = match cmd.count {
                    Some(1) => ".".to_string(),
                    Some(c) => format!(".,.+{}", c - 1),
                    None => String::new(),
                };
                self.open_cmdline(':', init, super::CmdPurpose::ExMotion(cmd.clone()));
                return Ok(());
            }
            Target::Motion(Motion::SearchPrompt(fwd)) => {
                let pending = cmd.clone();
                self.open_cmdline(
                    if *fwd { '/' } else { '?' },
                    String::new(),
                    super::CmdPurpose::Search(Some(pending)),
                );
                return Ok(());
            }
            Target::Motion(m) => {
                if op == Op::Filter {
                    return self.filter_prompt(cmd, m);
                }
                // `cw` on a non-blank is `ce` (and only the rest of the word on its last char), as in Vi.
                if let (Op::Change, Motion::WordForward(big)) = (op, m) {
                    let c = textpos::char_at(&self.buf().text, cur);
                    if c != '\0' && !textpos::is_blank(c) {
                        let (p, _) = super::motion::word_end(&self.buf().text, cur, n, *big, true, false);
                        let p = super::normal::clamp_char(&self.buf().text, p, false);
                        let r = self.motion_range(cur, p, MKind::Inclusive, force, false, false, op);
                        return self.apply_operator(cmd, op, r);
                    }
                }
                self.vi.motion_op = Some(op);
                let mv = self.eval_motion(m, cmd.count, true);
                self.vi.motion_op = None;
                let mut mv = mv?;
                if mv.moved_then_failed {
                    self.place_normal(mv.pos, mv.want);
                    return Err(Fail);
                }
                if mv.no_adjust && matches!(m, Motion::Left { .. }) && !matches!(op, Op::Delete | Op::Change) {
                    // Only `d`/`c` take the line break with `<BS>`; other operators stop on the
                    // previous line's last char and get the usual column-0 adjustment (Vim).
                    let len = line_len(&self.buf().text, mv.pos.row);
                    mv.pos.col = len.saturating_sub(1);
                    mv.no_adjust = false;
                }
                if mv.jump {
                    self.set_jump();
                }
                // The motion sets the wanted column as it would without the operator; linewise
                // operators put the cursor there afterwards ('nostartofline').
                match mv.want {
                    // `g_` sets it to the line end (its lazy update comes after the operator).
                    Want::Set if matches!(m, Motion::LastNonBlank) => self.win_mut().curswant = usize::MAX,
                    Want::Set => {
                        // Vim updates it lazily: it is still the column the command started in.
                        let v = self.display_col(cur.row, cur.col);
                        self.win_mut().curswant = v;
                    }
                    Want::End => self.win_mut().curswant = usize::MAX,
                    Want::Column(c) => self.win_mut().curswant = c,
                    Want::Keep => {}
                }
                self.motion_range(cur, mv.pos, mv.kind, force, mv.reg_one, mv.no_adjust, op)
            }
            Target::Object(obj) => {
                let (s, e, kind, empty) = self.text_object(*obj, cmd.count, cur, None)?;
                let mk = match kind {
                    RangeKind::Line => MKind::Linewise,
                    _ => MKind::Inclusive,
                };
                if empty {
                    // An empty object (`ci(` on "()"): exclusive, nothing inside.
                    let mut r = self.motion_range(s, e, MKind::Exclusive, force, false, true, op);
                    r.start = s;
                    if op == Op::Change || op == Op::Delete || op == Op::Yank {
                        return self.apply_operator(cmd, op, r);
                    }
                    return Ok(());
                }
                let mut r = self.motion_range(s, e, mk, force, false, obj.kind == 't', op);
                if kind == RangeKind::Line && force.is_none() {
                    r.kind = RangeKind::Line;
                    // An inner block whose closing bracket starts its line ends, in Vim, at column
                    // 0 of that line and is adjusted back like an exclusive motion.
                    r.end_adjusted = !obj.around && "()b{}B[]<>".contains(obj.kind);
                    if op == Op::Yank {
                        // `yap` leaves the cursor at the start of the object, column included.
                        self.apply_operator(cmd, op, r)?;
                        self.place_normal(r.start, Want::Set);
                        return Ok(());
                    }
                }
                r
            }
        };
        self.apply_operator(cmd, op, range)
    }

    /// Turns a motion from `from` to `to` into an operator range with Vim's rules: ordering, `o_v`
    /// forcing, and the exclusive-at-column-0 adjustment.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn motion_range(
        &self,
        from: Pos,
        to: Pos,
        kind: MKind,
        force: Option<Force>,
        reg_one: bool,
        no_adjust: bool,
        op: Op,
    ) -> OpRange {
        let rope = &self.buf().text;
        let (start, end) = if to < from { (to, from) } else { (from, to) };
        let mut kind = kind;
        let mut block = false;
        match force {
            Some(Force::Char) => {
                kind = match kind {
                    MKind::Linewise => MKind::Exclusive,
                    MKind::Exclusive => MKind::Inclusive,
                    MKind::Inclusive => MKind::Exclusive,
                }
            }
            Some(Force::Line) => kind = MKind::Linewise,
            Some(Force::Block) => block = true,
            None => {}
        }
        let mut r = OpRange {
            start,
            end,
            kind: RangeKind::Char,
            reg_one,
            visual: false,
            forced: force.is_some(),
            end_adjusted: false,
        };
        if block {
            let a = self.display_col(start.row, start.col);
            let b = self.display_col(end.row, end.col);
            let (l, rr) = if a <= b { (a, b) } else { (b, a) };
            let right = if kind == MKind::Exclusive && rr > l { rr - 1 } else { rr };
            r.kind = RangeKind::Block { left: l, right, to_eol: false };
            return r;
        }
        match kind {
            MKind::Linewise => {
                r.kind = RangeKind::Line;
            }
            MKind::Inclusive => {
                let len = line_len(rope, end.row);
                r.end = Pos::new(end.row, (end.col + 1).min(len));
            }
            MKind::Exclusive => {
                // The Vi rule: an exclusive motion ending in column 0 of a later line ends at the
                // end of the previous line instead; if it also starts at or before the first
                // non-blank, the operator becomes linewise.
                if end.col == 0 && end.row > start.row && !no_adjust {
                    let prev = end.row - 1;
                    r.end_adjusted = true;
                    if start.col <= first_nonblank(rope, start.row) {
                        r.kind = RangeKind::Line;
                        r.end = Pos::new(prev, 0);
                    } else {
                        r.end = Pos::new(prev, line_len(rope, prev));
                    }
                }
            }
        }
        // `d` of a charwise multi-line range that starts in the indent and ends at the end of its
        // line (trailing blanks aside) deletes whole lines, as Vim does.
        if r.kind == RangeKind::Char && op == Op::Delete && r.end.row > r.start.row && force.is_none() {
            let rest: String = line_string(rope, r.end.row).chars().skip(r.end.col).collect();
            if rest.trim_matches([' ', '\t']).is_empty() && r.start.col <= first_nonblank(rope, r.start.row) {
                r.kind = RangeKind::Line;
            }
        }
        r
    }

    /// The register contents of a range.
    pub(crate) fn range_register(&self, r: &OpRange) -> Register {
        let rope = &self.buf().text;
        match r.kind {
            RangeKind::Line => Register {
                lines: (r.start.row..=r.end.row).map(|row| line_string(rope, row)).collect(),
                kind: RegisterKind::Linewise,
            },
            RangeKind::Char => {
                let s = textpos::offset(rope, r.start);
                let e = textpos::offset(rope, r.end).max(s);
                let text = rope.slice(s..e).to_string();
                Register { lines: text.split('\n').map(str::to_string).collect(), kind: RegisterKind::Charwise }
            }
            RangeKind::Block { left, right, to_eol } => {
                let mut lines = Vec::new();
                let mut width = if to_eol { 0 } else { right + 1 - left };
                for row in r.start.row..=r.end.row {
                    let (s, e) = self.block_cols(row, left, right, to_eol);
                    let mut line: String = line_string(rope, row).chars().skip(s).take(e - s).collect();
                    // A line ending before the block yanks as the block's width of spaces (Vim's
                    // block_prep endspaces); one ending inside it gives what it has.
                    if !to_eol && self.display_col(row, line_len(rope, row)) < left {
                        line = " ".repeat(right + 1 - left);
                    }
                    if to_eol {
                        width = width.max(self.display_col(row, line_len(rope, row)).saturating_sub(left));
                    }
                    lines.push(line);
                }
                Register { lines, kind: RegisterKind::Blockwise(width) }
            }
        }
    }

    /// Char columns `[s, e)` of a row covered by a block of display columns.
    pub(crate) fn block_cols(&self, row: usize, left: usize, right: usize, to_eol: bool) -> (usize, usize) {
        let rope = &self.buf().text;
        let len = line_len(rope, row);
        let s = self.col_for_want(row, left, true);
        // A char that starts before `left` but covers it (a tab) is included.
        let e = if to_eol {
            len
        } else {
            let mut e = self.col_for_want(row, right, true);
            if e < len {
                e += 1;
            }
            e
        };
        if s >= len || self.display_col(row, s) > right && !to_eol {
            return (s.min(len), s.min(len));
        }
        (s, e.max(s))
    }

    /// Stores a yank or delete in the registers and fires TextYankPost.
    pub(crate) fn store_register(&mut self, reg: Option<char>, r: Register, op: Op, reg_one: bool) {
        let name = reg;
        let result = if op == Op::Yank {
            self.registers.yank(name, r.clone())
        } else {
            self.registers.delete_op(name, r.clone(), reg_one)
        };
        if let Err(e) = result {
            self.messages.error(e.to_string());
            return;
        }
        if !self.has_autocmd(Event::TextYankPost) {
            return;
        }
        let regtype = match r.kind {
            RegisterKind::Charwise => "v".to_string(),
            RegisterKind::Linewise => "V".to_string(),
            RegisterKind::Blockwise(w) => format!("\x16{w}"),
        };
        let opchar = match op {
            Op::Yank => "y",
            Op::Change => "c",
            _ => "d",
        };
        let data = serde_json::json!({
            "operator": opchar,
            "regname": reg.map(|c| c.to_string()).unwrap_or_default(),
            "regtype": regtype,
            "regcontents": r.lines,
            "inclusive": false,
            "visual": self.vi.visual.is_some() || std::mem::take(&mut self.vi.operating_visual),
        });
        let mut args = self.buf_event_args(self.buf_id());
        args.data = Some(data.to_string());
        // `v:event` holds the same dictionary while the autocmds run.
        let event = crate::events::data_value(&data.to_string()).and_then(|v| crate::api::from_msgpack(&v, 0).ok());
        let outer = event.and_then(|e| self.event_vars.insert("event".into(), e));
        self.fire(Event::TextYankPost, args);
        match outer {
            Some(v) => self.event_vars.insert("event".into(), v),
            None => self.event_vars.remove("event"),
        };
    }

    /// Applies an operator to a range.
    pub(crate) fn apply_operator(&mut self, cmd: &Command, op: Op, r: OpRange) -> Result<(), Fail> {
        let reg = cmd.register;
        // For `v:event.visual` of TextYankPost: Visual mode has ended by now.
        self.vi.operating_visual = r.visual;
        // An empty charwise range (`x` on an empty line) changes nothing and no register.
        // An empty yank (`y0` in column 0, `yl` on an empty line) still yanks: an empty charwise
        // text, as Vim's op_yank.
        if r.kind == RangeKind::Char && r.start >= r.end && matches!(op, Op::Delete | Op::Yank) {
            if op == Op::Delete {
                self.record_dot(cmd);
            } else if !reg.is_some_and(|c| ".:%#/=".contains(c)) {
                let empty = Register { lines: vec![String::new()], kind: RegisterKind::Charwise };
                self.store_register(reg, empty, Op::Yank, false);
            }
            return Ok(());
        }
        if let Some(c) = reg {
            if op != Op::Yank && !matches!(op, Op::Delete | Op::Change) && c != '"' {
                // Only yank/delete/change use a register.
            }
            if matches!(op, Op::Delete | Op::Change | Op::Yank) && ".:%#/=".contains(c) {
                self.messages.error(format!("E354: Invalid register name: '{c}'"));
                return Err(Fail);
            }
        }
        // Vim puts the cursor on the operator's start before saving for undo; `u` returns there.
        let start = match r.kind {
            RangeKind::Line if r.visual => r.start,
            // `dd`, `>>`: Neovim's 'nostartofline' keeps the column on the cursor's line (other
            // doubled operators go to the first non-blank first: Vim's nv_lineop).
            RangeKind::Line
                if r.start.row == self.vpos().row && matches!(op, Op::Delete | Op::ShiftLeft | Op::ShiftRight) =>
            {
                self.vpos()
            }
            RangeKind::Block { left, .. } => Pos::new(r.start.row, self.col_for_want(r.start.row, left, false)),
            _ => r.start,
        };
        self.vi.undo_cursor = Some(textpos::offset(&self.buf().text, start));
        match op {
            Op::Yank => {
                let regv = self.range_register(&r);
                // `[` at the first yanked char, `]` at the last (the end of the last line for a
                // linewise yank), as Vim; set before TextYankPost, whose autocmds read them.
                let b = self.buf();
                let (s, e) = match r.kind {
                    RangeKind::Char => {
                        let s = textpos::offset(&b.text, r.start);
                        (s, textpos::offset(&b.text, r.end).saturating_sub(1).max(s))
                    }
                    RangeKind::Line => (b.line_start(r.start.row), b.line_start(r.end.row) + b.line_len(r.end.row)),
                    RangeKind::Block { .. } => {
                        let s = textpos::offset(&b.text, r.start);
                        (s, s)
                    }
                };
                self.set_change_marks(s, e);
                if r.kind == RangeKind::Line {
                    // Vim's '] of a linewise yank is at MAXCOL (the API reports 2147483647).
                    let row = r.end.row;
                    self.buf_mut().set_mark_line_end(']', row);
                }
                self.store_register(reg, regv, op, false);
                match r.kind {
                    RangeKind::Line => {
                        if r.visual {
                            self.place_normal(r.start, Want::Set);
                        } else if self.vpos().row != r.start.row {
                            // A backward motion: the cursor goes where the motion went (`yk`
                            // keeps the column, `y'a` lands on the first non-blank).
                            self.place_normal(r.start, Want::Keep);
                        }
                    }
                    RangeKind::Block { left, .. } => {
                        let col = self.col_for_want(r.start.row, left, false);
                        self.place_normal(Pos::new(r.start.row, col), Want::Set);
                    }
                    RangeKind::Char => self.place_normal(r.start, Want::Set),
                }
                Ok(())
            }
            Op::Delete => {
                self.delete_range(cmd, &r, true)?;
                self.record_dot(cmd);
                Ok(())
            }
            Op::Change => self.change_range(cmd, r),
            Op::ShiftLeft | Op::ShiftRight => {
                let times = if r.visual { cmd.count.unwrap_or(1).max(1) as i64 } else { 1 };
                let dir = if op == Op::ShiftRight { times } else { -times };
                let row = r.start.row;
                if let RangeKind::Block { left, .. } = r.kind {
                    // Vim's cursor stays at the byte column the block's top-left corner had.
                    let corner = self.col_for_want(row, left, true);
                    let byte_col: usize =
                        line_string(&self.buf().text, row).chars().take(corner).map(char::len_utf8).sum();
                    self.shift_block(r.start.row, r.end.row, left, dir)?;
                    let line = line_string(&self.buf().text, row);
                    let col = line.char_indices().take_while(|(b, _)| *b <= byte_col).count().saturating_sub(1);
                    self.place_normal(Pos::new(row, col), Want::Set);
                } else {
                    // A charwise selection whose end took the line break (`v` on an empty line)
                    // still shifts only the lines the selection's ends are on.
                    let last = if r.visual && r.kind == RangeKind::Char && r.end.col == 0 && r.end.row > r.start.row {
                        r.end.row - 1
                    } else {
                        r.end.row
                    };
                    if self.shift_lines(r.start.row, last + 1, dir).is_err() {
                        return Err(Fail);
                    }
                    let (col, want) = self.sol_col(row);
                    self.place_normal(Pos::new(row, col), want);
                }
                self.vi.changed = true;
                let s = self.buf().line_start(r.start.row);
                let e = self.buf().line_start(r.end.row);
                self.set_change_marks(s, e);
                let lines = r.end.row - r.start.row + 1;
                if lines as i64 > self.opt("report").as_number() {
                    let what = if op == Op::ShiftRight { '>' } else { '<' };
                    let times = times.unsigned_abs();
                    self.messages.info(format!(
                        "{lines} line{} {what}ed {times} time{}",
                        if lines == 1 { "" } else { "s" },
                        if times == 1 { "" } else { "s" }
                    ));
                }
                self.record_dot(cmd);
                Ok(())
            }
            Op::ToggleCase | Op::Lower | Op::Upper | Op::Rot13 => {
                self.map_case(&r, op)?;
                self.record_dot(cmd);
                Ok(())
            }
            Op::Join | Op::JoinRaw => {
                let end = if r.end.row == r.start.row { r.start.row + 2 } else { r.end.row + 1 };
                let end = end.min(line_count(&self.buf().text));
                if end <= r.start.row + 1 {
                    return Err(Fail);
                }
                self.join_rows(r.start.row, end, op == Op::Join)?;
                self.record_dot(cmd);
                Ok(())
            }
            Op::Indent => {
                self.reindent(r.start.row, r.end.row)?;
                let row = r.start.row;
                let (col, want) = self.sol_col(row);
                self.place_normal(Pos::new(row, col), want);
                self.record_dot(cmd);
                Ok(())
            }
            Op::Format | Op::FormatKeep => {
                let keep = self.vpos();
                let mut last = self.format_lines(r.start.row, r.end.row)?;
                if op == Op::FormatKeep {
                    self.place_normal(keep, Want::Set);
                } else {
                    if r.end_adjusted && last + 1 < line_count(&self.buf().text) {
                        last += 1;
                    }
                    let col = first_nonblank(&self.buf().text, last);
                    self.place_normal(Pos::new(last, col), Want::Set);
                }
                self.record_dot(cmd);
                Ok(())
            }
            Op::Filter => {
                let lines = r.end.row - r.start.row;
                let init = if lines == 0 { ".!".to_string() } else { format!(".,.+{lines}!") };
                self.place_normal(Pos::new(r.start.row, self.vpos().col), Want::Keep);
                self.open_cmdline(':', init, super::CmdPurpose::Ex);
                Ok(())
            }
            Op::OpFunc => {
                let func = self.opt("operatorfunc").as_str().into_owned();
                if func.is_empty() {
                    self.messages.error("E774: 'operatorfunc' is empty");
                    return Err(Fail);
                }
                let (kind, last) = match r.kind {
                    RangeKind::Line => ("line", Pos::new(r.end.row, 0)),
                    RangeKind::Block { .. } => ("block", r.end),
                    // `']` is on the last char of an exclusive range.
                    RangeKind::Char => {
                        let rope = &self.buf().text;
                        let end = textpos::offset(rope, r.end).saturating_sub(1).max(textpos::offset(rope, r.start));
                        let (row, col) = self.buf().char_to_pos(end);
                        ("char", Pos::new(row, col))
                    }
                };
                let (start, end) = {
                    let rope = &self.buf().text;
                    (textpos::offset(rope, r.start), textpos::offset(rope, last))
                };
                self.set_change_marks(start, end);
                self.place_normal(r.start, Want::Set);
                self.record_dot(cmd);
                if let Err(e) = crate::vi::opfunc::call(self, &func, kind) {
                    self.messages.error(e);
                    return Err(Fail);
                }
                Ok(())
            }
        }
    }

    /// An ex command as the motion of a pending operator (`d:call search('x')<CR>`, an omap's
    /// `:<C-u>normal! ^vg_<CR>`, `<Cmd>` in operator-pending mode). As in Vim, when the command
    /// started Visual mode the operator works on that selection; otherwise the motion is
    /// exclusive and charwise, from where the operator started to where the command left the
    /// cursor. `.` repeats it by typing the command line again.
    pub(crate) fn ex_motion(&mut self, cmd: Command, text: &str) {
        let start = self.vpos();
        let (win, buf) = (self.current, self.buf_id());
        if !self.run_ex_line(text) {
            self.fail();
            return;
        }
        let Action::Operator { op, force, .. } = cmd.action else { return };
        if self.vi.visual.is_some() {
            // The operator's own keys (without the forcing `v`/`V`/`<C-v>` and the `:`), typed
            // again in Visual mode.
            let n = cmd.keys.len().saturating_sub(1 + usize::from(force.is_some()));
            let mut keys = Vec::new();
            if let Some(r) = cmd.register {
                keys.extend([Key::char('"'), Key::char(r)]);
            }
            keys.extend(cmd.keys.iter().take(n).copied());
            // `.` types the operator and the command line again (not a selection of this size).
            let mut redo = cmd.keys.clone();
            redo.extend(text.chars().map(crate::keys::key_from_char));
            redo.push(Key::plain(KeyCode::Enter));
            self.vi.dot_override =
                Some(super::DotRecord { keys: redo, count: cmd.count, register: cmd.register, visual: None });
            for k in keys.iter().rev() {
                self.vi.typeahead.push_front(super::TKey { key: *k, remap: false, typed: false, stuffed: false });
            }
            return;
        }
        if self.current != win || self.buf_id() != buf {
            // The command went to another window or buffer: there is no motion to operate on.
            return;
        }
        let end = self.vpos();
        self.place(start, Want::Keep);
        let mut keys = cmd.keys.clone();
        keys.extend(text.chars().map(crate::keys::key_from_char));
        keys.push(Key::plain(KeyCode::Enter));
        let motion = Command {
            action: Action::Operator { op, force, target: Target::Motion(Motion::ExResult(end.row, end.col)) },
            keys,
            ..cmd
        };
        if self.run_command(motion).is_err() {
            self.fail();
        }
    }

    /// `!{motion}`: opens the command line with the lines' range and `!`.
    fn filter_prompt(&mut self, cmd: &Command, m: &Motion) -> Result<(), Fail> {
        let cur = self.vpos();
        let mv = self.eval_motion(m, cmd.count, true)?;
        let (a, b) = if mv.pos.row < cur.row { (mv.pos.row, cur.row) } else { (cur.row, mv.pos.row) };
        self.place_normal(Pos::new(a, cur.col), Want::Keep);
        let init = if a == b { ".!".to_string() } else { format!(".,.+{}!", b - a) };
        self.open_cmdline(':', init, super::CmdPurpose::Ex);
        Ok(())
    }

    /// Sets the `[` and `]` marks around changed text.
    pub(crate) fn set_change_marks(&mut self, start: usize, end: usize) {
        let b = self.buf_mut();
        b.set_mark('[', start);
        b.set_mark(']', end);
    }

    /// Records where a change happened (`'.`, the change list for `g;`).
    pub(crate) fn note_change(&mut self, p: Pos) {
        let off = textpos::offset(&self.buf().text, p);
        self.buf_mut().set_mark('.', off);
        let buf = self.buf_id();
        let list = &mut self.vi.changes;
        if list.last().is_none_or(|(b, q)| *b != buf || q.row != p.row) {
            list.push((buf, p));
            if list.len() > 100 {
                list.remove(0);
            }
        } else if let Some(last) = list.last_mut() {
            last.1 = p;
        }
        self.vi.change_index = list.iter().filter(|(b, _)| *b == buf).count();
    }

    /// Deletes a range (into registers when `to_register`), leaving the cursor where Vim does.
    pub(crate) fn delete_range(&mut self, cmd: &Command, r: &OpRange, to_register: bool) -> Result<(), Fail> {
        let regv = self.range_register(r);
        if to_register {
            self.store_register(cmd.register, regv, Op::Delete, r.reg_one);
        }
        let rope = &self.buf().text;
        match r.kind {
            RangeKind::Line => {
                let total = line_count(rope);
                let nlines = r.end.row - r.start.row + 1;
                if self.delete_lines(r.start.row, r.end.row + 1).is_err() {
                    return Err(Fail);
                }
                self.vi.changed = true;
                let rope = &self.buf().text;
                let row = r.start.row.min(line_count(rope).saturating_sub(1));
                // With 'nostartofline' (Neovim's default) the cursor keeps its column.
                let (col, want) = self.sol_col(row);
                self.place_normal(Pos::new(row, col), want);
                let off = self.buf().line_start(row);
                self.set_change_marks(off, off);
                self.note_change(Pos::new(row, 0));
                if nlines as i64 > self.opt("report").as_number() && total > 0 {
                    self.messages.info(format!("{nlines} fewer lines"));
                }
            }
            RangeKind::Char => {
                let s = textpos::offset(rope, r.start);
                let e = textpos::offset(rope, r.end).max(s);
                if e > s {
                    self.edit(s, e, "")?;
                }
                let p = textpos::pos_of(&self.buf().text, s);
                self.place_normal(p, Want::Set);
                self.set_change_marks(s, s);
                self.note_change(p);
            }
            RangeKind::Block { left, right, to_eol } => {
                let mut edits = Vec::new();
                for row in r.start.row..=r.end.row {
                    let (s, e) = self.block_cols(row, left, right, to_eol);
                    if e > s {
                        let base = self.buf().line_start(row);
                        edits.push(Edit { start: base + s, end: base + e, text: String::new() });
                    }
                }
                if !edits.is_empty() {
                    self.edits(edits)?;
                }
                let col = self.col_for_want(r.start.row, left, false);
                self.place_normal(Pos::new(r.start.row, col), Want::Set);
                self.note_change(Pos::new(r.start.row, col));
            }
        }
        Ok(())
    }

    /// `c`: delete, then insert (keeping the indent of a linewise change with 'autoindent').
    fn change_range(&mut self, cmd: &Command, r: OpRange) -> Result<(), Fail> {
        match r.kind {
            RangeKind::Line => {
                let regv = self.range_register(&r);
                self.store_register(cmd.register, regv, Op::Change, r.reg_one);
                let indent = if self.buf().opt_bool("autoindent") {
                    let l = line_string(&self.buf().text, r.start.row);
                    l.chars().take_while(|c| textpos::is_blank(*c)).collect::<String>()
                } else {
                    String::new()
                };
                let id = self.buf_id();
                let cs = self.buf().lines_change(r.start.row, r.end.row + 1, std::slice::from_ref(&indent));
                match cs {
                    Ok(cs) => {
                        if self.apply_change(id, cs).is_err() {
                            return Err(Fail);
                        }
                        self.vi.changed = true;
                    }
                    Err(_) => return Err(Fail),
                }
                let col = indent.chars().count();
                self.place(Pos::new(r.start.row, col), Want::Set);
                self.begin_insert(super::InsertKind::Insert, cmd, None);
                // The kept indent is automatic: it goes away if nothing is typed (Vim's did_ai).
                if self.buf().opt_bool("autoindent") {
                    if let Some(i) = &mut self.vi.insert {
                        i.ai_row = Some(r.start.row);
                    }
                }
                Ok(())
            }
            RangeKind::Char => {
                if r.start < r.end {
                    let regv = self.range_register(&r);
                    self.store_register(cmd.register, regv, Op::Change, r.reg_one);
                }
                let rope = &self.buf().text;
                let s = textpos::offset(rope, r.start);
                let e = textpos::offset(rope, r.end).max(s);
                if e > s {
                    self.edit(s, e, "")?;
                }
                let p = textpos::pos_of(&self.buf().text, s);
                self.place(p, Want::Set);
                self.begin_insert(super::InsertKind::Insert, cmd, None);
                Ok(())
            }
            RangeKind::Block { left, .. } => {
                let rows = r.start.row..=r.end.row;
                self.delete_range(cmd, &r, true)?;
                let col = self.col_for_want(r.start.row, left, true);
                self.place(Pos::new(r.start.row, col), Want::Set);
                self.begin_block_insert(cmd, *rows.start(), *rows.end(), left, false);
                Ok(())
            }
        }
    }

    /// Shifts a block's text right or left from display column `left`.
    fn shift_block(&mut self, first: usize, last: usize, left: usize, dir: i64) -> Result<(), Fail> {
        let sw = self.shiftwidth() as i64;
        let ts = self.buf().opt_number("tabstop").max(1) as usize;
        let et = self.buf().opt_bool("expandtab");
        let mut edits = Vec::new();
        for row in first..=last {
            let line = line_string(&self.buf().text, row);
            let s = self.col_for_want(row, left, true);
            if s >= line.chars().count() {
                continue;
            }
            let chars: Vec<char> = line.chars().collect();
            let mut e = s;
            while e < chars.len() && textpos::is_blank(chars[e]) {
                e += 1;
            }
            // Shifting right, Vim rebuilds the blanks just before the block too (pre_whitesp).
            let mut s = s;
            while dir > 0 && s > 0 && textpos::is_blank(chars[s - 1]) {
                s -= 1;
            }
            let start_v = self.display_col(row, s);
            let ws_end_v = self.display_col(row, e);
            let new_ws = (ws_end_v as i64 - start_v as i64 + dir * sw).max(0) as usize;
            let fill = if et {
                " ".repeat(new_ws)
            } else {
                // Tabs where they fit from the block's start column.
                let mut out = String::new();
                let mut v = start_v;
                let end = start_v + new_ws;
                while (v / ts + 1) * ts <= end {
                    out.push('\t');
                    v = (v / ts + 1) * ts;
                }
                out.push_str(&" ".repeat(end - v));
                out
            };
            let base = self.buf().line_start(row);
            edits.push(Edit { start: base + s, end: base + e, text: fill });
        }
        if edits.is_empty() {
            return Ok(());
        }
        self.edits(edits)
    }

    /// The effective 'shiftwidth' (0 means 'tabstop').
    pub(crate) fn shiftwidth(&self) -> usize {
        let sw = self.buf().opt_number("shiftwidth");
        let sw = if sw <= 0 { self.buf().opt_number("tabstop") } else { sw };
        sw.max(1) as usize
    }

    /// `g~ gu gU g?` over a range.
    fn map_case(&mut self, r: &OpRange, op: Op) -> Result<(), Fail> {
        let f = |c: char| -> String {
            match op {
                Op::ToggleCase => {
                    if c == 'ß' {
                        // Neovim's `~` turns ß into the capital ẞ (U+1E9E); `gU` keeps it.
                        "ẞ".to_string()
                    } else if c.is_lowercase() {
                        c.to_uppercase().collect()
                    } else if c.is_uppercase() {
                        c.to_lowercase().collect()
                    } else {
                        c.to_string()
                    }
                }
                Op::Lower => c.to_lowercase().collect(),
                Op::Upper => {
                    if c == 'ß' {
                        // Neovim 0.11 turns ß into ẞ (U+1E9E), not Unicode's "SS".
                        "ẞ".to_string()
                    } else {
                        c.to_uppercase().collect()
                    }
                }
                _ => match c {
                    'a'..='m' | 'A'..='M' => char::from(c as u8 + 13).to_string(),
                    'n'..='z' | 'N'..='Z' => char::from(c as u8 - 13).to_string(),
                    _ => c.to_string(),
                },
            }
        };
        let rope = &self.buf().text;
        let spans: Vec<(usize, usize)> = match r.kind {
            RangeKind::Line => {
                let s = self.buf().line_start(r.start.row);
                let e = s.max(self.buf().line_start(r.end.row) + line_len(rope, r.end.row));
                vec![(s, e)]
            }
            RangeKind::Char => {
                let s = textpos::offset(rope, r.start);
                vec![(s, textpos::offset(rope, r.end).max(s))]
            }
            RangeKind::Block { left, right, to_eol } => (r.start.row..=r.end.row)
                .map(|row| {
                    let (s, e) = self.block_cols(row, left, right, to_eol);
                    let base = self.buf().line_start(row);
                    (base + s, base + e)
                })
                .collect(),
        };
        let mut edits = Vec::new();
        for (s, e) in spans {
            if e <= s {
                continue;
            }
            let old: String = self.buf().text.slice(s..e).to_string();
            let new: String = old.chars().map(f).collect();
            if new != old {
                edits.push(Edit { start: s, end: e, text: new });
            }
        }
        if !edits.is_empty() {
            self.edits(edits)?;
        }
        let p = match r.kind {
            RangeKind::Line => r.start,
            RangeKind::Block { left, .. } => Pos::new(r.start.row, self.col_for_want(r.start.row, left, false)),
            RangeKind::Char => r.start,
        };
        self.place_normal(p, Want::Set);
        self.note_change(p);
        Ok(())
    }

    /// Joins rows `first..end` (exclusive) with `J` rules (`spaces`) or `gJ`.
    pub(crate) fn join_rows(&mut self, first: usize, end: usize, spaces: bool) -> Result<(), Fail> {
        if self.join_lines(first, end, spaces).is_err() {
            return Err(Fail);
        }
        self.vi.changed = true;
        let p = self.vpos();
        // `J` leaves the cursor at the join point: on the inserted space, or the first joined char.
        let line = line_string(&self.buf().text, first);
        let col = p.col.min(line.chars().count().saturating_sub(1));
        self.place_normal(Pos::new(first, col), Want::Set);
        self.note_change(Pos::new(first, col));
        Ok(())
    }

    /// `r{c}` with a count.
    pub(crate) fn replace_chars(&mut self, c: char, n: usize) -> Result<(), Fail> {
        let p = self.vpos();
        let len = line_len(&self.buf().text, p.row);
        if p.col + n > len {
            return Err(Fail);
        }
        let s = textpos::offset(&self.buf().text, p);
        if c == '\r' || c == '\n' {
            // `r<CR>` replaces the chars by one line break (and trailing blanks of the first part stay).
            let rest: String = line_string(&self.buf().text, p.row).chars().skip(p.col + n).collect();
            let trimmed = rest.trim_start_matches([' ', '\t']);
            let skip = rest.chars().count() - trimmed.chars().count();
            let indent = if self.buf().opt_bool("autoindent") {
                line_string(&self.buf().text, p.row).chars().take_while(|c| textpos::is_blank(*c)).collect()
            } else {
                String::new()
            };
            self.edit(s, s + n + skip, &format!("\n{indent}"))?;
            self.place_normal(Pos::new(p.row + 1, indent.chars().count()), Want::Set);
            self.note_change(Pos::new(p.row + 1, 0));
            return Ok(());
        }
        let text: String = std::iter::repeat_n(c, n).collect();
        self.edit(s, s + n, &text)?;
        self.place_normal(Pos::new(p.row, p.col + n - 1), Want::Set);
        self.set_change_marks(s, s + n - 1);
        self.note_change(Pos::new(p.row, p.col + n - 1));
        Ok(())
    }

    /// `~`: toggles the case of `n` chars and moves right.
    pub(crate) fn tilde(&mut self, n: usize) -> Result<(), Fail> {
        let p = self.vpos();
        let len = line_len(&self.buf().text, p.row);
        if len == 0 {
            return Err(Fail);
        }
        let e = (p.col + n).min(len);
        let r = OpRange {
            start: p,
            end: Pos::new(p.row, e),
            kind: RangeKind::Char,
            reg_one: false,
            visual: false,
            forced: false,
            end_adjusted: false,
        };
        self.map_case(&r, Op::ToggleCase)?;
        self.place_normal(Pos::new(p.row, e), Want::Set);
        Ok(())
    }

    /// `o` / `O`: opens a line below/above with the indent Vim would give it; the cursor goes on it.
    /// The indent provider is asked once the new (empty) line is in the buffer, as Vim evaluates
    /// 'indentexpr' with the cursor on the new line.
    pub(crate) fn open_line(&mut self, below: bool) -> Result<(), Fail> {
        let row = self.vpos().row;
        let fallback = self.builtin_new_line_indent(row, below);
        let new_row = if below { row + 1 } else { row };
        let at = if below {
            self.buf().line_start(row) + line_len(&self.buf().text, row)
        } else {
            self.buf().line_start(row)
        };
        self.edit(at, at, "\n")?;
        let indent = self.indent_new_line(new_row, fallback);
        self.place(Pos::new(new_row, indent.chars().count()), Want::Set);
        Ok(())
    }

    /// Gives new line `row` (already in the buffer, with any text that moved onto it) its indent:
    /// the indent provider's answer, which may end in a comment leader such as ` * `, else
    /// `fallback`. The cursor is on the line while the provider runs. Returns the text inserted.
    pub(crate) fn indent_new_line(&mut self, row: usize, fallback: String) -> String {
        self.place(Pos::new(row, 0), Want::Set);
        let indent = self.provider_indent(row).unwrap_or(fallback);
        if indent.is_empty() || row >= self.buf().line_count() {
            return String::new();
        }
        let at = self.buf().line_start(row);
        if self.edit(at, at, &indent).is_err() {
            return String::new();
        }
        indent
    }

    /// The indent provider's answer for line `row` of the current buffer, if there is a provider,
    /// it answers, and it left the same buffer current.
    fn provider_indent(&mut self, row: usize) -> Option<String> {
        let mut p = self.indent_provider.take()?;
        let buf = self.buf_id();
        let r = p.indent(self, buf, row);
        self.indent_provider = Some(p);
        r.filter(|_| self.buf_id() == buf)
    }

    /// The built-in indent for a new line opened after (or before) `row`: 'autoindent' (with
    /// 'smartindent' adding a level after `{`), or nothing.
    pub(crate) fn builtin_new_line_indent(&self, row: usize, below: bool) -> String {
        if !self.buf().opt_bool("autoindent") {
            return String::new();
        }
        let line = line_string(&self.buf().text, row);
        let indent: String = line.chars().take_while(|c| textpos::is_blank(*c)).collect();
        let mut width = self.display_col(row, indent.chars().count());
        if self.buf().opt_bool("smartindent") && below && line.trim_end().ends_with('{') {
            width += self.shiftwidth();
        }
        // Vim rebuilds the copied indent from its width (tabs, then spaces, unless 'expandtab');
        // 'copyindent' keeps the existing characters.
        if self.buf().opt_bool("copyindent") && width == self.display_col(row, indent.chars().count()) {
            return indent;
        }
        let ts = self.buf().opt_number("tabstop").max(1) as usize;
        make_indent(width, ts, self.buf().opt_bool("expandtab"))
    }

    /// `=`: re-indents lines with the indent provider, or by brace depth like a simple C indenter.
    /// Line by line, top-down: each line's indent is computed after the lines above it were
    /// re-indented (Vim's `=` with 'indentexpr'). Blank lines become empty, and a provider's
    /// comment leader is not inserted: `=` changes indents only.
    fn reindent(&mut self, first: usize, last: usize) -> Result<(), Fail> {
        let sw = self.shiftwidth();
        let ts = self.buf().opt_number("tabstop").max(1) as usize;
        let et = self.buf().opt_bool("expandtab");
        let id = self.buf_id();
        let mut prev_indent: Option<(usize, bool)> = None;
        if first > 0 {
            // The nearest non-blank line above sets the base.
            let mut r = first;
            while r > 0 {
                r -= 1;
                let l = line_string(&self.buf().text, r);
                if !l.trim().is_empty() {
                    let w = self.display_col(r, l.chars().take_while(|c| textpos::is_blank(*c)).count());
                    prev_indent = Some((w, l.trim_end().ends_with('{')));
                    break;
                }
            }
        }
        let mut changed = false;
        for row in first..=last {
            // A provider may have changed the buffer under us.
            if self.buf_id() != id || row >= self.buf().line_count() {
                break;
            }
            let line = line_string(&self.buf().text, row);
            let body = line.trim_start_matches([' ', '\t']).to_string();
            let new = if body.is_empty() {
                String::new()
            } else if let Some(answer) = self.provider_indent(row) {
                let indent = &answer[..answer.len() - answer.trim_start_matches([' ', '\t']).len()];
                format!("{indent}{body}")
            } else {
                let mut w = match prev_indent {
                    Some((w, true)) => w + sw,
                    Some((w, false)) => w,
                    None => 0,
                };
                if body.starts_with('}') {
                    w = w.saturating_sub(sw);
                }
                format!("{}{body}", make_indent(w, ts, et))
            };
            if self.buf_id() != id || row >= self.buf().line_count() {
                break;
            }
            if new != line_string(&self.buf().text, row) {
                let cs = self.buf().lines_change(row, row + 1, std::slice::from_ref(&new)).map_err(|_| Fail)?;
                self.apply_change(id, cs).map_err(|_| Fail)?;
                changed = true;
            }
            if !body.is_empty() {
                let blanks = new.chars().take_while(|c| textpos::is_blank(*c)).count();
                prev_indent = Some((self.display_col(row, blanks), body.trim_end().ends_with('{')));
            }
        }
        if !changed {
            return Ok(());
        }
        self.vi.changed = true;
        let n = last - first + 1;
        if n as i64 > self.opt("report").as_number() {
            self.messages.info(format!("{n} lines indented "));
        }
        Ok(())
    }

    /// `gq`: formats lines as Vim's internal formatter (see [`super::format`]); returns the last row.
    fn format_lines(&mut self, first: usize, last: usize) -> Result<usize, Fail> {
        let buf = self.buf();
        let width = match buf.opt_number("textwidth") {
            // Vim: with 'textwidth' 0 (and no 'wrapmargin'), the screen width minus one, at most 79.
            0 => (self.opt("columns").as_number() - 1).clamp(1, 79) as usize,
            n => n as usize,
        };
        let leaders = if buf.opt_string("formatoptions").contains('q') {
            super::format::FormatOptions::parse_comments(&buf.opt_string("comments"))
        } else {
            Vec::new()
        };
        let opts = super::format::FormatOptions {
            width,
            tabstop: buf.opt_number("tabstop").max(1) as usize,
            expandtab: buf.opt_bool("expandtab"),
            leaders,
        };
        let old: Vec<String> = (first..=last).map(|r| line_string(&self.buf().text, r)).collect();
        let out = super::format::format(&old, &opts);
        let id = self.buf_id();
        if old != out {
            let cs = self.buf().lines_change(first, last + 1, &out).map_err(|_| Fail)?;
            self.apply_change(id, cs).map_err(|_| Fail)?;
            self.vi.changed = true;
        }
        Ok(first + out.len().saturating_sub(1))
    }

    /// `p P gp gP ]p [p` with a count.
    pub(crate) fn put(
        &mut self,
        reg: char,
        after: bool,
        count: usize,
        move_after: bool,
        indent: bool,
    ) -> Result<(), Fail> {
        let r = match self.read_register(reg) {
            Some(r) => r,
            None => {
                self.messages.error(format!("E353: Nothing in register {}", if reg == '"' { '"' } else { reg }));
                return Err(Fail);
            }
        };
        let p = self.vpos();
        let rope = &self.buf().text;
        match r.kind {
            RegisterKind::Linewise => {
                let mut lines: Vec<String> = Vec::with_capacity(r.lines.len() * count);
                let mut reg_lines = r.lines.clone();
                if indent {
                    // `]p`: shift the lines so the first has the cursor line's indent.
                    let cur_indent: String =
                        line_string(rope, p.row).chars().take_while(|c| textpos::is_blank(*c)).collect();
                    let first_indent =
                        reg_lines.first().map(|l| l.chars().take_while(|c| textpos::is_blank(*c)).count()).unwrap_or(0);
                    reg_lines = reg_lines
                        .iter()
                        .map(|l| {
                            let ind = l.chars().take_while(|c| textpos::is_blank(*c)).count();
                            let body: String = l.chars().skip(ind.min(first_indent)).collect();
                            format!("{cur_indent}{body}")
                        })
                        .collect();
                }
                for _ in 0..count {
                    lines.extend(reg_lines.iter().cloned());
                }
                let at = if after { p.row + 1 } else { p.row };
                let id = self.buf_id();
                let cs = self.buf().lines_change(at, at, &lines).map_err(|_| Fail)?;
                self.apply_change(id, cs).map_err(|_| Fail)?;
                self.vi.changed = true;
                let last = at + lines.len() - 1;
                let s = self.buf().line_start(at);
                let e = self.buf().line_start(last) + self.buf().line_len(last);
                self.set_change_marks(s, e);
                if move_after {
                    let row = (last + 1).min(line_count(&self.buf().text) - 1);
                    self.place_normal(Pos::new(row, 0), Want::Set);
                } else {
                    let col = first_nonblank(&self.buf().text, at);
                    self.place_normal(Pos::new(at, col), Want::Set);
                }
                self.note_change(Pos::new(at, 0));
                if lines.len() as i64 > self.opt("report").as_number() {
                    self.messages.info(format!("{} more lines", lines.len()));
                }
            }
            RegisterKind::Charwise => {
                let text = r.lines.join("\n");
                let mut all = String::with_capacity(text.len() * count);
                for _ in 0..count {
                    all.push_str(&text);
                }
                let len = line_len(rope, p.row);
                let col = if after && len > 0 { p.col + 1 } else { p.col };
                let off = textpos::offset(rope, Pos::new(p.row, col));
                self.edit(off, off, &all)?;
                let n = all.chars().count();
                self.set_change_marks(off, off + n.saturating_sub(1));
                let end = textpos::pos_of(&self.buf().text, off + n);
                if move_after {
                    self.place(end, Want::Set);
                    if end.col >= line_len(&self.buf().text, end.row) && r.lines.len() == 1 {
                        // gp at a line end leaves the cursor past the end, as Vim's virtual NUL.
                        self.place(end, Want::Set);
                    }
                } else if r.lines.len() > 1 {
                    let s = textpos::pos_of(&self.buf().text, off);
                    self.place_normal(s, Want::Set);
                } else {
                    let last = textpos::pos_of(&self.buf().text, (off + n).saturating_sub(1));
                    self.place_normal(last, Want::Set);
                }
                self.note_change(self.vpos());
            }
            RegisterKind::Blockwise(width) => {
                let vcol = if after && line_len(rope, p.row) > 0 {
                    self.display_col(p.row, p.col + 1)
                } else {
                    self.display_col(p.row, p.col)
                };
                let total_rows = line_count(rope);
                let mut edits = Vec::new();
                let mut new_rows = Vec::new();
                for (i, piece) in r.lines.iter().enumerate() {
                    let row = p.row + i;
                    let mut text = String::new();
                    for k in 0..count {
                        text.push_str(piece);
                        let w = unicode_width::UnicodeWidthStr::width(piece.as_str());
                        if k + 1 < count || row < total_rows {
                            text.push_str(&" ".repeat(width.saturating_sub(w)));
                        }
                    }
                    if row >= total_rows {
                        new_rows.push(format!("{}{}", " ".repeat(vcol), text.trim_end()));
                        continue;
                    }
                    let line_w = self.display_col(row, line_len(&self.buf().text, row));
                    let base = self.buf().line_start(row);
                    if line_w < vcol {
                        let pad = " ".repeat(vcol - line_w);
                        let e = base + line_len(&self.buf().text, row);
                        edits.push(Edit { start: e, end: e, text: format!("{pad}{}", text.trim_end()) });
                    } else {
                        let c = self.col_for_want(row, vcol, true);
                        let at_end = c >= line_len(&self.buf().text, row);
                        let t = if at_end { text.trim_end().to_string() } else { text };
                        edits.push(Edit { start: base + c, end: base + c, text: t });
                    }
                }
                if !edits.is_empty() {
                    self.edits(edits)?;
                }
                if !new_rows.is_empty() {
                    let id = self.buf_id();
                    let n = line_count(&self.buf().text);
                    let cs = self.buf().lines_change(n, n, &new_rows).map_err(|_| Fail)?;
                    self.apply_change(id, cs).map_err(|_| Fail)?;
                }
                let col = self.col_for_want(p.row, vcol, false);
                self.place_normal(Pos::new(p.row, col), Want::Set);
                self.note_change(Pos::new(p.row, col));
            }
        }
        Ok(())
    }

    /// Reads a register for putting, including the read-only ones.
    pub(crate) fn read_register(&self, reg: char) -> Option<Register> {
        match reg {
            '%' => self
                .buf()
                .path
                .as_ref()
                .map(|p| Register { lines: vec![p.display().to_string()], kind: RegisterKind::Charwise }),
            '#' => self
                .alternate
                .and_then(|b| self.buffers.get(&b))
                .and_then(|b| b.path.as_ref())
                .map(|p| Register { lines: vec![p.display().to_string()], kind: RegisterKind::Charwise }),
            '/' => self
                .search
                .last_pattern
                .as_ref()
                .map(|p| Register { lines: vec![p.clone()], kind: RegisterKind::Charwise }),
            '_' => None,
            c => self.registers.get(c).cloned(),
        }
    }
}

/// An indent of `width` columns: tabs and spaces, or only spaces with 'expandtab'.
pub(crate) fn make_indent(width: usize, tabstop: usize, expandtab: bool) -> String {
    if expandtab || tabstop == 0 {
        return " ".repeat(width);
    }
    format!("{}{}", "\t".repeat(width / tabstop), " ".repeat(width % tabstop))
}

impl crate::registers::Registers {
    /// Records a delete or change with Vim's rules; `reg_one` puts even a small delete into `1`
    /// (and `-`), as the motions `%`, `(`, `)`, `` ` ``, `/`, `?`, `n`, `N`, `{` and `}` do.
    pub fn delete_op(
        &mut self,
        name: Option<char>,
        reg: Register,
        reg_one: bool,
    ) -> Result<(), crate::registers::RegisterError> {
        let multiline = reg.kind == RegisterKind::Linewise || reg.lines.len() > 1;
        if !reg_one || multiline || name.is_some_and(|n| n != '"') {
            return self.delete(name, reg);
        }
        // Small delete with a register-one motion: into 1 (shifting) and into -.
        let as_line = Register { lines: reg.lines.clone(), kind: reg.kind };
        self.shift_into_one(as_line);
        self.delete(None, reg)
    }
}
