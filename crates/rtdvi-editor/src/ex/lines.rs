//! Line commands: `:d :y :m :t/:co :j :> :< :k/:mark :pu :u :redo :earlier :later :p :nu :=`.

use rtdvi_core::undo::CursorTarget;

use super::{register_and_count, Cmd, ExError, LineRange};
use crate::editor::Editor;
use crate::registers::{Register, RegisterKind};

impl Editor {
    pub(super) fn lines_command(&mut self, c: &Cmd<'_>) -> Result<(), ExError> {
        let last = self.buf().line_count();
        match c.name {
            "delete" | "yank" => {
                let (reg, count) = register_and_count(c.args, true)?;
                let r = c.range.with_count(count, last);
                let (s, e) = nonzero(r)?;
                let lines: Vec<String> = (s - 1..e).map(|i| self.buf().line(i)).collect();
                let reg_value = Register { lines, kind: RegisterKind::Linewise };
                if c.name == "yank" {
                    self.registers.yank(reg, reg_value).map_err(|e| ExError::Msg(e.to_string()))?;
                    return Ok(());
                }
                self.registers.delete(reg, reg_value).map_err(|e| ExError::Msg(e.to_string()))?;
                // Vim puts the cursor on the first line (at the wanted column) before saving for
                // undo, so `u` comes back there.
                let col = self.col_for_want(s - 1, self.win().curswant, false);
                self.set_cursor(s - 1, col);
                self.delete_lines(s - 1, e)?;
                let row = (s - 1).min(self.buf().line_count().saturating_sub(1));
                self.cursor_to_first_nonblank(row);
                self.report_lines(e - s + 1, "fewer lines");
                Ok(())
            }
            "move" => {
                let dest = self.eval_dest(c.args)?;
                let (s, e) = nonzero(c.range)?;
                if dest >= s && dest < e {
                    return Err(ExError::MoveIntoItself);
                }
                if dest == e || dest + 1 == s {
                    // Moving a range right after itself changes nothing.
                    self.cursor_to_first_nonblank(e - 1);
                    return Ok(());
                }
                let lines: Vec<String> = (s - 1..e).map(|i| self.buf().line(i)).collect();
                let n = lines.len();
                // Insert first (at the destination), then delete the original (shifted if below).
                self.insert_lines(dest, &lines)?;
                let (ds, de) = if dest < s { (s - 1 + n, e + n) } else { (s - 1, e) };
                self.delete_lines(ds, de)?;
                let last_moved = if dest < s { dest + n } else { dest };
                self.cursor_to_line_start(last_moved - 1);
                self.report_lines(n, "lines moved");
                Ok(())
            }
            "copy" | "t" => {
                let dest = self.eval_dest(c.args)?;
                let (s, e) = nonzero(c.range)?;
                let lines: Vec<String> = (s - 1..e).map(|i| self.buf().line(i)).collect();
                let n = lines.len();
                self.insert_lines(dest, &lines)?;
                self.cursor_to_line_start(dest + n - 1);
                Ok(())
            }
            "join" => {
                let (_, count) = register_and_count(c.args, false)?;
                let mut r = c.range;
                if let Some(n) = count {
                    // `:j N` joins N lines starting at the range's end.
                    r = LineRange { start: r.end, end: (r.end + n - 1).min(last), given: 2 };
                } else if r.given < 2 {
                    // `:j` alone joins two lines.
                    r.end = (r.start + 1).min(last);
                }
                let (s, e) = nonzero(r)?;
                if s == e {
                    return Ok(());
                }
                self.join_lines(s - 1, e, !c.bang)?;
                // `:join` ends on the first non-blank (Vim's `beginline(BL_WHITE)`), unlike `J`.
                self.cursor_to_first_nonblank(s - 1);
                Ok(())
            }
            ">" | "<" => {
                // `:>>>` shifts three times; a count after them makes it a line count.
                let extra = c.args.chars().take_while(|ch| ch.to_string() == c.name).count();
                let rest = &c.args[extra..];
                let (_, count) = register_and_count(rest, false)?;
                let r = c.range.with_count(count, last);
                let (s, e) = nonzero(r)?;
                let amount = extra as i64 + 1;
                let dir = if c.name == ">" { amount } else { -amount };
                self.shift_lines(s - 1, e, dir)?;
                self.cursor_to_first_nonblank(e - 1);
                self.report_lines(
                    e - s + 1,
                    &format!(
                        "line{} {}ed {} time{}",
                        if e == s { "" } else { "s" },
                        c.name,
                        amount,
                        if amount == 1 { "" } else { "s" }
                    ),
                );
                Ok(())
            }
            "k" | "mark" => {
                let m = c.args.trim();
                let mut chars = m.chars();
                let ch = chars.next().ok_or(ExError::ArgumentRequired)?;
                if chars.next().is_some() {
                    return Err(ExError::Trailing(m.to_string()));
                }
                if !(ch.is_ascii_lowercase() || "'`[]<>".contains(ch)) {
                    return Err(ExError::Msg("E191: Argument must be a letter or forward/backward quote".into()));
                }
                let row = c.range.end.max(1) - 1;
                let pos = self.buf().line_start(row);
                let m = if ch == '`' { '\'' } else { ch };
                self.buf_mut().set_mark(m, pos);
                Ok(())
            }
            "put" => {
                let (reg, _) = register_and_count(c.args, true)?;
                let name = reg.unwrap_or('"');
                // The cursor goes to the line first, even when the register turns out empty.
                if c.range.given != 0 {
                    let row = c.range.end.max(1) - 1;
                    let col = self.cursor().col;
                    self.set_cursor(row, col);
                }
                let r = self
                    .registers
                    .get(name)
                    .cloned()
                    .ok_or_else(|| ExError::Msg(format!("E353: Nothing in register {name}")))?;
                // `:put` is always linewise, whatever the register's kind.
                let after = if c.range.given == 0 { self.cursor().row + 1 } else { c.range.end };
                let after = if c.bang { after.saturating_sub(1) } else { after };
                let n = r.lines.len();
                self.insert_lines(after, &r.lines)?;
                self.cursor_to_first_nonblank(after + n - 1);
                Ok(())
            }
            "undo" => {
                if c.args.trim().is_empty() {
                    self.undo_steps(1, true)
                } else {
                    let n: usize = c.args.trim().parse().map_err(|_| ExError::Trailing(c.args.trim().to_string()))?;
                    self.buf_mut().commit_undo();
                    let steps = self.buf_mut().undo.goto_seq(n).map_err(|e| ExError::Msg(e.to_string()))?;
                    self.apply_history(steps)
                }
            }
            "redo" => self.undo_steps(1, false),
            "earlier" | "later" => self.time_travel(c.args.trim(), c.name == "earlier"),
            "print" | "list" | "number" | "#" => {
                let (s, e) = nonzero(c.range)?;
                let numbered = c.name != "print" && c.name != "list";
                let out: Vec<String> = (s - 1..e)
                    .map(|i| {
                        let l = self.buf().line(i);
                        if numbered {
                            format!("{:>3} {l}", i + 1)
                        } else if c.name == "list" {
                            format!("{}$", l.replace('\t', "^I"))
                        } else {
                            l
                        }
                    })
                    .collect();
                self.messages.echo(out.join("\n"));
                self.cursor_to_first_nonblank(e - 1);
                Ok(())
            }
            "=" => {
                let n = if c.range.given == 0 { self.buf().line_count() } else { c.range.end };
                self.messages.echo(n.to_string());
                Ok(())
            }
            _ => Err(ExError::Msg(format!("E319: :{} is not available in rtdvi (ex-mode text entry)", c.name))),
        }
    }

