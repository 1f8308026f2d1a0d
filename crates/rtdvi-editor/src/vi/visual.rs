//! Visual mode: the selection, its operators, `o`/`O`, `gv`, block `I`/`A`, `r`, `p`.

use super::command::{Command, Op, TextObject};
use super::normal::Want;
use super::operator::{OpRange, RangeKind};
use super::textpos::{self, line_count, line_len, Pos};
use super::{Fail, VisualKind, VisualState};
use crate::editor::Editor;
use crate::registers::RegisterKind;

impl Editor {
    /// `v`, `V`, `<C-v>`: starts visual mode, switches its kind, or ends it when the kind is the same.
    pub(crate) fn start_visual(&mut self, kind: VisualKind, count: Option<usize>) {
        match self.vi.visual {
            Some(v) if v.kind == kind => self.end_visual(),
            Some(v) => self.vi.visual = Some(VisualState { anchor: v.anchor, kind }),
            None if count.is_some() && self.vi.resel_visual.is_some() => {
                // `{count}v` after a visual operator: that many times the last operated area, in
                // its mode (Vim's resel_VIsual).
                let Some((rkind, lines, cols, to_eol)) = self.vi.resel_visual else { return };
                let n = count.unwrap_or(1).max(1);
                let p = self.vpos();
                self.vi.visual = Some(VisualState { anchor: p, kind: rkind });
                let last = line_count(&self.buf().text).saturating_sub(1);
                let row =
                    if rkind != VisualKind::Char || lines > 1 { (p.row + lines * n - 1).min(last) } else { p.row };
                let vcol = self.display_col(p.row, p.col);
                let want = if to_eol {
                    usize::MAX
                } else {
                    match rkind {
                        VisualKind::Char if lines <= 1 => vcol + cols * n - 1,
                        VisualKind::Char => cols,
                        VisualKind::Block => vcol + cols * n - 1,
                        VisualKind::Line => self.win().curswant,
                    }
                };
                let col = if want == usize::MAX {
                    line_len(&self.buf().text, row)
                } else {
                    self.col_for_want(row, want, true)
                };
                let want = if want == usize::MAX { Want::End } else { Want::Column(want) };
                self.place(Pos::new(row, col), want);
            }
            None => {
                let p = self.vpos();
                self.vi.visual = Some(VisualState { anchor: p, kind });
                // `{count}v` selects that many chars of the line (lines for `V`).
                if let Some(n) = count.filter(|n| *n > 1) {
                    let rope = &self.buf().text;
                    let end = match kind {
                        VisualKind::Line => Pos::new((p.row + n - 1).min(line_count(rope) - 1), p.col),
                        // Within the line; its end (the line break) may be selected.
                        _ => Pos::new(p.row, (p.col + n - 1).min(line_len(rope, p.row))),
                    };
                    self.place(end, Want::Set);
                }
            }
        }
    }

    /// Leaves visual mode, remembering the selection for `gv` and the `'<` `'>` marks.
    pub(crate) fn end_visual(&mut self) {
        let Some(v) = self.vi.visual.take() else { return };
        self.vi.redo_block_right = None;
        let cur = self.vpos();
        let to_eol = self.win().curswant == usize::MAX;
        self.vi.last_visual = Some((v.kind, v.anchor, cur, to_eol));
        let (a, b) = if cur < v.anchor { (cur, v.anchor) } else { (v.anchor, cur) };
        let rope = &self.buf().text;
        let (a, b) = if v.kind == VisualKind::Line {
            (Pos::new(a.row, 0), Pos::new(b.row, line_len(rope, b.row)))
        } else {
            (a, b)
        };
        let sa = textpos::offset(rope, a);
        let sb = textpos::offset(rope, b);
        self.buf_mut().set_mark('<', sa);
        self.buf_mut().set_mark('>', sb);
        if v.kind == VisualKind::Line {
            // Vim keeps a linewise selection's end at MAXCOL.
            self.buf_mut().set_mark_line_end('>', b.row);
        }
        // Normal mode keeps the cursor on a character.
        let p = self.vpos();
        self.place_normal(p, Want::Keep);
    }

