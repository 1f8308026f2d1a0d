//! Changesets: a description of one edit of a whole text, as a sequence of
//! retain / delete / insert operations over char offsets.
//!
//! A [`ChangeSet`] is built for a text of a known length (`len`). Its explicit
//! operations describe a prefix of that text; whatever follows them is kept
//! unchanged (an implicit trailing retain). That makes [`ChangeSet::new`] the
//! identity and keeps the stored form canonical:
//! - adjacent operations of the same kind are merged,
//! - an insertion and a deletion at the same spot are stored insert first,
//! - no empty operation and no trailing retain is ever stored.
//!
//! Two changesets that do the same thing therefore compare equal.
//!
//! Applying a changeset picks one of two strategies (see [`ChangeSet::apply`]):
//! edits in place for a few changes, or one streaming rebuild of the rope when
//! a changeset holds very many edits (a `:%s` over a million lines).

use std::borrow::Cow;

use ropey::str_utils::{byte_to_char_idx, char_to_byte_idx};
use ropey::{Rope, RopeBuilder};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Below this many edits a changeset is applied edit by edit.
const STREAMING_MIN_EDITS: usize = 64;
/// Measured (`benches/changeset.rs`): an edit in place costs about 1-2 µs, a
/// rebuild about 0.6 ns per char plus 0.1 µs per edit, so rebuilding wins
/// when there is an edit every ~1,500 chars or more; this errs toward in place.
const STREAMING_CHARS_PER_EDIT: usize = 1024;

/// One step of a changeset, counted in chars of the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Operation {
    /// Keep this many chars.
    Retain(usize),
    /// Remove this many chars.
    Delete(usize),
    /// Insert this text.
    Insert(String),
}

/// Which side of an insertion at exactly its position a mapped position sticks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Assoc {
    /// Stay before text inserted at the position.
    Before,
    /// Move after text inserted at the position.
    After,
}

/// Replace the chars `start..end` of the old text by `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    /// First replaced char (old text).
    pub start: usize,
    /// One past the last replaced char (old text).
    pub end: usize,
    /// Replacement text.
    pub text: String,
}

/// Why a changeset could not be built, applied or composed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChangeError {
    /// The text (or the other changeset) has a different length than expected.
    #[error("changeset expects a text of {expected} characters, got {actual}")]
    LengthMismatch {
        /// Length the changeset was built for.
        expected: usize,
        /// Length it was given.
        actual: usize,
    },
    /// An edit ends before it starts.
    #[error("edit {start}..{end} ends before it starts")]
    ReversedEdit {
        /// Start of the edit.
        start: usize,
        /// End of the edit.
        end: usize,
    },
    /// An edit reaches past the end of the text.
    #[error("edit {start}..{end} is outside the text of {len} characters")]
    EditOutOfBounds {
        /// Start of the edit.
        start: usize,
        /// End of the edit.
        end: usize,
        /// Length of the text.
        len: usize,
    },
    /// An edit starts before the previous one ends.
    #[error("edit {start}..{end} overlaps or precedes the previous edit ending at {previous_end}")]
    UnsortedEdits {
        /// Start of the edit.
        start: usize,
        /// End of the edit.
        end: usize,
        /// End of the previous edit.
        previous_end: usize,
    },
    /// A deserialized changeset does not describe a valid change.
    #[error("invalid changeset: {0}")]
    Invalid(String),
}

/// An edit of a whole text: canonical operations plus an implicit trailing retain.
#[derive(Debug, Clone)]
#[allow(
    clippy::len_without_is_empty,
    reason = "`len` is the length of the text it applies to; emptiness would be ambiguous with `is_identity`"
)]
pub struct ChangeSet {
    /// Canonical operations; never ends with a retain.
    ops: Vec<Operation>,
    /// Length of the text this applies to.
    len: usize,
    /// Chars of the old text consumed by `ops`.
    consumed: usize,
    /// Chars of the new text produced by `ops`.
    produced: usize,
    /// A retain requested by the builder but not stored yet (it may stay trailing).
    pending: usize,
    /// Number of insert/delete groups, i.e. `edits().len()`.
    edit_count: usize,
}

impl PartialEq for ChangeSet {
    fn eq(&self, other: &Self) -> bool {
        // `pending` is only the builder's cursor: it changes nothing.
        self.len == other.len && self.ops == other.ops
    }
}

impl Eq for ChangeSet {}

/// One operation seen while walking a changeset, trailing retain included.
#[derive(Clone, Copy)]
enum Piece<'a> {
    Retain(usize),
    Delete(usize),
    /// Text and its length in chars.
    Insert(&'a str, usize),
}

