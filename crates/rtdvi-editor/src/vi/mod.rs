//! The vi key engine: modes, the typeahead with mappings, normal/visual/operator-pending commands,
//! insert and replace mode, the command line, dot repeat, macros and `:normal`.
//!
//! Keys enter a typeahead queue ([`Editor::feed_keys`], [`Editor::handle_key`]); mappings are
//! resolved at the front of the queue for the mode the engine is in (normal, visual,
//! operator-pending, insert, command line; the literal argument of `f`, `r`, `"`, `m`, `q`, `@` is
//! never mapped), then each key goes to the handler of the current mode. Normal-mode commands are
//! parsed from the keys typed so far ([`command::parse`]) so a half-typed command is just a list
//! of keys, which is also what `showcmd` displays.
//!
//! Undo: like Vim, a new undo step starts when the engine takes a key the user typed while idle
//! in normal mode; keys coming from a mapping, a macro, `.` or `:normal` never split one. An insert
//! is one step (arrow keys split it, as in Vim).

pub mod command;
pub mod mapping;
pub mod motion;
pub mod opfunc;
pub mod textpos;

mod cmdline;
mod excmd;
mod format;
mod increment;
mod insert;
mod normal;
mod operator;
mod screenline;
mod textobject;
mod visual;

use std::collections::VecDeque;
use std::time::Duration;

use crate::buffer::BufferId;
use crate::editor::Editor;
use crate::events::{Event, EventArgs};
use crate::keys::{parse_keys, Key, KeyCode};
use crate::window::{Cursor, WindowId};

pub use command::{Op, Want as ParseWant};
pub use mapping::{MapMode, MapRhs, Mapping, Mappings};
pub use textpos::Pos;

/// The ex commands of the engine (`:map` family, `:normal` ...) for the command table.
pub(crate) use excmd::COMMANDS as EX_COMMANDS;

/// Whether the engine handles an ex command (by full name).
pub(crate) fn handles_ex(name: &str) -> bool {
    excmd::handles(name)
}

/// A command failed (Vim beeps); the remaining keys of a mapping, macro or `:normal` are dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fail;

/// The mode, as the TUI needs it (cursor shape, status line).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModeKind {
    /// Normal mode.
    Normal,
    /// An operator waits for its motion.
    OperatorPending,
    /// Insert mode.
    Insert,
    /// Replace mode (`R`).
    Replace,
    /// Virtual replace mode (`gR`).
    VirtualReplace,
    /// Charwise visual mode.
    Visual,
    /// Linewise visual mode.
    VisualLine,
    /// Blockwise visual mode.
    VisualBlock,
    /// The command line (`:`, `/`, `?`).
    Cmdline,
    /// Normal mode for one command from insert mode (`<C-o>`).
    InsertNormal,
}

/// The kind of visual selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VisualKind {
    /// `v`.
    Char,
    /// `V`.
    Line,
    /// `<C-v>`.
    Block,
}

impl VisualKind {
    /// From `v`, `V` or `\x16`.
    pub fn from_char(c: char) -> VisualKind {
        match c {
            'V' => VisualKind::Line,
            'v' => VisualKind::Char,
            _ => VisualKind::Block,
        }
    }

    /// The `mode()` string.
    pub fn mode_str(self) -> &'static str {
        match self {
            VisualKind::Char => "v",
            VisualKind::Line => "V",
            VisualKind::Block => "\x16",
        }
    }
}

/// The visual selection: where it started and the kind; the other end is the cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VisualState {
    /// The fixed end (Vim's `v` position).
    pub anchor: Pos,
    /// The kind.
    pub kind: VisualKind,
}

/// Insert-like modes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InsertKind {
    /// `i`.
    Insert,
    /// `R`.
    Replace,
    /// `gR`.
    VirtualReplace,
}

/// What the command line is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum CmdPurpose {
    /// An ex command.
    Ex,
    /// A search; with an operator command waiting for it.
    Search(Option<command::Command>),
    /// An expression for `<C-r>=` in insert mode.
    Expr,
    /// An ex command typed as the motion of a pending operator (`d:`, an omap's `:<C-u>...`).
    ExMotion(command::Command),
}

/// The command line as the TUI renders it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CmdlineState {
    /// `:`, `/` or `?`.
    pub prompt: char,
    /// The text typed.
    pub text: String,
    /// The cursor as a char index into `text`.
    pub cursor: usize,
    /// `<Tab>` completion matches being cycled through (the UI shows them as a menu).
    pub completions: Vec<String>,
    /// The match now in the text; `None` while the typed text is shown.
    pub selected: Option<usize>,
    /// Where the completed word starts in `text` (chars), for placing the menu.
    pub completion_start: usize,
}

/// The engine's command line session.
#[derive(Clone, Debug)]
pub(crate) struct Cmdline {
    pub state: CmdlineState,
    pub purpose: CmdPurpose,
    /// `<C-r>` waits for a register name; `<C-v>` for a literal key.
    pub pending: Option<char>,
    /// Position in the history while browsing with `<Up>`/`<Down>`, and the prefix typed before.
    pub history_index: Option<usize>,
    pub history_prefix: String,
    /// The window the search started in and the cursor then (to restore on `<Esc>`).
    pub origin: Cursor,
    /// Mode string before the command line opened (the visual selection stays).
    pub keys: Vec<Key>,
    /// Where the completed word starts (char index) and what was typed there, while cycling.
    pub wild: Option<(usize, String)>,
}

/// What `.` repeats.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct DotRecord {
    /// The keys after register and count.
    pub keys: Vec<Key>,
    /// The count typed with the command.
    pub count: Option<usize>,
    /// The register typed with the command.
    pub register: Option<char>,
    /// For a visual operator: the selection shape to rebuild at the cursor.
    pub visual: Option<(VisualKind, usize, usize)>,
}

