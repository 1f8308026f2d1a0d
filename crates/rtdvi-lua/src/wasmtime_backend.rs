//! The Lua guest on wasmtime: compiled once per process, deadlines by epoch
//! interruption (a ticker thread advances the epoch), memory capped by
//! `StoreLimits`, wasm backtraces off (they make each Lua error ~10x dearer).

use std::sync::OnceLock;
use std::time::Duration;

use wasmtime::{
    Caller, Config, Engine, Extern, Func, Global, Instance, Linker, Memory, Module, Store, StoreLimits,
    StoreLimitsBuilder, Trap, TypedFunc, Val,
};

use crate::engine::{denied_import, Backend, HostState, Limits, LuaThrow, PROVIDED_IMPORTS, WASI_EBADF, WASI_EINVAL};
use crate::error::LuaError;

/// How often the ticker thread advances the epoch (deadline resolution).
const EPOCH_TICK: Duration = Duration::from_millis(5);

/// Must stay well below `RECOMMENDED_STACK_BYTES`.
const MAX_WASM_STACK: usize = 32 << 20;

struct Shared {
    engine: Engine,
    module: Module,
    linker: Linker<Data>,
}

struct Data {
    host: HostState,
    limits: StoreLimits,
    memory: Option<Memory>,
    trampoline: Option<TypedFunc<(i32, i32, i32), ()>>,
    stack_pointer: Option<Global>,
}

static SHARED: OnceLock<Result<Shared, String>> = OnceLock::new();

fn shared() -> Result<&'static Shared, LuaError> {
    SHARED.get_or_init(build).as_ref().map_err(|e| LuaError::Setup(e.clone()))
}

fn build() -> Result<Shared, String> {
    let mut config = Config::new();
    config.epoch_interruption(true);
    config.wasm_backtrace_max_frames(None);
    // Each nested Lua protected call re-enters through host frames, which
    // count against this limit: 512 KiB (the default) stops at ~100 levels
    // in debug builds. See `RECOMMENDED_STACK_BYTES`.
    config.max_wasm_stack(MAX_WASM_STACK);
    // Checked against max_wasm_stack even when no async stack is used.
    config.async_stack_size(MAX_WASM_STACK + (1 << 20));
    let engine = Engine::new(&config).map_err(|e| e.to_string())?;
    let module = Module::new(&engine, crate::GUEST_WASM).map_err(|e| e.to_string())?;
    let mut linker = Linker::new(&engine);
    define_imports(&mut linker, &module).map_err(|e| e.to_string())?;
    let ticker = engine.clone();
    std::thread::Builder::new()
        .name("rtdvi-lua-epoch".into())
        .spawn(move || loop {
            std::thread::sleep(EPOCH_TICK);
            ticker.increment_epoch();
        })
        .map_err(|e| e.to_string())?;
    Ok(Shared { engine, module, linker })
}

fn memory(caller: &Caller<'_, Data>) -> wasmtime::Result<Memory> {
    caller.data().memory.ok_or_else(|| wasmtime::Error::msg("guest memory is not ready"))
}

fn slice(bytes: &[u8], ptr: i32, len: i32) -> wasmtime::Result<&[u8]> {
    let start = ptr as u32 as usize;
    let end = start.saturating_add(len as u32 as usize);
    bytes.get(start..end).ok_or_else(|| wasmtime::Error::msg("guest passed an out-of-bounds buffer"))
}

fn define_imports(linker: &mut Linker<Data>, module: &Module) -> wasmtime::Result<()> {
    linker.func_wrap(
        "rtdvi",
        "try",
        |mut caller: Caller<'_, Data>, f: i32, l: i32, ud: i32| -> wasmtime::Result<i32> {
            let (Some(trampoline), Some(sp)) = (caller.data().trampoline.clone(), caller.data().stack_pointer) else {
                return Err(wasmtime::Error::msg("guest is not initialised"));
            };
            let saved = sp.get(&mut caller);
            match trampoline.call(&mut caller, (f, l, ud)) {
                Ok(()) => Ok(0),
                Err(e) if e.is::<LuaThrow>() => {
                    sp.set(&mut caller, saved)?;
                    Ok(1)
                }
                Err(e) => Err(e),
            }
        },
    )?;
    linker.func_wrap("rtdvi", "throw", || -> wasmtime::Result<()> { Err(wasmtime::Error::new(LuaThrow)) })?;
    linker.func_wrap(
        "rtdvi",
        "write",
        |mut caller: Caller<'_, Data>, stream: i32, ptr: i32, len: i32| -> wasmtime::Result<()> {
            let mem = memory(&caller)?;
            let (bytes, data) = mem.data_and_store_mut(&mut caller);
            let text = slice(bytes, ptr, len)?;
            data.host.write(stream, text);
            Ok(())
        },
    )?;
    linker.func_wrap(
        "rtdvi",
        "require",
        |mut caller: Caller<'_, Data>, ptr: i32, len: i32| -> wasmtime::Result<i32> {
            let mem = memory(&caller)?;
            let (bytes, data) = mem.data_and_store_mut(&mut caller);
            let name = slice(bytes, ptr, len)?.to_vec();
            Ok(data.host.require(&name))
        },
    )?;
    linker.func_wrap("rtdvi", "fetch", |mut caller: Caller<'_, Data>, dst: i32| -> wasmtime::Result<()> {
        let mem = memory(&caller)?;
        let (bytes, data) = mem.data_and_store_mut(&mut caller);
        let pending = std::mem::take(&mut data.host.pending);
        let start = dst as u32 as usize;
        let target = bytes
            .get_mut(start..start.saturating_add(pending.len()))
            .ok_or_else(|| wasmtime::Error::msg("guest passed an out-of-bounds buffer"))?;
        target.copy_from_slice(&pending);
        Ok(())
    })?;
    linker.func_wrap(
        "wasi_snapshot_preview1",
        "clock_time_get",
        |mut caller: Caller<'_, Data>, id: i32, _precision: i64, out: i32| -> wasmtime::Result<i32> {
            let Some(now) = caller.data().host.clock(id) else {
                return Ok(WASI_EINVAL);
            };
            let mem = memory(&caller)?;
            mem.write(&mut caller, out as u32 as usize, &now.to_le_bytes())?;
            Ok(0)
        },
    )?;
    linker.func_wrap("wasi_snapshot_preview1", "fd_prestat_get", |_fd: i32, _out: i32| -> i32 { WASI_EBADF })?;
    // Everything else the C library links in traps, naming the import.
    for import in module.imports() {
        let (module_name, name) = (import.module().to_string(), import.name().to_string());
        if PROVIDED_IMPORTS.contains(&(module_name.as_str(), name.as_str())) {
            continue;
        }
        if let wasmtime::ExternType::Func(ty) = import.ty() {
            let message = denied_import(&module_name, &name);
            linker.func_new(&module_name, &name, ty, move |_, _, _| Err(wasmtime::Error::msg(message.clone())))?;
        }
    }
    Ok(())
}

