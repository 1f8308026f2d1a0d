//! Snapshot tests: exact cell grids for small screens.

use ratatui::style::Color;
use rtdvi_editor::options::{id, OptionValue, SetScope};
use rtdvi_editor::Editor;

use super::*;
use crate::{buffer_lines, render_to_buffer};

fn editor(text: &str, cols: usize, lines: usize) -> Editor {
    let mut ed = Editor::new();
    ed.buf_mut().text = ropey::Rope::from_str(text);
    ed.set_screen_size(cols, lines);
    ed
}

fn set(ed: &mut Editor, name: &str, v: OptionValue) {
    ed.set_option(id(name), v, SetScope::Both);
}

fn ui() -> UiState {
    UiState { truecolor: true, ..UiState::default() }
}

fn screen(ed: &mut Editor, ui: &UiState) -> (Vec<String>, Option<(u16, u16)>, Buffer) {
    let mut r = Renderer::default();
    let (buf, cur) = render_to_buffer(ed, &mut r, ui, &mut NoSyntax);
    (buffer_lines(&buf), cur, buf)
}

#[test]
fn plain_text_filler_and_status_line() {
    let mut ed = editor("hello\nworld", 32, 6);
    let (lines, cursor, _) = screen(&mut ed, &ui());
    assert_eq!(
        lines,
        vec![
            "hello                           ",
            "world                           ",
            "~                               ",
            "~                               ",
            " [No Name]   1,1            All ",
            "                                ",
        ]
    );
    assert_eq!(cursor, Some((0, 0)));
}

#[test]
fn tabs_control_chars_and_raw_bytes() {
    let raw = char::from_u32(rtdvi_core::codec::RAW_BYTE_BASE + 0xff).unwrap();
    let mut ed = editor(&format!("\tx\n\u{1}y\n{raw}z"), 20, 5);
    ed.set_option(id("ruler"), OptionValue::Bool(false), SetScope::Both);
    let (lines, _, _) = screen(&mut ed, &ui());
    assert_eq!(&lines[..3], &["        x           ", "^Ay                 ", "<ff>z               "]);
    set(&mut ed, "list", OptionValue::Bool(true));
    set(&mut ed, "listchars", OptionValue::String("tab:>-,eol:$".into()));
    let (lines, _, _) = screen(&mut ed, &ui());
    assert_eq!(lines[0], ">-------x$          ");
}

#[test]
fn wide_chars_take_two_cells_and_wrap_with_filler() {
    // 9 columns: four wide chars fill 8 cells, the fifth doesn't fit and wraps after a '>'.
    let mut ed = editor("日本語テキスト", 13, 5);
    set(&mut ed, "ruler", OptionValue::Bool(false));
    let (lines, _, buf) = screen(&mut ed, &ui());
    assert_eq!(lines[0], "日本語テキス>");
    assert_eq!(lines[1], "ト           ");
    assert_eq!(buf[(0, 0)].symbol(), "日");
    assert_eq!(buf[(1, 0)].symbol(), "");
    // Combining marks join their base character's cell.
    let mut ed = editor("e\u{301}x", 12, 4);
    let (lines, _, _) = screen(&mut ed, &ui());
    assert_eq!(lines[0], "e\u{301}x          ");
}

#[test]
fn nowrap_scrolls_and_wrap_breaks_lines() {
    let text = format!("{}\nshort", "abcdefghij".repeat(3));
    let mut ed = editor(&text, 12, 6);
    let (lines, _, _) = screen(&mut ed, &ui());
    assert_eq!(&lines[..4], &["abcdefghijab", "cdefghijabcd", "efghij      ", "short       "]);
    set(&mut ed, "wrap", OptionValue::Bool(false));
    ed.set_cursor(0, 25);
    let (lines, cursor, _) = screen(&mut ed, &ui());
    // 'sidescroll' 0 puts the cursor in the middle: leftcol = 25 - 6.
    assert_eq!(&lines[..2], &["jabcdefghij ", "            "]);
    assert_eq!(cursor, Some((6, 0)));
}

#[test]
fn numbers_relative_numbers_and_cursorline() {
    let mut ed = editor("a\nb\nc\nd", 12, 6);
    set(&mut ed, "number", OptionValue::Bool(true));
    ed.set_cursor(1, 0);
    let (lines, cursor, _) = screen(&mut ed, &ui());
    assert_eq!(&lines[..4], &["  1 a       ", "  2 b       ", "  3 c       ", "  4 d       "]);
    assert_eq!(cursor, Some((4, 1)));
    set(&mut ed, "relativenumber", OptionValue::Bool(true));
    set(&mut ed, "cursorline", OptionValue::Bool(true));
    let (lines, _, buf) = screen(&mut ed, &ui());
    assert_eq!(&lines[..4], &["  1 a       ", "2   b       ", "  1 c       ", "  2 d       "]);
    let cl = ed.highlights.resolve_name("CursorLine").bg.unwrap();
    assert_eq!(buf[(8, 1)].bg, Color::Rgb(cl.0, cl.1, cl.2));
    assert_ne!(buf[(8, 2)].bg, Color::Rgb(cl.0, cl.1, cl.2));
}

