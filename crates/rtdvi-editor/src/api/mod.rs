//! The API table: every editor operation a plugin may perform, defined once (DESIGN.md promise 2).
//!
//! Each [`ApiEntry`] has a name (Neovim's where Neovim has the operation), typed parameters, a result
//! and an error. Values are [`rmpv::Value`] (msgpack, what Neovim's RPC speaks), so the raw WASM
//! imports, the generic `rtdvi_call` import, the Lua bridge and a future RPC server all reach the
//! same functions through [`call`].
//!
//! Semantics follow Neovim's `:help api`: rows are 0-based and columns are byte offsets, except
//! cursor rows which are 1-based; line ranges are end-exclusive and negative indices count from
//! the end (`-1` is one past the last line). Buffer and window id `0` mean the current one.
//! Buffer and window handles are returned as plain integers (Neovim's RPC uses ext types; plain
//! integers are accepted by every Neovim client too, and ext types are accepted here).
//!
//! Writes take effect at once, so a later read in the same call sees them; making a whole plugin
//! call atomic (rolling back on a trap) is the plugin host's job, done with
//! [`crate::editor::Editor`] checkpoints.

mod args;
mod autocmd;
mod buffer;
mod command;
mod eval;
mod exec;
mod extmark;
mod filetype;
mod float;
mod global;
mod highlight;
mod input;
mod json;
mod keymap;
mod tabpage;
mod variable;
mod window;

pub use args::{callback_arg, callback_id, Args, CALLBACK_EXT};
pub use eval::{from_msgpack, to_msgpack};
pub use json::{json_to_value, value_to_json};

use std::sync::OnceLock;

use crate::editor::Editor;
use rmpv::Value;

/// The version of the API table; bumped when an entry is added or changes.
pub const API_LEVEL: i64 = 3;

/// Errors of API calls, with Neovim's message text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// No function of that name.
    #[error("Invalid method: {0}")]
    InvalidMethod(String),
    /// Wrong number of arguments.
    #[error("Wrong number of arguments: expecting {expected} but got {got}")]
    ArgCount {
        /// How many the function takes.
        expected: usize,
        /// How many were given.
        got: usize,
    },
    /// An argument of the wrong msgpack type.
    #[error("Wrong type for argument {index} when calling {method}, expecting {expected}")]
    ArgType {
        /// 1-based argument position.
        index: usize,
        /// The function called.
        method: &'static str,
        /// The expected type's name.
        expected: &'static str,
    },
    /// A buffer id that names no buffer.
    #[error("Invalid buffer id: {0}")]
    InvalidBuffer(i64),
    /// A window id that names no window.
    #[error("Invalid window id: {0}")]
    InvalidWindow(i64),
    /// A tab page id that names no tab page.
    #[error("Invalid tabpage id: {0}")]
    InvalidTabpage(i64),
    /// An index outside the buffer (strict indexing).
    #[error("Index out of bounds")]
    IndexOutOfBounds,
    /// Anything else, with Neovim's or Vim's text.
    #[error("{0}")]
    Msg(String),
}

/// The implementation of one entry.
pub type ApiFn = fn(&mut Editor, &mut Args<'_>) -> Result<Value, ApiError>;

/// One operation of the API table.
pub struct ApiEntry {
    /// The method name (`nvim_buf_get_lines`).
    pub name: &'static str,
    /// Parameter names and types, for documentation and version queries (`buffer: Buffer`).
    pub params: &'static [(&'static str, &'static str)],
    /// The result type.
    pub returns: &'static str,
    /// The implementation.
    pub func: ApiFn,
}

/// Every entry, sorted by name (each module lists its own entries in `ENTRIES`).
pub fn table() -> &'static [&'static ApiEntry] {
    static TABLE: OnceLock<Vec<&'static ApiEntry>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut all: Vec<&'static ApiEntry> = [
            autocmd::ENTRIES,
            buffer::ENTRIES,
            command::ENTRIES,
            eval::ENTRIES,
            exec::ENTRIES,
            extmark::ENTRIES,
            filetype::ENTRIES,
            float::ENTRIES,
            global::ENTRIES,
            highlight::ENTRIES,
            input::ENTRIES,
            keymap::ENTRIES,
            tabpage::ENTRIES,
            variable::ENTRIES,
            window::ENTRIES,
        ]
        .into_iter()
        .flatten()
        .collect();
        all.sort_by_key(|e| e.name);
        all
    })
}

/// Finds an entry by name.
pub fn lookup(name: &str) -> Option<&'static ApiEntry> {
    let table = table();
    table.binary_search_by(|e| e.name.cmp(name)).ok().and_then(|i| table.get(i).copied())
}

/// Calls `name` with `args`, checking the argument count first (optional trailing `opts`
/// dictionaries may be left out).
pub fn call(editor: &mut Editor, name: &str, args: &[Value]) -> Result<Value, ApiError> {
    let entry = lookup(name).ok_or_else(|| ApiError::InvalidMethod(name.to_string()))?;
    let expected = entry.params.len();
    let optional = entry.params.iter().rev().take_while(|(_, ty)| *ty == "Dictionary?").count();
    if args.len() > expected || args.len() + optional < expected {
        return Err(ApiError::ArgCount { expected, got: args.len() });
    }
    let mut a = Args::new(entry.name, args);
    (entry.func)(editor, &mut a)
}

#[cfg(test)]
mod tests;
