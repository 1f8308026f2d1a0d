//! `:s`, `:&`, `:&&`, `:~`, `:g` and `:v`.
//!
//! Matching is line by line; a pattern that contains `\n` sees the line joined with the next one,
//! so `:%s/\n//` and `:s/a\nb/x/` work, but one match never spans more than two lines.

use rtdvi_core::changeset::{ChangeSet, Edit};
use rtdvi_core::pattern::Pattern;
use rtdvi_core::substitute::Replacement;

use super::{Cmd, ExError, LineRange};
use crate::editor::Editor;
use crate::registers::{Register, RegisterKind};

/// Parsed `:s` flags.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Flags {
    global: bool,
    ignore_case: Option<bool>,
    count_only: bool,
    no_error: bool,
    print: bool,
    use_search_pattern: bool,
}

fn parse_flags(s: &str, gdefault: bool) -> Result<(Flags, &str), ExError> {
    let mut f = Flags { global: gdefault, ..Default::default() };
    let mut end = 0;
    for (i, c) in s.char_indices() {
        match c {
            '&' if i == 0 => {}
            'g' => f.global = !f.global,
            'i' => f.ignore_case = Some(true),
            'I' => f.ignore_case = Some(false),
            'n' => f.count_only = true,
            'e' => f.no_error = true,
            'p' | '#' | 'l' => f.print = true,
            'r' => f.use_search_pattern = true,
            'c' => return Err(ExError::Msg("E5501: the [c]onfirm flag of :s is not supported yet".into())),
            _ => break,
        }
        end = i + c.len_utf8();
    }
    Ok((f, &s[end..]))
}

impl Editor {
    pub(super) fn substitute_command(&mut self, c: &Cmd<'_>) -> Result<(), ExError> {
        match c.name {
            "global" | "vglobal" => self.global_command(c, c.name == "vglobal" || c.bang),
            "&" | "&&" | "~" => {
                let pat = if c.name == "~" {
                    self.search.last_pattern.clone()
                } else {
                    self.search.last_substitute_pattern.clone()
                }
                .ok_or(ExError::NoPreviousRegex)?;
                let rep = self.search.last_replacement.clone().unwrap_or_default();
                let flags = if c.name == "&&" {
                    format!("{}{}", self.search.last_substitute_flags, c.args.trim_start_matches('&'))
                } else {
                    c.args.to_string()
                };
                self.substitute(c.range, &pat, &rep, &flags)
            }
            _ => {
                let args = c.args;
                let mut chars = args.chars();
                match chars.next() {
                    Some(d) if !d.is_alphanumeric() && !matches!(d, '\\' | '"' | '|' | ' ' | '&') => {
                        let (pat, rest) = super::parse::split_delimited(&args[d.len_utf8()..], d);
                        let (rep, flags) = super::parse::split_delimited(rest, d);
                        let pat = if pat.is_empty() {
                            self.search.last_pattern.clone().ok_or(ExError::NoPreviousRegex)?
                        } else {
                            pat
                        };
                        // `~` in the replacement is the previous replacement.
                        let magic = self.opt("magic").as_bool();
                        let rep = Replacement::parse(&rep, self.search.last_replacement.as_deref(), magic)
                            .source()
                            .to_string();
                        self.search.last_replacement = Some(rep.clone());
                        self.search.last_substitute_pattern = Some(pat.clone());
                        self.set_last_pattern(&pat);
                        let flag_text = flags.trim_start().to_string();
                        self.substitute(c.range, &pat, &rep, &flag_text)
                    }
                    _ => {
                        // `:s` alone, or with flags: repeat the last substitute.
                        let pat = self.search.last_substitute_pattern.clone().ok_or(ExError::NoPreviousRegex)?;
                        let rep = self.search.last_replacement.clone().unwrap_or_default();
                        let flags = if let Some(f) = args.strip_prefix('&') {
                            format!("{}{}", self.search.last_substitute_flags, f)
                        } else {
                            args.to_string()
                        };
                        self.substitute(c.range, &pat, &rep, &flags)
                    }
                }
            }
        }
    }

