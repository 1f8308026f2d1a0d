//! placeholder

pub mod pattern;
pub mod search;
pub mod substitute;
