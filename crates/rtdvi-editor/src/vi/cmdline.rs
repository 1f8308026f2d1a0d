//! The command line typed as keys: `:`, `/`, `?` with editing keys, history and `<C-r>`.

use super::command::{Action, Motion, Target};
use super::textpos;
use super::{CmdPurpose, Cmdline, CmdlineState};
use crate::editor::Editor;
use crate::events::{Event, EventArgs};
use crate::keys::{Key, KeyCode, Mods};

impl Editor {
    /// Opens the command line with a prompt and initial text.
    pub(crate) fn open_cmdline(&mut self, prompt: char, init: String, purpose: CmdPurpose) {
        let cursor = init.chars().count();
        self.vi.cmdline = Some(Cmdline {
            state: CmdlineState {
                prompt,
                text: init,
                cursor,
                completions: Vec::new(),
                selected: None,
                completion_start: 0,
            },
            purpose,
            pending: None,
            history_index: None,
            history_prefix: String::new(),
            origin: self.cursor(),
            keys: Vec::new(),
            wild: None,
        });
        // Neovim: CmdlineEnter comes before the ModeChanged to "c".
        let args = EventArgs { buf: Some(self.buf_id()), matched: prompt.to_string(), ..Default::default() };
        self.fire(Event::CmdlineEnter, args);
        self.report_mode();
    }

    fn cmdline_insert(&mut self, s: &str) {
        if let Some(c) = &mut self.vi.cmdline {
            let byte = char_to_byte(&c.state.text, c.state.cursor);
            c.state.text.insert_str(byte, s);
            c.state.cursor += s.chars().count();
        }
    }