    /// Runs one substitution over a line range.
    fn substitute(&mut self, range: LineRange, pat: &str, rep: &str, flag_text: &str) -> Result<(), ExError> {
        let gdefault = self.opt("gdefault").as_bool();
        let (flags, rest) = parse_flags(flag_text.trim_start(), gdefault)?;
        let (_, count) = super::register_and_count(rest, false)?;
        let last_line = self.buf().line_count();
        let range = range.with_count(count, last_line);
        self.search.last_substitute_flags = flag_text.chars().take_while(|c| "&cegiInp#lr".contains(*c)).collect();
        let pat = if flags.use_search_pattern {
            self.search.last_pattern.clone().unwrap_or_else(|| pat.to_string())
        } else {
            pat.to_string()
        };
        let mut compiled = self.compile_pattern(&pat)?;
        if let Some(ic) = flags.ignore_case {
            let mut opts = rtdvi_core::pattern::PatternOptions {
                ignorecase: ic,
                smartcase: false,
                magic: self.opt("magic").as_bool(),
                last_substitute: self.search.last_replacement.clone(),
            };
            opts.smartcase = false;
            compiled = Pattern::new(&pat, &opts)?;
        }
        // `\=expr`: each match's text comes from the expression, evaluated after planning (it may
        // read the editor) with `submatch()` answering from the match's groups.
        let expression = rtdvi_core::substitute::is_expression(rep).then(|| rep[2..].to_string());
        let magic = self.opt("magic").as_bool();
        let replacement = Replacement::parse(if expression.is_some() { "" } else { rep }, None, magic);
        let (start, end) = (range.start.max(1) - 1, range.end.max(1));
        let mut groups = expression.as_ref().map(|_| Vec::new());
        let mut plan = plan_substitution(self, &compiled, &replacement, start, end, flags.global, groups.as_mut())?;
        if let (Some(src), Some(groups)) = (expression, groups) {
            if !flags.count_only {
                for (edit, g) in plan.edits.iter_mut().zip(groups) {
                    // A carriage return or a newline in the result breaks the line, as in Vim.
                    let text = crate::function::eval_replacement(self, &src, g)?.replace('\r', "\n");
                    plan.line_delta += text.matches('\n').count() as i64;
                    edit.text = text;
                }
            }
        }
        if plan.matches == 0 {
            if flags.no_error || self.in_global {
                return Ok(());
            }
            return Err(ExError::PatternNotFound(pat));
        }
        if flags.count_only {
            self.messages.echo(format!(
                "{} match{} on {} line{}",
                plan.matches,
                if plan.matches == 1 { "" } else { "es" },
                plan.lines,
                if plan.lines == 1 { "" } else { "s" }
            ));
            return Ok(());
        }
        let id = self.buf_id();
        let len = self.buf().text.len_chars();
        // Vim saves for undo with the cursor at the start of the first changed line: `u` goes there.
        let first_row = plan.edits.first().map(|e| self.buf().text.char_to_line(e.start.min(len)));
        let change = ChangeSet::from_edits(len, plan.edits).map_err(|e| ExError::Msg(e.to_string()))?;
        let saved = self.vi.undo_cursor.take();
        self.vi.undo_cursor = first_row.map(|r| self.buf().line_start(r));
        let applied = self.apply_change(id, change);
        self.vi.undo_cursor = saved;
        applied?;
        // The cursor goes to the last substituted line (shifted by the line breaks inserted before it).
        let row = (plan.last_row as i64 + plan.line_delta).max(0) as usize;
        self.cursor_to_first_nonblank(row);
        if !self.in_global && plan.matches as i64 > self.opt("report").as_number() {
            self.messages.info(format!(
                "{} substitution{} on {} line{}",
                plan.matches,
                if plan.matches == 1 { "" } else { "s" },
                plan.lines,
                if plan.lines == 1 { "" } else { "s" }
            ));
        }
        self.global_substitutions += plan.matches;
        if flags.print {
            let line = self.buf().line(self.cursor().row);
            self.messages.echo(line);
        }
        Ok(())
    }

