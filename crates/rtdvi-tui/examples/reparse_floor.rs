//! What tree-sitter itself can do: thread CPU time of a re-parse after a one-character edit through
//! the plain `tree_sitter` API (the text as one `&str`) next to rtdvi's path (`parse_rope`, the rope
//! read chunk by chunk), and what the parser reused, from its own log.
//!
//! Run: `cargo run --release -p rtdvi-tui --example reparse_floor [FILE|flat|sample] [NEEDLE]`.
//! The edit inserts `x` at the first NEEDLE (default `" = "`) after the middle of the file; `flat` is
//! the 1,430 documented top-level functions of the benchmark, `sample` its realistic 10k-line file.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ropey::Rope;
use rtdvi_tui::syntax::{diff_edit, parse_rope};
use tree_sitter::{LogType, Parser, Tree};

#[path = "../benches/common/rust_sample.rs"]
mod rust_sample;

const BLOCK: &str = "/// Adds two numbers.\npub fn add(a: i64, b: i64) -> i64 {\n    // keep it simple\n    let s = \"sum\";\n    if a > 0 { a + b } else { b - a }\n}\n\n";

fn cpu_now() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes into the timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Median thread CPU time of `f` over 200 runs, in milliseconds.
fn median_ms(mut f: impl FnMut()) -> f64 {
    let mut v: Vec<Duration> = (0..200)
        .map(|_| {
            let t = cpu_now();
            f();
            cpu_now() - t
        })
        .collect();
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1e3
}

fn main() {
    let what = std::env::args().nth(1).unwrap_or_else(|| "flat".into());
    let text = match what.as_str() {
        "flat" => BLOCK.repeat(10_000 / 7 + 1),
        "sample" => rust_sample::rust_file(10_000),
        path => match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => return eprintln!("{path}: {e}"),
        },
    };
    let needle = std::env::args().nth(2).unwrap_or_else(|| " = ".into());
    let mut parser = Parser::new();
    if parser.set_language(&tree_sitter_rust::LANGUAGE.into()).is_err() {
        return eprintln!("the Rust grammar does not load");
    }
    let t = cpu_now();
    let Some(tree) = parser.parse(&text, None) else { return };
    let full = cpu_now() - t;
    let root = tree.root_node();
    println!(
        "{} lines, {} bytes, {} top-level nodes, errors: {}; full parse {:.2} ms",
        text.lines().count(),
        text.len(),
        root.child_count(),
        root.has_error(),
        full.as_secs_f64() * 1e3
    );

    let mid = (text.len() / 2..text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let Some(at) = text.get(mid..).and_then(|s| s.find(&needle)).map(|i| mid + i) else {
        return eprintln!("{needle:?} not found after the middle");
    };
    let edited = format!("{}x{}", &text[..at], &text[at..]);
    let (rope, edited_rope) = (Rope::from_str(&text), Rope::from_str(&edited));
    let Some(edit) = diff_edit(&rope, &edited_rope) else { return };
    let edited_tree = |t: &Tree| {
        let mut old = t.clone();
        old.edit(&edit);
        old
    };

    let old = edited_tree(&tree);
    let plain = median_ms(|| {
        std::hint::black_box(parser.parse(&edited, Some(&old)));
    });
    let ours = median_ms(|| {
        std::hint::black_box(parse_rope(&mut parser, &edited_rope, Some(&old)));
    });
    println!(
        "re-parse after 1 char at line {}: plain tree_sitter {plain:.3} ms, rtdvi parse_rope {ours:.3} ms (median CPU)",
        edit.start_position.row + 1
    );

    // What the parser did: one log line per action, counted by kind (reuse_node, cant_reuse_node_*...).
    let counts: Arc<Mutex<BTreeMap<String, usize>>> = Arc::default();
    let sink = counts.clone();
    parser.set_logger(Some(Box::new(move |kind, msg| {
        if kind == LogType::Parse {
            let key = msg.split([' ', ':']).next().unwrap_or("").to_string();
            if let Ok(mut m) = sink.lock() {
                *m.entry(key).or_default() += 1;
            }
        }
    })));
    let Some(new_tree) = parser.parse(&edited, Some(&old)) else { return };
    parser.set_logger(None);
    if let Ok(m) = counts.lock() {
        for (k, n) in m.iter().filter(|(k, _)| k.contains("reuse") || k.contains("extra") || *k == "shift") {
            println!("{n:8} {k}");
        }
    }
    println!("changed ranges: {}", old.changed_ranges(&new_tree).count());
}
