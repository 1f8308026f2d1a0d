//! A buffer: the text of one file (or none), its local options, undo tree and marks.
//!
//! All text changes go through [`Buffer::apply`], which keeps the undo group, marks, change tick and the
//! pending change record in step, so no caller can forget one of them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ropey::Rope;
use rtdvi_core::anchor::{AnchorId, AnchorSet};
use rtdvi_core::changeset::{Assoc, ChangeSet, Edit};
use rtdvi_core::codec::FileMeta;
use rtdvi_core::undo::{CursorTarget, UndoTree};

use crate::fileio::FileStamp;
use crate::options::{self, OptionStore, OptionValue};
use crate::swap::SwapFile;

/// A buffer number, as Vim shows it (starts at 1, never reused).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BufferId(pub u32);

/// A change not yet committed to the undo tree (one undo step = one command, like Vim).
#[derive(Clone, Debug)]
struct PendingUndo {
    changes: ChangeSet,
    inverse: ChangeSet,
    cursor_before: usize,
    /// The lowercase marks when the step began (Vim's `uh_namedm`).
    marks: SavedMarks,
}

/// Lowercase marks as (mark, row, column), saved with an undo step: undoing or redoing the step
/// puts them back where they were when it began, as Vim does, and saves the ones it replaces.
type SavedMarks = Vec<(char, usize, usize)>;

/// The hull of the text changed since the last time the editor looked (for TextChanged and plugins).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChangedLines {
    /// First changed line (0-based).
    pub first: usize,
    /// Last line of the changed region before the change (exclusive).
    pub old_last: usize,
    /// Last line of the changed region after the change (exclusive).
    pub new_last: usize,
}

/// One buffer.
#[derive(Debug)]
pub struct Buffer {
    /// Buffer number.
    pub id: BufferId,
    /// The text: lines joined by "\n" with no trailing newline.
    pub text: Rope,
    /// The file name as the user gave it (relative names stay relative to the working directory).
    pub path: Option<PathBuf>,
    /// Buffer-local options.
    pub options: OptionStore,
    /// Undo history.
    pub undo: UndoTree,
    pending: Option<PendingUndo>,
    /// The marks saved with undo steps, by change number (only steps begun with marks set).
    undo_marks: std::collections::HashMap<usize, SavedMarks>,
    /// The undo state that matches the file on disk (`None`: no state matches). A state id, not a
    /// `changenr()`: those coincide for the oldest kept state once 'undolevels' dropped changes.
    saved_state: Option<usize>,
    /// Vim's `b:changedtick`.
    pub changedtick: u64,
    /// Whether the file as read was empty (so an empty buffer writes back 0 bytes).
    pub file_was_empty: bool,
    /// Metadata of the file as it was read (line endings, BOM, escaped bytes).
    pub file_meta: Option<FileMeta>,
    /// Size and time of the file when it was read or written (to detect outside changes).
    pub stamp: Option<FileStamp>,
    /// The recovery journal, once the buffer has been modified.
    pub swap: Option<SwapFile>,
    /// Anchors for marks (and later extmarks).
    pub anchors: AnchorSet,
    /// Lowercase marks `a`-`z` and the special marks `[ ] < > . ^ "`.
    pub marks: BTreeMap<char, MarkAt>,
    /// Listed in `:ls` (`buflisted`).
    pub listed: bool,
    /// Changes since the editor last fired TextChanged for this buffer.
    changed_since_event: Option<ChangedLines>,
    /// Changes made since the recovery journal was last written to (the editor drains these). Only
    /// kept while a journal exists: without one, `unjournaled` says the text moved on.
    journal_pending: Vec<ChangeSet>,
    /// A change happened while there was no journal (the editor starts one from the current text).
    pub unjournaled: bool,
    /// Whether the text has been changed since the last write (Vim's 'modified').
    modified: bool,
    /// The effective 'undolevels' (a global-local option: the editor keeps this up to date).
    pub undolevels: i64,
    /// The line `U` restores: saved before the first of a series of changes on one line.
    pub(crate) line_undo: Option<LineUndo>,
    /// Buffer variables (`b:`).
    pub vars: BTreeMap<String, rmpv::Value>,
    /// Extmarks (their positions are anchors in `anchors`).
    pub extmarks: crate::extmark::Extmarks,
    /// `nvim_buf_attach` subscriptions.
    pub attachments: Vec<crate::attach::Attachment>,
    /// Line changes not yet reported to `attachments` (the editor drains them).
    pub line_events: Vec<crate::attach::LineEvent>,
}

