//! The editor: buffers, windows, global state, and the operations every front end and plugin shares.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::buffer::{Buffer, BufferError, BufferId};
use crate::events::{Action, Autocmds, CallbackId, Event, EventArgs};
use crate::message::{Message, Messages};
use crate::options::{self, OptionId, OptionStore, OptionValue, Scope};
use crate::registers::Registers;
use crate::search::SearchState;
use crate::window::{Cursor, Window, WindowId};

/// A plugin host that runs callbacks the editor only knows by id (Lua functions, WASM handlers).
///
/// Every callback invocation goes through [`Editor::run_callback`], which takes the host out of the
/// editor while it runs: a callback that calls the API, which fires another callback, reaches
/// `run_callback` again and finds no host (an error) unless the host makes itself re-entrant.
pub trait CallbackHost {
    /// Runs callback `id` with `args` (msgpack values, as the API table speaks) and returns its
    /// result (a Lua function's first return value; `nil` when it returned nothing). An error is
    /// the plugin's own text (a Lua error's message and traceback); the caller words it for where
    /// the callback ran ([`callback_error`]). A host that words an error itself starts it with
    /// `E5108:` and it is shown as is.
    fn call(&mut self, editor: &mut Editor, id: CallbackId, args: Vec<rmpv::Value>) -> Result<rmpv::Value, String>;

    /// Forgets a callback the editor no longer refers to (a deleted autocmd, mapping or command).
    fn release(&mut self, id: CallbackId) {
        let _ = id;
    }
}

/// A callback's error as Neovim words it where the callback ran: `context` is that place's prefix
/// (`"E5108: Error executing lua: "` for mappings, `"Error executing lua callback: "` for
/// autocmds...). Text a host already worded (`E5108: ...`) is kept.
pub fn callback_error(context: &str, raw: String) -> String {
    if raw.starts_with("E5108:") {
        raw
    } else {
        format!("{context}{raw}")
    }
}

