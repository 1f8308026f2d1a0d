//! Insert and replace mode.

use super::command::Command;
use super::normal::Want;
use super::textpos::{self, first_nonblank, is_blank, line_len, line_string, Pos};
use super::{DotRecord, InsertKind, InsertState};
use crate::editor::Editor;
use crate::events::Event;
use crate::keys::{Key, KeyCode, Mods};

impl Editor {
    /// Enters insert (or replace) mode for a command; `cmd_char` is `o`/`O`/`a`... for counts.
    pub(crate) fn begin_insert(&mut self, kind: InsertKind, cmd: &Command, cmd_char: Option<char>) {
        let start = self.vpos();
        let visual = self.vi.dot_visual.take();
        let dot = self.vi.dot_override.take().or(Some(DotRecord {
            keys: cmd.keys.clone(),
            count: cmd.count,
            register: cmd.register,
            visual,
        }));
        // The count of `c{motion}` belongs to the motion; inserts and `R` repeat their text.
        let repeats = if cmd_char.is_some() || kind != InsertKind::Insert { cmd.count.unwrap_or(1).max(1) } else { 1 };
        let state = InsertState {
            kind,
            count: repeats,
            cmd_char,
            typed: Vec::new(),
            start,
            replaced: Vec::new(),
            pending: None,
            pending_text: String::new(),
            pending_from: 0,
            dot,
            block: None,
            replaying: false,
            block_left: 0,
            at_eol: None,
            ai_row: None,
            change_at: None,
            batch_open: false,
            ctrl_x: false,
        };
        self.enter_insert(state);
    }

    /// Enters insert mode for a visual-block `I`/`A`/`c`.
    pub(crate) fn begin_block_insert(&mut self, cmd: &Command, first: usize, last: usize, vcol: usize, to_eol: bool) {
        self.begin_insert(InsertKind::Insert, cmd, None);
        if let Some(i) = &mut self.vi.insert {
            i.block = Some((first, last, vcol, to_eol));
            i.block_left = vcol;
            i.count = 1;
        }
    }

    fn enter_insert(&mut self, state: InsertState) {
        // A command after `<C-o>` that starts an insert of its own ends the suspended one.
        self.vi.insert_normal = None;
        let mut args = self.buf_event_args(self.buf_id());
        args.data = Some(
            match state.kind {
                InsertKind::Insert => "i",
                InsertKind::Replace => "r",
                InsertKind::VirtualReplace => "v",
            }
            .to_string(),
        );
        self.fire(Event::InsertEnter, args);
        self.vi.insert = Some(state);
    }

    /// Back to insert mode after a `<C-o>` command.
    pub(crate) fn resume_insert(&mut self, mut ins: InsertState) {
        // Back past the end of the line if the cursor was there before `<C-o>`, or the wanted
        // column is beyond the last char (after `<C-o>$`).
        let p = self.vpos();
        let len = line_len(&self.buf().text, p.row);
        let vcol = self.display_col(p.row, p.col);
        if len > 0 && p.col + 1 == len && (ins.at_eol == Some(p.row) || self.win().curswant > vcol) {
            self.place(Pos::new(p.row, len), Want::Keep);
        }
        ins.at_eol = None;
        ins.start = self.vpos();
        ins.typed.clear();
        // What is typed after a typed `<C-o>` command is a new undo step (Vim syncs undo there).
        if self.vi.key_typed {
            self.buf_mut().commit_undo();
        }
        self.vi.insert = Some(ins);
    }

