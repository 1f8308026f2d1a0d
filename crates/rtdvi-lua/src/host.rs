//! What the host imports work on, and the types of [`crate::LuaRuntime`]'s
//! API that describe it: limits, `require` lookup, captured output.
//!
//! The engine itself is `rtdvi-wasm` (see `guest.rs`); its [`EngineKind`] is
//! the one this crate takes, so the editor names an engine one way only.

use std::time::Duration;

use crate::wasm_module::WasmModules;

pub use rtdvi_wasm::EngineKind;

/// Fuel the Lua guest burns per millisecond on wasmi. wasmi charges fuel per
/// block of its own code, and the Lua interpreter's dispatch loop costs far
/// more fuel per instruction than the plain loop `rtdvi_wasm::FUEL_PER_MS` was
/// measured with: a numeric `for` loop in Lua burns about 17,000 fuel per
/// iteration, 315 million fuel per ms in a release build and about 9 million
/// in a dev build (where wasmi is built at opt-level 1). Using the general
/// figure stopped Lua after ~1/800 of its deadline.
pub const LUA_FUEL_PER_MS: u64 = if cfg!(debug_assertions) { 9_000_000 } else { 300_000_000 };

/// Resource limits of one Lua instance.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Maximum linear memory of the instance, in bytes.
    pub memory_bytes: usize,
    /// Wall-clock budget of one `exec`/`call` (wasmtime, via epochs).
    pub deadline: Duration,
    /// Fuel budget of one `exec`/`call` (wasmi, which has no epochs); handed
    /// to `rtdvi-wasm` as a deadline of `fuel / FUEL_PER_MS` ms, rounded up.
    /// [`Limits::fuel_for`] gives the fuel matching a deadline.
    pub fuel: u64,
    /// Bytes of print/io output kept between two `take_output` calls.
    pub output_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory_bytes: 64 << 20,
            deadline: Duration::from_millis(1000),
            fuel: Limits::fuel_for(Duration::from_millis(1000)),
            output_bytes: 1 << 20,
        }
    }
}

impl Limits {
    /// The wasmi fuel that lasts about `deadline` of Lua code ([`LUA_FUEL_PER_MS`]).
    pub fn fuel_for(deadline: Duration) -> u64 {
        u64::try_from(deadline.as_millis()).unwrap_or(u64::MAX).max(1).saturating_mul(LUA_FUEL_PER_MS)
    }
}

/// Finds the source of a module for `require`: `Ok` with the module, or
/// `Err` with the reason it is not available (shown in Lua's error).
pub type RequireFn = Box<dyn FnMut(&str) -> Result<ModuleSource, String> + Send>;

/// A module handed to `require`.
#[derive(Debug, Clone)]
pub enum ModuleSource {
    /// A Lua chunk.
    Lua {
        /// Chunk name used in error messages, e.g. `@/plugins/foo/lua/foo.lua`.
        chunk_name: String,
        /// Lua source text (binary chunks are refused).
        source: String,
    },
    /// A WebAssembly library in the module ABI (see `wasm_module.rs` and
    /// `doc/pdk.md`): `require` returns a table of its functions, each
    /// running in the library's own sandboxed instance.
    Wasm {
        /// Where it came from, for error messages (e.g. its path).
        origin: String,
        /// The module's bytes (binary or WAT text).
        bytes: Vec<u8>,
    },
}

impl ModuleSource {
    /// A Lua chunk named `chunk_name` with `source`.
    pub fn lua(chunk_name: impl Into<String>, source: impl Into<String>) -> Self {
        ModuleSource::Lua { chunk_name: chunk_name.into(), source: source.into() }
    }
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
    /// Payload of the last `require` or `call` import, copied out by `fetch`.
    pub pending: Vec<u8>,
    /// Set when a nested call into the guest trapped: the `call` import
    /// that made it ends the outer call with this error.
    pub fatal: Option<rtdvi_wasm::HostError>,
    /// The engine the guest runs on (WebAssembly libraries run there too).
    pub engine: rtdvi_wasm::Engine,
    /// WebAssembly libraries this state has required.
    pub modules: WasmModules,
}

impl HostState {
    /// State for a guest on `engine` with `limits`; `deadline` is the
    /// per-call budget as the engine counts it.
    pub fn new(limits: &Limits, engine: rtdvi_wasm::Engine, deadline: Duration) -> Self {
        HostState {
            output: Output::default(),
            output_limit: limits.output_bytes,
            require: None,
            pending: Vec::new(),
            fatal: None,
            modules: WasmModules::new(engine.kind(), limits.memory_bytes, deadline),
            engine,
        }
    }

    /// True while nothing but the guest's memory holds state of the Lua
    /// state: no output kept, no library loaded, no fatal error pending
    /// (a start image may then be taken, see `image.rs`).
    pub fn is_pristine(&self) -> bool {
        self.output.stdout.is_empty()
            && self.output.stderr.is_empty()
            && !self.output.truncated
            && self.fatal.is_none()
            && self.modules.is_empty()
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
        let found = match found {
            Ok(ModuleSource::Wasm { origin, bytes }) => {
                self.modules.load(&self.engine, &name, &bytes).map(|source| (format!("={origin}"), source))
            }
            Ok(ModuleSource::Lua { chunk_name, source }) => Ok((chunk_name, source)),
            Err(e) => Err(e),
        };
        let (payload_len, ok) = match found {
            Ok((chunk_name, source)) => {
                // Chunk names cannot hold NUL: it separates name and source.
                self.pending.extend(chunk_name.bytes().filter(|b| *b != 0));
                self.pending.push(0);
                self.pending.extend_from_slice(source.as_bytes());
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
}