/// Ex commands defined outside the editor (commands registered by plugins). The editor consults it
/// when a typed command name matches no built-in one.
pub trait CommandHost {
    /// Whether `name` (exactly as typed) is a command of this host.
    fn has_command(&self, name: &str) -> bool;
    /// Runs command `name` with the text after its name (the host splits it into arguments).
    fn run_command(&mut self, editor: &mut Editor, name: &str, args: &str) -> Result<(), String>;
    /// Every command name of this host, for command-line completion.
    fn command_names(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Runs scripts in a language the editor does not know itself (Lua): the ex commands `:lua`,
/// `:luafile`, `:runtime`, `:packadd` and `:source` of a `.lua` file are handed to it.
pub trait ScriptHost {
    /// Runs ex command `name` (full name: `lua`, `luafile`, `runtime`, `packadd`, `source`) with its
    /// `!` and argument text; `Err` carries the message to show.
    fn ex_command(&mut self, editor: &mut Editor, name: &str, bang: bool, args: &str) -> Result<(), String>;

    /// Runs what is due on the editor's loop (`vim.schedule` callbacks, timers); returns how
    /// soon it wants to run again (`None`: nothing pending).
    fn idle(&mut self, editor: &mut Editor) -> Option<std::time::Duration> {
        let _ = editor;
        None
    }
}

/// The editor state.
pub struct Editor {
    /// All buffers by number.
    pub buffers: BTreeMap<BufferId, Buffer>,
    next_buffer: u32,
    /// All windows of all tab pages.
    pub windows: Vec<Window>,
    /// Tab pages (each with its split tree).
    pub tabs: Vec<crate::layout::TabPage>,
    /// The current tab page's index.
    pub tab_index: usize,
    /// The next tab page handle to hand out.
    pub(crate) next_tab: u32,
    /// The next window id to hand out.
    pub(crate) next_window: u32,
    /// Highlight groups (`:highlight`).
    pub highlights: crate::highlight::Highlights,
    /// The current window.
    pub current: WindowId,
    /// The previous window (`<C-w>p`).
    pub previous_window: Option<WindowId>,
    /// The alternate buffer (`#`).
    pub alternate: Option<BufferId>,
    /// The alternate file name when it has no buffer (after `:w other`).
    pub alternate_file: Option<PathBuf>,
    /// The directory before the last `:cd` (`:cd -`).
    pub previous_cwd: Option<PathBuf>,
    /// Inside `:g` (no recursion, quiet `:s`).
    pub(crate) in_global: bool,
    /// Substitutions made by `:s` commands inside the current `:g`.
    pub(crate) global_substitutions: usize,
    /// Global option values (and the global values of local options).
    pub options: OptionStore,
    /// Registers.
    pub registers: Registers,
    /// Autocmds.
    pub autocmds: Autocmds,
    /// Messages shown and the `:messages` history.
    pub messages: Messages,
    /// Search and substitute state.
    pub search: SearchState,
    /// The working directory (`:pwd`, `:cd`); relative file names resolve against it.
    pub cwd: PathBuf,
    /// Where swap files go (`None` disables them, e.g. `-n`).
    pub swap_dir: Option<PathBuf>,
    /// Set when the user asked to leave, with the exit code.
    pub exit_code: Option<i32>,
    /// Global variables (`g:`), as strings until the expression layer grows.
    /// `v:` variables an event sets for its autocmds (`v:char` for InsertCharPre, `v:event` for
    /// TextYankPost); empty outside them.
    pub(crate) event_vars: BTreeMap<String, crate::expr::Value>,
    pub globals: BTreeMap<String, crate::expr::Value>,
    /// Global variables set through the API whose values `globals` can't hold yet (dictionaries,
    /// booleans, nil): see [`crate::api`]'s variable entries.
    pub global_objects: BTreeMap<String, rmpv::Value>,
    /// How deep we are in running autocmds (non-nested autocmds don't trigger more).
    autocmd_depth: usize,
    /// Whether the autocmd running now is `nested`.
    autocmd_nested: bool,
    /// The host that runs plugin callbacks.
    pub callback_host: Option<Box<dyn CallbackHost>>,
    /// The headless flag (no terminal; every message goes to stderr).
    pub headless: bool,
    /// The vi key engine's state (modes, typeahead, mappings, registers of repeat).
    pub vi: crate::vi::ViState,
    /// Computes indents for `o`, `O`, `<CR>` and `=` (filled by the plugin host).
    pub indent_provider: Option<Box<dyn crate::vi::IndentProvider>>,
    /// Extmark namespaces (`nvim_create_namespace`).
    pub namespaces: crate::extmark::Namespaces,
    /// User commands (`nvim_create_user_command`).
    pub user_commands: crate::user_command::UserCommands,
    /// The host of plugin ex commands (taken out while one of its commands runs).
    pub command_host: Option<Box<dyn CommandHost>>,
    /// The Lua host behind `:lua`, `:luafile`, `:runtime`, `:packadd` (taken out while it runs).
    pub script_host: Option<Box<dyn ScriptHost>>,
}

impl std::fmt::Debug for Editor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Editor").field("buffers", &self.buffers.len()).field("windows", &self.windows.len()).finish()
    }
}

impl Default for Editor {
    fn default() -> Self {
        Editor::new()
    }
}

impl Editor {
    /// An editor with one empty buffer in one window.
    pub fn new() -> Self {
        let options = OptionStore::global_defaults();
        let buf = Buffer::new(BufferId(1), &options);
        let win = Window::new(WindowId(1000), BufferId(1), &options);
        let mut buffers = BTreeMap::new();
        buffers.insert(BufferId(1), buf);
        Editor {
            buffers,
            next_buffer: 2,
            windows: vec![win],
            tabs: vec![crate::layout::TabPage::new(1, WindowId(1000))],
            next_tab: 2,
            tab_index: 0,
            next_window: 1001,
            highlights: crate::highlight::Highlights::new(false),
            current: WindowId(1000),
            previous_window: None,
            alternate: None,
            alternate_file: None,
            previous_cwd: None,
            in_global: false,
            global_substitutions: 0,
            options,
            registers: Registers::default(),
            autocmds: Autocmds::default(),
            messages: Messages::default(),
            // v:hlsearch starts at 1 as in Neovim: 'hlsearch' is on and not suspended by `:noh`.
            search: SearchState { highlight: true, ..SearchState::default() },
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")),
            swap_dir: None,
            exit_code: None,
            globals: BTreeMap::new(),
            event_vars: BTreeMap::new(),
            global_objects: BTreeMap::new(),
            autocmd_depth: 0,
            autocmd_nested: false,
            callback_host: None,
            command_host: None,
            user_commands: Default::default(),
            namespaces: Default::default(),
            script_host: None,
            headless: true,
            vi: crate::vi::ViState::default(),
            indent_provider: None,
        }
    }

