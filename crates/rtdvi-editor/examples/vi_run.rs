//! Runs key sequences through the vi engine and prints the result, one JSON case per input line:
//! `{"lines": [...], "cursor": [row, col], "keys": "dw", "setup": "set sw=4"}` on stdin gives
//! `{"lines": [...], "cursor": [row, col], "mode": "n", "regs": {...}}` on stdout. A developer tool
//! for comparing the engine with Neovim by hand.

use std::io::BufRead;

fn main() {
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let Ok(case) = serde_json::from_str::<serde_json::Value>(&line) else { continue };
        let mut ed = rtdvi_editor::Editor::new();
        let lines: Vec<String> = case["lines"]
            .as_array()
            .map(|a| a.iter().map(|v| v.as_str().unwrap_or("").to_string()).collect())
            .unwrap_or_default();
        ed.buf_mut().text = ropey::Rope::from_str(&lines.join("\n"));
        if let Some(setup) = case["setup"].as_str() {
            if !setup.is_empty() {
                let _ = ed.execute_ex(setup);
            }
        }
        let row = case["cursor"][0].as_u64().unwrap_or(0) as usize;
        let col = case["cursor"][1].as_u64().unwrap_or(0) as usize;
        ed.set_cursor(row, col);
        ed.feed_keys(case["keys"].as_str().unwrap_or(""));
        let out: Vec<String> = (0..ed.buf().line_count()).map(|i| ed.buf().line(i)).collect();
        let mut regs = serde_json::Map::new();
        for r in "\"0123-abc".chars() {
            if let Some(reg) = ed.registers.get(r) {
                let t = match reg.kind {
                    rtdvi_editor::registers::RegisterKind::Charwise => "v".to_string(),
                    rtdvi_editor::registers::RegisterKind::Linewise => "V".to_string(),
                    rtdvi_editor::registers::RegisterKind::Blockwise(w) => format!("\u{16}{w}"),
                };
                regs.insert(r.to_string(), serde_json::json!([reg.to_text(), t]));
            }
        }
        let c = ed.cursor();
        println!("{}", serde_json::json!({"lines": out, "cursor": [c.row, c.col], "mode": ed.mode(), "regs": regs}));
    }
}
