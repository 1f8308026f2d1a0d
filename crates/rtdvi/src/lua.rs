//! Lua at start-up: the shared Lua state, init.lua, plugins and `-l` scripts.
//!
//! The engine is `RTDVI_WASM_RUNTIME`, else config.toml's `runtime`, else wasmtime; wasmtime keeps
//! the compiled guest under `$XDG_CACHE_HOME/rtdvi/wasm`, so only the first start compiles it.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use rtdvi_editor::Editor;
use rtdvi_lua::bridge::{self, LuaEditor};
use rtdvi_lua::{EngineKind, Limits};
use rtdvi_plugin::config::LimitsSpec;
use rtdvi_plugin::{Config, PluginSpec, SearchPath};

/// Lua's limits from config.toml's `limits`: `memory_mib` caps the Lua instance's memory and
/// `command_ms` is the deadline of every call into Lua (Lua has one deadline for all calls, so
/// `event_ms` does not apply); keys not given keep `base`.
pub fn lua_limits(spec: &LimitsSpec, base: Limits) -> Limits {
    let mut limits = base;
    if let Some(mib) = spec.memory_mib {
        limits.memory_bytes = usize::try_from(mib.saturating_mul(1 << 20)).unwrap_or(usize::MAX);
    }
    if let Some(ms) = spec.command_ms {
        limits.deadline = std::time::Duration::from_millis(ms);
        limits.fuel = Limits::fuel_for(limits.deadline);
    }
    limits
}

fn xdg(var: &str, fallback: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(fallback)))
}

/// `$XDG_DATA_HOME/rtdvi` (default `~/.local/share/rtdvi`).
pub fn data_dir() -> Option<PathBuf> {
    xdg("XDG_DATA_HOME", ".local/share").map(|d| d.join("rtdvi"))
}

/// Lua in this editor run: the state starts on first use (an init.lua, a plugin, `:lua`), so a
/// start-up without Lua pays nothing for it.
pub struct Lua {
    lazy: Rc<LazyLua>,
}

struct LazyLua {
    state: std::cell::RefCell<Option<Rc<LuaEditor>>>,
    engine: EngineKind,
    limits: Limits,
    paths: bridge::SearchPaths,
    config: Config,
    /// The states of `isolated = true` plugins, one each.
    isolated: std::cell::RefCell<Vec<Rc<LuaEditor>>>,
}

impl LazyLua {
    /// Every started state: the shared one first, then the isolated plugins'.
    fn states(&self) -> Vec<Rc<LuaEditor>> {
        let mut all: Vec<Rc<LuaEditor>> = self.state.borrow().iter().cloned().collect();
        all.extend(self.isolated.borrow().iter().cloned());
        all
    }
}

impl LazyLua {
    /// The Lua state, started now if needed (`None` if it cannot start: said in a message).
    fn get(&self, ed: &mut Editor) -> Option<Rc<LuaEditor>> {
        if let Some(state) = self.state.borrow().as_ref() {
            return Some(state.clone());
        }
        let paths = bridge::load_paths(ed);
        let paths = if paths == bridge::SearchPaths::default() { self.paths.clone() } else { paths };
        match LuaEditor::new(self.engine, self.limits.clone(), paths) {
            Ok(state) => {
                state.attach(ed);
                *self.state.borrow_mut() = Some(state.clone());
                Some(state)
            }
            Err(e) => {
                ed.messages.error(format!("E5113: Lua could not start: {e}"));
                None
            }
        }
    }
}

/// The editor's script host until (and after) Lua starts.
struct LazyScripts(Rc<LazyLua>);

impl rtdvi_editor::editor::ScriptHost for LazyScripts {
    fn ex_command(&mut self, editor: &mut Editor, name: &str, bang: bool, args: &str) -> Result<(), String> {
        let state = self.0.get(editor).ok_or_else(|| "E5113: Lua is not available".to_string())?;
        bridge::LuaScripts(state).ex_command(editor, name, bang, args)
    }

    fn idle(&mut self, editor: &mut Editor) -> Option<std::time::Duration> {
        self.0.states().into_iter().filter_map(|state| bridge::LuaScripts(state).idle(editor)).min()
    }
}

