//! The plugin host: loads plugins, calls their exports as transactions, and owns what they
//! registered (commands, keys, indent providers, managed extensions, event subscriptions).

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use rtdvi_editor::events::{CallbackId, Event, EventArgs};
use rtdvi_editor::vi::{MapRhs, Mapping};
use rtdvi_editor::{BufferId, Editor};
use rtdvi_wasm::{Engine, EngineConfig, EngineKind, Func, FuncType, Instance, Limits, Linker, Module, Val, ValType};

use crate::config::{Config, PluginLimits, PluginSpec};
use crate::event::{self, EventMask};
use crate::search::{Found, SearchPath};
use crate::state::{HostState, KeyBinding, Owner, Registration, Registry, SharedRegistry};

/// Errors of loading and managing plugins; the text names the plugin.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PluginError {
    /// The module could not be read, compiled, linked or started.
    #[error("plugin {name}: {reason}")]
    Load {
        /// Plugin name.
        name: String,
        /// What went wrong.
        reason: String,
    },
    /// `rtdvi_init` returned non-zero.
    #[error("plugin {name}: rtdvi_init refused to start (returned {code})")]
    Refused {
        /// Plugin name.
        name: String,
        /// What it returned.
        code: i32,
    },
    /// A call trapped, passed its deadline or its memory limit; the plugin was stopped.
    #[error("plugin {name} stopped: {reason}")]
    Failed {
        /// Plugin name.
        name: String,
        /// The first line of the trap message.
        reason: String,
    },
    /// No such plugin is loaded.
    #[error("plugin {0} is not loaded")]
    NotLoaded(String),
}

/// What `:plugin list` shows about one plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginInfo {
    /// Plugin name.
    pub name: String,
    /// The file it was loaded from.
    pub path: PathBuf,
    /// The search directory it came from (`$RTDVI_PLUGIN_DIR`, `./`...).
    pub origin: String,
    /// The engine it runs on.
    pub runtime: EngineKind,
    /// The manager that loaded it (sub-plugins only).
    pub manager: Option<String>,
    /// Why it is stopped, if it is.
    pub stopped: Option<String>,
}

/// How a plugin is loaded: its spec, where its bytes are, and the resolved settings.
#[derive(Debug, Clone)]
pub struct LoadRequest {
    /// Plugin name.
    pub name: String,
    /// The file (for messages and `:plugin reload`).
    pub path: PathBuf,
    /// The search directory's origin.
    pub origin: String,
    /// The engine to run it on.
    pub runtime: EngineKind,
    /// Its limits.
    pub limits: PluginLimits,
    /// The JSON object given to `rtdvi_init`.
    pub config_json: String,
}

/// The deadline class of a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// `on_event`, key bindings, `compute_indent`.
    Event,
    /// `rtdvi_init`, `run_command`, `load_plugin`, `unload_plugin`.
    Command,
}

/// Optional exports a plugin has.
#[derive(Debug, Clone, Copy, Default)]
struct Exports {
    run_command: bool,
    on_event: bool,
    load_plugin: bool,
    unload_plugin: bool,
    compute_indent: bool,
}

/// One loaded WASM plugin.
struct Plugin {
    req: LoadRequest,
    instance: Option<Instance<HostState>>,
    /// `on_event`, `alloc` and `dealloc`, resolved once: events are frequent, and a lookup by
    /// name costs more than the call of an empty export.
    on_event: Option<Func>,
    alloc: Option<Func>,
    dealloc: Option<Func>,
    exports: Exports,
    stopped: Option<String>,
    /// Sub-plugins loaded through this manager: (name, file, origin).
    subs: Vec<(String, PathBuf, String)>,
}

/// All plugins.
pub struct PluginHost {
    engine_config: EngineConfig,
    engines: Vec<Engine>,
    linker: Linker<HostState>,
    registry: SharedRegistry,
    plugins: Vec<Plugin>,
    /// The editor events the host's autocmds listen to now.
    listening: EventMask,
    /// Where `:plugin load`-style name lookups search.
    pub search: SearchPath,
    /// Global defaults from the config.
    pub default_runtime: Option<EngineKind>,
    /// Global default limits.
    pub default_limits: PluginLimits,
}

/// The autocmd group of the host's event listeners.
pub const AUGROUP: &str = "rtdvi_plugins";

/// Size of the buffer `compute_indent` may fill.
const INDENT_MAX: i32 = 256;

fn ty(params: &[ValType], results: &[ValType]) -> FuncType {
    FuncType::new(params.iter().copied(), results.iter().copied())
}

