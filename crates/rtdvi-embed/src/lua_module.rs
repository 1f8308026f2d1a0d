//! Rust (or any) libraries compiled to WebAssembly, used from Lua plugins
//! as modules: `require("textutil")` in a plugin whose folder holds
//! `textutil.wasm` gives a table whose functions call the module's exports.
//!
//! Module ABI (documented in `doc/embedding.md`): the module exports
//! `memory`, `alloc(len) -> ptr`, and each function as
//! `name(args_ptr, args_len) -> i64` taking its arguments as a UTF-8 JSON
//! array and returning `(ptr << 32) | len` of a UTF-8 JSON answer,
//! `{"ok": value}` or `{"err": "message"}`. It may import what plugins may
//! (`embed.call`, the WASI subset). Each plugin gets its own instance of
//! each module it requires, made on first call; a trap in the module is a
//! Lua error in the caller and the next call starts a fresh instance.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rtdvi_wasm::{Instance, Module, Val};

use crate::host_fn::HostFunctions;
use crate::manager::Settings;
use crate::value::Value;
use crate::wasm_plugin::{WasmHost, WasmRuntime};

/// Prefix of the host-call names module stubs use.
pub(crate) const PREFIX: &str = "module:";

/// `dir/NAME.wasm` when `name` is a plain identifier and the file exists.
pub(crate) fn module_path(dir: &Path, name: &str) -> Option<PathBuf> {
    let plain = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !name.is_empty();
    let path = dir.join(format!("{name}.wasm"));
    (plain && path.is_file()).then_some(path)
}

/// The Lua source `require` returns for module `name`.
pub(crate) fn stub(name: &str) -> String {
    format!(
        r#"local call = require("rtdvi").call
return setmetatable({{}}, {{ __index = function(t, k)
  if type(k) ~= "string" then return nil end
  local qualified = "{PREFIX}{name}." .. k
  local f = function(...) return call(qualified, ...) end
  rawset(t, k, f)
  return f
end }})
"#
    )
}

/// The module instances of one Lua plugin.
pub(crate) struct LuaModules {
    dir: Option<PathBuf>,
    settings: Settings,
    functions: Arc<HostFunctions>,
    plugin: String,
    runtime: Option<WasmRuntime>,
    loaded: HashMap<String, Instance<WasmHost>>,
}

impl LuaModules {
    pub(crate) fn new(dir: Option<PathBuf>, settings: &Settings, functions: Arc<HostFunctions>, plugin: &str) -> Self {
        LuaModules {
            dir,
            settings: settings.clone(),
            functions,
            plugin: plugin.to_owned(),
            runtime: None,
            loaded: HashMap::new(),
        }
    }

    fn instance(&mut self, module: &str) -> Result<&mut Instance<WasmHost>, String> {
        if !self.loaded.contains_key(module) {
            let path = self
                .dir
                .as_deref()
                .and_then(|d| module_path(d, module))
                .ok_or_else(|| format!("module '{module}' not found"))?;
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            if self.runtime.is_none() {
                self.runtime = Some(WasmRuntime::new(&self.settings).map_err(|e| e.to_string())?);
            }
            let runtime = self.runtime.as_ref().ok_or("no WebAssembly runtime")?;
            let compiled = Module::new(&runtime.engine, &bytes).map_err(|e| format!("module '{module}': {e}"))?;
            let host = WasmHost::new(self.functions.clone(), &self.plugin);
            let instance = runtime
                .linker
                .instantiate(&compiled, host, self.settings.wasm_limits())
                .map_err(|e| format!("module '{module}': {e}"))?;
            self.loaded.insert(module.to_owned(), instance);
        }
        self.loaded.get_mut(module).ok_or_else(|| format!("module '{module}' not found"))
    }

    /// Calls `function` of `module`; `Err` is raised in Lua.
    pub(crate) fn call(&mut self, module: &str, function: &str, args: Vec<Value>) -> Result<Value, String> {
        let input = Value::Array(args).to_string().into_bytes();
        let instance = self.instance(module)?;
        let result = call_export(instance, function, &input);
        if instance.is_poisoned() {
            // A crashed instance may hold broken state: start afresh next time.
            self.loaded.remove(module);
        }
        let answer: Value = serde_json::from_slice(&result.map_err(|e| format!("{module}.{function}: {e}"))?)
            .map_err(|e| format!("{module}.{function} returned malformed JSON ({e})"))?;
        match answer {
            Value::Object(mut map) => match (map.remove("ok"), map.remove("err")) {
                (Some(v), None) => Ok(v),
                (None, Some(Value::String(e))) => Err(e),
                _ => Err(format!("{module}.{function} returned neither ok nor err")),
            },
            _ => Err(format!("{module}.{function} returned neither ok nor err")),
        }
    }
}

fn call_export(instance: &mut Instance<WasmHost>, function: &str, input: &[u8]) -> Result<Vec<u8>, String> {
    let len = i32::try_from(input.len()).map_err(|_| "arguments too large".to_string())?;
    let mut ptr = [Val::I32(0)];
    instance.call("alloc", &[Val::I32(len)], &mut ptr).map_err(|e| e.to_string())?;
    let ptr = ptr[0].i32().unwrap_or(0);
    instance.write(ptr, input).map_err(|e| e.to_string())?;
    let mut packed = [Val::I64(0)];
    instance.call(function, &[Val::I32(ptr), Val::I32(len)], &mut packed).map_err(|e| match e {
        rtdvi_wasm::Error::NoSuchExport(_) => "no such function in the module".to_string(),
        other => format!("module crashed: {other}"),
    })?;
    let packed = packed[0].i64().unwrap_or(0) as u64;
    let (out_ptr, out_len) = ((packed >> 32) as u32 as i32, (packed & 0xffff_ffff) as u32 as i32);
    instance.read(out_ptr, out_len).map_err(|e| e.to_string())
}