/// Walks the operations of a changeset followed by its implicit trailing retain.
struct Pieces<'a> {
    ops: std::slice::Iter<'a, Operation>,
    tail: usize,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        match self.ops.next() {
            Some(Operation::Retain(n)) => Some(Piece::Retain(*n)),
            Some(Operation::Delete(n)) => Some(Piece::Delete(*n)),
            Some(Operation::Insert(s)) => Some(Piece::Insert(s, char_count(s))),
            None if self.tail > 0 => {
                let tail = std::mem::take(&mut self.tail);
                Some(Piece::Retain(tail))
            }
            None => None,
        }
    }
}

/// Number of chars in `s` (SIMD-accelerated in ropey).
pub(crate) fn char_count(s: &str) -> usize {
    byte_to_char_idx(s, s.len())
}

impl ChangeSet {
    /// The identity change of a text of `len_before` chars.
    pub fn new(len_before: usize) -> Self {
        ChangeSet { ops: Vec::new(), len: len_before, consumed: 0, produced: 0, pending: 0, edit_count: 0 }
    }

    /// Keep the next `n` chars. Building past `len()` extends the expected length.
    pub fn retain(&mut self, n: usize) -> &mut Self {
        // Saturating: a builder must never panic, even on absurd counts.
        self.pending = self.pending.saturating_add(n);
        self.len = self.len.max(self.consumed.saturating_add(self.pending));
        self
    }

    /// Remove the next `n` chars. Building past `len()` extends the expected length.
    pub fn delete(&mut self, n: usize) -> &mut Self {
        if n == 0 {
            return self;
        }
        self.flush_retain();
        self.consumed = self.consumed.saturating_add(n);
        self.len = self.len.max(self.consumed);
        match self.ops.last_mut() {
            Some(Operation::Delete(m)) => *m = m.saturating_add(n),
            Some(Operation::Insert(_)) => self.ops.push(Operation::Delete(n)),
            _ => {
                self.edit_count += 1;
                self.ops.push(Operation::Delete(n));
            }
        }
        self
    }

    /// Insert `text` at the current position.
    pub fn insert(&mut self, text: &str) -> &mut Self {
        self.insert_text(Cow::Borrowed(text))
    }

    /// `insert`, moving an owned string into the changeset when it starts a new insertion.
    fn insert_text(&mut self, text: Cow<'_, str>) -> &mut Self {
        if text.is_empty() {
            return self;
        }
        self.flush_retain();
        self.produced = self.produced.saturating_add(char_count(&text));
        let n = self.ops.len();
        match self.ops.as_mut_slice() {
            [.., Operation::Insert(s)] | [.., Operation::Insert(s), Operation::Delete(_)] => s.push_str(&text),
            [.., Operation::Delete(_)] => {
                // Canonical order: the insertion goes before a deletion at the same spot.
                self.ops.insert(n - 1, Operation::Insert(text.into_owned()));
            }
            _ => {
                self.edit_count += 1;
                self.ops.push(Operation::Insert(text.into_owned()));
            }
        }
        self
    }

    fn flush_retain(&mut self) {
        if self.pending > 0 {
            let n = std::mem::take(&mut self.pending);
            self.consumed = self.consumed.saturating_add(n);
            self.produced = self.produced.saturating_add(n);
            self.ops.push(Operation::Retain(n));
        }
    }

    /// Length of the text before the change, in chars.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Length of the text after the change, in chars.
    pub fn len_after(&self) -> usize {
        self.produced + (self.len - self.consumed)
    }

    /// True if the change leaves every text unchanged.
    pub fn is_identity(&self) -> bool {
        self.ops.is_empty()
    }

    /// The canonical operations; the rest of the text after them is retained.
    pub fn ops(&self) -> &[Operation] {
        &self.ops
    }

    /// Number of separate edits (what `edits().len()` returns), in O(1).
    pub fn edit_count(&self) -> usize {
        self.edit_count
    }