/// First line of an error text (the one-line report; the rest goes to `:messages`).
fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").to_string()
}

impl PluginHost {
    /// A host whose wasmtime engine uses `engine_config` (cache directory, stack sizes).
    pub fn new(engine_config: EngineConfig, search: SearchPath) -> Result<Self, PluginError> {
        let linker =
            crate::abi::linker().map_err(|e| PluginError::Load { name: String::new(), reason: e.to_string() })?;
        Ok(PluginHost {
            engine_config,
            engines: Vec::new(),
            linker,
            registry: Rc::new(RefCell::new(Registry::default())),
            plugins: Vec::new(),
            listening: EventMask(0),
            search,
            default_runtime: None,
            default_limits: PluginLimits::default(),
        })
    }

    fn engine(&mut self, kind: EngineKind) -> Result<Engine, rtdvi_wasm::Error> {
        if let Some(e) = self.engines.iter().find(|e| e.kind() == kind) {
            return Ok(e.clone());
        }
        let e = Engine::new(kind, &self.engine_config)?;
        self.engines.push(e.clone());
        Ok(e)
    }

    /// The engine for a plugin: `RTDVI_WASM_RUNTIME`, else its own, else the global setting.
    pub fn runtime_for(&self, own: Option<EngineKind>) -> Result<EngineKind, String> {
        EngineKind::from_env_or(own.or(self.default_runtime)).map_err(|e| e.to_string())
    }

    /// Loads every plugin of `config` (in order), reporting each failure as one error message.
    pub fn load_config(&mut self, editor: &mut Editor, config: &Config) {
        self.default_runtime = config.runtime.or(self.default_runtime);
        self.default_limits = config.limits.apply(PluginLimits::default());
        // Compile `.wasm`/`.wat` plugins on worker threads first: with the wasmtime cache cold,
        // compilation dominates start-up.
        let found: Vec<_> = config
            .plugins
            .iter()
            .map(|spec| {
                let managed: Vec<String> = self.registry.borrow().managers.keys().cloned().collect();
                (spec, self.search.find(&spec.name, &managed))
            })
            .collect();
        let mut compiled = self.precompile(&found);
        for (i, (spec, f)) in found.into_iter().enumerate() {
            let module = compiled.get_mut(i).and_then(Option::take);
            // A manager loaded earlier in the list may make a name findable now.
            let f = match f {
                Ok(f) => Ok(f),
                Err(_) => {
                    let managed: Vec<String> = self.registry.borrow().managers.keys().cloned().collect();
                    self.search.find(&spec.name, &managed)
                }
            };
            let result = match f {
                Ok(found) => self.load_found(editor, spec, &found, module),
                Err(e) => Err(PluginError::Load { name: spec.name.clone(), reason: e.to_string() }),
            };
            if let Err(e) = result {
                editor.messages.error(e.to_string());
            }
        }
    }