    /// `:g/pat/cmd` and `:v/pat/cmd`.
    fn global_command(&mut self, c: &Cmd<'_>, invert: bool) -> Result<(), ExError> {
        if self.in_global {
            return Err(ExError::GlobalRecursive);
        }
        let args = c.args;
        let d = args.chars().next().ok_or(ExError::Msg("E476: Invalid command".into()))?;
        if d.is_alphanumeric() || matches!(d, '\\' | '"' | '|') {
            return Err(ExError::Msg("E146: Regular expressions can't be delimited by letters".into()));
        }
        let (pat, cmd) = super::parse::split_delimited(&args[d.len_utf8()..], d);
        let pat = if pat.is_empty() { self.search.last_pattern.clone().ok_or(ExError::NoPreviousRegex)? } else { pat };
        self.set_last_pattern(&pat);
        let compiled = self.compile_pattern(&pat)?;
        let cmd = if cmd.trim().is_empty() { "p".to_string() } else { cmd.to_string() };
        // The default range of :g is the whole buffer.
        let (start, end) = if c.range.given == 0 {
            (0, self.buf().line_count())
        } else {
            (c.range.start.max(1) - 1, c.range.end.max(1))
        };
        let marked: Vec<usize> =
            (start..end).filter(|&r| compiled.is_match(&self.buf().line_cow(r)) != invert).collect();
        if marked.is_empty() {
            self.messages.info(if invert {
                format!("Pattern found in every line: {pat}")
            } else {
                format!("Pattern not found: {pat}")
            });
            return Ok(());
        }
        if matches!(cmd.trim(), "d" | "de" | "del" | "dele" | "delet" | "delete") {
            return self.global_delete(&marked);
        }
        // General case: anchor every marked line so it follows the edits the commands make; a line
        // a command deleted is skipped, as Vim does.
        let anchors: Vec<_> = marked
            .iter()
            .map(|&r| {
                let s = self.buf().line_start(r);
                let e = self.buf().line_start(r + 1).max(s);
                self.buf_mut().anchors.insert_range(
                    s,
                    e,
                    rtdvi_core::changeset::Assoc::Before,
                    rtdvi_core::changeset::Assoc::After,
                )
            })
            .collect();
        self.in_global = true;
        self.global_substitutions = 0;
        let lines_before = self.buf().line_count();
        let mut first_err = None;
        for id in &anchors {
            let Some((pos, _)) = self.buf().anchors.get(*id) else { continue };
            let (row, _) = self.buf().char_to_pos(pos);
            self.set_cursor(row, 0);
            if let Err(e) = self.execute_ex(&cmd) {
                first_err.get_or_insert(e);
            }
            if self.exit_code.is_some() {
                break;
            }
        }
        self.in_global = false;
        for id in anchors {
            self.buf_mut().anchors.remove(id);
        }
        let lines_after = self.buf().line_count();
        if lines_after < lines_before {
            self.report_count(lines_before - lines_after, "fewer lines");
        } else if lines_after > lines_before {
            self.report_count(lines_after - lines_before, "more lines");
        }
        if self.global_substitutions as i64 > self.opt("report").as_number() {
            let n = self.global_substitutions;
            self.messages.info(format!("{n} substitution{}", if n == 1 { "" } else { "s" }));
        }
        first_err.map_or(Ok(()), Err)
    }

    /// `:g/pat/d` as one change (a million separate deletes would be quadratic).
    fn global_delete(&mut self, marked: &[usize]) -> Result<(), ExError> {
        let count = self.buf().line_count();
        let len = self.buf().text.len_chars();
        let mut edits = Vec::with_capacity(marked.len());
        // Merge runs of consecutive lines into one edit each.
        let mut i = 0;
        while i < marked.len() {
            let first = marked[i];
            let mut last = first;
            while i + 1 < marked.len() && marked[i + 1] == last + 1 {
                i += 1;
                last = marked[i];
            }
            i += 1;
            let (s, e) = if last + 1 < count {
                (self.buf().line_start(first), self.buf().line_start(last + 1))
            } else if first == 0 {
                (0, len)
            } else {
                (self.buf().line_start(first) - 1, len)
            };
            edits.push(Edit { start: s, end: e, text: String::new() });
        }
        // Registers as if each line had been deleted by its own :d: the last nine lines, newest in "1.
        for &r in marked.iter().rev().take(9).collect::<Vec<_>>().iter().rev() {
            let reg = Register { lines: vec![self.buf().line(*r)], kind: RegisterKind::Linewise };
            self.registers.delete(None, reg).map_err(|e| ExError::Msg(e.to_string()))?;
        }
        let id = self.buf_id();
        let change = ChangeSet::from_edits(len, edits).map_err(|e| ExError::Msg(e.to_string()))?;
        self.apply_change(id, change)?;
        let last_marked = marked.last().copied().unwrap_or(0);
        let row = (last_marked + 1).saturating_sub(marked.len()).min(self.buf().line_count().saturating_sub(1));
        self.cursor_to_first_nonblank(row);
        self.report_count(marked.len(), "fewer lines");
        Ok(())
    }