    /// A key on the command line.
    pub(crate) fn cmdline_key(&mut self, key: Key) {
        let Some(cl) = self.vi.cmdline.as_mut() else { return };
        cl.keys.push(key);
        if let Some(p) = cl.pending.take() {
            match p {
                'r' => {
                    if key.mods == Mods::CTRL && key.code == KeyCode::Char('w') {
                        let p = self.vpos();
                        if let Some((w, _)) = super::normal::word_under_cursor(&self.buf().text, p) {
                            self.cmdline_insert(&w);
                        }
                        return;
                    }
                    if key.mods == Mods::CTRL && matches!(key.code, KeyCode::Char('r' | 'o' | 'p')) {
                        if let Some(c) = &mut self.vi.cmdline {
                            c.pending = Some('r');
                        }
                        return;
                    }
                    if let Some(reg) = key.to_text_char() {
                        let text = match reg {
                            ':' => self.vi.cmd_history.last().cloned(),
                            _ => self.read_register(reg).map(|r| {
                                let mut t = r.lines.join("\r");
                                if r.kind == crate::registers::RegisterKind::Linewise {
                                    t.push('\r');
                                }
                                t
                            }),
                        };
                        if let Some(t) = text {
                            self.cmdline_insert(&t);
                        }
                    }
                }
                _ => {
                    if let Some(c) = key.to_text_char() {
                        self.cmdline_insert(&c.to_string());
                    }
                }
            }
            return;
        }
        let typed = self.vi.key_typed;
        let cycling = cl.wild.is_some();
        let completes =
            cl.state.prompt == ':' && (key.code == KeyCode::Tab || (cycling && (key.is_ctrl('n') || key.is_ctrl('p'))));
        if !completes && cycling {
            cl.wild = None;
            cl.state.completions.clear();
            cl.state.selected = None;
        }
        if completes {
            let forward = !(key.mods.contains(Mods::SHIFT) || key.is_ctrl('p'));
            self.cmdline_complete(forward);
            return;
        }
        match (key.code, key.mods) {
            (KeyCode::Enter, _) | (KeyCode::NewLine, _) => self.cmdline_execute(),
            (KeyCode::Esc, _) if !typed => self.cmdline_execute(),
            (KeyCode::Esc, _) | (KeyCode::Char('c'), Mods::CTRL) => self.cmdline_cancel(),
            (KeyCode::Backspace, _) | (KeyCode::Char('h'), Mods::CTRL) => {
                let Some(c) = &mut self.vi.cmdline else { return };
                if c.state.text.is_empty() {
                    self.cmdline_cancel();
                    return;
                }
                if c.state.cursor > 0 {
                    let b = char_to_byte(&c.state.text, c.state.cursor - 1);
                    c.state.text.remove(b);
                    c.state.cursor -= 1;
                }
            }
            (KeyCode::Delete, _) => {
                let Some(c) = &mut self.vi.cmdline else { return };
                if c.state.cursor < c.state.text.chars().count() {
                    let b = char_to_byte(&c.state.text, c.state.cursor);
                    c.state.text.remove(b);
                } else if c.state.cursor > 0 {
                    let b = char_to_byte(&c.state.text, c.state.cursor - 1);
                    c.state.text.remove(b);
                    c.state.cursor -= 1;
                }
            }
            (KeyCode::Char('u'), Mods::CTRL) => {
                let Some(c) = &mut self.vi.cmdline else { return };
                let b = char_to_byte(&c.state.text, c.state.cursor);
                c.state.text.replace_range(..b, "");
                c.state.cursor = 0;
            }
            (KeyCode::Char('w'), Mods::CTRL) => {
                let Some(c) = &mut self.vi.cmdline else { return };
                let chars: Vec<char> = c.state.text.chars().collect();
                let mut s = c.state.cursor;
                while s > 0 && chars[s - 1] == ' ' {
                    s -= 1;
                }
                if s > 0 {
                    let word = textpos::is_word_char(chars[s - 1]);
                    while s > 0 && chars[s - 1] != ' ' && textpos::is_word_char(chars[s - 1]) == word {
                        s -= 1;
                    }
                }
                let bs = char_to_byte(&c.state.text, s);
                let be = char_to_byte(&c.state.text, c.state.cursor);
                c.state.text.replace_range(bs..be, "");
                c.state.cursor = s;
            }
            (KeyCode::Char('r'), Mods::CTRL) => {
                if let Some(c) = &mut self.vi.cmdline {
                    c.pending = Some('r');
                }
            }
            (KeyCode::Char('v'), Mods::CTRL) | (KeyCode::Char('q'), Mods::CTRL) => {
                if let Some(c) = &mut self.vi.cmdline {
                    c.pending = Some('v');
                }
            }
            (KeyCode::Left, _) => {
                if let Some(c) = &mut self.vi.cmdline {
                    c.state.cursor = c.state.cursor.saturating_sub(1);
                }
            }
            (KeyCode::Right, _) => {
                if let Some(c) = &mut self.vi.cmdline {
                    c.state.cursor = (c.state.cursor + 1).min(c.state.text.chars().count());
                }
            }
            (KeyCode::Home, _) | (KeyCode::Char('b'), Mods::CTRL) => {
                if let Some(c) = &mut self.vi.cmdline {
                    c.state.cursor = 0;
                }
            }
            (KeyCode::End, _) | (KeyCode::Char('e'), Mods::CTRL) => {
                if let Some(c) = &mut self.vi.cmdline {
                    c.state.cursor = c.state.text.chars().count();
                }
            }
            (KeyCode::Up, _)
            | (KeyCode::Down, _)
            | (KeyCode::Char('p'), Mods::CTRL)
            | (KeyCode::Char('n'), Mods::CTRL) => {
                let up = matches!(key.code, KeyCode::Up) || key.is_ctrl('p');
                self.cmdline_history(up);
            }
            (KeyCode::Tab, _) => {}
            (KeyCode::Ignore, _) => {}
            _ => {
                if let Some(c) = key.to_text_char() {
                    if key.mods == Mods::NONE {
                        self.cmdline_insert(&c.to_string());
                    }
                }
            }
        }
    }

    /// `<Tab>`/`<S-Tab>`: completes the word before the cursor, then cycles through the matches and
    /// back to what was typed (Vim's 'wildmode' "full").
    fn cmdline_complete(&mut self, forward: bool) {
        let Some(cl) = self.vi.cmdline.as_ref() else { return };
        if cl.wild.is_none() {
            let before: String = cl.state.text.chars().take(cl.state.cursor).collect();
            let Some((at, found)) = crate::ex::complete::candidates(self, &before) else { return };
            if found.is_empty() {
                return;
            }
            let start = before[..at].chars().count();
            let typed: String = before[at..].to_string();
            let Some(cl) = self.vi.cmdline.as_mut() else { return };
            cl.wild = Some((start, typed));
            cl.state.completion_start = start;
            cl.state.completions = found;
            cl.state.selected = None;
        }
        let Some(cl) = self.vi.cmdline.as_mut() else { return };
        let n = cl.state.completions.len();
        // The typed text is the position after the last match (and before the first).
        let next = match (cl.state.selected, forward) {
            (None, true) => Some(0),
            (None, false) => n.checked_sub(1),
            (Some(i), true) => (i + 1 < n).then_some(i + 1),
            (Some(i), false) => i.checked_sub(1),
        };
        let Some((start, typed)) = cl.wild.clone() else { return };
        let word = match next {
            Some(i) => cl.state.completions.get(i).cloned().unwrap_or_default(),
            None => typed,
        };
        let end = cl.state.cursor;
        let bs = char_to_byte(&cl.state.text, start);
        let be = char_to_byte(&cl.state.text, end);
        cl.state.text.replace_range(bs..be, &word);
        cl.state.cursor = start + word.chars().count();
        cl.state.selected = next;
        if n == 1 {
            // A single match is final: the next `<Tab>` completes again from it (into a directory).
            cl.wild = None;
            cl.state.completions.clear();
            cl.state.selected = None;
        }
    }

