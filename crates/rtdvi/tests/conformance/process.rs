//! Running a scenario through the Lua driver in a headless editor process (rtdvi or Neovim), one fresh
//! process per scenario, in a throwaway directory with its own HOME and XDG tree.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::scenario::Scenario;

/// The marker of the driver's outcome line on stdout.
const MARKER: &str = "CONFORMANCE-OUTCOME ";

/// A scenario that has not finished by then is stopped (an editor waiting forever is a failure, not a
/// hang of the test run). Neovim needs about 50 ms; `RTDVI_CONFORMANCE_TIMEOUT` (seconds) overrides.
fn deadline() -> Duration {
    let secs = std::env::var("RTDVI_CONFORMANCE_TIMEOUT").ok().and_then(|v| v.parse().ok()).unwrap_or(10);
    Duration::from_secs(secs)
}

/// After this many scenarios ran out of time the rest are not started: an editor that never finishes
/// a scenario would otherwise cost the whole corpus times the deadline.
const MAX_TIMEOUTS: usize = 8;

/// The start of the error of a scenario that ran out of time.
const TIMED_OUT: &str = "no outcome within";

/// Runs one scenario; `Err` says why no outcome came back.
pub fn run(editor: &Path, scenario: &Scenario, driver: &str) -> Result<Value, String> {
    let tmp = tempfile::tempdir().map_err(|e| format!("temp dir: {e}"))?;
    let root = tmp.path();
    for d in ["home", "config", "data", "state", "cache", "run"] {
        std::fs::create_dir_all(root.join(d)).map_err(|e| format!("temp dir: {e}"))?;
    }
    std::fs::write(root.join("run.lua"), scenario.driver_source(driver)?).map_err(|e| format!("run.lua: {e}"))?;
    let mut cmd = Command::new(editor);
    cmd.args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "--noplugin"]);
    if let Some(lines) = &scenario.lines {
        let mut text = lines.join("\n");
        text.push('\n');
        std::fs::write(root.join("buf"), text).map_err(|e| format!("buf: {e}"))?;
        cmd.arg("buf");
    }
    cmd.args(["-c", "luafile run.lua"])
        .current_dir(root)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", root.join("home"))
        .env("XDG_CONFIG_HOME", root.join("config"))
        .env("XDG_DATA_HOME", root.join("data"))
        .env("XDG_STATE_HOME", root.join("state"))
        // Shared by every scenario: it holds only compiled WASM modules (written atomically),
        // and a private one would make each scenario compile the Lua guest again.
        .env("XDG_CACHE_HOME", Path::new(env!("CARGO_TARGET_TMPDIR")).join("conformance-cache"))
        .env("XDG_RUNTIME_DIR", root.join("run"))
        .env("LANG", "C.UTF-8")
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(rt) = std::env::var_os("RTDVI_WASM_RUNTIME") {
        cmd.env("RTDVI_WASM_RUNTIME", rt);
    }
    // Its own process group, so that a stopped editor takes any child it started along (a child
    // holding the pipes open would keep the readers below waiting).
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd.spawn().map_err(|e| format!("{}: {e}", editor.display()))?;
    // Read both pipes on threads so a chatty editor never blocks on a full pipe.
    let mut out_pipe = child.stdout.take();
    let mut err_pipe = child.stderr.take();
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(p) = out_pipe.as_mut() {
            let _ = p.read_to_end(&mut s);
        }
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        if let Some(p) = err_pipe.as_mut() {
            let _ = p.read_to_end(&mut s);
        }
        s
    });
    let start = Instant::now();
    let deadline = deadline();
    let status = loop {
        match child.try_wait() {
            Ok(Some(st)) => break Some(st),
            Ok(None) if start.elapsed() > deadline => {
                let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", child.id())]).status();
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(e) => return Err(format!("waiting for the editor: {e}")),
        }
    };
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    if let Some(line) = stdout.lines().find_map(|l| l.strip_prefix(MARKER)) {
        return serde_json::from_str(line).map_err(|e| format!("bad outcome JSON ({e}): {line}"));
    }
    let why = match status {
        None => format!("{TIMED_OUT} {}s (stopped)", deadline.as_secs()),
        Some(st) => format!("no outcome (exit {})", st.code().map_or("by signal".into(), |c| c.to_string())),
    };
    let tail: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).take(3).collect();
    Err(format!("{why}: {}", tail.join(" | ")))
}

/// Runs many scenarios on `threads` threads; results in input order.
pub fn run_all(editor: &Path, scenarios: &[&Scenario], driver: &str, threads: usize) -> Vec<Result<Value, String>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let timeouts = AtomicUsize::new(0);
    let results = std::sync::Mutex::new(vec![None; scenarios.len()]);
    std::thread::scope(|s| {
        for _ in 0..threads.max(1) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(sc) = scenarios.get(i) else { break };
                let r = if timeouts.load(Ordering::SeqCst) >= MAX_TIMEOUTS {
                    Err(format!("not run: {MAX_TIMEOUTS} scenarios already ran out of time in this editor"))
                } else {
                    run(editor, sc, driver)
                };
                if matches!(&r, Err(e) if e.starts_with(TIMED_OUT)) {
                    timeouts.fetch_add(1, Ordering::SeqCst);
                }
                if let Ok(mut all) = results.lock() {
                    all[i] = Some(r);
                }
            });
        }
    });
    results.into_inner().unwrap_or_default().into_iter().map(|r| r.unwrap_or_else(|| Err("not run".into()))).collect()
}
