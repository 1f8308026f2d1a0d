//! The function differential test: every case of `tests/fixtures/vimfn-cases.txt`, recorded from
//! Neovim 0.11.4 into `tests/fixtures/vimfn.jsonl` by `scripts/gen-vimfn-fixtures.sh`, is replayed
//! in rtdvi and must give the same `string()` of its value, or the same error message.
//!
//! `tests/fixtures/vimfn-expected-failures.txt` lists the known differences (`expression # reason`).
//! The test fails when an unlisted case differs and when a listed case matches, so the list stays
//! true.

use std::collections::BTreeMap;

use rtdvi_editor::expr;
use rtdvi_editor::function::EditorContext;
use rtdvi_editor::Editor;

fn fixtures() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Reads `expression # reason` lines (`#` at the start of a line is a comment).
fn expected_failures() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(fixtures().join("vimfn-expected-failures.txt")).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| match l.rsplit_once(" # ") {
            Some((e, why)) => (e.to_string(), why.to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect()
}

#[test]
fn vim_functions_match_neovim() {
    // The same directory layout the generator gives Neovim.
    let dir = tempfile::tempdir().expect("temp dir");
    let work = dir.path().join("work");
    std::fs::create_dir_all(work.join("sub")).expect("mkdir");
    std::fs::write(work.join("file.txt"), "hello\n").expect("write");
    let work = work.canonicalize().expect("canonical");

    let mut ed = Editor::new();
    ed.cwd = work.clone();
    // Neovim writes strings that are not UTF-8 (a byte of a multi-byte character) as raw bytes;
    // rtdvi's strings are UTF-8 and show such a byte as U+FFFD, which is what a lossy read gives.
    let bytes = std::fs::read(fixtures().join("vimfn.jsonl")).expect("vimfn.jsonl");
    let cases = String::from_utf8_lossy(&bytes);
    let expected = expected_failures();
    let mut failures = Vec::new();
    let mut unexpected_passes = Vec::new();
    let mut total = 0;
    // RTDVI_VIMFN_TRACE=1 prints the editor's mode and cursor after every setup command.
    let trace = std::env::var_os("RTDVI_VIMFN_TRACE").is_some();
    for line in cases.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).expect("a JSON case");
        if let Some(cmd) = case.get("cmd").and_then(|c| c.as_str()) {
            let r = ed.execute_ex(cmd);
            let want_err = case.get("err").and_then(|e| e.as_str());
            assert!(r.is_ok() || want_err.is_some(), "setup command `{cmd}` failed: {r:?}");
            if trace {
                println!(":{cmd} -> mode {} cursor {:?}", ed.mode(), ed.cursor());
            }
            ed.take_messages();
            continue;
        }
        let src = case.get("expr").and_then(|e| e.as_str()).expect("expr");
        total += 1;
        let want = match (case.get("out").and_then(|o| o.as_str()), case.get("err").and_then(|e| e.as_str())) {
            (Some(out), _) => Ok(out.to_string()),
            (None, Some(err)) => Err(err.to_string()),
            _ => panic!("case without out or err: {line}"),
        };
        let got = expr::eval(&format!("string({src})"), &mut EditorContext::new(&mut ed))
            .and_then(|v| v.to_string_value())
            .map_err(|e| e.to_string());
        ed.take_messages();
        let ok = got == want;
        match (ok, expected.contains_key(src)) {
            (false, false) => failures.push(format!("{src}\n    neovim: {want:?}\n    rtdvi:  {got:?}")),
            (true, true) => unexpected_passes.push(src.to_string()),
            _ => {}
        }
    }
    println!("{total} cases, {} known differences", expected.len());
    assert!(failures.is_empty(), "{} cases differ from Neovim:\n{}", failures.len(), failures.join("\n"));
    assert!(unexpected_passes.is_empty(), "listed as failing but pass now: {unexpected_passes:?}");
}