    /// `<Up>`/`<Down>`: the previous/next history entry starting with what was typed.
    fn cmdline_history(&mut self, up: bool) {
        let Some(c) = &self.vi.cmdline else { return };
        let history: Vec<String> =
            if c.state.prompt == ':' { self.vi.cmd_history.clone() } else { self.search.history.clone() };
        let Some(c) = &mut self.vi.cmdline else { return };
        if c.history_index.is_none() {
            c.history_prefix = c.state.text.clone();
        }
        let prefix = c.history_prefix.clone();
        let mut idx = c.history_index.unwrap_or(history.len());
        loop {
            if up {
                if idx == 0 {
                    return;
                }
                idx -= 1;
            } else {
                idx += 1;
                if idx >= history.len() {
                    c.history_index = None;
                    c.state.text = prefix.clone();
                    c.state.cursor = c.state.text.chars().count();
                    return;
                }
            }
            if history[idx].starts_with(&prefix) {
                break;
            }
        }
        c.history_index = Some(idx);
        c.state.text = history[idx].clone();
        c.state.cursor = c.state.text.chars().count();
    }

    fn cmdline_close(&mut self) -> Option<Cmdline> {
        // CmdlineLeave fires while still in command-line mode, then the mode changes.
        let prompt = self.vi.cmdline.as_ref()?.state.prompt;
        let args = EventArgs { buf: Some(self.buf_id()), matched: prompt.to_string(), ..Default::default() };
        self.fire(Event::CmdlineLeave, args);
        let c = self.vi.cmdline.take()?;
        self.report_mode();
        Some(c)
    }

    fn cmdline_cancel(&mut self) {
        if let Some(c) = self.cmdline_close() {
            if matches!(c.purpose, CmdPurpose::Search(_)) {
                let o = c.origin;
                let w = self.win_mut();
                w.cursor = o;
            }
        }
        self.after_cmdline();
    }

    /// Runs an ex line typed on the command line; errors become messages. Returns success.
    pub(crate) fn run_ex_line(&mut self, line: &str) -> bool {
        match self.execute_ex(line) {
            Ok(()) => true,
            Err(e) => {
                self.messages.error(e.to_string());
                false
            }
        }
    }

    /// An ex line typed on the command line goes to the history and the `:` register.
    fn remember_cmdline(&mut self, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        self.vi.cmd_history.retain(|h| h != text);
        self.vi.cmd_history.push(text.to_string());
        let _ = self.registers.set(
            ':',
            crate::registers::Register {
                lines: vec![text.to_string()],
                kind: crate::registers::RegisterKind::Charwise,
            },
        );
    }