/// A mark: an anchor spanning its line (so it moves with inserted and deleted lines and dies
/// with its line) and a column that text edits on the line leave alone, as Vim's marks (Vim
/// also shifts the column of a mark on a line joined to the one above; rtdvi keeps it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MarkAt {
    /// Anchor from the line's start to its end (newline included).
    pub anchor: AnchorId,
    /// The char column; `usize::MAX` is Vim's MAXCOL (the line's end, see `set_mark_line_end`).
    pub col: usize,
}

/// What `U` needs: a line as it was before the latest changes made on it (Vim's `b_u_line_*`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LineUndo {
    /// Its row (moved when lines are inserted or deleted above it).
    pub row: usize,
    /// Its text before the changes.
    pub text: String,
    /// The cursor column to restore.
    pub col: usize,
}

/// Errors of text changes.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BufferError {
    /// The buffer is not modifiable.
    #[error("E21: Cannot make changes, 'modifiable' is off")]
    NotModifiable,
    /// A change that does not fit the text (a bug in the caller, reported instead of panicking).
    #[error("internal error: {0}")]
    BadChange(String),
}

/// Everything a plugin call may change in a buffer, saved so a failed call can be undone without
/// a trace (the undo tree is left out: API writes only add to the pending undo step).
#[derive(Debug)]
pub struct BufferCheckpoint {
    text: Rope,
    path: Option<PathBuf>,
    options: OptionStore,
    pending: Option<PendingUndo>,
    changedtick: u64,
    anchors: AnchorSet,
    marks: BTreeMap<char, MarkAt>,
    extmarks: crate::extmark::Extmarks,
    vars: BTreeMap<String, rmpv::Value>,
    changed_since_event: Option<ChangedLines>,
    journal_pending: usize,
    unjournaled: bool,
    modified: bool,
}

impl Buffer {
    /// Saves the state a plugin call may change (cheap: the rope is shared, not copied).
    pub fn checkpoint(&self) -> BufferCheckpoint {
        BufferCheckpoint {
            text: self.text.clone(),
            path: self.path.clone(),
            options: self.options.clone(),
            pending: self.pending.clone(),
            changedtick: self.changedtick,
            anchors: self.anchors.clone(),
            marks: self.marks.clone(),
            extmarks: self.extmarks.clone(),
            vars: self.vars.clone(),
            changed_since_event: self.changed_since_event,
            journal_pending: self.journal_pending.len(),
            unjournaled: self.unjournaled,
            modified: self.modified,
        }
    }

    /// Puts back a checkpoint's state. The change tick moves forward (never back), so anything
    /// that cached the text by tick sees a change.
    pub fn rollback(&mut self, cp: BufferCheckpoint) {
        let changed = self.changedtick != cp.changedtick;
        self.text = cp.text;
        self.path = cp.path;
        self.options = cp.options;
        self.pending = cp.pending;
        self.anchors = cp.anchors;
        self.marks = cp.marks;
        self.extmarks = cp.extmarks;
        self.vars = cp.vars;
        // Line events of rolled-back changes must not be reported.
        self.line_events.clear();
        self.changed_since_event = cp.changed_since_event;
        self.journal_pending.truncate(cp.journal_pending);
        self.unjournaled = cp.unjournaled;
        self.modified = cp.modified;
        if changed {
            self.changedtick += 1;
        }
    }

    /// A new empty buffer with local options copied from the global values.
    pub fn new(id: BufferId, global: &OptionStore) -> Self {
        let undo = UndoTree::new();
        let saved_state = Some(undo.state_id());
        Buffer {
            id,
            text: Rope::new(),
            path: None,
            options: OptionStore::local_from(global, false),
            undo,
            pending: None,
            undo_marks: Default::default(),
            saved_state,
            changedtick: 1,
            file_was_empty: true,
            file_meta: None,
            stamp: None,
            swap: None,
            anchors: AnchorSet::new(),
            marks: BTreeMap::new(),
            listed: true,
            changed_since_event: None,
            journal_pending: Vec::new(),
            unjournaled: false,
            modified: false,
            undolevels: global.get(options::id("undolevels")).map_or(1000, OptionValue::as_number),
            line_undo: None,
            vars: BTreeMap::new(),
            extmarks: Default::default(),
            attachments: Vec::new(),
            line_events: Vec::new(),
        }
    }