/// An insert session.
#[derive(Clone, Debug)]
pub(crate) struct InsertState {
    pub kind: InsertKind,
    pub count: usize,
    /// The command char that started it (`o`/`O` repeat by opening lines).
    pub cmd_char: Option<char>,
    /// Keys typed in this insert (for the count, `.`, and the `.` register).
    pub typed: Vec<Key>,
    /// Where the insert started (limit for `<C-u>`/`<C-w>`).
    pub start: Pos,
    /// Chars overwritten in replace mode (`None`: the char was appended).
    pub replaced: Vec<Option<char>>,
    /// A key that waits for its argument: `r` (`<C-r>`), `v` (`<C-v>`), `k` (`<C-k>`).
    pub pending: Option<char>,
    /// Digits typed after `<C-v>` or the first digraph char.
    pub pending_text: String,
    /// Where in `typed` the pending sequence began (its keys are recorded as the result).
    pub pending_from: usize,
    /// The dot record prefix (the command that started the insert).
    pub dot: Option<DotRecord>,
    /// Visual block insert: rows, display column, and whether it appends at line ends (`$A`).
    pub block: Option<(usize, usize, usize, bool)>,
    /// Replaying the typed text for a count (don't record again).
    pub replaying: bool,
    /// Visual block insert: the block's left display column (the cursor goes there at the end).
    pub block_left: usize,
    /// `<C-o>` was typed at the end of this row.
    pub at_eol: Option<usize>,
    /// The row whose indent was added automatically and nothing typed after it yet ('autoindent'
    /// removes it again on `<Esc>`).
    pub ai_row: Option<usize>,
    /// Where the latest typed text went in (the `'.` mark), while only plain chars follow.
    pub change_at: Option<Pos>,
    /// The char just inserted and the next key in the typeahead form one run of plain chars.
    pub batch_open: bool,
    /// `<C-x>` was the last key: Vim's completion submode (`mode()` adds an `x`).
    pub ctrl_x: bool,
}

/// The jumplist.
#[derive(Clone, Debug, Default)]
pub(crate) struct Jumps {
    pub list: Vec<(BufferId, Pos)>,
    pub index: usize,
}

/// The operator typed so far and its forcing (`d`, `dv`), if any.
pub(crate) type PendingOp = Option<(Op, Option<command::Force>)>;

/// One key in the typeahead.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TKey {
    pub key: Key,
    /// Mappings may apply.
    pub remap: bool,
    /// Typed by the user (not from a mapping, macro, `.` or `:normal`).
    pub typed: bool,
    /// Replayed by `.` (Vim's stuff buffer: no autocommand checks in between).
    pub stuffed: bool,
}

/// A hook that computes the indent of a line for `o`, `O`, `<CR>` and `=` (the plugin host fills
/// it with Lua `indentexpr`s or a WASM plugin's `compute_indent`).
pub trait IndentProvider {
    /// The indent (leading whitespace, optionally followed by a comment leader such as ` * `)
    /// line `row` of `buffer` should get, or `None` to fall back to 'autoindent'/'smartindent'.
    /// Line `row` exists when this is asked (for `o`/`O`/`<CR>` it is the new line, with the
    /// cursor on it); `=` uses only the blanks of the answer.
    fn indent(&mut self, editor: &mut Editor, buffer: BufferId, row: usize) -> Option<String>;
}

/// The count (0: none) and register (`"` unless one was named) in the keys of a pending command
/// (`"a3`, `2"b4`: counts before and after the register multiply, as in Vim).
fn pending_count_register(keys: &[Key]) -> (usize, char) {
    let (mut total, mut current, mut reg) = (None::<usize>, None::<usize>, '"');
    let mut iter = keys.iter();
    while let Some(k) = iter.next() {
        match k.as_char() {
            Some('"') => {
                if let Some(c) = current.take() {
                    total = Some(total.unwrap_or(1).saturating_mul(c));
                }
                if let Some(r) = iter.next().and_then(|k| k.as_char()) {
                    reg = r;
                }
            }
            Some(d @ '0'..='9') => {
                let digit = d as usize - '0' as usize;
                current = Some(current.unwrap_or(0).saturating_mul(10).saturating_add(digit));
            }
            _ => {}
        }
    }
    if let Some(c) = current {
        total = Some(total.unwrap_or(1).saturating_mul(c));
    }
    (total.unwrap_or(0), reg)
}