    /// A key in insert or replace mode.
    pub(crate) fn insert_key(&mut self, key: Key) {
        let Some(pending) = self.vi.insert.as_ref().map(|i| i.pending) else { return };
        if let Some(p) = pending {
            self.insert_pending_key(p, key);
            return;
        }
        if !self.vi.insert.as_ref().is_some_and(|i| i.replaying) {
            if let Some(i) = &mut self.vi.insert {
                i.typed.push(key);
            }
        }
        let in_batch = self.vi.insert.as_mut().is_some_and(|i| std::mem::take(&mut i.batch_open));
        // `<C-x>` starts Vim's completion submode (mode() "ix"); rtdvi has no completion there,
        // so the next key just ends it and does what it does in insert mode.
        let ctrl_x = key.is_ctrl('x');
        if let Some(i) = &mut self.vi.insert {
            i.ctrl_x = ctrl_x;
        }
        let leaves = key.code == KeyCode::Esc || key.is_ctrl('c');
        if !leaves && (key.mods != Mods::NONE || key.to_text_char().is_none()) {
            if let Some(i) = &mut self.vi.insert {
                i.change_at = None;
            }
        }
        match (key.code, key.mods) {
            (KeyCode::Esc, _) => self.leave_insert(),
            (KeyCode::Char('c'), Mods::CTRL) => self.leave_insert(),
            (KeyCode::Enter, Mods::NONE) | (KeyCode::NewLine, Mods::NONE) => self.insert_newline(),
            (KeyCode::Tab, Mods::NONE) => self.insert_tab(),
            (KeyCode::Backspace, _) | (KeyCode::Char('h'), Mods::CTRL) => self.insert_backspace(),
            (KeyCode::Delete, _) => self.insert_delete(),
            (KeyCode::Char('w'), Mods::CTRL) => {
                self.insert_default_undo_break();
                self.insert_delete_before(true)
            }
            (KeyCode::Char('u'), Mods::CTRL) => {
                self.insert_default_undo_break();
                self.insert_delete_before(false)
            }
            (KeyCode::Char('t'), Mods::CTRL) => self.insert_shift(1),
            (KeyCode::Char('d'), Mods::CTRL) => {
                // `0<C-d>` and `^<C-d>`: the just typed `0`/`^` goes and so does all the indent.
                let typed = self.vi.insert.as_ref().map(|i| i.typed.clone()).unwrap_or_default();
                let prev = typed.len().checked_sub(2).and_then(|i| typed.get(i)).and_then(|k| k.as_char());
                let p = self.vpos();
                let before = (p.col > 0).then(|| textpos::char_at(&self.buf().text, Pos::new(p.row, p.col - 1)));
                if matches!(prev, Some('0' | '^')) && before == prev {
                    let base = self.buf().line_start(p.row);
                    if self.edit(base + p.col - 1, base + p.col, "").is_ok() {
                        self.place(Pos::new(p.row, p.col - 1), Want::Set);
                        self.insert_remove_indent();
                    }
                } else {
                    self.insert_shift(-1);
                }
            }
            (KeyCode::Char('r'), Mods::CTRL) => self.set_insert_pending('r'),
            (KeyCode::Char('v'), Mods::CTRL) | (KeyCode::Char('q'), Mods::CTRL) => self.set_insert_pending('v'),
            (KeyCode::Char('k'), Mods::CTRL) => self.set_insert_pending('k'),
            (KeyCode::Char('g'), Mods::CTRL) => self.set_insert_pending('g'),
            (KeyCode::Char('o'), Mods::CTRL) => self.insert_ctrl_o(),
            (KeyCode::Char('a'), Mods::CTRL) => {
                // The text of the last insert, as text (not replayed as keys, so it can't recurse).
                let text: Vec<char> = self.vi.last_insert_text.iter().filter_map(|k| k.to_text_char()).collect();
                let from = self.vi.insert.as_ref().map_or(0, |i| i.typed.len().saturating_sub(1));
                let last = self.vi.last_insert_text.clone();
                self.record_inserted(from, &last);
                for c in text {
                    match c {
                        '\r' | '\n' => self.insert_newline_raw(false),
                        '\x1b' => {}
                        c if (c as u32) < 0x20 && c != '\t' => {}
                        c => self.insert_text_char(c),
                    }
                }
            }
            (KeyCode::Char('e'), Mods::CTRL) | (KeyCode::Char('y'), Mods::CTRL) => {
                let p = self.vpos();
                let row = if key.code == KeyCode::Char('e') { p.row + 1 } else { p.row.wrapping_sub(1) };
                if row < textpos::line_count(&self.buf().text) {
                    let vcol = self.display_col(p.row, p.col);
                    let col = self.col_for_want(row, vcol, true);
                    let c = textpos::char_at(&self.buf().text, Pos::new(row, col));
                    let from = self.vi.insert.as_ref().map_or(0, |i| i.typed.len().saturating_sub(1));
                    if c != '\0' && self.display_col(row, col) == vcol {
                        // Vim records the copied char, after a `<C-v>` unless it is alphanumeric.
                        if c.is_ascii_alphanumeric() || (c as u32) >= 256 {
                            self.record_inserted(from, &[Key::char(c)]);
                        } else {
                            self.record_inserted(from, &Self::literal_keys(c));
                        }
                        self.insert_text_char(c);
                    } else {
                        self.record_inserted(from, &[]);
                    }
                }
            }
            (KeyCode::Left, _)
            | (KeyCode::Right, _)
            | (KeyCode::Up, _)
            | (KeyCode::Down, _)
            | (KeyCode::Home, _)
            | (KeyCode::End, _)
            | (KeyCode::PageUp, _)
            | (KeyCode::PageDown, _) => self.insert_cursor_key(key),
            (KeyCode::Insert, _) => {
                if let Some(i) = &mut self.vi.insert {
                    i.kind = if i.kind == InsertKind::Insert { InsertKind::Replace } else { InsertKind::Insert };
                }
            }
            (KeyCode::Ignore, _) => {}
            _ => {
                if let Some(c) = key.to_text_char() {
                    if key.mods == Mods::NONE {
                        let at = self.vpos();
                        self.insert_typed_char(c);
                        self.note_typed_char(c, at, in_batch);
                    }
                }
            }
        }
    }

    /// Where the `'.` mark of this insert goes. Vim inserts a run of plain ASCII chars that are
    /// already waiting in the typeahead as one string (insertchar's "grab up to INPUT_BUFLEN at
    /// once"), so its change, and the `'.` mark, is where the run began; a char typed alone is a
    /// change of its own. `0` and `^` end a run (they may start `0<C-d>`), and replace mode never
    /// makes one.
    fn note_typed_char(&mut self, c: char, at: Pos, in_batch: bool) {
        let plain = |c: char| c.is_ascii() && !c.is_ascii_control() && c != '0' && c != '^';
        let next_plain = self
            .vi
            .typeahead
            .front()
            .is_some_and(|k| k.key.mods == Mods::NONE && k.key.to_text_char().is_some_and(plain));
        let Some(i) = &mut self.vi.insert else { return };
        if i.kind != InsertKind::Insert {
            i.change_at = None;
            return;
        }
        if !(in_batch && plain(c)) {
            i.change_at = Some(at);
        }
        i.batch_open = plain(c) && next_plain;
    }

    fn set_insert_pending(&mut self, c: char) {
        if let Some(i) = &mut self.vi.insert {
            i.pending_from = i.typed.len().saturating_sub(1);
            i.pending = Some(c);
            i.pending_text.clear();
        }
    }

    /// Replaces the keys typed since the pending sequence began (`<C-r>a`, `<C-v>065`, `<C-k>e:`)
    /// by what Vim records for `.` and the `.` register: the inserted text, with a `<C-v>` before
    /// chars that must be taken literally.
    fn record_inserted(&mut self, from: usize, text: &[Key]) {
        if let Some(i) = &mut self.vi.insert {
            if !i.replaying && from <= i.typed.len() {
                i.typed.truncate(from);
                i.typed.extend_from_slice(text);
            }
        }
    }

    /// `<C-v>` and the char, as Vim records a char inserted literally.
    fn literal_keys(c: char) -> [Key; 2] {
        [Key::ctrl('v'), Key::char(c)]
    }