    /// Number of lines (an empty buffer has one).
    pub fn line_count(&self) -> usize {
        self.text.len_lines()
    }

    /// Line `row` without its newline ("" when out of range).
    pub fn line(&self, row: usize) -> String {
        if row >= self.line_count() {
            return String::new();
        }
        let mut s = self.text.line(row).to_string();
        if s.ends_with('\n') {
            s.pop();
        }
        s
    }

    /// Line `row` without its newline, borrowed from the rope when it sits in one chunk (most lines
    /// do), so whole-buffer scans like `:g` and `:s` don't allocate per line. "" past the end.
    pub fn line_cow(&self, row: usize) -> std::borrow::Cow<'_, str> {
        self.line_at(row).unwrap_or(std::borrow::Cow::Borrowed(""))
    }

    /// Line `row` without its newline (`None` past the end), borrowed when it sits in one chunk.
    ///
    /// Ropey recounts a leaf on every length query when the whole text is one leaf (small
    /// buffers), and `line_to_byte` makes several such queries; a plugin reading lines in a loop
    /// felt it. So this asks for the line count once, finds the chunk where the line starts, and
    /// looks for the line breaks in that chunk itself.
    pub fn line_at(&self, row: usize) -> Option<std::borrow::Cow<'_, str>> {
        let lines = self.text.len_lines();
        if row >= lines {
            return None;
        }
        if let Some((chunk, chunk_byte, _, chunk_line)) = self.text.get_chunk_at_line_break(row) {
            // Line `row` starts after the chunk's (row - chunk_line)-th line break. Counted with
            // the same SIMD line counter ropey uses (LF breaks only, as the rope is built):
            // `str::find('\n')` per skipped line dominated a plugin's get_line loop.
            let start = row
                .checked_sub(chunk_line)
                .map(|skip| str_indices::lines_lf::to_byte_idx(chunk, skip))
                // Past the chunk's breaks it answers the chunk's end: then take the slow path.
                .filter(|&s| s == 0 || chunk.as_bytes().get(s - 1) == Some(&b'\n'));
            if let Some(rest) = start.and_then(|s| chunk.get(s..)) {
                if let Some(end) = memchr::memchr(b'\n', rest.as_bytes()) {
                    return rest.get(..end).map(std::borrow::Cow::Borrowed);
                }
                // No break after it here: the line ends the text in this chunk, or goes on.
                if row + 1 == lines && chunk_byte + chunk.len() == self.text.len_bytes() {
                    return Some(std::borrow::Cow::Borrowed(rest));
                }
            }
        }
        let slice = self.text.line(row);
        Some(match slice.as_str() {
            Some(s) => std::borrow::Cow::Borrowed(s.strip_suffix('\n').unwrap_or(s)),
            None => {
                let mut s = slice.to_string();
                if s.ends_with('\n') {
                    s.pop();
                }
                std::borrow::Cow::Owned(s)
            }
        })
    }

    /// Char offset of the start of `row` (clamped to the end of the text).
    pub fn line_start(&self, row: usize) -> usize {
        if row >= self.line_count() {
            return self.text.len_chars();
        }
        self.text.line_to_char(row)
    }

    /// Length of line `row` in chars, newline excluded.
    pub fn line_len(&self, row: usize) -> usize {
        if row >= self.line_count() {
            return 0;
        }
        let line = self.text.line(row);
        let n = line.len_chars();
        if row + 1 < self.line_count() {
            n.saturating_sub(1)
        } else {
            n
        }
    }

    /// Char offset of (row, char col), clamped into the text.
    pub fn pos_to_char(&self, row: usize, col: usize) -> usize {
        let row = row.min(self.line_count().saturating_sub(1));
        self.line_start(row) + col.min(self.line_len(row))
    }

    /// (row, char col) of a char offset.
    pub fn char_to_pos(&self, pos: usize) -> (usize, usize) {
        let pos = pos.min(self.text.len_chars());
        let row = self.text.char_to_line(pos);
        (row, pos - self.text.line_to_char(row))
    }

    /// A boolean option of this buffer.
    pub fn opt_bool(&self, name: &str) -> bool {
        self.options.get(options::id(name)).is_some_and(OptionValue::as_bool)
    }

    /// A number option of this buffer.
    pub fn opt_number(&self, name: &str) -> i64 {
        self.options.get(options::id(name)).map_or(0, OptionValue::as_number)
    }

    /// A string option of this buffer.
    pub fn opt_string(&self, name: &str) -> String {
        self.options.get(options::id(name)).map(|v| v.as_str().into_owned()).unwrap_or_default()
    }

    /// Whether the buffer differs from its file.
    pub fn is_modified(&self) -> bool {
        self.modified
    }

    /// Sets or clears 'modified' by hand (`:set nomod`), or after a write.
    pub fn set_modified(&mut self, modified: bool) {
        self.modified = modified;
        if !modified {
            self.commit_undo();
            self.saved_state = Some(self.undo.state_id());
        }
    }

    /// Applies a change made by the user or a plugin: recorded for undo, marks moved, tick bumped.
    pub fn apply(&mut self, changes: ChangeSet, cursor_before: usize) -> Result<(), BufferError> {
        if changes.is_identity() {
            return Ok(());
        }
        if !self.opt_bool("modifiable") {
            return Err(BufferError::NotModifiable);
        }
        let inverse = changes.invert(&self.text);
        let marks_before = if self.pending.is_none() { self.lowercase_marks() } else { Vec::new() };
        self.apply_raw(&changes)?;
        let pending = match self.pending.take() {
            None => PendingUndo { changes, inverse, cursor_before, marks: marks_before },
            Some(p) => PendingUndo {
                changes: p.changes.compose(changes).map_err(|e| BufferError::BadChange(e.to_string()))?,
                inverse: inverse.compose(p.inverse).map_err(|e| BufferError::BadChange(e.to_string()))?,
                cursor_before: p.cursor_before,
                marks: p.marks,
            },
        };
        self.pending = Some(pending);
        self.modified = true;
        Ok(())
    }

    /// Applies a change to the text and everything that follows it, without touching undo.
    fn apply_raw(&mut self, changes: &ChangeSet) -> Result<(), BufferError> {
        let before = changes.changed_range().map(|(s, old_end, new_end)| {
            let first = self.text.char_to_line(s.min(self.text.len_chars()));
            let old_last = self.text.char_to_line(old_end.min(self.text.len_chars())) + 1;
            (first, old_last, s, new_end)
        });
        if self.swap.is_some() {
            self.journal_pending.push(changes.clone());
        } else {
            self.unjournaled = true;
        }
        let line_event = match changes.changed_range() {
            Some((s, old_end, new_end)) if !self.attachments.is_empty() => {
                Some((self.line_event_before(s, old_end), new_end))
            }
            _ => None,
        };
        changes.apply(&mut self.text).map_err(|e| BufferError::BadChange(e.to_string()))?;
        let deleted = self.anchors.map(changes);
        // Vim erases a mark whose line was deleted; extmarks stay (flagged with `invalidate`).
        let marks_gone: Vec<AnchorId> =
            self.marks.values().map(|m| m.anchor).filter(|id| deleted.contains(id)).collect();
        self.marks.retain(|_, m| !deleted.contains(&m.anchor));
        for id in marks_gone {
            self.anchors.remove(id);
        }
        self.extmarks.invalidate(&deleted);
        self.changedtick += 1;
        if let Some((pending, new_end)) = line_event {
            let ev = self.line_event_after(pending, new_end);
            self.line_events.push(ev);
        }
        if let Some((first, old_last, _s, new_end)) = before {
            let new_last = self.text.char_to_line(new_end.min(self.text.len_chars())) + 1;
            self.changed_since_event = Some(match self.changed_since_event {
                None => ChangedLines { first, old_last, new_last },
                Some(c) => ChangedLines {
                    first: c.first.min(first),
                    old_last: c.old_last.max(old_last),
                    new_last: c.new_last.max(new_last),
                },
            });
        }
        Ok(())
    }

    /// Whether changes were made since the last undo step closed.
    pub fn has_open_undo_step(&self) -> bool {
        self.pending.is_some()
    }

    /// Closes the current undo group (end of a command); returns whether anything was committed.
    pub fn commit_undo(&mut self) -> bool {
        self.commit_undo_at(now_secs())
    }

    /// As [`Buffer::commit_undo`] with an explicit time (tests use fixed times for `:earlier 10s`).
    pub fn commit_undo_at(&mut self, time_secs: u64) -> bool {
        match self.pending.take() {
            Some(p) => {
                self.undo.set_levels(self.undolevels);
                let seq = self.undo.commit(p.changes, p.inverse, p.cursor_before, time_secs);
                if !p.marks.is_empty() {
                    self.undo_marks.insert(seq, p.marks);
                }
                true
            }
            None => false,
        }
    }

    /// Applies undo steps (from `u`, `<C-r>`, `:undo N`, `:earlier`...); returns the cursor of the last.
    /// Returns where Vim puts the cursor after the last step.
    pub fn apply_undo_steps(
        &mut self,
        steps: Vec<rtdvi_core::undo::UndoStep>,
    ) -> Result<Option<CursorTarget>, BufferError> {
        let mut cursor = None;
        for step in steps {
            let marks_before = self.lowercase_marks();
            self.apply_raw(&step.changes)?;
            // Vim's u_undoredo: the marks saved with the step come back, and the ones they
            // replace are saved for undoing or redoing it again.
            for (mark, row, col) in self.undo_marks.remove(&step.seq).unwrap_or_default() {
                let row = row.min(self.line_count().saturating_sub(1));
                self.set_mark(mark, self.line_start(row) + col.min(self.line_len(row)));
            }
            if !marks_before.is_empty() {
                self.undo_marks.insert(step.seq, marks_before);
            }
            cursor = Some(step.vim_cursor(&self.text));
        }
        if cursor.is_some() {
            self.modified = self.saved_state != Some(self.undo.state_id());
        }
        Ok(cursor)
    }

    /// Takes the changed-lines hull accumulated since the last call (for TextChanged).
    pub fn take_changed(&mut self) -> Option<ChangedLines> {
        self.changed_since_event.take()
    }

    /// Puts back a changed-lines hull that could not be reported yet.
    pub fn restore_changed(&mut self, c: ChangedLines) {
        self.changed_since_event = Some(match self.changed_since_event {
            None => c,
            Some(o) => ChangedLines {
                first: o.first.min(c.first),
                old_last: o.old_last.max(c.old_last),
                new_last: o.new_last.max(c.new_last),
            },
        });
    }

    /// Takes the edits not yet written to the recovery journal.
    pub fn take_journal_changes(&mut self) -> Vec<ChangeSet> {
        self.unjournaled = false;
        std::mem::take(&mut self.journal_pending)
    }

    /// Sets a mark at a char position (lowercase and special marks).
    pub fn set_mark(&mut self, mark: char, pos: usize) {
        if let Some(old) = self.marks.remove(&mark) {
            self.anchors.remove(old.anchor);
        }
        // The anchor spans the whole line (newline included) so that deleting the line, and only
        // that, erases the mark; the column is kept as a number: Vim does not move marks when
        // text is typed or deleted before them on their line.
        let pos = pos.min(self.text.len_chars());
        let (row, col) = self.char_to_pos(pos);
        let start = self.line_start(row);
        let end = self.line_start(row + 1).max(pos);
        // The start moves past text inserted at the line start, so a line opened above (`O`)
        // pushes the mark down with its line.
        let anchor = self.anchors.insert_range(start, end, Assoc::After, Assoc::After);
        self.marks.insert(mark, MarkAt { anchor, col });
    }

    /// Sets a mark at the end of line `row` the way Vim's MAXCOL column does (a linewise
    /// selection's `'>`, a linewise yank's `']`): it goes to the line's last char, and the API
    /// reports its column as 2147483647.
    pub fn set_mark_line_end(&mut self, mark: char, row: usize) {
        let row = row.min(self.line_count().saturating_sub(1));
        self.set_mark(mark, self.line_start(row) + self.line_len(row));
        if let Some(m) = self.marks.get_mut(&mark) {
            m.col = usize::MAX;
        }
    }

    /// Whether a mark sits at Vim's MAXCOL (see [`Buffer::set_mark_line_end`]).
    pub fn mark_at_line_end(&self, mark: char) -> bool {
        self.marks.get(&mark).is_some_and(|m| m.col == usize::MAX)
    }

    /// The lowercase marks that are set, as (mark, row, column).
    fn lowercase_marks(&self) -> SavedMarks {
        let mut out = Vec::new();
        for (&c, m) in self.marks.range('a'..='z') {
            if let Some((start, _)) = self.anchors.get(m.anchor) {
                let (row, _) = self.char_to_pos(start.min(self.text.len_chars()));
                out.push((c, row, m.col));
            }
        }
        out
    }

    /// The char position of a mark, if set and not deleted (its column clamped to the line).
    pub fn mark(&self, mark: char) -> Option<usize> {
        let m = self.marks.get(&mark)?;
        let (start, _) = self.anchors.get(m.anchor)?;
        let (row, _) = self.char_to_pos(start.min(self.text.len_chars()));
        Some(self.line_start(row) + m.col.min(self.line_len(row)))
    }

    /// Replaces the whole text (after `:e!` or a recovery), resetting undo like Vim does on reload.
    pub fn replace_all_text(&mut self, text: Rope) {
        self.text = text;
        self.undo = UndoTree::new();
        self.pending = None;
        self.undo_marks.clear();
        self.saved_state = Some(self.undo.state_id());
        self.changedtick += 1;
        self.anchors = AnchorSet::new();
        self.marks.clear();
        self.extmarks = Default::default();
        self.modified = false;
        self.journal_pending.clear();
        self.unjournaled = false;
        self.changed_since_event = None;
    }

    /// Builds a change that replaces lines `first..last` (0-based, exclusive) by `lines`.
    ///
    /// Works at the ends of the text too: lines are joined by "\n" with no trailing one, so replacing
    /// the last lines also removes the newline before them.
    pub fn lines_change(&self, first: usize, last: usize, lines: &[String]) -> Result<ChangeSet, BufferError> {
        let count = self.line_count();
        let first = first.min(count);
        let last = last.clamp(first, count);
        let len = self.text.len_chars();
        let mut text = lines.join("\n");
        let (start, end) = if first == last {
            // Pure insertion before line `first`.
            if lines.is_empty() {
                return Ok(ChangeSet::new(len));
            }
            if first >= count {
                // Appending after the last line: "\n" + lines.
                text.insert(0, '\n');
                (len, len)
            } else {
                text.push('\n');
                let s = self.line_start(first);
                (s, s)
            }
        } else if last >= count {
            // Replacing through the end of the text.
            if lines.is_empty() {
                if first == 0 {
                    (0, len)
                } else {
                    // Also remove the newline that ended line first-1.
                    (self.line_start(first) - 1, len)
                }
            } else {
                (self.line_start(first), len)
            }
        } else if lines.is_empty() {
            (self.line_start(first), self.line_start(last))
        } else {
            text.push('\n');
            (self.line_start(first), self.line_start(last))
        };
        ChangeSet::from_edits(len, [Edit { start, end, text }]).map_err(|e| BufferError::BadChange(e.to_string()))
    }
}

