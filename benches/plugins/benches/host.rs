//! Plugin-host costs, both engines side by side (numbers in BENCHMARKS.md):
//! - `on_event_empty`: one editor event to one plugin whose `on_event` does
//!   nothing (JSON built, copied in, call, freed) — per event;
//! - `on_event_50_plugins`: one event to 50 such plugins (budget: ≤ 100 µs
//!   median on wasmtime);
//! - `get_line_80`: `rtdvi_get_line` of an 80-character line from a plugin
//!   loop — per import call (budget: ≤ 200 ns on wasmtime).
//!
//! Times are the benchmarking thread's CPU time ([`ThreadCpu`]): on a quiet machine that is the
//! wall time of this CPU-bound, single-threaded code, and on a shared, loaded one (where wall time
//! measures the run queue) it stays close to the quiet figure.
//!
//! Run: `cargo bench -p rtdvi-plugin-bench --bench host`.

use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter};
use criterion::{criterion_group, Criterion, Throughput};
use rtdvi_editor::events::{Event, EventArgs};
use rtdvi_editor::Editor;
use rtdvi_plugin::{LoadRequest, PluginHost, PluginLimits, SearchPath};
use rtdvi_wasm::{EngineConfig, EngineKind};

const EMPTY_EVENT: &str = include_str!("../empty_event.wat");
const GET_LINE_LOOP: &str = include_str!("../get_line_loop.wat");
const LINE_80: &str = "The quick brown fox jumps over the lazy dog; pack my box with five dozen jugs!!!";

/// Criterion measurement: CPU time of the calling thread, in nanoseconds.
struct ThreadCpu;

/// The calling thread's CPU time so far.
fn thread_cpu_now() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant Linux defines.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(u64::try_from(ts.tv_sec).unwrap_or(0), u32::try_from(ts.tv_nsec).unwrap_or(0))
}

impl Measurement for ThreadCpu {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        thread_cpu_now()
    }

    fn end(&self, start: Duration) -> Duration {
        thread_cpu_now().saturating_sub(start)
    }

    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, v: &Duration) -> f64 {
        v.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        &CpuFormatter
    }
}

/// Shows nanosecond values in ns/µs/ms/s.
struct CpuFormatter;

impl ValueFormatter for CpuFormatter {
    fn scale_values(&self, typical: f64, values: &mut [f64]) -> &'static str {
        let (div, unit) = match typical {
            t if t < 1e3 => (1.0, "ns"),
            t if t < 1e6 => (1e3, "µs"),
            t if t < 1e9 => (1e6, "ms"),
            _ => (1e9, "s"),
        };
        values.iter_mut().for_each(|v| *v /= div);
        unit
    }

    fn scale_throughputs(&self, _typical: f64, throughput: &Throughput, values: &mut [f64]) -> &'static str {
        let per = match throughput {
            Throughput::Bits(n) | Throughput::Bytes(n) | Throughput::BytesDecimal(n) | Throughput::Elements(n) => {
                *n as f64
            }
            #[allow(unreachable_patterns)]
            _ => 1.0,
        };
        values.iter_mut().for_each(|v| *v = per * 1e9 / *v);
        "elem/s"
    }

    fn scale_for_machines(&self, _values: &mut [f64]) -> &'static str {
        "ns"
    }
}

fn host_with(kind: EngineKind, editor: &mut Editor, wat: &str, copies: usize) -> PluginHost {
    let mut host =
        PluginHost::new(EngineConfig::default(), SearchPath { dirs: Vec::new() }).unwrap_or_else(|e| panic!("{e}"));
    for i in 0..copies {
        let req = LoadRequest {
            name: format!("bench{i}"),
            path: format!("bench{i}.wat").into(),
            origin: "bench".to_string(),
            runtime: kind,
            limits: PluginLimits::default(),
            config_json: "{}".to_string(),
        };
        host.load_bytes(editor, req, wat.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    }
    host
}

fn saved_event(editor: &Editor) -> EventArgs {
    EventArgs { buf: Some(editor.buf_id()), file: "bench.c".to_string(), matched: "bench.c".to_string(), data: None }
}

fn events(c: &mut Criterion<ThreadCpu>) {
    for (group, copies) in [("on_event_empty", 1), ("on_event_50_plugins", 50)] {
        let mut g = c.benchmark_group(group);
        for kind in EngineKind::available() {
            let mut editor = Editor::new();
            let mut host = host_with(kind, &mut editor, EMPTY_EVENT, copies);
            let args = saved_event(&editor);
            g.bench_function(kind.name(), |b| b.iter(|| host.dispatch_event(&mut editor, Event::BufWritePost, &args)));
            assert!(host.list().iter().all(|p| p.stopped.is_none()), "a bench plugin stopped");
        }
        g.finish();
    }
}

fn get_line(c: &mut Criterion<ThreadCpu>) {
    let mut g = c.benchmark_group("get_line_80");
    for kind in EngineKind::available() {
        let mut editor = Editor::new();
        let mut host = host_with(kind, &mut editor, GET_LINE_LOOP, 1);
        editor.run_command_line(&format!("normal! i{LINE_80}"));
        host.run_command(&mut editor, "getlines", "1").unwrap_or_else(|e| panic!("{e}"));
        g.bench_function(kind.name(), |b| {
            b.iter_custom(|iters| {
                // Chunks keep each command well inside its 2 s deadline.
                let mut left = iters;
                let start = ThreadCpu.start();
                while left > 0 {
                    let n = left.min(100_000);
                    host.run_command(&mut editor, "getlines", &n.to_string()).unwrap_or_else(|e| panic!("{e}"));
                    left -= n;
                }
                ThreadCpu.end(start)
            })
        });
        let errors: Vec<_> = editor.messages.take_pending().into_iter().map(|m| m.text).collect();
        assert!(host.list().iter().all(|p| p.stopped.is_none()), "the bench plugin stopped: {errors:?}");
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .with_measurement(ThreadCpu)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = events, get_line
}

fn main() {
    benches();
    Criterion::default().with_measurement(ThreadCpu).configure_from_args().final_summary();
}
