//! The engine layer of rtdvi's plugin sandbox: WebAssembly modules run on
//! wasmtime (Cranelift, compiled) or wasmi (interpreter), chosen at run time,
//! behind one engine-neutral API. This crate knows nothing about the editor;
//! the `rtdvi_*` ABI, config and plugin manager live in a crate above it.
//!
//! # Pieces
//! - [`EngineKind`] picks the engine (`RTDVI_WASM_RUNTIME` overrides the
//!   configured one); [`Engine`] holds engine-wide settings
//!   ([`EngineConfig`]: wasm stack, recursion depth, module cache, pooling).
//! - [`Module`] compiles `.wasm` bytes or `.wat` text, lists imports and
//!   exports, and checks required exports ([`Module::require_export`]).
//! - [`Linker`] is the registry of host functions, defined once for both
//!   engines. A host function gets a [`Caller`]: host data, bounds-checked
//!   guest memory, exported globals, and re-entrant calls into the same
//!   instance. [`Linker::define_wasi`] adds the WASI subset (randomness,
//!   clocks, `fd_prestat_get` → EBADF, `proc_exit`).
//! - Imports the linker does not define are bound to stubs that trap *when
//!   called* with "plugin called forbidden import module.name", identically on
//!   both engines, so a module that merely links wasi-libc still loads.
//! - [`InstancePre`] links a module once (wasmtime `InstancePre`, or a wasmi
//!   linker holding exactly the module's imports); [`InstancePre::instantiate`]
//!   then creates an [`Instance`] with its own store, host data and
//!   [`Limits`].
//!
//! # Limits and traps
//! Each instance has a memory cap (`memory.grow` past it returns -1 and the
//! guest keeps running), a per-call CPU deadline (wasmtime: epoch
//! interruption driven by one shared ticker thread, 2 ms ticks; wasmi: fuel,
//! [`FUEL_PER_MS`] per millisecond), and table/instance caps. The wasm stack
//! is engine-wide: wasmtime's `max_wasm_stack` bytes, wasmi's recursion depth.
//! A failed call returns a [`Trap`] with a [`TrapKind`]. A guest that traps
//! after a refused `memory.grow` is reported as [`TrapKind::OutOfMemory`].
//!
//! **After any trap other than a host error, the instance is poisoned**: its
//! guest state may hold dangling pointers, so every later call fails with
//! [`Error::Poisoned`] and the caller must instantiate again.
//!
//! # Try/throw across the host
//! For guests without native exceptions (Lua's error recovery), a host import
//! "try" re-enters the guest with [`Caller::call`]; a host import "throw"
//! returns [`HostError::throw`], which unwinds the guest frames in between.
//! The "try" side sees [`CallError::thrown`], restores `__stack_pointer` with
//! [`Caller::global_set`], and returns normally. Any other error must be
//! propagated (`?`) so the outer call reports its real kind.
//!
//! # Module cache
//! With [`EngineConfig::cache_dir`], wasmtime compilations are stored as
//! files checked by a blake3 header before the (unsafe) deserialization;
//! corrupted or stale entries are rebuilt. [`Engine::precompile`] and
//! [`Module::with_precompiled`] let a build script embed a compiled module.

#[cfg(feature = "wasmtime")]
mod cache;
mod caller;
mod engine;
#[cfg(feature = "wasmi")]
mod engine_wasmi;
#[cfg(feature = "wasmtime")]
mod engine_wasmtime;
mod error;
mod instance;
mod limits;
mod linker;
mod module;
#[cfg(feature = "wasmtime")]
mod ticker;
mod value;
mod wasi;

pub use caller::Caller;
pub use engine::{Engine, EngineConfig, EngineKind, PoolingConfig, RUNTIME_ENV};
#[cfg(feature = "wasmi")]
pub use engine_wasmi::FUEL_PER_MS;
pub use error::{CallError, Error, HostError, MemoryAccessError, Trap, TrapKind};
pub use instance::{Func, Instance, InstancePre};
pub use limits::Limits;
pub use linker::{HostFn, Linker};
pub use module::{ExportInfo, ExternKind, ImportInfo, Module};
pub use value::{FuncType, Val, ValType};
pub use wasi::WASI_MODULE;