/// The engine's state, kept in [`Editor::vi`].
#[derive(Debug, Default)]
pub struct ViState {
    pub(crate) typeahead: VecDeque<TKey>,
    /// The engine is consuming typeahead now (keys queued meanwhile run after the current key).
    pub(crate) running: bool,
    /// Keys of the normal/visual command typed so far.
    pub(crate) pending: Vec<Key>,
    /// The count and register typed before the mapping whose callback runs now (`v:count`,
    /// `v:register` inside it).
    pub(crate) callback_count: Option<(usize, char)>,
    /// What the parser wants next, and the operator waiting.
    pub(crate) want: Option<(command::Want, PendingOp)>,
    pub(crate) insert: Option<InsertState>,
    pub(crate) visual: Option<VisualState>,
    pub(crate) cmdline: Option<Cmdline>,
    /// `<C-o>` from insert mode: one normal command, then back.
    pub(crate) insert_normal: Option<InsertState>,
    pub(crate) last_find: Option<(motion::FindKind, char)>,
    pub(crate) dot: Option<DotRecord>,
    pub(crate) recording: Option<(char, Vec<Key>)>,
    pub(crate) last_executed: Option<char>,
    /// Mappings.
    pub mappings: Mappings,
    /// A half-typed mapping waits for more keys.
    pub(crate) map_waiting: bool,
    pub(crate) map_depth: usize,
    pub(crate) reported_mode: String,
    pub(crate) reported_cursor: Option<(WindowId, BufferId, Cursor)>,
    pub(crate) jumps: Jumps,
    pub(crate) changes: Vec<(BufferId, Pos)>,
    pub(crate) change_index: usize,
    pub(crate) cmd_history: Vec<String>,
    /// The last visual selection (kind, anchor, cursor) for `gv`.
    pub(crate) last_visual: Option<(VisualKind, Pos, Pos, bool)>,
    pub(crate) search_offset: String,
    pub(crate) scroll_amount: usize,
    /// A change was made by the current command.
    pub(crate) changed: bool,
    /// A key was taken from the user since the last undo step closed.
    pub(crate) last_insert_text: Vec<Key>,
    /// Nesting of `:normal`.
    pub(crate) normal_depth: usize,
    /// Set while `.` replays (its keys must not become a new record twice).
    pub(crate) repeating: bool,
    /// The key being processed was typed by the user.
    pub(crate) key_typed: bool,
    /// The count typed before `/` or `?`.
    pub(crate) search_count: Option<usize>,
    /// The selection shape of a visual operator, for its dot record.
    pub(crate) dot_visual: Option<(VisualKind, usize, usize)>,
    /// The shape of the selection the last visual operator worked on, for `{count}v` (Vim's
    /// resel_VIsual): kind, lines, columns, to the line ends.
    pub(crate) resel_visual: Option<(VisualKind, usize, usize, bool)>,
    /// While `.` replays a blockwise visual operator: the block's right display column (Vim's
    /// redo keeps the width even where the cursor's line is too short to reach it).
    pub(crate) redo_block_right: Option<usize>,
    /// The operator whose motion is being evaluated (`<BS>` treats `d`/`c` specially).
    pub(crate) motion_op: Option<command::Op>,
    /// Where Vim's cursor is when the running command saves for undo (an operator's start; `u`
    /// goes back there), when that is not the cursor itself. Cleared after each command.
    pub(crate) undo_cursor: Option<usize>,
    /// Keys come from a script file (`-s`): as in Vim, no undo step closes between them.
    pub(crate) reading_script: bool,
    /// `vim.on_key` callbacks by namespace id.
    pub(crate) on_key: std::collections::BTreeMap<i64, crate::events::CallbackId>,
    /// The typed keys a mapping consumed, for the `typed` argument of the next `vim.on_key` call.
    pub(crate) on_key_typed: Vec<Key>,
    /// The operator being applied works on a Visual selection.
    pub(crate) operating_visual: bool,
    /// What `.` repeats for the visual operator an ex motion started (the operator with the
    /// motion's command line, as Vim's redo buffer has it), taken by the next dot record.
    pub(crate) dot_override: Option<DotRecord>,
}

/// The most mappings expanded in a row before Vim's "E223: recursive mapping".
const MAX_MAP_DEPTH: usize = 1000;

impl Editor {
    // ----- public API ------------------------------------------------------------------------

    /// Types keys in Vim notation (like `nvim_input`): mappings apply, undo steps split per command.
    pub fn feed_keys(&mut self, keys: &str) {
        let keys = parse_keys(keys);
        self.feed(&Self::interrupted(keys), true, true);
    }

    /// Like `nvim_input`: a `<C-c>` interrupts. Neovim drops the keys queued before it when they
    /// arrive, and the first key read while interrupted flushes all typeahead (the keys after it
    /// too) and reads as one `<C-c>`, so a batch with a `<C-c>` is just that `<C-c>`.
    fn interrupted(keys: Vec<Key>) -> Vec<Key> {
        match keys.iter().rposition(|k| k.is_ctrl('c')) {
            Some(i) => keys[i..=i].to_vec(),
            None => keys,
        }
    }

    /// Types keys without mappings.
    pub fn feed_keys_noremap(&mut self, keys: &str) {
        let keys = parse_keys(keys);
        self.feed(&keys, false, true);
    }

    /// Queues keys as `nvim_feedkeys` does: at the end of the typeahead (or its front with
    /// `front`), as typed keys or not, mapped or not. They run now only when `execute` is asked;
    /// otherwise when the key loop next looks at the typeahead ([`Editor::run_queued_keys`], which
    /// the front end and the plugin host call before they wait), as in Neovim's main loop. Until
    /// then `getcharstr()`, `input()` and `inputlist()` read them.
    pub fn queue_keys(&mut self, keys: &[Key], remap: bool, typed: bool, front: bool, execute: bool) {
        let tk = |k: &Key| TKey { key: *k, remap, typed, stuffed: false };
        if front {
            for k in keys.iter().rev() {
                self.vi.typeahead.push_front(tk(k));
            }
        } else {
            self.vi.typeahead.extend(keys.iter().map(tk));
        }
        if execute {
            self.run_typeahead();
            self.idle();
        }
    }

    /// Whether keys wait in the typeahead for the key loop (queued by `nvim_feedkeys` or
    /// `nvim_input` outside it).
    pub fn has_queued_keys(&self) -> bool {
        !self.vi.running && !self.vi.map_waiting && !self.vi.typeahead.is_empty()
    }

    /// Runs the keys queued outside the key loop (see [`Editor::queue_keys`]); the front end and
    /// the plugin host call this where Neovim's main loop would read typeahead.
    pub fn run_queued_keys(&mut self) {
        if self.has_queued_keys() {
            self.run_typeahead();
            self.idle();
        }
    }

    /// One key from the terminal.
    pub fn handle_key(&mut self, key: Key) {
        self.feed(&[key], true, true);
    }

    /// Types the keys of a script file (`-s scriptin`) one by one, as typed keys, until one quits.
    ///
    /// Vim closes an undo step when it takes a typed key in normal mode, except while it reads a
    /// script: the script's changes up to its first `u` (which closes the step itself) are one undo
    /// step, and so on between undos. Neovim 0.11 and Vim 9 both do this, so a script's `u` undoes
    /// everything since the previous `u`. The step closes when the script ends, where Vim would
    /// wait for the user.
    pub fn type_script(&mut self, keys: impl IntoIterator<Item = Key>) {
        self.start_script();
        for key in keys {
            self.handle_key(key);
            if self.exit_code.is_some() {
                break;
            }
        }
        self.end_script();
    }

    /// From now on keys come from a script: [`Editor::handle_key`] closes no undo step (see
    /// [`Editor::type_script`], which is this, the keys, and [`Editor::end_script`]).
    pub fn start_script(&mut self) {
        self.vi.reading_script = true;
    }

    /// What Neovim's main loop does before it reads its first key after start-up (from the
    /// terminal or a `-s` script): the checks it runs before every command, so CursorMoved fires
    /// once for the cursor start-up left (no position was reported yet) and TextChanged for
    /// changes the start-up commands made.
    pub fn enter_main_loop(&mut self) {
        self.idle();
    }

