//! Compares rtdvi's Vim patterns with real Neovim 0.11.4 on the cases in
//! `tests/fixtures/patterns.json` (regenerate with `scripts/gen-pattern-fixtures.sh`).

use ropey::Rope;
use rtdvi_core::pattern::{Pattern, PatternOptions};
use rtdvi_core::search::{find_all_in_line, find_first, matches_in_lines};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    pattern: String,
    text: String,
    ignorecase: bool,
    smartcase: bool,
    magic: bool,
    last_substitute: Option<String>,
    error: Option<String>,
    matches: Vec<[usize; 2]>,
}

fn load() -> Vec<Case> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/patterns.json");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or_default()
}

/// Checks one case, describing the first difference from Neovim.
fn check(case: &Case) -> Result<(), String> {
    let opts = PatternOptions {
        ignorecase: case.ignorecase,
        smartcase: case.smartcase,
        magic: case.magic,
        last_substitute: case.last_substitute.clone(),
    };
    let pat = match (Pattern::new(&case.pattern, &opts), &case.error) {
        (Err(e), Some(want)) if e.to_string() == *want => return Ok(()),
        (Err(e), want) => return Err(format!("error {e:?}, Neovim: {want:?}")),
        (Ok(_), Some(want)) => return Err(format!("compiled, Neovim: {want}")),
        (Ok(p), None) => p,
    };
    let rope = Rope::from_str(&case.text);
    // Neovim's last line ends in a line break a match can include; the rope has no char there.
    let len = case.text.len();
    let want: Vec<[usize; 2]> = case.matches.iter().map(|m| [m[0].min(len), m[1].min(len)]).collect();
    let to_bytes = |r: std::ops::Range<usize>| [rope.char_to_byte(r.start), rope.char_to_byte(r.end)];
    let all: Vec<[usize; 2]> = matches_in_lines(&rope, &pat, 0..rope.len_lines()).into_iter().map(to_bytes).collect();
    if all != want {
        return Err(format!("matches {all:?}, Neovim: {want:?}"));
    }
    let first = find_first(&rope, &pat, 0).map(to_bytes);
    if first != want.first().copied() {
        return Err(format!("first match {first:?}, Neovim: {:?}", want.first()));
    }
    if !case.text.contains('\n') && !pat.is_multiline() {
        let in_line: Vec<[usize; 2]> = find_all_in_line(&pat, &case.text).map(|m| [m.start, m.end]).collect();
        if in_line != want {
            return Err(format!("find_all_in_line {in_line:?}, Neovim: {want:?}"));
        }
    }
    Ok(())
}

#[test]
fn patterns_match_neovim() {
    let cases = load();
    assert!(cases.len() >= 150, "fixture has only {} cases", cases.len());
    let failures: Vec<String> =
        cases.iter().filter_map(|c| check(c).err().map(|e| format!("{:?} on {:?}: {e}", c.pattern, c.text))).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Neovim:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
