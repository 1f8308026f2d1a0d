//! Lua at start-up: the shared Lua state, init.lua, plugins and `-l` scripts.
//!
//! The engine is `RTDVI_WASM_RUNTIME`, else config.toml's `runtime`, else wasmtime; wasmtime keeps
//! the compiled guest under `$XDG_CACHE_HOME/rtdvi/wasm`, so only the first start compiles it.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use rtdvi_editor::Editor;
use rtdvi_lua::bridge::{self, LuaEditor};
use rtdvi_lua::{EngineKind, Limits};

/// What rtdvi reads from config.toml for Lua.
///
/// MERGE NOTE: a shim until rtdvi-plugin's config parsing is on main; then its `runtime` and
/// `plugins` entries feed [`start`] and [`load_config_plugins`] instead.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LuaConfig {
    /// `runtime = "wasmtime" | "wasmi"`.
    pub runtime: Option<String>,
    /// `plugins = ["foo", { name = "bar", path = "~/src/bar" }]`.
    pub plugins: Vec<PluginEntry>,
}

/// One entry of `plugins`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PluginEntry {
    /// `foo`: `foo.lua` on the plugin search path, or the name of a directory plugin.
    pub name: String,
    /// A plugin directory in Neovim's layout (`plugin/`, `lua/`, `after/`).
    pub path: Option<PathBuf>,
}

/// Parses config.toml's Lua-related keys; anything malformed is ignored (the plugin host reports
/// config errors).
pub fn parse_config(text: &str) -> LuaConfig {
    let Ok(table) = text.parse::<toml::Table>() else { return LuaConfig::default() };
    let runtime = table.get("runtime").and_then(|v| v.as_str()).map(str::to_string);
    let plugins = table
        .get("plugins")
        .and_then(|v| v.as_array())
        .map(|list| {
            list.iter()
                .filter_map(|p| match p {
                    toml::Value::String(name) => Some(PluginEntry { name: name.clone(), path: None }),
                    toml::Value::Table(t) => Some(PluginEntry {
                        name: t.get("name")?.as_str()?.to_string(),
                        path: t.get("path").and_then(|p| p.as_str()).map(PathBuf::from),
                    }),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    LuaConfig { runtime, plugins }
}

fn read_config(config_dir: Option<&Path>) -> LuaConfig {
    config_dir
        .and_then(|d| std::fs::read_to_string(d.join("config.toml")).ok())
        .map(|t| parse_config(&t))
        .unwrap_or_default()
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
    paths: bridge::SearchPaths,
    config: LuaConfig,
}

impl LazyLua {
    /// The Lua state, started now if needed (`None` if it cannot start: said in a message).
    fn get(&self, ed: &mut Editor) -> Option<Rc<LuaEditor>> {
        if let Some(state) = self.state.borrow().as_ref() {
            return Some(state.clone());
        }
        let paths = bridge::load_paths(ed);
        let paths = if paths == bridge::SearchPaths::default() { self.paths.clone() } else { paths };
        match LuaEditor::new(self.engine, Limits::default(), paths) {
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
        let state = self.0.state.borrow().clone()?;
        bridge::LuaScripts(state).idle(editor)
    }
}

/// Prepares Lua for the editor (it starts on first use). `config_dir` is `None` with
/// `--clean`/`-u NONE` (no user directories on 'runtimepath').
pub fn start(ed: &mut Editor, config_dir: Option<&Path>) -> Option<Lua> {
    let config = read_config(config_dir);
    let configured = config.runtime.as_deref().and_then(|r| r.parse::<EngineKind>().ok());
    let engine = match EngineKind::from_env_or(configured) {
        Ok(e) => e,
        Err(e) => {
            ed.messages.error(format!("E5113: Lua is not available: {e}"));
            return None;
        }
    };
    if let Some(cache) = xdg("XDG_CACHE_HOME", ".cache") {
        rtdvi_lua::set_module_cache(cache.join("rtdvi").join("wasm"));
    }
    let data = if config_dir.is_some() { data_dir() } else { None };
    let paths = bridge::default_paths(config_dir, data.as_deref());
    bridge::store_paths(ed, &paths);
    let lazy = Rc::new(LazyLua { state: std::cell::RefCell::new(None), engine, paths, config });
    ed.script_host = Some(Box::new(LazyScripts(lazy.clone())));
    Some(Lua { lazy })
}

/// Whether start-up has plugins to load: a `plugin/` directory on 'runtimepath', a `pack/`
/// directory on 'packpath', or config.toml plugins.
fn has_plugins(ed: &Editor, config: &LuaConfig) -> bool {
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
        for entry in config.plugins.clone() {
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
        for entry in config.plugins {
            // The seed's Lua manager entry: Lua is built in, so it needs nothing.
            if entry.path.is_some() || entry.name == "mlua_wasm" {
                continue;
            }
            // `foo.wasm` wins over `foo.lua` (the seed's order); the WASM host loads it.
            if rtdvi_plugin::SearchPath::from_env(&ed.cwd).find(&entry.name, &[]).is_ok() {
                continue;
            }
            if let Some(file) = find_lua_plugin(&entry.name) {
                if let Err(e) = state.source_file(ed, &file, &entry.name) {
                    ed.messages.error(e);
                }
            }
        }
    }

    /// Runs scheduled callbacks and due timers.
    pub fn run_pending(&self, ed: &mut Editor) {
        let started = self.lazy.state.borrow().clone();
        if let Some(state) = started {
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

/// Whether config.toml entry `name` is Lua's: the seed's `mlua_wasm`, or a `name.lua` on the
/// seed's search path.
pub fn handles(name: &str) -> bool {
    name == "mlua_wasm" || find_lua_plugin(name).is_some()
}

/// The seed's search path for plugin `name` as Lua: `$RTDVI_PLUGIN_DIR`, `~/.local/rtdvi/plugins`,
/// then the current directory.
fn find_lua_plugin(name: &str) -> Option<PathBuf> {
    if name.contains(['/', '\\']) || name.contains("..") {
        return None;
    }
    let file = format!("{name}.lua");
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os("RTDVI_PLUGIN_DIR") {
        dirs.push(PathBuf::from(d));
    }
    if let Some(h) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(h).join(".local/rtdvi/plugins"));
    }
    dirs.push(PathBuf::from("."));
    dirs.into_iter().map(|d| d.join(&file)).find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_plugins_and_runtime() {
        let c = parse_config(
            "runtime = \"wasmi\"\nplugins = [\"mlua_wasm\", \"hello\", { name = \"mini.nvim\", path = \"~/src/mini.nvim\" }, 3]",
        );
        assert_eq!(c.runtime.as_deref(), Some("wasmi"));
        let names: Vec<&str> = c.plugins.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["mlua_wasm", "hello", "mini.nvim"]);
        assert_eq!(c.plugins[2].path.as_deref(), Some(Path::new("~/src/mini.nvim")));
        assert_eq!(parse_config("not toml ["), LuaConfig::default());
    }

    #[test]
    fn lua_strings_escape() {
        assert_eq!(lua_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\010\"");
    }
}