    /// Deletes lines `first..last` (0-based, exclusive).
    pub fn delete_lines(&mut self, first: usize, last: usize) -> Result<(), ExError> {
        let id = self.buf_id();
        let change = self.buf().lines_change(first, last, &[])?;
        self.apply_change(id, change)?;
        Ok(())
    }

    /// Inserts lines after 1-based line `after` (0 = at the top).
    pub fn insert_lines(&mut self, after: usize, lines: &[String]) -> Result<(), ExError> {
        let id = self.buf_id();
        let change = self.buf().lines_change(after, after, lines)?;
        self.apply_change(id, change)?;
        Ok(())
    }

    /// Joins lines `first..last` (0-based, exclusive) like `J` (`spaces`) or `gJ`.
    pub fn join_lines(&mut self, first: usize, last: usize, spaces: bool) -> Result<(), ExError> {
        // One small edit per line break (the break, the next line's indent, the separator), not a
        // rewrite of the lines, so extmarks and marks on the joined lines move with their text.
        let mut joined = self.buf().line(first);
        let mut col = 0;
        let mut edits = Vec::new();
        for i in first + 1..last {
            let line = self.buf().line(i);
            let start = self.buf().line_start(i);
            let Some(newline) = start.checked_sub(1) else { break };
            col = joined.chars().count();
            if spaces {
                // Vim's `J`: drop the next line's indent; one space between unless the joined text is
                // empty, already ends in a blank, or the next part is empty or starts with ')'.
                let trimmed = line.trim_start_matches([' ', '\t']);
                let indent = line.chars().count() - trimmed.chars().count();
                let ends_blank = joined.ends_with([' ', '\t']);
                let mut sep = String::new();
                if !joined.is_empty() && !trimmed.is_empty() && !ends_blank && !trimmed.starts_with(')') {
                    let sentence_end = joined.ends_with(['.', '!', '?']);
                    sep.push(' ');
                    if sentence_end && self.opt("joinspaces").as_bool() {
                        sep.push(' ');
                    }
                }
                joined.push_str(&sep);
                joined.push_str(trimmed);
                edits.push(rtdvi_core::changeset::Edit { start: newline, end: start + indent, text: sep });
            } else {
                joined.push_str(&line);
                edits.push(rtdvi_core::changeset::Edit { start: newline, end: start, text: String::new() });
            }
        }
        let id = self.buf_id();
        let len = self.buf().text.len_chars();
        let change =
            rtdvi_core::changeset::ChangeSet::from_edits(len, edits).map_err(|e| ExError::Msg(e.to_string()))?;
        self.apply_change(id, change)?;
        self.set_cursor(first, col);
        Ok(())
    }

