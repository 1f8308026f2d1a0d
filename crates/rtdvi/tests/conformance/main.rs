//! The Neovim conformance suite: every scenario of `tests/conformance/<area>.toml` runs in rtdvi and
//! its outcome is compared with Neovim 0.11.4's (format and workflow: `doc/conformance.md`).
//!
//! - Normal run (`cargo test`): Neovim's outcomes come from the recorded fixtures in
//!   `tests/conformance/expected/`; Neovim is not needed.
//! - `RTDVI_CONFORMANCE_RECORD=1 RTDVI_NVIM=/path/to/nvim`: runs every scenario in Neovim first and
//!   rewrites the fixtures (`scripts/conformance.sh --record`). `RTDVI_CONFORMANCE_LIVE=1`: compares
//!   with a live Neovim without writing; `RTDVI_CONFORMANCE_CHECK=1` also fails when a recorded outcome
//!   is no longer Neovim's. `RTDVI_SKIP_NVIM=1` turns all three off.
//! - Key-only scenarios run in-process (`native.rs`) unless `RTDVI_CONFORMANCE_DRIVER=lua`; the rest
//!   run the Lua driver in `rtdvi --headless`, one process per scenario.
//! - `tests/conformance/expected-failures.txt` lists the known differences (`name # reason`): an
//!   unlisted failure fails the test, and so does a listed scenario that passes.
//!   `RTDVI_CONFORMANCE_BLESS=1` rewrites the list; `RTDVI_CONFORMANCE_README=1` rewrites the table in
//!   README.md; `RTDVI_CONFORMANCE_VERBOSE=1` prints a diff for every failure, not only new ones.

mod diff;
mod native;
mod process;
mod scenario;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use scenario::{Scenario, AREAS};
use serde_json::Value;

const EXPECTED_FAILURES: &str = "expected-failures.txt";
const BLESS: &str = "RTDVI_CONFORMANCE_BLESS=1 cargo test -p rtdvi --test conformance";
const README_START: &str = "<!-- conformance:start -->";
const README_END: &str = "<!-- conformance:end -->";
/// The reason written for scenarios that fail because rtdvi cannot run the Lua driver yet.
const NO_LUA: &str = "Lua API not available yet";
/// How the reason of a difference kept on purpose starts.
const DELIBERATE: &str = "deliberate:";

fn env_on(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Reads `name # reason` lines (blank lines and `#` lines are comments).
fn read_expected(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(" # ") {
            Some((name, reason)) => (name.trim().to_string(), reason.trim().to_string()),
            None => (l.trim().to_string(), String::new()),
        })
        .collect()
}

fn write_expected(path: &Path, entries: &BTreeMap<String, String>) {
    let mut out = format!(
        "# Conformance scenarios where rtdvi differs from Neovim 0.11.4: `name # reason`.\n\
         # The conformance test fails when a listed scenario passes. Rewrite with: {BLESS}\n"
    );
    for (name, reason) in entries {
        out.push_str(&format!("{name} # {reason}\n"));
    }
    std::fs::write(path, out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// The recorded outcomes, `expected/<area>.json` (name -> outcome).
fn read_fixtures(dir: &Path) -> BTreeMap<String, Value> {
    let mut all = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return all };
    for e in entries.filter_map(Result::ok) {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "json") {
            let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let map: BTreeMap<String, Value> =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            all.extend(map);
        }
    }
    all
}

