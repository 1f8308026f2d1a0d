//! Engine tests: small cases checked against Neovim 0.11.4 by hand.

use crate::editor::Editor;

fn ed(lines: &[&str], row: usize, col: usize) -> Editor {
    let mut e = Editor::new();
    e.buf_mut().text = ropey::Rope::from_str(&lines.join("\n"));
    e.set_cursor(row, col);
    e
}

fn lines(e: &Editor) -> Vec<String> {
    (0..e.buf().line_count()).map(|i| e.buf().line(i)).collect()
}

fn check(start: &[&str], row: usize, col: usize, keys: &str, want: &[&str], wrow: usize, wcol: usize) {
    let mut e = ed(start, row, col);
    e.feed_keys(keys);
    assert_eq!(lines(&e), want, "keys {keys:?}");
    assert_eq!((e.cursor().row, e.cursor().col), (wrow, wcol), "cursor after {keys:?}");
}

#[test]
fn dw_and_cw() {
    check(&["foo bar", "  baz"], 0, 4, "dw", &["foo ", "  baz"], 0, 3);
    check(&["foo bar baz"], 0, 0, "dw", &["bar baz"], 0, 0);
    check(&["foo bar baz"], 0, 0, "cwxy<Esc>", &["xy bar baz"], 0, 1);
    check(&["foo bar baz"], 0, 0, "2d3w", &[""], 0, 0);
}

#[test]
fn undo_steps_per_typed_command() {
    check(&["one two", "three"], 0, 0, "xxxuu", &["ne two", "three"], 0, 0);
    check(&["one two", "three"], 0, 3, "ddjdduu", &["one two", "three"], 0, 3);
}