    fn insert_pending_key(&mut self, p: char, key: Key) {
        if let Some(i) = &mut self.vi.insert {
            if !i.replaying {
                i.typed.push(key);
            }
        }
        match p {
            'r' => {
                if let Some(i) = &mut self.vi.insert {
                    i.pending = None;
                }
                // <C-r><C-r>, <C-r><C-o>, <C-r><C-p>: literal variants; the register follows.
                if key.mods == Mods::CTRL && matches!(key.code, KeyCode::Char('r' | 'o' | 'p')) {
                    // The same sequence goes on (its start stays where the first `<C-r>` was).
                    if let Some(i) = &mut self.vi.insert {
                        i.pending = Some('r');
                    }
                    return;
                }
                let Some(reg) = key.to_text_char() else { return };
                if reg == '=' {
                    self.open_cmdline('=', String::new(), super::CmdPurpose::Expr);
                    return;
                }
                if let Some(r) = self.read_register(reg).or_else(|| self.insert_special_register(reg)) {
                    let mut text = r.lines.join("\n");
                    if r.kind == crate::registers::RegisterKind::Linewise {
                        text.push('\n');
                    }
                    let from = self.vi.insert.as_ref().map_or(0, |i| i.pending_from);
                    let keys: Vec<Key> = text
                        .chars()
                        .flat_map(|c| match c {
                            '\n' => vec![Key::plain(KeyCode::Enter)],
                            c if (c as u32) < 0x20 || c == '\x7f' => Self::literal_keys(c).to_vec(),
                            c => vec![Key::char(c)],
                        })
                        .collect();
                    self.record_inserted(from, &keys);
                    for c in text.chars() {
                        if c == '\n' {
                            self.insert_newline_raw(false);
                        } else {
                            self.insert_text_char(c);
                        }
                    }
                }
            }
            'v' => {
                let text = self.vi.insert.as_ref().map(|i| i.pending_text.clone()).unwrap_or_default();
                let c = key.to_text_char();
                let done = |ed: &mut Editor, ch: Option<char>| {
                    let from = ed.vi.insert.as_ref().map_or(0, |i| i.pending_from);
                    if let Some(i) = &mut ed.vi.insert {
                        i.pending = None;
                        i.pending_text.clear();
                    }
                    if let Some(ch) = ch {
                        ed.record_inserted(from, &Self::literal_keys(ch));
                        ed.insert_text_char(ch);
                    }
                };
                let (radix, max) = match text.chars().next() {
                    Some('x') | Some('X') => (16, 3),
                    Some('u') => (16, 5),
                    Some('U') => (16, 9),
                    Some('o') | Some('O') => (8, 4),
                    Some(_) => (10, 3),
                    None => (0, 0),
                };
                match c {
                    Some(ch) if text.is_empty() && "xXuUoO".contains(ch) && key.mods == Mods::NONE => {
                        if let Some(i) = &mut self.vi.insert {
                            i.pending_text.push(ch);
                        }
                    }
                    Some(ch) if (text.is_empty() && ch.is_ascii_digit()) || (radix > 0 && ch.is_digit(radix)) => {
                        let mut t = text.clone();
                        t.push(ch);
                        let digits = t.trim_start_matches(|x: char| "xXuUoO".contains(x));
                        let r = if radix == 0 { 10 } else { radix };
                        let limit = if radix == 0 { 3 } else { max };
                        if t.chars().count() >= limit {
                            let v = u32::from_str_radix(digits, r).ok().and_then(char::from_u32);
                            done(self, v);
                        } else if let Some(i) = &mut self.vi.insert {
                            i.pending_text = t;
                        }
                    }
                    _ => {
                        if !text.is_empty() {
                            let digits = text.trim_start_matches(|x: char| "xXuUoO".contains(x));
                            let r = if radix == 0 { 10 } else { radix };
                            let v = u32::from_str_radix(digits, r).ok().and_then(char::from_u32);
                            done(self, v);
                            self.insert_key(key);
                        } else {
                            done(self, c);
                        }
                    }
                }
            }
            'g' => {
                if let Some(i) = &mut self.vi.insert {
                    i.pending = None;
                }
                match key.as_char() {
                    // `<C-g>u`: close the undo step; what follows is undone separately.
                    Some('u') => {
                        self.buf_mut().commit_undo();
                        let p = self.vpos();
                        if let Some(i) = &mut self.vi.insert {
                            i.start = p;
                        }
                    }
                    // `<C-g>j`/`<C-g>k`: a line down/up, to the column where inserting started.
                    Some('j') | Some('k') => {
                        let start_col = self.vi.insert.as_ref().map_or(0, |i| i.start.col);
                        let v = self.display_col(self.vpos().row, start_col);
                        self.win_mut().curswant = v;
                        let code = if key.as_char() == Some('j') { KeyCode::Down } else { KeyCode::Up };
                        self.insert_cursor_key(Key::plain(code));
                    }
                    _ => {}
                }
            }
            'k' => {
                let first = self.vi.insert.as_ref().and_then(|i| i.pending_text.chars().next());
                let c = if key.code == KeyCode::Esc { None } else { key.to_text_char() };
                let Some(c) = c else {
                    // `<Esc>` (or a special key) cancels the digraph.
                    if let Some(i) = &mut self.vi.insert {
                        i.pending = None;
                    }
                    return;
                };
                match first {
                    None => {
                        if let Some(i) = &mut self.vi.insert {
                            i.pending_text.push(c);
                        }
                    }
                    Some(a) => {
                        let from = self.vi.insert.as_ref().map_or(0, |i| i.pending_from);
                        if let Some(i) = &mut self.vi.insert {
                            i.pending = None;
                            i.pending_text.clear();
                        }
                        let d = digraph(a, c).unwrap_or(c);
                        self.record_inserted(from, &Self::literal_keys(d));
                        self.insert_text_char(d);
                    }
                }
            }
            _ => {
                if let Some(i) = &mut self.vi.insert {
                    i.pending = None;
                }
            }
        }
    }

