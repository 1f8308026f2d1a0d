//! `config.toml`: which plugins to load, with their options, runtimes and limits.
//!
//! ```toml
//! runtime = "wasmtime"            # or "wasmi"; RTDVI_WASM_RUNTIME overrides
//! [limits]                        # defaults for every plugin
//! memory_mib = 64
//! event_ms = 50                   # on_event, key bindings, compute_indent
//! command_ms = 2000               # rtdvi_init, run_command, load_plugin, unload_plugin
//!
//! plugins = [
//!   "wordcount",
//!   { name = "formatter", cmd = "rustfmt", width = 100, runtime = "wasmi", limits = { event_ms = 20 } },
//! ]
//! ```
//!
//! In a table entry, `name`, `runtime`, `limits`, `path` and `isolated` are rtdvi's; every other
//! key, of any TOML type, goes to the plugin's `rtdvi_init` as one JSON object (dates become
//! strings). `path` names a Neovim-style plugin directory (`plugin/`, `lua/`, `after/`) and
//! `isolated = true` gives a Lua plugin its own Lua state (see `doc/lua.md`).
//! Note that TOML wants top-level keys before the first `[table]` header.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rtdvi_wasm::EngineKind;
use serde::Deserialize;
use toml::Spanned;

/// The file name under the config directory.
pub const FILE_NAME: &str = "config.toml";
/// The environment variable naming the config file.
pub const CONFIG_ENV: &str = "RTDVI_CONFIG";

/// A config file that can't be used, with where the problem is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}:{col}: {message}", file.display())]
pub struct ConfigError {
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters).
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

/// Per-plugin sandbox limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PluginLimits {
    /// Linear memory cap in bytes (`memory.grow` past it fails).
    pub memory_bytes: usize,
    /// CPU deadline of `on_event`, key bindings and `compute_indent`.
    pub event_deadline: Duration,
    /// CPU deadline of `rtdvi_init`, `run_command`, `load_plugin` and `unload_plugin`.
    pub command_deadline: Duration,
}

impl Default for PluginLimits {
    /// 64 MiB, 50 ms, 2 s.
    fn default() -> Self {
        PluginLimits {
            memory_bytes: 64 << 20,
            event_deadline: Duration::from_millis(50),
            command_deadline: Duration::from_secs(2),
        }
    }
}

/// Limits as written in the file (each key optional).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsSpec {
    /// `memory_mib`.
    pub memory_mib: Option<u64>,
    /// `event_ms`.
    pub event_ms: Option<u64>,
    /// `command_ms`.
    pub command_ms: Option<u64>,
}

impl LimitsSpec {
    /// `base` with the keys given here replacing its values.
    pub fn apply(&self, base: PluginLimits) -> PluginLimits {
        PluginLimits {
            memory_bytes: self.memory_mib.map_or(base.memory_bytes, |m| usize::try_from(m << 20).unwrap_or(usize::MAX)),
            event_deadline: self.event_ms.map_or(base.event_deadline, Duration::from_millis),
            command_deadline: self.command_ms.map_or(base.command_deadline, Duration::from_millis),
        }
    }
}

/// One entry of `plugins`.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginSpec {
    /// The plugin's name (file name without extension).
    pub name: String,
    /// Its own runtime, if set.
    pub runtime: Option<EngineKind>,
    /// Its own limits.
    pub limits: LimitsSpec,
    /// Options for `rtdvi_init`, as a JSON object.
    pub options: serde_json::Map<String, serde_json::Value>,
    /// `path`: a plugin directory in Neovim's layout (`~` not yet expanded).
    pub path: Option<PathBuf>,
    /// `isolated = true`: a Lua plugin with a Lua state of its own.
    pub isolated: bool,
}

impl PluginSpec {
    /// A spec with a name only.
    pub fn named(name: &str) -> Self {
        PluginSpec {
            name: name.to_string(),
            runtime: None,
            limits: LimitsSpec::default(),
            options: Default::default(),
            path: None,
            isolated: false,
        }
    }
}

