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

use crate::interim::{Interim, Mode};
use crate::render::{Renderer, UiState};
use crate::terminal::{CursorShape, Term};

/// The front end's state around the editor.
pub struct App {
    /// The editor.
    pub ed: Editor,
    keys: Interim,
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
            keys: Interim::default(),
            renderer: Renderer::default(),
            syntax: crate::syntax::Syntax::new(),
            messages: Vec::new(),
            hit_enter: false,
        }
    }

    /// What the renderer needs besides the editor.
    pub fn ui_state(&self) -> UiState {
        UiState {
            mode_msg: self.keys.mode_msg().to_string(),
            mode_name: self.keys.mode_name().to_string(),
            cmdline: self.keys.cmdline().cloned(),
            showcmd: self.keys.pending().to_string(),
            messages: if self.keys.cmdline().is_some() { Vec::new() } else { self.messages.clone() },
            hit_enter: self.hit_enter,
            selection: None,
            insert_cursor: self.keys.mode == Mode::Insert,
            incsearch: self.keys.cmdline().filter(|c| c.prompt != ":").map(|c| c.text.clone()),
            truecolor: self.ed.opt("termguicolors").as_bool(),
        }
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
        let was_normal = self.keys.mode == Mode::Normal;
        self.keys.handle_key(&mut self.ed, key);
        if was_normal && self.keys.mode != Mode::Normal {
            // A mode message or a command line replaces the last message.
            self.messages.clear();
        }
        self.take_messages();
    }

    /// Draws a frame into the terminal.
    fn draw(&mut self, term: &mut Term) -> std::io::Result<()> {
        self.ed.update_views(self.keys.placement());
        let ui = self.ui_state();
        let (renderer, syntax, ed) = (&mut self.renderer, &mut self.syntax, &self.ed);
        term.terminal.draw(|f| {
            let buf = f.buffer_mut();
            if let Some((x, y)) = renderer.draw(ed, &ui, syntax, buf) {
                f.set_cursor_position((x, y));
            }
        })?;
        let shape = if ui.cmdline.is_some() || ui.insert_cursor { CursorShape::Bar } else { CursorShape::Block };
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
                if self.keys.cmdline().is_some() {
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
            self.syntax.poll(&self.ed);
            if let Err(e) = self.draw(&mut term) {
                term.leave();
                eprintln!("rtdvi: terminal error: {e}");
                return 1;
            }
            let timeout = if self.syntax.busy() { Duration::from_millis(10) } else { Duration::from_millis(100) };
            let mut got = event::poll(timeout).unwrap_or(false);
            while got {
                match event::read() {
                    Ok(Event::Key(k)) => {
                        if let Some(key) = crate::input::key_notation(&k) {
                            if key == "<C-z>" && self.keys.mode == Mode::Normal {
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
                    _ => {}
                }
                if self.ed.exit_code.is_some() {
                    break;
                }
                // Drain what is already queued before drawing (typeahead is handled in one go).
                got = event::poll(Duration::ZERO).unwrap_or(false);
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