    /// Registers only meaningful in insert mode (`.`, `:`).
    fn insert_special_register(&self, reg: char) -> Option<crate::registers::Register> {
        let text = match reg {
            '.' => self.vi.last_insert_text.iter().filter_map(|k| k.to_text_char()).collect::<String>(),
            ':' => self.vi.cmd_history.last().cloned()?,
            _ => return None,
        };
        Some(crate::registers::Register {
            lines: text.split('\n').map(str::to_string).collect(),
            kind: crate::registers::RegisterKind::Charwise,
        })
    }

    /// A typed printable char: fires InsertCharPre, then inserts (or replaces) what its autocmds
    /// left in `v:char` (the char itself unless they changed it; nothing when they emptied it).
    fn insert_typed_char(&mut self, c: char) {
        let mut text = c.to_string();
        if self.has_autocmd(Event::InsertCharPre) {
            let mut args = self.buf_event_args(self.buf_id());
            args.data = Some(c.to_string());
            let outer = self.event_vars.insert("char".into(), crate::expr::Value::String(text.clone()));
            self.fire(Event::InsertCharPre, args);
            let now = match outer {
                Some(v) => self.event_vars.insert("char".into(), v),
                None => self.event_vars.remove("char"),
            };
            text = now.and_then(|v| v.to_string_value().ok()).unwrap_or_default();
        }
        for c in text.chars() {
            self.insert_text_char(c);
            // 'textwidth' wraps at a blank before the cursor once the line gets too long.
            let tw = self.buf().opt_number("textwidth");
            if tw > 0 && !is_blank(c) {
                self.auto_wrap(tw as usize);
            }
        }
    }

    /// Inserts one char at the cursor (replace mode overwrites).
    pub(crate) fn insert_text_char(&mut self, c: char) {
        if let Some(i) = &mut self.vi.insert {
            i.ai_row = None;
        }
        let p = self.vpos();
        let kind = self.vi.insert.as_ref().map_or(InsertKind::Insert, |i| i.kind);
        let off = textpos::offset(&self.buf().text, p);
        let len = line_len(&self.buf().text, p.row);
        let replace = kind != InsertKind::Insert && p.col < len;
        let old = if replace { Some(textpos::char_at(&self.buf().text, p)) } else { None };
        let r = if replace { self.edit(off, off + 1, &c.to_string()) } else { self.edit(off, off, &c.to_string()) };
        if r.is_err() {
            return;
        }
        if kind != InsertKind::Insert {
            if let Some(i) = &mut self.vi.insert {
                i.replaced.push(old);
            }
        }
        self.place(Pos::new(p.row, p.col + 1), Want::Set);
    }

    /// `<CR>`: splits the line, with the new line's indent.
    fn insert_newline(&mut self) {
        self.insert_newline_raw(true);
    }

    /// A line break without indent (text inserted from a register or an expression).
    pub(crate) fn insert_newline_plain(&mut self) {
        self.insert_newline_raw(false);
    }

    fn insert_newline_raw(&mut self, indent: bool) {
        let p = self.vpos();
        let kind = self.vi.insert.as_ref().map_or(InsertKind::Insert, |i| i.kind);
        let line = line_string(&self.buf().text, p.row);
        // In Replace mode the new line gets no indent.
        let give_indent = indent && kind != InsertKind::Replace;
        let fallback = if give_indent { self.builtin_new_line_indent(p.row, true) } else { String::new() };
        let off = textpos::offset(&self.buf().text, p);
        // With 'autoindent', blanks at the split point go away; and a line that had only the
        // automatic indent loses it.
        let rest: String = line.chars().skip(p.col).collect();
        let skip_after = if indent && self.buf().opt_bool("autoindent") {
            rest.chars().take_while(|c| is_blank(*c)).count()
        } else {
            0
        };
        let before: String = line.chars().take(p.col).collect();
        let trim_before =
            if indent && self.buf().opt_bool("autoindent") && before.chars().all(is_blank) && !before.is_empty() {
                before.chars().count()
            } else {
                0
            };
        let start = off - trim_before;
        if self.edit(start, off + skip_after, "\n").is_err() {
            return;
        }
        let ai = self.buf().opt_bool("autoindent");
        // The indent comes once the new line exists, so a provider sees the text after the cursor.
        let ind = if give_indent { self.indent_new_line(p.row + 1, fallback) } else { String::new() };
        if let Some(i) = &mut self.vi.insert {
            if kind != InsertKind::Insert {
                i.replaced.clear();
            }
            // A provider's indent is automatic too (Vim's did_ai with 'indentexpr').
            i.ai_row = (ai || !ind.is_empty()).then_some(p.row + 1);
        }
        self.place(Pos::new(p.row + 1, ind.chars().count()), Want::Set);
    }