    // ----- windows and buffers -------------------------------------------------------------

    /// The current window.
    pub fn win(&self) -> &Window {
        self.windows.iter().find(|w| w.id == self.current).unwrap_or(&self.windows[0])
    }

    /// The current window, mutably.
    pub fn win_mut(&mut self) -> &mut Window {
        let i = self.windows.iter().position(|w| w.id == self.current).unwrap_or(0);
        &mut self.windows[i]
    }

    /// A window by id.
    pub fn window(&self, id: WindowId) -> Option<&Window> {
        self.windows.iter().find(|w| w.id == id)
    }

    /// A window by id, mutably.
    pub fn window_mut(&mut self, id: WindowId) -> Option<&mut Window> {
        self.windows.iter_mut().find(|w| w.id == id)
    }

    /// The current buffer's id.
    pub fn buf_id(&self) -> BufferId {
        self.win().buffer
    }

    /// The current buffer.
    pub fn buf(&self) -> &Buffer {
        let id = self.buf_id();
        match self.buffers.get(&id) {
            Some(b) => b,
            // Windows always show an existing buffer; fall back rather than panic if that breaks.
            None => self.buffers.values().next().expect("the editor always has a buffer"),
        }
    }

    /// The current buffer, mutably.
    pub fn buf_mut(&mut self) -> &mut Buffer {
        let id = self.buf_id();
        if self.buffers.contains_key(&id) {
            self.buffers.get_mut(&id).expect("checked above")
        } else {
            self.buffers.values_mut().next().expect("the editor always has a buffer")
        }
    }

    /// The cursor of the current window.
    pub fn cursor(&self) -> Cursor {
        self.win().cursor
    }

    /// The cursor as a char offset into the current buffer.
    pub fn cursor_char(&self) -> usize {
        let c = self.cursor();
        self.buf().pos_to_char(c.row, c.col)
    }

    /// Moves the cursor of the current window, clamped into the buffer (normal-mode rule: not past
    /// the last character).
    pub fn set_cursor(&mut self, row: usize, col: usize) {
        let buf = self.buf();
        let row = row.min(buf.line_count().saturating_sub(1));
        let len = buf.line_len(row);
        let col = col.min(len.saturating_sub(1));
        // curswant is the display column Vim's cursor shows on (a tab's last one in normal mode).
        let want = self.cursor_vcol(row, col);
        let w = self.win_mut();
        w.cursor = Cursor { row, col };
        w.curswant = want;
    }

    /// Moves the cursor to the first non-blank of `row` (what most line commands do).
    pub fn cursor_to_first_nonblank(&mut self, row: usize) {
        let line = self.buf().line(row.min(self.buf().line_count().saturating_sub(1)));
        let col = line.chars().take_while(|c| *c == ' ' || *c == '\t').count();
        self.set_cursor(row, col);
    }

    /// Creates a buffer (not shown anywhere yet) and fires BufNew.
    pub fn create_buffer(&mut self, path: Option<PathBuf>) -> BufferId {
        let id = BufferId(self.next_buffer);
        self.next_buffer += 1;
        let mut b = Buffer::new(id, &self.options);
        b.path = path;
        self.buffers.insert(id, b);
        let args = self.buf_event_args(id);
        self.fire(Event::BufNew, args.clone());
        self.fire(Event::BufAdd, args);
        id
    }

    /// Finds a buffer by path (comparing absolute forms).
    pub fn find_buffer_by_path(&self, path: &Path) -> Option<BufferId> {
        let abs = self.absolute(path);
        self.buffers.values().find(|b| b.path.as_deref().is_some_and(|p| self.absolute(p) == abs)).map(|b| b.id)
    }

    /// Resolves a path against the working directory.
    pub fn absolute(&self, path: &Path) -> PathBuf {
        let expanded = expand_home(path);
        if expanded.is_absolute() {
            expanded
        } else {
            self.cwd.join(expanded)
        }
    }

