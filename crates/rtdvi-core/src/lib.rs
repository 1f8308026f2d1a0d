//! placeholder

pub mod pattern;