/// The whole config.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// The global runtime.
    pub runtime: Option<EngineKind>,
    /// The global limits.
    pub limits: LimitsSpec,
    /// Plugins to load, in order.
    pub plugins: Vec<PluginSpec>,
}

#[derive(Deserialize)]
struct RawConfig {
    runtime: Option<Spanned<String>>,
    limits: Option<LimitsSpec>,
    #[serde(default)]
    plugins: Vec<Spanned<toml::Value>>,
}

/// 1-based line and column of byte offset `at` in `text`.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at.min(text.len())).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

impl Config {
    /// Parses `text` (the contents of `file`).
    pub fn parse(text: &str, file: &Path) -> Result<Config, ConfigError> {
        let err = |at: usize, message: String| {
            let (line, col) = line_col(text, at);
            ConfigError { file: file.to_path_buf(), line, col, message }
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            err(at, e.message().trim().to_string())
        })?;
        let runtime = match raw.runtime {
            Some(r) => Some(r.get_ref().parse::<EngineKind>().map_err(|e| err(r.span().start, e.to_string()))?),
            None => None,
        };
        let mut plugins = Vec::new();
        for entry in raw.plugins {
            let at = entry.span().start;
            plugins.push(plugin_spec(entry.into_inner()).map_err(|m| err(at, m))?);
        }
        Ok(Config { runtime, limits: raw.limits.unwrap_or_default(), plugins })
    }

    /// Reads and parses `file`; a missing file is an empty config.
    pub fn load(file: &Path) -> Result<Config, ConfigError> {
        match std::fs::read_to_string(file) {
            Ok(text) => Config::parse(&text, file),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(ConfigError { file: file.to_path_buf(), line: 1, col: 1, message: e.to_string() }),
        }
    }

    /// The config file to use: `$RTDVI_CONFIG`, else `$XDG_CONFIG_HOME/rtdvi/config.toml`, else
    /// `~/.config/rtdvi/config.toml`.
    pub fn default_path() -> Option<PathBuf> {
        if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(p));
        }
        std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
            .map(|d| d.join("rtdvi").join(FILE_NAME))
    }
}

fn plugin_spec(v: toml::Value) -> Result<PluginSpec, String> {
    match v {
        toml::Value::String(name) => Ok(PluginSpec::named(&name)),
        toml::Value::Table(mut t) => {
            let name = match t.remove("name") {
                Some(toml::Value::String(n)) => n,
                Some(_) => return Err("plugin \"name\" must be a string".to_string()),
                None => return Err("plugin entry without \"name\"".to_string()),
            };
            let runtime = match t.remove("runtime") {
                Some(toml::Value::String(r)) => Some(r.parse::<EngineKind>().map_err(|e| e.to_string())?),
                Some(_) => return Err("plugin \"runtime\" must be a string".to_string()),
                None => None,
            };
            let limits = match t.remove("limits") {
                Some(l) => l.try_into::<LimitsSpec>().map_err(|e| format!("plugin {name}: limits: {}", e.message()))?,
                None => LimitsSpec::default(),
            };
            let path = match t.remove("path") {
                Some(toml::Value::String(p)) => Some(PathBuf::from(p)),
                Some(_) => return Err(format!("plugin {name}: \"path\" must be a string")),
                None => None,
            };
            let isolated = match t.remove("isolated") {
                Some(toml::Value::Boolean(b)) => b,
                Some(_) => return Err(format!("plugin {name}: \"isolated\" must be true or false")),
                None => false,
            };
            let options = t.into_iter().map(|(k, v)| (k, to_json(v))).collect();
            Ok(PluginSpec { name, runtime, limits, options, path, isolated })
        }
        other => Err(format!("a plugin entry must be a name or a table, not a {}", other.type_str())),
    }
}

