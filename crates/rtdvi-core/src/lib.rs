//! placeholder
pub mod changeset;
