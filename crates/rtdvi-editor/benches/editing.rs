//! Editor-level costs on a 1,000,000-line buffer: one typed character (change, undo step, marks,
//! change tracking) and `:%s/foo/bar/g`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use rtdvi_core::changeset::{ChangeSet, Edit};
use rtdvi_editor::Editor;

fn editor_with_lines(n: usize) -> Editor {
    let mut text = String::with_capacity(n * 40);
    for i in 0..n {
        text.push_str(&format!("line {i} with some foo text to edit\n"));
    }
    text.pop();
    let mut ed = Editor::new();
    ed.swap_dir = None;
    ed.buf_mut().text = ropey::Rope::from_str(&text);
    ed
}

fn one_char_insert(c: &mut Criterion) {
    let mut ed = editor_with_lines(1_000_000);
    ed.set_cursor(500_000, 5);
    let id = ed.buf_id();
    c.bench_function("insert one char in a 1M-line buffer (change + undo step)", |b| {
        b.iter(|| {
            let pos = ed.cursor_char();
            let len = ed.buf().text.len_chars();
            let cs = ChangeSet::from_edits(len, [Edit { start: pos, end: pos, text: "x".into() }]).expect("edit");
            ed.apply_change(id, cs).expect("apply");
            // A typed command: journal, then close the undo step as the key engine does.
            ed.finish_command();
            ed.sync_undo();
        })
    });
}

fn substitute_all(c: &mut Criterion) {
    let mut group = c.benchmark_group("substitute");
    group.sample_size(10);
    let base = editor_with_lines(1_000_000);
    let text = base.buf().text.clone();
    // A rope clone shares its chunks, so each run starts from the same text cheaply.
    let fresh = || {
        let mut ed = Editor::new();
        ed.swap_dir = None;
        ed.buf_mut().text = text.clone();
        ed
    };
    for (name, cmd) in [(":%s/foo/bar/g on 1M lines", "%s/foo/bar/g"), (":g/5 with/d on 1M lines", "g/5 with/d")] {
        group.bench_function(name, |b| {
            b.iter_batched(
                fresh,
                |mut ed| {
                    ed.execute_ex(cmd).expect("command");
                    ed.finish_command();
                    ed
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, one_char_insert, substitute_all);
criterion_main!(benches);