/// Prepares Lua for the editor (it starts on first use). `config_dir` is `None` with
/// `--clean`/`-u NONE` (no user directories on 'runtimepath'); `config` is the parsed config.toml
/// (its `runtime`, `limits` and Lua `plugins`).
pub fn start(ed: &mut Editor, config_dir: Option<&Path>, config: &Config) -> Option<Lua> {
    let engine = match EngineKind::from_env_or(config.runtime) {
        Ok(e) => e,
        Err(e) => {
            ed.messages.error(format!("E5113: Lua is not available: {e}"));
            return None;
        }
    };
    if let Some(cache) = xdg("XDG_CACHE_HOME", ".cache") {
        rtdvi_lua::set_module_cache(cache.join("rtdvi").join("wasm"));
    }
    if std::env::var_os("RTDVI_LUA_START_IMAGE").is_some_and(|v| v == "0") {
        rtdvi_lua::disable_start_images();
    }
    let data = if config_dir.is_some() { data_dir() } else { None };
    let paths = bridge::default_paths(config_dir, data.as_deref());
    bridge::store_paths(ed, &paths);
    let limits = lua_limits(&config.limits, Limits::default());
    let config =
        Config { plugins: config.plugins.iter().filter(|p| is_lua(p, &ed.cwd)).cloned().collect(), ..config.clone() };
    let lazy = Rc::new(LazyLua {
        state: std::cell::RefCell::new(None),
        engine,
        limits,
        paths,
        config,
        isolated: Default::default(),
    });
    ed.script_host = Some(Box::new(LazyScripts(lazy.clone())));
    Some(Lua { lazy })
}

/// Whether start-up has plugins to load: a `plugin/` directory on 'runtimepath', a `pack/`
/// directory on 'packpath', or config.toml plugins.
fn has_plugins(ed: &Editor, config: &Config) -> bool {
    let paths = bridge::load_paths(ed);
    !config.plugins.is_empty()
        || paths.runtimepath.iter().any(|d| d.join("plugin").is_dir())
        || paths.packpath.iter().any(|d| d.join("pack").is_dir())
}

impl Lua {
    /// The started Lua state (starting it now).
    pub fn state(&self, ed: &mut Editor) -> Option<Rc<LuaEditor>> {
        self.lazy.get(ed)
    }

    /// Sources a Lua init file (`init.lua`, `-u file.lua`).
    pub fn source_init(&self, ed: &mut Editor, path: &Path) {
        let Some(state) = self.state(ed) else { return };
        if let Err(e) = state.source_file(ed, path, "init.lua") {
            ed.messages.error(e);
        }
    }

    /// Start-up plugins: Neovim-style directories, then config.toml's `plugins`.
    pub fn load_plugins(&self, ed: &mut Editor) {
        let config = self.lazy.config.clone();
        for entry in &config.plugins {
            if let Some(dir) = &entry.path {
                let dir = rtdvi_editor::editor::expand_home(dir);
                let mut paths = bridge::load_paths(ed);
                if !paths.runtimepath.contains(&dir) {
                    let at = paths
                        .runtimepath
                        .iter()
                        .position(|p| p.file_name().is_some_and(|n| n == "after"))
                        .unwrap_or(paths.runtimepath.len());
                    paths.runtimepath.insert(at, dir.clone());
                    paths.runtimepath.push(dir.join("after"));
                }
                bridge::store_paths(ed, &paths);
            }
        }
        if !has_plugins(ed, &config) {
            return;
        }
        let Some(state) = self.state(ed) else { return };
        bridge::load_plugins(&state, ed);
        for entry in &config.plugins {
            let own = entry.runtime.is_some() || entry.limits != LimitsSpec::default();
            if own && !entry.isolated {
                ed.messages.error(format!(
                    "rtdvi: plugin {}: `runtime` and `limits` of a Lua plugin need `isolated = true` (Lua plugins share one state)",
                    entry.name
                ));
            }
            if entry.isolated && entry.path.is_some() {
                ed.messages.error(format!(
                    "rtdvi: plugin {}: `isolated` applies to single-file Lua plugins; the directory joins the shared state",
                    entry.name
                ));
            }
            let Some(file) = lua_file(entry, &ed.cwd) else { continue };
            let state = if entry.isolated {
                match self.isolated_state(ed, entry) {
                    Some(s) => s,
                    None => continue,
                }
            } else {
                state.clone()
            };
            if let Err(e) = state.source_file(ed, &file, &entry.name) {
                ed.messages.error(e);
            }
        }
    }

    /// A Lua state of its own for an `isolated = true` plugin: its entry's `runtime` (else the
    /// global one) and its entry's `limits` over the global ones. Its callbacks reach the editor
    /// through the shared id space, so it needs no hooks of its own; `:lua` stays the shared
    /// state's.
    fn isolated_state(&self, ed: &mut Editor, entry: &PluginSpec) -> Option<Rc<LuaEditor>> {
        let engine = match EngineKind::from_env_or(entry.runtime.or(self.lazy.config.runtime)) {
            Ok(e) => e,
            Err(e) => {
                ed.messages.error(format!("E5113: Lua plugin {}: {e}", entry.name));
                return None;
            }
        };
        let limits = lua_limits(&entry.limits, self.lazy.limits.clone());
        match LuaEditor::new(engine, limits, bridge::load_paths(ed)) {
            Ok(state) => {
                self.lazy.isolated.borrow_mut().push(state.clone());
                Some(state)
            }
            Err(e) => {
                ed.messages.error(format!("E5113: Lua plugin {} could not start: {e}", entry.name));
                None
            }
        }
    }

