//! Errors, traps and the host-error values that cross the guest boundary.
//!
//! Three layers:
//! - [`Error`]: everything the public API can return.
//! - [`Trap`]: why a guest call stopped, with a typed [`TrapKind`].
//! - [`HostError`]: what a host function returns to stop the guest. A
//!   [`HostError::throw`] value unwinds only to the nearest enclosing host
//!   function that re-entered the guest with [`crate::Caller::call`]; that
//!   function sees it as [`CallError::thrown`] and may swallow it (the Lua
//!   try/throw route).

use std::fmt;

use crate::engine::EngineKind;
use crate::value::FuncType;

/// Errors of the public API.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `RTDVI_WASM_RUNTIME` or a config named an engine that does not exist.
    #[error("unknown WebAssembly runtime {0:?} (expected \"wasmtime\" or \"wasmi\")")]
    UnknownEngine(String),
    /// The engine exists but was left out of this build by cargo features.
    #[error("WebAssembly runtime {0} is not compiled into this build")]
    EngineUnavailable(EngineKind),
    /// The bytes are neither a valid binary module nor valid WAT text.
    #[error("invalid WebAssembly module: {0}")]
    InvalidModule(String),
    /// A required export is absent or has another signature.
    #[error("plugin is missing required export {name}: {expected}{}", found.as_ref().map(|f| format!(" (it exports {f})")).unwrap_or_default())]
    MissingExport {
        /// Export name.
        name: String,
        /// The signature the caller requires.
        expected: FuncType,
        /// What the module exports under that name, if anything.
        found: Option<String>,
    },
    /// The instance has no exported function of that name.
    #[error("plugin has no exported function {0}")]
    NoSuchExport(String),
    /// Instantiation could not resolve or type-check an import.
    #[error("cannot link plugin: {0}")]
    Link(String),
    /// A host function was registered twice under one name.
    #[error("host function {0} is defined twice")]
    DuplicateImport(String),
    /// The guest stopped with a trap (also during instantiation).
    #[error("{0}")]
    Trap(#[from] Trap),
    /// The instance trapped earlier and must be re-instantiated.
    #[error("plugin instance is stopped ({0}); it must be instantiated again")]
    Poisoned(String),
    /// Arguments or results do not match the function's signature.
    #[error("{0}")]
    Signature(String),
    /// Guest memory access outside the memory (or no memory exported).
    #[error(transparent)]
    Memory(#[from] MemoryAccessError),
    /// A global is missing, immutable or has another type.
    #[error("{0}")]
    Global(String),
    /// The compiled-module cache failed in a way that is not just a miss.
    #[error("module cache: {0}")]
    Cache(String),
    /// Any other engine error (configuration, resources).
    #[error("WebAssembly engine: {0}")]
    Engine(String),
}

/// Why a guest call stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrapKind {
    /// The per-call CPU deadline passed (wasmtime epoch or wasmi fuel).
    Deadline,
    /// The guest trapped after a `memory.grow` was refused by the memory limit.
    OutOfMemory,
    /// The wasm stack or recursion depth limit was reached.
    StackOverflow,
    /// The guest executed `unreachable`.
    Unreachable,
    /// The guest accessed linear memory out of bounds.
    MemoryOutOfBounds,
    /// The guest called an import the host does not provide (named `module.name`).
    ForbiddenImport(String),
    /// A host function failed; carries the import name (`module.name`).
    Host(String),
    /// The guest called WASI `proc_exit` with this code.
    Exit(i32),
    /// Any other trap (division by zero, bad indirect call...).
    Other,
}

/// A trap: its kind and a message fit to show the user.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Trap {
    /// What happened.
    pub kind: TrapKind,
    /// Human-readable description.
    pub message: String,
}

impl Trap {
    /// Whether this trap leaves the instance unusable. Everything except a
    /// host error does: the guest was cut off mid-instruction stream and may
    /// hold half-updated state (dangling pointers in Lua's case).
    pub fn poisons(&self) -> bool {
        !matches!(self.kind, TrapKind::Host(_))
    }
}

/// Out-of-bounds or otherwise invalid guest memory access.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MemoryAccessError {
    /// The range `ptr..ptr+len` is not inside guest memory (or is negative).
    #[error("guest memory access out of bounds: ptr={ptr} len={len} (memory is {size} bytes)")]
    OutOfBounds {
        /// Pointer as the guest gave it.
        ptr: i64,
        /// Length as the guest gave it.
        len: i64,
        /// Current memory size in bytes.
        size: usize,
    },
    /// The instance exports no memory named `memory`.
    #[error("plugin exports no memory")]
    NoMemory,
    /// The bytes are not valid UTF-8.
    #[error("guest string is not valid UTF-8")]
    InvalidUtf8,
}

