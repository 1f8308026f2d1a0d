//! The Lua guest on the project's engine layer (`rtdvi-wasm`): one linker
//! and one prepared module per engine for the whole process, one instance
//! (own store, host state and limits) per [`crate::LuaRuntime`].
//!
//! The host imports are written once for both engines. `rtdvi.try` and
//! `rtdvi.throw` are the guest's replacement for setjmp/longjmp: `try`
//! re-enters the guest through its `rtdvi_try_trampoline` export, `throw`
//! unwinds to the nearest `try`, which restores the C shadow stack pointer
//! and reports the error to the guest. WASI comes from
//! [`rtdvi_wasm::Linker::define_wasi`]; any other import the C library
//! links traps as a forbidden import when called.

use std::sync::OnceLock;
use std::time::Duration;

use rtdvi_wasm::{
    CallError, Caller, Engine, EngineConfig, EngineKind, Error, ExternKind, FuncType, HostError, InstancePre, Linker,
    Module, TrapKind, Val, ValType,
};

use crate::error::LuaError;
use crate::host::{HostState, Limits};

/// wasmtime: native stack wasm may use. Each nested Lua protected call
/// re-enters through host frames, which count against it (the 1 MiB default
/// stops near 100 levels in debug builds); well below
/// [`crate::RECOMMENDED_STACK_BYTES`].
const MAX_WASM_STACK: usize = 32 << 20;
/// wasmi: nested calls across re-entries (200 nested pcalls need ~5000).
const MAX_RECURSION_DEPTH: usize = 20_000;
/// Both engines: native stack the re-entries of Lua's at most 200 nested
/// C calls may take (wasmi frames are large in debug builds); half of
/// [`crate::RECOMMENDED_STACK_BYTES`].
const MAX_REENTRY_STACK: usize = 128 << 20;

/// The guest's trampoline: runs `f(l, ud)` under a `try`.
const TRAMPOLINE: &str = "rtdvi_try_trampoline";
/// The C shadow stack pointer, restored after a caught throw.
const STACK_POINTER: &str = "__stack_pointer";

/// Where wasmtime keeps the compiled guest (set once, before the first
/// runtime starts): startup then loads it instead of compiling ~300 ms.
static CACHE_DIR: OnceLock<std::path::PathBuf> = OnceLock::new();

/// Sets the directory for the compiled guest and the Lua start images
/// (`image.rs`); false if it was already set.
pub fn set_module_cache(dir: std::path::PathBuf) -> bool {
    CACHE_DIR.set(dir).is_ok()
}

/// False once [`disable_start_images`] was called.
static START_IMAGES: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Makes every prepared state build the long way, neither restoring nor
/// capturing start images (`RTDVI_LUA_START_IMAGE=0`: to rule them out
/// when something looks wrong, and to measure what they save).
pub fn disable_start_images() {
    START_IMAGES.store(false, std::sync::atomic::Ordering::Relaxed);
}

/// Whether start images are in use (see [`disable_start_images`]).
pub(crate) fn start_images() -> bool {
    START_IMAGES.load(std::sync::atomic::Ordering::Relaxed)
}

/// The directory set by [`set_module_cache`].
pub(crate) fn cache_dir() -> Option<&'static std::path::Path> {
    CACHE_DIR.get().map(|d| d.as_path())
}

static WASMTIME: OnceLock<Result<InstancePre<HostState>, String>> = OnceLock::new();
static WASMI: OnceLock<Result<InstancePre<HostState>, String>> = OnceLock::new();

/// The guest linked for `kind`, built on first use.
fn prepared(kind: EngineKind) -> Result<&'static InstancePre<HostState>, LuaError> {
    let cell = match kind {
        EngineKind::Wasmtime => &WASMTIME,
        EngineKind::Wasmi => &WASMI,
    };
    cell.get_or_init(|| prepare(kind).map_err(|e| e.to_string())).as_ref().map_err(|e| LuaError::Setup(e.clone()))
}