    fn pieces(&self) -> Pieces<'_> {
        Pieces { ops: self.ops.iter(), tail: self.len - self.consumed }
    }

    /// Build a changeset from sorted, non-overlapping edits of a text of `len_before` chars.
    ///
    /// Edits may touch (`end == next.start`); several insertions at one spot
    /// are inserted in the given order.
    pub fn from_edits(len_before: usize, edits: impl IntoIterator<Item = Edit>) -> Result<Self, ChangeError> {
        let mut cs = ChangeSet::new(len_before);
        let mut last = 0;
        for Edit { start, end, text } in edits {
            if start > end {
                return Err(ChangeError::ReversedEdit { start, end });
            }
            if end > len_before {
                return Err(ChangeError::EditOutOfBounds { start, end, len: len_before });
            }
            if start < last {
                return Err(ChangeError::UnsortedEdits { start, end, previous_end: last });
            }
            cs.retain(start - last).insert_text(Cow::Owned(text)).delete(end - start);
            last = end;
        }
        Ok(cs)
    }

    /// The change as sorted, non-overlapping edits in old-text offsets.
    pub fn edits(&self) -> Vec<Edit> {
        let mut out = Vec::with_capacity(self.edit_count);
        let mut pos = 0;
        let mut cur: Option<Edit> = None;
        for op in &self.ops {
            match op {
                Operation::Retain(n) => {
                    out.extend(cur.take());
                    pos += n;
                }
                Operation::Delete(n) => {
                    let e = cur.get_or_insert_with(|| Edit { start: pos, end: pos, text: String::new() });
                    e.end += n;
                    pos += n;
                }
                Operation::Insert(s) => {
                    let e = cur.get_or_insert_with(|| Edit { start: pos, end: pos, text: String::new() });
                    e.text.push_str(s);
                }
            }
        }
        out.extend(cur);
        out
    }

    /// Apply the change to `rope`, which must have `len()` chars.
    ///
    /// Few edits are applied in place (O(edits · log n)); a changeset with
    /// very many edits relative to the text size rebuilds the rope in one
    /// streaming pass (O(n + edits)) instead. On error the rope is untouched.
    pub fn apply(&self, rope: &mut Rope) -> Result<(), ChangeError> {
        if self.prefers_streaming() {
            *rope = self.apply_streaming(rope)?;
            Ok(())
        } else {
            self.apply_in_place(rope)
        }
    }

    /// The strategy `apply` chooses for this changeset.
    fn prefers_streaming(&self) -> bool {
        self.edit_count >= STREAMING_MIN_EDITS && self.edit_count.saturating_mul(STREAMING_CHARS_PER_EDIT) >= self.len
    }

    fn check_len(&self, rope: &Rope) -> Result<(), ChangeError> {
        let actual = rope.len_chars();
        if actual == self.len {
            Ok(())
        } else {
            Err(ChangeError::LengthMismatch { expected: self.len, actual })
        }
    }

    /// Apply edit by edit, whatever the size (for benchmarks; `apply` chooses).
    pub fn apply_in_place(&self, rope: &mut Rope) -> Result<(), ChangeError> {
        self.check_len(rope)?;
        let mut pos = 0;
        for op in &self.ops {
            match op {
                Operation::Retain(n) => pos += n,
                Operation::Delete(n) => {
                    rope.try_remove(pos..pos + n).map_err(|e| ChangeError::Invalid(e.to_string()))?
                }
                Operation::Insert(s) => {
                    rope.try_insert(pos, s).map_err(|e| ChangeError::Invalid(e.to_string()))?;
                    pos += char_count(s);
                }
            }
        }
        Ok(())
    }

    /// Build the new text in one streaming pass over `rope`, whatever the
    /// size (for benchmarks; `apply` chooses).
    pub fn apply_streaming(&self, rope: &Rope) -> Result<Rope, ChangeError> {
        self.check_len(rope)?;
        let mut out = RopeBuilder::new();
        let mut reader = ChunkReader::new(rope);
        for piece in self.pieces() {
            match piece {
                Piece::Retain(n) => reader.copy(n, |s| out.append(s)),
                Piece::Delete(n) => reader.skip(n),
                Piece::Insert(s, _) => out.append(s),
            }
        }
        Ok(out.finish())
    }

    /// The change that undoes this one; `original` is the text before this change.
    ///
    /// If `original` does not have `len()` chars it cannot be the text this
    /// change applies to; the result is then the identity of `len_after()`
    /// chars rather than a wrong inverse.
    pub fn invert(&self, original: &Rope) -> ChangeSet {
        if original.len_chars() != self.len {
            return ChangeSet::new(self.len_after());
        }
        let mut out = ChangeSet::new(self.len_after());
        let mut reader = ChunkReader::new(original);
        for op in &self.ops {
            match op {
                Operation::Retain(n) => {
                    out.retain(*n);
                    reader.skip(*n);
                }
                Operation::Delete(n) => reader.copy(*n, |s| {
                    out.insert(s);
                }),
                Operation::Insert(s) => {
                    out.delete(char_count(s));
                }
            }
        }
        out
    }

    /// One changeset doing `self` then `next`; `next` must apply to the text `self` produces.
    pub fn compose(self, next: ChangeSet) -> Result<ChangeSet, ChangeError> {
        if self.len_after() != next.len {
            return Err(ChangeError::LengthMismatch { expected: next.len, actual: self.len_after() });
        }
        let mut out = ChangeSet::new(self.len);
        let mut first = self.pieces();
        let mut second = next.pieces();
        let mut a = first.next();
        let mut b = second.next();
        loop {
            match (a, b) {
                (None, None) => break,
                (Some(Piece::Delete(n)), _) => {
                    out.delete(n);
                    a = first.next();
                }
                (_, Some(Piece::Insert(s, _))) => {
                    out.insert(s);
                    b = second.next();
                }
                (None, _) | (_, None) => {
                    // Lengths were checked, so both sides end together.
                    return Err(ChangeError::Invalid("changesets of inconsistent lengths".to_owned()));
                }
                (Some(Piece::Retain(i)), Some(Piece::Retain(j))) => {
                    let m = i.min(j);
                    out.retain(m);
                    a = rest(Piece::Retain(i - m), &mut first);
                    b = rest(Piece::Retain(j - m), &mut second);
                }
                (Some(Piece::Retain(i)), Some(Piece::Delete(j))) => {
                    let m = i.min(j);
                    out.delete(m);
                    a = rest(Piece::Retain(i - m), &mut first);
                    b = rest(Piece::Delete(j - m), &mut second);
                }
                (Some(Piece::Insert(s, n)), Some(Piece::Retain(j))) => {
                    let m = n.min(j);
                    let split = char_to_byte_idx(s, m);
                    out.insert(&s[..split]);
                    a = rest(Piece::Insert(&s[split..], n - m), &mut first);
                    b = rest(Piece::Retain(j - m), &mut second);
                }
                (Some(Piece::Insert(s, n)), Some(Piece::Delete(j))) => {
                    // Text inserted by `self` and deleted by `next` vanishes.
                    let m = n.min(j);
                    let split = char_to_byte_idx(s, m);
                    a = rest(Piece::Insert(&s[split..], n - m), &mut first);
                    b = rest(Piece::Delete(j - m), &mut second);
                }
            }
        }
        Ok(out)
    }

    /// Where old position `pos` is after the change (clamped to the text).
    ///
    /// A position inside deleted text moves to where the deletion was (after
    /// any replacement text); `assoc` decides on which side of text inserted
    /// exactly at `pos` it lands.
    pub fn map_pos(&self, pos: usize, assoc: Assoc) -> usize {
        let pos = pos.min(self.len);
        let mut old = 0;
        let mut new = 0;
        for op in &self.ops {
            match op {
                Operation::Retain(n) => {
                    if pos < old + n {
                        return new + (pos - old);
                    }
                    old += n;
                    new += n;
                }
                Operation::Delete(n) => {
                    if pos < old + n {
                        return new;
                    }
                    old += n;
                }
                Operation::Insert(s) => {
                    if pos == old && assoc == Assoc::Before {
                        return new;
                    }
                    new += char_count(s);
                }
            }
        }
        new + (pos - old)
    }

    /// A mapper answering `map_pos` in O(log edits) per position, for mapping many positions.
    pub fn mapper(&self) -> PosMapper {
        let mut spans = Vec::with_capacity(self.edit_count);
        let mut old = 0;
        let mut new = 0;
        let mut cur: Option<EditSpan> = None;
        for piece in self.pieces() {
            match piece {
                Piece::Retain(n) => {
                    spans.extend(cur.take());
                    old += n;
                    new += n;
                }
                Piece::Delete(n) => {
                    let span = cur.get_or_insert(EditSpan::at(old, new));
                    span.old_end += n;
                    old += n;
                }
                Piece::Insert(_, n) => {
                    let span = cur.get_or_insert(EditSpan::at(old, new));
                    span.inserted += n;
                    new += n;
                }
            }
        }
        spans.extend(cur);
        PosMapper { spans, len: self.len }
    }

    /// The first contiguous edit alone, as [`ChangeSet::changed_range`] gives the hull of all:
    /// `(start, old_end, new_end)`. An undo step made of several commands is several such edits;
    /// Vim places the cursor after undo by the topmost one.
    pub fn first_changed_range(&self) -> Option<(usize, usize, usize)> {
        self.hull(true)
    }

    /// Hull of all changes: (start, old end, new end), or `None` for the identity.
    pub fn changed_range(&self) -> Option<(usize, usize, usize)> {
        self.hull(false)
    }

    /// `(start, old end, new end)` of the changes, up to the first retain after one when
    /// `first_only`.
    fn hull(&self, first_only: bool) -> Option<(usize, usize, usize)> {
        let mut old = 0;
        let mut new = 0;
        let mut hull: Option<(usize, usize, usize)> = None;
        for op in &self.ops {
            match op {
                Operation::Retain(n) => {
                    if first_only && hull.is_some() {
                        break;
                    }
                    old += n;
                    new += n;
                }
                Operation::Delete(n) => {
                    // Only retains precede the first change, so old == new there.
                    let (start, _, _) = *hull.get_or_insert((old, old, new));
                    old += n;
                    hull = Some((start, old, new));
                }
                Operation::Insert(s) => {
                    let (start, _, _) = *hull.get_or_insert((old, old, new));
                    new += char_count(s);
                    hull = Some((start, old, new));
                }
            }
        }
        hull
    }
}

