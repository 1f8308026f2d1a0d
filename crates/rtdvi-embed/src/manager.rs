//! The plugin manager: loads plugins, calls their lifecycle functions and
//! keeps failures of one plugin away from the others.

use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rtdvi_lua::{EngineKind, Limits as LuaLimits};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{BuildError, PluginError};
use crate::host_fn::{CallContext, HostFunctions};
use crate::lua_plugin::LuaPlugin;
use crate::value::Value;
use crate::wasm_plugin::{WasmPlugin, WasmRuntime};

/// Limits and engine shared by every plugin of a manager.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) engine: EngineKind,
    pub(crate) memory_per_plugin: usize,
    pub(crate) deadline: Duration,
}

impl Settings {
    pub(crate) fn lua_limits(&self) -> LuaLimits {
        LuaLimits {
            memory_bytes: self.memory_per_plugin,
            deadline: self.deadline,
            fuel: LuaLimits::fuel_for(self.deadline),
            output_bytes: 1 << 16,
        }
    }

    pub(crate) fn wasm_limits(&self) -> rtdvi_wasm::Limits {
        rtdvi_wasm::Limits {
            memory_bytes: Some(self.memory_per_plugin),
            deadline: Some(self.deadline),
            ..rtdvi_wasm::Limits::default()
        }
    }
}

/// What calling a lifecycle function on one plugin gave.
#[derive(Debug, Clone, PartialEq)]
pub enum CallOutcome {
    /// The function ran and returned this (its first result; `Null` for none).
    Returned(Value),
    /// The function ran and failed; the plugin keeps running unless the
    /// error [is fatal](PluginError::is_fatal).
    Failed(PluginError),
    /// The plugin defines no such function.
    Missing,
}

impl CallOutcome {
    /// True when the function returned exactly `false` (a plugin saying "stop").
    pub fn is_false(&self) -> bool {
        matches!(self, CallOutcome::Returned(Value::Bool(false)))
    }

    /// The returned value decoded as `T`; `None` if the call did not return
    /// or the value does not fit `T`.
    pub fn returned<T: DeserializeOwned>(&self) -> Option<T> {
        match self {
            CallOutcome::Returned(v) => serde_json::from_value(v.clone()).ok(),
            _ => None,
        }
    }
}

/// One plugin's outcome in [`PluginManager::call_all`].
#[derive(Debug, Clone, PartialEq)]
pub struct PluginOutcome {
    /// The plugin's name.
    pub plugin: String,
    /// What the call gave.
    pub outcome: CallOutcome,
}

/// Each plugin found by [`PluginManager::load_dir`], with its load result.
pub type LoadReport = Vec<(String, Result<(), PluginError>)>;

/// Where a plugin came from, so it can be reloaded.
#[derive(Debug, Clone)]
enum Source {
    LuaFile(PathBuf),
    LuaText(String),
    WasmFile(PathBuf),
    WasmBytes(Arc<[u8]>),
}

/// Which kind of plugin a loaded plugin is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PluginKind {
    /// A Lua plugin (`main.lua`).
    Lua,
    /// A raw WebAssembly plugin speaking the embedding ABI.
    Wasm,
}

/// Whether a plugin runs.
#[derive(Debug, Clone, PartialEq)]
pub enum PluginStatus {
    /// Loaded and called by [`PluginManager::call_all`].
    Running,
    /// Stopped by a fatal error (deadline, crash); skipped until reloaded.
    Stopped(PluginError),
}

enum Instance {
    Lua(Box<LuaPlugin>),
    Wasm(Box<WasmPlugin>),
}

struct Plugin {
    name: String,
    source: Source,
    instance: Option<Instance>,
    stopped_by: Option<PluginError>,
}

/// Builds a [`PluginManager`]: limits, engine and host functions.
pub struct PluginManagerBuilder {
    settings: Settings,
    functions: HostFunctions,
    error: Option<BuildError>,
}

impl std::fmt::Debug for PluginManagerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginManagerBuilder")
            .field("settings", &self.settings)
            .field("functions", &self.functions)
            .finish()
    }
}