/// The error a host function returns to stop the guest.
pub struct HostError {
    pub(crate) repr: HostErrorRepr,
}

pub(crate) enum HostErrorRepr {
    Message(String),
    Thrown(i32),
    Exit(i32),
    Engine(EngineError),
}

impl HostError {
    /// A failure with a message: becomes a [`TrapKind::Host`] trap.
    pub fn new(message: impl Into<String>) -> Self {
        Self { repr: HostErrorRepr::Message(message.into()) }
    }

    /// A distinguished throw carrying `value`: it unwinds guest frames up to
    /// the nearest host function that re-entered the guest, which sees it as
    /// [`CallError::thrown`]. Uncaught, it ends the outer call as a host trap.
    pub fn throw(value: i32) -> Self {
        Self { repr: HostErrorRepr::Thrown(value) }
    }

    pub(crate) fn exit(code: i32) -> Self {
        Self { repr: HostErrorRepr::Exit(code) }
    }
}

impl fmt::Debug for HostError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            HostErrorRepr::Message(m) => write!(f, "HostError({m:?})"),
            HostErrorRepr::Thrown(v) => write!(f, "HostError(throw {v})"),
            HostErrorRepr::Exit(c) => write!(f, "HostError(exit {c})"),
            HostErrorRepr::Engine(e) => write!(f, "HostError({e})"),
        }
    }
}

impl From<MemoryAccessError> for HostError {
    fn from(e: MemoryAccessError) -> Self {
        HostError::new(e.to_string())
    }
}

impl From<Error> for HostError {
    fn from(e: Error) -> Self {
        HostError::new(e.to_string())
    }
}

/// An engine's own error value, kept intact so that a trap raised deep in a
/// re-entrant call keeps its kind when it propagates out of host functions.
pub(crate) enum EngineError {
    #[cfg(feature = "wasmtime")]
    Wasmtime(wasmtime::Error),
    #[cfg(feature = "wasmi")]
    Wasmi(wasmi::Error),
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            #[cfg(feature = "wasmtime")]
            EngineError::Wasmtime(e) => write!(f, "{e}"),
            #[cfg(feature = "wasmi")]
            EngineError::Wasmi(e) => write!(f, "{e}"),
            #[allow(unreachable_patterns)]
            _ => Ok(()),
        }
    }
}

/// Failure of a re-entrant call from a host function into the guest.
pub struct CallError {
    pub(crate) repr: CallErrorRepr,
}

pub(crate) enum CallErrorRepr {
    /// The export does not exist or the arguments do not fit it.
    Usage(String),
    /// The guest trapped or a nested host function failed.
    Engine { error: EngineError, thrown: Option<i32> },
}

impl CallError {
    /// The value of a [`HostError::throw`] that unwound this call, if that is
    /// what ended it. Only such errors are meant to be caught.
    pub fn thrown(&self) -> Option<i32> {
        match &self.repr {
            CallErrorRepr::Engine { thrown, .. } => *thrown,
            CallErrorRepr::Usage(_) => None,
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            CallErrorRepr::Usage(m) => f.write_str(m),
            CallErrorRepr::Engine { error, .. } => write!(f, "{error}"),
        }
    }
}

impl fmt::Debug for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CallError({self})")
    }
}

impl From<CallError> for HostError {
    /// Propagates the failure unchanged, so an outer caller still sees the
    /// original trap kind (deadline, stack overflow...) or throw.
    fn from(e: CallError) -> Self {
        match e.repr {
            CallErrorRepr::Usage(m) => HostError::new(m),
            CallErrorRepr::Engine { error, .. } => HostError { repr: HostErrorRepr::Engine(error) },
        }
    }
}

/// What a host function raised, as carried inside an engine error.
#[derive(Debug)]
pub(crate) enum Raised {
    Host {
        import: String,
        message: String,
    },
    Forbidden {
        import: String,
    },
    Thrown(i32),
    Exit(i32),
    /// Host functions re-entered the guest too deeply.
    ReentryOverflow,
}