/// The remainder of a partly used piece, or the next piece when it is used up.
fn rest<'a>(piece: Piece<'a>, iter: &mut Pieces<'a>) -> Option<Piece<'a>> {
    match piece {
        Piece::Retain(0) | Piece::Delete(0) | Piece::Insert(_, 0) => iter.next(),
        other => Some(other),
    }
}

/// Skips longer than this re-seek the rope (O(log n)) instead of walking chunks.
const SEEK_MIN_CHARS: usize = 16 * 1024;

/// Reader of a rope's text from front to back, one char run at a time.
struct ChunkReader<'a> {
    rope: &'a Rope,
    chunks: ropey::iter::Chunks<'a>,
    /// Unread rest of the current chunk.
    cur: &'a str,
    cur_chars: usize,
    /// Char offset of the start of `cur`.
    pos: usize,
}

impl<'a> ChunkReader<'a> {
    fn new(rope: &'a Rope) -> Self {
        ChunkReader { rope, chunks: rope.chunks(), cur: "", cur_chars: 0, pos: 0 }
    }

    /// Hand the next `n` chars to `sink`, in pieces.
    fn copy(&mut self, mut n: usize, mut sink: impl FnMut(&'a str)) {
        while n > 0 {
            if self.cur_chars == 0 && !self.next_chunk() {
                return;
            }
            let m = n.min(self.cur_chars);
            sink(self.advance(m));
            n -= m;
        }
    }

    /// Skip the next `n` chars.
    fn skip(&mut self, mut n: usize) {
        if n > self.cur_chars + SEEK_MIN_CHARS {
            self.seek(self.pos + n);
            return;
        }
        while n > 0 {
            if self.cur_chars == 0 && !self.next_chunk() {
                return;
            }
            let m = n.min(self.cur_chars);
            self.advance(m);
            n -= m;
        }
    }

    /// Continue reading at char offset `target`.
    fn seek(&mut self, target: usize) {
        self.cur = "";
        self.cur_chars = 0;
        self.pos = target;
        if let Some((chunks, _, chunk_start, _)) = self.rope.get_chunks_at_char(target) {
            self.chunks = chunks;
            self.pos = chunk_start;
            if self.next_chunk() {
                self.advance(target - chunk_start);
            }
        }
    }

    fn next_chunk(&mut self) -> bool {
        match self.chunks.next() {
            Some(chunk) => {
                self.cur = chunk;
                self.cur_chars = char_count(chunk);
                true
            }
            None => false,
        }
    }

    /// Consume `m <= cur_chars` chars of the current chunk.
    fn advance(&mut self, m: usize) -> &'a str {
        let m = m.min(self.cur_chars);
        let split = if m == self.cur_chars { self.cur.len() } else { char_to_byte_idx(self.cur, m) };
        let (taken, rest) = self.cur.split_at(split);
        self.cur = rest;
        self.cur_chars -= m;
        self.pos += m;
        taken
    }
}