    /// The script has ended: the editor waits for the user again, which closes the undo step.
    pub fn end_script(&mut self) {
        self.vi.reading_script = false;
        if self.exit_code.is_none() {
            self.idle();
        }
    }

    /// Queues keys and runs the engine until it needs more.
    pub(crate) fn feed(&mut self, keys: &[Key], remap: bool, typed: bool) {
        for k in keys {
            self.vi.typeahead.push_back(TKey { key: *k, remap, typed, stuffed: false });
        }
        self.run_typeahead();
        self.idle();
    }

    /// Neovim's `mode()` string.
    pub fn mode(&self) -> String {
        let vi = &self.vi;
        if vi.cmdline.is_some() {
            return "c".into();
        }
        if let Some(ins) = &vi.insert {
            let base = match ins.kind {
                InsertKind::Insert => "i",
                InsertKind::Replace => "R",
                InsertKind::VirtualReplace => "Rv",
            };
            return if ins.ctrl_x { format!("{base}x") } else { base.into() };
        }
        if let Some(v) = &vi.visual {
            return v.kind.mode_str().into();
        }
        if let Some((_, Some((_, force)))) = &vi.want {
            let mut s = String::from("no");
            match force {
                Some(command::Force::Char) => s.push('v'),
                Some(command::Force::Line) => s.push('V'),
                Some(command::Force::Block) => s.push('\x16'),
                None => {}
            }
            return s;
        }
        if let Some(ins) = &vi.insert_normal {
            return match ins.kind {
                InsertKind::Insert => "niI".into(),
                InsertKind::Replace => "niR".into(),
                InsertKind::VirtualReplace => "niV".into(),
            };
        }
        "n".into()
    }

    /// The mode as an enum for the front end.
    pub fn mode_kind(&self) -> ModeKind {
        let vi = &self.vi;
        if vi.cmdline.is_some() {
            return ModeKind::Cmdline;
        }
        if let Some(ins) = &vi.insert {
            return match ins.kind {
                InsertKind::Insert => ModeKind::Insert,
                InsertKind::Replace => ModeKind::Replace,
                InsertKind::VirtualReplace => ModeKind::VirtualReplace,
            };
        }
        if let Some(v) = &vi.visual {
            return match v.kind {
                VisualKind::Char => ModeKind::Visual,
                VisualKind::Line => ModeKind::VisualLine,
                VisualKind::Block => ModeKind::VisualBlock,
            };
        }
        if matches!(vi.want, Some((_, Some(_)))) {
            return ModeKind::OperatorPending;
        }
        if vi.insert_normal.is_some() {
            return ModeKind::InsertNormal;
        }
        ModeKind::Normal
    }

    /// The keys of the command typed so far (what 'showcmd' shows).
    pub fn pending_keys(&self) -> String {
        let mut keys: Vec<Key> = self.vi.pending.clone();
        if self.vi.map_waiting {
            keys.extend(self.vi.typeahead.iter().map(|t| t.key));
        }
        crate::keys::key_notation(&keys)
    }

    /// Whether the engine waits in the middle of something (a mapping prefix, an operator, an
    /// argument key) — Neovim's `nvim_get_mode().blocking`.
    pub fn is_blocking(&self) -> bool {
        self.vi.map_waiting
            || !self.vi.pending.is_empty()
            || self.vi.insert.as_ref().is_some_and(|i| i.pending.is_some())
            || self.vi.cmdline.as_ref().is_some_and(|c| c.pending.is_some())
    }

    /// How long to wait for the next key before [`Editor::on_timeout`] resolves an ambiguous
    /// mapping ('timeoutlen'); `None` when nothing waits or 'notimeout'.
    pub fn timeout_pending(&self) -> Option<Duration> {
        if !self.vi.map_waiting || !self.opt("timeout").as_bool() {
            return None;
        }
        Some(Duration::from_millis(self.opt("timeoutlen").as_number().max(0) as u64))
    }

    /// The wait for a mapping timed out: use the longest complete mapping, or the keys as typed.
    pub fn on_timeout(&mut self) {
        if !self.vi.map_waiting {
            return;
        }
        self.vi.map_waiting = false;
        self.resolve_mappings(true);
        self.run_typeahead();
        self.idle();
    }

    /// The command line being typed, if any.
    pub fn cmdline(&self) -> Option<CmdlineState> {
        self.vi.cmdline.as_ref().map(|c| c.state.clone())
    }

    /// The visual selection as (start, end) positions in order, and its kind.
    pub fn visual_selection(&self) -> Option<(Pos, Pos, VisualKind)> {
        let v = self.vi.visual?;
        let c = self.vpos();
        let (a, b) = if c < v.anchor { (c, v.anchor) } else { (v.anchor, c) };
        Some((a, b, v.kind))
    }

    /// The register being recorded into (`q{reg}`), for the status line.
    pub fn recording_register(&self) -> Option<char> {
        self.vi.recording.as_ref().map(|(r, _)| *r)
    }

    /// Runs keys as `:normal` does: synchronously, with (`remap`) or without mappings; an
    /// unfinished command at the end is abandoned like `<Esc>`.
    pub fn execute_normal(&mut self, keys: &[Key], remap: bool) {
        if self.vi.normal_depth >= 100 {
            self.messages.error("E192: Recursive use of :normal too deep");
            return;
        }
        self.vi.normal_depth += 1;
        let outer = std::mem::take(&mut self.vi.typeahead);
        let outer_waiting = std::mem::replace(&mut self.vi.map_waiting, false);
        for k in keys {
            self.vi.typeahead.push_back(TKey { key: *k, remap, typed: false, stuffed: false });
        }
        self.run_typeahead();
        if self.vi.map_waiting {
            self.vi.map_waiting = false;
            self.resolve_mappings(true);
            self.run_typeahead();
        }
        // Abandon whatever is unfinished, as if <Esc> had been typed.
        self.abandon_pending();
        self.vi.typeahead = outer;
        self.vi.map_waiting = outer_waiting;
        self.vi.normal_depth -= 1;
    }

