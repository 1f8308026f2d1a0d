//! Where plugin files are found: `$RTDVI_PLUGIN_DIR`, `$HOME/.local/rtdvi/plugins`,
//! `$XDG_DATA_HOME/rtdvi/plugins` (default `~/.local/share/rtdvi/plugins`), then the working
//! directory, in that order. In each directory `foo` tries `foo.wasm`, then `foo.wat`, then
//! `foo<ext>` for each extension a plugin manager registered; the first directory holding any of
//! them wins, so `$RTDVI_PLUGIN_DIR` overrides everything.
//!
//! A name is a file stem: letters, digits, `_`, `-` and inner dots. Path separators, `..`,
//! absolute paths and empty names are refused, so no name can reach outside these directories.

use std::path::{Path, PathBuf};

/// The environment variable naming the first plugin directory.
pub const PLUGIN_DIR_ENV: &str = "RTDVI_PLUGIN_DIR";

/// One directory of the search path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDir {
    /// The directory.
    pub dir: PathBuf,
    /// Where it comes from (`$RTDVI_PLUGIN_DIR`, `~/.local/rtdvi/plugins`...), for `:plugin list`.
    pub origin: &'static str,
}

/// The search path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchPath {
    /// Directories in order.
    pub dirs: Vec<SearchDir>,
}

/// What a name resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The file.
    pub path: PathBuf,
    /// The origin of its directory.
    pub origin: &'static str,
    /// The managed extension (`.lua`) when a plugin manager must load it.
    pub managed: Option<String>,
}

/// Why a name could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    /// The name could escape the plugin directories.
    #[error("invalid plugin name {0:?} (a file name without directories)")]
    InvalidName(String),
    /// Nothing found.
    #[error("plugin {name} not found (looked for {name}.wasm, {name}.wat{managed} in {dirs})")]
    NotFound {
        /// The name.
        name: String,
        /// `, name.lua` for managed extensions.
        managed: String,
        /// The directories searched.
        dirs: String,
    },
}

/// Whether `name` is a plain file stem.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.ends_with('.')
        && !name.contains("..")
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

impl SearchPath {
    /// The search path from the environment (`cwd` is the last directory).
    pub fn from_env(cwd: &Path) -> SearchPath {
        let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
        let mut dirs = Vec::new();
        if let Some(d) = var(PLUGIN_DIR_ENV) {
            dirs.push(SearchDir { dir: d, origin: "$RTDVI_PLUGIN_DIR" });
        }
        let home = var("HOME");
        if let Some(h) = &home {
            dirs.push(SearchDir { dir: h.join(".local/rtdvi/plugins"), origin: "~/.local/rtdvi/plugins" });
        }
        let data = var("XDG_DATA_HOME").filter(|p| p.is_absolute()).or_else(|| home.map(|h| h.join(".local/share")));
        if let Some(d) = data {
            dirs.push(SearchDir { dir: d.join("rtdvi/plugins"), origin: "$XDG_DATA_HOME/rtdvi/plugins" });
        }
        dirs.push(SearchDir { dir: cwd.to_path_buf(), origin: "./" });
        SearchPath { dirs }
    }

    /// Finds plugin `name`; `managed` are the extensions plugin managers registered (`.lua`).
    pub fn find(&self, name: &str, managed: &[String]) -> Result<Found, SearchError> {
        if !valid_name(name) {
            return Err(SearchError::InvalidName(name.to_string()));
        }
        for d in &self.dirs {
            for ext in [".wasm", ".wat"] {
                let path = d.dir.join(format!("{name}{ext}"));
                if path.is_file() {
                    return Ok(Found { path, origin: d.origin, managed: None });
                }
            }
            for ext in managed {
                let path = d.dir.join(format!("{name}{ext}"));
                if path.is_file() {
                    return Ok(Found { path, origin: d.origin, managed: Some(ext.clone()) });
                }
            }
        }
        Err(SearchError::NotFound {
            name: name.to_string(),
            managed: managed.iter().map(|e| format!(", {name}{e}")).collect(),
            dirs: self.dirs.iter().map(|d| d.dir.display().to_string()).collect::<Vec<_>>().join(", "),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_escape() {
        for bad in ["", "../x", "a/b", "/etc/passwd", "..", ".hidden", "a\\b", "x\0", "a..b"] {
            assert!(!valid_name(bad), "{bad:?}");
        }
        for good in ["hello", "rules_c", "mlua-wasm", "a.b"] {
            assert!(valid_name(good), "{good:?}");
        }
    }

    #[test]
    fn earlier_directories_win_and_wasm_beats_wat_beats_managed() {
        let (a, b) = (tempfile::tempdir(), tempfile::tempdir());
        let (Ok(a), Ok(b)) = (a, b) else { return };
        let sp = SearchPath {
            dirs: vec![
                SearchDir { dir: a.path().to_path_buf(), origin: "first" },
                SearchDir { dir: b.path().to_path_buf(), origin: "second" },
            ],
        };
        let lua = vec![".lua".to_string()];
        assert!(matches!(sp.find("p", &lua), Err(SearchError::NotFound { .. })));
        std::fs::write(b.path().join("p.wasm"), b"").ok();
        std::fs::write(a.path().join("p.lua"), b"").ok();
        let f = sp.find("p", &lua).ok();
        assert_eq!(f.as_ref().map(|f| (f.origin, f.managed.clone())), Some(("first", Some(".lua".to_string()))));
        std::fs::write(a.path().join("p.wat"), b"").ok();
        assert_eq!(sp.find("p", &lua).ok().map(|f| f.path), Some(a.path().join("p.wat")));
        std::fs::write(a.path().join("p.wasm"), b"").ok();
        assert_eq!(sp.find("p", &lua).ok().map(|f| f.path), Some(a.path().join("p.wasm")));
        assert!(matches!(sp.find("../p", &lua), Err(SearchError::InvalidName(_))));
    }
}
