//! The vi differential test: every case recorded from Neovim 0.11.4 under `tests/fixtures/vi/` runs in
//! rtdvi's engine in-process and must end in the same text, cursor, mode and registers.
//!
//! `tests/fixtures/vi/expected-failures.txt` lists the known differences (`name # reason`). The test
//! fails when a case that is not listed fails, and when a listed case passes, so the list stays true.
//! `RTDVI_VI_BLESS=1 cargo test -p rtdvi-editor --test vi_fixtures` rewrites the list from the current
//! failures (keeping the reasons already written). A per-area table is printed on every run.

mod vi_harness;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

const EXPECTED_FAILURES: &str = "expected-failures.txt";

/// Reads `name # reason` lines (blank lines and lines starting with `#` are comments).
fn read_expected(path: &std::path::Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(" # ") {
            Some((name, reason)) => (name.trim().to_string(), reason.trim().to_string()),
            None => (l.trim().to_string(), String::new()),
        })
        .collect()
}

fn write_expected(path: &std::path::Path, entries: &BTreeMap<String, String>) {
    let mut out = String::from(
        "# Vi fixture cases where rtdvi differs from Neovim 0.11.4: `name # reason`.\n\
         # The vi_fixtures test fails when a listed case passes; remove it then (or rerun with RTDVI_VI_BLESS=1).\n",
    );
    for (name, reason) in entries {
        out.push_str(&format!("{name} # {reason}\n"));
    }
    std::fs::write(path, out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

#[test]
fn vi_fixtures_match_neovim() {
    // A roomier stack than the test harness's 2 MiB: unoptimized builds recurse deeper per key.
    let run = std::thread::Builder::new().stack_size(64 << 20).spawn(check_all_fixtures);
    match run.map(|h| h.join()) {
        Ok(Ok(())) => {}
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(e) => panic!("could not start the fixture thread: {e}"),
    }
}

fn check_all_fixtures() {
    let dir = vi_harness::fixture_dir();
    let cases = vi_harness::load_fixtures(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert!(cases.len() >= 500, "expected at least 500 vi fixtures, found {}", cases.len());
    let list_path = dir.join(EXPECTED_FAILURES);
    let expected = read_expected(&list_path);

    // area -> (total, passed, failed and listed)
    let mut table: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut failures: BTreeMap<String, String> = BTreeMap::new();
    let mut unexpected_fail = Vec::new();
    let mut unexpected_pass = Vec::new();
    let mut names = BTreeSet::new();
    for case in &cases {
        assert!(names.insert(case.name.clone()), "duplicate case {}", case.name);
        let want = case.expect.as_ref().unwrap_or_else(|| panic!("{}: no recorded result", case.name));
        let verdict = match vi_harness::run(case) {
            Ok(got) => vi_harness::diff(want, &got),
            Err(e) => Some(format!("{e}\n")),
        };
        let row = table.entry(case.area.clone()).or_default();
        row.0 += 1;
        match verdict {
            None => {
                row.1 += 1;
                if expected.contains_key(&case.name) {
                    unexpected_pass.push(case.name.clone());
                }
            }
            Some(d) => {
                if expected.contains_key(&case.name) {
                    row.2 += 1;
                } else {
                    unexpected_fail.push(case.name.clone());
                }
                println!("FAIL {} keys {:?} from {:?}\n  {d}", case.name, case.keys, case.cursor);
                failures.insert(case.name.clone(), d);
            }
        }
    }
    let stale: Vec<_> = expected.keys().filter(|n| !names.contains(*n)).cloned().collect();

    let mut report =
        String::from("\nvi fixtures against Neovim 0.11.4\n  area          cases  pass  known-fail  new-fail\n");
    let (mut t, mut p, mut k) = (0, 0, 0);
    for (area, (total, pass, known)) in &table {
        report.push_str(&format!("  {area:<12} {total:>6} {pass:>5} {known:>11} {:>9}\n", total - pass - known));
        t += total;
        p += pass;
        k += known;
    }
    report.push_str(&format!(
        "  {:<12} {t:>6} {p:>5} {k:>11} {:>9}   agreement {:.1}%\n",
        "all",
        t - p - k,
        100.0 * p as f64 / t.max(1) as f64
    ));
    // Straight to stderr so the table shows even when the test harness captures output.
    let _ = std::io::stderr().write_all(report.as_bytes());

    if std::env::var_os("RTDVI_VI_BLESS").is_some() {
        let entries = failures
            .iter()
            .map(|(name, d)| {
                let reason = expected
                    .get(name)
                    .filter(|r| !r.is_empty())
                    .cloned()
                    .unwrap_or_else(|| d.lines().next().unwrap_or("differs").to_string());
                (name.clone(), reason)
            })
            .collect();
        write_expected(&list_path, &entries);
        return;
    }
    let mut problems = String::new();
    if !unexpected_fail.is_empty() {
        problems.push_str(&format!("{} case(s) fail that {EXPECTED_FAILURES} does not list:\n", unexpected_fail.len()));
        for n in &unexpected_fail {
            problems.push_str(&format!("  {n}: {}", failures.get(n).map(String::as_str).unwrap_or("")));
        }
    }
    if !unexpected_pass.is_empty() {
        problems.push_str(&format!(
            "{} listed case(s) now pass; remove them from {EXPECTED_FAILURES}:\n  {}\n",
            unexpected_pass.len(),
            unexpected_pass.join("\n  ")
        ));
    }
    if !stale.is_empty() {
        problems.push_str(&format!("{EXPECTED_FAILURES} names unknown cases:\n  {}\n", stale.join("\n  ")));
    }
    assert!(problems.is_empty(), "{problems}");
}
