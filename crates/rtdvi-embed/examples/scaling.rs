//! How plugin count scales: instantiate-to-ready time and resident memory
//! per idle plugin for 10, 100 and 1,000 small Lua plugins, on wasmtime and
//! wasmi through `PluginManager`, next to the seed's design (one native Lua
//! 5.4 state per plugin, via `mlua`) in the same run.
//!
//! `cargo run --release -p rtdvi-embed --example scaling` prints a Markdown
//! table. Each measurement runs in a fresh child process (this binary with
//! arguments `<wasmtime|wasmi|mlua> <count>`), so freed memory of one run
//! does not hide the cost of the next. One plugin is loaded before the
//! clock starts: the engine set-up and module compilation are paid once per
//! process, not per plugin.

use std::process::Command;
use std::time::Instant;

use rtdvi_embed::{CallOutcome, EngineKind, PluginManager};

const PLUGIN: &str = "local n = 0\nfunction update() n = n + 1; return math.add(n, 0) end\n";
const COUNTS: [usize; 3] = [10, 100, 1000];

/// Resident set size of this process, in KiB (Linux).
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Loads `count` plugins after one warm-up, calls `update` on each once,
/// and returns (µs per plugin, KiB per plugin).
fn measure_embed(engine: EngineKind, count: usize) -> Result<(f64, f64), String> {
    let mut m = PluginManager::builder()
        .engine(engine)
        .memory_per_plugin(4 << 20)
        .function("math", "add", |_, (a, b): (i64, i64)| Ok::<_, String>(a + b))
        .build()
        .map_err(|e| e.to_string())?;
    m.load_lua("warm-up", PLUGIN).map_err(|e| e.to_string())?;
    m.call_all("update", ());
    let rss0 = rss_kib();
    let start = Instant::now();
    for i in 0..count {
        m.load_lua(&format!("p{i}"), PLUGIN).map_err(|e| e.to_string())?;
    }
    let elapsed = start.elapsed();
    for r in m.call_all("update", ()) {
        if r.outcome != CallOutcome::Returned(serde_json::json!(1)) && r.plugin != "warm-up" {
            return Err(format!("{}: {:?}", r.plugin, r.outcome));
        }
    }
    let rss = rss_kib().saturating_sub(rss0);
    Ok((elapsed.as_secs_f64() * 1e6 / count as f64, rss as f64 / count as f64))
}

fn measure_mlua(count: usize) -> Result<(f64, f64), String> {
    let make = || -> mlua::Result<mlua::Lua> {
        let lua = mlua::Lua::new();
        let add = lua.create_function(|_, (a, b): (i64, i64)| Ok(a + b))?;
        let math: mlua::Table = lua.globals().get("math")?;
        math.set("add", add)?;
        lua.load(PLUGIN).exec()?;
        Ok(lua)
    };
    let err = |e: mlua::Error| e.to_string();
    let mut states = vec![make().map_err(err)?];
    let rss0 = rss_kib();
    let start = Instant::now();
    for _ in 0..count {
        states.push(make().map_err(err)?);
    }
    let elapsed = start.elapsed();
    for lua in &states[1..] {
        let update: mlua::Function = lua.globals().get("update").map_err(err)?;
        let n: i64 = update.call(()).map_err(err)?;
        if n != 1 {
            return Err(format!("update returned {n}"));
        }
    }
    let rss = rss_kib().saturating_sub(rss0);
    Ok((elapsed.as_secs_f64() * 1e6 / count as f64, rss as f64 / count as f64))
}

/// Child mode: one measurement, printed as `µs KiB`.
fn child(which: &str, count: usize) -> Result<(), String> {
    let result = match which {
        "mlua" => measure_mlua(count)?,
        engine => measure_embed(engine.parse().map_err(|e: rtdvi_wasm::Error| e.to_string())?, count)?,
    };
    println!("{:.1} {:.1}", result.0, result.1);
    Ok(())
}

fn run_child(which: &str, count: usize) -> Result<(f64, f64), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe).args([which, &count.to_string()]).output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace().map(|p| p.parse::<f64>().unwrap_or(f64::NAN));
    Ok((parts.next().unwrap_or(f64::NAN), parts.next().unwrap_or(f64::NAN)))
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [which, count] = args.as_slice() {
        let count = count.parse().map_err(|_| format!("bad count {count}"))?;
        let which = which.clone();
        let worker = std::thread::Builder::new()
            .stack_size(rtdvi_lua::RECOMMENDED_STACK_BYTES)
            .spawn(move || child(&which, count))
            .map_err(|e| e.to_string())?;
        return worker.join().map_err(|_| "measurement panicked".to_string())?;
    }
    println!("| plugins | wasmtime µs/plugin | wasmi µs/plugin | mlua µs/plugin | wasmtime KiB/plugin | wasmi KiB/plugin | mlua KiB/plugin |");
    println!("|---|---|---|---|---|---|---|");
    for count in COUNTS {
        let wt = run_child("wasmtime", count)?;
        let wi = run_child("wasmi", count)?;
        let ml = run_child("mlua", count)?;
        println!("| {count} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} |", wt.0, wi.0, ml.0, wt.1, wi.1, ml.1);
    }
    Ok(())
}
