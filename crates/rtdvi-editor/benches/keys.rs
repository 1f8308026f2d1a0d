//! One normal-mode key on a 1,000-line and a 1,000,000-line buffer: `j`, `dd`, `p`, `.`.
//!
//! Each iteration is one complete command through the key engine (parse, run, undo step, the
//! events Neovim fires before waiting for the next key). The budget is a 20 µs median for every
//! command, independent of the buffer size.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use rtdvi_editor::Editor;

fn editor(lines: usize) -> Editor {
    let mut s = String::with_capacity(lines * 40);
    for i in 0..lines {
        if i > 0 {
            s.push('\n');
        }
        s.push_str("    line ");
        s.push_str(&i.to_string());
        s.push_str(": the quick brown fox jumps");
    }
    let mut ed = Editor::new();
    ed.buf_mut().text = ropey::Rope::from_str(&s);
    ed.set_cursor(lines / 2, 4);
    ed
}

fn keys(c: &mut Criterion) {
    for (name, lines) in [("1k", 1_000usize), ("1m", 1_000_000)] {
        let mut g = c.benchmark_group(format!("normal_key_{name}"));
        let mid = lines / 2;
        let mut ed = editor(lines);
        g.bench_function("j", |b| {
            b.iter(|| {
                ed.set_cursor(mid, 4);
                ed.feed_keys(black_box("j"));
            })
        });
        let mut ed = editor(lines);
        g.bench_function("dd", |b| {
            b.iter(|| {
                ed.set_cursor(mid, 4);
                ed.feed_keys(black_box("dd"));
            })
        });
        let mut ed = editor(lines);
        ed.feed_keys("yy");
        g.bench_function("p", |b| {
            b.iter(|| {
                ed.set_cursor(mid, 4);
                ed.feed_keys(black_box("p"));
            })
        });
        let mut ed = editor(lines);
        ed.feed_keys("dd");
        g.bench_function("dot_dd", |b| {
            b.iter(|| {
                ed.set_cursor(mid, 4);
                ed.feed_keys(black_box("."));
            })
        });
        g.finish();
    }
}

criterion_group!(benches, keys);
criterion_main!(benches);