    /// Shows `buf` in the current window, firing BufLeave/BufEnter/BufWinEnter like Neovim.
    pub fn switch_to_buffer(&mut self, buf: BufferId) {
        let old = self.buf_id();
        if old == buf {
            return;
        }
        self.show_in_current_window(buf);
        if let Some(m) = self.buffers.get(&buf).and_then(|b| b.mark('"')) {
            let (r, c) = self.buf().char_to_pos(m);
            self.set_cursor(r, c);
        }
        let args = self.buf_event_args(buf);
        self.fire(Event::BufEnter, args.clone());
        self.fire(Event::BufWinEnter, args);
    }

    /// Replaces the current window's buffer (which becomes the alternate one, hidden), firing
    /// BufLeave, BufWinLeave and BufHidden for it; entering `buf` is the caller's part.
    pub(crate) fn show_in_current_window(&mut self, buf: BufferId) {
        let old = self.buf_id();
        let old_args = self.buf_event_args(old);
        self.fire(Event::BufLeave, old_args.clone());
        self.fire(Event::BufWinLeave, old_args.clone());
        self.fire(Event::BufHidden, old_args);
        self.alternate = Some(old);
        self.win_mut().buffer = buf;
        self.win_mut().cursor = Cursor::default();
        // The column the cursor wanted belongs to the old buffer (`:enew` then `gg` is at column 0).
        self.win_mut().curswant = 0;
    }

    /// The event arguments for a buffer event.
    pub fn buf_event_args(&self, buf: BufferId) -> EventArgs {
        let path = self.buffers.get(&buf).and_then(|b| b.path.clone());
        let file = path.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
        let matched = path.as_ref().map(|p| self.absolute(p).display().to_string()).unwrap_or_default();
        EventArgs { buf: Some(buf), file, matched, data: None }
    }

    /// The name Vim displays for a buffer (`[No Name]` when it has none).
    pub fn buffer_display_name(&self, buf: BufferId) -> String {
        match self.buffers.get(&buf).and_then(|b| b.path.as_ref()) {
            Some(p) => p.display().to_string(),
            None => "[No Name]".to_string(),
        }
    }

    // ----- text changes --------------------------------------------------------------------

    /// Applies a change to a buffer as one part of the current command's undo step.
    pub fn apply_change(
        &mut self,
        buf: BufferId,
        changes: rtdvi_core::changeset::ChangeSet,
    ) -> Result<(), BufferError> {
        self.apply_change_following(buf, changes, None)
    }

    /// Applies a change made through the API: like [`Editor::apply_change`], and the cursor of every
    /// window showing `buf` follows `edit` as Neovim moves it (see [`crate::cursor_follow`]).
    pub fn apply_api_change(
        &mut self,
        buf: BufferId,
        changes: rtdvi_core::changeset::ChangeSet,
        edit: crate::cursor_follow::ApiEdit<'_>,
    ) -> Result<(), BufferError> {
        self.apply_change_following(buf, changes, Some(edit))
    }

