//! placeholder

pub mod pattern;
pub mod search;