    // ----- the loop --------------------------------------------------------------------------

    /// Processes the typeahead until it is empty or a mapping prefix waits.
    fn run_typeahead(&mut self) {
        let was_running = std::mem::replace(&mut self.vi.running, true);
        self.run_typeahead_inner();
        self.vi.running = was_running;
    }

    fn run_typeahead_inner(&mut self) {
        let mut guard = 0usize;
        while !self.vi.typeahead.is_empty() && !self.vi.map_waiting {
            guard += 1;
            if guard > 1_000_000 {
                self.vi.typeahead.clear();
                break;
            }
            if self.exit_code.is_some() {
                self.vi.typeahead.clear();
                break;
            }
            if self.resolve_mappings(false) {
                continue;
            }
            if self.vi.map_waiting {
                break;
            }
            let Some(t) = self.vi.typeahead.pop_front() else { break };
            if t.typed {
                self.record_typed(&[t.key]);
            }
            if self.vi.typeahead.iter().all(|k| k.typed) {
                self.vi.map_depth = 0;
            }
            if !self.vi.on_key.is_empty() && !self.on_key_callbacks(t.key, t.typed) {
                continue;
            }
            self.process_key(t.key, t.typed);
        }
    }

    /// Tries the mappings at the front of the typeahead; true when one was expanded.
    fn resolve_mappings(&mut self, timed_out: bool) -> bool {
        let Some(front) = self.vi.typeahead.front() else { return false };
        // As in Vim, keys starting with `<Plug>` are looked up even when they come from a
        // `noremap` rhs (what `vim.keymap.set` makes by default): nothing else can type them.
        let plug = front.key.code == KeyCode::Plug;
        if !front.remap && !plug {
            return false;
        }
        let Some(mode) = self.current_map_mode() else { return false };
        let buf = self.buf_id();
        if !self.vi.mappings.any(mode, buf) {
            return false;
        }
        let run: Vec<Key> = self.vi.typeahead.iter().take_while(|t| t.remap || plug).map(|t| t.key).collect();
        let all = run.len() == self.vi.typeahead.len();
        let lookup = self.vi.mappings.lookup(mode, buf, &run);
        let m = match lookup {
            mapping::Lookup::None => return false,
            mapping::Lookup::Full(m) => m,
            mapping::Lookup::Partial(best) => {
                // Without 'timeout' the wait lasts until the next key; with it, until on_timeout.
                let wait = all && !timed_out;
                if wait {
                    self.vi.map_waiting = true;
                    return false;
                }
                match best {
                    Some(m) => m,
                    None => return false,
                }
            }
        };
        self.vi.map_depth += 1;
        if self.vi.map_depth > MAX_MAP_DEPTH {
            self.messages.error("E223: Recursive mapping");
            self.vi.typeahead.retain(|t| t.typed);
            self.vi.typeahead.clear();
            self.vi.map_depth = 0;
            return true;
        }
        let mut consumed = Vec::new();
        for _ in 0..m.lhs.len() {
            if let Some(t) = self.vi.typeahead.pop_front() {
                if t.typed {
                    consumed.push(t.key);
                }
            }
        }
        self.record_typed(&consumed);
        if !self.vi.on_key.is_empty() {
            self.vi.on_key_typed = consumed;
        }
        let rhs: Vec<Key> = match &m.rhs {
            MapRhs::Keys(k) if m.expr => self
                .eval_expr_mapping(&m.rhs_text)
                .unwrap_or_default()
                .into_iter()
                .chain(k.iter().copied().take(0))
                .collect(),
            MapRhs::Keys(k) => k.clone(),
            MapRhs::Callback(id) => {
                let id = *id;
                // The callback sees the count and register typed before the mapping (`v:count`,
                // `v:register`); a plain callback ends the command, so they are used up, as in
                // Neovim, while an `<expr>` callback's keys still get them.
                let typed = pending_count_register(&self.vi.pending);
                let saved = self.vi.callback_count.replace(typed);
                let out = self.call_mapping_callback(id);
                self.vi.callback_count = saved;
                let operator = self.vi.want.as_ref().is_some_and(|(_, op)| op.is_some());
                if !m.expr && !operator && self.vi.visual.is_none() && self.vi.insert.is_none() {
                    self.vi.pending.clear();
                    self.vi.want = None;
                }
                if m.expr {
                    out.map(|s| parse_keys(&s)).unwrap_or_default()
                } else {
                    Vec::new()
                }
            }
        };
        // A recursive mapping whose rhs starts with its lhs doesn't map that first key again.
        let starts_with_lhs = !m.noremap && rhs.len() >= m.lhs.len() && rhs[..m.lhs.len()] == m.lhs[..];
        for (i, k) in rhs.iter().enumerate().rev() {
            let remap = !m.noremap && (!starts_with_lhs || i != 0);
            self.vi.typeahead.push_front(TKey { key: *k, remap, typed: false, stuffed: false });
        }
        true
    }

    /// Calls the `vim.on_key` callbacks with a key the engine is about to take (after mappings)
    /// and the keys typed for it (the key itself when typed, a mapping's typed lhs for the first
    /// key of its rhs, else nothing), as Neovim does. False when a callback returned `""`: the
    /// key is discarded.
    pub fn on_key_callbacks(&mut self, key: Key, typed: bool) -> bool {
        let typed_keys = if typed { vec![key] } else { std::mem::take(&mut self.vi.on_key_typed) };
        // Keys with a character are that character (`<Esc>` is "\x1b", as in Neovim); others are
        // the private-use characters `nvim_replace_termcodes` gives.
        let char_of = |k: &Key| k.to_text_char().or_else(|| crate::keys::key_to_register_char(k));
        let text = |keys: &[Key]| keys.iter().filter_map(char_of).collect::<String>();
        let args = vec![rmpv::Value::from(text(&[key])), rmpv::Value::from(text(&typed_keys))];
        let mut keep = true;
        let ids: Vec<_> = self.vi.on_key.values().copied().collect();
        for id in ids {
            match self.run_callback(id, args.clone()) {
                Ok(rmpv::Value::String(s)) if s.as_bytes().is_empty() => keep = false,
                Ok(_) => {}
                Err(e) => {
                    self.messages.error(crate::editor::callback_error("Error executing vim.on_key() callbacks: ", e))
                }
            }
        }
        keep
    }

