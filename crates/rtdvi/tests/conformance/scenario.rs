//! The scenario files (`tests/conformance/<area>.toml`, format in `doc/conformance.md`) and the Lua
//! literal the driver receives.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Areas in the order of the report, with the titles the table shows.
pub const AREAS: &[(&str, &str)] = &[
    ("motions", "motions"),
    ("operators", "operators"),
    ("textobjects", "text objects"),
    ("registers", "registers"),
    ("ex", "ex commands"),
    ("search", "search/substitute"),
    ("undo", "undo"),
    ("buffer-api", "buffer API"),
    ("window-api", "window API"),
    ("editor-api", "editor API"),
    ("extmarks", "extmarks"),
    ("keymaps", "keymaps"),
    ("autocmds", "autocmds"),
    ("usercmds", "user commands"),
    ("options", "options"),
    ("vimfn", "vim.fn"),
    ("stdlib", "vim stdlib"),
    ("errors", "errors"),
    ("plugins", "plugin-shaped"),
];

/// One step: typed keys, or a Lua chunk.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Keys in Vim notation, typed (`nvim_feedkeys` with `t`, mappings applied unless `noremap`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<String>,
    /// Keys are not remapped.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub noremap: bool,
    /// Plain Neovim Lua, run as one chunk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lua: Option<String>,
}

/// What to put in the outcome besides lines, cursor and mode.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Capture {
    /// Register names: `getreg()` and `getregtype()`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub registers: Vec<String>,
    /// Mark names: `nvim_buf_get_mark()`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub marks: Vec<String>,
    /// Namespace names: every extmark with details.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extmarks: Vec<String>,
    /// The message history (`:messages`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub messages: bool,
    /// Lua expressions evaluated at the end.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lua: Vec<String>,
}

/// A scenario as written (every field optional; the file's `[defaults]` fill the gaps).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Written {
    name: Option<String>,
    lines: Option<Vec<String>>,
    cursor: Option<[i64; 2]>,
    filetype: Option<String>,
    options: Option<toml::Table>,
    lua: Option<String>,
    keys: Option<String>,
    steps: Option<Vec<Step>>,
    capture: Option<Capture>,
}

/// An area file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AreaFile {
    #[serde(default)]
    defaults: Written,
    scenario: Vec<Written>,
}

/// A scenario ready to run: what the driver receives.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Scenario {
    /// `area/name`, unique.
    pub name: String,
    /// The area (file stem).
    #[serde(skip)]
    pub area: String,
    /// Buffer lines, read from a file (no undo history); `None`: the empty buffer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<String>>,
    /// `[row, col]` as `nvim_win_set_cursor` takes it (1-based row, 0-based byte column).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<[i64; 2]>,
    /// 'filetype', set before the Lua part.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filetype: Option<String>,
    /// Options set with `vim.o` (like `:set`), in name order.
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub options: serde_json::Map<String, Value>,
    /// The Lua part, run before the steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lua: Option<String>,
    /// The steps, each settling before the next.
    pub steps: Vec<Step>,
    /// What the outcome includes.
    pub capture: Capture,
}

impl Scenario {
    /// Keys only: no Lua anywhere and nothing captured that only the Lua driver can read.
    pub fn is_keys_only(&self) -> bool {
        self.lua.is_none()
            && self.filetype.is_none()
            && self.steps.iter().all(|s| s.lua.is_none() && !s.noremap)
            && self.capture.extmarks.is_empty()
            // read-only registers live outside the register table in rtdvi's engine; only `getreg()`
            // (through the driver) sees them as Neovim does
            && self.capture.registers.iter().all(|r| !matches!(r.as_str(), "." | ":" | "/" | "%" | "#" | "="))
            && !self.capture.messages
            && self.capture.lua.is_empty()
    }

    /// Uses Lua (the Lua part, a Lua step or a Lua capture).
    pub fn uses_lua(&self) -> bool {
        self.lua.is_some() || self.steps.iter().any(|s| s.lua.is_some()) || !self.capture.lua.is_empty()
    }

    /// The Lua file the editor runs: the scenario as a table literal, then the driver.
    pub fn driver_source(&self, driver: &str) -> Result<String, String> {
        let value = serde_json::to_value(self).map_err(|e| format!("{}: {e}", self.name))?;
        let mut out = String::from("local SCENARIO = ");
        lua_literal(&value, &mut out);
        out.push('\n');
        out.push_str(driver);
        Ok(out)
    }
}

