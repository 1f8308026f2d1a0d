//! placeholder
pub mod fileio;
