//! The `vim` module's bridge to the editor, and Lua in the editor: one Lua
//! state shared by the user's init.lua and every Lua plugin (as in Neovim).
//!
//! - `runtime/bridge/vim.lua` builds `vim.api` (one function per entry of
//!   the editor's API table), `vim.fn` (through `nvim_call_function`),
//!   `vim.cmd`, `vim.o go bo wo opt opt_local opt_global`,
//!   `vim.g b w t v env`, `vim.schedule`, `vim.uv` timers and `vim.wait`.
//!   Each editor operation is one host call ([`host::Bridge`]); values cross
//!   in the guest's binary encoding and become msgpack values
//!   ([`convert`]), never JSON.
//! - [`LuaEditor`] owns the runtime. It is the editor's
//!   [`CallbackHost`] (Lua functions given to mappings, autocmds...) and
//!   [`ScriptHost`] (`:lua`, `:luafile`, `:source x.lua`, `:runtime`,
//!   `:packadd`). A Lua callback may call the API, which fires another Lua
//!   callback: the inner call re-enters the same state through the
//!   re-entry the bridge lends while the API runs ([`crate::with_lent`]).
//! - The state as the bridge leaves it (bridge, standard library and
//!   fallbacks installed, no user code yet) is a start image
//!   (`image.rs`): later states and rebuilds restore it instead of running
//!   that Lua again. Its recipe lists every input of `install`; user code
//!   (init.lua, plugins) always runs from text after the restore.
//! - Errors show as Neovim's `E5108: Error executing lua ...` with the
//!   traceback. A deadline or trap rebuilds the Lua state: the bridge is
//!   installed again, the files sourced so far are sourced again (except
//!   the one that failed), and the message names the plugin.

mod api_error;
pub mod callbacks;
mod convert;
mod host;
mod plugins;
mod schedule;

pub use convert::{callback_value, from_msgpack, to_msgpack, CALLBACK_EXT};
pub use plugins::{default_paths, load_paths, load_plugins, store_paths, SearchPaths};

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use rtdvi_editor::editor::{CallbackHost, ScriptHost};
use rtdvi_editor::events::CallbackId as EditorCallback;
use rtdvi_editor::Editor;

use crate::error::LuaError;
use crate::host::{EngineKind, Limits, Output};
use crate::host_call::{LuaHost, Reentry};
use crate::image::{ImageSource, Recipe};
use crate::runtime::LuaRuntime;
use crate::value::{CallbackId, LuaValue};
use host::Bridge;
use schedule::Schedule;

/// The bridge's Lua source (see the module docs).
const VIM_LUA: &str = include_str!("../../runtime/bridge/vim.lua");
/// Definitions used when the standard library lacks them.
const FALLBACK_LUA: &str = include_str!("../../runtime/bridge/fallback.lua");

/// A file sourced into the state, sourced again after a rebuild.
#[derive(Debug, Clone)]
struct Sourced {
    path: PathBuf,
    plugin: String,
}

/// Book-keeping that is only borrowed briefly (never across a Lua call).
#[derive(Debug, Default)]
pub(crate) struct State {
    pub schedule: Schedule,
    sourced: Vec<Sourced>,
    /// Plugins being loaded, innermost last.
    loading: Vec<String>,
    /// Which plugin handed over each callback (for messages), by local id.
    owners: HashMap<u32, String>,
    /// The editor id of each function handed to the editor, by local id ([`callbacks`]).
    pub(crate) exported: HashMap<u32, u32>,
    /// Set while the state is being rebuilt (no recursion).
    rebuilding: bool,
    /// `print` writes to the process's stdout (`-l` scripts).
    print_to_stdout: bool,
}

/// Lua in the editor: one shared Lua state and its loop.
pub struct LuaEditor {
    runtime: RefCell<LuaRuntime>,
    pub(crate) state: RefCell<State>,
    paths: Arc<Mutex<SearchPaths>>,
    /// Said once the state is attached: why its start image was rejected.
    notice: RefCell<Option<String>>,
}

impl std::fmt::Debug for LuaEditor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LuaEditor").finish_non_exhaustive()
    }
}

/// A host answering only what the bridge's set-up asks.
struct SetupHost;

