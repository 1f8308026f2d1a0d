//! The small seam between the Lua runtime and the WebAssembly engines.
//!
//! Each engine module (`wasmtime_backend`, `wasmi_backend`) instantiates the
//! guest and implements [`Backend`]; everything the host imports do that
//! does not depend on the engine lives in [`HostState`], so it is written
//! once. When the shared `rtdvi-wasm` engine layer lands, the backends are
//! what gets replaced.

use std::time::{Duration, Instant};

use crate::error::LuaError;

/// Which WebAssembly engine runs the Lua guest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    /// wasmtime: compiled with Cranelift, fast, deadline by epochs.
    Wasmtime,
    /// wasmi: interpreted, quick to start, deadline by fuel.
    Wasmi,
}

/// Resource limits of one Lua instance.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Maximum linear memory of the instance, in bytes.
    pub memory_bytes: usize,
    /// Wall-clock budget of one `exec`/`call` (wasmtime, via epochs).
    pub deadline: Duration,
    /// Fuel budget of one `exec`/`call` (wasmi, which has no epochs).
    pub fuel: u64,
    /// Bytes of print/io output kept between two `take_output` calls.
    pub output_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory_bytes: 64 << 20,
            deadline: Duration::from_millis(1000),
            fuel: 2_000_000_000,
            output_bytes: 1 << 20,
        }
    }
}

/// Finds the source of a module for `require`: `Ok` with the module, or
/// `Err` with the reason it is not available (shown in Lua's error).
pub type RequireFn = Box<dyn FnMut(&str) -> Result<ModuleSource, String> + Send>;

/// A module handed to `require`.
#[derive(Debug, Clone)]
pub struct ModuleSource {
    /// Chunk name used in error messages, e.g. `@/plugins/foo/lua/foo.lua`.
    pub chunk_name: String,
    /// Lua source text (binary chunks are refused).
    pub source: String,
}

/// What the guest printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// `print`, `io.write`, `io.stdout:write`.
    pub stdout: Vec<u8>,
    /// `io.stderr:write` and Lua warnings.
    pub stderr: Vec<u8>,
    /// True when output beyond `Limits::output_bytes` was dropped.
    pub truncated: bool,
}

/// Engine-independent state behind the host imports.
pub(crate) struct HostState {
    pub output: Output,
    pub output_limit: usize,
    pub require: Option<RequireFn>,
    /// Payload of the last `require` import, copied out by `fetch`.
    pub pending: Vec<u8>,
    pub started: Instant,
}

impl HostState {
    pub fn new(limits: &Limits) -> Self {
        HostState {
            output: Output::default(),
            output_limit: limits.output_bytes,
            require: None,
            pending: Vec::new(),
            started: Instant::now(),
        }
    }

    /// The `write` import.
    pub fn write(&mut self, stream: i32, bytes: &[u8]) {
        let used = self.output.stdout.len() + self.output.stderr.len();
        let room = self.output_limit.saturating_sub(used);
        let kept = bytes.get(..room.min(bytes.len())).unwrap_or_default();
        if kept.len() < bytes.len() {
            self.output.truncated = true;
        }
        if stream == 2 {
            self.output.stderr.extend_from_slice(kept);
        } else {
            self.output.stdout.extend_from_slice(kept);
        }
    }

    /// The `require` import: prepares the payload, returns its encoded size.
    pub fn require(&mut self, name: &[u8]) -> i32 {
        let name = String::from_utf8_lossy(name);
        let found = match self.require.as_mut() {
            Some(f) => f(&name),
            None => Err(format!("no module '{name}' (require is not available here)")),
        };
        self.pending.clear();
        let (payload_len, ok) = match found {
            Ok(m) => {
                // Chunk names cannot hold NUL: it separates name and source.
                self.pending.extend(m.chunk_name.bytes().filter(|b| *b != 0));
                self.pending.push(0);
                self.pending.extend_from_slice(m.source.as_bytes());
                (self.pending.len(), true)
            }
            Err(reason) => {
                self.pending.extend_from_slice(reason.as_bytes());
                (self.pending.len(), false)
            }
        };
        let Ok(len) = i32::try_from(payload_len) else {
            self.pending.clear();
            self.pending.extend_from_slice(b"module too large");
            return -(self.pending.len() as i32) - 1;
        };
        if ok {
            len
        } else {
            -len - 1
        }
    }

    /// `clock_time_get`: nanoseconds of the realtime (0) or monotonic clock.
    pub fn clock(&self, id: i32) -> Option<u64> {
        match id {
            0 => std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok().map(|d| d.as_nanos() as u64),
            1 => Some(self.started.elapsed().as_nanos() as u64),
            _ => None,
        }
    }
}

/// The error a `throw` import returns: it unwinds the wasm frames up to the
/// enclosing `try` import, which alone catches it.
#[derive(Debug)]
pub(crate) struct LuaThrow;

impl std::fmt::Display for LuaThrow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lua error raised outside of a protected call")
    }
}

impl std::error::Error for LuaThrow {}

/// Message of the trap raised by WASI imports the sandbox does not offer.
pub(crate) fn denied_import(module: &str, name: &str) -> String {
    format!("import {module}::{name} is not available to plugins")
}

/// The imports both backends implement; every other import traps.
pub(crate) const PROVIDED_IMPORTS: &[(&str, &str)] = &[
    ("rtdvi", "try"),
    ("rtdvi", "throw"),
    ("rtdvi", "write"),
    ("rtdvi", "require"),
    ("rtdvi", "fetch"),
    ("wasi_snapshot_preview1", "clock_time_get"),
    ("wasi_snapshot_preview1", "fd_prestat_get"),
];

/// WASI errno for a bad file descriptor (what `fd_prestat_get` answers, so
/// wasi-libc's start-up finds no preopened directories).
pub(crate) const WASI_EBADF: i32 = 8;
/// WASI errno for an invalid argument.
pub(crate) const WASI_EINVAL: i32 = 28;

/// One instantiated guest: calls exports and reaches its memory.
pub(crate) trait Backend: Send {
    /// Calls an export that takes and returns i32s (0 when it returns none),
    /// under a fresh deadline.
    fn call(&mut self, export: &str, args: &[i32]) -> Result<i32, LuaError>;
    /// Copies `len` bytes at `ptr` out of linear memory.
    fn read(&mut self, ptr: u32, len: u32) -> Result<Vec<u8>, LuaError>;
    /// Copies `data` into linear memory at `ptr`.
    fn write(&mut self, ptr: u32, data: &[u8]) -> Result<(), LuaError>;
    /// The engine-independent host state.
    fn host(&mut self) -> &mut HostState;
}
