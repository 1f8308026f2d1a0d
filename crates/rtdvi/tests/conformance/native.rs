//! The in-process path for key-only scenarios: rtdvi's engine is driven directly (keys typed as
//! `nvim_input` types them) and the outcome is read into the same JSON the Lua driver writes. It exists
//! so that key scenarios are checked before rtdvi's Lua API can run the driver, and fast; once it can,
//! `RTDVI_CONFORMANCE_DRIVER=lua` runs them through the driver as well.

use std::panic::{catch_unwind, AssertUnwindSafe};

use rtdvi_editor::registers::{Register, RegisterKind};
use rtdvi_editor::Editor;
use serde_json::{json, Map, Value};

use super::scenario::Scenario;

/// Runs a key-only scenario in a fresh editor.
pub fn run(s: &Scenario) -> Result<Value, String> {
    match catch_unwind(AssertUnwindSafe(|| run_inner(s))) {
        Ok(r) => r,
        Err(p) => Err(format!(
            "panic: {}",
            p.downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        )),
    }
}

/// `:set` argument for one option.
fn set_arg(name: &str, v: &Value) -> String {
    match v {
        Value::Bool(true) => name.to_string(),
        Value::Bool(false) => format!("no{name}"),
        Value::String(s) => format!("{name}={}", s.replace(' ', "\\ ")),
        v => format!("{name}={v}"),
    }
}

/// The char column of a byte column of a line (clamped to the line).
fn char_col(line: &str, byte: usize) -> usize {
    line.char_indices().take_while(|(b, _)| *b < byte).count()
}

/// The byte column of a char column of a line.
fn byte_col(line: &str, col: usize) -> usize {
    line.chars().take(col).map(char::len_utf8).sum()
}

fn run_inner(s: &Scenario) -> Result<Value, String> {
    let mut ed = Editor::new();
    for (name, value) in &s.options {
        ed.execute_ex(&format!("set {}", set_arg(name, value))).map_err(|e| format!("option {name}: {e}"))?;
    }
    if let Some(lines) = &s.lines {
        ed.buf_mut().text = ropey::Rope::from_str(&lines.join("\n"));
    }
    if let Some([row, col]) = s.cursor {
        let row = usize::try_from(row - 1).unwrap_or(0);
        let line = ed.buf().line(row.min(ed.buf().line_count().saturating_sub(1)));
        ed.set_cursor(row, char_col(&line, usize::try_from(col).unwrap_or(0)));
    }
    for step in &s.steps {
        if let Some(keys) = &step.keys {
            ed.feed_keys(keys);
        }
    }
    Ok(observe(&ed, s))
}

/// A register as the driver writes it.
fn register(r: Option<&Register>) -> Value {
    let Some(r) = r else {
        return json!({"text": "", "type": ""});
    };
    let kind = match r.kind {
        RegisterKind::Charwise => "v".to_string(),
        RegisterKind::Linewise => "V".to_string(),
        RegisterKind::Blockwise(w) => format!("\u{16}{w}"),
    };
    let text = r.to_text();
    // Special keys a macro recorded are private-use chars here; Neovim's bytes for them are not UTF-8,
    // so the driver writes such registers in key notation.
    if text.chars().any(|c| (0xF0000..0xF1000).contains(&(c as u32))) {
        let keys: Vec<_> = text.chars().map(rtdvi_editor::keys::key_from_register_char).collect();
        return json!({"keys": rtdvi_editor::keys::key_notation(&keys), "type": kind});
    }
    json!({"text": text, "type": kind})
}

fn observe(ed: &Editor, s: &Scenario) -> Value {
    let buf = ed.buf();
    let lines: Vec<String> = (0..buf.line_count()).map(|i| buf.line(i)).collect();
    let cur = ed.cursor();
    let cur_line = lines.get(cur.row).map(String::as_str).unwrap_or("");
    let mut out = Map::new();
    out.insert("lines".into(), json!(lines));
    out.insert("cursor".into(), json!([cur.row + 1, byte_col(cur_line, cur.col)]));
    out.insert("mode".into(), json!(ed.mode()));
    if !s.capture.registers.is_empty() {
        let mut regs = Map::new();
        for name in &s.capture.registers {
            let c = name.chars().next().unwrap_or('"');
            let mut value = register(ed.registers.get(c));
            if ed.registers.get(c).is_none() && rtdvi_editor::registers::Registers::always_charwise(c) {
                // As getregtype(): these are charwise even when empty.
                value["type"] = json!("v");
            }
            regs.insert(name.clone(), value);
        }
        out.insert("registers".into(), Value::Object(regs));
    }
    if !s.capture.marks.is_empty() {
        let mut marks = Map::new();
        for name in &s.capture.marks {
            let c = name.chars().next().unwrap_or('a');
            let pos = buf.mark(c).map(|p| {
                let (row, col) = buf.char_to_pos(p);
                let line = buf.line(row);
                // As nvim_buf_get_mark: Vim's MAXCOL for a linewise end.
                let col = if buf.mark_at_line_end(c) { 2147483647 } else { byte_col(&line, col) };
                json!([row + 1, col])
            });
            marks.insert(name.clone(), pos.unwrap_or_else(|| json!([0, 0])));
        }
        out.insert("marks".into(), Value::Object(marks));
    }
    Value::Object(out)
}