/// A guest instance on wasmtime.
pub(crate) struct WasmtimeBackend {
    store: Store<Data>,
    instance: Instance,
    deadline_ticks: u64,
}

impl WasmtimeBackend {
    /// Instantiates the guest and runs its C start-up code.
    pub fn new(limits: &Limits) -> Result<Self, LuaError> {
        let shared = shared()?;
        let data = Data {
            host: HostState::new(limits),
            limits: StoreLimitsBuilder::new().memory_size(limits.memory_bytes).instances(1).build(),
            memory: None,
            trampoline: None,
            stack_pointer: None,
        };
        let mut store = Store::new(&shared.engine, data);
        store.limiter(|d| &mut d.limits);
        store.epoch_deadline_trap();
        let tick = EPOCH_TICK.as_millis().max(1);
        let deadline_ticks = (limits.deadline.as_millis() / tick) as u64 + 1;
        store.set_epoch_deadline(deadline_ticks);
        let instance =
            shared.linker.instantiate(&mut store, &shared.module).map_err(|e| LuaError::Setup(e.to_string()))?;
        let memory = instance.get_memory(&mut store, "memory");
        let trampoline = instance.get_typed_func::<(i32, i32, i32), ()>(&mut store, "rtdvi_try_trampoline").ok();
        let stack_pointer = instance.get_global(&mut store, "__stack_pointer");
        if memory.is_none() || trampoline.is_none() || stack_pointer.is_none() {
            return Err(LuaError::Setup("the Lua guest lacks required exports".into()));
        }
        let data = store.data_mut();
        data.memory = memory;
        data.trampoline = trampoline;
        data.stack_pointer = stack_pointer;
        let mut backend = WasmtimeBackend { store, instance, deadline_ticks };
        backend.call("_initialize", &[])?;
        Ok(backend)
    }

    fn func(&mut self, name: &str) -> Result<Func, LuaError> {
        match self.instance.get_export(&mut self.store, name) {
            Some(Extern::Func(f)) => Ok(f),
            _ => Err(LuaError::Setup(format!("the Lua guest lacks export {name}"))),
        }
    }
}

fn map_trap(e: wasmtime::Error) -> LuaError {
    match e.downcast_ref::<Trap>() {
        Some(Trap::Interrupt) | Some(Trap::OutOfFuel) => LuaError::Deadline,
        _ => LuaError::Trap(e.to_string()),
    }
}

impl Backend for WasmtimeBackend {
    fn call(&mut self, export: &str, args: &[i32]) -> Result<i32, LuaError> {
        let func = self.func(export)?;
        let params: Vec<Val> = args.iter().map(|a| Val::I32(*a)).collect();
        let mut results = [Val::I32(0)];
        let n_results = func.ty(&self.store).results().len().min(1);
        self.store.set_epoch_deadline(self.deadline_ticks);
        func.call(&mut self.store, &params, &mut results[..n_results]).map_err(map_trap)?;
        Ok(results[0].i32().unwrap_or(0))
    }

    fn read(&mut self, ptr: u32, len: u32) -> Result<Vec<u8>, LuaError> {
        let mem = self.store.data().memory.ok_or_else(|| LuaError::Setup("no memory".into()))?;
        let start = ptr as usize;
        mem.data(&self.store)
            .get(start..start.saturating_add(len as usize))
            .map(<[u8]>::to_vec)
            .ok_or_else(|| LuaError::Protocol("guest buffer out of bounds".into()))
    }

    fn write(&mut self, ptr: u32, data: &[u8]) -> Result<(), LuaError> {
        let mem = self.store.data().memory.ok_or_else(|| LuaError::Setup("no memory".into()))?;
        mem.write(&mut self.store, ptr as usize, data)
            .map_err(|_| LuaError::Protocol("guest buffer out of bounds".into()))
    }

    fn host(&mut self) -> &mut HostState {
        &mut self.store.data_mut().host
    }
}