    /// Shifts lines `first..last` (0-based, exclusive) by `dir` times 'shiftwidth' (negative: left).
    pub fn shift_lines(&mut self, first: usize, last: usize, dir: i64) -> Result<(), ExError> {
        let sw = {
            let sw = self.buf().opt_number("shiftwidth");
            if sw == 0 {
                self.buf().opt_number("tabstop")
            } else {
                sw
            }
        }
        .max(1);
        let ts = self.buf().opt_number("tabstop").max(1) as usize;
        let et = self.buf().opt_bool("expandtab");
        let round = self.opt("shiftround").as_bool();
        let mut lines = Vec::with_capacity(last - first);
        for i in first..last {
            let line = self.buf().line(i);
            if line.is_empty() {
                // Vim leaves empty lines alone.
                lines.push(line);
                continue;
            }
            let body = line.trim_start_matches([' ', '\t']);
            let indent_width: usize =
                line[..line.len() - body.len()]
                    .chars()
                    .fold(0, |w, ch| if ch == '\t' { (w / ts + 1) * ts } else { w + 1 });
            let width = indent_width as i64;
            let new = if round {
                let base = if dir > 0 { (width / sw) * sw } else { ((width + sw - 1) / sw) * sw };
                base + dir * sw
            } else {
                width + dir * sw
            }
            .max(0) as usize;
            lines.push(format!("{}{body}", make_indent(new, ts, et)));
        }
        let id = self.buf_id();
        let change = self.buf().lines_change(first, last, &lines)?;
        self.apply_change(id, change)?;
        Ok(())
    }

    /// Evaluates the destination address of `:m` and `:t` (0 = above the first line).
    fn eval_dest(&mut self, args: &str) -> Result<usize, ExError> {
        let args = args.trim();
        if args.is_empty() {
            return Err(ExError::InvalidAddress);
        }
        let (range, rest) = super::parse::parse_range(args)?;
        if !rest.trim().is_empty() || range.addrs.is_empty() {
            return Err(ExError::InvalidAddress);
        }
        Ok(self.eval_range(&range)?.end)
    }