fn prepare(kind: EngineKind) -> Result<InstancePre<HostState>, Error> {
    let config = EngineConfig {
        max_wasm_stack: MAX_WASM_STACK,
        max_recursion_depth: MAX_RECURSION_DEPTH,
        max_reentry_stack: MAX_REENTRY_STACK,
        cache_dir: CACHE_DIR.get().cloned(),
        ..EngineConfig::default()
    };
    let engine = Engine::new(kind, &config)?;
    let module = Module::new(&engine, crate::GUEST_WASM)?;
    module.require_export(TRAMPOLINE, &FuncType::new([ValType::I32; 3], []))?;
    linker()?.prepare(&module)
}

fn arg(args: &[Val], i: usize) -> Result<i32, HostError> {
    args.get(i).and_then(Val::i32).ok_or_else(|| HostError::new(format!("argument {i} is not an i32")))
}

fn set_result(results: &mut [Val], value: i32) {
    if let Some(slot) = results.first_mut() {
        *slot = Val::I32(value);
    }
}

fn linker() -> Result<Linker<HostState>, Error> {
    use ValType::I32;
    let mut linker = Linker::<HostState>::new();
    linker.define_wasi()?;
    linker.define("rtdvi", "try", FuncType::new([I32, I32, I32], [I32]), |caller, args, results| {
        let saved = caller.global_get(STACK_POINTER)?;
        let trampoline_args = [Val::I32(arg(args, 0)?), Val::I32(arg(args, 1)?), Val::I32(arg(args, 2)?)];
        let status = match caller.call(TRAMPOLINE, &trampoline_args, &mut []) {
            Ok(()) => 0,
            Err(e) if e.thrown().is_some() => {
                caller.global_set(STACK_POINTER, saved)?;
                1
            }
            // Deadlines, traps and stack overflows end the outer call.
            Err(e) => return Err(e.into()),
        };
        set_result(results, status);
        Ok(())
    })?;
    linker.define("rtdvi", "throw", FuncType::new([], []), |_, _, _| Err(HostError::throw(1)))?;
    linker.define("rtdvi", "write", FuncType::new([I32, I32, I32], []), |caller, args, _| {
        let text = caller.read(arg(args, 1)?, arg(args, 2)?)?;
        caller.data_mut().write(arg(args, 0)?, &text);
        Ok(())
    })?;
    linker.define("rtdvi", "require", FuncType::new([I32, I32], [I32]), |caller, args, results| {
        let name = caller.read(arg(args, 0)?, arg(args, 1)?)?;
        let status = caller.data_mut().require(&name);
        if caller.data_mut().modules.take_compiled() {
            caller.restart_deadline();
        }
        set_result(results, status);
        Ok(())
    })?;
    linker.define("rtdvi", "call", FuncType::new([I32, I32, I32, I32], [I32]), |caller, args, results| {
        let name = caller.read(arg(args, 0)?, arg(args, 1)?)?;
        let encoded = caller.read(arg(args, 2)?, arg(args, 3)?)?;
        let status = crate::host_call::handle(caller, &name, &encoded);
        // A nested call ended fatally: end this call with the same error.
        if let Some(fatal) = caller.data_mut().fatal.take() {
            return Err(fatal);
        }
        set_result(results, status);
        Ok(())
    })?;
    linker.define("rtdvi", "fetch", FuncType::new([I32], []), |caller: &mut Caller<'_, HostState>, args, _| {
        let pending = std::mem::take(&mut caller.data_mut().pending);
        caller.write(arg(args, 0)?, &pending)?;
        Ok(())
    })?;
    Ok(linker)
}

/// `(module, name)` of every import of the guest, as linked for `kind`.
#[cfg(test)]
pub(crate) fn imports(kind: EngineKind) -> Result<Vec<(String, String)>, LuaError> {
    Ok(prepared(kind)?.module().imports().iter().map(|i| (i.module.clone(), i.name.clone())).collect())
}

/// The per-call budget on `kind`: wasmtime counts wall-clock time; wasmi
/// counts fuel, so `Limits::fuel` is handed over as the deadline that
/// `rtdvi-wasm` converts back into the same fuel.
fn deadline(kind: EngineKind, limits: &Limits) -> Duration {
    match kind {
        EngineKind::Wasmtime => limits.deadline,
        EngineKind::Wasmi => Duration::from_millis(limits.fuel.div_ceil(rtdvi_wasm::FUEL_PER_MS)),
    }
}

