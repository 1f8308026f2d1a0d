//! Lua-in-WebAssembly throughput on both engines: fib(27), a string-heavy
//! and a table-heavy script (the same files run under native `lua5.4` for
//! comparison: `for s in benches/scripts/*.lua; do time lua5.4 $s; done`),
//! and what the `vim` standard library costs at startup.

use criterion::{criterion_group, criterion_main, Criterion};
use rtdvi_lua::{EngineKind, Limits, LuaRuntime};
use std::time::Duration;

const SCRIPTS: &[(&str, &str)] = &[
    ("fib27", include_str!("scripts/fib.lua")),
    ("strings", include_str!("scripts/strings.lua")),
    ("tables", include_str!("scripts/tables.lua")),
];

fn bench(c: &mut Criterion) {
    let limits = Limits { deadline: Duration::from_secs(120), fuel: u64::MAX / 2, ..Limits::default() };
    for engine in [EngineKind::Wasmtime, EngineKind::Wasmi] {
        let mut group = c.benchmark_group(format!("{engine:?}").to_lowercase());
        group.sample_size(10);
        for (name, src) in SCRIPTS {
            let mut rt = LuaRuntime::new(engine, limits.clone()).expect("Lua starts");
            group.bench_function(*name, |b| {
                b.iter(|| rt.exec(name, src).expect("script runs"));
            });
        }
        group.bench_function("new_state", |b| {
            b.iter(|| LuaRuntime::new(engine, limits.clone()).expect("Lua starts"));
        });
        // What the `vim` standard library adds to a fresh state (lazy
        // submodules are not loaded), and the cost of loading one.
        group.bench_function("new_state_with_stdlib", |b| {
            b.iter(|| {
                let mut rt = LuaRuntime::new(engine, limits.clone()).expect("Lua starts");
                rtdvi_lua::stdlib::install(&mut rt).expect("stdlib installs");
                rt
            });
        });
        let mut rt = LuaRuntime::new(engine, limits.clone()).expect("Lua starts");
        rtdvi_lua::stdlib::install(&mut rt).expect("stdlib installs");
        group.bench_function("stdlib_inspect_first_use", |b| {
            b.iter(|| {
                rt.exec(
                    "bench",
                    "package.loaded['vim.inspect'] = nil rawset(vim, 'inspect', nil) return vim.inspect({1, a = {2}})",
                )
                .expect("inspect runs")
            });
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
