//! A Lua plugin: one Lua state in its own WebAssembly instance.
//!
//! Host functions are installed as Lua functions in their namespace table
//! (`math.add`); a namespace that already exists (Lua's `math`) is extended,
//! and a host function may not replace anything already there — loading
//! fails with a message instead, so `math.floor` always stays Lua's.
//! Lifecycle calls go through one dispatcher function made at load time,
//! which looks the global up on every call (a plugin may redefine it).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rtdvi_lua::{CallbackId, LuaError, LuaErrorKind, LuaHost, LuaRuntime, LuaValue, ModuleSource, Reentry};

use crate::error::PluginError;
use crate::host_fn::HostFunctions;
use crate::manager::CallOutcome;
use crate::value::{from_lua, to_lua, Value};

/// Installs the host functions and returns the lifecycle dispatcher.
const PRELUDE_HEAD: &str = r#"
local call = require("rtdvi").call
local function install(ns, name)
  local t = rawget(_G, ns)
  if t == nil then t = {}; rawset(_G, ns, t) end
  if type(t) ~= "table" then
    error("host namespace '" .. ns .. "' clashes with a global " .. type(t), 0)
  end
  if rawget(t, name) ~= nil then
    error("host function " .. ns .. "." .. name .. " would replace an existing value", 0)
  end
  local qualified = ns .. "." .. name
  rawset(t, name, function(...) return call(qualified, ...) end)
end
"#;

const PRELUDE_TAIL: &str = r#"
return function(name, ...)
  local f = rawget(_G, name)
  if f == nil then return false end
  return true, f(...)
end
"#;

fn prelude(functions: &HostFunctions) -> String {
    let mut src = String::from(PRELUDE_HEAD);
    // Names are Lua identifiers (checked at registration): no quoting needed.
    for (ns, name) in functions.names() {
        src.push_str(&format!("install(\"{ns}\", \"{name}\")\n"));
    }
    src.push_str(PRELUDE_TAIL);
    src
}

/// Answers the plugin's host calls from the manager's functions.
struct Dispatch<'a> {
    functions: &'a HostFunctions,
    plugin: &'a str,
}

impl LuaHost for Dispatch<'_> {
    fn call(&mut self, _lua: &mut Reentry<'_>, name: &str, args: Vec<LuaValue>) -> Result<Vec<LuaValue>, LuaValue> {
        let args = args
            .iter()
            .map(from_lua)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| LuaValue::string(format!("bad arguments to '{name}' ({e})")))?;
        match self.functions.call(self.plugin, name, args) {
            Ok(v) => Ok(vec![to_lua(&v)]),
            Err(message) => Err(LuaValue::string(message)),
        }
    }
}

/// How a Lua error shows to the embedding program.
pub(crate) fn plugin_error(e: LuaError, memory_limit: usize) -> PluginError {
    match e {
        LuaError::Lua { kind: LuaErrorKind::Memory, .. } => PluginError::Memory { limit: memory_limit },
        LuaError::Lua { message, traceback, .. } => PluginError::Script { message, traceback },
        LuaError::Deadline => PluginError::Deadline,
        LuaError::Trap(m) | LuaError::Protocol(m) => PluginError::Crashed(m),
        LuaError::Discarded => PluginError::Stopped("stopped after an earlier fatal error".into()),
        LuaError::Setup(m) => PluginError::Setup(m),
    }
}

/// A loaded Lua plugin.
pub(crate) struct LuaPlugin {
    runtime: LuaRuntime,
    dispatcher: CallbackId,
    memory_limit: usize,
}

/// Resolves `require("a.b")` to `<dir>/a/b.lua`, `<dir>/a/b/init.lua` or,
/// after those (where Lua looks for C modules), the WebAssembly library
/// `<dir>/a/b.wasm`; refuses names that could leave the plugin's folder.
fn module_finder(dir: PathBuf) -> impl FnMut(&str) -> Result<ModuleSource, String> + Send + 'static {
    move |name: &str| {
        let safe = !name.is_empty()
            && name
                .split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'));
        if !safe {
            return Err(format!("no module '{name}' in the plugin's folder"));
        }
        let rel: PathBuf = name.split('.').collect();
        let candidates = [dir.join(&rel).with_extension("lua"), dir.join(&rel).join("init.lua")];
        for path in candidates {
            if let Ok(source) = std::fs::read_to_string(&path) {
                return Ok(ModuleSource::lua(format!("@{}", path.display()), source));
            }
        }
        let library = dir.join(&rel).with_extension("wasm");
        if let Ok(bytes) = std::fs::read(&library) {
            return Ok(ModuleSource::Wasm { origin: library.display().to_string(), bytes });
        }
        Err(format!("no file '{0}.lua' or '{0}.wasm' in the plugin's folder", rel.display()))
    }
}

impl LuaPlugin {
    /// Starts a state, installs the host functions and runs `source`.
    pub(crate) fn load(
        settings: &crate::manager::Settings,
        functions: &Arc<HostFunctions>,
        plugin: &str,
        chunk_name: &str,
        source: &str,
        dir: Option<&Path>,
    ) -> Result<Self, PluginError> {
        let limit = settings.memory_per_plugin;
        let err = |e| plugin_error(e, limit);
        let mut runtime = LuaRuntime::new(settings.engine, settings.lua_limits()).map_err(err)?;
        if let Some(dir) = dir {
            runtime.set_require(module_finder(dir.to_path_buf()));
        }
        let mut host = Dispatch { functions, plugin };
        let returned = runtime.exec_with(&mut host, "=rtdvi-embed", &prelude(functions)).map_err(err)?;
        let Some(LuaValue::Function(dispatcher)) = returned.first().cloned() else {
            return Err(PluginError::Setup("the plugin prelude returned no dispatcher".into()));
        };
        runtime.exec_with(&mut host, chunk_name, source).map_err(err)?;
        Ok(LuaPlugin { runtime, dispatcher, memory_limit: limit })
    }

    /// Calls global `function` with `args`.
    pub(crate) fn call(
        &mut self,
        functions: &HostFunctions,
        plugin: &str,
        function: &str,
        args: &[Value],
    ) -> CallOutcome {
        let mut lua_args = Vec::with_capacity(args.len() + 1);
        lua_args.push(LuaValue::string(function));
        lua_args.extend(args.iter().map(to_lua));
        let mut host = Dispatch { functions, plugin };
        let mut returned = match self.runtime.call_with(&mut host, self.dispatcher, &lua_args) {
            Ok(values) => values.into_iter(),
            Err(e) => return CallOutcome::Failed(plugin_error(e, self.memory_limit)),
        };
        match returned.next() {
            Some(LuaValue::Boolean(true)) => {}
            _ => return CallOutcome::Missing,
        }
        let first = returned.next().unwrap_or(LuaValue::Nil);
        match from_lua(&first) {
            Ok(v) => CallOutcome::Returned(v),
            Err(e) => CallOutcome::Failed(e),
        }
    }

    /// False once a fatal error discarded the state.
    pub(crate) fn is_alive(&self) -> bool {
        self.runtime.is_alive()
    }

    /// Takes what the plugin printed with `print` (UTF-8, lossy).
    pub(crate) fn take_output(&mut self) -> String {
        String::from_utf8_lossy(&self.runtime.take_output().stdout).into_owned()
    }

    /// Bytes held by the Lua heap.
    pub(crate) fn memory_used(&mut self) -> Option<usize> {
        self.runtime.memory_used().ok()
    }
}