#[test]
fn search_highlight_and_current_match() {
    let mut ed = editor("foo bar foo", 16, 4);
    ed.search.last_pattern = Some("foo".into());
    ed.search.highlight = true;
    ed.set_cursor(0, 8);
    let (_, _, buf) = screen(&mut ed, &ui());
    let search = ed.highlights.resolve_name("Search").bg.unwrap();
    let cur = ed.highlights.resolve_name("CurSearch").bg.unwrap();
    assert_eq!(buf[(0, 0)].bg, Color::Rgb(search.0, search.1, search.2));
    assert_eq!(buf[(3, 0)].bg, ed_normal_bg(&ed));
    assert_eq!(buf[(8, 0)].bg, Color::Rgb(cur.0, cur.1, cur.2));
    ed.search.highlight = false;
    let (_, _, buf) = screen(&mut ed, &ui());
    assert_eq!(buf[(0, 0)].bg, ed_normal_bg(&ed));
}

fn ed_normal_bg(ed: &Editor) -> Color {
    let n = ed.highlights.resolve_name("Normal").bg.unwrap();
    Color::Rgb(n.0, n.1, n.2)
}

#[test]
fn splits_draw_separator_and_both_status_lines() {
    let mut ed = editor("left", 21, 6);
    set(&mut ed, "ruler", OptionValue::Bool(false));
    ed.execute_ex("vsplit").unwrap();
    let (lines, cursor, buf) = screen(&mut ed, &ui());
    assert_eq!(
        lines,
        vec![
            "left      │left      ",
            "~         │~         ",
            "~         │~         ",
            "~         │~         ",
            " [No Name]  [No Name]",
            "                     ",
        ]
    );
    assert_eq!(cursor, Some((0, 0)));
    // The current window's status line uses StatusLine, the other StatusLineNC.
    let sl = ed.highlights.resolve_name("StatusLine").bg.unwrap();
    let nc = ed.highlights.resolve_name("StatusLineNC").bg.unwrap();
    assert_eq!(buf[(0, 4)].bg, Color::Rgb(sl.0, sl.1, sl.2));
    assert_eq!(buf[(15, 4)].bg, Color::Rgb(nc.0, nc.1, nc.2));
}

#[test]
fn horizontal_split_and_tabline() {
    let mut ed = editor("x", 20, 8);
    set(&mut ed, "ruler", OptionValue::Bool(false));
    ed.execute_ex("split").unwrap();
    ed.execute_ex("tabnew").unwrap();
    let (lines, _, _) = screen(&mut ed, &ui());
    assert_eq!(lines[0], " 2 [No Name]  [No Na");
    assert_eq!(lines[1], "                    ");
    ed.execute_ex("tabprevious").unwrap();
    let (lines, _, _) = screen(&mut ed, &ui());
    assert_eq!(
        &lines[1..],
        &[
            "x                   ",
            "~                   ",
            " [No Name]          ",
            "x                   ",
            "~                   ",
            " [No Name]          ",
            "                    "
        ]
    );
}

#[test]
fn status_line_flags_and_percentages() {
    let text = (1..=100).map(|i| i.to_string()).collect::<Vec<_>>().join("\n");
    let mut ed = editor(&text, 56, 6);
    ed.buf_mut().set_modified(true);
    ed.buf_mut().options.set(id("filetype"), OptionValue::String("rust".into()));
    ed.buf_mut().options.set(id("readonly"), OptionValue::Bool(true));
    ed.set_cursor(50, 0);
    let ui = UiState { mode_name: "NORMAL".into(), ..ui() };
    let (lines, _, _) = screen(&mut ed, &ui);
    assert_eq!(lines[4], " NORMAL  [No Name] [+] [RO]    rust  51,1           50% ");
    assert_eq!(super::bars::position_percent(0, 10, 100), "Top");
    assert_eq!(super::bars::position_percent(90, 10, 100), "Bot");
    assert_eq!(super::bars::position_percent(45, 10, 100), "50%");
}

