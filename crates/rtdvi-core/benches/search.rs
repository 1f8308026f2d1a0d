//! Pattern compilation and search over a large rope.

use criterion::{criterion_group, criterion_main, Criterion};
use ropey::Rope;
use rtdvi_core::pattern::{Pattern, PatternOptions};
use rtdvi_core::search::{count_matches, search_backward, search_forward};
use std::hint::black_box;

fn compile(c: &mut Criterion) {
    let opts = PatternOptions::default();
    c.bench_function("compile \\v<(foo|bar)\\d+>", |b| {
        b.iter(|| Pattern::new(black_box("\\v<(foo|bar)\\d+>"), &opts).is_ok())
    });
    c.bench_function("compile [[:alpha:]_]\\k*\\zs\\s*=", |b| {
        b.iter(|| Pattern::new(black_box("[[:alpha:]_]\\k*\\zs\\s*="), &opts).is_ok())
    });
}

/// 1,000,000 lines of ordinary text; `needle` occurs only on the last line.
fn big_rope() -> Rope {
    let mut text = String::with_capacity(40_000_000);
    for i in 0..999_999 {
        text.push_str("let value = compute(");
        text.push_str(&i.to_string());
        text.push_str(") + other;\n");
    }
    text.push_str("the needle is here");
    Rope::from_str(&text)
}

fn search(c: &mut Criterion) {
    let rope = big_rope();
    let opts = PatternOptions::default();
    let mut group = c.benchmark_group("1M lines");
    group.sample_size(10);
    if let Ok(p) = Pattern::new("needle", &opts) {
        group.bench_function("forward literal on last line", |b| b.iter(|| search_forward(&rope, &p, 0, true)));
        group.bench_function("backward literal on last line (wraps)", |b| {
            b.iter(|| search_backward(&rope, &p, 0, true))
        });
    }
    if let Ok(p) = Pattern::new("\\<ne\\w*e\\>", &opts) {
        group.bench_function("forward word pattern on last line", |b| b.iter(|| search_forward(&rope, &p, 0, true)));
    }
    if let Ok(p) = Pattern::new("needle\\nx", &opts) {
        group.bench_function("forward multi-line pattern, no match", |b| b.iter(|| search_forward(&rope, &p, 0, true)));
    }
    if let Ok(p) = Pattern::new("compute", &opts) {
        group.bench_function("count 999,999 matches", |b| b.iter(|| count_matches(&rope, &p)));
    }
    group.finish();
}

criterion_group!(benches, compile, search);
criterion_main!(benches);
