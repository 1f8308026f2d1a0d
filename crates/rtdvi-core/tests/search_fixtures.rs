//! Compares where `/` and `?` land with Neovim 0.11.4's searchpos() on the cases in
//! `tests/fixtures/searches.json` (regenerate with `scripts/gen-pattern-fixtures.sh`).

use ropey::Rope;
use rtdvi_core::pattern::{Pattern, PatternOptions};
use rtdvi_core::search::{search_backward, search_forward, SearchResult};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    text: String,
    pattern: String,
    line: usize,
    col: usize,
    backward: bool,
    wrapscan: bool,
    found: Option<(usize, usize)>,
}

fn load() -> Vec<Case> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/searches.json");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or_default()
}

/// (1-based line, byte column) of a char offset.
fn position(rope: &Rope, char_idx: usize) -> (usize, usize) {
    let line = rope.char_to_line(char_idx);
    let col = rope.char_to_byte(char_idx) - rope.line_to_byte(line);
    (line + 1, col)
}

fn check(case: &Case) -> Result<(), String> {
    let pat = Pattern::new(&case.pattern, &PatternOptions::default()).map_err(|e| e.to_string())?;
    let rope = Rope::from_str(&case.text);
    let line = case.line - 1;
    let from = rope.byte_to_char(rope.line_to_byte(line) + case.col);
    let result = if case.backward {
        search_backward(&rope, &pat, from, case.wrapscan)
    } else {
        search_forward(&rope, &pat, from, case.wrapscan)
    };
    let got = match result {
        SearchResult::Found { range, .. } => Some(position(&rope, range.start)),
        _ => None,
    };
    if got == case.found {
        Ok(())
    } else {
        Err(format!("got {got:?}, Neovim {:?}", case.found))
    }
}

#[test]
fn searches_land_where_neovim_does() {
    let cases = load();
    assert!(cases.len() >= 100, "fixture has only {} cases", cases.len());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            check(c).err().map(|e| {
                format!(
                    "{}{:?} from {}:{} in {:?} (wrapscan {}): {e}",
                    if c.backward { "?" } else { "/" },
                    c.pattern,
                    c.line,
                    c.col,
                    c.text,
                    c.wrapscan
                )
            })
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} searches differ from Neovim:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
