//! Replays vi cases (the fixture format of `tests/fixtures/vi/`) in rtdvi's engine and prints what
//! happened as JSON, one `{"name", "outcome"}` or `{"name", "error"}` per case. The randomized
//! differential runner (`scripts/vi-random.sh`) compares this with Neovim.
//!
//! Usage: `vi_replay CASES.json` (a JSON array of cases; `expect` is ignored).

#[path = "../tests/vi_harness/mod.rs"]
mod vi_harness;

use std::io::Write;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: vi_replay CASES.json");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let cases: Vec<vi_harness::Case> = match serde_json::from_str(&text) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    // Panics are caught per case and reported as errors; keep the default hook from printing them.
    std::panic::set_hook(Box::new(|_| {}));
    let results: Vec<serde_json::Value> = cases
        .iter()
        .map(|case| match vi_harness::run(case) {
            Ok(o) => serde_json::json!({"name": case.name, "outcome": o}),
            Err(e) => serde_json::json!({"name": case.name, "error": e}),
        })
        .collect();
    let out = serde_json::to_string(&results).unwrap_or_else(|_| "[]".to_string());
    let _ = std::io::stdout().write_all(out.as_bytes());
}
