//! The event loop: terminal events in, keys to the engine, the screen redrawn after each batch.
//!
//! Messages: a message that fits in the command line stays there until the next one, a mode
//! message or a command line replaces it; more lines than 'cmdheight' (or a line wider than the
//! screen) open the hit-enter prompt, which any key dismisses (`:` starts a command right away).
//! Swap files are flushed about once a second while idle, and at once on SIGTERM/SIGHUP, which
//! then leave without deleting them (so the changes can be recovered), exiting with status 1.

use std::time::{Duration, Instant};

use crossterm::event::{self, Event, MouseButton, MouseEventKind};
use rtdvi_editor::message::Message;
use rtdvi_editor::Editor;

use rtdvi_editor::keys::parse_keys;
use rtdvi_editor::vi::{ModeKind, VisualKind};
use rtdvi_editor::view::CursorPlacement;

use crate::render::{CmdlineView, Renderer, Selection, SelectionKind, UiState};
use crate::terminal::{CursorShape, Term};

/// The front end's state around the editor.
pub struct App {
    /// The editor.
    pub ed: Editor,
    renderer: Renderer,
    syntax: crate::syntax::Syntax,
    messages: Vec<Message>,
    hit_enter: bool,
}

impl App {
    /// A front end for `ed`.
    pub fn new(ed: Editor) -> App {
        App {
            ed,
            renderer: Renderer::default(),
            syntax: crate::syntax::Syntax::new(),
            messages: Vec::new(),
            hit_enter: false,
        }
    }

    /// What the renderer needs besides the editor.
    pub fn ui_state(&self) -> UiState {
        ui_state(&self.ed, &self.messages, self.hit_enter)
    }

    /// Collects new messages from the editor and decides whether they need the hit-enter prompt.
    fn take_messages(&mut self) {
        let new = self.ed.take_messages();
        if new.is_empty() {
            return;
        }
        if !self.hit_enter {
            self.messages.clear();
        }
        self.messages.extend(new);
        let cols = self.ed.opt("columns").as_number().max(1) as usize;
        let lines: Vec<&str> = self.messages.iter().flat_map(|m| m.text.split('\n')).collect();
        let too_wide = lines.iter().any(|l| unicode_width::UnicodeWidthStr::width(*l) > cols.saturating_sub(1));
        if lines.len() > self.ed.cmdline_rows() || too_wide {
            self.hit_enter = true;
        }
    }

    /// Handles one key in Vim notation (the hit-enter prompt takes the first key).
    ///
    /// An unmapped `<M-x>` is `<Esc>` then `x`, as in Neovim: a terminal sends Alt+x as ESC x, and
    /// so does a quick `<Esc>:` (both arrive in one read).
    pub fn key(&mut self, key: &str) {
        if let Some(rest) = key.strip_prefix("<M-").and_then(|r| r.strip_suffix('>')) {
            let mut it = rest.chars();
            if let (Some(c), None) = (it.next(), it.next()) {
                self.key("<Esc>");
                self.key(&c.to_string());
                return;
            }
            if rest == "lt" {
                self.key("<Esc>");
                self.key("<lt>");
                return;
            }
        }
        if self.hit_enter {
            self.hit_enter = false;
            self.messages.clear();
            if !matches!(key, ":" | "/" | "?") {
                return;
            }
        }
        let was_normal = self.ed.mode_kind() == ModeKind::Normal;
        for k in parse_keys(key) {
            self.ed.handle_key(k);
        }
        if was_normal && self.ed.mode_kind() != ModeKind::Normal {
            // A mode message or a command line replaces the last message.
            self.messages.clear();
        }
        self.take_messages();
    }

    /// Draws a frame into the terminal.
    /// The terminal went away: keep the swap files (the changes stay recoverable), restore what can
    /// be restored, and exit 1 as after SIGHUP.
    fn terminal_lost(&mut self, term: &mut Term, e: &std::io::Error) -> i32 {
        self.ed.sync_swap_files();
        term.leave();
        eprintln!("rtdvi: terminal lost ({e}), swap files preserved");
        1
    }

