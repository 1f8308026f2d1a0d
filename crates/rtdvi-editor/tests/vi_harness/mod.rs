//! Shared by the vi differential tests: the fixture format, running a case in rtdvi, and comparing
//! what rtdvi did with what Neovim 0.11.4 did (recorded by `scripts/gen-vi-fixtures.sh`).
//!
//! A case runs exactly as the recorder runs it in Neovim: options, then the buffer text (with no
//! undo history), then ex set-up commands, preset registers and the cursor, then the keys.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use rtdvi_editor::registers::{Register, RegisterKind};
use rtdvi_editor::Editor;
use serde::{Deserialize, Serialize};

/// One recorded case: inputs plus Neovim's result.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Case {
    /// Unique name, `area/...`.
    pub name: String,
    /// The feature area (motions, operators, ...).
    pub area: String,
    /// Buffer lines before the keys.
    pub lines: Vec<String>,
    /// (row, char col), 0-based.
    pub cursor: [usize; 2],
    /// Keys in Vim notation, as given to `nvim_input`.
    pub keys: String,
    /// Registers whose contents are compared.
    #[serde(default)]
    pub registers: Vec<String>,
    /// Options set before anything else (`true`/`false` for booleans).
    #[serde(default)]
    pub options: BTreeMap<String, serde_json::Value>,
    /// Ex commands run before the keys (mappings, `let mapleader`, ...).
    #[serde(default)]
    pub ex: Vec<String>,
    /// Registers filled before the keys.
    #[serde(default)]
    pub preset: BTreeMap<String, RegValue>,
    /// What Neovim did (absent in input-only case lists).
    #[serde(default)]
    pub expect: Option<Outcome>,
}

/// A register as `getreg()`/`getregtype()` see it.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct RegValue {
    /// `getreg()` text (linewise ends in "\n").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The text in key notation (`keytrans()`), used when it holds special keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<String>,
    /// `v`, `V`, `b<width>`, or "" for an empty register.
    #[serde(rename = "type", default)]
    pub kind: String,
}

/// The state after the keys.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub struct Outcome {
    /// Buffer lines.
    pub lines: Vec<String>,
    /// (row, char col), 0-based.
    pub cursor: [usize; 2],
    /// Neovim's `mode()` string.
    pub mode: String,
    /// The registers the case asked for.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub registers: BTreeMap<String, RegValue>,
}

/// Loads every recorded fixture file (`<area>.json`) of a directory.
pub fn load_fixtures(dir: &std::path::Path) -> Result<Vec<Case>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".json") && !name.ends_with("cases.json")
        })
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        let mut part: Vec<Case> = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", f.display()))?;
        cases.append(&mut part);
    }
    Ok(cases)
}

/// The directory holding the fixtures.
pub fn fixture_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vi")
}

/// Feeds keys to the engine the way `nvim_input` does (notation, mappings applied).
pub fn feed(ed: &mut Editor, keys: &str) -> Result<(), String> {
    ed.feed_keys(keys);
    Ok(())
}

/// The engine's `mode()` string.
fn mode(ed: &Editor) -> String {
    ed.mode()
}

/// `:set` arguments for one option of a case.
fn set_arg(name: &str, value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Bool(true) => name.to_string(),
        serde_json::Value::Bool(false) => format!("no{name}"),
        serde_json::Value::String(s) => format!("{name}={s}"),
        v => format!("{name}={v}"),
    }
}

/// A fixture register value as an rtdvi register.
fn to_register(v: &RegValue) -> Register {
    let text = v.text.clone().unwrap_or_default();
    let kind = match v.kind.as_str() {
        "V" => RegisterKind::Linewise,
        k if k.starts_with('b') => RegisterKind::Blockwise(k[1..].parse().unwrap_or(0)),
        _ => RegisterKind::Charwise,
    };
    let body = if kind == RegisterKind::Linewise { text.strip_suffix('\n').unwrap_or(&text) } else { &text };
    Register { lines: body.split('\n').map(str::to_string).collect(), kind }
}