#[test]
fn command_line_messages_and_showmode() {
    let mut ed = editor("x", 30, 4);
    let mut u = UiState { mode_msg: "-- INSERT --".into(), showcmd: "2d".into(), ..ui() };
    let (lines, _, _) = screen(&mut ed, &u);
    assert_eq!(lines[3], "-- INSERT --       2d         ");
    u.cmdline = Some(CmdlineView { prompt: ":".into(), text: "set ts=4".into(), cursor: 3, ..Default::default() });
    let (lines, cursor, _) = screen(&mut ed, &u);
    assert_eq!(lines[3], ":set ts=4                     ");
    assert_eq!(cursor, Some((4, 3)));
    u.cmdline = None;
    u.messages = vec![rtdvi_editor::message::Message {
        level: rtdvi_editor::message::Level::Error,
        text: "E37: No write".into(),
    }];
    let (lines, _, buf) = screen(&mut ed, &u);
    assert!(lines[3].starts_with("E37: No write"));
    let err = ed.highlights.resolve_name("ErrorMsg").fg.unwrap();
    assert_eq!(buf[(0, 3)].fg, Color::Rgb(err.0, err.1, err.2));
}

#[test]
fn hit_enter_prompt_for_long_messages() {
    let mut ed = editor("x", 30, 6);
    let u = UiState {
        messages: vec![rtdvi_editor::message::Message {
            level: rtdvi_editor::message::Level::Echo,
            text: "one\ntwo\nthree".into(),
        }],
        hit_enter: true,
        ..ui()
    };
    let (lines, cursor, _) = screen(&mut ed, &u);
    assert_eq!(
        &lines[2..],
        &[
            "one                           ",
            "two                           ",
            "three                         ",
            "Press ENTER or type command to"
        ]
    );
    assert_eq!(cursor, Some((29, 5)));
}

#[test]
fn visual_selection_and_matching_paren() {
    let mut ed = editor("f(a, b)\nxyz", 12, 5);
    ed.set_cursor(0, 1);
    let (_, _, buf) = screen(&mut ed, &ui());
    let mp = ed.highlights.resolve_name("MatchParen").bg.unwrap();
    assert_eq!(buf[(1, 0)].bg, Color::Rgb(mp.0, mp.1, mp.2));
    assert_eq!(buf[(6, 0)].bg, Color::Rgb(mp.0, mp.1, mp.2));
    ed.set_cursor(1, 2);
    let u = UiState { selection: Some(Selection { anchor: (0, 2), head: (1, 1), kind: SelectionKind::Char }), ..ui() };
    let (_, _, buf) = screen(&mut ed, &u);
    let vis = ed.highlights.resolve_name("Visual").bg.unwrap();
    let v = Color::Rgb(vis.0, vis.1, vis.2);
    assert_ne!(buf[(1, 0)].bg, v);
    assert_eq!(buf[(2, 0)].bg, v);
    assert_eq!(buf[(1, 1)].bg, v);
    assert_ne!(buf[(2, 1)].bg, v);
}

#[test]
fn syntax_spans_colour_text() {
    struct Fake;
    impl SpanSource for Fake {
        fn spans(&mut self, ed: &Editor, _b: BufferId, first: usize, last: usize) -> Vec<Vec<Span>> {
            let kw = ed.highlights.lookup("@keyword").unwrap();
            (first..last).map(|_| vec![Span { start: 0, end: 2, hl: kw }]).collect()
        }
    }
    let mut ed = editor("fn x", 10, 3);
    let mut r = Renderer::default();
    let (buf, _) = render_to_buffer(&mut ed, &mut r, &ui(), &mut Fake);
    let kw = ed.highlights.resolve_name("Statement").fg.unwrap();
    assert_eq!(buf[(0, 0)].fg, Color::Rgb(kw.0, kw.1, kw.2));
    assert_eq!(buf[(1, 0)].fg, Color::Rgb(kw.0, kw.1, kw.2));
    assert_ne!(buf[(3, 0)].fg, Color::Rgb(kw.0, kw.1, kw.2));
}

#[test]
fn colorcolumn_paints_past_the_text() {
    let mut ed = editor("ab", 10, 3);
    set(&mut ed, "colorcolumn", OptionValue::String("5".into()));
    let (_, _, buf) = screen(&mut ed, &ui());
    let cc = ed.highlights.resolve_name("ColorColumn").bg.unwrap();
    assert_eq!(buf[(4, 0)].bg, Color::Rgb(cc.0, cc.1, cc.2));
    assert_ne!(buf[(3, 0)].bg, Color::Rgb(cc.0, cc.1, cc.2));
}