    fn cmdline_execute(&mut self) {
        let Some(c) = self.cmdline_close() else { return };
        let text = c.state.text.clone();
        match c.purpose {
            CmdPurpose::Ex => {
                self.remember_cmdline(&text);
                // Keep the visual marks but leave the mode before running the command.
                if !self.run_ex_line(&text) {
                    self.fail();
                }
            }
            CmdPurpose::ExMotion(cmd) => {
                self.remember_cmdline(&text);
                self.ex_motion(cmd, &text);
            }
            CmdPurpose::Expr => {
                let v = crate::expr::eval(&text, &mut crate::function::EditorContext::new(self));
                match v.and_then(|v| v.to_string_value()) {
                    Ok(t) => {
                        for ch in t.chars() {
                            if ch == '\n' || ch == '\r' {
                                self.insert_newline_plain();
                            } else {
                                self.insert_text_char(ch);
                            }
                        }
                    }
                    Err(e) => self.messages.error(e.to_string()),
                }
            }
            CmdPurpose::Search(pending) => {
                let forward = c.state.prompt == '/';
                if !text.is_empty() {
                    self.search.history.retain(|h| h != &text);
                    self.search.history.push(text.clone());
                }
                let motion = Motion::Search { forward, text: text.clone() };
                let r = match pending {
                    None => {
                        let count = self.vi.search_count.take();
                        self.search_motion(motion, count)
                    }
                    Some(mut cmd) => {
                        if let Action::Operator { op, force, .. } = cmd.action.clone() {
                            cmd.action = Action::Operator { op, force, target: Target::Motion(motion.clone()) };
                            // The dot record gets the typed pattern and <CR>.
                            cmd.keys.extend(text.chars().map(Key::char));
                            cmd.keys.push(Key::plain(KeyCode::Enter));
                            self.vi.changed = false;
                            self.run_command(cmd)
                        } else {
                            Err(super::Fail)
                        }
                    }
                };
                if let Some(p) = &self.search.last_pattern {
                    let _ = self.registers.set(
                        '/',
                        crate::registers::Register {
                            lines: vec![p.clone()],
                            kind: crate::registers::RegisterKind::Charwise,
                        },
                    );
                }
                if r.is_err() {
                    self.fail();
                }
            }
        }
        self.after_cmdline();
    }

    fn search_motion(&mut self, m: Motion, count: Option<usize>) -> Result<(), super::Fail> {
        let mv = self.eval_motion(&m, count, false)?;
        self.set_jump();
        if self.vi.visual.is_some() {
            self.place(mv.pos, mv.want);
        } else {
            self.place_normal(mv.pos, mv.want);
        }
        Ok(())
    }

    fn after_cmdline(&mut self) {
        if self.vi.insert.is_none() && self.vi.cmdline.is_none() && self.vi.visual.is_none() {
            if let Some(ins) = self.vi.insert_normal.take() {
                self.resume_insert(ins);
            }
        }
        self.scroll_to_cursor();
    }
}

fn char_to_byte(s: &str, idx: usize) -> usize {
    s.char_indices().nth(idx).map_or(s.len(), |(b, _)| b)
}

/// Keeps the `search_count` field documented here: `3/foo<CR>` searches for the third match.
#[allow(dead_code)]
const _COUNT_DOC: () = ();

impl CmdlineState {
    /// The text with the prompt, as displayed.
    pub fn display(&self) -> String {
        format!("{}{}", self.prompt, self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::char_to_byte;
    use crate::editor::Editor;

    fn shown(e: &Editor) -> (String, Vec<String>, Option<usize>) {
        let c = e.cmdline().expect("command line open");
        (c.text, c.completions, c.selected)
    }

    #[test]
    fn tab_cycles_through_matches_and_back() {
        let mut e = Editor::new();
        e.feed_keys(":tabn<Tab>");
        let all = vec!["tabnew".to_string(), "tabnext".to_string()];
        assert_eq!(shown(&e), ("tabnew".into(), all.clone(), Some(0)));
        e.feed_keys("<Tab>");
        assert_eq!(shown(&e), ("tabnext".into(), all.clone(), Some(1)));
        e.feed_keys("<Tab>");
        assert_eq!(shown(&e), ("tabn".into(), all.clone(), None));
        e.feed_keys("<S-Tab>");
        assert_eq!(shown(&e), ("tabnext".into(), all, Some(1)));
        // Any other key keeps the text and ends the menu.
        e.feed_keys(" 2");
        assert_eq!(shown(&e), ("tabnext 2".into(), vec![], None));
    }

    #[test]
    fn single_match_completes_and_runs() {
        let mut e = Editor::new();
        e.feed_keys(":set nonu<Tab>");
        assert!(shown(&e).0.starts_with("set nonu"), "{:?}", shown(&e));
        let mut e = Editor::new();
        e.feed_keys(":set tabs<Tab>=3<CR>");
        assert!(e.cmdline().is_none());
        assert_eq!(e.buf().opt_number("tabstop"), 3);
    }

    #[test]
    fn byte_offsets() {
        assert_eq!(char_to_byte("aé b", 2), 3);
        assert_eq!(char_to_byte("ab", 5), 2);
    }
}
