//! Thread CPU time (not wall time) of the UI's hot paths, for a machine too loaded for criterion's
//! wall-clock numbers to mean much: median and 99th percentile over many runs.
//! Run: `cargo run --release -p rtdvi-tui --example cpu_time`.

use ropey::Rope;
use rtdvi_editor::keys::parse_keys;
use rtdvi_editor::options::{id, OptionValue};
use rtdvi_editor::view::CursorPlacement;
use rtdvi_editor::Editor;
use rtdvi_tui::render::{Renderer, UiState};
use rtdvi_tui::syntax::{diff_edit, grammar, parse_rope, Syntax};

#[path = "../benches/common/rust_sample.rs"]
mod rust_sample;

const BLOCK: &str = "/// Adds two numbers.\npub fn add(a: i64, b: i64) -> i64 {\n    // keep it simple\n    let s = \"sum\";\n    if a > 0 { a + b } else { b - a }\n}\n\n";

fn cpu_now() -> std::time::Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes into the timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    std::time::Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn report(name: &str, mut v: Vec<std::time::Duration>) {
    v.sort();
    let med = v[v.len() / 2];
    let p99 = v[(v.len() * 99 / 100).min(v.len() - 1)];
    println!(
        "{name:<44} median {:>9.1} µs   p99 {:>9.1} µs   (n={})",
        med.as_secs_f64() * 1e6,
        p99.as_secs_f64() * 1e6,
        v.len()
    );
}

fn editor(text: &str, cols: usize, rows: usize) -> Editor {
    let mut ed = Editor::new();
    ed.buf_mut().text = Rope::from_str(text);
    ed.buf_mut().options.set(id("filetype"), OptionValue::String("rust".into()));
    ed.set_screen_size(cols, rows);
    ed
}

fn frame(ed: &mut Editor, r: &mut Renderer, syn: &mut Syntax, buf: &mut ratatui::buffer::Buffer, ui: &UiState) {
    syn.poll(ed);
    let p = if ed.mode_kind() == rtdvi_editor::vi::ModeKind::Insert {
        CursorPlacement::BeforeChar
    } else {
        CursorPlacement::OnChar
    };
    ed.update_views(p);
    std::hint::black_box(r.draw(ed, ui, syn, buf));
}

fn main() {
    let ui = UiState { truecolor: true, ..UiState::default() };
    // Key to frame on 1,000,000 lines.
    let text = BLOCK.repeat(1_000_000 / 7 + 1);
    let mut ed = editor(&text, 120, 40);
    ed.set_cursor(500_000, 0);
    let mut r = Renderer::default();
    let mut syn = Syntax::new();
    syn.parse_now(&ed);
    let mut buf = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, 120, 40));
    for (name, keys, n) in [("j", "j", 2000), ("<C-d>", "<C-d>", 2000), ("x", "x", 2000)] {
        let mut v = Vec::new();
        for _ in 0..n {
            let t = cpu_now();
            for k in parse_keys(keys) {
                ed.handle_key(k);
            }
            ed.before_wait();
            frame(&mut ed, &mut r, &mut syn, &mut buf, &ui);
            v.push(cpu_now() - t);
        }
        report(&format!("key to frame, 1M lines: {name}"), v);
        ed.set_cursor(500_000, 0);
    }
    let mut v = Vec::new();
    for i in 0..2200 {
        let key = match i % 22 {
            0 => "o",
            21 => "<Esc>",
            _ => "a",
        };
        let t = cpu_now();
        for k in parse_keys(key) {
            ed.handle_key(k);
        }
        ed.before_wait();
        frame(&mut ed, &mut r, &mut syn, &mut buf, &ui);
        v.push(cpu_now() - t);
    }
    report("key to frame, 1M lines: o + typing", v);

    // Full redraw of 250x80.
    let mut ed = editor(&BLOCK.repeat(300), 250, 80);
    let mut syn = Syntax::new();
    syn.parse_now(&ed);
    let mut buf = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, 250, 80));
    let mut v = Vec::new();
    for _ in 0..2000 {
        let t = cpu_now();
        frame(&mut ed, &mut r, &mut syn, &mut buf, &ui);
        v.push(cpu_now() - t);
    }
    report("full redraw 250x80 (spans cached)", v);
    let mut v = Vec::new();
    for _ in 0..1000 {
        syn.clear_span_cache();
        let t = cpu_now();
        frame(&mut ed, &mut r, &mut syn, &mut buf, &ui);
        v.push(cpu_now() - t);
    }
    report("full redraw 250x80 (highlight query too)", v);

    // Tree-sitter re-parse after a one-character edit in 10,000 lines: a realistic file (typing in
    // a method body) and the flat file of documented top-level functions (typing in a comment).
    let Some(g) = grammar("rust") else { return };
    let mut p = tree_sitter::Parser::new();
    let _ = p.set_language(&g.language);
    let texts =
        [("", rust_sample::rust_file(10_000), "sum = sum"), (" (flat)", BLOCK.repeat(10_000 / 7 + 1), "keep it")];
    for (label, text, needle) in texts {
        let text = Rope::from_str(&text);
        let t = cpu_now();
        let Some(tree) = parse_rope(&mut p, &text, None) else { return };
        report(&format!("tree-sitter full parse, 10k lines{label}"), vec![cpu_now() - t]);
        let mut edited = text.clone();
        let from = text.len_lines() / 2;
        let line = (from..text.len_lines()).find(|r| text.line(*r).to_string().contains(needle)).unwrap_or(from);
        let col = text.line(line).to_string().find(needle).unwrap_or(0);
        edited.insert_char(text.line_to_char(line) + col, 'x');
        let Some(edit) = diff_edit(&text, &edited) else { return };
        let mut v = Vec::new();
        for _ in 0..200 {
            let mut old = tree.clone();
            old.edit(&edit);
            let t = cpu_now();
            std::hint::black_box(parse_rope(&mut p, &edited, Some(&old)));
            v.push(cpu_now() - t);
        }
        report(&format!("tree-sitter re-parse after 1 char, 10k lines{label}"), v);
    }
}
