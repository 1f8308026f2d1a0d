//! Changeset costs on a 1,000,000-line text.
//!
//! - `typing/insert_char_1m_lines`: the editor path of one typed character:
//!   build the changeset, invert it, apply it, commit it to the undo tree.
//! - `replace_every_line/*`: a `:%s`-like changeset with one edit per line,
//!   applied edit by edit, by one streaming rebuild, and by `apply` (which
//!   picks the strategy); plus inverting it.
//! - `crossover/*`: per-edit cost in place vs per-char cost of a rebuild on
//!   a 100,000-line text, to check the strategy threshold of `apply`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use rtdvi_core::{ChangeSet, Edit, Rope, UndoTree};

const LINES: usize = 1_000_000;

fn text(lines: usize) -> Rope {
    let mut s = String::with_capacity(lines * 40);
    for i in 0..lines {
        if i > 0 {
            s.push('\n');
        }
        s.push_str("line ");
        s.push_str(&i.to_string());
        s.push_str(": the quick brown fox jumps");
    }
    Rope::from_str(&s)
}

/// One edit per line replacing "line" by "LINE".
fn replace_every_line(rope: &Rope) -> ChangeSet {
    let mut edits = Vec::with_capacity(rope.len_lines());
    for row in 0..rope.len_lines() {
        let start = rope.line_to_char(row);
        edits.push(Edit { start, end: start + 4, text: "LINE".to_owned() });
    }
    ChangeSet::from_edits(rope.len_chars(), edits).expect("valid edits")
}

fn typing(c: &mut Criterion) {
    let mut rope = text(LINES);
    let mut tree = UndoTree::new();
    let mut pos = rope.len_chars() / 2;
    let mut time = 0;
    c.bench_function("typing/insert_char_1m_lines", |b| {
        b.iter(|| {
            let len = rope.len_chars();
            let cs =
                ChangeSet::from_edits(len, [Edit { start: pos, end: pos, text: "x".to_owned() }]).expect("in bounds");
            let inverse = cs.invert(&rope);
            cs.apply(&mut rope).expect("lengths match");
            time += 1;
            tree.commit(cs, inverse, pos, time);
            pos += 1;
        })
    });
    black_box(&tree);
}

fn replace_all(c: &mut Criterion) {
    let rope = text(LINES);
    let cs = replace_every_line(&rope);
    let mut group = c.benchmark_group("replace_every_line");
    group.sample_size(10);
    group.bench_function("in_place", |b| {
        b.iter_batched(
            || rope.clone(),
            |mut r| {
                cs.apply_in_place(&mut r).expect("lengths match");
                r
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("streaming", |b| b.iter(|| cs.apply_streaming(&rope).expect("lengths match")));
    group.bench_function("apply", |b| {
        b.iter_batched(
            || rope.clone(),
            |mut r| {
                cs.apply(&mut r).expect("lengths match");
                r
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("invert", |b| b.iter(|| cs.invert(&rope)));
    group.bench_function("build", |b| b.iter(|| replace_every_line(&rope)));
    group.finish();
}

fn crossover(c: &mut Criterion) {
    // 1,000 edits spread over 100,000 lines: edits per char far below the threshold.
    let rope = text(100_000);
    let step = rope.len_lines() / 1000;
    let edits: Vec<Edit> = (0..1000)
        .map(|i| {
            let start = rope.line_to_char(i * step);
            Edit { start, end: start + 4, text: "LINE".to_owned() }
        })
        .collect();
    let cs = ChangeSet::from_edits(rope.len_chars(), edits).expect("valid edits");
    let mut group = c.benchmark_group("crossover");
    group.sample_size(20);
    group.bench_function("in_place_1000_edits_100k_lines", |b| {
        b.iter_batched(
            || rope.clone(),
            |mut r| {
                cs.apply_in_place(&mut r).expect("lengths match");
                r
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function("streaming_1000_edits_100k_lines", |b| {
        b.iter(|| cs.apply_streaming(&rope).expect("lengths match"))
    });
    group.finish();
}

criterion_group!(benches, typing, replace_all, crossover);
criterion_main!(benches);