    fn apply_change_following(
        &mut self,
        buf: BufferId,
        changes: rtdvi_core::changeset::ChangeSet,
        edit: Option<crate::cursor_follow::ApiEdit<'_>>,
    ) -> Result<(), BufferError> {
        let cursor_before =
            if buf == self.buf_id() { self.vi.undo_cursor.unwrap_or_else(|| self.cursor_char()) } else { 0 };
        // `U` returns to where Vim's cursor was when the line was saved (an operator's start).
        let cursor = (buf == self.buf_id()).then(|| match self.vi.undo_cursor {
            Some(off) => {
                let p = crate::vi::textpos::pos_of(&self.buf().text, off);
                crate::window::Cursor { row: p.row, col: p.col }
            }
            None => self.cursor(),
        });
        self.start_journal(buf);
        let b = self.buffers.get_mut(&buf).ok_or_else(|| BufferError::BadChange(format!("no buffer {}", buf.0)))?;
        let rows = changes.changed_range().and_then(|(start, old_end, _)| {
            let last = b.text.len_chars();
            (start <= last && old_end <= last).then(|| {
                let (r0, mut r1) = (b.text.char_to_line(start), b.text.char_to_line(old_end));
                // A change that replaces whole lines (`>>`, `S`) ends at the next line's start:
                // if the line count stays, that next line is untouched.
                if r1 > r0 && old_end > start && b.text.line_to_char(r1) == old_end {
                    r1 -= 1;
                }
                (r0, r1)
            })
        });
        let lines_before = b.line_count();
        let saved = match (rows, &b.line_undo) {
            (Some((r0, r1)), lu) if r0 == r1 && lu.as_ref().is_none_or(|l| l.row != r0) => {
                let col = cursor.filter(|c| c.row == r0).map_or(0, |c| c.col);
                Some(crate::buffer::LineUndo { row: r0, text: b.line(r0), col })
            }
            _ => None,
        };
        b.apply(changes, cursor_before)?;
        let delta = b.line_count() as isize - lines_before as isize;
        match (rows, saved) {
            (Some(_), Some(lu)) if delta == 0 => b.line_undo = Some(lu),
            (Some((r0, r1)), _) if delta != 0 || r0 != r1 => {
                // Lines came or went: the saved line moves with them, or goes when it changed.
                if let Some(lu) = &mut b.line_undo {
                    if lu.row >= r0 && lu.row <= r1 {
                        b.line_undo = None;
                    } else if lu.row > r1 {
                        lu.row = lu.row.saturating_add_signed(delta);
                    }
                }
            }
            _ => {}
        }
        if let Some(edit) = edit {
            for w in self.windows.iter_mut().filter(|w| w.buffer == buf) {
                w.cursor = crate::cursor_follow::follow(edit, w.cursor);
            }
        }
        self.clamp_cursors(buf);
        self.flush_line_events();
        Ok(())
    }

    /// Keeps every window's cursor on `buf` inside the text after a change.
    pub fn clamp_cursors(&mut self, buf: BufferId) {
        let Some(b) = self.buffers.get(&buf) else { return };
        // Insert mode's cursor may sit after the last character (a `<Cmd>` or a callback that
        // edits the buffer while inserting must not pull it back).
        let inserting = (self.vi.insert.is_some(), self.current);
        let last = b.line_count().saturating_sub(1);
        let lens: Vec<(WindowId, usize, usize)> = self
            .windows
            .iter()
            .filter(|w| w.buffer == buf)
            .map(|w| {
                let row = w.cursor.row.min(last);
                (w.id, row, b.line_len(row))
            })
            .collect();
        for (id, row, len) in lens {
            let max = if inserting == (true, id) { len } else { len.saturating_sub(1) };
            if let Some(w) = self.window_mut(id) {
                w.cursor.row = row;
                w.cursor.col = w.cursor.col.min(max);
            }
        }
    }

    /// Ends a command: journals its changes for recovery. Undo steps are closed separately by
    /// [`Editor::sync_undo`], because Neovim closes them only where it waits for typed input: ex
    /// commands from `-c`, `:normal` and scripts all add to one undo step.
    pub fn finish_command(&mut self) {
        // Undo and redo change text without `apply_change`: report their line changes here.
        self.flush_line_events();
        let ids: Vec<BufferId> = self.buffers.keys().copied().collect();
        for id in ids {
            let (journal, unjournaled) = match self.buffers.get_mut(&id) {
                Some(b) => {
                    let unjournaled = b.unjournaled;
                    (b.take_journal_changes(), unjournaled)
                }
                None => continue,
            };
            if !journal.is_empty() {
                self.journal(id, journal);
            } else if unjournaled && self.buffers.get(&id).is_some_and(|b| b.is_modified()) {
                // Changes made without a journal (an undo after a write): start one from the
                // current text, which already holds them.
                self.start_journal(id);
            }
        }
    }

    /// Closes the pending undo step of every buffer (Vim's u_sync): typed input does this between
    /// commands, as do `:undo` and setting 'undolevels'.
    pub fn sync_undo(&mut self) {
        for b in self.buffers.values_mut() {
            b.commit_undo();
        }
    }