    /// Compiles the modules of `found` entries in parallel (one slot per entry).
    fn precompile(
        &mut self,
        found: &[(&PluginSpec, Result<Found, crate::search::SearchError>)],
    ) -> Vec<Option<Result<Module, String>>> {
        let jobs: Vec<Option<(Engine, PathBuf)>> = found
            .iter()
            .map(|(spec, f)| {
                let f = f.as_ref().ok().filter(|f| f.managed.is_none())?;
                let kind = self.runtime_for(spec.runtime).ok()?;
                Some((self.engine(kind).ok()?, f.path.clone()))
            })
            .collect();
        std::thread::scope(|s| {
            let handles: Vec<_> = jobs
                .into_iter()
                .map(|job| {
                    job.map(|(engine, path)| {
                        s.spawn(move || {
                            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                            Module::new(&engine, &bytes).map_err(|e| e.to_string())
                        })
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.map(|h| h.join().unwrap_or_else(|_| Err("compilation failed".to_string()))))
                .collect()
        })
    }

    fn load_found(
        &mut self,
        editor: &mut Editor,
        spec: &PluginSpec,
        found: &Found,
        module: Option<Result<Module, String>>,
    ) -> Result<(), PluginError> {
        let load_err = |reason: String| PluginError::Load { name: spec.name.clone(), reason };
        let config_json = serde_json::Value::Object(spec.options.clone()).to_string();
        if let Some(ext) = &found.managed {
            return self.load_managed(editor, &spec.name, ext, &found.path, found.origin, &config_json);
        }
        let runtime = self.runtime_for(spec.runtime).map_err(load_err)?;
        let req = LoadRequest {
            name: spec.name.clone(),
            path: found.path.clone(),
            origin: found.origin.to_string(),
            runtime,
            limits: spec.limits.apply(self.default_limits),
            config_json,
        };
        let module = match module {
            Some(m) => m.map_err(load_err)?,
            None => self.compile(&req)?,
        };
        self.load_module(editor, req, module)
    }

    fn compile(&mut self, req: &LoadRequest) -> Result<Module, PluginError> {
        let load_err = |reason: String| PluginError::Load { name: req.name.clone(), reason };
        let bytes = std::fs::read(&req.path).map_err(|e| load_err(format!("{}: {e}", req.path.display())))?;
        let engine = self.engine(req.runtime).map_err(|e| load_err(e.to_string()))?;
        Module::new(&engine, &bytes).map_err(|e| load_err(e.to_string()))
    }

    /// Loads a plugin from `bytes` (`.wasm` binary or `.wat` text) without the search path.
    pub fn load_bytes(&mut self, editor: &mut Editor, req: LoadRequest, bytes: &[u8]) -> Result<(), PluginError> {
        let load_err = |reason: String| PluginError::Load { name: req.name.clone(), reason };
        let engine = self.engine(req.runtime).map_err(|e| load_err(e.to_string()))?;
        let module = Module::new(&engine, bytes).map_err(|e| load_err(e.to_string()))?;
        self.load_module(editor, req, module)
    }

    /// Checks exports, instantiates, and runs `rtdvi_init` as one transaction.
    fn load_module(&mut self, editor: &mut Editor, req: LoadRequest, module: Module) -> Result<(), PluginError> {
        let name = req.name.clone();
        let load_err = |reason: String| PluginError::Load { name: name.clone(), reason };
        if self.plugins.iter().any(|p| p.req.name == name) {
            return Err(load_err("a plugin of this name is already loaded".to_string()));
        }
        use ValType::I32;
        if !module.exports().iter().any(|e| e.name == "memory" && e.kind == rtdvi_wasm::ExternKind::Memory) {
            return Err(load_err("plugin is missing required export memory (a linear memory)".to_string()));
        }
        for (export, t) in
            [("alloc", ty(&[I32], &[I32])), ("dealloc", ty(&[I32, I32], &[])), ("rtdvi_init", ty(&[I32, I32], &[I32]))]
        {
            module.require_export(export, &t).map_err(|e| load_err(e.to_string()))?;
        }
        let exports = Exports {
            run_command: module.has_export("run_command", &ty(&[I32, I32, I32, I32], &[I32])),
            on_event: module.has_export("on_event", &ty(&[I32, I32], &[])),
            load_plugin: module.has_export("load_plugin", &ty(&[I32, I32, I32, I32], &[I32])),
            unload_plugin: module.has_export("unload_plugin", &ty(&[I32, I32], &[I32])),
            compute_indent: module.has_export("compute_indent", &ty(&[I32, I32, I32, I32], &[I32])),
        };
        let limits = Limits {
            memory_bytes: Some(req.limits.memory_bytes),
            deadline: Some(req.limits.command_deadline),
            ..Limits::default()
        };
        let state = HostState::new(&name, self.registry.clone());
        let mut instance = self.linker.instantiate(&module, state, limits).map_err(|e| load_err(e.to_string()))?;
        let on_event = if exports.on_event { instance.func("on_event").ok() } else { None };
        let (alloc, dealloc) = (instance.func("alloc").ok(), instance.func("dealloc").ok());
        let config = req.config_json.clone();
        self.plugins.push(Plugin {
            req,
            instance: Some(instance),
            on_event,
            alloc,
            dealloc,
            exports,
            stopped: None,
            subs: Vec::new(),
        });
        let index = self.plugins.len() - 1;
        match self.call(editor, index, "rtdvi_init", &[], &[config.as_bytes()], Class::Command, None) {
            Ok(0) => {
                self.sync_events(editor);
                Ok(())
            }
            Ok(code) => {
                self.forget(editor, index);
                Err(PluginError::Refused { name, code })
            }
            Err(reason) => {
                self.forget(editor, index);
                Err(PluginError::Failed { name, reason })
            }
        }
    }

    /// Removes plugin `index` and everything it registered.
    fn forget(&mut self, editor: &mut Editor, index: usize) {
        let Some(name) = self.plugins.get(index).map(|p| p.req.name.clone()) else { return };
        self.unregister(editor, |o| o.plugin == name);
        self.registry.borrow_mut().subscriptions.remove(&name);
        self.plugins.remove(index);
        self.sync_events(editor);
    }

    /// Removes registrations of matching owners, unmapping their keys.
    fn unregister(&mut self, editor: &mut Editor, matches: impl Fn(&Owner) -> bool) {
        let keys = self.registry.borrow_mut().remove_owned(matches);
        for k in keys {
            unmap(editor, &k);
        }
    }

    /// Loads `path` through the plugin manager of extension `ext`.
    fn load_managed(
        &mut self,
        editor: &mut Editor,
        name: &str,
        ext: &str,
        path: &Path,
        origin: &str,
        _config_json: &str,
    ) -> Result<(), PluginError> {
        let load_err = |reason: String| PluginError::Load { name: name.to_string(), reason };
        let owner = self.registry.borrow().managers.get(ext).cloned();
        let Some(owner) = owner else { return Err(load_err(format!("no plugin manager for {ext} files"))) };
        let index = self.index(&owner.plugin).ok_or_else(|| load_err(format!("manager {} is gone", owner.plugin)))?;
        if !self.plugins.get(index).is_some_and(|p| p.exports.load_plugin) {
            return Err(load_err(format!("manager {} has no load_plugin export", owner.plugin)));
        }
        if self.plugins.iter().any(|p| p.req.name == name || p.subs.iter().any(|s| s.0 == name)) {
            return Err(load_err("a plugin of this name is already loaded".to_string()));
        }
        let content = std::fs::read(path).map_err(|e| load_err(format!("{}: {e}", path.display())))?;
        let r = self.call(editor, index, "load_plugin", &[], &[name.as_bytes(), &content], Class::Command, Some(name));
        match r {
            Ok(0) => {
                if let Some(p) = self.plugins.get_mut(index) {
                    p.subs.push((name.to_string(), path.to_path_buf(), origin.to_string()));
                }
                self.sync_events(editor);
                Ok(())
            }
            Ok(code) => {
                let m = owner.plugin.clone();
                self.unregister(editor, |o| o.plugin == m && o.sub.as_deref() == Some(name));
                Err(load_err(format!("{m}: load_plugin refused it (returned {code})")))
            }
            Err(reason) => Err(PluginError::Failed { name: owner.plugin, reason }),
        }
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.plugins.iter().position(|p| p.req.name == name)
    }

    /// The manager plugin holding sub-plugin `name`.
    fn manager_of(&self, name: &str) -> Option<usize> {
        self.plugins.iter().position(|p| p.subs.iter().any(|s| s.0 == name))
    }

    /// What is loaded, sub-plugins after their manager.
    pub fn list(&self) -> Vec<PluginInfo> {
        let mut out = Vec::new();
        for p in &self.plugins {
            out.push(PluginInfo {
                name: p.req.name.clone(),
                path: p.req.path.clone(),
                origin: p.req.origin.clone(),
                runtime: p.req.runtime,
                manager: None,
                stopped: p.stopped.clone(),
            });
            for (sub, path, origin) in &p.subs {
                out.push(PluginInfo {
                    name: sub.clone(),
                    path: path.clone(),
                    origin: origin.clone(),
                    runtime: p.req.runtime,
                    manager: Some(p.req.name.clone()),
                    stopped: p.stopped.clone(),
                });
            }
        }
        out
    }

    /// Stops plugin `name` (`:plugin disable`): no more events, commands or keys. A sub-plugin is
    /// unloaded through its manager.
    pub fn disable(&mut self, editor: &mut Editor, name: &str) -> Result<(), PluginError> {
        if let Some(m) = self.manager_of(name) {
            return self.unload_sub(editor, m, name);
        }
        let index = self.index(name).ok_or_else(|| PluginError::NotLoaded(name.to_string()))?;
        self.stop(editor, index, "disabled with :plugin disable".to_string());
        Ok(())
    }

    /// `unload_plugin(name)` on manager `index`, then removes what the sub-plugin registered.
    fn unload_sub(&mut self, editor: &mut Editor, index: usize, name: &str) -> Result<(), PluginError> {
        let has = self.plugins.get(index).is_some_and(|p| p.exports.unload_plugin && p.instance.is_some());
        let result = if has {
            self.call(editor, index, "unload_plugin", &[], &[name.as_bytes()], Class::Command, Some(name))
        } else {
            Ok(0)
        };
        let Some(p) = self.plugins.get_mut(index) else { return Ok(()) };
        let manager = p.req.name.clone();
        p.subs.retain(|s| s.0 != name);
        self.unregister(editor, |o| o.plugin == manager && o.sub.as_deref() == Some(name));
        self.sync_events(editor);
        match result {
            Err(reason) => Err(PluginError::Failed { name: manager, reason }),
            Ok(_) => Ok(()),
        }
    }

    /// Loads plugin `name` again from its file with its config (`:plugin reload`).
    pub fn reload(&mut self, editor: &mut Editor, name: &str) -> Result<(), PluginError> {
        if let Some(m) = self.manager_of(name) {
            let (path, origin) = self
                .plugins
                .get(m)
                .and_then(|p| p.subs.iter().find(|s| s.0 == name))
                .map(|s| (s.1.clone(), s.2.clone()))
                .ok_or_else(|| PluginError::NotLoaded(name.to_string()))?;
            self.unload_sub(editor, m, name)?;
            let ext = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
            return self.load_managed(editor, name, &ext, &path, &origin, "{}");
        }
        let index = self.index(name).ok_or_else(|| PluginError::NotLoaded(name.to_string()))?;
        let req = self.plugins.get(index).map(|p| p.req.clone()).ok_or_else(|| PluginError::NotLoaded(name.into()))?;
        self.forget(editor, index);
        let module = self.compile(&req)?;
        self.load_module(editor, req, module)
    }

    /// Stops plugin `index` with `reason`: drops its instance, keys, indent providers, managed
    /// extensions and event subscriptions. Its commands stay, answering that it is stopped.
    fn stop(&mut self, editor: &mut Editor, index: usize, reason: String) {
        let Some(p) = self.plugins.get_mut(index) else { return };
        p.instance = None;
        p.on_event = None;
        p.stopped = Some(reason);
        let name = p.req.name.clone();
        let keys = {
            let mut reg = self.registry.borrow_mut();
            reg.managers.retain(|_, o| o.plugin != name);
            reg.indent.retain(|_, o| o.plugin != name);
            let ids: Vec<u32> = reg.keys.values().filter(|k| k.owner.plugin == name).map(|k| k.id).collect();
            ids.into_iter().filter_map(|id| reg.keys.remove(&id)).collect::<Vec<KeyBinding>>()
        };
        for k in keys {
            unmap(editor, &k);
        }
        self.sync_events(editor);
    }

    /// Calls `export` of plugin `index` with `ints` then one (ptr, len) pair per string, as one
    /// transaction; returns the export's i32 result (0 when it has none), or the reason it failed
    /// (already reported, plugin stopped, editor rolled back).
    #[allow(clippy::too_many_arguments)]
    fn call(
        &mut self,
        editor: &mut Editor,
        index: usize,
        export: &str,
        ints: &[i32],
        strings: &[&[u8]],
        class: Class,
        sub: Option<&str>,
    ) -> Result<i32, String> {
        let Some(plugin) = self.plugins.get_mut(index) else { return Err("no such plugin".to_string()) };
        let deadline = match class {
            Class::Event => plugin.req.limits.event_deadline,
            Class::Command => plugin.req.limits.command_deadline,
        };
        let funcs = Funcs {
            export: if export == "on_event" { plugin.on_event.as_ref() } else { None },
            alloc: plugin.alloc.as_ref(),
            dealloc: plugin.dealloc.as_ref(),
        };
        let Some(instance) = plugin.instance.as_mut() else {
            return Err(plugin.stopped.clone().unwrap_or_else(|| "stopped".to_string()));
        };
        instance.set_deadline(Some(deadline));
        let state = instance.data_mut();
        state.lend(editor);
        state.sub = sub.map(str::to_string);
        let result = run(instance, export, funcs, ints, strings);
        let state = instance.data_mut();
        // The editor as it was before the call's first write (none if it wrote nothing).
        let checkpoint = state.release();
        state.sub = None;
        let pending = std::mem::take(&mut state.pending);
        match result {
            Ok(code) => {
                if !pending.is_empty() {
                    let name = plugin.req.name.clone();
                    self.commit(editor, &name, &pending);
                }
                Ok(code)
            }
            Err(e) => {
                let name = plugin.req.name.clone();
                let log: Vec<String> = instance.data().log.iter().cloned().collect();
                if let Some(checkpoint) = checkpoint {
                    editor.rollback(checkpoint);
                }
                let keys: Vec<KeyBinding> = {
                    let mut reg = self.registry.borrow_mut();
                    pending.iter().rev().filter_map(|r| reg.undo(r)).collect()
                };
                drop(keys);
                let detail = e.to_string();
                let reason = first_line(&detail);
                editor.messages.error(PluginError::Failed { name: name.clone(), reason: reason.clone() }.to_string());
                editor.messages.detail(format!("plugin {name}: {export} failed: {detail}"));
                for l in log {
                    editor.messages.detail(format!("plugin {name} log: {l}"));
                }
                self.stop(editor, index, reason.clone());
                Err(reason)
            }
        }
    }

    /// Makes a successful call's key bindings real mappings.
    fn commit(&mut self, editor: &mut Editor, plugin: &str, pending: &[Registration]) {
        for r in pending {
            let Registration::Key(id) = r else { continue };
            let Some(k) = self.registry.borrow().keys.get(id).cloned() else { continue };
            let m = Mapping {
                lhs: k.lhs.clone(),
                rhs: MapRhs::Callback(CallbackId(k.id)),
                rhs_text: format!("<plugin {plugin}: {}>", k.func),
                noremap: true,
                silent: true,
                nowait: false,
                expr: false,
                unique: false,
                desc: Some(format!("plugin {plugin}: {}", k.func)),
            };
            if let Err(e) = editor.vi.mappings.set(&k.modes, None, m) {
                editor.messages.error(format!("plugin {plugin}: {e}"));
            }
        }
    }

    /// Listens (with autocmds of group [`AUGROUP`]) to exactly the editor events some live plugin
    /// wants, so no event JSON is ever built for nobody.
    fn sync_events(&mut self, editor: &mut Editor) {
        let reg = self.registry.borrow();
        let mut want = EventMask(0);
        for p in self.plugins.iter().filter(|p| p.on_event.is_some()) {
            want.0 |= reg.subscriptions.get(&p.req.name).copied().unwrap_or(EventMask::ALL).0;
        }
        drop(reg);
        if want == self.listening {
            return;
        }
        self.listening = want;
        let group = editor.autocmds.group(AUGROUP, true);
        for e in event::editor_events(want) {
            editor.autocmds.add(rtdvi_editor::events::Autocmd {
                id: 0,
                group: Some(group),
                event: e,
                pattern: "*".to_string(),
                buffer: None,
                once: false,
                nested: false,
                action: rtdvi_editor::events::Action::Callback(CallbackId(crate::bridge::EVENT_CALLBACK)),
                desc: Some("rtdvi plugin events".to_string()),
            });
        }
    }

    /// Sends an editor event to every live plugin subscribed to its kind.
    pub fn dispatch_event(&mut self, editor: &mut Editor, event: Event, args: &EventArgs) {
        let Some(kind) = event::kind_of(event) else { return };
        let targets: Vec<usize> = {
            let reg = self.registry.borrow();
            self.plugins
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    p.on_event.is_some()
                        && reg.subscriptions.get(&p.req.name).copied().unwrap_or(EventMask::ALL).has(kind)
                })
                .map(|(i, _)| i)
                .collect()
        };
        if targets.is_empty() {
            return;
        }
        let json = event::to_json(editor, kind, event, args);
        for i in targets {
            let _ = self.call(editor, i, "on_event", &[], &[json.as_bytes()], Class::Event, None);
        }
    }

    /// Whether a plugin registered ex command `name`.
    pub fn has_command(&self, name: &str) -> bool {
        self.registry.borrow().commands.contains_key(name)
    }

    /// Every plugin command name, sorted.
    pub fn command_names(&self) -> Vec<String> {
        self.registry.borrow().commands.keys().cloned().collect()
    }

    /// Runs plugin command `name` with its argument text (split on white space, `\ ` keeps a
    /// space) as `run_command(name, json_array_of_strings)`.
    pub fn run_command(&mut self, editor: &mut Editor, name: &str, args: &str) -> Result<(), String> {
        let owner = self.registry.borrow().commands.get(name).cloned();
        let owner = owner.ok_or_else(|| format!("E492: Not an editor command: {name}"))?;
        let index = self.index(&owner.plugin).ok_or_else(|| format!("E492: Not an editor command: {name}"))?;
        let Some(p) = self.plugins.get(index) else { return Err(format!("E492: Not an editor command: {name}")) };
        if let Some(why) = &p.stopped {
            return Err(format!(
                "plugin {} is stopped ({why}); :plugin reload {} restarts it",
                owner.plugin, owner.plugin
            ));
        }
        if !p.exports.run_command {
            return Err(format!("plugin {}: no run_command export for :{name}", owner.plugin));
        }
        let json = serde_json::Value::from(split_args(args)).to_string();
        let sub = owner.sub.as_deref();
        match self.call(editor, index, "run_command", &[], &[name.as_bytes(), json.as_bytes()], Class::Command, sub) {
            Ok(0) => Ok(()),
            Ok(code) => Err(format!("plugin {}: :{name} failed (returned {code})", owner.plugin)),
            // Already reported in one line by `call`.
            Err(_) => Ok(()),
        }
    }

    /// Runs the plugin function bound to key callback `id`; `None` if the id is not a binding.
    pub fn run_key(&mut self, editor: &mut Editor, id: u32) -> Option<Result<(), String>> {
        let k = self.registry.borrow().keys.get(&id).cloned()?;
        let index = self.index(&k.owner.plugin)?;
        let ok = self.plugins.get_mut(index).and_then(|p| p.instance.as_mut()).map(|i| i.func(&k.func));
        match ok {
            Some(Ok(f)) if f.ty().params().is_empty() && f.ty().results().len() <= 1 => {}
            Some(_) => {
                return Some(Err(format!("plugin {}: no export {}() for its key binding", k.owner.plugin, k.func)))
            }
            None => return Some(Ok(())),
        }
        let sub = k.owner.sub.as_deref();
        let _ = self.call(editor, index, &k.func, &[], &[], Class::Event, sub);
        Some(Ok(()))
    }

    /// The indent a provider plugin computes for line `row` of `buf` (`compute_indent(buf,
    /// row - 1, ...)`): blanks, possibly followed by a comment leader such as ` * ` (the seed's
    /// rules_c continues `/* */` comments so). `None` falls back to the built-in rules: no
    /// provider for the filetype, `-1`, a length out of range, text with a line break or another
    /// control character other than a tab, invalid UTF-8, or a trap.
    pub fn indent(&mut self, editor: &mut Editor, buf: BufferId, row: usize) -> Option<String> {
        let ft = editor.buffers.get(&buf)?.opt_string("filetype");
        if ft.is_empty() {
            return None;
        }
        let owner = self.registry.borrow().indent.get(&ft).cloned()?;
        let index = self.index(&owner.plugin)?;
        if !self.plugins.get(index)?.exports.compute_indent {
            return None;
        }
        let prev = i32::try_from(row).ok()? - 1;
        let buf_id = i32::try_from(buf.0).ok()?;
        let sub = owner.sub.as_deref();
        let plugin = self.plugins.get_mut(index)?;
        let alloc = plugin.alloc.clone();
        let instance = plugin.instance.as_mut()?;
        // The result buffer comes from the plugin's own allocator, as the seed says.
        let mut ptr = [Val::I32(0)];
        let limits_deadline = plugin.req.limits.event_deadline;
        instance.set_deadline(Some(limits_deadline));
        if let Err(e) = call_named(instance, alloc.as_ref(), "alloc", &[Val::I32(INDENT_MAX)], &mut ptr) {
            let name = plugin.req.name.clone();
            let reason = first_line(&e.to_string());
            editor.messages.error(PluginError::Failed { name: name.clone(), reason: reason.clone() }.to_string());
            editor.messages.detail(format!("plugin {name}: alloc for compute_indent failed: {e}"));
            self.stop(editor, index, reason);
            return None;
        }
        let ptr = ptr[0].i32().unwrap_or(-1);
        let n = self
            .call(editor, index, "compute_indent", &[buf_id, prev, ptr, INDENT_MAX], &[], Class::Event, sub)
            .ok()?;
        let plugin = self.plugins.get_mut(index)?;
        let dealloc = plugin.dealloc.clone();
        let instance = plugin.instance.as_mut()?;
        let bytes = if (0..=INDENT_MAX).contains(&n) { instance.read(ptr, n).ok() } else { None };
        let _ = call_named(instance, dealloc.as_ref(), "dealloc", &[Val::I32(ptr), Val::I32(INDENT_MAX)], &mut []);
        let s = String::from_utf8(bytes?).ok()?;
        s.chars().all(|c| c == '\t' || !c.is_control()).then_some(s)
    }

    /// Whether some plugin provides indents for `filetype`.
    pub fn provides_indent(&self, filetype: &str) -> bool {
        self.registry.borrow().indent.contains_key(filetype)
    }

    /// The `:plugin` command: `list`, `reload NAME`, `disable NAME`.
    pub fn plugin_command(&mut self, editor: &mut Editor, args: &str) -> Result<(), String> {
        let mut words = args.split_whitespace();
        match (words.next(), words.next(), words.next()) {
            (None | Some("list"), None, None) => {
                let list = self.list();
                if list.is_empty() {
                    editor.messages.echo("No plugins loaded");
                }
                for p in list {
                    let state = match &p.stopped {
                        Some(why) => format!("stopped: {why}"),
                        None => "running".to_string(),
                    };
                    let via = p.manager.map(|m| format!(" via {m}")).unwrap_or_default();
                    editor.messages.echo(format!(
                        "{:<16} {:<8} {}{via} [{}] {state}",
                        p.name,
                        p.runtime.name(),
                        p.path.display(),
                        p.origin
                    ));
                }
                Ok(())
            }
            (Some("reload"), Some(name), None) => self.reload(editor, name).map_err(|e| e.to_string()),
            (Some("disable"), Some(name), None) => self.disable(editor, name).map_err(|e| e.to_string()),
            _ => Err("E475: Invalid argument: usage: :plugin list | reload {name} | disable {name}".to_string()),
        }
    }
}

/// Removes a key binding's mapping (if it is still the plugin's).
fn unmap(editor: &mut Editor, k: &KeyBinding) {
    for mode in &k.modes {
        let ours =
            editor.vi.mappings.get(*mode, None, &k.lhs).is_some_and(|m| m.rhs == MapRhs::Callback(CallbackId(k.id)));
        if ours {
            let _ = editor.vi.mappings.remove(std::slice::from_ref(mode), None, &k.lhs);
        }
    }
}

/// Exports resolved ahead of a call (`None`: look it up by name).
#[derive(Clone, Copy)]
struct Funcs<'a> {
    export: Option<&'a Func>,
    alloc: Option<&'a Func>,
    dealloc: Option<&'a Func>,
}