    /// Where an operator on the current selection starts: its first char, column 0 of its first
    /// line for `V`, its top-left corner for a block.
    pub(crate) fn visual_start(&self) -> Option<Pos> {
        let v = self.vi.visual?;
        let cur = self.vpos();
        let top = if cur < v.anchor { cur } else { v.anchor };
        Some(match v.kind {
            VisualKind::Char => top,
            VisualKind::Line => Pos::new(top.row, 0),
            VisualKind::Block => {
                let left = self.display_col(v.anchor.row, v.anchor.col).min(self.display_col(cur.row, cur.col));
                Pos::new(top.row, self.col_for_want(top.row, left, true))
            }
        })
    }

    /// `gv`: the last selection again (in visual mode: swap with it).
    pub(crate) fn reselect_visual(&mut self) -> Result<(), Fail> {
        let Some((kind, anchor, cur, to_eol)) = self.vi.last_visual else { return Err(Fail) };
        if self.vi.visual.is_some() {
            self.end_visual();
        }
        let rope = &self.buf().text;
        let clamp = |p: Pos| {
            let row = p.row.min(line_count(rope).saturating_sub(1));
            Pos::new(row, p.col.min(line_len(rope, row)))
        };
        let (anchor, cur) = (clamp(anchor), clamp(cur));
        self.vi.visual = Some(VisualState { anchor, kind });
        self.place(cur, if to_eol { Want::End } else { Want::Set });
        Ok(())
    }

    /// `o` (other end) and block `O` (other corner on the same line).
    pub(crate) fn visual_swap(&mut self, corner: bool) {
        let Some(v) = self.vi.visual else { return };
        let cur = self.vpos();
        if corner && v.kind == VisualKind::Block {
            let a_v = self.display_col(v.anchor.row, v.anchor.col);
            let c_v = self.display_col(cur.row, cur.col);
            let new_cur_col = self.col_for_want(cur.row, a_v, true);
            let new_anchor_col = self.col_for_want(v.anchor.row, c_v, true);
            self.vi.visual = Some(VisualState { anchor: Pos::new(v.anchor.row, new_anchor_col), kind: v.kind });
            self.place(Pos::new(cur.row, new_cur_col), Want::Set);
            return;
        }
        self.vi.visual = Some(VisualState { anchor: cur, kind: v.kind });
        self.place(v.anchor, Want::Set);
    }

    /// The selection as an operator range.
    pub(crate) fn visual_range(&self, force_line: bool) -> Option<OpRange> {
        let v = self.vi.visual?;
        let cur = self.vpos();
        let (a, b) = if cur < v.anchor { (cur, v.anchor) } else { (v.anchor, cur) };
        let rope = &self.buf().text;
        let last = line_count(rope).saturating_sub(1);
        let mut r = OpRange {
            start: a,
            end: b,
            kind: RangeKind::Char,
            reg_one: false,
            visual: true,
            forced: false,
            end_adjusted: false,
        };
        let kind = if force_line && v.kind != VisualKind::Block { VisualKind::Line } else { v.kind };
        // `vY`, `vD`...: made linewise here, so the cursor rules of `V` don't apply.
        r.forced = kind != v.kind;
        match kind {
            VisualKind::Line => {
                // Vim's operator start: the anchor at column 0 or the cursor with its column,
                // whichever comes first (`Vky` keeps the column, `Vjy` and `Vy` go to column 0).
                r.kind = RangeKind::Line;
                let anchor = Pos::new(v.anchor.row, 0);
                r.start = if anchor < cur { anchor } else { cur };
            }
            VisualKind::Char => {
                let len = line_len(rope, b.row);
                r.end = if b.col >= len {
                    // The line break is selected.
                    if b.row < last {
                        Pos::new(b.row + 1, 0)
                    } else {
                        Pos::new(b.row, len)
                    }
                } else {
                    Pos::new(b.row, b.col + 1)
                };
            }
            VisualKind::Block => {
                let va = self.display_col(v.anchor.row, v.anchor.col);
                let vc = self.display_col(cur.row, cur.col);
                let left = va.min(vc);
                // The right edge is the last column the wider of the two corner chars covers.
                let right_edge = |p: Pos| {
                    let c = textpos::char_at(rope, p);
                    let v0 = self.display_col(p.row, p.col);
                    if c == '\0' {
                        v0
                    } else {
                        v0 + rtdvi_core::position::char_display_width(
                            c,
                            v0,
                            self.buf().opt_number("tabstop").max(1) as usize,
                            p.col == 0,
                        )
                        .max(1)
                            - 1
                    }
                };
                let right = self.vi.redo_block_right.unwrap_or_else(|| right_edge(v.anchor).max(right_edge(cur)));
                let to_eol = self.win().curswant == usize::MAX;
                r.start = Pos::new(a.row.min(b.row), 0);
                r.end = Pos::new(a.row.max(b.row), 0);
                r.kind = RangeKind::Block { left, right, to_eol };
            }
        }
        Some(r)
    }

