//! Property test of the vi engine: any key sequence on any buffer never panics, and `:undo 0` after it
//! brings back the original text.
//!
//! Keys are drawn from a vocabulary of the engine's commands (motions, operators, text objects,
//! counts, registers, inserts with insert-mode keys, visual modes, replace, search, marks, macros)
//! plus text with tabs and multi-byte characters, so sequences reach deep states instead of beeping.
//! Commands that reach outside the editor (`!` filters, `:w`, `ZZ`, `K`, `gx`, `<C-z>`) are left out.
//! Before undoing, the test presses `<Esc>` until the engine is in normal mode (at most four times):
//! how many presses that takes is for the differential fixtures to judge, not this test.

mod vi_harness;

use proptest::prelude::*;
use rtdvi_editor::registers::{Register, RegisterKind};
use rtdvi_editor::Editor;

const VOCABULARY: &[&str] = &[
    // motions
    "h",
    "j",
    "k",
    "l",
    "w",
    "W",
    "b",
    "B",
    "e",
    "E",
    "ge",
    "gE",
    "0",
    "^",
    "$",
    "g_",
    "|",
    "gg",
    "G",
    "%",
    "{",
    "}",
    "(",
    ")",
    "[(",
    "[{",
    "])",
    "]}",
    "H",
    "M",
    "L",
    "f",
    "F",
    "t",
    "T",
    ";",
    ",",
    "n",
    "N",
    "*",
    "#",
    "gj",
    "gk",
    "<BS>",
    "<Space>",
    "<C-d>",
    "<C-u>",
    "<C-f>",
    "<C-b>",
    "<C-e>",
    "<C-y>",
    "<C-o>",
    "<C-i>",
    "g;",
    "g,",
    // operators and commands
    "d",
    "c",
    "y",
    "<lt>",
    ">",
    "=",
    "g~",
    "gu",
    "gU",
    "g?",
    "gq",
    "J",
    "gJ",
    "x",
    "X",
    "s",
    "S",
    "r",
    "R",
    "~",
    "D",
    "C",
    "Y",
    "p",
    "P",
    "gp",
    "gP",
    "]p",
    "<C-a>",
    "<C-x>",
    "u",
    "<C-r>a",
    "U",
    ".",
    "gv",
    "gi",
    "o",
    "O",
    // text objects
    "iw",
    "aw",
    "iW",
    "aW",
    "is",
    "as",
    "ip",
    "ap",
    "i(",
    "a)",
    "ib",
    "i[",
    "a]",
    "i{",
    "aB",
    "i<lt>",
    "a>",
    "i\"",
    "a'",
    "i`",
    "it",
    "at",
    // counts and registers
    "2",
    "3",
    "\"a",
    "\"A",
    "\"_",
    "\"0",
    "\"-",
    // insert / visual / replace
    "i",
    "a",
    "A",
    "I",
    "gI",
    "v",
    "V",
    "<C-v>",
    "<Esc>",
    "<C-c>",
    "<CR>",
    "<Tab>",
    "<Del>",
    "<C-w>",
    "<C-t>",
    "<C-r>\"",
    "<C-v>u00e9",
    "<Left>",
    "<Right>",
    "<Up>",
    "<Down>",
    "<Insert>",
    // text
    "foo",
    "é",
    "日本",
    " ",
    "(x)",
    "{",
    "\"q\"",
    // search, marks, macros
    "/o<CR>",
    "?e<CR>",
    "/\\<x<CR>",
    "ma",
    "`a",
    "'a",
    "`[",
    "`.",
    "``",
    "qa",
    "q",
    "@b",
    "@@",
    ":s/o/0/g<CR>",
    ":normal! x<CR>",
    ":2,3d<CR>",
];

fn buffer() -> impl Strategy<Value = Vec<String>> {
    let line = prop::collection::vec(
        prop::sample::select(vec![
            "foo", "bar", " ", "\t", "(", ")", "{", "}", "\"", "é", "日本", "🎉", ".", "x1", "<", ">",
        ]),
        0..8,
    )
    .prop_map(|parts| parts.concat());
    prop::collection::vec(line, 1..6)
}

fn keys() -> impl Strategy<Value = Vec<&'static str>> {
    prop::collection::vec(prop::sample::select(VOCABULARY), 0..30)
}

fn text_of(ed: &Editor) -> String {
    ed.buf().text.to_string()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn keys_never_panic_and_undo_restores(lines in buffer(), keys in keys(), row in 0usize..6, col in 0usize..20) {
        let mut ed = Editor::new();
        let original = lines.join("\n");
        ed.buf_mut().text = ropey::Rope::from_str(&original);
        let orig_buf = ed.buf_id();
        // `@b` plays a harmless macro; nothing writes to `b` (no `"b`, no `qb`), so it can't recurse.
        let _ = ed.registers.set('b', Register { lines: vec!["x".into()], kind: RegisterKind::Charwise });
        ed.set_cursor(row, col);
        let seq = keys.concat();
        let _ = vi_harness::feed(&mut ed, &seq);
        // Back to normal mode: how many <Esc> that takes is the differential tests' business.
        for _ in 0..4 {
            if ed.mode() == "n" {
                break;
            }
            let _ = vi_harness::feed(&mut ed, "<Esc>");
        }
        let cur = ed.cursor();
        prop_assert!(cur.row < ed.buf().line_count(), "cursor row {} outside the buffer after {seq:?}", cur.row);
        // `<C-w>n` and friends may have left another window or buffer current.
        let _ = ed.execute_ex(&format!("buffer {}", orig_buf.0));
        let _ = ed.execute_ex("undo 0");
        prop_assert_eq!(text_of(&ed), original, "after {:?} and :undo 0", seq);
    }
}
