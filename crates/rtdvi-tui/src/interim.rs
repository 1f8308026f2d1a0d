//! A deliberately small key handler that makes the UI usable until the vi engine
//! (`Editor::handle_key`) lands: motions `h j k l 0 ^ $ w b gg G <C-d> <C-u> <C-f> <C-b> <C-e> <C-y>`,
//! `x dd u <C-r> i a A I o O ZZ n N gt gT <C-w>{c}`, insert-mode typing, and the `:`, `/`, `?`
//! command lines with `<Left> <Right> <C-b> <C-e> <C-u> <C-w> <BS> <Up> <Down>` (history).
//!
//! It takes keys in Vim notation (what [`crate::input`] produces), so swapping it for the vi engine
//! changes only the call site in [`crate::app`]. Delete this module when the engine is merged.

use rtdvi_core::changeset::{ChangeSet, Edit};
use rtdvi_editor::view::CursorPlacement;
use rtdvi_editor::Editor;

use crate::render::CmdlineView;

/// The modes the stand-in knows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// Normal mode.
    #[default]
    Normal,
    /// Insert mode.
    Insert,
    /// Editing a command line (`:`, `/`, `?`).
    Cmdline(CmdlineView),
}

/// The stand-in key handler's state.
#[derive(Debug, Default)]
pub struct Interim {
    /// The current mode.
    pub mode: Mode,
    pending: String,
    history: Vec<String>,
    history_pos: Option<usize>,
    mode_before_cmdline: Option<Box<Mode>>,
}

/// Splits Vim key notation into single keys (`"a<C-w>j"` → `["a", "<C-w>", "j"]`).
pub fn split_keys(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some(end) = rest.find('>') {
                let inner = &rest[1..end];
                if !inner.is_empty() && !inner.contains('<') && !inner.contains(' ') {
                    out.push(rest[..=end].to_string());
                    rest = &rest[end + 1..];
                    continue;
                }
            }
        }
        out.push(c.to_string());
        rest = &rest[c.len_utf8()..];
    }
    out
}