    /// Remembers the selection's shape for `.` after a visual operator.
    pub(crate) fn note_visual_dot(&mut self) {
        let Some(v) = self.vi.visual else { return };
        let cur = self.vpos();
        let (a, b) = if cur < v.anchor { (cur, v.anchor) } else { (v.anchor, cur) };
        let lines = b.row - a.row + 1;
        let cols = match v.kind {
            VisualKind::Block => match self.visual_range(false).map(|r| r.kind) {
                Some(RangeKind::Block { to_eol: true, .. }) => usize::MAX,
                Some(RangeKind::Block { left, right, .. }) => right - left + 1,
                _ => 1,
            },
            VisualKind::Char if lines == 1 => b.col - a.col + 1,
            _ => b.col,
        };
        self.vi.dot_visual = Some((v.kind, lines, cols));
        let to_eol = self.win().curswant == usize::MAX;
        self.vi.resel_visual = Some((v.kind, lines, if cols == usize::MAX { 1 } else { cols }, to_eol));
    }

    /// An operator on the selection (`linewise` for `X D Y R S C`).
    pub(crate) fn visual_operator(&mut self, cmd: &Command, op: Op, linewise: bool) -> Result<(), Fail> {
        let Some(v) = self.vi.visual else { return Err(Fail) };
        let block = v.kind == VisualKind::Block;
        // Block `X` is a plain block delete (only `D` and `C` go to the line ends), as Vim's v_visop;
        // block `S` and `R` change whole lines.
        let key = cmd.keys.last().and_then(|k| k.as_char());
        if block && matches!(key, Some('S') | Some('R')) {
            self.vi.visual = Some(VisualState { anchor: v.anchor, kind: VisualKind::Line });
            return self.visual_operator(cmd, op, true);
        }
        let linewise = linewise && !(block && key == Some('X'));
        // Block `D`/`C`: to the end of every line.
        if block && linewise && matches!(op, Op::Delete | Op::Change) {
            self.win_mut().curswant = usize::MAX;
        }
        let Some(mut range) = self.visual_range(linewise && !block) else { return Err(Fail) };
        if block && linewise && op == Op::Yank {
            range = self.visual_range(false).ok_or(Fail)?;
        }
        self.note_visual_dot();
        if op == Op::Yank {
            // A yank is no change: its selection must not shape the next `.` (`vjy` then `ciw`),
            // though `{count}v` reselects its size.
            self.vi.dot_visual = None;
        }
        self.end_visual();
        // The operator's count in visual mode is for `>`/`<` only; other operators ignore it.
        let c = cmd.clone();
        if op == Op::Change && range.kind == RangeKind::Char && range.end.col == 0 && range.end.row > range.start.row {
            // `vjc` with the line break selected keeps the break out of the change? No: Vim deletes it.
        }
        self.apply_operator(&c, op, range)
    }