/// One insert/delete group in old and new coordinates.
#[derive(Debug, Clone, Copy)]
struct EditSpan {
    old_start: usize,
    old_end: usize,
    new_start: usize,
    inserted: usize,
}

impl EditSpan {
    fn at(old: usize, new: usize) -> Self {
        EditSpan { old_start: old, old_end: old, new_start: new, inserted: 0 }
    }
}

/// Precomputed position mapping of one changeset (see [`ChangeSet::mapper`]).
#[derive(Debug, Clone)]
pub struct PosMapper {
    /// Edit groups sorted by old offsets; separated by retained text.
    spans: Vec<EditSpan>,
    len: usize,
}

impl PosMapper {
    /// Same result as [`ChangeSet::map_pos`].
    pub fn map(&self, pos: usize, assoc: Assoc) -> usize {
        let pos = pos.min(self.len);
        // The first edit group that ends at or after `pos` is the only one that can hold it.
        let i = self.spans.partition_point(|s| s.old_end < pos);
        match self.spans.get(i) {
            Some(s) if s.old_start <= pos => {
                let before_insert = pos == s.old_start && (assoc == Assoc::Before);
                if before_insert {
                    s.new_start
                } else {
                    s.new_start + s.inserted
                }
            }
            _ => self.shifted(i, pos),
        }
    }

    /// `pos` in retained text, after the first `i` edit groups.
    fn shifted(&self, i: usize, pos: usize) -> usize {
        match i.checked_sub(1).and_then(|j| self.spans.get(j)) {
            Some(s) => s.new_start + s.inserted + (pos - s.old_end),
            None => pos,
        }
    }

    /// True if every char of the old range `start..end` was deleted (for an
    /// empty range: the char at `start`). Positions at or past the end of the
    /// text are never deleted.
    pub fn deleted(&self, start: usize, end: usize) -> bool {
        // Offsets past the text are clamped, like `map`.
        let start = start.min(self.len);
        let end = end.min(self.len).max(start.saturating_add(1));
        let i = self.spans.partition_point(|s| s.old_end <= start);
        matches!(self.spans.get(i), Some(s) if s.old_start <= start && end <= s.old_end)
    }
}