impl Interim {
    /// The mode message for 'showmode'.
    pub fn mode_msg(&self) -> &'static str {
        match self.mode {
            Mode::Insert => "-- INSERT --",
            _ => "",
        }
    }

    /// A short mode name for the status line.
    pub fn mode_name(&self) -> &'static str {
        match self.mode {
            Mode::Normal => "NORMAL",
            Mode::Insert => "INSERT",
            Mode::Cmdline(_) => "COMMAND",
        }
    }

    /// Where the cursor sits on a character in this mode.
    pub fn placement(&self) -> CursorPlacement {
        match self.mode {
            Mode::Insert => CursorPlacement::BeforeChar,
            _ => CursorPlacement::OnChar,
        }
    }

    /// Keys typed so far of an unfinished command.
    pub fn pending(&self) -> &str {
        &self.pending
    }

    /// The command line being edited.
    pub fn cmdline(&self) -> Option<&CmdlineView> {
        match &self.mode {
            Mode::Cmdline(c) => Some(c),
            _ => None,
        }
    }

    /// Handles one key in Vim notation.
    pub fn handle_key(&mut self, ed: &mut Editor, key: &str) {
        match &self.mode {
            Mode::Normal => self.normal(ed, key),
            Mode::Insert => self.insert(ed, key),
            Mode::Cmdline(_) => self.cmdline_key(ed, key),
        }
    }

    fn normal(&mut self, ed: &mut Editor, key: &str) {
        self.pending.push_str(key);
        let keys = self.pending.clone();
        let (count, cmd) = split_count(&keys);
        let n = count.unwrap_or(1);
        let c = ed.cursor();
        let last = ed.buf().line_count().saturating_sub(1);
        let height = ed.win().rect.height.max(1);
        match cmd {
            "" | "g" | "d" | "Z" | "<C-w>" => return,
            "h" | "<Left>" | "<BS>" => ed.set_cursor(c.row, c.col.saturating_sub(n)),
            "l" | "<Right>" | " " => ed.set_cursor(c.row, c.col + n),
            "j" | "<Down>" | "<C-n>" => self.vertical(ed, c.row.saturating_add(n).min(last)),
            "k" | "<Up>" | "<C-p>" => self.vertical(ed, c.row.saturating_sub(n)),
            "0" | "<Home>" => ed.set_cursor(c.row, 0),
            "^" => ed.cursor_to_first_nonblank(c.row),
            "$" | "<End>" => {
                let len = ed.buf().line_len(c.row);
                ed.set_cursor(c.row, len);
                ed.win_mut().curswant = usize::MAX;
            }
            "w" | "b" => {
                let pos = ed.cursor_char();
                let text = &ed.buf().text;
                let len = text.len_chars();
                let is_word = |ch: char| ch.is_alphanumeric() || ch == '_';
                let mut p = pos;
                for _ in 0..n {
                    if cmd == "w" {
                        let start_word = p < len && is_word(text.char(p));
                        while p < len && is_word(text.char(p)) == start_word && !text.char(p).is_whitespace() {
                            p += 1;
                        }
                        while p < len && text.char(p).is_whitespace() {
                            p += 1;
                        }
                    } else {
                        while p > 0 && text.char(p - 1).is_whitespace() {
                            p -= 1;
                        }
                        let w = p > 0 && is_word(text.char(p - 1));
                        while p > 0 && is_word(text.char(p - 1)) == w && !text.char(p - 1).is_whitespace() {
                            p -= 1;
                        }
                    }
                }
                let (r, col) = ed.buf().char_to_pos(p.min(len));
                ed.set_cursor(r, col);
            }
            "gg" => ed.cursor_to_first_nonblank(count.map_or(0, |k| k - 1)),
            "G" => ed.cursor_to_first_nonblank(count.map_or(last, |k| k - 1)),
            "<C-d>" | "<C-u>" | "<C-f>" | "<C-b>" | "<PageDown>" | "<PageUp>" => {
                let amount = match cmd {
                    "<C-d>" | "<C-u>" => (height / 2).max(1),
                    _ => height.saturating_sub(2).max(1),
                } as isize;
                let down = matches!(cmd, "<C-d>" | "<C-f>" | "<PageDown>");
                let delta = if down { amount } else { -amount };
                let top = ed.win().top_line as isize;
                let row = (c.row as isize + delta).clamp(0, last as isize) as usize;
                let id = ed.current;
                ed.scroll_window(id, (top + delta).clamp(0, last as isize) as isize - top);
                ed.cursor_to_first_nonblank(row);
            }
            "<C-e>" | "<C-y>" => {
                let id = ed.current;
                ed.scroll_window(id, if cmd == "<C-e>" { n as isize } else { -(n as isize) });
            }
            "x" | "<Del>" => {
                let len = ed.buf().line_len(c.row);
                if len > 0 {
                    let start = ed.cursor_char();
                    let end = start + n.min(len - c.col);
                    self.replace(ed, start, end, "");
                    ed.set_cursor(c.row, c.col);
                }
            }
            "dd" => {
                let end_row = (c.row + n).min(last + 1);
                if let Ok(cs) = ed.buf().lines_change(c.row, end_row, &[]) {
                    let id = ed.buf_id();
                    if let Err(e) = ed.apply_change(id, cs) {
                        ed.messages.error(e.to_string());
                    }
                }
                let row = c.row.min(ed.buf().line_count().saturating_sub(1));
                ed.cursor_to_first_nonblank(row);
            }
            "u" | "<C-r>" => {
                if let Err(e) = ed.undo_steps(n, cmd == "u") {
                    ed.messages.error(e.to_string());
                }
            }
            "i" | "a" | "A" | "I" | "o" | "O" => {
                match cmd {
                    "a" if ed.buf().line_len(c.row) > 0 => ed.win_mut().cursor.col += 1,
                    "A" => ed.win_mut().cursor.col = ed.buf().line_len(c.row),
                    "I" => ed.cursor_to_first_nonblank(c.row),
                    "o" | "O" => {
                        let row = if cmd == "o" { c.row + 1 } else { c.row };
                        if let Ok(cs) = ed.buf().lines_change(row, row, &[String::new()]) {
                            let id = ed.buf_id();
                            let _ = ed.apply_change(id, cs);
                        }
                        ed.win_mut().cursor = rtdvi_editor::Cursor { row, col: 0 };
                    }
                    _ => {}
                }
                self.mode = Mode::Insert;
            }
            ":" | "/" | "?" => {
                self.mode_before_cmdline = Some(Box::new(Mode::Normal));
                self.mode = Mode::Cmdline(CmdlineView { prompt: cmd.to_string(), text: String::new(), cursor: 0 });
                self.history_pos = None;
            }
            "n" | "N" => self.search_next(ed, cmd == "N", n),
            "gt" => match count {
                Some(k) => ed.goto_tab(k - 1),
                None => ed.cycle_tab(1),
            },
            "gT" => ed.cycle_tab(-(n as isize)),
            "ZZ" => ed.run_command_line("x").then_some(()).unwrap_or(()),
            "ZQ" => ed.run_command_line("q!").then_some(()).unwrap_or(()),
            _ => {
                if let Some(rest) = cmd.strip_prefix("<C-w>") {
                    let ch = match rest {
                        "<C-w>" => 'w',
                        "<C-h>" | "<Left>" => 'h',
                        "<C-j>" | "<Down>" => 'j',
                        "<C-k>" | "<Up>" => 'k',
                        "<C-l>" | "<Right>" => 'l',
                        "<lt>" => '<',
                        r => r.chars().next().unwrap_or(' '),
                    };
                    if let Err(e) = ed.wincmd(ch, count) {
                        ed.messages.error(e.to_string());
                    }
                }
                // Unknown keys are dropped, like an unmapped key in Vim (which beeps).
            }
        }
        self.pending.clear();
        ed.finish_command();
    }

    fn vertical(&mut self, ed: &mut Editor, row: usize) {
        let want = ed.win().curswant;
        let len = ed.buf().line_len(row);
        ed.set_cursor(row, want.min(len.saturating_sub(1)));
        ed.win_mut().curswant = want;
    }

    fn replace(&mut self, ed: &mut Editor, start: usize, end: usize, text: &str) {
        let len = ed.buf().text.len_chars();
        let edit = Edit { start, end, text: text.to_string() };
        match ChangeSet::from_edits(len, [edit]) {
            Ok(cs) => {
                let id = ed.buf_id();
                if let Err(e) = ed.apply_change(id, cs) {
                    ed.messages.error(e.to_string());
                }
            }
            Err(e) => ed.messages.error(e.to_string()),
        }
    }

    fn insert(&mut self, ed: &mut Editor, key: &str) {
        let c = ed.cursor();
        let pos = ed.buf().pos_to_char(c.row, c.col);
        match key {
            "<Esc>" | "<C-c>" => {
                self.mode = Mode::Normal;
                ed.set_cursor(c.row, c.col.saturating_sub(1));
                ed.finish_command();
            }
            "<CR>" | "<NL>" => {
                self.replace(ed, pos, pos, "\n");
                ed.win_mut().cursor = rtdvi_editor::Cursor { row: c.row + 1, col: 0 };
            }
            "<BS>" => {
                if pos > 0 {
                    self.replace(ed, pos - 1, pos, "");
                    let (r, col) = ed.buf().char_to_pos(pos - 1);
                    ed.win_mut().cursor = rtdvi_editor::Cursor { row: r, col };
                }
            }
            "<Left>" => ed.win_mut().cursor.col = c.col.saturating_sub(1),
            "<Right>" => ed.win_mut().cursor.col = (c.col + 1).min(ed.buf().line_len(c.row)),
            "<Up>" | "<Down>" => {
                let last = ed.buf().line_count().saturating_sub(1);
                let row = if key == "<Up>" { c.row.saturating_sub(1) } else { (c.row + 1).min(last) };
                let col = c.col.min(ed.buf().line_len(row));
                ed.win_mut().cursor = rtdvi_editor::Cursor { row, col };
            }
            "<Tab>" => self.type_text(ed, "\t"),
            "<lt>" => self.type_text(ed, "<"),
            k if k.chars().count() == 1 => self.type_text(ed, k),
            _ => {}
        }
    }

    fn type_text(&mut self, ed: &mut Editor, text: &str) {
        let c = ed.cursor();
        let pos = ed.buf().pos_to_char(c.row, c.col);
        self.replace(ed, pos, pos, text);
        let (r, col) = ed.buf().char_to_pos(pos + text.chars().count());
        ed.win_mut().cursor = rtdvi_editor::Cursor { row: r, col };
    }

    fn cmdline_key(&mut self, ed: &mut Editor, key: &str) {
        let Mode::Cmdline(mut cl) = std::mem::take(&mut self.mode) else { return };
        let byte_at = |s: &str, chars: usize| s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i);
        match key {
            "<Esc>" | "<C-c>" => {
                self.mode = Mode::Normal;
                return;
            }
            "<CR>" | "<NL>" => {
                self.mode = Mode::Normal;
                self.run_cmdline(ed, &cl);
                return;
            }
            "<BS>" | "<C-h>" => {
                if cl.text.is_empty() {
                    self.mode = Mode::Normal;
                    return;
                }
                if cl.cursor > 0 {
                    let i = byte_at(&cl.text, cl.cursor - 1);
                    cl.text.remove(i);
                    cl.cursor -= 1;
                }
            }
            "<Left>" => cl.cursor = cl.cursor.saturating_sub(1),
            "<Right>" => cl.cursor = (cl.cursor + 1).min(cl.text.chars().count()),
            "<C-b>" | "<Home>" => cl.cursor = 0,
            "<C-e>" | "<End>" => cl.cursor = cl.text.chars().count(),
            "<C-u>" => {
                let i = byte_at(&cl.text, cl.cursor);
                cl.text.replace_range(..i, "");
                cl.cursor = 0;
            }
            "<C-w>" => {
                let i = byte_at(&cl.text, cl.cursor);
                let before = cl.text[..i].trim_end();
                let start = before.rfind(|ch: char| !(ch.is_alphanumeric() || ch == '_')).map_or(0, |p| p + 1);
                let start = if start == before.len() && start > 0 { start - 1 } else { start };
                cl.cursor = cl.text[..start].chars().count();
                cl.text.replace_range(start..i, "");
            }
            "<Up>" | "<Down>" => {
                // History filtered by what was typed before the first <Up>, as Vim does.
                let matching: Vec<&String> = self.history.iter().filter(|h| h.starts_with(&cl.prompt)).collect();
                if !matching.is_empty() {
                    let pos = match (self.history_pos, key) {
                        (None, "<Up>") => Some(matching.len() - 1),
                        (Some(p), "<Up>") => Some(p.saturating_sub(1)),
                        (Some(p), _) if p + 1 < matching.len() => Some(p + 1),
                        _ => None,
                    };
                    self.history_pos = pos;
                    cl.text =
                        pos.and_then(|p| matching.get(p)).map_or(String::new(), |h| h[cl.prompt.len()..].to_string());
                    cl.cursor = cl.text.chars().count();
                }
            }
            "<lt>" => {
                let i = byte_at(&cl.text, cl.cursor);
                cl.text.insert(i, '<');
                cl.cursor += 1;
            }
            "<Tab>" => {
                cl.text.push('\t');
                cl.cursor += 1;
            }
            k if k.chars().count() == 1 => {
                let i = byte_at(&cl.text, cl.cursor);
                cl.text.insert_str(i, k);
                cl.cursor += 1;
            }
            _ => {}
        }
        self.mode = Mode::Cmdline(cl);
    }

    fn run_cmdline(&mut self, ed: &mut Editor, cl: &CmdlineView) {
        self.history.push(format!("{}{}", cl.prompt, cl.text));
        if cl.prompt == ":" {
            ed.run_command_line(&cl.text);
            return;
        }
        let backward = cl.prompt == "?";
        if !cl.text.is_empty() {
            ed.search.last_pattern = Some(cl.text.clone());
            ed.search.history.push(cl.text.clone());
        }
        ed.search.direction =
            if backward { rtdvi_editor::search::Direction::Backward } else { rtdvi_editor::search::Direction::Forward };
        self.search_next(ed, false, 1);
    }

    fn search_next(&mut self, ed: &mut Editor, reverse: bool, count: usize) {
        let Some(pat_text) = ed.search.last_pattern.clone() else {
            ed.messages.error("E35: No previous regular expression");
            return;
        };
        let pat = match ed.compile_pattern(&pat_text) {
            Ok(p) => p,
            Err(e) => {
                ed.messages.error(e.to_string());
                return;
            }
        };
        let backward = (ed.search.direction == rtdvi_editor::search::Direction::Backward) != reverse;
        let wrapscan = ed.opt("wrapscan").as_bool();
        ed.search.highlight = true;
        let mut pos = ed.cursor_char();
        for _ in 0..count {
            let r = if backward {
                rtdvi_core::search::search_backward(&ed.buf().text, &pat, pos, wrapscan)
            } else {
                rtdvi_core::search::search_forward(&ed.buf().text, &pat, pos, wrapscan)
            };
            match r {
                rtdvi_core::search::SearchResult::Found { range, wrapped } => {
                    pos = range.start;
                    if wrapped {
                        ed.messages.warning(if backward {
                            rtdvi_core::search::WRAPPED_BACKWARD
                        } else {
                            rtdvi_core::search::WRAPPED_FORWARD
                        });
                    }
                }
                other => {
                    if let Some(m) = other.error_message(&pat_text) {
                        ed.messages.error(m);
                    }
                    return;
                }
            }
        }
        ed.push_jump();
        let (r, c) = ed.buf().char_to_pos(pos);
        ed.set_cursor(r, c);
    }
}