    /// `<Tab>` with 'expandtab' and 'softtabstop'.
    fn insert_tab(&mut self) {
        let et = self.buf().opt_bool("expandtab");
        let sts = self.buf().opt_number("softtabstop");
        let ts = self.buf().opt_number("tabstop").max(1) as usize;
        let sts = if sts < 0 { self.shiftwidth() } else { sts as usize };
        let p = self.vpos();
        // 'smarttab': in the indent a <Tab> inserts a 'shiftwidth' worth.
        let in_indent = line_string(&self.buf().text, p.row).chars().take(p.col).all(is_blank);
        let smart = self.opt("smarttab").as_bool() && in_indent;
        // A plain tab unless 'expandtab', 'softtabstop' or a 'smarttab' step other than a tab's.
        if !et && sts == 0 && !(smart && self.shiftwidth() != ts) {
            self.insert_typed_char('\t');
            return;
        }
        let sts = if smart { self.shiftwidth() } else { sts };
        if !et && sts == 0 {
            self.insert_typed_char('\t');
            return;
        }
        let vcol = self.display_col(p.row, p.col);
        let step = if sts > 0 { sts } else { ts };
        let target = (vcol / step + 1) * step;
        if et {
            for _ in vcol..target {
                self.insert_text_char(' ');
            }
            return;
        }
        // 'softtabstop' without 'expandtab': fill with tabs where the run of blanks allows.
        let line: Vec<char> = line_string(&self.buf().text, p.row).chars().collect();
        let mut s = p.col;
        while s > 0 && line[s - 1] == ' ' {
            s -= 1;
        }
        let svcol = self.display_col(p.row, s);
        let mut fill = String::new();
        let mut v = svcol;
        while (v / ts + 1) * ts <= target {
            fill.push('\t');
            v = (v / ts + 1) * ts;
        }
        fill.push_str(&" ".repeat(target - v));
        let base = self.buf().line_start(p.row);
        if self.edit(base + s, base + p.col, &fill).is_ok() {
            self.place(Pos::new(p.row, s + fill.chars().count()), Want::Set);
        }
    }

    /// `<BS>`: deletes the char before the cursor, joins lines at column 0, restores replaced chars
    /// in replace mode, and removes a 'softtabstop' worth of blanks.
    /// Whether 'backspace' allows `what` (`indent`, `eol`, `start`; also its old numeric values).
    fn can_backspace(&self, what: &str) -> bool {
        let bs = self.opt("backspace");
        match bs.as_str().as_ref() {
            "0" => false,
            "1" => what != "start",
            "2" | "3" => true,
            list => list.split(',').any(|v| v == what),
        }
    }

    /// Vim's ins_bs refusals: over the insert start without `start` in 'backspace', over a line
    /// break without `eol`.
    /// A refused key beeps and is not part of the inserted text (`.` register, repeat).
    fn backspace_refused(&mut self, p: Pos) -> bool {
        let start = self.vi.insert.as_ref().map(|i| i.start);
        let at_start = start.is_some_and(|s| s.row == p.row && p.col <= s.col);
        let refused = (!self.can_backspace("start") && at_start) || (!self.can_backspace("eol") && p.col == 0);
        if refused {
            if let Some(i) = self.vi.insert.as_mut().filter(|i| !i.replaying) {
                i.typed.pop();
            }
        }
        refused
    }

    fn insert_backspace(&mut self) {
        let p = self.vpos();
        if self.backspace_refused(p) {
            return;
        }
        let kind = self.vi.insert.as_ref().map_or(InsertKind::Insert, |i| i.kind);
        if kind != InsertKind::Insert {
            // Replace mode: undo the last overwrite, or just move left over older text.
            let last = self.vi.insert.as_mut().and_then(|i| i.replaced.pop());
            if p.col == 0 {
                return;
            }
            let off = textpos::offset(&self.buf().text, p);
            match last {
                Some(Some(old)) => {
                    let _ = self.edit(off - 1, off, &old.to_string());
                }
                Some(None) => {
                    let _ = self.edit(off - 1, off, "");
                }
                None => {}
            }
            self.place(Pos::new(p.row, p.col - 1), Want::Set);
            return;
        }
        if p.col == 0 {
            if p.row == 0 {
                return;
            }
            let off = textpos::offset(&self.buf().text, p);
            let prev_len = line_len(&self.buf().text, p.row - 1);
            if self.edit(off - 1, off, "").is_ok() {
                self.place(Pos::new(p.row - 1, prev_len), Want::Set);
            }
            return;
        }
        let sts = self.buf().opt_number("softtabstop");
        let sts = if sts < 0 { self.shiftwidth() } else { sts as usize };
        let line: Vec<char> = line_string(&self.buf().text, p.row).chars().collect();
        let in_indent = line[..p.col.min(line.len())].iter().all(|c| is_blank(*c));
        let sts = if self.opt("smarttab").as_bool() && in_indent { self.shiftwidth() } else { sts };
        let mut n = 1;
        if sts > 0 && matches!(line.get(p.col - 1), Some(' ') | Some('\t')) {
            let vcol = self.display_col(p.row, p.col);
            let want = (vcol - 1) / sts * sts;
            let mut s = p.col;
            while s > 0 && is_blank(line[s - 1]) && self.display_col(p.row, s - 1) >= want {
                s -= 1;
            }
            n = (p.col - s).max(1);
        }
        let off = textpos::offset(&self.buf().text, p);
        if self.edit(off - n, off, "").is_ok() {
            self.place(Pos::new(p.row, p.col - n), Want::Set);
        }
    }

    /// `<Del>`: deletes the char under the cursor (joining at the end of a line).
    fn insert_delete(&mut self) {
        let p = self.vpos();
        let off = textpos::offset(&self.buf().text, p);
        if off < self.buf().text.len_chars() {
            let _ = self.edit(off, off + 1, "");
            self.place(p, Want::Set);
        }
    }

    /// `<C-w>` (a word) and `<C-u>` (everything typed / the line) before the cursor.
    fn insert_delete_before(&mut self, word: bool) {
        let p = self.vpos();
        if self.backspace_refused(p) {
            return;
        }
        let start = self.vi.insert.as_ref().map(|i| i.start).unwrap_or(p);
        if p.col == 0 {
            self.insert_backspace();
            return;
        }
        let line: Vec<char> = line_string(&self.buf().text, p.row).chars().collect();
        let mut s = p.col;
        if word {
            while s > 0 && is_blank(line[s - 1]) {
                s -= 1;
            }
            if s > 0 {
                let c = textpos::char_class(line[s - 1], false);
                while s > 0 && textpos::char_class(line[s - 1], false) == c && !is_blank(line[s - 1]) {
                    s -= 1;
                }
            }
        } else {
            let fnb = first_nonblank(&self.buf().text, p.row);
            s = if p.col > fnb { fnb } else { 0 };
        }
        // Both stop once at the point where this insert started.
        if start.row == p.row && start.col < p.col && s < start.col {
            s = start.col;
        }
        let base = self.buf().line_start(p.row);
        if self.edit(base + s, base + p.col, "").is_ok() {
            self.place(Pos::new(p.row, s), Want::Set);
            if let Some(i) = &mut self.vi.insert {
                if i.start.row == p.row && i.start.col > s {
                    i.start.col = s;
                }
            }
        }
    }

