//! WebAssembly libraries as Lua modules: `require("textutil")` resolved by
//! the host's [`crate::RequireFn`] to [`ModuleSource::Wasm`] gives a table
//! of Lua functions that call the library's exports in a sandbox of their
//! own. Written once here, so every user of [`crate::LuaRuntime`] (the
//! editor's Lua, the embeddable plugin manager) gets it.
//!
//! # Module ABI (the pdk's `lua_module!` writes it; see `doc/pdk.md`)
//! - exports `memory`, `alloc(len) -> ptr` and `dealloc(ptr, len)`;
//! - each Lua function `F` is the export `lua:F(args_ptr, args_len) -> i64`:
//!   the arguments arrive as one msgpack array (the host frees it after the
//!   call), and the result is `(ptr << 32) | len` of a msgpack array
//!   `[true, value]` or `[false, "message"]` that the host reads and then
//!   frees with `dealloc(ptr, len)`;
//! - imports: only the WASI subset every plugin gets (randomness, clocks);
//!   anything else traps when called, naming the import.
//!
//! Values convert as the editor API converts them (`bridge::convert`):
//! numbers, strings, booleans, nil, tables with keys `1..n` as arrays, other
//! tables as maps (number keys written out as strings), and back. Functions
//! cannot cross.
//!
//! # Isolation
//! Each Lua state gets its own instance of each library it requires, on the
//! Lua guest's engine, with the Lua state's memory limit and half its
//! per-call deadline (wasmi: fuel) for every call into the library: on
//! wasmtime the time spent in a library also counts for the Lua call, so a
//! runaway library must stop while the caller still has time to handle
//! the error. A trap — a Rust
//! panic, an out-of-bounds access, the deadline, memory exhaustion — is a
//! Lua error in the caller (`pcall` catches it; the Lua state is unharmed),
//! and the library's next call starts from a fresh instance. Compiled
//! libraries are shared process-wide (keyed by engine and bytes), so 1,000
//! plugins requiring one library compile it once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use rtdvi_wasm::{EngineKind, Error, FuncType, Instance, InstancePre, Linker, Module, TrapKind, Val, ValType};

use crate::bridge::{from_msgpack, to_msgpack};
use crate::value::LuaValue;

/// Export-name prefix of the functions a library offers to Lua.
pub(crate) const EXPORT_PREFIX: &str = "lua:";
/// Host-call names that reach a library instead of the [`crate::LuaHost`]:
/// `"\0wasm:<index>:<function>"` (a NUL no Lua host function name has).
pub(crate) const CALL_PREFIX: &str = "\0wasm:";
/// Deepest msgpack nesting read back from a library (as the Lua codec).
const MAX_DEPTH: usize = 100;

/// The libraries one Lua state has required.
pub(crate) struct WasmModules {
    kind: EngineKind,
    limits: rtdvi_wasm::Limits,
    loaded: Vec<Library>,
    /// Set when `load` compiled a library (see [`WasmModules::take_compiled`]).
    compiled: bool,
}

struct Library {
    name: String,
    pre: InstancePre<()>,
    /// Made on first call; dropped after a trap.
    instance: Option<Instance<()>>,
}

/// Compiled libraries per engine, keyed by their bytes.
type Compiled = HashMap<(EngineKind, Arc<[u8]>), InstancePre<()>>;
static COMPILED: OnceLock<Mutex<Compiled>> = OnceLock::new();