    /// Neovim runs `x X D C s S &` by typing their long forms (`dl`, `dh`, `d$`, `c$`, `cl`, `cc`,
    /// `:s<CR>`, after the count), so `vim.on_key` sees those keys too.
    fn on_key_short_form(&mut self, cmd: &command::Command) {
        if self.vi.on_key.is_empty() || self.vi.visual.is_some() || cmd.keys.len() != 1 {
            return;
        }
        let long = match cmd.keys.first().and_then(|k| k.as_char()) {
            Some('x') => "dl",
            Some('X') => "dh",
            Some('D') => "d$",
            Some('C') => "c$",
            Some('s') => "cl",
            Some('S') => "cc",
            Some('&') => ":s\r",
            _ => return,
        };
        let count = cmd.count.map(|c| c.to_string()).unwrap_or_default();
        for c in count.chars().chain(long.chars()) {
            self.on_key_callbacks(crate::keys::key_from_char(c), false);
        }
    }

    /// Evaluates an `<expr>` mapping's rhs with the expression layer.
    fn eval_expr_mapping(&mut self, text: &str) -> Option<Vec<Key>> {
        let v = crate::expr::eval(text, &mut crate::function::EditorContext::new(self));
        match v {
            Ok(v) => v.to_string_value().ok().map(|s| parse_keys(&s)),
            Err(e) => {
                self.messages.error(e.to_string());
                None
            }
        }
    }

    /// Runs a mapping's host callback; returns the string an `<expr>` callback produced.
    fn call_mapping_callback(&mut self, id: crate::events::CallbackId) -> Option<String> {
        match self.run_callback(id, Vec::new()) {
            Ok(rmpv::Value::String(s)) => s.into_str(),
            Ok(_) => None,
            Err(e) => {
                self.messages.error(crate::editor::callback_error("E5108: Error executing lua: ", e));
                None
            }
        }
    }

    /// The mapping table the next key is looked up in (`None`: a literal argument).
    fn current_map_mode(&self) -> Option<MapMode> {
        if let Some(c) = &self.vi.cmdline {
            return if c.pending.is_some() { None } else { Some(MapMode::Cmdline) };
        }
        if let Some(i) = &self.vi.insert {
            return if i.pending.is_some() { None } else { Some(MapMode::Insert) };
        }
        match &self.vi.want {
            Some((command::Want::Literal, _)) => None,
            Some((command::Want::Motion, Some(_))) => Some(MapMode::OpPending),
            _ => {
                if self.vi.visual.is_some() {
                    Some(MapMode::Visual)
                } else {
                    Some(MapMode::Normal)
                }
            }
        }
    }

    /// Appends keys the user typed to the macro being recorded.
    fn record_typed(&mut self, keys: &[Key]) {
        if let Some((_, rec)) = &mut self.vi.recording {
            rec.extend_from_slice(keys);
        }
    }

    /// One key, after mappings.
    fn process_key(&mut self, key: Key, typed: bool) {
        if typed && self.is_idle_normal() && !self.vi.reading_script {
            // A new command from the user: close the previous undo step (Vim's u_sync on typed keys).
            self.finish_command();
            self.sync_undo();
        }
        self.vi.key_typed = typed;
        if key.code == KeyCode::Cmd {
            self.cmd_key();
        } else if self.vi.cmdline.is_some() {
            self.cmdline_key(key);
        } else if self.vi.insert.is_some() {
            self.insert_key(key);
        } else {
            self.normal_key(key);
        }
        self.report_mode();
        let next_stuffed = self.vi.typeahead.front().is_some_and(|t| t.stuffed);
        if !self.vi.typeahead.is_empty() && self.vi.normal_depth == 0 && !next_stuffed && self.vi.cmdline.is_none() {
            self.state_checks(false);
        }
    }

    /// `<Cmd>`: the keys up to `<CR>` (never mapped) are an ex command, run without leaving the
    /// mode (insert, visual, the command line). With an operator pending the command is its
    /// motion, as `:` would be (see [`Editor::ex_motion`]).
    fn cmd_key(&mut self) {
        let mut text = String::new();
        let mut bad = None;
        loop {
            let Some(t) = self.vi.typeahead.pop_front() else {
                self.messages.error("E1255: <Cmd> mapping must end with <CR>");
                self.fail();
                return;
            };
            match t.key.code {
                KeyCode::Enter if t.key.mods == crate::keys::Mods::NONE => break,
                KeyCode::Cmd => {
                    self.messages.error("E1136: <Cmd> mapping must end with <CR> before second <Cmd>");
                    self.fail();
                    return;
                }
                _ => match t.key.to_text_char() {
                    Some(c) => text.push(c),
                    None => {
                        bad.get_or_insert(t.key);
                    }
                },
            }
        }
        if let Some(k) = bad {
            let name = crate::keys::key_notation(&[k]);
            self.messages.error(format!("E1137: <Cmd> mapping must not include {name} key"));
            self.fail();
            return;
        }
        if matches!(self.vi.want, Some((command::Want::Motion, Some(_)))) {
            let mut keys = std::mem::take(&mut self.vi.pending);
            keys.push(Key::char(':'));
            self.vi.want = None;
            if let command::Parse::Done(cmd) = command::parse(&keys, false) {
                self.ex_motion(cmd, &text);
            }
            self.after_command();
            return;
        }
        if !self.run_ex_line(&text) {
            self.fail();
        }
        if self.vi.cmdline.is_none() {
            self.scroll_to_cursor();
        }
    }

    /// Nothing half-typed in normal mode.
    fn is_idle_normal(&self) -> bool {
        self.vi.pending.is_empty() && self.vi.insert.is_none() && self.vi.cmdline.is_none()
    }