    /// Neovim maps `<C-u>` and `<C-w>` in insert mode to `<C-g>u<C-u>` and `<C-g>u<C-w>` by default
    /// (`:help i_CTRL-U-default`): what they delete can be brought back by `u` alone. The undo step
    /// closes; unlike a typed `<C-g>u` Vim keeps the original insert start for where they stop.
    fn insert_default_undo_break(&mut self) {
        if !self.vi.insert.as_ref().is_some_and(|i| i.replaying) {
            self.buf_mut().commit_undo();
        }
    }

    /// Removes the line's whole indent, keeping the cursor on its text (`0<C-d>`).
    fn insert_remove_indent(&mut self) {
        let p = self.vpos();
        let line = line_string(&self.buf().text, p.row);
        let ind = line.chars().take_while(|c| is_blank(*c)).count();
        let base = self.buf().line_start(p.row);
        if ind > 0 && self.edit(base, base + ind, "").is_ok() {
            self.place(Pos::new(p.row, p.col.saturating_sub(ind)), Want::Set);
        }
    }

    /// `<C-t>` / `<C-d>`: shifts the line by 'shiftwidth', keeping the cursor on its text.
    fn insert_shift(&mut self, dir: i64) {
        let p = self.vpos();
        let line = line_string(&self.buf().text, p.row);
        let ind_chars = line.chars().take_while(|c| is_blank(*c)).count();
        let width = self.display_col(p.row, ind_chars);
        let sw = self.shiftwidth();
        // The new indent is rounded to a multiple of 'shiftwidth'.
        let new = if dir > 0 { (width / sw + 1) * sw } else { width.saturating_sub(1) / sw * sw };
        let new = if dir < 0 && width == 0 { 0 } else { new };
        let ts = self.buf().opt_number("tabstop").max(1) as usize;
        let et = self.buf().opt_bool("expandtab");
        let indent = super::operator::make_indent(new, ts, et);
        let base = self.buf().line_start(p.row);
        if self.edit(base, base + ind_chars, &indent).is_err() {
            return;
        }
        let new_chars = indent.chars().count();
        let col = if p.col >= ind_chars { p.col + new_chars - ind_chars } else { new_chars };
        self.place(Pos::new(p.row, col), Want::Set);
        // Where the insert started moves with the text (to the line start if its indent went),
        // so `<C-u>` and `<C-w>` still stop there.
        if let Some(i) = &mut self.vi.insert {
            if i.start.row == p.row && i.start.col != 0 {
                let gone = ind_chars.saturating_sub(new_chars);
                i.start.col =
                    if i.start.col <= gone { 0 } else { i.start.col - gone + new_chars.saturating_sub(ind_chars) };
            }
        }
        // An automatic indent changed on a still blank line still goes away on <Esc> (Vim's did_ai).
        let blank = line_string(&self.buf().text, p.row).chars().all(is_blank);
        if let Some(i) = &mut self.vi.insert {
            if !blank {
                i.ai_row = None;
            }
        }
    }

    /// `<C-o>`: one normal-mode command, then back to insert.
    fn insert_ctrl_o(&mut self) {
        let Some(mut ins) = self.vi.insert.take() else { return };
        ins.typed.pop();
        // Normal mode can't sit past the end of the line; remember that it was there.
        let p = self.vpos();
        let len = line_len(&self.buf().text, p.row);
        ins.at_eol = (len > 0 && p.col >= len).then_some(p.row);
        if len > 0 && p.col >= len {
            self.place(Pos::new(p.row, len - 1), Want::Keep);
        }
        self.finish_insert_record(&ins);
        self.buf_mut().commit_undo();
        self.vi.insert_normal = Some(ins);
    }

    /// Arrow keys and friends: move, and start a new undo step and a new insert start, as Vim.
    fn insert_cursor_key(&mut self, key: Key) {
        let p = self.vpos();
        let rope = &self.buf().text;
        let last = textpos::line_count(rope).saturating_sub(1);
        let np = match (key.code, key.mods) {
            (KeyCode::Left, Mods::NONE) => Pos::new(p.row, p.col.saturating_sub(1)),
            (KeyCode::Right, Mods::NONE) => Pos::new(p.row, (p.col + 1).min(line_len(rope, p.row))),
            (KeyCode::Up, _) if p.row > 0 => {
                let col = self.col_for_want(p.row - 1, self.win().curswant, true);
                self.place(Pos::new(p.row - 1, col), Want::Keep);
                self.insert_break_undo();
                return;
            }
            (KeyCode::Down, _) if p.row < last => {
                let col = self.col_for_want(p.row + 1, self.win().curswant, true);
                self.place(Pos::new(p.row + 1, col), Want::Keep);
                self.insert_break_undo();
                return;
            }
            (KeyCode::Home, _) => Pos::new(p.row, 0),
            (KeyCode::End, _) => Pos::new(p.row, line_len(rope, p.row)),
            (KeyCode::Left, _) => {
                let (q, _) = super::motion::word_back(rope, p, 1, key.mods == Mods::CTRL, false);
                q
            }
            (KeyCode::Right, _) => {
                let (q, _) = super::motion::word_forward(rope, p, 1, key.mods == Mods::CTRL, false);
                q
            }
            _ => p,
        };
        self.place(np, Want::Set);
        self.insert_break_undo();
    }

