//! Engine-layer costs, both engines side by side:
//! - `empty_call`: host → guest call of an empty export (per call);
//! - `host_copy_80`: a guest loop calling a host import that copies an
//!   80-byte string into guest memory (per import call);
//! - `instantiate`: prepared module → ready instance (small module);
//! - printed before the runs: resident memory per live instance, and the
//!   deadline calibration (wall time of a 100 ms deadline on a busy loop,
//!   and the fuel per millisecond it implies for wasmi).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, Criterion};
use rtdvi_wasm::{
    Engine, EngineConfig, EngineKind, FuncType, Instance, InstancePre, Limits, Linker, Module, Val, ValType,
};

const WAT: &str = r#"(module
    (import "host" "fill" (func $fill (param i32) (result i32)))
    (memory (export "memory") 1)
    (global $acc (mut i32) (i32.const 0))
    (func (export "empty"))
    (func (export "copy_loop") (param $n i32)
        (loop $l
            (drop (call $fill (i32.const 1024)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br_if $l (i32.gt_s (local.get $n) (i32.const 0)))))
    (func $work (param i32) (result i32) (i32.add (local.get 0) (i32.const 3)))
    ;; A busy loop with loads, stores, arithmetic and calls, like an interpreter.
    (func (export "busy")
        (local $i i32)
        (loop $l
            (i32.store (i32.and (local.get $i) (i32.const 4092))
                (call $work (i32.load (i32.and (local.get $i) (i32.const 4092)))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (global.set $acc (i32.xor (global.get $acc) (local.get $i)))
            (br $l))))"#;

const TEXT: &[u8; 80] = b"The quick brown fox jumps over the lazy dog; pack my box with five dozen jugs!!!";

fn linker() -> Linker<()> {
    let mut l = Linker::new();
    l.define("host", "fill", FuncType::new([ValType::I32], [ValType::I32]), |c, a, r| {
        let ptr = a.first().and_then(Val::i32).unwrap_or(0);
        c.write(ptr, TEXT)?;
        if let Some(slot) = r.first_mut() {
            *slot = Val::I32(80);
        }
        Ok(())
    })
    .map(|_| ())
    .unwrap_or_else(|e| panic!("{e}"));
    l
}

fn prepared(kind: EngineKind) -> InstancePre<()> {
    let engine = Engine::new(kind, &EngineConfig::default()).unwrap_or_else(|e| panic!("{e}"));
    let module = Module::new(&engine, WAT.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    linker().prepare(&module).unwrap_or_else(|e| panic!("{e}"))
}

fn instance(pre: &InstancePre<()>) -> Instance<()> {
    pre.instantiate((), Limits::unlimited()).unwrap_or_else(|e| panic!("{e}"))
}

fn calls(c: &mut Criterion) {
    let mut g = c.benchmark_group("empty_call");
    for kind in EngineKind::available() {
        let mut i = instance(&prepared(kind));
        let f = i.func("empty").unwrap_or_else(|e| panic!("{e}"));
        g.bench_function(kind.name(), |b| b.iter(|| i.call_func(black_box(&f), &[], &mut [])));
    }
    g.finish();

    let mut g = c.benchmark_group("host_copy_80");
    for kind in EngineKind::available() {
        let mut i = instance(&prepared(kind));
        let f = i.func("copy_loop").unwrap_or_else(|e| panic!("{e}"));
        g.bench_function(kind.name(), |b| {
            b.iter_custom(|iters| {
                let n = i32::try_from(iters).unwrap_or(i32::MAX);
                let start = Instant::now();
                let _ = i.call_func(&f, &[Val::I32(n)], &mut []);
                start.elapsed()
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("instantiate");
    for kind in EngineKind::available() {
        let pre = prepared(kind);
        g.bench_function(kind.name(), |b| b.iter(|| pre.instantiate((), Limits::default())));
    }
    g.finish();
}

/// Resident set size in bytes (Linux), 0 elsewhere.
fn rss() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |pages| pages * 4096)
}

fn report_memory_and_deadlines() {
    const N: usize = 1000;
    for kind in EngineKind::available() {
        let pre = prepared(kind);
        let before = rss();
        let mut live: Vec<_> = (0..N).map(|_| instance(&pre)).collect();
        // Touch each memory once, as a plugin that ran would.
        for i in &mut live {
            let _ = i.write(0, b"x");
        }
        let after = rss();
        println!(
            "memory_per_instance/{kind}: {:.1} KiB resident ({N} instances, 1-page memory)",
            (after.saturating_sub(before)) as f64 / N as f64 / 1024.0
        );
        drop(live);

        let mut wall = Vec::new();
        for _ in 0..5 {
            let mut i = pre
                .instantiate((), Limits { deadline: Some(Duration::from_millis(100)), ..Limits::default() })
                .unwrap_or_else(|e| panic!("{e}"));
            let start = Instant::now();
            let r = i.call("busy", &[], &mut []);
            wall.push(start.elapsed());
            assert!(r.is_err(), "busy loop ended without a trap");
        }
        wall.sort();
        let median = wall[2];
        print!("deadline_100ms/{kind}: median wall {:.1} ms", median.as_secs_f64() * 1e3);
        #[cfg(feature = "wasmi")]
        if kind == EngineKind::Wasmi {
            let per_ms = rtdvi_wasm::FUEL_PER_MS as f64 * 100.0 / (median.as_secs_f64() * 1e3);
            print!(" (measured {per_ms:.0} fuel/ms; FUEL_PER_MS = {})", rtdvi_wasm::FUEL_PER_MS);
        }
        println!();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = calls
}

fn main() {
    report_memory_and_deadlines();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