    /// A key in normal, visual or operator-pending mode.
    fn normal_key(&mut self, key: Key) {
        self.vi.pending.push(key);
        if self.vi.recording.is_some() && self.vi.pending.len() == 1 && key == Key::char('q') {
            self.vi.pending.clear();
            self.vi.want = None;
            self.stop_recording();
            return;
        }
        let visual = self.vi.visual.is_some();
        match command::parse(&self.vi.pending, visual) {
            command::Parse::Incomplete { want, op } => {
                self.vi.want = Some((want, op));
            }
            command::Parse::Invalid => {
                self.vi.pending.clear();
                self.vi.want = None;
                self.fail();
                // A cancelled command after `<C-o>` still returns to insert mode.
                self.after_command();
            }
            command::Parse::Done(cmd) => {
                self.vi.pending.clear();
                self.vi.want = None;
                self.vi.changed = false;
                self.on_key_short_form(&cmd);
                if !matches!(cmd.action, command::Action::VisualOperator(..)) {
                    self.vi.dot_override = None;
                }
                let r = self.run_command(cmd);
                if r.is_err() {
                    self.fail();
                }
                self.after_command();
            }
        }
    }

    /// After a normal command: back to insert after `<C-o>`, keep the view on the cursor.
    fn after_command(&mut self) {
        if self.vi.insert.is_none()
            && self.vi.cmdline.is_none()
            && self.vi.visual.is_none()
            && self.vi.pending.is_empty()
        {
            if let Some(ins) = self.vi.insert_normal.take() {
                self.resume_insert(ins);
            } else if self.vi.insert_normal.is_none() {
                // Normal mode keeps the cursor on a character.
                let p = self.vpos();
                let len = textpos::line_len(&self.buf().text, p.row);
                if len > 0 && p.col >= len {
                    let w = self.win_mut();
                    w.cursor.col = len - 1;
                }
            }
        }
        self.scroll_to_cursor();
    }

    /// A failed command: drop keys that came from mappings, macros and `:normal`, as Vim flushes
    /// its typeahead on an error.
    pub(crate) fn fail(&mut self) {
        self.vi.typeahead.retain(|t| t.typed);
        self.vi.map_depth = 0;
    }

    /// Drops a half-typed command, insert or command line (end of `:normal`).
    fn abandon_pending(&mut self) {
        if self.vi.cmdline.is_some() {
            self.cmdline_key(Key::plain(KeyCode::Esc));
        }
        if self.vi.insert.is_some() {
            self.insert_key(Key::plain(KeyCode::Esc));
        }
        if !self.vi.pending.is_empty() {
            self.vi.pending.clear();
            self.vi.want = None;
        }
        if self.vi.insert_normal.is_some() {
            self.vi.insert_normal = None;
        }
        self.report_mode();
    }

    /// Whether any autocmd listens to `event` (events are frequent; their arguments cost).
    pub(crate) fn has_autocmd(&self, event: Event) -> bool {
        self.autocmds.all().iter().any(|a| a.event == event)
    }

    /// Fires ModeChanged when `mode()` differs from the last reported one.
    pub(crate) fn report_mode(&mut self) {
        let now = self.mode();
        if self.vi.reported_mode.is_empty() {
            self.vi.reported_mode = "n".into();
        }
        if now == self.vi.reported_mode {
            return;
        }
        let old = std::mem::replace(&mut self.vi.reported_mode, now.clone());
        if !self.has_autocmd(Event::ModeChanged) {
            return;
        }
        let mut args = EventArgs { buf: Some(self.buf_id()), ..Default::default() };
        args.matched = format!("{old}:{now}");
        args.data = Some(serde_json::json!({ "old_mode": old, "new_mode": now }).to_string());
        self.fire(Event::ModeChanged, args);
    }

    /// What Neovim's main loop does before it waits for a key: CursorMoved(I), then TextChanged(I).
    fn idle(&mut self) {
        if !self.vi.typeahead.is_empty() && !self.vi.map_waiting {
            return;
        }
        self.state_checks(true);
    }

    /// Neovim's checks between commands (`normal_check`/`insert_check`): they run before every
    /// command, also while typed or mapped keys are queued, but not inside `.` or `:normal`.
    /// `waiting`: the engine is about to wait for a key, so the undo step closes too.
    fn state_checks(&mut self, waiting: bool) {
        let blocked = self.is_blocking() || self.vi.map_waiting;
        let inserting = self.vi.insert.is_some();
        if self.vi.cmdline.is_some() {
            return;
        }
        let cur = (self.current, self.buf_id(), self.cursor());
        if self.vi.reported_cursor != Some(cur) && !blocked {
            self.vi.reported_cursor = Some(cur);
            let event = if inserting { Event::CursorMovedI } else { Event::CursorMoved };
            if self.has_autocmd(event) {
                let args = self.buf_event_args(self.buf_id());
                self.fire(event, args);
            }
        }
        if blocked {
            return;
        }
        if inserting || !waiting || self.vi.reading_script {
            if waiting && !inserting {
                // The next key of a script is there already: no undo step closes (see type_script).
                self.finish_command();
            }
            let id = self.buf_id();
            if let Some(c) = self.buf_mut().take_changed() {
                let mut args = self.buf_event_args(id);
                args.data =
                    Some(format!("{{\"first\":{},\"old_last\":{},\"new_last\":{}}}", c.first, c.old_last, c.new_last));
                self.fire(if inserting { Event::TextChangedI } else { Event::TextChanged }, args);
            }
        } else {
            self.before_wait();
        }
    }

    /// Keeps the cursor inside the window's view ('scrolloff' lines of margin) as Vim's
    /// update_topline: a cursor a little above the view goes to its top, one a little below to its
    /// bottom; farther jumps centre the cursor line (never leaving the window short of lines at the
    /// end of the buffer). Lines count as one screen row each here.
    pub(crate) fn scroll_to_cursor(&mut self) {
        let so = self.opt("scrolloff").as_number().max(0) as usize;
        let row = self.cursor().row;
        let last = textpos::line_count(&self.buf().text).saturating_sub(1);
        let w = self.win_mut();
        let h = w.height.max(1);
        let so = so.min((h - 1) / 2);
        let top = w.top_line.min(last);
        let centred = |row: usize| row.saturating_sub((h - 1) / 2).min((last + 1).saturating_sub(h));
        let new_top = if row < top + so {
            let halfheight = (h / 2).saturating_sub(1).max(2);
            if top + so - row >= halfheight {
                centred(row)
            } else {
                row.saturating_sub(so)
            }
        } else if row + so >= top + h {
            // Lines between the first one below the view and the cursor (with 'scrolloff').
            let below = row + so + 1 - (top + h);
            if below <= h + 1 {
                (row + so + 1).saturating_sub(h)
            } else {
                centred(row)
            }
        } else {
            top
        };
        w.top_line = new_top.min(last);
    }