#[test]
fn incsearch_marks_the_match_the_search_would_reach() {
    let mut ed = editor("ab ab\nab", 20, 5);
    ed.set_cursor(0, 1);
    let u = UiState {
        cmdline: Some(CmdlineView { prompt: "/".into(), text: "ab".into(), cursor: 2, ..Default::default() }),
        incsearch: Some("ab".into()),
        ..ui()
    };
    let (_, cursor, buf) = screen(&mut ed, &u);
    let inc = ed.highlights.resolve_name("IncSearch").bg.unwrap();
    let search = ed.highlights.resolve_name("Search").bg.unwrap();
    assert_eq!(buf[(0, 0)].bg, Color::Rgb(search.0, search.1, search.2));
    assert_eq!(buf[(3, 0)].bg, Color::Rgb(inc.0, inc.1, inc.2));
    assert_eq!(buf[(0, 1)].bg, Color::Rgb(search.0, search.1, search.2));
    // The cursor is on the command line.
    assert_eq!(cursor, Some((3, 4)));
}

#[test]
fn narrow_status_line_keeps_the_file_name() {
    let mut ed = editor("x", 30, 5);
    ed.buf_mut().path = Some("some/long/path/name.rs".into());
    ed.buf_mut().options.set(id("filetype"), OptionValue::String("rust".into()));
    ed.execute_ex("vsplit").unwrap();
    let (lines, _, _) = screen(&mut ed, &ui());
    // 15 + separator + 14 columns: the filetype and the ruler padding go, the name is cut at its
    // start ('<' marks the cut) and the compact ruler stays.
    assert_eq!(lines[3], "<ame.rs 1,1 All <e.rs 1,1 All ");
}

#[test]
fn completion_menu_above_the_command_line() {
    let mut ed = editor("x", 20, 6);
    let u = UiState {
        cmdline: Some(CmdlineView {
            prompt: ":".into(),
            text: "set tabstop".into(),
            cursor: 11,
            completions: vec!["tabstop".into(), "tagcase".into()],
            selected: Some(0),
            completion_start: 4,
        }),
        ..ui()
    };
    let (lines, cursor, buf) = screen(&mut ed, &u);
    assert_eq!(lines[5], ":set tabstop        ");
    // Rows 3 and 4 (over the last filler line and the status line), items aligned with the word.
    assert_eq!(&lines[3][..14], "~    tabstop  ");
    assert_eq!(&lines[4][4..13], " tagcase ");
    assert_eq!(cursor, Some((12, 5)));
    // The chosen item is drawn reversed (PmenuSel), the other in Pmenu.
    assert!(buf[(6, 3)].modifier.contains(ratatui::style::Modifier::REVERSED));
    assert!(!buf[(6, 4)].modifier.contains(ratatui::style::Modifier::REVERSED));
}

#[test]
fn floating_windows_and_extmark_decorations() {
    use rmpv::Value as V;
    let mut ed = editor("hello\nworld", 24, 8);
    set(&mut ed, "ruler", OptionValue::Bool(false));
    let api = |ed: &mut Editor, name: &str, args: Vec<V>| rtdvi_editor::api::call(ed, name, &args).unwrap();
    let m = |pairs: Vec<(&str, V)>| V::Map(pairs.into_iter().map(|(k, v)| (V::from(k), v)).collect());
    let ns = api(&mut ed, "nvim_create_namespace", vec![V::from("t")]);
    let vt = V::Array(vec![V::Array(vec![V::from("<-"), V::from("Comment")])]);
    api(
        &mut ed,
        "nvim_buf_set_extmark",
        vec![V::from(0), ns.clone(), V::from(1), V::from(0), m(vec![("virt_text", vt)])],
    );
    api(
        &mut ed,
        "nvim_buf_set_extmark",
        vec![V::from(0), ns, V::from(0), V::from(1), m(vec![("end_col", V::from(3)), ("hl_group", V::from("Search"))])],
    );
    let b = api(&mut ed, "nvim_create_buf", vec![V::from(false), V::from(true)]);
    api(
        &mut ed,
        "nvim_buf_set_lines",
        vec![b.clone(), V::from(0), V::from(-1), V::from(true), V::Array(vec![V::from("pop")])],
    );
    let cfg = m(vec![
        ("relative", V::from("editor")),
        ("row", V::from(3)),
        ("col", V::from(10)),
        ("width", V::from(5)),
        ("height", V::from(1)),
        ("border", V::from("single")),
        ("style", V::from("minimal")),
    ]);
    api(&mut ed, "nvim_open_win", vec![b, V::from(false), cfg]);
    let (lines, cursor, buf) = screen(&mut ed, &ui());
    assert_eq!(
        &lines[..6],
        &[
            "hello                   ",
            "world <-                ",
            "~                       ",
            "~         ┌─────┐       ",
            "~         │pop  │       ",
            "~         └─────┘       ",
        ]
    );
    assert_eq!(cursor, Some((0, 0)));
    // The highlighted range uses Search; the char before it does not.
    assert_ne!(buf[(1, 0)].style(), buf[(0, 0)].style());
    assert_eq!(buf[(1, 0)].style(), buf[(2, 0)].style());
    assert_eq!(buf[(3, 0)].style(), buf[(0, 0)].style());
}
