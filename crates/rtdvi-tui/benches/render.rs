//! Terminal UI benchmarks: key press to finished frame on a 1,000,000-line Rust file with
//! highlighting, a full redraw of a 250×80 screen, and a tree-sitter re-parse after a one-character
//! edit in a 10,000-line Rust file (a realistic one, and the flat worst case).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ropey::Rope;
use rtdvi_editor::keys::parse_keys;
use rtdvi_editor::options::{id, OptionValue};
use rtdvi_editor::vi::ModeKind;
use rtdvi_editor::view::CursorPlacement;
use rtdvi_editor::Editor;
use rtdvi_tui::render::{Renderer, UiState};
use rtdvi_tui::syntax::{diff_edit, grammar, parse_rope, Syntax};

#[path = "common/rust_sample.rs"]
mod rust_sample;

const RUST_BLOCK: &str = "/// Adds two numbers.
pub fn add(a: i64, b: i64) -> i64 {
    // keep it simple
    let s = \"sum\";
    if a > 0 { a + b } else { b - a }
}

";

fn rust_text(lines: usize) -> String {
    let per = RUST_BLOCK.lines().count();
    RUST_BLOCK.repeat(lines / per + 1)
}

fn editor(text: &str, cols: usize, rows: usize) -> Editor {
    let mut ed = Editor::new();
    ed.buf_mut().text = Rope::from_str(text);
    ed.buf_mut().options.set(id("filetype"), OptionValue::String("rust".into()));
    ed.set_screen_size(cols, rows);
    ed
}

struct Frame {
    renderer: Renderer,
    syntax: Syntax,
    buf: Buffer,
    ui: UiState,
}

impl Frame {
    fn new(ed: &Editor) -> Frame {
        let cols = ed.opt("columns").as_number() as u16;
        let rows = ed.opt("lines").as_number() as u16;
        let mut syntax = Syntax::new();
        syntax.parse_now(ed);
        Frame {
            renderer: Renderer::default(),
            syntax,
            buf: Buffer::empty(Rect::new(0, 0, cols, rows)),
            ui: UiState { truecolor: true, ..UiState::default() },
        }
    }

    /// What the event loop does after a key: collect parses, scroll views, draw the grid.
    fn draw(&mut self, ed: &mut Editor, placement: CursorPlacement) {
        self.syntax.poll(ed);
        ed.update_views(placement);
        black_box(self.renderer.draw(ed, &self.ui, &mut self.syntax, &mut self.buf));
    }
}

fn feed(ed: &mut Editor, keys: &str) {
    for k in parse_keys(keys) {
        ed.handle_key(k);
    }
}

fn placement(ed: &Editor) -> CursorPlacement {
    match ed.mode_kind() {
        ModeKind::Insert | ModeKind::Replace => CursorPlacement::BeforeChar,
        _ => CursorPlacement::OnChar,
    }
}

fn keys_to_frame(c: &mut Criterion) {
    let text = rust_text(1_000_000);
    let mut g = c.benchmark_group("key_to_frame_1M_lines");
    g.sample_size(200);
    let mut ed = editor(&text, 120, 40);
    ed.set_cursor(500_000, 0);
    let mut f = Frame::new(&ed);
    f.syntax.parse_now(&ed);
    for (name, seq) in [("j", &["j"][..]), ("ctrl_d", &["<C-d>"][..]), ("x", &["x"][..])] {
        g.bench_function(name, |b| {
            b.iter(|| {
                for k in seq {
                    feed(&mut ed, k);
                }
                ed.before_wait();
                let p = placement(&ed);
                f.draw(&mut ed, p);
            })
        });
        // Come back so the next key starts from a similar place.
        ed.set_cursor(500_000, 0);
    }
    g.bench_function("o_and_typing", |b| {
        let mut n = 0usize;
        b.iter(|| {
            // One `o`, then 20 typed characters, then <Esc>: each key gets its own frame.
            let key = match n % 22 {
                0 => "o",
                21 => "<Esc>",
                _ => "a",
            };
            n += 1;
            feed(&mut ed, key);
            ed.before_wait();
            let p = placement(&ed);
            f.draw(&mut ed, p);
        })
    });
    g.finish();
}

fn full_redraw(c: &mut Criterion) {
    let text = rust_text(2000);
    let mut ed = editor(&text, 250, 80);
    ed.set_option(id("number"), OptionValue::Bool(true), rtdvi_editor::options::SetScope::Both);
    ed.set_option(id("cursorline"), OptionValue::Bool(true), rtdvi_editor::options::SetScope::Both);
    let mut f = Frame::new(&ed);
    f.syntax.parse_now(&ed);
    c.bench_function("full_redraw_250x80_highlighted", |b| {
        b.iter(|| f.draw(&mut ed, CursorPlacement::OnChar));
    });
    // The same with the highlight query run for all 80 lines every frame (a screen never seen).
    c.bench_function("full_redraw_250x80_highlight_query", |b| {
        b.iter(|| {
            f.syntax.clear_span_cache();
            f.draw(&mut ed, CursorPlacement::OnChar)
        });
    });
    // The same frame through ratatui's diff, as the terminal sees it: nothing changed → no cells.
    let prev = f.buf.clone();
    f.draw(&mut ed, CursorPlacement::OnChar);
    c.bench_function("diff_unchanged_250x80", |b| b.iter(|| black_box(prev.diff(&f.buf).len())));
}

/// Inserts one character at the first `needle` on or after line `from`, as typing there would.
fn one_char_edit(text: &Rope, from: usize, needle: &str) -> Rope {
    let mut edited = text.clone();
    let line = (from..text.len_lines()).find(|r| text.line(*r).to_string().contains(needle)).unwrap_or(from);
    let col = text.line(line).to_string().find(needle).unwrap_or(0);
    edited.insert_char(text.line_to_char(line) + col, 'x');
    edited
}

/// Re-parse after a one-character edit: edit the old tree, parse with it (what the syntax worker
/// does for each change). Measured on a realistic 10,000-line file (the budget) and on the flat file
/// of 1,430 documented top-level functions, which is tree-sitter's bad case: its cost grows with the
/// number of top-level items, and tree-sitter-rust's comments (non-terminal extras) make each item
/// after one cost more.
fn reparse(c: &mut Criterion) {
    let Some(gr) = grammar("rust") else { return };
    let mut parser = tree_sitter::Parser::new();
    let _ = parser.set_language(&gr.language);
    let texts = [
        // Typing inside a method body near the middle.
        ("treesitter_reparse_one_char_10k_lines", Rope::from_str(&rust_sample::rust_file(10_000)), "sum = sum"),
        // Typing inside a comment near the middle (it keeps the tree valid, as most keystrokes do).
        ("treesitter_reparse_one_char_10k_lines_flat", Rope::from_str(&rust_text(10_000)), "keep it"),
    ];
    for (name, text, needle) in texts {
        let Some(tree) = parse_rope(&mut parser, &text, None) else { return };
        let edited = one_char_edit(&text, text.len_lines() / 2, needle);
        let Some(edit) = diff_edit(&text, &edited) else { return };
        c.bench_function(name, |b| {
            b.iter(|| {
                let mut old = tree.clone();
                old.edit(&edit);
                black_box(parse_rope(&mut parser, &edited, Some(&old)))
            })
        });
        if name == "treesitter_reparse_one_char_10k_lines" {
            c.bench_function("treesitter_diff_edit_10k_lines", |b| b.iter(|| black_box(diff_edit(&text, &edited))));
        }
    }
}

criterion_group!(benches, keys_to_frame, full_redraw, reparse);
criterion_main!(benches);