    // ----- dot repeat, macros ------------------------------------------------------------------

    /// Remembers a finished change command for `.`.
    pub(crate) fn record_dot(&mut self, cmd: &command::Command) {
        let visual = self.vi.dot_visual.take();
        if let Some(dot) = self.vi.dot_override.take() {
            self.vi.dot = Some(dot);
            return;
        }
        self.vi.dot = Some(DotRecord { keys: cmd.keys.clone(), count: cmd.count, register: cmd.register, visual });
    }

    /// `.`: replays the last change, with a new count if one is given.
    fn repeat_last(&mut self, count: Option<usize>, register: Option<char>) -> Result<(), Fail> {
        let Some(mut dot) = self.vi.dot.clone() else { return Err(Fail) };
        if count.is_some() {
            dot.count = count;
        }
        if register.is_some() {
            dot.register = register;
        }
        // `"1p...` steps through the numbered registers, as in Vim.
        if let Some(r @ '1'..='8') = dot.register {
            if dot.keys.first().and_then(|k| k.as_char()).is_some_and(|c| c == 'p' || c == 'P') {
                dot.register = Some(char::from(r as u8 + 1));
            }
        }
        let mut keys = Vec::new();
        if let Some(r) = dot.register {
            keys.push(Key::char('"'));
            keys.push(Key::char(r));
        }
        if let Some((kind, lines, cols)) = dot.visual {
            // Rebuild a selection of the same size at the cursor.
            let p = self.vpos();
            let last = textpos::line_count(&self.buf().text).saturating_sub(1);
            let end_row = (p.row + lines.saturating_sub(1)).min(last);
            self.vi.visual = Some(VisualState { anchor: p, kind });
            if kind == VisualKind::Block {
                // The same width in display columns from the cursor's column (`$`: to the ends).
                let left = self.display_col(p.row, p.col);
                let col = if cols == usize::MAX {
                    self.vi.redo_block_right = None;
                    textpos::line_len(&self.buf().text, end_row)
                } else {
                    let right = left + cols.saturating_sub(1);
                    self.vi.redo_block_right = Some(right);
                    self.col_for_want(end_row, right, false)
                };
                let len = textpos::line_len(&self.buf().text, end_row);
                self.place(Pos::new(end_row, col.min(len.saturating_sub(1))), normal::Want::Set);
                if cols == usize::MAX {
                    self.win_mut().curswant = usize::MAX;
                }
            } else {
                let end_col = match kind {
                    VisualKind::Line => p.col,
                    _ if lines > 1 => cols,
                    _ => p.col + cols.saturating_sub(1),
                };
                let len = textpos::line_len(&self.buf().text, end_row);
                self.place(Pos::new(end_row, end_col.min(len.saturating_sub(1))), normal::Want::Set);
            }
            if let Some(c) = dot.count {
                keys.extend(c.to_string().chars().map(Key::char));
            }
        } else if let Some(c) = dot.count {
            keys.extend(c.to_string().chars().map(Key::char));
        }
        keys.extend(dot.keys.iter().copied());
        self.vi.repeating = true;
        for k in keys.iter().rev() {
            self.vi.typeahead.push_front(TKey { key: *k, remap: false, typed: false, stuffed: true });
        }
        Ok(())
    }

    /// `q` while recording: stores the keys (without the final `q`) in the register.
    fn stop_recording(&mut self) {
        let Some((reg, mut keys)) = self.vi.recording.take() else { return };
        // The `q` that stopped it was recorded too.
        keys.pop();
        let text = crate::keys::key_notation(&keys);
        let _ = text;
        let raw: String = keys.iter().map(key_to_register_text).collect();
        let r = crate::registers::Register {
            lines: raw.split('\n').map(str::to_string).collect(),
            kind: crate::registers::RegisterKind::Charwise,
        };
        if let Err(e) = self.registers.set_recording(reg, r) {
            self.messages.error(e.to_string());
        }
    }

    /// `@{reg}` (and `@@`, `@:`).
    fn execute_register(&mut self, reg: char, count: usize) -> Result<(), Fail> {
        let reg = if reg == '@' { self.vi.last_executed.ok_or(Fail)? } else { reg };
        self.vi.last_executed = Some(reg);
        if reg == ':' {
            let Some(last) = self.vi.cmd_history.last().cloned() else {
                self.messages.error("E30: No previous command line");
                return Err(Fail);
            };
            for _ in 0..count {
                if !self.run_ex_line(&last) {
                    return Err(Fail);
                }
            }
            return Ok(());
        }
        let Some(r) = self.read_register(reg) else { return Err(Fail) };
        let mut text = r.lines.join("\n");
        if r.kind == crate::registers::RegisterKind::Linewise {
            text.push('\n');
        }
        let keys: Vec<Key> = text.chars().map(crate::keys::key_from_register_char).collect();
        let mut all = Vec::with_capacity(keys.len() * count);
        for _ in 0..count {
            all.extend(keys.iter().copied());
        }
        for k in all.iter().rev() {
            self.vi.typeahead.push_front(TKey { key: *k, remap: true, typed: false, stuffed: false });
        }
        Ok(())
    }
}

/// How a recorded key is stored in a register: its character, or a private-use code for special
/// keys (Vim stores `<Left>` as the bytes `\x80kl`).
fn key_to_register_text(k: &Key) -> String {
    match crate::keys::key_to_register_char(k) {
        Some(c) => c.to_string(),
        None => crate::keys::key_notation(std::slice::from_ref(k)),
    }
}

#[cfg(test)]
mod tests;