/// The library linked for `engine`, and whether it was compiled just now
/// (not found in the process-wide cache).
fn prepare(engine: &rtdvi_wasm::Engine, bytes: &[u8]) -> Result<(InstancePre<()>, bool), String> {
    let key: (EngineKind, Arc<[u8]>) = (engine.kind(), Arc::from(bytes));
    let cache = COMPILED.get_or_init(Mutex::default);
    if let Some(pre) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok((pre, false));
    }
    let module = Module::new(engine, bytes).map_err(|e| e.to_string())?;
    let packed = FuncType::new([ValType::I32, ValType::I32], [ValType::I64]);
    module.require_export("alloc", &FuncType::new([ValType::I32], [ValType::I32])).map_err(|e| e.to_string())?;
    module.require_export("dealloc", &FuncType::new([ValType::I32, ValType::I32], [])).map_err(|e| e.to_string())?;
    for export in module.exports() {
        if let Some(function) = export.name.strip_prefix(EXPORT_PREFIX) {
            if !is_identifier(function) {
                return Err(format!("export '{}' is not a Lua identifier", export.name));
            }
            module.require_export(&export.name, &packed).map_err(|e| e.to_string())?;
        }
    }
    let mut linker = Linker::<()>::new();
    linker.define_wasi().map_err(|e| e.to_string())?;
    let pre = linker.prepare(&module).map_err(|e| e.to_string())?;
    if let Ok(mut c) = cache.lock() {
        c.insert(key, pre.clone());
    }
    Ok((pre, true))
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl WasmModules {
    /// Libraries for a Lua state on `kind` with the state's memory limit and
    /// per-call `deadline` (already converted for the engine).
    pub(crate) fn new(kind: EngineKind, memory_bytes: usize, deadline: Duration) -> Self {
        let limits =
            rtdvi_wasm::Limits { memory_bytes: Some(memory_bytes), deadline: Some(deadline / 2), ..Default::default() };
        WasmModules { kind, limits, loaded: Vec::new(), compiled: false }
    }

    /// True while no library was loaded.
    pub(crate) fn is_empty(&self) -> bool {
        self.loaded.is_empty()
    }

    /// Loads library `name` from `bytes` and returns the Lua source of the
    /// table `require` gives back.
    pub(crate) fn load(&mut self, engine: &rtdvi_wasm::Engine, name: &str, bytes: &[u8]) -> Result<String, String> {
        debug_assert_eq!(engine.kind(), self.kind);
        let (pre, compiled) = prepare(engine, bytes).map_err(|e| format!("module '{name}': {e}"))?;
        self.compiled |= compiled;
        let mut functions: Vec<&str> =
            pre.module().exports().iter().filter_map(|e| e.name.strip_prefix(EXPORT_PREFIX)).collect();
        functions.sort_unstable();
        let index = self.loaded.len();
        // The host answers `ok, value`; `error(msg, 2)` puts the caller's
        // position in front of a message, as Lua's own functions do.
        let mut source = String::from("local call, error = require('rtdvi').call, error\nlocal M = {}\n");
        for f in &functions {
            // Identifiers only (checked in `prepare`): no quoting needed.
            source.push_str(&format!(
                "function M.{f}(...) local ok, v = call('\\0wasm:{index}:{f}', ...) \
                 if not ok then error(v, 2) end return v end\n"
            ));
        }
        source.push_str("return M\n");
        self.loaded.push(Library { name: name.to_owned(), pre, instance: None });
        Ok(source)
    }

    /// True once after `load` compiled a library: the `require` import then
    /// gives the Lua call its deadline back, as compiling (Cranelift: up to
    /// seconds in a debug build) is the host's work, done once per library
    /// and process, which a plugin cannot repeat to dodge its deadline.
    pub(crate) fn take_compiled(&mut self) -> bool {
        std::mem::take(&mut self.compiled)
    }

    /// Handles a host call named `"\0wasm:<index>:<function>"` (the prefix
    /// already removed); `Err` is raised in Lua.
    pub(crate) fn call(&mut self, target: &str, args: &[LuaValue]) -> Result<LuaValue, String> {
        let (index, function) = target.split_once(':').ok_or("malformed module call")?;
        let library = index
            .parse::<usize>()
            .ok()
            .and_then(|i| self.loaded.get_mut(i))
            .ok_or("call to a module that was not loaded")?;
        let limits = self.limits.clone();
        library.call(function, args, limits)
    }
}

