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
            state: CmdlineState { prompt, text: init, cursor },
            purpose,
            pending: None,
            history_index: None,
            history_prefix: String::new(),
            origin: self.cursor(),
            keys: Vec::new(),
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

    fn cmdline_execute(&mut self) {
        let Some(c) = self.cmdline_close() else { return };
        let text = c.state.text.clone();
        match c.purpose {
            CmdPurpose::Ex => {
                if !text.trim().is_empty() {
                    self.vi.cmd_history.retain(|h| h != &text);
                    self.vi.cmd_history.push(text.clone());
                    let _ = self.registers.set(
                        ':',
                        crate::registers::Register {
                            lines: vec![text.clone()],
                            kind: crate::registers::RegisterKind::Charwise,
                        },
                    );
                }
                // Keep the visual marks but leave the mode before running the command.
                if !self.run_ex_line(&text) {
                    self.fail();
                }
            }
            CmdPurpose::Expr => {
                let v = crate::expr::eval(&text, &mut crate::ex::EditorContext(self));
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

    #[test]
    fn byte_offsets() {
        assert_eq!(char_to_byte("aé b", 2), 3);
        assert_eq!(char_to_byte("ab", 5), 2);
    }
}