    /// Does what Neovim's main loop does just before it waits for the next typed key: closes the undo
    /// step and fires TextChanged once for the current buffer if it changed (carrying the changed line
    /// range). Scripts run with `-c` never reach this point, so they see neither, exactly as in
    /// Neovim. (In insert mode the key engine closes undo steps itself.)
    pub fn before_wait(&mut self) {
        self.finish_command();
        self.sync_undo();
        let ids: Vec<BufferId> = self.buffers.keys().copied().collect();
        for id in ids {
            let Some(c) = self.buffers.get_mut(&id).and_then(|b| b.take_changed()) else { continue };
            if id != self.buf_id() {
                // Neovim checks only the current buffer; other buffers report when entered.
                if let Some(b) = self.buffers.get_mut(&id) {
                    b.restore_changed(c);
                }
                continue;
            }
            let mut args = self.buf_event_args(id);
            args.data =
                Some(format!("{{\"first\":{},\"old_last\":{},\"new_last\":{}}}", c.first, c.old_last, c.new_last));
            self.fire(Event::TextChanged, args);
        }
    }

    /// Creates a buffer's recovery journal from its text *before* a first change, so a big file's
    /// journal can refer to the file on disk instead of copying it.
    fn start_journal(&mut self, id: BufferId) {
        let Some(dir) = self.swap_dir.clone() else { return };
        let abs = self.buffers.get(&id).and_then(|b| b.path.clone()).map(|p| self.absolute(&p));
        let Some(b) = self.buffers.get_mut(&id) else { return };
        if b.swap.is_some() || !b.opt_bool("swapfile") {
            return;
        }
        // Changes not yet journaled are already part of the text the journal starts from.
        b.take_journal_changes();
        let meta = b.file_meta.unwrap_or_default();
        match crate::swap::SwapFile::create(&dir, abs.as_deref(), &b.text, &meta) {
            Ok(s) => b.swap = Some(s),
            Err(e) => self.journal_failed(id, &e.to_string()),
        }
    }

    /// Writes a buffer's new edits to its recovery journal.
    fn journal(&mut self, id: BufferId, changes: Vec<rtdvi_core::changeset::ChangeSet>) {
        let Some(b) = self.buffers.get_mut(&id) else { return };
        let Some(swap) = b.swap.as_mut() else { return };
        if let Err(e) = changes.iter().try_for_each(|c| swap.record(&c.edits())) {
            self.journal_failed(id, &e.to_string());
        }
    }

    /// A journal that can't be written must not stop editing: say so once and stop journaling.
    fn journal_failed(&mut self, id: BufferId, why: &str) {
        if let Some(b) = self.buffers.get_mut(&id) {
            b.options.set(options::id("swapfile"), OptionValue::Bool(false));
            b.swap = None;
        }
        let name = self.buffer_display_name(id);
        self.messages.error(format!("E303: Unable to open swap file for \"{name}\", recovery impossible: {why}"));
    }

    /// Flushes recovery journals to disk (the front end calls this about once a second while idle).
    pub fn sync_swap_files(&mut self) {
        for b in self.buffers.values_mut() {
            if let Some(s) = b.swap.as_mut() {
                // A long journal is rewritten as a snapshot of the text so recovery stays quick.
                if s.wants_compaction() {
                    let _ = s.compact(&b.text);
                }
                let _ = s.sync();
            }
        }
    }

    // ----- options -------------------------------------------------------------------------

    /// The effective value of an option for the current buffer and window.
    pub fn option(&self, id: OptionId) -> OptionValue {
        self.option_for(id, self.buf_id(), self.current)
    }

    /// The effective value of an option for a given buffer and window.
    pub fn option_for(&self, id: OptionId, buf: BufferId, win: WindowId) -> OptionValue {
        if id == options::id("modified") {
            // 'modified' is the buffer's state, not a stored value.
            return OptionValue::Bool(self.buffers.get(&buf).is_some_and(Buffer::is_modified));
        }
        let local = match id.def().scope {
            Scope::Global => None,
            Scope::Buffer | Scope::GlobalOrBuffer => self.buffers.get(&buf).and_then(|b| b.options.get(id)),
            Scope::Window | Scope::GlobalOrWindow => self.window(win).and_then(|w| w.options.get(id)),
        };
        let value = local.or_else(|| self.options.get(id)).cloned();
        value.unwrap_or(OptionValue::Bool(false))
    }

    /// Shorthand: an option's effective value by name (names from this crate's code).
    pub fn opt(&self, name: &str) -> OptionValue {
        self.option(options::id(name))
    }