    fn draw(&mut self, term: &mut Term) -> std::io::Result<()> {
        self.ed.update_views(placement(&self.ed));
        let ui = self.ui_state();
        let (renderer, syntax, ed) = (&mut self.renderer, &mut self.syntax, &self.ed);
        term.terminal.draw(|f| {
            let buf = f.buffer_mut();
            if let Some((x, y)) = renderer.draw(ed, &ui, syntax, buf) {
                f.set_cursor_position((x, y));
            }
        })?;
        let shape = match self.ed.mode_kind() {
            ModeKind::Insert | ModeKind::Cmdline => CursorShape::Bar,
            ModeKind::Replace | ModeKind::VirtualReplace | ModeKind::OperatorPending => CursorShape::Underline,
            _ => CursorShape::Block,
        };
        term.set_cursor_shape(shape);
        Ok(())
    }

    fn mouse(&mut self, ev: event::MouseEvent) {
        let (x, y) = (ev.column as usize, ev.row as usize);
        let hit = self.ed.tab_windows().into_iter().find(|id| {
            self.ed.window(*id).is_some_and(|w| {
                let r = w.rect;
                x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height
            })
        });
        let Some(id) = hit else { return };
        match ev.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let d = if ev.kind == MouseEventKind::ScrollDown { 3 } else { -3 };
                self.ed.scroll_window(id, d);
            }
            MouseEventKind::Down(MouseButton::Left) | MouseEventKind::Drag(MouseButton::Left) => {
                if self.ed.cmdline().is_some() {
                    return;
                }
                self.ed.enter_window(id);
                let Some(w) = self.ed.window(id) else { return };
                let gutter = self.ed.gutter_width(id);
                let (r, top, leftcol) = (w.rect, w.top_line, w.leftcol);
                let row_in = y - r.y;
                // Find the buffer line and display column under the pointer (wrap-aware).
                let mut line = top;
                let mut rows_left = row_in;
                let last = self.ed.buf().line_count().saturating_sub(1);
                while line < last {
                    let n = self.ed.line_rows(id, line);
                    if rows_left < n {
                        break;
                    }
                    rows_left -= n;
                    line += 1;
                }
                let vcol = rows_left * self.ed.text_width(id) + x.saturating_sub(r.x + gutter) + leftcol;
                let ts = self.ed.buf().opt_number("tabstop").max(1) as usize;
                let col = rtdvi_core::position::line_slice(&self.ed.buf().text, line)
                    .map_or(0, |l| rtdvi_core::position::display_col_to_char_col(l, vcol, ts));
                self.ed.set_cursor(line, col);
            }
            _ => {}
        }
    }

    /// Runs until the editor quits or a deadly signal arrives; returns the exit code.
    pub fn run(mut self) -> i32 {
        if std::env::var("COLORTERM").is_ok_and(|v| v == "truecolor" || v == "24bit") {
            self.ed
                .options
                .set(rtdvi_editor::options::id("termguicolors"), rtdvi_editor::options::OptionValue::Bool(true));
        }
        let mouse_on = |ed: &Editor| !ed.opt("mouse").as_str().is_empty();
        let mut term = match Term::enter(mouse_on(&self.ed)) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("rtdvi: cannot use the terminal: {e}");
                return 1;
            }
        };
        if let Ok((w, h)) = crossterm::terminal::size() {
            self.ed.set_screen_size(w as usize, h as usize);
        }
        self.take_messages();
        let mut last_sync = Instant::now();
        loop {
            if let Some(sig) = crate::terminal::pending_signal() {
                self.ed.sync_swap_files();
                term.leave();
                eprintln!("rtdvi: caught deadly signal {sig}, swap files preserved");
                return 1;
            }
            if let Some(code) = self.ed.exit_code {
                self.ed.sync_swap_files();
                term.leave();
                return code;
            }
            // Plugins' scheduled callbacks and timers run between keys.
            let idle_wait = self.ed.run_idle();
            // Keys plugins queued with nvim_feedkeys run before the next key is read.
            let queued = self.ed.has_queued_keys();
            self.ed.run_queued_keys();
            if idle_wait.is_some() || queued {
                self.take_messages();
            }
            self.syntax.poll(&self.ed);
            if let Err(e) = self.draw(&mut term) {
                term.leave();
                eprintln!("rtdvi: terminal error: {e}");
                return 1;
            }
            let mut timeout = if self.syntax.busy() { Duration::from_millis(10) } else { Duration::from_millis(100) };
            // An ambiguous mapping waits 'timeoutlen' for more keys, then resolves.
            let map_wait = self.ed.timeout_pending();
            if let Some(t) = map_wait {
                timeout = timeout.min(t);
            }
            if let Some(t) = idle_wait {
                timeout = timeout.min(t.max(Duration::from_millis(1)));
            }
            let waited = Instant::now();
            // An input error means the terminal is gone (a closed window, a killed tmux pane): that
            // is a hang-up, so keep the swap files and leave instead of polling a dead terminal.
            let mut got = match event::poll(timeout) {
                Ok(got) => got,
                Err(e) => return self.terminal_lost(&mut term, &e),
            };
            if !got && map_wait.is_some_and(|t| waited.elapsed() >= t) {
                self.ed.on_timeout();
                self.take_messages();
            }
            while got {
                match event::read() {
                    Ok(Event::Key(k)) => {
                        if let Some(key) = crate::input::key_notation(&k) {
                            let idle_normal =
                                self.ed.mode_kind() == ModeKind::Normal && self.ed.pending_keys().is_empty();
                            if key == "<C-z>" && idle_normal {
                                self.ed.sync_swap_files();
                                let _ = term.suspend();
                            } else {
                                self.key(&key);
                            }
                        }
                    }
                    Ok(Event::Paste(text)) => {
                        for key in crate::input::paste_notation(&text) {
                            self.key(&key);
                        }
                    }
                    Ok(Event::Resize(w, h)) => {
                        self.ed.set_screen_size(w as usize, h as usize);
                        let _ = term.terminal.autoresize();
                        self.ed.fire(rtdvi_editor::events::Event::VimResized, Default::default());
                    }
                    Ok(Event::Mouse(m)) => self.mouse(m),
                    Ok(_) => {}
                    Err(e) => return self.terminal_lost(&mut term, &e),
                }
                if self.ed.exit_code.is_some() {
                    break;
                }
                // Drain what is already queued before drawing (typeahead is handled in one go).
                got = match event::poll(Duration::ZERO) {
                    Ok(got) => got,
                    Err(e) => return self.terminal_lost(&mut term, &e),
                };
            }
            term.set_mouse(mouse_on(&self.ed));
            self.ed.before_wait();
            self.take_messages();
            if last_sync.elapsed() >= Duration::from_secs(1) {
                self.ed.sync_swap_files();
                last_sync = Instant::now();
            }
        }
    }
}

