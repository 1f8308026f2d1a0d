//! Random ex command lines never panic the editor and leave it consistent.

use proptest::prelude::*;
use rtdvi_editor::Editor;

/// Commands that would touch the file system outside the test's own directory are left out; the
/// rest get random ranges, bangs and arguments.
const NAMES: &[&str] = &[
    "d",
    "y",
    "m",
    "t",
    "co",
    "j",
    ">",
    "<",
    "k",
    "mark",
    "pu",
    "u",
    "redo",
    "earlier",
    "later",
    "p",
    "nu",
    "#",
    "=",
    "s",
    "&",
    "&&",
    "~",
    "g",
    "v",
    "set",
    "setl",
    "setg",
    "noh",
    "echo",
    "echomsg",
    "execute",
    "let",
    "unlet",
    "messages",
    "registers",
    "marks",
    "b",
    "bn",
    "bp",
    "ls",
    "bd",
    "pwd",
    "au",
    "augroup",
    "doautocmd",
    "silent",
    "call",
    "undo",
    "f",
    "enew",
    "q",
    "qa",
    "cq",
    "x",
    "normal",
    "foo",
    "",
];

fn range() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("%".to_string()),
        Just("'a,'b".to_string()),
        Just("'<,'>".to_string()),
        "[0-9]{1,3}".prop_map(|s| s),
        "[0-9]{1,2},[0-9]{1,2}".prop_map(|s| s),
        "[.$][+-]?[0-9]?".prop_map(|s| s),
        "/[a-z.*\\\\()|]{0,4}/[;,]?[+-]?[0-9]?".prop_map(|s| s),
        "\\?[a-z]{0,3}\\?".prop_map(|s| s),
        "[;,+\\-'\\\\/?&%.$0-9]{1,6}".prop_map(|s| s),
    ]
}

fn args() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z]{1,3}".prop_map(|s| s),
        "/[a-z.*\\\\()|^$~&]{0,6}/[a-z&\\\\0-9~]{0,5}/[gienI&]{0,3}".prop_map(|s| s),
        "[a-z]{1,4}[=+\\-^:]{1,2}[a-z0-9,]{0,4}".prop_map(|s| s),
        "'[a-z ]{0,5}'".prop_map(|s| s),
        "[ -~]{0,12}".prop_map(|s| s),
        "\\PC{0,8}".prop_map(|s| s),
    ]
}

fn command_line() -> impl Strategy<Value = String> {
    prop::collection::vec((range(), prop::sample::select(NAMES), any::<bool>(), args()), 1..4).prop_map(|cmds| {
        cmds.into_iter()
            .map(|(r, n, bang, a)| {
                format!("{r}{n}{}{}{a}", if bang { "!" } else { "" }, if a.is_empty() { "" } else { " " })
            })
            .collect::<Vec<_>>()
            .join("|")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_ex_lines_never_panic(lines in prop::collection::vec(command_line(), 1..6), text in "[a-c \n()\t é]{0,60}") {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut ed = Editor::new();
        ed.cwd = dir.path().to_path_buf();
        ed.swap_dir = None;
        ed.buf_mut().text = ropey::Rope::from_str(&text);
        for line in &lines {
            ed.run_command_line(line);
            let _ = ed.take_messages();
            // The cursor always stays inside the buffer.
            let c = ed.cursor();
            prop_assert!(c.row < ed.buf().line_count(), "row {} of {} after {line:?}", c.row, ed.buf().line_count());
            prop_assert!(c.col <= ed.buf().line_len(c.row));
            if ed.exit_code.is_some() {
                break;
            }
        }
    }
}

/// Found by the fuzzer: `:0w FILE` (also reached as `:v /x/0w0`) took line 0 as a start and
/// underflowed. As in Vim, 0 means line 1 for `:w`.
#[test]
fn write_with_a_zero_range_writes_from_line_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ed = Editor::new();
    ed.cwd = dir.path().to_path_buf();
    ed.swap_dir = None;
    ed.buf_mut().text = ropey::Rope::from_str("one\ntwo\nthree\n");
    ed.run_command_line("0w first");
    ed.run_command_line("0,2w two");
    let _ = ed.take_messages();
    assert_eq!(std::fs::read_to_string(dir.path().join("first")).expect("first written"), "one\n");
    assert_eq!(std::fs::read_to_string(dir.path().join("two")).expect("two written"), "one\ntwo\n");
    let mut empty = Editor::new();
    empty.cwd = dir.path().to_path_buf();
    empty.swap_dir = None;
    empty.run_command_line(r"v /\\/0w0/");
    let _ = empty.take_messages();
    assert!(empty.exit_code.is_none());
}