impl PluginManagerBuilder {
    /// The engine running the plugins (default: `RTDVI_WASM_RUNTIME`, else
    /// wasmtime).
    pub fn engine(mut self, engine: EngineKind) -> Self {
        self.settings.engine = engine;
        self
    }

    /// Linear memory each plugin may use, in bytes (default 16 MiB; a Lua
    /// plugin needs a little over 1 MiB to start).
    pub fn memory_per_plugin(mut self, bytes: usize) -> Self {
        self.settings.memory_per_plugin = bytes;
        self
    }

    /// CPU time one call into a plugin may take (default 100 ms). On wasmi,
    /// which has no clock interruption, it is converted to fuel.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.settings.deadline = deadline;
        self
    }

    /// Registers host function `namespace.name` (see the crate docs). An
    /// invalid or duplicate name is reported by [`PluginManagerBuilder::build`].
    pub fn function<A, R, E, F>(mut self, namespace: &str, name: &str, f: F) -> Self
    where
        A: DeserializeOwned,
        R: Serialize,
        E: Display,
        F: Fn(&CallContext<'_>, A) -> Result<R, E> + Send + Sync + 'static,
    {
        if let Err(e) = self.functions.insert(namespace, name, f) {
            self.error.get_or_insert(e);
        }
        self
    }

    /// The manager, or the first registration mistake.
    pub fn build(self) -> Result<PluginManager, BuildError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if !self.settings.engine.is_available() {
            return Err(BuildError::Engine(format!("{} is not compiled into this build", self.settings.engine)));
        }
        Ok(PluginManager {
            settings: self.settings,
            functions: Arc::new(self.functions),
            plugins: Vec::new(),
            wasm: None,
        })
    }
}

/// Plugins, each in its own sandboxed instance, and the host functions
/// they may call. See the crate docs for an example.
pub struct PluginManager {
    settings: Settings,
    functions: Arc<HostFunctions>,
    plugins: Vec<Plugin>,
    wasm: Option<WasmRuntime>,
}

impl std::fmt::Debug for PluginManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginManager")
            .field("settings", &self.settings)
            .field("plugins", &self.names().collect::<Vec<_>>())
            .finish()
    }
}

/// Arguments for a call: `()` / `null` is none, an array or tuple is spread,
/// anything else is one argument.
fn call_args(args: impl Serialize) -> Result<Vec<Value>, PluginError> {
    match serde_json::to_value(args).map_err(|e| PluginError::Conversion(e.to_string()))? {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => Ok(items),
        one => Ok(vec![one]),
    }
}

impl PluginManager {
    /// A builder with default limits and no host functions.
    pub fn builder() -> PluginManagerBuilder {
        let engine = EngineKind::from_env_or(None).unwrap_or(EngineKind::Wasmtime);
        PluginManagerBuilder {
            settings: Settings { engine, memory_per_plugin: 16 << 20, deadline: Duration::from_millis(100) },
            functions: HostFunctions::default(),
            error: None,
        }
    }

    /// The engine the plugins run on.
    pub fn engine(&self) -> EngineKind {
        self.settings.engine
    }