    /// Sets an option at the given scope, firing OptionSet; values were validated by the caller.
    pub fn set_option(&mut self, id: OptionId, value: OptionValue, scope: options::SetScope) {
        let old = self.option(id);
        let def = id.def();
        let buf = self.buf_id();
        let win = self.current;
        let set_local = scope != options::SetScope::Global;
        let set_global = scope != options::SetScope::Local || def.scope == Scope::Global;
        if set_local {
            match def.scope {
                Scope::Buffer | Scope::GlobalOrBuffer => {
                    if let Some(b) = self.buffers.get_mut(&buf) {
                        b.options.set(id, value.clone());
                    }
                }
                Scope::Window | Scope::GlobalOrWindow => {
                    if let Some(w) = self.window_mut(win) {
                        w.options.set(id, value.clone());
                    }
                }
                Scope::Global => {}
            }
        }
        if set_global {
            if scope == options::SetScope::Both && matches!(def.scope, Scope::GlobalOrBuffer | Scope::GlobalOrWindow) {
                // `:set` on a global-local option clears the local value, as in Vim.
                if let Some(b) = self.buffers.get_mut(&buf) {
                    b.options.unset(id);
                }
                if let Some(w) = self.window_mut(win) {
                    w.options.unset(id);
                }
            }
            self.options.set(id, value.clone());
        }
        self.after_option_set(id, &value);
        if old != value {
            let args = EventArgs {
                buf: Some(buf),
                file: String::new(),
                matched: def.name.to_string(),
                data: Some(format!("{}\u{1f}{}", old, value)),
            };
            self.fire(Event::OptionSet, args);
        }
    }

    /// Side effects some options have when set.
    fn after_option_set(&mut self, id: OptionId, value: &OptionValue) {
        match id.def().name {
            "modified" => {
                let m = value.as_bool();
                self.buf_mut().set_modified(m);
            }
            "filetype" => {
                let args = EventArgs {
                    buf: Some(self.buf_id()),
                    file: self.buf_event_args(self.buf_id()).file,
                    matched: value.as_str().into_owned(),
                    data: None,
                };
                self.fire(Event::FileType, args);
            }
            "fileformat" | "endofline" | "bomb" => {
                // The journal must write the file back the way the buffer would be written.
                let b = self.buf_mut();
                let mut meta = b.file_meta.unwrap_or_default();
                meta.fileformat =
                    rtdvi_core::codec::FileFormat::from_name(&b.opt_string("fileformat")).unwrap_or_default();
                meta.eol = b.opt_bool("endofline");
                meta.bom = b.opt_bool("bomb");
                if let Some(s) = b.swap.as_mut() {
                    let _ = s.set_meta(&meta);
                }
            }
            "undolevels" => {
                // Setting 'undolevels' closes the undo step, as in Vim (scripts use it to split them).
                self.sync_undo();
                let global = self.options.get(id).map_or(1000, OptionValue::as_number);
                for b in self.buffers.values_mut() {
                    b.undolevels = b.options.get(id).map_or(global, OptionValue::as_number);
                }
            }
            "background" => {
                let light = value.as_str() == "light";
                self.highlights.load_defaults(light);
                self.fire(Event::ColorScheme, EventArgs::default());
            }
            "laststatus" | "showtabline" | "cmdheight" | "lines" | "columns" => self.relayout(),
            "hlsearch" if !value.as_bool() => {}
            "hlsearch" => self.search.highlight = true,
            _ => {}
        }
    }

    // ----- events --------------------------------------------------------------------------

    /// Fires an event: runs every matching autocmd in order (non-nested autocmds don't re-trigger).
    pub fn fire(&mut self, event: Event, args: EventArgs) {
        self.fire_in_group(event, args, None);
    }

    /// Fires an event running only the autocmds of `group` when one is given
    /// (`nvim_exec_autocmds` with `group`, `:doautocmd {group}`).
    pub fn fire_in_group(&mut self, event: Event, args: EventArgs, group: Option<u32>) {
        self.fire_with(event, args, group, false);
    }

    /// Fires an event on request (`:doautocmd`, `nvim_exec_autocmds`): runs even inside a
    /// non-nested autocmd, since Vim's nesting rule only stops events that edits trigger.
    pub fn fire_explicitly(&mut self, event: Event, args: EventArgs, group: Option<u32>) {
        self.fire_with(event, args, group, true);
    }