/// Calls resolved export `f`, or the export named `name`.
fn call_named(
    instance: &mut Instance<HostState>,
    f: Option<&Func>,
    name: &str,
    args: &[Val],
    results: &mut [Val],
) -> Result<(), rtdvi_wasm::Error> {
    match f {
        Some(f) => instance.call_func(f, args, results),
        None => instance.call(name, args, results),
    }
}

/// Copies `strings` into the guest (through its `alloc`), calls `export`, then gives the strings
/// back with `dealloc`.
fn run(
    instance: &mut Instance<HostState>,
    export: &str,
    funcs: Funcs<'_>,
    ints: &[i32],
    strings: &[&[u8]],
) -> Result<i32, rtdvi_wasm::Error> {
    let mut args: Vec<Val> = Vec::with_capacity(ints.len() + 2 * strings.len());
    args.extend(ints.iter().map(|i| Val::I32(*i)));
    let mut lent = Vec::new();
    for s in strings {
        let len = i32::try_from(s.len())
            .map_err(|_| rtdvi_wasm::Error::Signature("argument too long for the plugin".to_string()))?;
        let ptr = if len == 0 {
            0
        } else {
            let mut ptr = [Val::I32(0)];
            call_named(instance, funcs.alloc, "alloc", &[Val::I32(len)], &mut ptr)?;
            let ptr = ptr[0].i32().unwrap_or(-1);
            instance.write(ptr, s).map_err(|e| {
                rtdvi_wasm::Error::Signature(format!("alloc({len}) returned an unusable pointer {ptr}: {e}"))
            })?;
            lent.push((ptr, len));
            ptr
        };
        args.push(Val::I32(ptr));
        args.push(Val::I32(len));
    }
    let looked_up;
    let f = match funcs.export {
        Some(f) => f,
        None => {
            looked_up = instance.func(export)?;
            &looked_up
        }
    };
    let mut results = [Val::I32(0)];
    let results = &mut results[..f.ty().results().len().min(1)];
    if let Some((slot, t)) = results.first_mut().zip(f.ty().results().first()) {
        *slot = t.zero();
    }
    instance.call_func(f, &args, results)?;
    for (ptr, len) in lent {
        call_named(instance, funcs.dealloc, "dealloc", &[Val::I32(ptr), Val::I32(len)], &mut [])?;
    }
    Ok(results.first().and_then(Val::i32).unwrap_or(0))
}

/// Splits a command's argument text into words (white space separates; `\ ` keeps a space).
pub fn split_args(args: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut chars = args.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n) if n.is_whitespace() => cur.push(n),
                Some(n) => {
                    cur.push('\\');
                    cur.push(n);
                }
                None => cur.push('\\'),
            },
            c if c.is_whitespace() => {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}