    /// `iw`, `a(` ... in visual mode: extend or set the selection.
    pub(crate) fn visual_object(&mut self, obj: TextObject, count: Option<usize>) -> Result<(), Fail> {
        let Some(v) = self.vi.visual else { return Err(Fail) };
        let cur = self.vpos();
        let n = count.unwrap_or(1).max(1);
        match obj.kind {
            'w' | 'W' => {
                // Vim's current_word works from the selection's anchor and cursor themselves.
                let rope = &self.buf().text;
                let (anchor, end, _) =
                    match super::textobject::word_object(rope, cur, n, obj.around, obj.kind == 'W', Some(v.anchor)) {
                        Ok(r) => r,
                        Err(at) => {
                            // No more words: Vim leaves the cursor where the search stopped.
                            self.place(at, Want::Set);
                            return Err(Fail);
                        }
                    };
                let kind = if v.kind == VisualKind::Line { VisualKind::Char } else { v.kind };
                self.vi.visual = Some(VisualState { anchor, kind });
                self.place(end, Want::Set);
                return Ok(());
            }
            'p' => {
                let rope = &self.buf().text;
                let span = super::textobject::paragraph_span(
                    rope,
                    cur.row,
                    n,
                    obj.around,
                    Some(v.anchor.row),
                    v.kind == VisualKind::Line,
                );
                let mut anchor = v.anchor;
                let mut kind = v.kind;
                if span.linewise {
                    if span.start != anchor.row {
                        anchor = Pos::new(span.start, 0);
                    }
                    kind = VisualKind::Line;
                }
                self.vi.visual = Some(VisualState { anchor, kind });
                self.place(Pos::new(span.end, 0), Want::Set);
                return if span.ok { Ok(()) } else { Err(Fail) };
            }
            _ => {}
        }
        let sel = Some(if cur < v.anchor { (cur, v.anchor) } else { (v.anchor, cur) });
        let single = v.anchor == cur;
        let (s, e, kind, _) = self.text_object(obj, count, cur, if single { None } else { sel })?;
        let new_kind = match kind {
            // A paragraph makes any selection linewise (blockwise too), as Vim's current_par.
            RangeKind::Line if v.kind == VisualKind::Char || obj.kind == 'p' => VisualKind::Line,
            RangeKind::Char if v.kind == VisualKind::Line && obj.kind != 'p' => VisualKind::Char,
            _ => v.kind,
        };
        let (s, e) = if single || "()b[]{}B<>".contains(obj.kind) {
            // Blocks replace the selection (a repeated `i(` selects the enclosing block).
            (s, e)
        } else if let Some((a, b)) = sel {
            // Extending: keep the start, move the end (objects only grow the selection forward).
            (a.min(s), b.max(e))
        } else {
            (s, e)
        };
        self.vi.visual = Some(VisualState { anchor: s, kind: new_kind });
        self.place(e, Want::Set);
        Ok(())
    }

    /// Visual `I` / `A`.
    pub(crate) fn visual_insert(&mut self, c: char, cmd: &Command) -> Result<(), Fail> {
        let Some(v) = self.vi.visual else { return Err(Fail) };
        let cur = self.vpos();
        let to_eol = self.win().curswant == usize::MAX;
        let r = self.visual_range(false).ok_or(Fail)?;
        self.note_visual_dot();
        self.end_visual();
        match (v.kind, r.kind) {
            (VisualKind::Block, RangeKind::Block { left, right, to_eol }) => {
                let (vcol, col) = if c == 'I' {
                    (left, self.col_for_want(r.start.row, left, true))
                } else if to_eol {
                    (0, line_len(&self.buf().text, r.start.row))
                } else {
                    let len = line_len(&self.buf().text, r.start.row);
                    let width = self.display_col(r.start.row, len);
                    if width <= right {
                        // Pad the first line out to the block's right edge.
                        let pad = " ".repeat(right + 1 - width);
                        let base = self.buf().line_start(r.start.row);
                        self.edit(base + len, base + len, &pad)?;
                    }
                    (right + 1, self.col_for_want(r.start.row, right + 1, true))
                };
                self.place(Pos::new(r.start.row, col), Want::Set);
                let mut c2 = cmd.clone();
                c2.count = None;
                self.begin_block_insert(&c2, r.start.row, r.end.row, vcol, c == 'A' && to_eol);
                if let Some(i) = &mut self.vi.insert {
                    i.block_left = left;
                }
                if let Some(i) = &mut self.vi.insert {
                    i.cmd_char = Some(c);
                }
                Ok(())
            }
            _ => {
                // Vim makes `I`/`A` linewise operators: the anchor goes to column 0, the cursor
                // keeps its column, and the earlier of the two is the start.
                let anchor = Pos::new(v.anchor.row, 0);
                let (start, end) = if anchor < cur { (anchor, cur) } else { (cur, anchor) };
                let p = if c == 'I' {
                    start
                } else {
                    // `A` inserts after the end's char when Vim's operator columns differ: the
                    // end char's last column against the start's (single line) or 0, both 0
                    // after `$` (Vim leaves them from an earlier operator; a fresh one has 0).
                    let rope = &self.buf().text;
                    let len = line_len(rope, end.row);
                    let mut p = Pos::new(end.row, end.col.min(len.saturating_sub(1)));
                    let (start_vcol, end_vcol) = if to_eol {
                        (0, 0)
                    } else {
                        let w = rtdvi_core::position::char_display_width(
                            textpos::char_at(rope, p),
                            self.display_col(p.row, p.col),
                            self.buf().opt_number("tabstop").max(1) as usize,
                            p.col == 0,
                        )
                        .max(1);
                        let sv = if start.row == end.row { self.display_col(start.row, start.col) } else { 0 };
                        (sv, self.display_col(p.row, p.col) + w - 1)
                    };
                    if len > 0 && start_vcol != end_vcol {
                        p.col += 1;
                    }
                    p
                };
                self.place(p, Want::Set);
                self.begin_insert(super::InsertKind::Insert, cmd, None);
                Ok(())
            }
        }
    }

