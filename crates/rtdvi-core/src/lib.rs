//! placeholder
pub mod changeset;
pub mod undo;