/// Writes a JSON value as a Lua table literal (strings with decimal escapes, so any bytes are safe).
pub fn lua_literal(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("nil"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => {
            out.push('"');
            for b in s.bytes() {
                match b {
                    b'"' => out.push_str("\\\""),
                    b'\\' => out.push_str("\\\\"),
                    0x20..=0x7e => out.push(b as char),
                    _ => out.push_str(&format!("\\{b:03}")),
                }
            }
            out.push('"');
        }
        Value::Array(items) => {
            out.push('{');
            for item in items {
                lua_literal(item, out);
                out.push_str(", ");
            }
            out.push('}');
        }
        Value::Object(map) => {
            out.push('{');
            for (k, item) in map {
                out.push('[');
                lua_literal(&Value::String(k.clone()), out);
                out.push_str("] = ");
                lua_literal(item, out);
                out.push_str(", ");
            }
            out.push('}');
        }
    }
}

/// The directory of the scenario files.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance")
}

/// Loads every `<area>.toml` of the directory, in report order.
pub fn load_all(dir: &Path) -> Result<Vec<Scenario>, String> {
    let mut stems: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_string))
        .collect();
    let rank = |s: &str| AREAS.iter().position(|(a, _)| *a == s).unwrap_or(AREAS.len());
    stems.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
    let mut all = Vec::new();
    let mut names = BTreeSet::new();
    for stem in stems {
        let path = dir.join(format!("{stem}.toml"));
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for s in parse_area(&stem, &text).map_err(|e| format!("{}: {e}", path.display()))? {
            // the expected-failures file is `name # reason`, one per line
            if s.name.contains(" # ") || s.name.contains('\n') || s.name.trim() != s.name {
                return Err(format!(
                    "{}: scenario name {:?} can't be listed; give it a `name`",
                    path.display(),
                    s.name
                ));
            }
            if !names.insert(s.name.clone()) {
                return Err(format!("{}: duplicate scenario {}", path.display(), s.name));
            }
            all.push(s);
        }
    }
    Ok(all)
}

/// Parses one area file.
pub fn parse_area(area: &str, text: &str) -> Result<Vec<Scenario>, String> {
    let file: AreaFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let d = &file.defaults;
    let mut out = Vec::new();
    for (i, w) in file.scenario.iter().enumerate() {
        let mut steps = w.steps.clone().or_else(|| d.steps.clone()).unwrap_or_default();
        if let Some(keys) = w.keys.clone().or_else(|| if w.steps.is_none() { d.keys.clone() } else { None }) {
            steps.push(Step { keys: Some(keys), noremap: false, lua: None });
        }
        let name = w
            .name
            .clone()
            .or_else(|| w.keys.clone())
            .ok_or_else(|| format!("scenario #{} has neither a name nor keys", i + 1))?;
        let options = match w.options.as_ref().or(d.options.as_ref()) {
            Some(t) => match serde_json::to_value(t).map_err(|e| e.to_string())? {
                Value::Object(m) => m,
                _ => serde_json::Map::new(),
            },
            None => serde_json::Map::new(),
        };
        out.push(Scenario {
            name: format!("{area}/{name}"),
            area: area.to_string(),
            lines: w.lines.clone().or_else(|| d.lines.clone()),
            cursor: w.cursor.or(d.cursor),
            filetype: w.filetype.clone().or_else(|| d.filetype.clone()),
            options,
            lua: match (&d.lua, &w.lua) {
                // the defaults' Lua is a prelude shared by the file's scenarios
                (Some(p), Some(l)) => Some(format!("{p}\n{l}")),
                (p, l) => l.clone().or_else(|| p.clone()),
            },
            steps,
            capture: w.capture.clone().or_else(|| d.capture.clone()).unwrap_or_default(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_gaps_and_keys_name_the_scenario() {
        let text = r#"
[defaults]
lines = ["a b"]
cursor = [1, 0]
capture = { registers = ['"'] }

[[scenario]]
keys = "dw"

[[scenario]]
name = "other"
lines = ["x"]
steps = [{ lua = "vim.cmd('normal! x')" }]
"#;
        let s = parse_area("ops", text).unwrap();
        assert_eq!(s[0].name, "ops/dw");
        assert_eq!(s[0].lines.as_deref(), Some(&["a b".to_string()][..]));
        assert!(s[0].is_keys_only());
        assert_eq!(s[1].lines.as_deref(), Some(&["x".to_string()][..]));
        assert!(!s[1].is_keys_only() && s[1].uses_lua());
        assert_eq!(s[1].capture.registers, vec!["\"".to_string()]);
    }

    #[test]
    fn lua_literal_escapes_every_byte() {
        let mut out = String::new();
        lua_literal(&serde_json::json!({"k": ["a\"\\\n", 1, true]}), &mut out);
        assert_eq!(out, r#"{["k"] = {"a\"\\\010", 1, true, }, }"#);
    }

    #[test]
    fn unknown_fields_are_refused() {
        assert!(parse_area("x", "[[scenario]]\nkeys = 'x'\nbogus = 1\n").is_err());
    }
}
