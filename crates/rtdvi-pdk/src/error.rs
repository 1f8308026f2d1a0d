//! The one error type of the kit.

use std::fmt;

/// Why a host call failed.
///
/// The kit has no dependencies (so no `thiserror`); `Display` gives the text a
/// plugin shows its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The import returned -1: the editor refused an argument (unknown buffer,
    /// window, row, option or name; name already taken).
    Refused(&'static str),
    /// The import returned -2: the host could not read or write the memory
    /// passed, or a string was too long or not UTF-8.
    Memory(&'static str),
    /// An argument does not fit the ABI's i32 (a string over 2 GiB, a row past
    /// `i32::MAX`).
    TooLarge(&'static str),
    /// `rtdvi_call` reached the API, which answered with this error message
    /// (Neovim's text, e.g. `Invalid buffer id: 7`).
    Api(String),
    /// `rtdvi_call` failed before reaching the API (the negative code) or its
    /// reply was not the documented `[error, result]` msgpack array.
    Call(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Refused(import) => write!(f, "{import}: the editor refused the arguments"),
            Error::Memory(import) => write!(f, "{import}: bad pointer, length or UTF-8"),
            Error::TooLarge(import) => write!(f, "{import}: argument too large"),
            Error::Api(msg) => f.write_str(msg),
            Error::Call(msg) => write!(f, "rtdvi_call: {msg}"),
        }
    }
}

impl std::error::Error for Error {}

/// Result of a host call.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Maps an import's i32 return to a count or an [`Error`].
pub(crate) fn check(import: &'static str, code: i32) -> Result<u32> {
    match code {
        -1 => Err(Error::Refused(import)),
        c if c < 0 => Err(Error::Memory(import)),
        c => Ok(c as u32),
    }
}

/// Converts a length, row or position to the ABI's i32.
pub(crate) fn to_i32(import: &'static str, n: usize) -> Result<i32> {
    i32::try_from(n).map_err(|_| Error::TooLarge(import))
}