/// An rtdvi register as `getreg()`/`getregtype()` would show it.
fn from_register(r: Option<&Register>, want_keys: bool) -> RegValue {
    let Some(r) = r else {
        return RegValue { text: Some(String::new()), keys: None, kind: String::new() };
    };
    let kind = match r.kind {
        RegisterKind::Charwise => "v".to_string(),
        RegisterKind::Linewise => "V".to_string(),
        RegisterKind::Blockwise(w) => format!("b{w}"),
    };
    let text = r.to_text();
    if want_keys {
        RegValue { text: None, keys: Some(keytrans(&text)), kind }
    } else {
        RegValue { text: Some(text), keys: None, kind }
    }
}

/// A register's text in key notation, like Neovim's `keytrans(getreg())` (special keys that a macro
/// recorded are private-use chars in rtdvi's registers).
fn keytrans(text: &str) -> String {
    let keys: Vec<_> = text.chars().map(rtdvi_editor::keys::key_from_register_char).collect();
    rtdvi_editor::keys::key_notation(&keys)
}

/// Runs a case in a fresh editor. `Err` carries a set-up failure, an engine error or a panic message.
pub fn run(case: &Case) -> Result<Outcome, String> {
    match catch_unwind(AssertUnwindSafe(|| run_inner(case))) {
        Ok(r) => r,
        Err(p) => {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(format!("panic: {msg}"))
        }
    }
}

fn run_inner(case: &Case) -> Result<Outcome, String> {
    let mut ed = Editor::new();
    for (name, value) in &case.options {
        ed.execute_ex(&format!("set {}", set_arg(name, value))).map_err(|e| format!("setup: {e}"))?;
    }
    ed.buf_mut().text = ropey::Rope::from_str(&case.lines.join("\n"));
    for cmd in &case.ex {
        ed.execute_ex(cmd).map_err(|e| format!("setup `{cmd}`: {e}"))?;
    }
    for (name, reg) in &case.preset {
        let c = name.chars().next().unwrap_or('"');
        // As the recorder's setreg(): the unnamed register keeps pointing where it did.
        ed.registers.set_keeping_unnamed(c, to_register(reg)).map_err(|e| format!("setup: {e}"))?;
    }
    ed.set_cursor(case.cursor[0], case.cursor[1]);
    feed(&mut ed, &case.keys)?;
    Ok(observe(&ed, case))
}

/// What a case compares, read from the editor.
pub fn observe(ed: &Editor, case: &Case) -> Outcome {
    let buf = ed.buf();
    let lines = (0..buf.line_count()).map(|i| buf.line(i)).collect();
    let cur = ed.cursor();
    let mut registers = BTreeMap::new();
    for name in &case.registers {
        let c = name.chars().next().unwrap_or('"');
        let want_keys = case.expect.as_ref().and_then(|e| e.registers.get(name)).is_some_and(|r| r.keys.is_some());
        registers.insert(name.clone(), from_register(ed.registers.get(c), want_keys));
    }
    Outcome { lines, cursor: [cur.row, cur.col], mode: mode(ed), registers }
}

/// A human-readable description of how `got` differs from `want`; the first line is a short reason.
pub fn diff(want: &Outcome, got: &Outcome) -> Option<String> {
    let mut reasons = Vec::new();
    let mut detail = String::new();
    if want.lines != got.lines {
        reasons.push("text".to_string());
        let n = want.lines.len().max(got.lines.len());
        for i in 0..n {
            let (w, g) = (want.lines.get(i), got.lines.get(i));
            if w != g {
                detail.push_str(&format!("    line {i}: want {:?}\n    line {i}:  got {:?}\n", w, g));
            }
        }
    }
    if want.cursor != got.cursor {
        reasons.push(format!("cursor {:?}, want {:?}", got.cursor, want.cursor));
    }
    if want.mode != got.mode {
        reasons.push(format!("mode {:?}, want {:?}", got.mode, want.mode));
    }
    for (name, w) in &want.registers {
        let g = got.registers.get(name);
        let empty = |r: &RegValue| r.text.as_deref().unwrap_or("").is_empty() && r.keys.is_none();
        let same = match g {
            Some(g) => g == w || (empty(g) && empty(w)),
            None => empty(w),
        };
        if !same {
            reasons.push(format!("register {name}"));
            detail.push_str(&format!("    reg {name}: want {:?}\n    reg {name}:  got {:?}\n", w, g));
        }
    }
    if reasons.is_empty() {
        None
    } else {
        Some(format!("{}\n{detail}", reasons.join(", ")))
    }
}