    fn insert_break_undo(&mut self) {
        if let Some(ins) = self.vi.insert.clone() {
            let mut rec = ins.clone();
            rec.typed.pop();
            self.finish_insert_record(&rec);
        }
        self.buf_mut().commit_undo();
        let p = self.vpos();
        if let Some(i) = &mut self.vi.insert {
            i.typed.clear();
            i.start = p;
            i.count = 1;
            i.dot = Some(DotRecord { keys: vec![Key::char('i')], count: None, register: None, visual: None });
            i.cmd_char = None;
        }
    }

    /// Breaks the line at a blank when it grew past 'textwidth'.
    fn auto_wrap(&mut self, tw: usize) {
        let p = self.vpos();
        let width = self.display_col(p.row, line_len(&self.buf().text, p.row));
        if width <= tw {
            return;
        }
        let line: Vec<char> = line_string(&self.buf().text, p.row).chars().collect();
        // The last blank at or before the text width, not inside the leading indent.
        let indent = first_nonblank(&self.buf().text, p.row);
        let mut brk = None;
        for i in (indent..p.col.min(line.len())).rev() {
            if is_blank(line[i]) && self.display_col(p.row, i) <= tw {
                brk = Some(i);
                break;
            }
        }
        let Some(b) = brk else { return };
        let mut s = b;
        while s > indent && is_blank(line[s - 1]) {
            s -= 1;
        }
        let mut e = b;
        while e < line.len() && is_blank(line[e]) {
            e += 1;
        }
        let ind =
            if self.buf().opt_bool("autoindent") { line[..indent].iter().collect::<String>() } else { String::new() };
        let base = self.buf().line_start(p.row);
        if self.edit(base + s, base + e, &format!("\n{ind}")).is_ok() {
            let col = ind.chars().count() + (p.col - e);
            self.place(Pos::new(p.row + 1, col), Want::Set);
        }
    }

    /// Feeds recorded insert keys back through the insert handler (for counts and `<C-a>`).
    fn replay_insert_keys(&mut self, keys: &[Key]) {
        let was = self.vi.insert.as_ref().map(|i| i.replaying).unwrap_or(false);
        if let Some(i) = &mut self.vi.insert {
            i.replaying = true;
        }
        for k in keys {
            // Keys that leave or suspend insert mode are not part of the text to repeat.
            if k.code == KeyCode::Esc || k.is_ctrl('c') || k.is_ctrl('o') {
                continue;
            }
            self.insert_key(*k);
            if self.vi.insert.is_none() {
                return;
            }
        }
        if let Some(i) = &mut self.vi.insert {
            i.replaying = was;
        }
    }

    /// Stores the insert for `.` and the `.` register.
    fn finish_insert_record(&mut self, ins: &InsertState) {
        let mut typed: Vec<Key> = ins.typed.clone();
        if let Some(k) = typed.last() {
            if k.code == KeyCode::Esc || k.is_ctrl('c') {
                typed.pop();
            }
        }
        self.vi.last_insert_text = typed.clone();
        // The `.` register holds the keys as typed, special keys (<BS>, arrows) included.
        let text: String = typed
            .iter()
            .filter_map(|k| match k.code {
                KeyCode::Enter | KeyCode::NewLine if k.mods == Mods::NONE => Some('\n'),
                _ => crate::keys::key_to_register_char(k),
            })
            .collect();
        let _ = self.registers.set(
            '.',
            crate::registers::Register {
                lines: text.split('\n').map(str::to_string).collect(),
                kind: crate::registers::RegisterKind::Charwise,
            },
        );
        if let Some(mut dot) = ins.dot.clone() {
            dot.keys.extend(typed);
            dot.keys.push(Key::plain(KeyCode::Esc));
            self.vi.dot = Some(dot);
        }
    }

    /// `<Esc>`: repeats the insert for its count, applies a block insert, moves left, leaves.
    pub(crate) fn leave_insert(&mut self) {
        let Some(ins) = self.vi.insert.clone() else { return };
        let mut typed = ins.typed.clone();
        if typed.last().is_some_and(|k| k.code == KeyCode::Esc || k.is_ctrl('c')) {
            typed.pop();
        }
        let ctrl_c = ins.typed.last().is_some_and(|k| k.is_ctrl('c'));
        // Repeat the typed text for the count (`3ihi<Esc>`; `3ohi<Esc>` opens a line each time).
        if ins.count > 1 && !ctrl_c && !ins.replaying {
            for _ in 1..ins.count {
                if matches!(ins.cmd_char, Some('o') | Some('O')) {
                    let p = self.vpos();
                    // Each repetition opens a line below the last one inserted.
                    let fallback = self.builtin_new_line_indent(p.row, true);
                    let end = self.buf().line_start(p.row) + line_len(&self.buf().text, p.row);
                    if self.edit(end, end, "\n").is_err() {
                        break;
                    }
                    let indent = self.indent_new_line(p.row + 1, fallback);
                    self.place(Pos::new(p.row + 1, indent.chars().count()), Want::Set);
                }
                self.replay_insert_keys(&typed);
                if self.vi.insert.is_none() {
                    return;
                }
            }
        }
        // Edits of other lines clamp the cursor like normal mode; remember where insert stopped.
        let stop = self.vpos();
        if let Some((first, last, vcol, to_eol)) = ins.block {
            self.finish_block_insert(&ins, first, last, vcol, to_eol, &typed);
        }
        // An automatic indent with nothing typed after it goes away again; of an automatic
        // comment leader (` * `) only the trailing blanks go, as in Vim.
        let ai_row = self.vi.insert.as_ref().and_then(|i| i.ai_row);
        if let Some(row) = ai_row {
            let p = self.vpos();
            let line = line_string(&self.buf().text, row);
            let len = line.chars().count();
            let kept = line.trim_end_matches(is_blank).chars().count();
            if p.row == row && kept < len && (kept == 0 || p.col == len) {
                let base = self.buf().line_start(row);
                if self.edit(base + kept, base + len, "").is_ok() {
                    self.place(Pos::new(row, kept), Want::Set);
                }
            }
        }
        let mut rec = ins.clone();
        rec.typed = typed;
        if !ins.replaying {
            self.finish_insert_record(&rec);
        }
        let p = self.vpos();
        let off = textpos::offset(&self.buf().text, p);
        self.buf_mut().set_mark('^', off);
        if self.vi.changed || !rec.typed.is_empty() {
            let s = textpos::offset(&self.buf().text, ins.start);
            self.set_change_marks(s.min(off), off);
            if !rec.typed.is_empty() {
                let at = ins
                    .change_at
                    .filter(|a| a.row == p.row && ins.count <= 1)
                    .unwrap_or(Pos::new(p.row, p.col.saturating_sub(1)));
                self.note_change(at);
            }
        }
        self.vi.insert = None;
        let col = if ins.block.is_some() && matches!(ins.cmd_char, Some('I') | Some('A')) {
            let first = ins.block.map_or(0, |b| b.0);
            self.place(Pos::new(first, 0), Want::Set);
            self.col_for_want(first, ins.block_left, false)
        } else if ins.block.is_some() {
            let row = ins.block.map_or(0, |b| b.0);
            self.place(Pos::new(row, stop.col), Want::Set);
            stop.col.saturating_sub(1)
        } else {
            p.col.saturating_sub(1)
        };
        self.place_normal(Pos::new(self.vpos().row, col), Want::Set);
        self.report_mode();
        let args = self.buf_event_args(self.buf_id());
        self.fire(Event::InsertLeave, args);
    }

