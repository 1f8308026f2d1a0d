//! placeholder
pub mod anchor;
pub mod changeset;
pub mod undo;