    fn fire_with(&mut self, event: Event, args: EventArgs, group: Option<u32>, explicit: bool) {
        if self.autocmd_depth > 0 && !self.autocmd_nested && !explicit {
            return;
        }
        // Guard against runaway recursion from nested autocmds (Vim's limit is 10 levels).
        if self.autocmd_depth >= 10 {
            self.messages.error("E218: Autocommand nesting too deep");
            return;
        }
        let mut matching = self.autocmds.matching(event, &args);
        if let Some(g) = group {
            matching.retain(|a| a.group == Some(g));
        }
        for au in matching {
            if au.once {
                self.autocmds.remove_id(au.id);
            }
            let saved_nested = self.autocmd_nested;
            self.autocmd_depth += 1;
            self.autocmd_nested = au.nested;
            match &au.action {
                Action::Command(cmd) => {
                    let cmd = cmd.replace("<afile>", &args.file).replace("<amatch>", &args.matched);
                    if let Err(e) = self.execute_ex(&cmd) {
                        self.messages.error(e.to_string());
                    }
                }
                Action::Callback(id) => {
                    let arg = self.autocmd_callback_args(&au, event, &args);
                    match self.run_callback(*id, vec![arg]) {
                        // Neovim deletes an autocmd whose callback returns true.
                        Ok(rmpv::Value::Boolean(true)) => {
                            if self.autocmds.remove_id(au.id) {
                                self.release_callback(*id);
                            }
                        }
                        Ok(_) => {}
                        Err(e) => self.messages.error(callback_error("Error executing lua callback: ", e)),
                    }
                }
            }
            self.autocmd_depth -= 1;
            self.autocmd_nested = saved_nested;
        }
    }

    /// Runs a host callback: the one way every callback (autocmd, mapping, user command,
    /// `nvim_buf_attach`, `operatorfunc`, `nvim_win_call`...) is invoked.
    pub fn run_callback(&mut self, id: CallbackId, args: Vec<rmpv::Value>) -> Result<rmpv::Value, String> {
        let Some(mut host) = self.callback_host.take() else {
            return Err(format!("E5108: Error executing callback {}: no plugin host can run it", id.0));
        };
        let result = host.call(self, id, args);
        // A callback may have installed another host meanwhile; the running one stays in charge.
        self.callback_host = Some(host);
        result
    }

    /// Tells the host a callback is no longer referenced (so it can free the function).
    pub fn release_callback(&mut self, id: CallbackId) {
        if let Some(host) = self.callback_host.as_mut() {
            host.release(id);
        }
    }

    /// Neovim's autocmd callback argument: `{id, event, group, match, buf, file, data}`.
    fn autocmd_callback_args(&self, au: &crate::events::Autocmd, event: Event, args: &EventArgs) -> rmpv::Value {
        use rmpv::Value as V;
        let mut m = vec![(V::from("id"), V::from(au.id)), (V::from("event"), V::from(event.name()))];
        if let Some(g) = au.group {
            m.push((V::from("group"), V::from(g)));
        }
        m.push((V::from("match"), V::from(args.matched.as_str())));
        m.push((V::from("buf"), V::from(args.buf.map_or(0, |b| b.0))));
        m.push((V::from("file"), V::from(args.file.as_str())));
        // Only `User` data and structured event data (JSON objects) are data in Neovim's sense.
        if let Some(d) = args.data.as_deref().and_then(crate::events::data_value) {
            if event == Event::User || d.is_map() {
                m.push((V::from("data"), d));
            }
        }
        V::Map(m)
    }

    /// Adds a message to the message area (headless: stderr).
    pub fn echo(&mut self, text: impl Into<String>) {
        self.messages.info(text);
    }

    /// Takes the messages not yet shown, for the front end to display.
    pub fn take_messages(&mut self) -> Vec<Message> {
        self.messages.take_pending()
    }
}

/// Expands a leading `~/` to the home directory.
pub fn expand_home(path: &Path) -> PathBuf {
    if let Ok(rest) = path.strip_prefix("~") {
        if let Some(home) = std::env::var_os("HOME") {
            return PathBuf::from(home).join(rest);
        }
    }
    path.to_path_buf()
}
