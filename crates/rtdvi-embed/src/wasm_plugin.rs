//! A raw WebAssembly plugin speaking the embedding ABI (see
//! `doc/embedding.md`):
//!
//! - exports `memory` and its lifecycle functions, each taking no
//!   parameters and returning nothing or one number;
//! - may import `embed.call(name_ptr, name_len, args_ptr, args_len) -> i32`
//!   to call a host function with its arguments as a UTF-8 JSON array. The
//!   result is `n >= 0`, the length of the JSON result, or `-(n + 1)` for an
//!   error message of `n` bytes; the guest then copies those bytes to a
//!   buffer of its own with `embed.take(ptr)`;
//! - may import the WASI subset of `rtdvi-wasm` (random, clocks); any other
//!   import traps when called, naming itself.
//!
//! JSON keeps the ABI small and easy to speak from any language; the
//! messages are small (arguments of host calls, not bulk data).

use std::sync::Arc;

use rtdvi_wasm::{Engine, EngineConfig, Error, FuncType, HostError, Instance, Linker, Module, TrapKind, Val, ValType};

use crate::error::PluginError;
use crate::host_fn::HostFunctions;
use crate::manager::{CallOutcome, Settings};
use crate::value::Value;

/// Host state of one WASM plugin.
pub(crate) struct WasmHost {
    functions: Arc<HostFunctions>,
    plugin: String,
    /// Bytes of the last `embed.call` answer, waiting for `embed.take`.
    pending: Vec<u8>,
}

impl WasmHost {
    pub(crate) fn new(functions: Arc<HostFunctions>, plugin: &str) -> Self {
        WasmHost { functions, plugin: plugin.to_owned(), pending: Vec::new() }
    }
}

/// The engine and linker WASM plugins of one manager share.
pub(crate) struct WasmRuntime {
    pub(crate) engine: Engine,
    pub(crate) linker: Linker<WasmHost>,
}

fn arg(args: &[Val], i: usize) -> Result<i32, HostError> {
    args.get(i).and_then(Val::i32).ok_or_else(|| HostError::new(format!("argument {i} is not an i32")))
}

impl WasmRuntime {
    pub(crate) fn new(settings: &Settings) -> Result<Self, PluginError> {
        let setup = |e: Error| PluginError::Setup(e.to_string());
        let engine = Engine::new(settings.engine, &EngineConfig::default()).map_err(setup)?;
        let mut linker = Linker::<WasmHost>::new();
        linker.define_wasi().map_err(setup)?;
        use ValType::I32;
        linker
            .define("embed", "call", FuncType::new([I32; 4], [I32]), |caller, args, results| {
                let name = caller.read_string(arg(args, 0)?, arg(args, 1)?)?;
                let json = caller.read(arg(args, 2)?, arg(args, 3)?)?;
                let host = caller.data_mut();
                let answer = match serde_json::from_slice::<Vec<Value>>(&json) {
                    Ok(args) => host.functions.call(&host.plugin, &name, args),
                    Err(e) => Err(format!("bad arguments to '{name}' (not a JSON array: {e})")),
                };
                let (bytes, ok) = match answer.map(|v| v.to_string()) {
                    Ok(text) => (text.into_bytes(), true),
                    Err(message) => (message.into_bytes(), false),
                };
                let len = i32::try_from(bytes.len()).map_err(|_| HostError::new("host answer too large"))?;
                host.pending = bytes;
                if let Some(slot) = results.first_mut() {
                    *slot = Val::I32(if ok { len } else { -len - 1 });
                }
                Ok(())
            })
            .map_err(setup)?;
        linker
            .define("embed", "take", FuncType::new([I32], []), |caller, args, _| {
                let pending = std::mem::take(&mut caller.data_mut().pending);
                caller.write(arg(args, 0)?, &pending)?;
                Ok(())
            })
            .map_err(setup)?;
        Ok(WasmRuntime { engine, linker })
    }
}

/// How an engine error shows to the embedding program.
fn plugin_error(e: Error, memory_limit: usize) -> PluginError {
    match e {
        Error::Trap(t) if t.kind == TrapKind::Deadline => PluginError::Deadline,
        Error::Trap(t) if t.kind == TrapKind::OutOfMemory => PluginError::Memory { limit: memory_limit },
        Error::Trap(t) => PluginError::Crashed(t.message),
        Error::Poisoned(m) => PluginError::Stopped(m),
        Error::InvalidModule(m) => PluginError::Load(m),
        other => PluginError::Crashed(other.to_string()),
    }
}

/// A loaded WASM plugin.
pub(crate) struct WasmPlugin {
    instance: Instance<WasmHost>,
    memory_limit: usize,
}

impl WasmPlugin {
    /// Compiles and instantiates `bytes` (binary or WAT).
    pub(crate) fn load(
        runtime: &WasmRuntime,
        settings: &Settings,
        functions: Arc<HostFunctions>,
        plugin: &str,
        bytes: &[u8],
    ) -> Result<Self, PluginError> {
        let limit = settings.memory_per_plugin;
        let module = Module::new(&runtime.engine, bytes).map_err(|e| plugin_error(e, limit))?;
        let host = WasmHost::new(functions, plugin);
        let instance =
            runtime.linker.instantiate(&module, host, settings.wasm_limits()).map_err(|e| plugin_error(e, limit))?;
        Ok(WasmPlugin { instance, memory_limit: limit })
    }

    /// Calls export `function` (no parameters, at most one numeric result).
    pub(crate) fn call(&mut self, function: &str, args: &[Value]) -> CallOutcome {
        let limit = self.memory_limit;
        let func = match self.instance.func(function) {
            Ok(f) => f,
            Err(Error::NoSuchExport(_)) => return CallOutcome::Missing,
            Err(e) => return CallOutcome::Failed(plugin_error(e, limit)),
        };
        if !func.ty().params().is_empty() || func.ty().results().len() > 1 {
            let why = format!("lifecycle export {function} must be () -> () or () -> number, not {}", func.ty());
            return CallOutcome::Failed(PluginError::Load(why));
        }
        if !args.is_empty() {
            let why = format!("lifecycle export {function} takes no arguments ({} given)", args.len());
            return CallOutcome::Failed(PluginError::Conversion(why));
        }
        let mut results: Vec<Val> = func.ty().results().iter().map(|t| t.zero()).collect();
        if let Err(e) = self.instance.call_func(&func, &[], &mut results) {
            return CallOutcome::Failed(plugin_error(e, limit));
        }
        let value = match results.first() {
            None => Value::Null,
            Some(Val::I32(i)) => Value::from(*i),
            Some(Val::I64(i)) => Value::from(*i),
            Some(Val::F32(f)) => serde_json::Number::from_f64(f64::from(*f)).map(Value::Number).unwrap_or(Value::Null),
            Some(Val::F64(f)) => serde_json::Number::from_f64(*f).map(Value::Number).unwrap_or(Value::Null),
        };
        CallOutcome::Returned(value)
    }

    /// False once a trap poisoned the instance.
    pub(crate) fn is_alive(&self) -> bool {
        !self.instance.is_poisoned()
    }
}