/// How an engine-layer error shows to Lua's host.
fn lua_error(e: Error) -> LuaError {
    match e {
        Error::Trap(t) if t.kind == TrapKind::Deadline => LuaError::Deadline,
        Error::Trap(t) => LuaError::Trap(t.message),
        Error::Poisoned(_) => LuaError::Discarded,
        Error::Memory(e) => LuaError::Protocol(format!("guest buffer out of bounds: {e}")),
        other => LuaError::Setup(other.to_string()),
    }
}

/// An export of the guest the host calls, with its number of results.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Export(pub &'static str, pub usize);

/// How the runtime reaches the guest: from outside ([`Guest`]), or from a
/// host import re-entering it ([`Caller`]); one code path serves both.
pub(crate) trait GuestOps {
    /// Calls an export that takes i32s and returns one i32 or nothing (0).
    fn call(&mut self, export: Export, args: &[i32]) -> Result<i32, LuaError>;
    /// Copies `len` bytes at `ptr` out of linear memory.
    fn read(&mut self, ptr: i32, len: i32) -> Result<Vec<u8>, LuaError>;
    /// Copies `data` into linear memory at `ptr`.
    fn write(&mut self, ptr: i32, data: &[u8]) -> Result<(), LuaError>;
    /// The host state behind the imports.
    fn host(&mut self) -> &mut HostState;
}

impl GuestOps for Caller<'_, HostState> {
    fn call(&mut self, export: Export, args: &[i32]) -> Result<i32, LuaError> {
        if self.data().fatal.is_some() {
            return Err(LuaError::Discarded);
        }
        let params: Vec<Val> = args.iter().map(|a| Val::I32(*a)).collect();
        let mut results = [Val::I32(0)];
        let slots = results.get_mut(..export.1.min(1)).unwrap_or_default();
        match Caller::call(self, export.0, &params, slots) {
            Ok(()) => Ok(results[0].i32().unwrap_or(0)),
            Err(e) => Err(self.data_mut().set_fatal(e)),
        }
    }

    fn read(&mut self, ptr: i32, len: i32) -> Result<Vec<u8>, LuaError> {
        Caller::read(self, ptr, len).map_err(|e| lua_error(e.into()))
    }

    fn write(&mut self, ptr: i32, data: &[u8]) -> Result<(), LuaError> {
        Caller::write(self, ptr, data).map_err(|e| lua_error(e.into()))
    }

    fn host(&mut self) -> &mut HostState {
        self.data_mut()
    }
}

impl GuestOps for Guest {
    fn call(&mut self, export: Export, args: &[i32]) -> Result<i32, LuaError> {
        Guest::call(self, export.0, args)
    }

    fn read(&mut self, ptr: i32, len: i32) -> Result<Vec<u8>, LuaError> {
        Guest::read(self, ptr, len)
    }

    fn write(&mut self, ptr: i32, data: &[u8]) -> Result<(), LuaError> {
        Guest::write(self, ptr, data)
    }

    fn host(&mut self) -> &mut HostState {
        Guest::host(self)
    }
}

impl HostState {
    /// Records that a nested call into the guest failed for good and says
    /// how it shows to the host that made it.
    fn set_fatal(&mut self, e: CallError) -> LuaError {
        let shown = LuaError::Trap(e.to_string());
        let error = if e.thrown().is_some() {
            // Cannot happen: every export catches its Lua errors. A throw
            // must not reach an outer "try" through host frames.
            HostError::new("a Lua error escaped a nested call")
        } else {
            // Keeps the engine's error, so the outer call reports the real
            // kind (deadline, stack overflow...).
            HostError::from(e)
        };
        self.fatal.get_or_insert(error);
        shown
    }
}

/// One instantiated Lua guest.
pub(crate) struct Guest {
    instance: rtdvi_wasm::Instance<HostState>,
    module: Module,
}