    /// Runs scheduled callbacks and due timers of every Lua state.
    pub fn run_pending(&self, ed: &mut Editor) {
        for state in self.lazy.states() {
            state.run_pending(ed);
        }
    }

    /// `-l script [args]`: runs the script with `arg` set, `print` to stdout; the exit code is 1
    /// when it failed, else 0.
    pub fn run_script(&self, ed: &mut Editor, script: &str, args: &[String]) -> i32 {
        let Some(state) = self.state(ed) else { return 1 };
        state.set_print_to_stdout(true);
        let path = ed.cwd.join(script);
        let Ok(source) = std::fs::read_to_string(&path) else {
            eprintln!("E484: Can't open file {script}");
            return 1;
        };
        let mut arg_table = format!("arg = {{ [0] = {}, ", lua_string(script));
        for a in args {
            arg_table.push_str(&lua_string(a));
            arg_table.push_str(", ");
        }
        arg_table.push('}');
        let result = state.exec(ed, "=-l", &arg_table).and_then(|_| state.exec(ed, &format!("@{script}"), &source));
        state.run_pending(ed);
        match result {
            Ok(_) => 0,
            Err(e) => {
                crate::startup::flush(ed);
                eprintln!("{}", lua_error_text(&e));
                1
            }
        }
    }
}

/// `-l`'s error text: Lua's message and traceback, as Neovim prints them.
fn lua_error_text(e: &rtdvi_lua::LuaError) -> String {
    match e.traceback() {
        Some(tb) => format!("{e}\n{tb}"),
        None => e.to_string(),
    }
}

/// A Lua string literal holding `s`.
fn lua_string(s: &str) -> String {
    let mut out = String::from("\"");
    for b in s.bytes() {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(b as char);
            }
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\{b:03}")),
        }
    }
    out.push('"');
    out
}

/// The extension of Lua plugin files on the plugin search path.
const LUA_EXT: &str = ".lua";

/// Whether config.toml entry `spec` is Lua's rather than the WASM host's: the seed's
/// `mlua_wasm` (Lua is built in), a plugin directory (`path`), or `foo` when the search path has
/// `foo.lua` and no `foo.wasm`/`foo.wat` before it.
pub fn is_lua(spec: &PluginSpec, cwd: &Path) -> bool {
    spec.name == "mlua_wasm" || spec.path.is_some() || lua_file(spec, cwd).is_some()
}

/// The `foo.lua` that entry `foo` names, found on the plugin search path (`$RTDVI_PLUGIN_DIR`,
/// `~/.local/rtdvi/plugins`, `$XDG_DATA_HOME/rtdvi/plugins`, the working directory) when no
/// `foo.wasm` comes first.
fn lua_file(spec: &PluginSpec, cwd: &Path) -> Option<PathBuf> {
    if spec.path.is_some() || spec.name == "mlua_wasm" {
        return None;
    }
    let found = SearchPath::from_env(cwd).find(&spec.name, &[LUA_EXT.to_string()]).ok()?;
    found.managed.is_some().then_some(found.path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_from_the_config() {
        let base = Limits::default();
        let l = lua_limits(&LimitsSpec { memory_mib: Some(8), command_ms: Some(250), event_ms: Some(1) }, base.clone());
        assert_eq!(l.memory_bytes, 8 << 20);
        assert_eq!(l.deadline, std::time::Duration::from_millis(250));
        assert_eq!(l.fuel, 250 * rtdvi_lua::LUA_FUEL_PER_MS);
        let same = lua_limits(&LimitsSpec::default(), base.clone());
        assert_eq!((same.memory_bytes, same.deadline, same.fuel), (base.memory_bytes, base.deadline, base.fuel));
    }

    #[test]
    fn lua_entries_are_found_after_wasm_ones() {
        let Ok(dir) = tempfile::tempdir() else { return };
        let cwd = dir.path();
        std::fs::write(cwd.join("lua-only-test.lua"), "").ok();
        std::fs::write(cwd.join("wat-first-test.lua"), "").ok();
        std::fs::write(cwd.join("wat-first-test.wat"), "").ok();
        let dirs_only = |name: &str| PluginSpec { path: Some(PathBuf::from("/x")), ..PluginSpec::named(name) };
        // The names are unlikely to exist in the environment's plugin directories.
        assert_eq!(lua_file(&PluginSpec::named("lua-only-test"), cwd), Some(cwd.join("lua-only-test.lua")));
        assert!(is_lua(&PluginSpec::named("lua-only-test"), cwd));
        assert!(!is_lua(&PluginSpec::named("wat-first-test"), cwd), "the .wat wins");
        assert!(!is_lua(&PluginSpec::named("missing-test"), cwd));
        assert!(is_lua(&PluginSpec::named("mlua_wasm"), cwd));
        assert!(is_lua(&dirs_only("mini.nvim"), cwd));
    }

    #[test]
    fn lua_strings_escape() {
        assert_eq!(lua_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\010\"");
    }
}