impl fmt::Display for Raised {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Raised::Host { import, message } => write!(f, "{import}: {message}"),
            Raised::Forbidden { import } => write!(f, "plugin called forbidden import {import}"),
            Raised::Thrown(v) => write!(f, "uncaught host throw ({v})"),
            Raised::Exit(c) => write!(f, "plugin called proc_exit({c})"),
            Raised::ReentryOverflow => f.write_str("plugin overflowed its stack"),
        }
    }
}

impl std::error::Error for Raised {}

#[cfg(feature = "wasmi")]
impl wasmi::errors::HostError for Raised {}

/// A trap the guest itself caused, as the engines report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GuestFault {
    Deadline,
    StackOverflow,
    Unreachable,
    MemoryOutOfBounds,
    Other,
}

/// Facts about the call that help name a trap.
pub(crate) struct TrapContext {
    pub(crate) deadline_ms: Option<u128>,
    pub(crate) memory_limit: Option<usize>,
    pub(crate) grow_refused: bool,
}

/// Turns what an engine reported into a [`Trap`].
pub(crate) fn classify(
    raised: Option<&Raised>,
    fault: Option<GuestFault>,
    engine_message: &str,
    cx: &TrapContext,
) -> Trap {
    if let Some(r) = raised {
        let kind = match r {
            Raised::Host { import, .. } => TrapKind::Host(import.clone()),
            Raised::Forbidden { import } => TrapKind::ForbiddenImport(import.clone()),
            Raised::Thrown(_) => TrapKind::Host("throw".to_owned()),
            Raised::Exit(c) => TrapKind::Exit(*c),
            Raised::ReentryOverflow => TrapKind::StackOverflow,
        };
        return Trap { kind, message: r.to_string() };
    }
    // A guest that trapped after the memory limit refused it more memory
    // (typically: malloc returned NULL, then abort) ran out of memory,
    // whatever instruction it chose to die on.
    if cx.grow_refused && fault != Some(GuestFault::Deadline) {
        let limit = cx.memory_limit.map(|l| format!(" (limit {l} bytes)")).unwrap_or_default();
        return Trap { kind: TrapKind::OutOfMemory, message: format!("plugin ran out of memory{limit}") };
    }
    let (kind, message) = match fault {
        Some(GuestFault::Deadline) => (
            TrapKind::Deadline,
            match cx.deadline_ms {
                Some(ms) => format!("plugin exceeded its time limit of {ms} ms"),
                None => "plugin exceeded its time limit".to_owned(),
            },
        ),
        Some(GuestFault::StackOverflow) => (TrapKind::StackOverflow, "plugin overflowed its stack".to_owned()),
        Some(GuestFault::Unreachable) => {
            (TrapKind::Unreachable, "plugin trapped: unreachable instruction executed".to_owned())
        }
        Some(GuestFault::MemoryOutOfBounds) => {
            (TrapKind::MemoryOutOfBounds, "plugin trapped: out of bounds memory access".to_owned())
        }
        Some(GuestFault::Other) | None => (TrapKind::Other, format!("plugin trapped: {engine_message}")),
    };
    Trap { kind, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx(grow_refused: bool) -> TrapContext {
        TrapContext { deadline_ms: Some(50), memory_limit: Some(65536), grow_refused }
    }

    #[test]
    fn refused_growth_turns_a_guest_trap_into_out_of_memory() {
        let t = classify(None, Some(GuestFault::Unreachable), "x", &cx(true));
        assert_eq!(t.kind, TrapKind::OutOfMemory);
        assert!(t.message.contains("65536"), "{}", t.message);
        let t = classify(None, Some(GuestFault::Unreachable), "x", &cx(false));
        assert_eq!(t.kind, TrapKind::Unreachable);
    }

    #[test]
    fn deadline_wins_over_refused_growth() {
        let t = classify(None, Some(GuestFault::Deadline), "x", &cx(true));
        assert_eq!(t.kind, TrapKind::Deadline);
        assert!(t.message.contains("50 ms"));
    }

    #[test]
    fn only_host_traps_leave_the_instance_usable() {
        let host =
            classify(Some(&Raised::Host { import: "rtdvi.log".into(), message: "bad".into() }), None, "", &cx(false));
        assert!(!host.poisons());
        assert_eq!(host.message, "rtdvi.log: bad");
        let forbidden = classify(
            Some(&Raised::Forbidden { import: "wasi_snapshot_preview1.fd_write".into() }),
            None,
            "",
            &cx(false),
        );
        assert!(forbidden.poisons());
        assert_eq!(forbidden.message, "plugin called forbidden import wasi_snapshot_preview1.fd_write");
    }
}