impl Guest {
    /// Instantiates the guest on `kind` and runs its C start-up code.
    pub fn new(kind: EngineKind, limits: &Limits) -> Result<Self, LuaError> {
        let engine_limits = rtdvi_wasm::Limits {
            memory_bytes: Some(limits.memory_bytes),
            deadline: Some(deadline(kind, limits)),
            ..rtdvi_wasm::Limits::default()
        };
        let pre = prepared(kind)?;
        let host = HostState::new(limits, pre.module().engine().clone(), deadline(kind, limits));
        let instance = pre.instantiate(host, engine_limits).map_err(lua_error)?;
        Ok(Guest { instance, module: pre.module().clone() })
    }

    /// Calls an export that takes i32s and returns one i32 or nothing (0),
    /// under a fresh deadline.
    pub fn call(&mut self, export: &str, args: &[i32]) -> Result<i32, LuaError> {
        let func = self.instance.func(export).map_err(lua_error)?;
        let params: Vec<Val> = args.iter().map(|a| Val::I32(*a)).collect();
        let mut results = [Val::I32(0)];
        let n_results = func.ty().results().len().min(1);
        let slots = results.get_mut(..n_results).unwrap_or_default();
        self.instance.call_func(&func, &params, slots).map_err(lua_error)?;
        Ok(results[0].i32().unwrap_or(0))
    }

    /// Copies `len` bytes at `ptr` out of linear memory.
    pub fn read(&mut self, ptr: i32, len: i32) -> Result<Vec<u8>, LuaError> {
        self.instance.read(ptr, len).map_err(|e| lua_error(e.into()))
    }

    /// Copies `data` into linear memory at `ptr`.
    pub fn write(&mut self, ptr: i32, data: &[u8]) -> Result<(), LuaError> {
        self.instance.write(ptr, data).map_err(|e| lua_error(e.into()))
    }

    /// The host state behind the imports.
    pub fn host(&mut self) -> &mut HostState {
        self.instance.data_mut()
    }

    /// Bytes of linear memory.
    pub fn memory_size(&mut self) -> usize {
        self.instance.memory_size()
    }

    /// Grows linear memory by `pages` WebAssembly pages; false if refused.
    pub fn grow_memory(&mut self, pages: u64) -> bool {
        self.instance.grow_memory(pages)
    }

    /// The C shadow stack pointer.
    pub fn stack_pointer(&mut self) -> Result<Val, LuaError> {
        self.instance.global_get(STACK_POINTER).map_err(lua_error)
    }

    /// Sets the C shadow stack pointer.
    pub fn set_stack_pointer(&mut self, value: Val) -> Result<(), LuaError> {
        self.instance.global_set(STACK_POINTER, value).map_err(lua_error)
    }

    /// True when the module's only global is the shadow stack pointer, so
    /// memory and that global are the whole state (see `snapshot.rs`).
    pub fn only_global_is_stack_pointer(&self) -> bool {
        let exports_it =
            self.instance_module().exports().iter().any(|e| e.name == STACK_POINTER && e.kind == ExternKind::Global);
        exports_it && GUEST_GLOBALS.get_or_init(|| count_globals(crate::GUEST_WASM)) == &Some(1)
    }

    fn instance_module(&self) -> &Module {
        // The instance's module is the prepared guest's.
        &self.module
    }
}

static GUEST_GLOBALS: OnceLock<Option<u32>> = OnceLock::new();

/// Number of globals a binary module defines (its global section), read
/// directly: the engines only list exported ones.
fn count_globals(wasm: &[u8]) -> Option<u32> {
    fn leb(bytes: &[u8], pos: &mut usize) -> Option<u32> {
        let mut result = 0u32;
        for shift in (0..35).step_by(7) {
            let b = *bytes.get(*pos)?;
            *pos += 1;
            result |= u32::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                return Some(result);
            }
        }
        None
    }
    let mut pos = 8;
    while pos < wasm.len() {
        let id = *wasm.get(pos)?;
        pos += 1;
        let size = leb(wasm, &mut pos)? as usize;
        if id == 6 {
            let mut p = pos;
            return leb(wasm, &mut p);
        }
        pos = pos.checked_add(size)?;
    }
    Some(0)
}