fn write_fixtures(dir: &Path, scenarios: &[Scenario], outcomes: &BTreeMap<String, Value>) {
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    // Old files first: an area that lost all its scenarios must not keep a stale fixture.
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.filter_map(Result::ok) {
            if e.path().extension().is_some_and(|x| x == "json") {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    let mut by_area: BTreeMap<&str, BTreeMap<&str, &Value>> = BTreeMap::new();
    for s in scenarios {
        if let Some(v) = outcomes.get(&s.name) {
            by_area.entry(&s.area).or_default().insert(&s.name, v);
        }
    }
    for (area, map) in by_area {
        let path = dir.join(format!("{area}.json"));
        // One scenario per line: small files, readable diffs when Neovim's behaviour is re-recorded.
        let items: Vec<String> = map
            .iter()
            .map(|(name, v)| {
                format!("{}: {}", Value::String(name.to_string()), serde_json::to_string(v).unwrap_or_default())
            })
            .collect();
        let text = format!("{{\n{}\n}}\n", items.join(",\n"));
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

fn threads() -> usize {
    std::env::var("RTDVI_CONFORMANCE_JOBS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get().min(4)))
}

/// Neovim's outcome for every scenario: recorded fixtures, or a live run of the selected ones (merged
/// into the fixtures when recording).
fn reference(dir: &Path, all_scenarios: &[Scenario], scenarios: &[Scenario], driver: &str) -> BTreeMap<String, Value> {
    let fixtures = dir.join("expected");
    let recorded = read_fixtures(&fixtures);
    let record = env_on("RTDVI_CONFORMANCE_RECORD");
    let check = env_on("RTDVI_CONFORMANCE_CHECK");
    if env_on("RTDVI_SKIP_NVIM") || !(record || check || env_on("RTDVI_CONFORMANCE_LIVE")) {
        return recorded;
    }
    let before = recorded.clone();
    let nvim = PathBuf::from(
        std::env::var_os("RTDVI_NVIM").expect("RTDVI_NVIM must name Neovim 0.11.4 (scripts/conformance.sh sets it)"),
    );
    let all: Vec<&Scenario> = scenarios.iter().collect();
    let results = process::run_all(&nvim, &all, driver, threads());
    let mut out = recorded;
    let mut broken = String::new();
    for (s, r) in scenarios.iter().zip(results) {
        match r {
            Ok(v) => {
                out.insert(s.name.clone(), v);
            }
            Err(e) => broken.push_str(&format!("  {}: {e}\n", s.name)),
        }
    }
    assert!(broken.is_empty(), "Neovim gave no outcome for these scenarios (fix them):\n{broken}");
    if check {
        // The recorded outcomes must still be what Neovim does (CI: catches fixtures left stale).
        let stale: Vec<&str> =
            scenarios.iter().filter(|s| before.get(&s.name) != out.get(&s.name)).map(|s| s.name.as_str()).collect();
        assert!(
            stale.is_empty(),
            "recorded outcomes differ from Neovim's; rerun scripts/conformance.sh --record:\n  {}",
            stale.join("\n  ")
        );
    }
    if record {
        write_fixtures(&fixtures, all_scenarios, &out);
    }
    out
}

/// rtdvi's outcome for every scenario.
fn rtdvi_outcomes(scenarios: &[Scenario], driver: &str) -> Vec<Result<Value, String>> {
    let lua_for_keys = std::env::var("RTDVI_CONFORMANCE_DRIVER").is_ok_and(|v| v == "lua");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_rtdvi"));
    let (native, driven): (Vec<usize>, Vec<usize>) =
        (0..scenarios.len()).partition(|&i| !lua_for_keys && scenarios[i].is_keys_only());
    let mut out: Vec<Result<Value, String>> = vec![Err("not run".into()); scenarios.len()];
    let driven_refs: Vec<&Scenario> = driven.iter().map(|&i| &scenarios[i]).collect();
    for (i, r) in driven.iter().zip(process::run_all(&bin, &driven_refs, driver, threads())) {
        out[*i] = r;
    }
    for i in native {
        out[i] = native::run(&scenarios[i]);
    }
    out
}

/// Why a scenario failed, in a few words (for the expected-failures list).
fn short_reason(want: &Value, got: &Result<Value, String>) -> String {
    match got {
        Err(e) if e.contains("luafile") => NO_LUA.to_string(),
        Err(e) => e.lines().next().unwrap_or("no outcome").chars().take(120).collect(),
        Ok(got) => {
            let keys: std::collections::BTreeSet<&String> = want
                .as_object()
                .into_iter()
                .flat_map(|m| m.keys())
                .chain(got.as_object().into_iter().flat_map(|m| m.keys()))
                .collect();
            let differ: Vec<&str> =
                keys.into_iter().filter(|k| want.get(k.as_str()) != got.get(k.as_str())).map(String::as_str).collect();
            format!("differs: {}", differ.join(", "))
        }
    }
}

fn failure_text(s: &Scenario, want: &Value, got: &Result<Value, String>) -> String {
    let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
    match got {
        Ok(g) => diff::unified(&pretty(want), &pretty(g), "neovim", "rtdvi"),
        Err(e) => format!("rtdvi gave no outcome: {e}\n(keys-only: {})\n", s.is_keys_only()),
    }
}

/// Per-area counts: scenarios, passed, failed and listed.
#[derive(Default)]
struct Row {
    total: usize,
    pass: usize,
    known: usize,
}

fn table_text(rows: &BTreeMap<&str, Row>) -> String {
    let mut out = String::from(
        "\nconformance with Neovim 0.11.4\n  area                scenarios  pass  known-fail  new-fail  rate\n",
    );
    let (mut t, mut p, mut k) = (0, 0, 0);
    for (area, title) in AREAS {
        let Some(r) = rows.get(area) else { continue };
        out.push_str(&format!(
            "  {title:<19} {:>9} {:>5} {:>11} {:>9} {:>5.1}%\n",
            r.total,
            r.pass,
            r.known,
            r.total - r.pass - r.known,
            100.0 * r.pass as f64 / r.total.max(1) as f64
        ));
        t += r.total;
        p += r.pass;
        k += r.known;
    }
    out.push_str(&format!(
        "  {:<19} {t:>9} {p:>5} {k:>11} {:>9} {:>5.1}%\n",
        "all",
        t - p - k,
        100.0 * p as f64 / t.max(1) as f64
    ));
    out
}

fn readme_table(rows: &BTreeMap<&str, Row>) -> String {
    let mut out = String::from("| area | scenarios | pass | rate |\n|---|---:|---:|---:|\n");
    let (mut t, mut p) = (0, 0);
    for (area, title) in AREAS {
        let Some(r) = rows.get(area) else { continue };
        out.push_str(&format!(
            "| {title} | {} | {} | {:.0}% |\n",
            r.total,
            r.pass,
            100.0 * r.pass as f64 / r.total.max(1) as f64
        ));
        t += r.total;
        p += r.pass;
    }
    out.push_str(&format!("| **all** | {t} | {p} | {:.0}% |\n", 100.0 * p as f64 / t.max(1) as f64));
    out
}

fn update_readme(rows: &BTreeMap<&str, Row>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (Some(a), Some(b)) = (text.find(README_START), text.find(README_END)) else {
        panic!("README.md has no {README_START} ... {README_END} markers");
    };
    let new = format!("{}{README_START}\n{}{}", &text[..a], readme_table(rows), &text[b..]);
    std::fs::write(&path, new).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

#[test]
fn conformance_with_neovim() {
    // A roomier stack than the test harness's 2 MiB: the unoptimized key engine recurses deeper.
    let run = std::thread::Builder::new().stack_size(64 << 20).spawn(check_all);
    match run.map(|h| h.join()) {
        Ok(Ok(())) => {}
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(e) => panic!("could not start the conformance thread: {e}"),
    }
}

fn check_all() {
    let dir = scenario::dir();
    let all_scenarios = scenario::load_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    // RTDVI_CONFORMANCE_FILTER=text: only the scenarios whose name contains it (while writing them).
    let filter = std::env::var("RTDVI_CONFORMANCE_FILTER").ok().filter(|f| !f.is_empty());
    let scenarios: Vec<Scenario> =
        all_scenarios.iter().filter(|s| filter.as_ref().is_none_or(|f| s.name.contains(f.as_str()))).cloned().collect();
    let driver_path = dir.join("driver.lua");
    let driver = std::fs::read_to_string(&driver_path).unwrap_or_else(|e| panic!("{}: {e}", driver_path.display()));

    // The corpus the issue asks for.
    let lua_api = all_scenarios.iter().filter(|s| s.uses_lua() && s.area != "plugins").count();
    let plugins = all_scenarios.iter().filter(|s| s.area == "plugins").count();
    if filter.is_none() {
        assert!(all_scenarios.len() >= 400, "at least 400 scenarios, found {}", all_scenarios.len());
        assert!(lua_api >= 150, "at least 150 Lua API scenarios, found {lua_api}");
        assert!(plugins >= 30, "at least 30 plugin-shaped scenarios, found {plugins}");
    }

    let want_all = reference(&dir, &all_scenarios, &scenarios, &driver);
    let unrecorded: Vec<&str> =
        scenarios.iter().filter(|s| !want_all.contains_key(&s.name)).map(|s| s.name.as_str()).collect();
    assert!(
        unrecorded.is_empty(),
        "{} scenario(s) have no recorded Neovim outcome; run scripts/conformance.sh --record:\n  {}",
        unrecorded.len(),
        unrecorded.join("\n  ")
    );
    let known_name = |n: &String| filter.is_some() || all_scenarios.iter().any(|s| &s.name == n);
    let stale: Vec<&String> = want_all.keys().filter(|n| !known_name(n)).collect();

    let got_all = rtdvi_outcomes(&scenarios, &driver);
    let list_path = dir.join(EXPECTED_FAILURES);
    let expected = read_expected(&list_path);
    let verbose = env_on("RTDVI_CONFORMANCE_VERBOSE");

    let mut rows: BTreeMap<&str, Row> = BTreeMap::new();
    let mut failures: BTreeMap<String, String> = BTreeMap::new();
    let mut unexpected_fail = Vec::new();
    let mut unexpected_pass = Vec::new();
    let mut report = String::new();
    for (s, got) in scenarios.iter().zip(&got_all) {
        let want = &want_all[&s.name];
        let row = rows.entry(&s.area).or_default();
        row.total += 1;
        let pass = matches!(got, Ok(g) if g == want);
        let listed = expected.contains_key(&s.name);
        if pass {
            row.pass += 1;
            if listed {
                unexpected_pass.push(s.name.clone());
            }
            continue;
        }
        failures.insert(s.name.clone(), short_reason(want, got));
        if listed {
            row.known += 1;
        } else {
            unexpected_fail.push(s.name.clone());
        }
        if verbose || !listed {
            report.push_str(&format!("FAIL {}\n{}\n", s.name, failure_text(s, want, got)));
        }
    }
    let unknown: Vec<&String> = expected.keys().filter(|n| !known_name(n)).collect();

    report.push_str(&table_text(&rows));
    // Straight to stderr so the table shows even when the test harness captures output.
    let _ = std::io::stderr().write_all(report.as_bytes());

    if env_on("RTDVI_CONFORMANCE_README") && filter.is_none() {
        update_readme(&rows);
    }
    if env_on("RTDVI_CONFORMANCE_BLESS") {
        // A filtered run rewrites only its own scenarios' entries.
        let mut entries: BTreeMap<String, String> = expected
            .iter()
            .filter(|(n, _)| filter.is_some() && !scenarios.iter().any(|s| &s.name == *n))
            .map(|(n, r)| (n.clone(), r.clone()))
            .collect();
        entries.extend(failures.iter().map(|(name, why)| {
            // A written reason is kept, except a "no Lua" one once the failure has another cause, and
            // any reason while the cause is "no Lua" (it cannot be checked then) unless it explains a
            // deliberate difference.
            let keep =
                |r: &&String| r.starts_with(DELIBERATE) || (!r.is_empty() && r.as_str() != NO_LUA && why != NO_LUA);
            let reason = expected.get(name).filter(keep).cloned();
            (name.clone(), reason.unwrap_or_else(|| why.clone()))
        }));
        write_expected(&list_path, &entries);
        return;
    }
    let mut problems = String::new();
    if !unexpected_fail.is_empty() {
        problems.push_str(&format!(
            "{} scenario(s) differ from Neovim and are not in tests/conformance/{EXPECTED_FAILURES} (diffs above):\n  {}\n",
            unexpected_fail.len(),
            unexpected_fail.join("\n  ")
        ));
    }
    if !unexpected_pass.is_empty() {
        problems.push_str(&format!(
            "{} listed scenario(s) now pass; take them out of tests/conformance/{EXPECTED_FAILURES}:\n  {}\n",
            unexpected_pass.len(),
            unexpected_pass.join("\n  ")
        ));
    }
    if !unknown.is_empty() || !stale.is_empty() {
        problems.push_str(&format!(
            "names of no scenario in the expected failures or fixtures:\n  {}\n",
            unknown.iter().chain(stale.iter()).map(|s| s.as_str()).collect::<Vec<_>>().join("\n  ")
        ));
    }
    if !problems.is_empty() {
        problems.push_str(&format!("when the differences are understood, update the list with:\n  {BLESS}\n"));
    }
    assert!(problems.is_empty(), "{problems}");
}