    /// Visual `r{c}`: every selected char becomes `c`.
    pub(crate) fn visual_replace(&mut self, c: char, cmd: &Command) -> Result<(), Fail> {
        let r = self.visual_range(false).ok_or(Fail)?;
        self.note_visual_dot();
        self.end_visual();
        let rope = &self.buf().text;
        let mut edits = Vec::new();
        let rows = r.start.row..=r.end.row;
        for row in rows {
            let len = line_len(rope, row);
            let (s, e) = match r.kind {
                RangeKind::Line => (0, len),
                RangeKind::Char => {
                    let s = if row == r.start.row { r.start.col } else { 0 };
                    let e = if row == r.end.row { r.end.col.min(len) } else { len };
                    (s, e)
                }
                RangeKind::Block { left, right, to_eol } => self.block_cols(row, left, right, to_eol),
            };
            if e > s {
                let base = self.buf().line_start(row);
                edits.push(rtdvi_core::changeset::Edit {
                    start: base + s,
                    end: base + e,
                    text: std::iter::repeat_n(c, e - s).collect(),
                });
            }
        }
        if !edits.is_empty() {
            self.edits(edits)?;
        }
        let p = match r.kind {
            RangeKind::Line => Pos::new(r.start.row, 0),
            RangeKind::Block { left, .. } => Pos::new(r.start.row, self.col_for_want(r.start.row, left, false)),
            RangeKind::Char => r.start,
        };
        self.place_normal(p, Want::Set);
        self.record_dot(cmd);
        Ok(())
    }

    /// Visual `p`/`P` on a deleted block (rows `top..=bottom` from display column `left`): a
    /// one-line charwise register goes into every row of the block (rows too short to reach the
    /// block are left alone), lines go below the block for `p` and above it for `P`, anything else
    /// is put as with `P` at the block's top-left corner. As Neovim 0.11.
    #[allow(clippy::too_many_arguments)]
    fn put_into_block(
        &mut self,
        cmd: &Command,
        content: &crate::registers::Register,
        top: usize,
        bottom: usize,
        left: usize,
        after: bool,
        count: usize,
    ) -> Result<(), Fail> {
        let corner = |ed: &Editor| Pos::new(top, ed.col_for_want(top, left, true));
        match content.kind {
            RegisterKind::Charwise if content.lines.len() == 1 => {
                let text = content.lines[0].repeat(count);
                let mut edits = Vec::new();
                for row in top..=bottom {
                    let len = line_len(&self.buf().text, row);
                    if self.display_col(row, len) < left {
                        continue;
                    }
                    let at = self.buf().line_start(row) + self.col_for_want(row, left, true);
                    edits.push(rtdvi_core::changeset::Edit { start: at, end: at, text: text.clone() });
                }
                if !edits.is_empty() {
                    self.edits(edits)?;
                }
                let p = corner(self);
                let n = text.chars().count();
                self.place_normal(Pos::new(p.row, (p.col + n).saturating_sub(usize::from(n > 0))), Want::Set);
            }
            RegisterKind::Linewise => {
                let mut lines = Vec::new();
                for _ in 0..count {
                    lines.extend(content.lines.iter().cloned());
                }
                let at = if after { bottom + 1 } else { top };
                let id = self.buf_id();
                let cs = self.buf().lines_change(at, at, &lines).map_err(|_| Fail)?;
                self.apply_change(id, cs).map_err(|_| Fail)?;
                let col = textpos::first_nonblank(&self.buf().text, at);
                self.place_normal(Pos::new(at, col), Want::Set);
            }
            _ => {
                let p = corner(self);
                self.place(p, Want::Set);
                let reg = cmd.register.unwrap_or('"');
                self.put(reg, false, count, false, false)?;
            }
        }
        Ok(())
    }