/// A TOML value as JSON (dates and times become their TOML text).
fn to_json(v: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match v {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(J::Null, J::Number),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(a) => J::Array(a.into_iter().map(to_json).collect()),
        toml::Value::Table(t) => J::Object(t.into_iter().map(|(k, v)| (k, to_json(v))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_tables_and_options_of_any_type() {
        let text = r#"
runtime = "wasmi"
plugins = [
  "wordcount",
  { name = "fmt", cmd = "rustfmt", width = 100, ratio = 0.5, on = true, list = [1, "a"], sub = { k = 1 }, when = 1979-05-27, runtime = "wasmtime", limits = { event_ms = 20 } },
]
[limits]
memory_mib = 8
"#;
        let c = Config::parse(text, Path::new("c.toml")).unwrap_or_default();
        assert_eq!(c.runtime, Some(EngineKind::Wasmi));
        assert_eq!(c.limits.memory_mib, Some(8));
        assert_eq!(c.plugins.len(), 2);
        assert_eq!(c.plugins[0], PluginSpec::named("wordcount"));
        let p = &c.plugins[1];
        assert_eq!(p.runtime, Some(EngineKind::Wasmtime));
        assert_eq!(p.limits.event_ms, Some(20));
        let json = serde_json::Value::Object(p.options.clone()).to_string();
        assert_eq!(
            json,
            r#"{"cmd":"rustfmt","list":[1,"a"],"on":true,"ratio":0.5,"sub":{"k":1},"when":"1979-05-27","width":100}"#
        );
        let l = c.limits.apply(PluginLimits::default());
        assert_eq!(l.memory_bytes, 8 << 20);
        assert_eq!(p.limits.apply(l).event_deadline, Duration::from_millis(20));
    }

    #[test]
    fn errors_point_at_line_and_column() {
        let e = Config::parse("plugins = [\n  \"a\",\n  = 3\n]\n", Path::new("/x/config.toml")).err();
        let e = e.map(|e| (e.line, e.col, e.to_string()));
        assert!(e.as_ref().is_some_and(|(l, _, s)| *l == 3 && s.starts_with("/x/config.toml:3:")), "{e:?}");
        let e = Config::parse("plugins = [\"a\", { cmd = 1 }]\n", Path::new("c.toml")).err();
        assert_eq!(e.map(|e| (e.line, e.col, e.message)), Some((1, 17, "plugin entry without \"name\"".to_string())));
        let e = Config::parse("runtime = \"v8\"\n", Path::new("c.toml")).err();
        assert_eq!(e.map(|e| (e.line, e.col)), Some((1, 11)));
        let e = Config::parse("[limits]\nmemory = 3\n", Path::new("c.toml")).err();
        assert!(e.is_some_and(|e| e.line == 2));
        let e = Config::parse("plugins = [\n  { name = \"x\", isolated = 1 },\n]\n", Path::new("c.toml")).err();
        assert_eq!(
            e.map(|e| (e.line, e.col, e.message)),
            Some((2, 3, "plugin x: \"isolated\" must be true or false".to_string()))
        );
    }

    #[test]
    fn lua_entries_path_isolated_and_the_seed_manager() {
        let text = "plugins = [\"mlua_wasm\", { name = \"mini.nvim\", path = \"~/src/mini.nvim\" }, { name = \"big\", isolated = true, limits = { memory_mib = 4 } }]\n";
        let c = Config::parse(text, Path::new("c.toml")).unwrap_or_default();
        let names: Vec<&str> = c.plugins.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["mlua_wasm", "mini.nvim", "big"]);
        assert_eq!(c.plugins[1].path.as_deref(), Some(Path::new("~/src/mini.nvim")));
        assert!(c.plugins[1].options.is_empty(), "path is rtdvi's, not the plugin's option");
        assert!(c.plugins[2].isolated && !c.plugins[1].isolated);
        assert_eq!(c.plugins[2].limits.memory_mib, Some(4));
    }
}