    /// Names of the loaded plugins, in load order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.plugins.iter().map(|p| p.name.as_str())
    }

    /// Whether plugin `name` runs, or `None` if no such plugin is loaded.
    pub fn status(&self, name: &str) -> Option<PluginStatus> {
        let p = self.plugins.iter().find(|p| p.name == name)?;
        Some(match &p.stopped_by {
            Some(e) => PluginStatus::Stopped(e.clone()),
            None => PluginStatus::Running,
        })
    }

    /// The kind of plugin `name`.
    pub fn kind(&self, name: &str) -> Option<PluginKind> {
        let p = self.plugins.iter().find(|p| p.name == name)?;
        Some(match p.source {
            Source::LuaFile(_) | Source::LuaText(_) => PluginKind::Lua,
            Source::WasmFile(_) | Source::WasmBytes(_) => PluginKind::Wasm,
        })
    }

    /// Loads a Lua plugin from source text and runs its top level.
    pub fn load_lua(&mut self, name: &str, source: &str) -> Result<(), PluginError> {
        self.add(name, Source::LuaText(source.to_owned()))
    }

    /// Loads a WebAssembly plugin (binary or WAT text).
    pub fn load_wasm(&mut self, name: &str, bytes: &[u8]) -> Result<(), PluginError> {
        self.add(name, Source::WasmBytes(bytes.into()))
    }

    /// Loads every plugin in `dir`: `dir/NAME/main.lua` (its folder also
    /// serves `require`), `dir/NAME/main.wasm` and `dir/NAME.wasm`, in name
    /// order. Returns each plugin's result; a plugin that fails to load is
    /// left out and the others load.
    pub fn load_dir(&mut self, dir: impl AsRef<Path>) -> Result<LoadReport, PluginError> {
        let dir = dir.as_ref();
        let entries = std::fs::read_dir(dir).map_err(|e| PluginError::Load(format!("{}: {e}", dir.display())))?;
        let mut found: Vec<(String, Source)> = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            let Some(stem) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else { continue };
            if path.is_dir() {
                if path.join("main.lua").is_file() {
                    found.push((stem, Source::LuaFile(path.join("main.lua"))));
                } else if path.join("main.wasm").is_file() {
                    found.push((stem, Source::WasmFile(path.join("main.wasm"))));
                }
            } else if path.extension().is_some_and(|e| e == "wasm") {
                found.push((stem, Source::WasmFile(path)));
            }
        }
        found.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(found
            .into_iter()
            .map(|(name, source)| {
                let result = self.add(&name, source);
                (name, result)
            })
            .collect())
    }

    fn add(&mut self, name: &str, source: Source) -> Result<(), PluginError> {
        if self.plugins.iter().any(|p| p.name == name) {
            return Err(PluginError::Load(format!("a plugin named '{name}' is already loaded")));
        }
        let instance = self.instantiate(name, &source)?;
        self.plugins.push(Plugin { name: name.to_owned(), source, instance: Some(instance), stopped_by: None });
        Ok(())
    }

    fn instantiate(&mut self, name: &str, source: &Source) -> Result<Instance, PluginError> {
        let read = |path: &Path| std::fs::read(path).map_err(|e| PluginError::Load(format!("{}: {e}", path.display())));
        match source {
            Source::LuaFile(path) => {
                let bytes = read(path)?;
                let text = String::from_utf8(bytes)
                    .map_err(|_| PluginError::Load(format!("{}: not UTF-8 text", path.display())))?;
                // Short names in messages: `counter/main.lua:6: ...`.
                let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
                let chunk = format!("@{name}/{file}");
                let plugin = LuaPlugin::load(&self.settings, &self.functions, name, &chunk, &text, path.parent())?;
                Ok(Instance::Lua(Box::new(plugin)))
            }
            Source::LuaText(text) => {
                let plugin = LuaPlugin::load(&self.settings, &self.functions, name, name, text, None)?;
                Ok(Instance::Lua(Box::new(plugin)))
            }
            Source::WasmFile(path) => {
                let bytes = read(path)?;
                self.instantiate_wasm(name, &bytes)
            }
            Source::WasmBytes(bytes) => self.instantiate_wasm(name, &bytes.clone()),
        }
    }

    fn instantiate_wasm(&mut self, name: &str, bytes: &[u8]) -> Result<Instance, PluginError> {
        if self.wasm.is_none() {
            self.wasm = Some(WasmRuntime::new(&self.settings)?);
        }
        let runtime = self.wasm.as_ref().ok_or_else(|| PluginError::Setup("no WebAssembly runtime".into()))?;
        let plugin = WasmPlugin::load(runtime, &self.settings, self.functions.clone(), name, bytes)?;
        Ok(Instance::Wasm(Box::new(plugin)))
    }

    /// Unloads plugin `name`; false if it was not loaded.
    pub fn unload(&mut self, name: &str) -> bool {
        let before = self.plugins.len();
        self.plugins.retain(|p| p.name != name);
        self.plugins.len() != before
    }

    /// Starts plugin `name` afresh from its source (files are read again),
    /// also after a fatal error. On failure the plugin stays loaded and
    /// stopped with that error.
    pub fn reload(&mut self, name: &str) -> Result<(), PluginError> {
        let index =
            self.plugins.iter().position(|p| p.name == name).ok_or_else(|| PluginError::NotFound(name.to_owned()))?;
        let source = self.plugins[index].source.clone();
        // The old instance goes first: its memory is released before the new one starts.
        self.plugins[index].instance = None;
        match self.instantiate(name, &source) {
            Ok(instance) => {
                self.plugins[index].instance = Some(instance);
                self.plugins[index].stopped_by = None;
                Ok(())
            }
            Err(e) => {
                self.plugins[index].stopped_by = Some(e.clone());
                Err(e)
            }
        }
    }

    /// Calls `function` with `args` on every running plugin, in load order.
    /// Stopped plugins are skipped (see [`PluginManager::status`]); a
    /// plugin whose call is fatal is stopped and reported once, here.
    pub fn call_all(&mut self, function: &str, args: impl Serialize) -> Vec<PluginOutcome> {
        let args = match call_args(args) {
            Ok(a) => a,
            Err(e) => {
                return self
                    .plugins
                    .iter()
                    .filter(|p| p.stopped_by.is_none())
                    .map(|p| PluginOutcome { plugin: p.name.clone(), outcome: CallOutcome::Failed(e.clone()) })
                    .collect()
            }
        };
        let functions = self.functions.clone();
        let mut outcomes = Vec::with_capacity(self.plugins.len());
        for plugin in &mut self.plugins {
            if plugin.stopped_by.is_some() {
                continue;
            }
            let outcome = call_plugin(plugin, &functions, function, &args);
            outcomes.push(PluginOutcome { plugin: plugin.name.clone(), outcome });
        }
        outcomes
    }

    /// Calls `function` with `args` on plugin `name` alone.
    pub fn call(&mut self, name: &str, function: &str, args: impl Serialize) -> CallOutcome {
        let args = match call_args(args) {
            Ok(a) => a,
            Err(e) => return CallOutcome::Failed(e),
        };
        let functions = self.functions.clone();
        match self.plugins.iter_mut().find(|p| p.name == name) {
            None => CallOutcome::Failed(PluginError::NotFound(name.to_owned())),
            Some(p) => match &p.stopped_by {
                Some(e) => CallOutcome::Failed(PluginError::Stopped(e.to_string())),
                None => call_plugin(p, &functions, function, &args),
            },
        }
    }

    /// Takes what Lua plugin `name` printed with `print` since the last call.
    pub fn take_output(&mut self, name: &str) -> Option<String> {
        match self.plugins.iter_mut().find(|p| p.name == name)?.instance.as_mut()? {
            Instance::Lua(lua) => Some(lua.take_output()),
            Instance::Wasm(_) => None,
        }
    }

    /// Bytes held by the Lua heap of plugin `name`.
    pub fn lua_memory_used(&mut self, name: &str) -> Option<usize> {
        match self.plugins.iter_mut().find(|p| p.name == name)?.instance.as_mut()? {
            Instance::Lua(lua) => lua.memory_used(),
            Instance::Wasm(_) => None,
        }
    }
}

fn call_plugin(plugin: &mut Plugin, functions: &HostFunctions, function: &str, args: &[Value]) -> CallOutcome {
    let (outcome, alive) = match plugin.instance.as_mut() {
        Some(Instance::Lua(lua)) => {
            let outcome = lua.call(functions, &plugin.name, function, args);
            (outcome, lua.is_alive())
        }
        Some(Instance::Wasm(wasm)) => {
            let outcome = wasm.call(function, args);
            (outcome, wasm.is_alive())
        }
        None => (CallOutcome::Failed(PluginError::Stopped("not running".into())), false),
    };
    if !alive {
        let why = match &outcome {
            CallOutcome::Failed(e) => e.clone(),
            _ => PluginError::Crashed("the plugin's instance stopped".into()),
        };
        plugin.stopped_by = Some(why);
        // Frees the discarded instance's memory now rather than at reload.
        plugin.instance = None;
    }
    outcome
}
