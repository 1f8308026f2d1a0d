//! The Lua guest on wasmi: parsed once per process, deadlines by fuel (wasmi
//! has no epochs), memory capped by `StoreLimits`, and a recursion limit
//! high enough for Lua's nested protected calls (each re-enters the
//! instance through the host, and wasmi counts those frames together).

use std::sync::OnceLock;

use wasmi::{
    Caller, Config, Engine, Extern, Func, Global, Instance, Linker, Memory, Module, Store, StoreLimits,
    StoreLimitsBuilder, TrapCode, TypedFunc, Val,
};

use crate::engine::{denied_import, Backend, HostState, Limits, LuaThrow, PROVIDED_IMPORTS, WASI_EBADF, WASI_EINVAL};
use crate::error::LuaError;

impl wasmi::errors::HostError for LuaThrow {}

/// wasmi's default (1000) is exceeded by ~200 nested pcalls.
const MAX_RECURSION_DEPTH: usize = 20_000;

struct Shared {
    engine: Engine,
    module: Module,
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
    let mut config = Config::default();
    config.consume_fuel(true);
    config.set_max_recursion_depth(MAX_RECURSION_DEPTH);
    let engine = Engine::new(&config);
    let module = Module::new(&engine, crate::GUEST_WASM).map_err(|e| e.to_string())?;
    Ok(Shared { engine, module })
}

fn host_error(message: &str) -> wasmi::Error {
    wasmi::Error::new(message.to_string())
}

fn memory(caller: &Caller<'_, Data>) -> Result<Memory, wasmi::Error> {
    caller.data().memory.ok_or_else(|| host_error("guest memory is not ready"))
}

fn slice(bytes: &[u8], ptr: i32, len: i32) -> Result<&[u8], wasmi::Error> {
    let start = ptr as u32 as usize;
    let end = start.saturating_add(len as u32 as usize);
    bytes.get(start..end).ok_or_else(|| host_error("guest passed an out-of-bounds buffer"))
}

fn linker(engine: &Engine, module: &Module) -> Result<Linker<Data>, wasmi::Error> {
    let mut linker = Linker::new(engine);
    linker.func_wrap(
        "rtdvi",
        "try",
        |mut caller: Caller<'_, Data>, f: i32, l: i32, ud: i32| -> Result<i32, wasmi::Error> {
            let (Some(trampoline), Some(sp)) = (caller.data().trampoline, caller.data().stack_pointer) else {
                return Err(host_error("guest is not initialised"));
            };
            let saved = sp.get(&caller);
            match trampoline.call(&mut caller, (f, l, ud)) {
                Ok(()) => Ok(0),
                Err(e) if e.downcast_ref::<LuaThrow>().is_some() => {
                    sp.set(&mut caller, saved).map_err(|e| host_error(&e.to_string()))?;
                    Ok(1)
                }
                Err(e) => Err(e),
            }
        },
    )?;
    linker.func_wrap("rtdvi", "throw", || -> Result<(), wasmi::Error> { Err(wasmi::Error::host(LuaThrow)) })?;
    linker.func_wrap(
        "rtdvi",
        "write",
        |mut caller: Caller<'_, Data>, stream: i32, ptr: i32, len: i32| -> Result<(), wasmi::Error> {
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
        |mut caller: Caller<'_, Data>, ptr: i32, len: i32| -> Result<i32, wasmi::Error> {
            let mem = memory(&caller)?;
            let (bytes, data) = mem.data_and_store_mut(&mut caller);
            let name = slice(bytes, ptr, len)?.to_vec();
            Ok(data.host.require(&name))
        },
    )?;
    linker.func_wrap("rtdvi", "fetch", |mut caller: Caller<'_, Data>, dst: i32| -> Result<(), wasmi::Error> {
        let mem = memory(&caller)?;
        let (bytes, data) = mem.data_and_store_mut(&mut caller);
        let pending = std::mem::take(&mut data.host.pending);
        let start = dst as u32 as usize;
        let target = bytes
            .get_mut(start..start.saturating_add(pending.len()))
            .ok_or_else(|| host_error("guest passed an out-of-bounds buffer"))?;
        target.copy_from_slice(&pending);
        Ok(())
    })?;
    linker.func_wrap(
        "wasi_snapshot_preview1",
        "clock_time_get",
        |mut caller: Caller<'_, Data>, id: i32, _precision: i64, out: i32| -> Result<i32, wasmi::Error> {
            let Some(now) = caller.data().host.clock(id) else {
                return Ok(WASI_EINVAL);
            };
            let mem = memory(&caller)?;
            mem.write(&mut caller, out as u32 as usize, &now.to_le_bytes()).map_err(|e| host_error(&e.to_string()))?;
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
        if let wasmi::ExternType::Func(ty) = import.ty() {
            let message = denied_import(&module_name, &name);
            linker.func_new(&module_name, &name, ty.clone(), move |_, _, _| Err(host_error(&message)))?;
        }
    }
    Ok(linker)
}

/// A guest instance on wasmi.
pub(crate) struct WasmiBackend {
    store: Store<Data>,
    instance: Instance,
    fuel: u64,
}

impl WasmiBackend {
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
        let setup = |e: wasmi::Error| LuaError::Setup(e.to_string());
        let linker = linker(&shared.engine, &shared.module).map_err(setup)?;
        store.set_fuel(limits.fuel).map_err(setup)?;
        let instance = linker.instantiate_and_start(&mut store, &shared.module).map_err(setup)?;
        let memory = instance.get_memory(&store, "memory");
        let trampoline = instance.get_typed_func::<(i32, i32, i32), ()>(&store, "rtdvi_try_trampoline").ok();
        let stack_pointer = instance.get_global(&store, "__stack_pointer");
        if memory.is_none() || trampoline.is_none() || stack_pointer.is_none() {
            return Err(LuaError::Setup("the Lua guest lacks required exports".into()));
        }
        let data = store.data_mut();
        data.memory = memory;
        data.trampoline = trampoline;
        data.stack_pointer = stack_pointer;
        let mut backend = WasmiBackend { store, instance, fuel: limits.fuel };
        backend.call("_initialize", &[])?;
        Ok(backend)
    }

    fn func(&mut self, name: &str) -> Result<Func, LuaError> {
        match self.instance.get_export(&self.store, name) {
            Some(Extern::Func(f)) => Ok(f),
            _ => Err(LuaError::Setup(format!("the Lua guest lacks export {name}"))),
        }
    }
}

fn map_trap(e: wasmi::Error) -> LuaError {
    match e.as_trap_code() {
        Some(TrapCode::OutOfFuel) => LuaError::Deadline,
        _ => LuaError::Trap(e.to_string()),
    }
}

impl Backend for WasmiBackend {
    fn call(&mut self, export: &str, args: &[i32]) -> Result<i32, LuaError> {
        let func = self.func(export)?;
        let params: Vec<Val> = args.iter().map(|a| Val::I32(*a)).collect();
        let mut results = [Val::I32(0)];
        let n_results = func.ty(&self.store).results().len().min(1);
        self.store.set_fuel(self.fuel).map_err(|e| LuaError::Setup(e.to_string()))?;
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