    /// Visual `p` / `P`: replaces the selection by a register (`p` also yanks what it replaced).
    pub(crate) fn visual_put(&mut self, cmd: &Command, after: bool) -> Result<(), Fail> {
        let reg = cmd.register.unwrap_or('"');
        // An empty register still deletes the selection (and puts nothing).
        let content = self.read_register(reg);
        let Some(v) = self.vi.visual else { return Err(Fail) };
        let r = self.visual_range(false).ok_or(Fail)?;
        self.note_visual_dot();
        self.end_visual();
        let deleted = self.range_register(&r);
        let mut del_cmd = cmd.clone();
        del_cmd.register = Some('_');
        self.delete_range(&del_cmd, &r, false)?;
        // Put before the cursor where the selection was; a linewise register into a charwise
        // selection goes on its own lines (split the line).
        let Some(content) = content else {
            if r.kind == RangeKind::Line {
                let row = self.vpos().row;
                self.place_normal(Pos::new(row, 0), Want::Set);
            }
            if after {
                self.store_register(None, deleted, Op::Delete, false);
            }
            self.record_dot(cmd);
            return Ok(());
        };
        let count = cmd.count.unwrap_or(1).max(1);
        if let RangeKind::Block { left, .. } = r.kind {
            self.put_into_block(cmd, &content, r.start.row, r.end.row, left, after, count)?;
            if after {
                self.store_register(None, deleted, Op::Delete, false);
            }
            self.record_dot(cmd);
            return Ok(());
        }
        match (v.kind, content.kind) {
            (VisualKind::Line, _) => {
                let row = r.start.row;
                let mut lines = Vec::new();
                for _ in 0..count {
                    lines.extend(content.lines.iter().cloned());
                }
                let id = self.buf_id();
                // Deleting the last lines leaves the cursor above; put below it then.
                let n = line_count(&self.buf().text);
                let was_emptied = self.buf().text.len_chars() == 0 && n == 1;
                let cs = if was_emptied {
                    self.buf().lines_change(0, 1, &lines)
                } else if r.start.row >= n || (self.vpos().row < r.start.row) {
                    self.buf().lines_change(n, n, &lines)
                } else {
                    self.buf().lines_change(row, row, &lines)
                }
                .map_err(|_| Fail)?;
                self.apply_change(id, cs).map_err(|_| Fail)?;
                let target = if was_emptied { 0 } else { row.min(line_count(&self.buf().text) - 1) };
                let col = textpos::first_nonblank(&self.buf().text, target);
                self.place_normal(Pos::new(target, col), Want::Set);
            }
            (_, RegisterKind::Linewise) => {
                // Split the line at the cursor and put the lines in between.
                let p = self.vpos();
                let off = textpos::offset(&self.buf().text, r.start);
                let mut text = String::from("\n");
                for _ in 0..count {
                    for l in &content.lines {
                        text.push_str(l);
                        text.push('\n');
                    }
                }
                self.edit(off, off, &text)?;
                let _ = p;
                self.place_normal(
                    Pos::new(r.start.row + 1, textpos::first_nonblank(&self.buf().text, r.start.row + 1)),
                    Want::Set,
                );
            }
            _ => {
                // Put before the place the selection started (it is now at the cursor).
                self.place(r.start, Want::Set);
                let len = line_len(&self.buf().text, r.start.row);
                let after_end = r.start.col >= len && len > 0;
                let tmp = '\u{1}';
                let _ = tmp;
                // Use the put machinery with a temporary copy of the register content.
                let saved_reg = self.registers.get('"').cloned();
                let _ = saved_reg;
                let text = content.lines.join("\n");
                let mut all = String::new();
                for _ in 0..count {
                    all.push_str(&text);
                }
                if content.kind == RegisterKind::Charwise || matches!(content.kind, RegisterKind::Blockwise(_)) {
                    let off = textpos::offset(
                        &self.buf().text,
                        Pos::new(r.start.row, if after_end { len } else { r.start.col }),
                    );
                    self.edit(off, off, &all)?;
                    let n = all.chars().count();
                    let endp = textpos::pos_of(&self.buf().text, (off + n).saturating_sub(usize::from(n > 0)));
                    self.place_normal(endp, Want::Set);
                }
            }
        }
        if after {
            // `p` puts the replaced text in the unnamed register (and "-" or "1"); `P` doesn't.
            self.store_register(None, deleted, Op::Delete, false);
        }
        self.record_dot(cmd);
        Ok(())
    }
}