/// Where the cursor sits on a character in the current mode.
fn placement(ed: &Editor) -> CursorPlacement {
    match ed.mode_kind() {
        ModeKind::Insert | ModeKind::Replace | ModeKind::VirtualReplace => CursorPlacement::BeforeChar,
        _ => CursorPlacement::OnChar,
    }
}

/// The renderer's view of the front end: mode, command line, messages, selection.
pub fn ui_state(ed: &Editor, messages: &[Message], hit_enter: bool) -> UiState {
    let kind = ed.mode_kind();
    let (msg, name) = match kind {
        ModeKind::Normal => ("", "NORMAL"),
        ModeKind::OperatorPending => ("", "O-PENDING"),
        ModeKind::Insert => ("-- INSERT --", "INSERT"),
        ModeKind::Replace => ("-- REPLACE --", "REPLACE"),
        ModeKind::VirtualReplace => ("-- VREPLACE --", "VREPLACE"),
        ModeKind::Visual => ("-- VISUAL --", "VISUAL"),
        ModeKind::VisualLine => ("-- VISUAL LINE --", "V-LINE"),
        ModeKind::VisualBlock => ("-- VISUAL BLOCK --", "V-BLOCK"),
        ModeKind::Cmdline => ("", "COMMAND"),
        ModeKind::InsertNormal => ("-- (insert) --", "NORMAL"),
    };
    let mut mode_msg = msg.to_string();
    if let Some(r) = ed.recording_register() {
        mode_msg.push_str(&format!("recording @{r}"));
    }
    let cmdline = ed.cmdline().map(|c| CmdlineView {
        prompt: c.prompt.to_string(),
        text: c.text,
        cursor: c.cursor,
        completions: c.completions,
        selected: c.selected,
        completion_start: c.completion_start,
    });
    let selection = ed.visual_selection().map(|(a, b, k)| Selection {
        anchor: (a.row, a.col),
        head: (b.row, b.col),
        kind: match k {
            VisualKind::Char => SelectionKind::Char,
            VisualKind::Line => SelectionKind::Line,
            VisualKind::Block => SelectionKind::Block,
        },
    });
    UiState {
        mode_msg,
        mode_name: name.to_string(),
        incsearch: cmdline.as_ref().filter(|c| c.prompt != ":").map(|c| c.text.clone()),
        messages: if cmdline.is_some() { Vec::new() } else { messages.to_vec() },
        cmdline,
        showcmd: ed.pending_keys(),
        hit_enter,
        selection,
        insert_cursor: placement(ed) == CursorPlacement::BeforeChar,
        truecolor: ed.opt("termguicolors").as_bool(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(text: &str) -> App {
        let mut ed = Editor::new();
        ed.buf_mut().text = ropey::Rope::from_str(text);
        ed.set_screen_size(40, 10);
        App::new(ed)
    }

    fn keys(a: &mut App, keys: &str) {
        for k in parse_keys(keys) {
            a.key(&rtdvi_editor::keys::key_notation(&[k]));
        }
    }

    #[test]
    fn engine_modes_reach_the_screen_state() {
        let mut a = app("one\ntwo");
        keys(&mut a, "i");
        assert_eq!(a.ui_state().mode_msg, "-- INSERT --");
        keys(&mut a, "<Esc>Vj");
        let ui = a.ui_state();
        assert_eq!(ui.mode_msg, "-- VISUAL LINE --");
        assert_eq!(ui.selection.map(|s| (s.anchor.0, s.head.0, s.kind)), Some((0, 1, SelectionKind::Line)));
        keys(&mut a, "<Esc>2d");
        assert_eq!(a.ui_state().showcmd, "2d");
        keys(&mut a, "<Esc>:se");
        assert_eq!(a.ui_state().cmdline.map(|c| c.text), Some("se".to_string()));
    }

    #[test]
    fn meta_keys_are_escape_then_the_key() {
        let mut a = app("x");
        a.key("i");
        a.key("<M-:>");
        assert_eq!(a.ed.mode_kind(), ModeKind::Cmdline);
    }

    #[test]
    fn window_and_tab_keys_go_through_the_engine() {
        let mut a = app("x");
        keys(&mut a, "<C-w>v<C-w>s");
        assert_eq!(a.ed.tab_windows().len(), 3);
        keys(&mut a, "<C-w>o");
        assert_eq!(a.ed.tab_windows().len(), 1);
        keys(&mut a, ":tabnew<CR>:tabnew<CR>gt");
        assert_eq!(a.ed.tab_index, 0);
        keys(&mut a, "2gt");
        assert_eq!(a.ed.tab_index, 1);
        keys(&mut a, "gT");
        assert_eq!(a.ed.tab_index, 0);
    }

    #[test]
    fn long_messages_open_the_hit_enter_prompt() {
        let mut a = app("x");
        keys(&mut a, ":echo \"a\\nb\"<CR>");
        assert!(a.hit_enter, "{:?}", a.messages);
        keys(&mut a, "j");
        assert!(!a.hit_enter);
        keys(&mut a, ":echo \"short\"<CR>");
        assert!(!a.hit_enter);
        assert_eq!(a.ui_state().messages.last().map(|m| m.text.as_str()), Some("short"));
    }
}