/// Splits a leading count off normal-mode keys (`"12dd"` → `(Some(12), "dd")`; a lone `0` is a motion).
fn split_count(keys: &str) -> (Option<usize>, &str) {
    let digits = keys.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || keys.starts_with('0') {
        return (None, keys);
    }
    (keys[..digits].parse().ok(), &keys[digits..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(ed: &mut Editor, k: &mut Interim, keys: &str) {
        for key in split_keys(keys) {
            k.handle_key(ed, &key);
        }
    }

    #[test]
    fn type_edit_and_write_through_the_command_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.txt");
        let mut ed = Editor::new();
        ed.set_screen_size(40, 10);
        let mut k = Interim::default();
        run(&mut ed, &mut k, "ihello<CR>world<Esc>");
        assert_eq!(ed.buf().text.to_string(), "hello\nworld");
        assert_eq!(ed.cursor(), rtdvi_editor::Cursor { row: 1, col: 4 });
        run(&mut ed, &mut k, "ggx");
        assert_eq!(ed.buf().text.to_string(), "ello\nworld");
        run(&mut ed, &mut k, &format!(":w {}<CR>", path.display()));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "ello\nworld\n");
        run(&mut ed, &mut k, "u");
        assert_eq!(ed.buf().text.to_string(), "hello\nworld");
    }

    #[test]
    fn search_and_window_keys() {
        let mut ed = Editor::new();
        ed.set_screen_size(40, 10);
        ed.buf_mut().text = ropey::Rope::from_str("a\nfoo\nb\nfoo");
        let mut k = Interim::default();
        run(&mut ed, &mut k, "/foo<CR>");
        assert_eq!(ed.cursor().row, 1);
        run(&mut ed, &mut k, "n");
        assert_eq!(ed.cursor().row, 3);
        run(&mut ed, &mut k, "<C-w>s");
        assert_eq!(ed.tab_windows().len(), 2);
        run(&mut ed, &mut k, "<C-w>j");
        assert_eq!(ed.tab_windows()[1], ed.current);
        run(&mut ed, &mut k, ":q<CR>");
        assert_eq!(ed.tab_windows().len(), 1);
    }

    #[test]
    fn keys_split_in_notation() {
        assert_eq!(split_keys("a<C-w>j<lt>x"), vec!["a", "<C-w>", "j", "<lt>", "x"]);
        assert_eq!(split_keys("<a b>"), vec!["<", "a", " ", "b", ">"]);
    }
}