/// Seconds since the Unix epoch (for `:earlier 10s`; the core itself has no clock).
pub fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_at_matches_the_split_text_in_small_and_many_chunk_ropes() {
        let mut texts =
            vec![String::new(), "\n".to_string(), "a".to_string(), "ab\n".to_string(), "a\n\nb".to_string()];
        // Many chunks, lines of varied lengths (some longer than a chunk), multi-byte text.
        let mut big = String::new();
        let mut seed = 7u32;
        for i in 0..3000 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let len = (seed >> 16) as usize % if i % 97 == 0 { 3000 } else { 60 };
            big.extend(std::iter::repeat_n(if i % 3 == 0 { 'é' } else { 'x' }, len));
            big.push('\n');
        }
        texts.push(big.clone());
        big.push_str("tail");
        texts.push(big);
        for text in &texts {
            let mut b = Buffer::new(BufferId(1), &OptionStore::global_defaults());
            b.text = Rope::from_str(text);
            let want: Vec<&str> = text.split('\n').collect();
            assert_eq!(b.line_count(), want.len());
            for (row, line) in want.iter().enumerate() {
                assert_eq!(b.line_at(row).as_deref(), Some(*line), "row {row}");
            }
            assert_eq!(b.line_at(want.len()), None);
            assert_eq!(b.line_cow(want.len() + 5), "");
        }
    }

    fn buf(text: &str) -> Buffer {
        let mut b = Buffer::new(BufferId(1), &OptionStore::global_defaults());
        b.text = Rope::from_str(text);
        b
    }

    fn replace(text: &str, first: usize, last: usize, lines: &[&str]) -> String {
        let mut b = buf(text);
        let lines: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        let cs = b.lines_change(first, last, &lines).unwrap();
        b.apply(cs, 0).unwrap();
        b.text.to_string()
    }

    #[test]
    fn line_replacement_at_every_edge() {
        assert_eq!(replace("a\nb\nc", 0, 1, &[]), "b\nc");
        assert_eq!(replace("a\nb\nc", 1, 2, &[]), "a\nc");
        assert_eq!(replace("a\nb\nc", 2, 3, &[]), "a\nb");
        assert_eq!(replace("a\nb\nc", 0, 3, &[]), "");
        assert_eq!(replace("a\nb\nc", 0, 0, &["x"]), "x\na\nb\nc");
        assert_eq!(replace("a\nb\nc", 3, 3, &["x"]), "a\nb\nc\nx");
        assert_eq!(replace("a\nb\nc", 1, 2, &["x", "y"]), "a\nx\ny\nc");
        assert_eq!(replace("a\nb\nc", 2, 3, &["x"]), "a\nb\nx");
        assert_eq!(replace("", 0, 1, &[]), "");
        assert_eq!(replace("", 1, 1, &["x"]), "\nx");
    }

    #[test]
    fn undo_group_and_modified() {
        let mut b = buf("one\ntwo");
        assert!(!b.is_modified());
        let cs = b.lines_change(0, 1, &[]).unwrap();
        b.apply(cs, 0).unwrap();
        let cs = b.lines_change(0, 1, &["x".into()]).unwrap();
        b.apply(cs, 0).unwrap();
        assert!(b.is_modified());
        b.commit_undo();
        assert_eq!(b.text.to_string(), "x");
        let step = b.undo.undo().unwrap();
        b.apply_undo_steps(vec![step]).unwrap();
        assert_eq!(b.text.to_string(), "one\ntwo");
        assert!(!b.is_modified());
    }

    #[test]
    fn marks_follow_edits_and_die_with_their_line() {
        let mut b = buf("a\nb\nc");
        b.set_mark('x', b.line_start(2));
        b.set_mark('y', b.line_start(1));
        let cs = b.lines_change(1, 2, &[]).unwrap();
        b.apply(cs, 0).unwrap();
        assert_eq!(b.mark('x'), Some(b.line_start(1)));
        assert_eq!(b.mark('y'), None);
    }

    #[test]
    fn marks_keep_their_column_when_text_is_typed_before_them() {
        // Neovim 0.11.4: `ma` at column 4, `0ixyz<Esc>`, then `a jumps to column 4 again.
        let mut b = buf("one two three\nx");
        b.set_mark('a', 4);
        b.apply(ChangeSet::from_edits(15, [Edit { start: 0, end: 0, text: "xyz".into() }]).unwrap(), 0).unwrap();
        assert_eq!(b.mark('a'), Some(4));
        // A line opened above moves the mark down with its line (`O`).
        let len = b.text.len_chars();
        b.apply(ChangeSet::from_edits(len, [Edit { start: 0, end: 0, text: "new\n".into() }]).unwrap(), 0).unwrap();
        assert_eq!(b.mark('a'), Some(4 + 4));
    }

    #[test]
    fn line_cow_matches_line_across_chunks() {
        let text: String = (0..3000).map(|i| format!("line {i} é 日本\n")).collect();
        let b = buf(&text);
        for row in 0..b.line_count() {
            assert_eq!(b.line_cow(row), b.line(row), "row {row}");
        }
    }
}
