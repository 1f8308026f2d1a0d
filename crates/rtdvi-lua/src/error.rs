//! Errors of the Lua runtime.

use crate::value::LuaValue;
use thiserror::Error;

/// Which kind of Lua error was raised (Lua's status codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LuaErrorKind {
    /// A runtime error (`error()`, a failed operation...).
    Runtime,
    /// The chunk did not compile (or was a binary chunk).
    Syntax,
    /// Lua ran out of memory within the plugin's memory limit.
    Memory,
    /// An error while handling an error.
    Handler,
}

/// An error from running Lua code.
#[derive(Debug, Error)]
pub enum LuaError {
    /// Lua raised an error; the runtime stays usable.
    #[error("{message}")]
    Lua {
        /// Kind of error (Lua's status).
        kind: LuaErrorKind,
        /// Lua's message, e.g. `[string "x"]:1: boom`.
        message: String,
        /// `stack traceback:` text (empty for syntax and memory errors).
        traceback: String,
        /// The error object itself (tables stay tables).
        value: Box<LuaValue>,
    },
    /// The call ran past its deadline (or its fuel); the instance is discarded.
    #[error("Lua plugin exceeded its time limit")]
    Deadline,
    /// The guest trapped for another reason; the instance is discarded.
    #[error("Lua plugin crashed: {0}")]
    Trap(String),
    /// The instance was discarded by an earlier deadline or trap.
    #[error("Lua plugin was stopped after an earlier fatal error")]
    Discarded,
    /// The engine or the guest module could not be set up.
    #[error("cannot start Lua: {0}")]
    Setup(String),
    /// The guest returned data the host cannot read.
    #[error("{0}")]
    Protocol(String),
}

impl LuaError {
    /// The traceback of a Lua error, if there is one.
    pub fn traceback(&self) -> Option<&str> {
        match self {
            LuaError::Lua { traceback, .. } if !traceback.is_empty() => Some(traceback),
            _ => None,
        }
    }

    /// True when the runtime had to discard its instance.
    pub fn is_fatal(&self) -> bool {
        !matches!(self, LuaError::Lua { .. } | LuaError::Protocol(_))
    }
}