    fn report_count(&mut self, n: usize, what: &str) {
        if n as i64 > self.opt("report").as_number() {
            self.messages.info(format!("{n} {what}"));
        }
    }
}

/// The edits a substitution makes, computed before anything changes.
struct Plan {
    edits: Vec<Edit>,
    matches: usize,
    lines: usize,
    last_row: usize,
    /// How far `last_row` moves: lines added by replacements with line breaks up to and including
    /// it, minus lines joined before it (the cursor ends on the last piece of the last
    /// substituted line).
    line_delta: i64,
    /// Lines added minus lines joined by the substitutions on the rows done so far.
    joined_before: i64,
}

fn plan_substitution(
    ed: &Editor,
    pat: &Pattern,
    rep: &Replacement,
    start: usize,
    end: usize,
    global: bool,
    mut groups: Option<&mut Vec<Vec<String>>>,
) -> Result<Plan, ExError> {
    let buf = ed.buf();
    let count = buf.line_count();
    let multiline = pat.is_multiline();
    let mut plan = Plan { edits: Vec::new(), matches: 0, lines: 0, last_row: start, line_delta: 0, joined_before: 0 };
    let mut row = start;
    // Bytes of the current line already consumed by a match that started on the previous line.
    let mut skip = 0usize;
    while row < end.min(count) {
        let line = buf.line_cow(row);
        let joined;
        let subject: &str = if multiline && row + 1 < count {
            joined = format!("{line}\n{}", buf.line_cow(row + 1));
            &joined
        } else {
            &line
        };
        // Char offsets from byte offsets: free for ASCII text, a count otherwise.
        let ascii = subject.is_ascii();
        let char_at = |b: usize| if ascii { b } else { subject[..b].chars().count() };
        let line_start = buf.line_start(row);
        let mut at = skip.min(line.len());
        skip = 0;
        let mut prev_end: Option<usize> = None;
        let mut matched_here = false;
        let mut consumed_next = 0usize;
        let (mut row_added, mut row_joined) = (0i64, 0i64);
        while at <= line.len() {
            let Some(caps) = pat.captures_at(subject, at) else { break };
            let m = caps.matched;
            if m.start > line.len() {
                break;
            }
            if m.start == m.end && prev_end == Some(m.start) {
                // No empty match right after the previous match (Vim's rule).
                at = next_char(subject, m.start);
                if at > line.len() {
                    break;
                }
                continue;
            }
            let replacement = rep.expand(&caps, subject);
            if let Some(g) = groups.as_deref_mut() {
                g.push(
                    caps.groups
                        .iter()
                        .map(|m| m.and_then(|m| subject.get(m.start..m.end)).unwrap_or("").to_string())
                        .collect(),
                );
            }
            let s_char = line_start + char_at(m.start);
            let e_char = line_start + char_at(m.end);
            row_added += replacement.matches('\n').count() as i64;
            row_joined += subject[m.start..m.end].matches('\n').count() as i64;
            plan.edits.push(Edit { start: s_char, end: e_char, text: replacement });
            plan.matches += 1;
            matched_here = true;
            if m.end > line.len() {
                consumed_next = m.end - line.len() - 1;
            }
            prev_end = Some(m.end);
            if !global || m.end > line.len() {
                break;
            }
            at = if m.end == m.start { next_char(subject, m.end) } else { m.end };
        }
        if matched_here {
            plan.lines += 1;
            plan.last_row = row;
            // Lines joined to this one come after it: only earlier rows' joins move it up.
            plan.line_delta = plan.joined_before + row_added;
            plan.joined_before += row_added - row_joined;
        }
        if consumed_next > 0 || (matched_here && multiline && prev_end.is_some_and(|e| e > line.len())) {
            // The match ran into the next line: continue after what it consumed there.
            skip = consumed_next;
        }
        row += 1;
    }
    Ok(plan)
}

fn next_char(s: &str, at: usize) -> usize {
    s[at..].chars().next().map_or(at + 1, |c| at + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags() {
        let (f, rest) = parse_flags("gi 3", false).unwrap();
        assert!(f.global);
        assert_eq!(f.ignore_case, Some(true));
        assert_eq!(rest, " 3");
        let (f, _) = parse_flags("g", true).unwrap();
        assert!(!f.global, "g toggles with 'gdefault'");
        assert!(parse_flags("c", false).is_err());
    }
}