    /// After a visual-block `I`/`A`: inserts what was typed on the first line into the others.
    fn finish_block_insert(
        &mut self,
        ins: &InsertState,
        first: usize,
        last: usize,
        vcol: usize,
        to_eol: bool,
        typed: &[Key],
    ) {
        // The inserted text is what the first line gained at the start column.
        let text: String = typed.iter().filter_map(|k| k.to_text_char()).collect();
        if text.is_empty() || text.contains(['\n', '\r']) || typed.iter().any(|k| k.to_text_char().is_none()) {
            return;
        }
        let _ = ins;
        let mut edits = Vec::new();
        for row in first + 1..=last {
            let len = line_len(&self.buf().text, row);
            let width = self.display_col(row, len);
            let base = self.buf().line_start(row);
            if to_eol {
                edits.push(rtdvi_core::changeset::Edit { start: base + len, end: base + len, text: text.clone() });
                continue;
            }
            if width < vcol {
                if ins.cmd_char == Some('A') {
                    let pad = " ".repeat(vcol - width);
                    edits.push(rtdvi_core::changeset::Edit {
                        start: base + len,
                        end: base + len,
                        text: format!("{pad}{text}"),
                    });
                }
                continue;
            }
            let c = self.col_for_want(row, vcol, true);
            edits.push(rtdvi_core::changeset::Edit { start: base + c, end: base + c, text: text.clone() });
        }
        if !edits.is_empty() {
            let _ = self.edits(edits);
        }
        let _ = vcol;
    }
}

/// A few common RFC 1345 digraphs for `<C-k>` (the rest insert the second char).
/// RFC 1345 digraphs of U+00A1..U+00FF, in code order (two chars each; `  ` where there is none).
const LATIN1_DIGRAPHS: &str = concat!(
    "!ICtPdCuYeBBSE':Co-a<<NO--Rg'mDG+-2S3S''MyPI.M',1S-o>>141234?I",
    "A!A'A>A?A:AAAEC,E!E'E>E:I!I'I>I:D-N?O!O'O>O?O:*XO/U!U'U>U:Y'THss",
    "a!a'a>a?a:aaaec,e!e'e>e:i!i'i>i:d-n?o!o'o>o?o:-:o/u!u'u>u:y'thy:",
);

/// `<C-k>{a}{b}`: the digraph's char (either order), from RFC 1345 as Vim's table.
fn digraph(a: char, b: char) -> Option<char> {
    let others: &[(&str, char)] = &[
        ("Eu", '€'),
        ("=e", '€'),
        ("->", '→'),
        ("<-", '←'),
        ("a*", 'α'),
        ("b*", 'β'),
        ("g*", 'γ'),
        ("d*", 'δ'),
        ("p*", 'π'),
        ("l*", 'λ'),
        ("m*", 'μ'),
        ("s*", 'σ'),
        ("OK", '✓'),
        ("XX", '✗'),
        ("oe", 'œ'),
        ("OE", 'Œ'),
        ("'6", '‘'),
        ("'9", '’'),
        ("\"6", '“'),
        ("\"9", '”'),
        ("-N", '–'),
        ("-M", '—'),
        (".3", '…'),
    ];
    let find = |x: char, y: char| -> Option<char> {
        let pair = [x, y];
        let chars: Vec<char> = LATIN1_DIGRAPHS.chars().collect();
        let latin1 = chars.chunks(2).position(|c| c == pair).and_then(|i| char::from_u32(0xa1 + i as u32));
        latin1.or_else(|| {
            let key: String = pair.iter().collect();
            others.iter().find(|(k, _)| *k == key).map(|(_, c)| *c)
        })
    };
    find(a, b).or_else(|| find(b, a))
}

#[cfg(test)]
mod tests {
    use super::digraph;

    #[test]
    fn latin1_digraphs_in_either_order() {
        assert_eq!(digraph('e', ':'), Some('ë'));
        assert_eq!(digraph(':', 'e'), Some('ë'));
        assert_eq!(digraph('A', '!'), Some('À'));
        assert_eq!(digraph('y', ':'), Some('ÿ'));
        assert_eq!(digraph('?', 'I'), Some('¿'));
        assert_eq!(digraph('!', 'I'), Some('¡'));
        assert_eq!(digraph('E', 'u'), Some('€'));
        assert_eq!(digraph('q', 'q'), None);
    }
}
