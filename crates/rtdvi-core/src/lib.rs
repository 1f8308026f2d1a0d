//! The pure text model of rtdvi: no I/O, no terminal, no clock.
//!
//! Text lives in a [`ropey::Rope`] holding the lines of a buffer joined by
//! "\n" with no trailing newline (an empty buffer is "" and has one line, so
//! `rope.len_lines()` is Vim's line count; line endings and BOM are kept
//! outside the rope by the file codecs). Only "\n" ends a line: ropey is
//! built without its Unicode/CR line breaks. Positions are char offsets.
//!
//! - [`changeset`]: edits of a whole text that apply, invert, compose and map positions.
//! - [`undo`]: Vim's undo tree over changesets.
//! - [`anchor`]: positions and ranges that move with edits (marks, extmarks).
//! - [`position`]: char offset, (row, char col), (row, byte col) and display columns.

pub mod anchor;
pub mod changeset;
pub mod codec;
pub mod pattern;
pub mod position;
pub mod search;
pub mod substitute;
pub mod undo;

pub use anchor::{AnchorId, AnchorSet};
pub use changeset::{Assoc, ChangeError, ChangeSet, Edit, Operation, PosMapper};
pub use undo::{CursorTarget, UndoError, UndoStep, UndoTree};

/// The rope type of the text model (re-exported so callers name one version).
pub use ropey::{Rope, RopeBuilder, RopeSlice};