impl LuaHost for SetupHost {
    fn call(&mut self, _lua: &mut Reentry<'_>, name: &str, _args: Vec<LuaValue>) -> Result<Vec<LuaValue>, LuaValue> {
        match name {
            "rtdvi.api_names" => Ok(vec![LuaValue::Table(
                rtdvi_editor::api::table()
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (LuaValue::Integer(i as i64 + 1), LuaValue::string(e.name)))
                    .collect(),
            )]),
            other => Err(LuaValue::string(format!("{other} is not available while Lua starts"))),
        }
    }
}

/// The editor's state as it is before any user code runs, for
/// [`LuaRuntime::prepared`]: what [`install`] builds and everything it reads.
fn start_recipe<R>(f: impl FnOnce(&Recipe<'_>) -> R) -> R {
    let names: Vec<&str> = rtdvi_editor::api::table().iter().map(|e| e.name).collect();
    let names = names.join("\n");
    let mut inputs: Vec<&[u8]> = vec![VIM_LUA.as_bytes(), FALLBACK_LUA.as_bytes(), names.as_bytes()];
    inputs.push(crate::stdlib::INIT.as_bytes());
    for (name, source) in crate::stdlib::MODULES {
        inputs.push(name.as_bytes());
        inputs.push(source.as_bytes());
    }
    f(&Recipe { name: "editor", inputs: &inputs })
}

/// Builds `vim` in a fresh state: the bridge, the standard library, then
/// the fallbacks for what the library does not define.
fn install(rt: &mut LuaRuntime) -> Result<(), LuaError> {
    let names = rt.exec_with(&mut SetupHost, "=rtdvi", "return require('rtdvi').call('rtdvi.api_names')")?;
    let setup = rt.exec("@runtime/bridge/vim.lua", &format!("return function(...) {VIM_LUA}\nend"))?;
    let Some(LuaValue::Function(f)) = setup.first().cloned() else {
        return Err(LuaError::Protocol("bridge set-up did not return a function".into()));
    };
    rt.call(f, &names)?;
    rt.release(f)?;
    crate::stdlib_hook::install(rt)?;
    rt.exec("@runtime/bridge/fallback.lua", FALLBACK_LUA)?;
    Ok(())
}

/// Neovim's text for a Lua error: `E5108: Error executing lua {message}`
/// plus the traceback; `what` names the code for fatal errors.
pub(crate) fn error_text(what: &str, e: &LuaError) -> String {
    match e {
        LuaError::Lua { message, traceback, .. } if traceback.is_empty() => {
            format!("E5108: Error executing lua {message}")
        }
        LuaError::Lua { message, traceback, .. } => format!("E5108: Error executing lua {message}\n{traceback}"),
        other => format!("E5108: Error executing lua: {what}: {other}"),
    }
}

/// Moves what Lua wrote with `io.write`/`io.stdout:write`/`io.stderr:write` where Neovim sends
/// it: the process's stdout/stderr in headless mode (and for `-l` scripts), else messages.
pub(crate) fn show_output(lua: &LuaEditor, editor: &mut Editor, out: Output) {
    let direct = editor.headless || lua.state.borrow().print_to_stdout;
    for (bytes, error) in [(out.stdout, false), (out.stderr, true)] {
        if bytes.is_empty() {
            continue;
        }
        if direct {
            use std::io::Write;
            if error {
                let _ = std::io::stderr().write_all(&bytes);
            } else {
                let _ = std::io::stdout().write_all(&bytes);
                let _ = std::io::stdout().flush();
            }
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        show_lines(editor, &text, error);
    }
}

/// `print`: a message (headless: stderr), or a line on stdout for `-l` scripts, as in Neovim.
pub(crate) fn show_print(lua: &LuaEditor, editor: &mut Editor, text: &str) {
    if lua.state.borrow().print_to_stdout {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.write_all(b"\n");
        let _ = out.flush();
        return;
    }
    show_lines(editor, text, false);
}

fn show_lines(editor: &mut Editor, text: &str, error: bool) {
    for line in text.strip_suffix('\n').unwrap_or(text).split('\n') {
        if error {
            editor.messages.error(line.to_string());
        } else {
            // `print` output is kept in `:messages`, as in Neovim.
            editor.messages.info(line.to_string());
        }
    }
}

impl LuaEditor {
    /// A Lua state on `engine` within `limits`, with `vim` installed;
    /// `require` searches `lua/` under `paths`.
    pub fn new(engine: EngineKind, limits: Limits, paths: SearchPaths) -> Result<Rc<Self>, LuaError> {
        let (mut rt, source) = start_recipe(|recipe| LuaRuntime::prepared(engine, limits, recipe, &mut install))?;
        let paths = Arc::new(Mutex::new(paths));
        let finder = paths.clone();
        rt.set_require(move |name| plugins::find_module(&finder, name));
        let notice = match source {
            ImageSource::Rejected(why) => Some(why),
            _ => None,
        };
        Ok(Rc::new(LuaEditor {
            runtime: RefCell::new(rt),
            state: RefCell::new(State::default()),
            paths,
            notice: RefCell::new(notice),
        }))
    }

    /// Makes this the editor's host for Lua callbacks and `:lua` & co. A callback host already
    /// attached (the WASM plugin host) keeps receiving the ids Lua did not hand out.
    pub fn attach(self: &Rc<Self>, editor: &mut Editor) {
        if let Some(notice) = self.notice.borrow_mut().take() {
            editor.messages.warning(notice);
        }
        let inner = editor.callback_host.take();
        editor.callback_host = Some(Box::new(LuaCallbacks { inner }));
        editor.script_host = Some(Box::new(LuaScripts(self.clone())));
    }

    /// Sends `print` output to the process's stdout instead of messages
    /// (Neovim's `-l` scripts).
    pub fn set_print_to_stdout(&self, direct: bool) {
        self.state.borrow_mut().print_to_stdout = direct;
    }

    /// The engine the state runs on.
    pub fn engine(&self) -> Option<EngineKind> {
        self.runtime.try_borrow().ok().map(|rt| rt.engine())
    }

    /// Bytes the Lua heap holds (None while Lua runs).
    pub fn memory_used(&self) -> Option<usize> {
        self.runtime.try_borrow_mut().ok().and_then(|mut rt| rt.memory_used().ok())
    }

    /// The directories `require` and `:runtime` search.
    pub fn paths(&self) -> SearchPaths {
        self.paths.lock().map(|p| p.clone()).unwrap_or_default()
    }

    /// Replaces the search directories.
    pub fn set_paths(&self, paths: SearchPaths) {
        if let Ok(mut p) = self.paths.lock() {
            *p = paths;
        }
    }

    /// Runs a chunk with the editor at hand (nested when Lua is running).
    pub fn exec(
        self: &Rc<Self>,
        editor: &mut Editor,
        chunk_name: &str,
        source: &str,
    ) -> Result<Vec<LuaValue>, LuaError> {
        let mut bridge = Bridge { editor, lua: self.clone() };
        if let Some(r) = crate::with_lent_to(self.key(), |lua| lua.exec_with(&mut bridge, chunk_name, source)) {
            return r;
        }
        // A plugin being sourced is named by its plugin name, other chunks by their name.
        let loading = self.state.borrow().loading.last().cloned();
        let what = loading.unwrap_or_else(|| chunk_name.trim_start_matches(['@', '=']).to_string());
        self.outermost(bridge.editor, &what, |rt, b| rt.exec_with(b, chunk_name, source))
    }

    /// Calls a Lua function by id (nested when Lua is running).
    pub fn call(
        self: &Rc<Self>,
        editor: &mut Editor,
        id: CallbackId,
        args: &[LuaValue],
    ) -> Result<Vec<LuaValue>, LuaError> {
        let mut bridge = Bridge { editor, lua: self.clone() };
        if let Some(r) = crate::with_lent_to(self.key(), |lua| lua.call_with(&mut bridge, id, args)) {
            return r;
        }
        let what = self.owner(id);
        self.outermost(bridge.editor, &what, |rt, b| rt.call_with(b, id, args))
    }

    /// Calls a Lua function (by local id) with API values, as the editor's callback entry point
    /// wants: the first result (nil when none), or the E5108 text of the error. Functions among
    /// the arguments and results cross as editor ids ([`callbacks`]).
    pub fn call_value(
        self: &Rc<Self>,
        editor: &mut Editor,
        id: CallbackId,
        args: &[rmpv::Value],
    ) -> Result<rmpv::Value, String> {
        let mut args: Vec<LuaValue> = args.iter().map(from_msgpack).collect();
        callbacks::import_all(self, &mut args);
        // Named before the call: a rebuild forgets the owners.
        let owner = self.owner(id);
        match self.call(editor, id, &args) {
            Ok(mut values) => {
                values.truncate(1);
                callbacks::export_all(self, &mut values);
                Ok(values.first().map(to_msgpack).unwrap_or(rmpv::Value::Nil))
            }
            // The editor words a Lua error for where the callback ran (`callback_error`);
            // a stopped plugin keeps the E5108 text that names it.
            Err(LuaError::Lua { message, traceback, .. }) if traceback.is_empty() => Err(message),
            Err(LuaError::Lua { message, traceback, .. }) => Err(format!("{message}\n{traceback}")),
            Err(e) => Err(error_text(&owner, &e)),
        }
    }

    /// The editor's id for function `id` of this state (what the API gets when Lua hands the
    /// function over); `None` when the id space is exhausted.
    pub fn export_callback(self: &Rc<Self>, id: CallbackId) -> Option<EditorCallback> {
        callbacks::export(self, id).map(EditorCallback)
    }

    /// Tells this state's re-entries from other states' (isolated plugins).
    pub(crate) fn key(&self) -> usize {
        self as *const Self as usize
    }

    /// Forgets a callback the editor no longer refers to (outermost only: a nested release waits
    /// for the state to be free again).
    pub fn release(&self, id: CallbackId) {
        if let Ok(mut rt) = self.runtime.try_borrow_mut() {
            let _ = rt.release(id);
        }
    }

    /// Runs scheduled callbacks and due timers (the editor's loop calls
    /// this when idle, headless start-up after each command).
    pub fn run_pending(self: &Rc<Self>, editor: &mut Editor) {
        if !self.state.borrow().schedule.has_due() {
            return;
        }
        let _ = self.outermost(editor, "vim.schedule callback", |rt, b| {
            rt.exec_with(b, "=rtdvi", "require('rtdvi').call('rtdvi.run_pending', 0, true)")
        });
    }

    fn owner(&self, id: CallbackId) -> String {
        self.state.borrow().owners.get(&id.0).cloned().unwrap_or_else(|| "a Lua callback".into())
    }

    /// Remembers which plugin handed over the callbacks in `args`.
    pub(crate) fn note_owners(&self, args: &[LuaValue]) {
        let ids = host::collect_callbacks(args);
        if ids.is_empty() {
            return;
        }
        let mut state = self.state.borrow_mut();
        let Some(plugin) = state.loading.last().cloned() else { return };
        for id in ids {
            state.owners.entry(id.0).or_insert_with(|| plugin.clone());
        }
    }

    /// An outermost call: borrows the runtime, shows the output, and
    /// rebuilds the state after a fatal error.
    fn outermost<T>(
        self: &Rc<Self>,
        editor: &mut Editor,
        what: &str,
        f: impl FnOnce(&mut LuaRuntime, &mut Bridge<'_>) -> Result<T, LuaError>,
    ) -> Result<T, LuaError> {
        let Ok(mut rt) = self.runtime.try_borrow_mut() else {
            return Err(LuaError::Protocol("Lua is busy".into()));
        };
        let mut bridge = Bridge { editor, lua: self.clone() };
        let result = f(&mut rt, &mut bridge);
        show_output(self, bridge.editor, rt.take_output());
        if let Err(e) = &result {
            if e.is_fatal() {
                self.rebuild(&mut rt, bridge.editor, what, e);
            }
        }
        result
    }

    /// After a deadline, trap or lost instance: a fresh state with the
    /// bridge and every sourced file but the culprit.
    fn rebuild(self: &Rc<Self>, rt: &mut LuaRuntime, editor: &mut Editor, what: &str, e: &LuaError) {
        if std::mem::replace(&mut self.state.borrow_mut().rebuilding, true) {
            return;
        }
        editor.messages.error(format!("E5108: Lua plugin {what} was stopped: {e}; the Lua state was restarted"));
        let sourced = {
            let mut s = self.state.borrow_mut();
            s.schedule.clear();
            s.owners.clear();
            s.loading.clear();
            std::mem::take(&mut s.sourced)
        };
        // Mappings and autocmds of the old state now fail with a clear message instead of
        // running whatever the new state registers under the same local id.
        callbacks::orphan(self);
        let restarted = start_recipe(|recipe| rt.restart_prepared(recipe, &mut install));
        if let Err(e) = &restarted {
            editor.messages.error(format!("E5108: Lua could not be restarted: {e}"));
        } else {
            for file in sourced.into_iter().filter(|f| f.plugin != what) {
                let Ok(source) = std::fs::read_to_string(&file.path) else { continue };
                self.state.borrow_mut().loading.push(file.plugin.clone());
                let chunk = format!("@{}", file.path.display());
                let mut bridge = Bridge { editor: &mut *editor, lua: self.clone() };
                let r = rt.exec_with(&mut bridge, &chunk, &source);
                show_output(self, editor, rt.take_output());
                self.state.borrow_mut().loading.pop();
                match r {
                    Ok(_) => self.state.borrow_mut().sourced.push(file),
                    Err(e) => editor.messages.error(error_text(&file.plugin, &e)),
                }
            }
        }
        self.state.borrow_mut().rebuilding = false;
    }

    /// Sources a Lua file as plugin `plugin` (init.lua, plugin/*.lua,
    /// `:luafile`, `:source`): errors become messages naming file and line.
    pub fn source_file(
        self: &Rc<Self>,
        editor: &mut Editor,
        path: &std::path::Path,
        plugin: &str,
    ) -> Result<(), String> {
        let source =
            std::fs::read_to_string(path).map_err(|e| format!("E484: Can't open file {}: {e}", path.display()))?;
        self.state.borrow_mut().loading.push(plugin.to_string());
        let result = self.exec(editor, &format!("@{}", path.display()), &source);
        {
            let mut s = self.state.borrow_mut();
            s.loading.pop();
            let known = s.sourced.iter().any(|f| f.path == path);
            if result.is_ok() && !known {
                s.sourced.push(Sourced { path: path.to_path_buf(), plugin: plugin.to_string() });
            }
        }
        result.map(|_| ()).map_err(|e| error_text(plugin, &e))
    }
}

/// The editor's [`CallbackHost`] for Lua functions of every Lua state (ids below
/// [`callbacks::WASM_CALLBACK_BASE`]), in front of the host (if any) that gets the others (the
/// WASM plugin host).
pub struct LuaCallbacks {
    /// The host attached before (the WASM plugin host).
    pub inner: Option<Box<dyn CallbackHost>>,
}

impl CallbackHost for LuaCallbacks {
    fn call(&mut self, editor: &mut Editor, id: EditorCallback, args: Vec<rmpv::Value>) -> Result<rmpv::Value, String> {
        if id.0 >= callbacks::WASM_CALLBACK_BASE {
            return match self.inner.as_mut() {
                Some(inner) => inner.call(editor, id, args),
                None => Err(format!("E5108: Error executing callback {}: no plugin host can run it", id.0)),
            };
        }
        match callbacks::target(id.0) {
            Ok((lua, local)) => lua.call_value(editor, local, &args),
            Err(callbacks::Unreachable::Restarted) => {
                Err(format!("E5108: Error executing lua callback {}: its Lua state was restarted after an error", id.0))
            }
            Err(callbacks::Unreachable::Unknown) => {
                Err(format!("E5108: Error executing lua callback {}: no such callback", id.0))
            }
        }
    }

    fn release(&mut self, id: EditorCallback) {
        if id.0 >= callbacks::WASM_CALLBACK_BASE {
            if let Some(inner) = self.inner.as_mut() {
                inner.release(id);
            }
            return;
        }
        if let Some((lua, local)) = callbacks::forget(id.0) {
            lua.state.borrow_mut().owners.remove(&local.0);
            lua.release(local);
        }
    }
}

/// The editor's [`ScriptHost`]: `:lua`, `:luafile`, `:source x.lua`,
/// `:runtime`, `:packadd`.
pub struct LuaScripts(pub Rc<LuaEditor>);

impl ScriptHost for LuaScripts {
    fn ex_command(&mut self, editor: &mut Editor, name: &str, bang: bool, args: &str) -> Result<(), String> {
        let lua = &self.0;
        match name {
            "lua" => {
                let code = args.trim_start();
                let source = match code.strip_prefix('=') {
                    Some(expr) => format!("vim.print({expr})"),
                    None => code.to_string(),
                };
                lua.exec(editor, ":lua", &source).map(|_| ()).map_err(|e| error_text(":lua", &e))
            }
            "luafile" | "source" => {
                let path = editor.cwd.join(rtdvi_editor::editor::expand_home(std::path::Path::new(args.trim())));
                let plugin = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                lua.source_file(editor, &path, &plugin)
            }
            "runtime" => {
                plugins::runtime(lua, editor, args, bang);
                Ok(())
            }
            "packadd" => plugins::packadd(lua, editor, args.trim(), bang),
            other => Err(format!("E492: Not an editor command: {other}")),
        }
    }

    fn idle(&mut self, editor: &mut Editor) -> Option<std::time::Duration> {
        self.0.run_pending(editor);
        self.0.state.borrow().schedule.next_in()
    }
}

#[cfg(test)]
mod tests;
