//! Lua 5.4 for rtdvi plugins, compiled to WebAssembly and run sandboxed on
//! wasmtime or wasmi through the project's engine layer, `rtdvi-wasm`.
//!
//! The guest (`guest/lua.wasm`, built by `scripts/build-lua-wasm.sh` from the
//! official Lua sources plus our C glue in `guest/`) raises Lua errors
//! through host imports instead of setjmp, so the same module runs on both
//! engines. Its standard library is sandboxed: see `guest/sandbox.c` and
//! `doc/lua.md` for what plugins can reach, and `guest/compat.c` for the
//! LuaJIT/Lua 5.1 compatibility layer (`bit`, `unpack`, `setfenv`...).
//!
//! [`LuaRuntime`] is the entry point: `exec` runs a chunk, `call` runs a
//! registered callback. Values cross as [`LuaValue`] in a compact binary
//! encoding (no JSON), and functions cross as [`CallbackId`]s.
//!
//! Lua calls the host synchronously with `require("rtdvi").call(name, ...)`:
//! `exec_with`/`call_with` take a [`LuaHost`] that answers, and may run more
//! Lua in the same state meanwhile through a [`Reentry`] (see `host_call.rs`).
//!
//! [`stdlib::install`] adds rtdvi's plain-Lua `vim` library (`vim.inspect`,
//! `vim.tbl_*`, `vim.iter`, `vim.json`, `vim.keymap`...) to a runtime; its
//! module docs describe how the editor bridge plugs `vim.api`/`vim.fn` in.

pub mod bridge;
mod error;
mod guest;
mod host;
mod host_call;
mod host_slot;
mod image;
mod runtime;
mod snapshot;
pub mod stdlib;
mod stdlib_hook;
mod value;
mod wasm_module;

pub use error::{LuaError, LuaErrorKind};
pub use guest::{disable_start_images, set_module_cache};
pub use host::{EngineKind, Limits, ModuleSource, Output, RequireFn, LUA_FUEL_PER_MS};
pub use host_call::{with_lent, with_lent_to, LuaHost, NoHost, Reentry};
pub use image::{ImageSource, Recipe};
pub use runtime::LuaRuntime;
pub use value::{CallbackId, LuaValue};

/// Native stack a thread calling [`LuaRuntime`] should have. Every Lua
/// protected call (pcall, metamethods, coroutines) re-enters the instance
/// through the host, so nested calls (Lua caps them at 200) stack engine
/// frames on the caller's native stack; wasmi's are large in debug builds.
pub const RECOMMENDED_STACK_BYTES: usize = 256 << 20;

/// The Lua guest module (committed; `scripts/check-lua-wasm.sh` verifies it
/// matches its sources).
pub(crate) const GUEST_WASM: &[u8] = include_bytes!("../guest/lua.wasm");

#[cfg(test)]
mod tests;