/// Wire form of a changeset, validated on the way in.
#[derive(Serialize, Deserialize)]
struct ChangeSetWire<O> {
    len: usize,
    ops: O,
}

impl Serialize for ChangeSet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ChangeSetWire { len: self.len, ops: &self.ops }.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ChangeSet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = ChangeSetWire::<Vec<Operation>>::deserialize(deserializer)?;
        ChangeSet::from_ops(wire.len, wire.ops).map_err(serde::de::Error::custom)
    }
}

impl ChangeSet {
    /// Rebuild a canonical changeset from operations covering at most `len`
    /// chars (the rest is retained); for changesets read from outside.
    pub fn from_ops(len: usize, ops: impl IntoIterator<Item = Operation>) -> Result<Self, ChangeError> {
        let mut cs = ChangeSet::new(len);
        let mut covered: usize = 0;
        for op in ops {
            if let Operation::Retain(n) | Operation::Delete(n) = op {
                covered = covered.checked_add(n).filter(|&c| c <= len).ok_or_else(|| {
                    ChangeError::Invalid(format!("operations cover more than the {len} characters of the text"))
                })?;
            }
            match op {
                Operation::Retain(n) => cs.retain(n),
                Operation::Delete(n) => cs.delete(n),
                Operation::Insert(s) => cs.insert_text(Cow::Owned(s)),
            };
        }
        Ok(cs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn edit(start: usize, end: usize, text: &str) -> Edit {
        Edit { start, end, text: text.to_owned() }
    }

    fn applied(cs: &ChangeSet, text: &str) -> String {
        let mut rope = Rope::from_str(text);
        cs.apply(&mut rope).expect("lengths match");
        rope.to_string()
    }

    #[test]
    fn builder_is_canonical() {
        let mut a = ChangeSet::new(10);
        a.retain(2).retain(1).delete(2).insert("xy").insert("z").retain(0);
        let mut b = ChangeSet::new(10);
        b.retain(3).insert("xyz").delete(1).delete(1).retain(5);
        assert_eq!(a, b);
        assert_eq!(a.ops(), &[Operation::Retain(3), Operation::Insert("xyz".into()), Operation::Delete(2)]);
        assert_eq!(a.len(), 10);
        assert_eq!(a.len_after(), 11);
        assert_eq!(a.edit_count(), 1);
    }

    #[test]
    fn identity_and_empty_ops() {
        let mut cs = ChangeSet::new(5);
        cs.retain(5).insert("").delete(0);
        assert!(cs.is_identity());
        assert_eq!(cs, ChangeSet::new(5));
        assert_eq!(cs.changed_range(), None);
        assert_eq!(applied(&cs, "héllo"), "héllo");
    }

    #[test]
    fn building_past_len_extends_it() {
        let mut cs = ChangeSet::new(0);
        cs.retain(2).delete(3);
        assert_eq!(cs.len(), 5);
        assert_eq!(cs.len_after(), 2);
        // Absurd counts saturate instead of overflowing.
        let mut big = ChangeSet::new(0);
        big.retain(usize::MAX).retain(5).delete(usize::MAX).delete(1);
        assert_eq!(big.len(), usize::MAX);
    }

    #[test]
    fn from_edits_and_back() {
        let edits = vec![edit(0, 0, "«"), edit(1, 3, ""), edit(3, 4, "ü"), edit(6, 6, "!")];
        let cs = ChangeSet::from_edits(6, edits).expect("valid edits");
        assert_eq!(applied(&cs, "abcdef"), "«aüef!");
        // Touching edits merge into one group.
        assert_eq!(cs.edits(), vec![edit(0, 0, "«"), edit(1, 4, "ü"), edit(6, 6, "!")]);
        assert_eq!(cs.edit_count(), 3);
    }

    #[test]
    fn from_edits_rejects_bad_input() {
        assert_eq!(ChangeSet::from_edits(3, [edit(2, 1, "")]), Err(ChangeError::ReversedEdit { start: 2, end: 1 }));
        assert_eq!(
            ChangeSet::from_edits(3, [edit(2, 4, "")]),
            Err(ChangeError::EditOutOfBounds { start: 2, end: 4, len: 3 })
        );
        assert_eq!(
            ChangeSet::from_edits(3, [edit(1, 2, ""), edit(0, 1, "")]),
            Err(ChangeError::UnsortedEdits { start: 0, end: 1, previous_end: 2 })
        );
    }

    #[test]
    fn apply_checks_length() {
        let cs = ChangeSet::from_edits(3, [edit(0, 1, "x")]).expect("valid");
        let mut rope = Rope::from_str("abcd");
        assert_eq!(cs.apply(&mut rope), Err(ChangeError::LengthMismatch { expected: 3, actual: 4 }));
        assert_eq!(rope.to_string(), "abcd");
    }

    #[test]
    fn streaming_and_in_place_agree_on_many_edits() {
        let text: String = (0..2000).map(|i| format!("line {i} é\n")).collect();
        let rope = Rope::from_str(&text);
        let mut edits = Vec::new();
        let mut offset = 0;
        for line in rope.lines() {
            let n = line.len_chars();
            if n >= 4 {
                edits.push(edit(offset, offset + 4, "LINE"));
            }
            offset += n;
        }
        let cs = ChangeSet::from_edits(rope.len_chars(), edits).expect("valid");
        assert!(cs.prefers_streaming());
        let streamed = cs.apply_streaming(&rope).expect("lengths match");
        let mut in_place = rope.clone();
        cs.apply_in_place(&mut in_place).expect("lengths match");
        assert_eq!(streamed, in_place);
        assert_eq!(streamed.to_string(), text.replace("line", "LINE"));
    }

    #[test]
    fn long_skips_seek_the_rope() {
        // Texts spanning many chunks, with edits far apart: skips re-seek.
        let text: String = (0..20_000).map(|i| format!("{i} ü漢\n")).collect();
        let rope = Rope::from_str(&text);
        let len = rope.len_chars();
        let edits = [edit(3, 40_000, "A"), edit(60_000, 60_001, ""), edit(len - 2, len, "Ω")];
        let cs = ChangeSet::from_edits(len, edits).expect("valid");
        let streamed = cs.apply_streaming(&rope).expect("lengths match");
        let mut in_place = rope.clone();
        cs.apply_in_place(&mut in_place).expect("lengths match");
        assert_eq!(streamed, in_place);
        let mut back = streamed;
        cs.invert(&rope).apply(&mut back).expect("lengths match");
        assert_eq!(back, rope);
    }

    #[test]
    fn invert_restores() {
        let rope = Rope::from_str("hello wörld");
        let cs = ChangeSet::from_edits(11, [edit(0, 5, "bye"), edit(6, 11, "")]).expect("valid");
        let inv = cs.invert(&rope);
        let mut r = rope.clone();
        cs.apply(&mut r).expect("ok");
        assert_eq!(r.to_string(), "bye ");
        inv.apply(&mut r).expect("ok");
        assert_eq!(r, rope);
        // A mismatched original gives the identity, never a wrong inverse.
        assert!(cs.invert(&Rope::from_str("short")).is_identity());
    }

    #[test]
    fn compose_checks_and_merges() {
        let a = ChangeSet::from_edits(3, [edit(1, 1, "xyz")]).expect("valid");
        let b = ChangeSet::from_edits(6, [edit(2, 5, "Q")]).expect("valid");
        let ab = a.clone().compose(b).expect("lengths fit");
        assert_eq!(applied(&ab, "abc"), "axQc");
        assert_eq!(ab.edits(), vec![edit(1, 2, "xQ")]);
        assert!(matches!(a.compose(ChangeSet::new(3)), Err(ChangeError::LengthMismatch { .. })));
    }

    #[test]
    fn map_pos_assoc_and_deletion() {
        // "abcdef": replace "cd" by "XY", insert "!" at 6.
        let cs = ChangeSet::from_edits(6, [edit(2, 4, "XY"), edit(6, 6, "!")]).expect("valid");
        assert_eq!(cs.map_pos(1, Assoc::Before), 1);
        assert_eq!(cs.map_pos(2, Assoc::Before), 2);
        assert_eq!(cs.map_pos(2, Assoc::After), 4);
        assert_eq!(cs.map_pos(3, Assoc::Before), 4);
        assert_eq!(cs.map_pos(4, Assoc::Before), 4);
        assert_eq!(cs.map_pos(5, Assoc::After), 5);
        assert_eq!(cs.map_pos(6, Assoc::Before), 6);
        assert_eq!(cs.map_pos(6, Assoc::After), 7);
        assert_eq!(cs.map_pos(99, Assoc::After), 7);
        let m = cs.mapper();
        for pos in 0..8 {
            for assoc in [Assoc::Before, Assoc::After] {
                assert_eq!(m.map(pos, assoc), cs.map_pos(pos, assoc), "pos {pos}");
            }
        }
        assert!(m.deleted(2, 4));
        assert!(m.deleted(3, 3));
        assert!(!m.deleted(1, 3));
        assert!(!m.deleted(4, 4));
        assert!(!m.deleted(6, 6));
    }

    #[test]
    fn changed_range_is_the_hull() {
        let cs = ChangeSet::from_edits(10, [edit(2, 3, ""), edit(5, 5, "abc"), edit(7, 9, "z")]).expect("valid");
        assert_eq!(cs.changed_range(), Some((2, 9, 10)));
        let ins = ChangeSet::from_edits(4, [edit(4, 4, "xy")]).expect("valid");
        assert_eq!(ins.changed_range(), Some((4, 4, 6)));
    }

    #[test]
    fn serde_round_trip_and_validation() {
        let cs = ChangeSet::from_edits(6, [edit(1, 2, "é"), edit(4, 6, "")]).expect("valid");
        let json = serde_json::to_string(&cs).expect("serializable");
        let back: ChangeSet = serde_json::from_str(&json).expect("valid json");
        assert_eq!(back, cs);
        // Operations reaching past the declared length are rejected.
        assert!(serde_json::from_str::<ChangeSet>(r#"{"len":2,"ops":[{"Delete":3}]}"#).is_err());
        let huge = format!(r#"{{"len":5,"ops":[{{"Retain":{max}}},{{"Delete":{max}}}]}}"#, max = usize::MAX);
        assert!(serde_json::from_str::<ChangeSet>(&huge).is_err());
    }

    fn text_strategy() -> impl Strategy<Value = String> {
        proptest::collection::vec(prop_oneof!["[a-c]", "\n", "é", "漢", "\u{301}"], 0..40).prop_map(|v| v.concat())
    }

    /// Random valid edits for a text of `len` chars.
    fn changeset_for(len: usize) -> impl Strategy<Value = ChangeSet> {
        proptest::collection::vec((0..=len, 0..=len, text_strategy()), 0..6).prop_map(move |mut raw| {
            let mut bounds: Vec<(usize, usize)> = raw.iter().map(|(a, b, _)| (*a.min(b), *a.max(b))).collect();
            bounds.sort_unstable();
            let mut last = 0;
            let mut edits = Vec::new();
            for ((start, end), (_, _, text)) in bounds.into_iter().zip(raw.drain(..)) {
                let start = start.max(last);
                let end = end.max(start);
                edits.push(Edit { start, end, text });
                last = end;
            }
            ChangeSet::from_edits(len, edits).unwrap_or_else(|_| ChangeSet::new(len))
        })
    }

    fn doc_and_change() -> impl Strategy<Value = (String, ChangeSet)> {
        text_strategy().prop_flat_map(|text| {
            let len = text.chars().count();
            (Just(text), changeset_for(len))
        })
    }

    fn doc_and_two_changes() -> impl Strategy<Value = (String, ChangeSet, ChangeSet)> {
        doc_and_change().prop_flat_map(|(text, a)| {
            let len = a.len_after();
            (Just(text), Just(a), changeset_for(len))
        })
    }

    proptest! {
        #[test]
        fn prop_invert_restores((text, cs) in doc_and_change()) {
            let original = Rope::from_str(&text);
            let inverse = cs.invert(&original);
            let mut rope = original.clone();
            cs.apply(&mut rope).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(rope.len_chars(), cs.len_after());
            inverse.apply(&mut rope).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(rope.to_string(), text);
        }

        #[test]
        fn prop_compose_equals_sequence((text, a, b) in doc_and_two_changes()) {
            let mut seq = Rope::from_str(&text);
            a.apply(&mut seq).map_err(|e| TestCaseError::fail(e.to_string()))?;
            b.apply(&mut seq).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let ab = a.compose(b).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let mut once = Rope::from_str(&text);
            ab.apply(&mut once).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(once.to_string(), seq.to_string());
        }

        #[test]
        fn prop_map_pos_in_bounds_and_mapper_agrees((text, cs) in doc_and_change(), extra in 0usize..5) {
            let len = text.chars().count();
            let m = cs.mapper();
            let mut prev = 0;
            for pos in 0..=len + extra {
                for assoc in [Assoc::Before, Assoc::After] {
                    let mapped = cs.map_pos(pos, assoc);
                    prop_assert!(mapped <= cs.len_after());
                    prop_assert_eq!(m.map(pos, assoc), mapped);
                }
                // Mapping is monotonic.
                let mapped = cs.map_pos(pos, Assoc::Before);
                prop_assert!(mapped >= prev);
                prev = mapped;
            }
        }

        #[test]
        fn prop_edits_round_trip((_text, cs) in doc_and_change()) {
            let back = ChangeSet::from_edits(cs.len(), cs.edits())
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(cs.edits().len(), cs.edit_count());
            prop_assert_eq!(back, cs);
        }

        #[test]
        fn prop_streaming_equals_in_place((text, cs) in doc_and_change()) {
            let rope = Rope::from_str(&text);
            let streamed = cs.apply_streaming(&rope).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let mut in_place = rope.clone();
            cs.apply_in_place(&mut in_place).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(streamed.to_string(), in_place.to_string());
        }
    }
}