    /// `u`/`<C-r>` `count` times; says "Already at oldest change" like Vim when there is nothing.
    pub fn undo_steps(&mut self, count: usize, undo: bool) -> Result<(), ExError> {
        self.buf_mut().commit_undo();
        let mut target = None;
        for _ in 0..count.max(1) {
            let step = if undo { self.buf_mut().undo.undo() } else { self.buf_mut().undo.redo() };
            match step {
                Some(s) => target = self.buf_mut().apply_undo_steps(vec![s])?.or(target),
                None => break,
            }
        }
        let id = self.buf_id();
        self.clamp_cursors(id);
        match target {
            Some(t) => {
                self.place_cursor_after_undo(t);
                Ok(())
            }
            None if undo => {
                self.messages.info("Already at oldest change");
                Ok(())
            }
            None => {
                self.messages.info("Already at newest change");
                Ok(())
            }
        }
    }

    fn apply_history(&mut self, steps: Vec<rtdvi_core::undo::UndoStep>) -> Result<(), ExError> {
        let target = self.buf_mut().apply_undo_steps(steps)?;
        let id = self.buf_id();
        self.clamp_cursors(id);
        if let Some(t) = target {
            self.place_cursor_after_undo(t);
        }
        Ok(())
    }

    /// Puts the cursor where Vim does after undo/redo: the saved position, or the first changed line
    /// at the wanted column ('nostartofline', Neovim's default) or its first non-blank ('startofline').
    fn place_cursor_after_undo(&mut self, target: CursorTarget) {
        match target {
            CursorTarget::Saved { row, col } => self.set_cursor(row, col),
            CursorTarget::ChangedLine { row } => {
                if self.opt("startofline").as_bool() {
                    self.cursor_to_first_nonblank(row);
                } else {
                    let want = self.win().curswant;
                    let len = self.buf().line_len(row.min(self.buf().line_count().saturating_sub(1)));
                    self.set_cursor(row, want.min(len.saturating_sub(1)));
                    self.win_mut().curswant = want;
                }
            }
        }
    }

    /// `:earlier {N}[s|m|h|d|f]` and `:later`.
    /// `:earlier`/`:later` (and `g-`/`g+` with a count).
    pub(crate) fn time_travel(&mut self, arg: &str, earlier: bool) -> Result<(), ExError> {
        self.buf_mut().commit_undo();
        let (num, unit) = match arg.find(|ch: char| !ch.is_ascii_digit()) {
            Some(i) => (&arg[..i], &arg[i..]),
            None => (arg, ""),
        };
        let n: u64 = if num.is_empty() { 1 } else { num.parse().map_err(|_| ExError::InvalidArgument)? };
        let secs = match unit {
            "" => None,
            "s" => Some(n),
            "m" => Some(n * 60),
            "h" => Some(n * 3600),
            "d" => Some(n * 86400),
            "f" => return Err(ExError::Msg("E475: Invalid argument: file-write steps are not supported".into())),
            _ => return Err(ExError::Trailing(unit.to_string())),
        };
        let now = crate::buffer::now_secs();
        let b = self.buf_mut();
        let steps = match (secs, earlier) {
            (None, true) => b.undo.earlier(n as usize),
            (None, false) => b.undo.later(n as usize),
            (Some(s), true) => b.undo.earlier_time(s, now),
            (Some(s), false) => b.undo.later_time(s, now),
        };
        self.apply_history(steps)
    }

    /// Reports a line count like Vim does when it exceeds 'report' ("3 fewer lines").
    fn report_lines(&mut self, n: usize, what: &str) {
        if n as i64 > self.opt("report").as_number() {
            self.messages.info(format!("{n} {what}"));
        }
    }
}

/// Builds an indent of `width` columns with tabs (unless 'expandtab').
pub fn make_indent(width: usize, tabstop: usize, expandtab: bool) -> String {
    if expandtab || tabstop == 0 {
        return " ".repeat(width);
    }
    format!("{}{}", "\t".repeat(width / tabstop), " ".repeat(width % tabstop))
}

/// Rejects line 0 for commands that need real lines; returns (start, end) 1-based.
fn nonzero(r: LineRange) -> Result<(usize, usize), ExError> {
    Ok((r.start.max(1), r.end.max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents() {
        assert_eq!(make_indent(10, 8, false), "\t  ");
        assert_eq!(make_indent(10, 8, true), " ".repeat(10));
        assert_eq!(make_indent(0, 8, false), "");
    }
}