impl Library {
    fn call(&mut self, function: &str, args: &[LuaValue], limits: rtdvi_wasm::Limits) -> Result<LuaValue, String> {
        let qualified = format!("{}.{function}", self.name);
        if args.iter().any(|a| matches!(a, LuaValue::Function(_))) {
            return Err(format!("{qualified}: a function cannot be passed to a module"));
        }
        let mut input = Vec::new();
        let values = rmpv::Value::Array(args.iter().map(to_msgpack).collect());
        rmpv::encode::write_value(&mut input, &values).map_err(|e| format!("{qualified}: {e}"))?;
        if self.instance.is_none() {
            let instance = self.pre.instantiate((), limits).map_err(|e| format!("{qualified}: {}", describe(&e)))?;
            self.instance = Some(instance);
        }
        let instance = self.instance.as_mut().ok_or("module instance missing")?;
        let result = invoke(instance, &format!("{EXPORT_PREFIX}{function}"), &input);
        if instance.is_poisoned() {
            // Its memory may be inconsistent: the next call starts afresh.
            self.instance = None;
        }
        let reply = result.map_err(|e| format!("{qualified}: {e}"))?;
        let decoded = rmpv::decode::read_value_with_max_depth(&mut reply.as_slice(), MAX_DEPTH)
            .map_err(|e| format!("{qualified}: malformed reply ({e})"))?;
        match decoded {
            rmpv::Value::Array(mut pair) if pair.len() == 2 => {
                let value = pair.pop().unwrap_or(rmpv::Value::Nil);
                match pair.pop() {
                    Some(rmpv::Value::Boolean(true)) => Ok(from_msgpack(&value)),
                    Some(rmpv::Value::Boolean(false)) => Err(match value {
                        rmpv::Value::String(s) => s.into_str().unwrap_or_else(|| "error".into()),
                        other => other.to_string(),
                    }),
                    _ => Err(format!("{qualified}: malformed reply")),
                }
            }
            _ => Err(format!("{qualified}: malformed reply")),
        }
    }
}

/// How a failed call into a library reads in Lua.
fn describe(e: &Error) -> String {
    match e {
        Error::Trap(t) => match &t.kind {
            TrapKind::Deadline => "module exceeded its time limit".into(),
            TrapKind::OutOfMemory => "module ran out of memory".into(),
            _ => format!("module crashed: {}", t.message),
        },
        Error::NoSuchExport(_) => "no such function in the module".into(),
        other => format!("module crashed: {other}"),
    }
}

fn invoke(instance: &mut Instance<()>, export: &str, input: &[u8]) -> Result<Vec<u8>, String> {
    let len = i32::try_from(input.len()).map_err(|_| "arguments too large".to_string())?;
    let mut ptr = [Val::I32(0)];
    instance.call("alloc", &[Val::I32(len)], &mut ptr).map_err(|e| describe(&e))?;
    let ptr = ptr[0].i32().unwrap_or(0);
    if ptr == 0 && len > 0 {
        return Err("module ran out of memory".into());
    }
    instance.write(ptr, input).map_err(|e| format!("module crashed: {e}"))?;
    let mut packed = [Val::I64(0)];
    let called = instance.call(export, &[Val::I32(ptr), Val::I32(len)], &mut packed).map_err(|e| describe(&e));
    if !instance.is_poisoned() {
        // The arguments belong to the host: free them even when the call failed.
        let _ = instance.call("dealloc", &[Val::I32(ptr), Val::I32(len)], &mut []);
    }
    called?;
    let packed = packed[0].i64().unwrap_or(0) as u64;
    let (out_ptr, out_len) = ((packed >> 32) as u32 as i32, packed as u32 as i32);
    let reply = instance.read(out_ptr, out_len).map_err(|e| format!("module crashed: {e}"))?;
    let _ = instance.call("dealloc", &[Val::I32(out_ptr), Val::I32(out_len)], &mut []);
    Ok(reply)
}
