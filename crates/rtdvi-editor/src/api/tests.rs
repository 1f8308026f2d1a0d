//! Tests of the API table: each entry with good and bad arguments (never a panic).

use super::*;
use rmpv::Value as V;

fn ed(text: &str) -> Editor {
    let mut e = Editor::new();
    e.buf_mut().text = ropey::Rope::from_str(text);
    e
}

fn c(e: &mut Editor, name: &str, args: Vec<V>) -> Result<V, ApiError> {
    call(e, name, &args)
}

fn strs(v: &[&str]) -> V {
    V::Array(v.iter().map(|s| V::from(*s)).collect())
}

fn text(e: &Editor) -> String {
    e.buf().text.to_string()
}

#[test]
fn table_is_sorted_for_lookup() {
    let names: Vec<&str> = table().iter().map(|e| e.name).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
    assert!(lookup("nvim_buf_get_lines").is_some());
}

#[test]
fn unknown_method_and_arg_count() {
    let mut e = ed("a");
    assert_eq!(c(&mut e, "nvim_nope", vec![]), Err(ApiError::InvalidMethod("nvim_nope".into())));
    assert_eq!(
        c(&mut e, "nvim_buf_line_count", vec![]).map_err(|e| e.to_string()),
        Err("Wrong number of arguments: expecting 1 but got 0".into())
    );
    assert_eq!(
        c(&mut e, "nvim_buf_line_count", vec![V::from("x")]).map_err(|e| e.to_string()),
        Err("Wrong type for argument 1 when calling nvim_buf_line_count, expecting Buffer".into())
    );
}

#[test]
fn current_buf_win_and_list() {
    let mut e = ed("a");
    let b = e.buf_id().0;
    assert_eq!(c(&mut e, "nvim_get_current_buf", vec![]), Ok(V::from(b)));
    assert_eq!(c(&mut e, "nvim_get_current_win", vec![]), Ok(V::from(e.current.0)));
    let b2 = e.create_buffer(None);
    assert_eq!(c(&mut e, "nvim_list_bufs", vec![]), Ok(V::Array(vec![V::from(b), V::from(b2.0)])));
    assert_eq!(c(&mut e, "nvim_win_get_buf", vec![V::from(0)]), Ok(V::from(b)));
    assert_eq!(c(&mut e, "nvim_win_get_buf", vec![V::from(99)]), Err(ApiError::InvalidWindow(99)));
}

#[test]
fn line_count_and_bad_buffer() {
    let mut e = ed("a\nb\nc");
    assert_eq!(c(&mut e, "nvim_buf_line_count", vec![V::from(0)]), Ok(V::from(3)));
    assert_eq!(
        c(&mut e, "nvim_buf_line_count", vec![V::from(7)]).map_err(|e| e.to_string()),
        Err("Invalid buffer id: 7".into())
    );
    assert_eq!(c(&mut e, "nvim_buf_line_count", vec![V::from(-1)]), Err(ApiError::InvalidBuffer(-1)));
}

#[test]
fn get_lines_indexing() {
    let mut e = ed("a\nb\nc");
    let get = |e: &mut Editor, s: i64, en: i64, strict: bool| {
        c(e, "nvim_buf_get_lines", vec![V::from(0), V::from(s), V::from(en), V::from(strict)])
    };
    assert_eq!(get(&mut e, 0, -1, true), Ok(strs(&["a", "b", "c"])));
    assert_eq!(get(&mut e, 1, 2, true), Ok(strs(&["b"])));
    assert_eq!(get(&mut e, -2, -1, true), Ok(strs(&["c"])));
    assert_eq!(get(&mut e, 0, 10, true), Err(ApiError::IndexOutOfBounds));
    assert_eq!(get(&mut e, 0, 10, false), Ok(strs(&["a", "b", "c"])));
    assert_eq!(get(&mut e, -10, 1, false), Ok(strs(&["a"])));
    assert_eq!(get(&mut e, 2, 1, true), Ok(strs(&[])));
    assert_eq!(get(&mut e, i64::MIN, i64::MAX, false), Ok(strs(&["a", "b", "c"])));
}

#[test]
fn set_lines_replace_insert_delete() {
    let mut e = ed("a\nb\nc");
    let set = |e: &mut Editor, s: i64, en: i64, l: &[&str]| {
        c(e, "nvim_buf_set_lines", vec![V::from(0), V::from(s), V::from(en), V::from(true), strs(l)])
    };
    assert_eq!(set(&mut e, 1, 2, &["B", "B2"]), Ok(V::Nil));
    assert_eq!(text(&e), "a\nB\nB2\nc");
    set(&mut e, 0, 0, &["top"]).unwrap();
    assert_eq!(text(&e), "top\na\nB\nB2\nc");
    set(&mut e, -1, -1, &["end"]).unwrap();
    assert_eq!(text(&e), "top\na\nB\nB2\nc\nend");
    set(&mut e, 1, -2, &[]).unwrap();
    assert_eq!(text(&e), "top\nend");
    set(&mut e, 0, -1, &[]).unwrap();
    assert_eq!(text(&e), "");
    assert_eq!(set(&mut e, 0, 5, &["x"]), Err(ApiError::IndexOutOfBounds));
    assert!(set(&mut e, 0, 1, &["x\ny"]).is_err());
    assert_eq!(text(&e), "");
    let mut e = ed("a\nb");
    assert_eq!(set(&mut e, 2, 1, &["x"]).map_err(|e| e.to_string()), Err("'start' is higher than 'end'".into()));
    let bad = c(&mut e, "nvim_buf_set_lines", vec![V::from(0), V::from(0), V::from(1), V::from(true), V::from(3)]);
    assert!(matches!(bad, Err(ApiError::ArgType { index: 5, .. })));
}

#[test]
fn get_and_set_text_use_byte_columns() {
    let mut e = ed("héllo\nworld");
    let get = |e: &mut Editor, a: i64, b: i64, cc: i64, d: i64| {
        c(e, "nvim_buf_get_text", vec![V::from(0), V::from(a), V::from(b), V::from(cc), V::from(d), V::Map(vec![])])
    };
    // "é" is two bytes: byte 3 is the first "l".
    assert_eq!(get(&mut e, 0, 1, 0, 3), Ok(strs(&["é"])));
    assert_eq!(get(&mut e, 0, 3, 1, 2), Ok(strs(&["llo", "wo"])));
    assert_eq!(get(&mut e, -1, 0, -1, 5), Ok(strs(&["world"])));
    assert_eq!(get(&mut e, 0, 0, 0, 99).map_err(|e| e.to_string()), Err("Invalid 'end_col': out of range".into()));
    assert_eq!(get(&mut e, 5, 0, 5, 0), Err(ApiError::IndexOutOfBounds));
    assert!(get(&mut e, 1, 0, 0, 0).is_err());
    let set = |e: &mut Editor, a: i64, b: i64, cc: i64, d: i64, l: &[&str]| {
        c(e, "nvim_buf_set_text", vec![V::from(0), V::from(a), V::from(b), V::from(cc), V::from(d), strs(l)])
    };
    set(&mut e, 0, 1, 0, 3, &["e"]).unwrap();
    assert_eq!(text(&e), "hello\nworld");
    set(&mut e, 0, 5, 1, 0, &[" ", ""]).unwrap();
    assert_eq!(text(&e), "hello \nworld");
    set(&mut e, 0, 5, 1, 5, &["!"]).unwrap();
    assert_eq!(text(&e), "hello!");
    assert!(set(&mut e, 0, -1, 0, 0, &[]).is_err());
    assert_eq!(text(&e), "hello!");
}

#[test]
fn names() {
    let mut e = ed("");
    assert_eq!(c(&mut e, "nvim_buf_get_name", vec![V::from(0)]), Ok(V::from("")));
    c(&mut e, "nvim_buf_set_name", vec![V::from(0), V::from("notes.txt")]).unwrap();
    let want = e.cwd.join("notes.txt").display().to_string();
    assert_eq!(c(&mut e, "nvim_buf_get_name", vec![V::from(0)]), Ok(V::from(want)));
    let other = e.create_buffer(None);
    let clash = c(&mut e, "nvim_buf_set_name", vec![V::from(other.0), V::from("notes.txt")]);
    assert!(clash.is_err());
    assert!(c(&mut e, "nvim_buf_set_name", vec![V::from(0), V::from(1)]).is_err());
}

#[test]
fn cursor_rows_are_one_based_and_columns_bytes() {
    let mut e = ed("héllo\nab");
    let set = |e: &mut Editor, r: i64, col: i64| {
        c(e, "nvim_win_set_cursor", vec![V::from(0), V::Array(vec![V::from(r), V::from(col)])])
    };
    assert_eq!(c(&mut e, "nvim_win_get_cursor", vec![V::from(0)]), Ok(V::Array(vec![V::from(1), V::from(0)])));
    set(&mut e, 1, 3).unwrap();
    assert_eq!(e.cursor().col, 2);
    assert_eq!(c(&mut e, "nvim_win_get_cursor", vec![V::from(0)]), Ok(V::Array(vec![V::from(1), V::from(3)])));
    set(&mut e, 2, 99).unwrap();
    assert_eq!((e.cursor().row, e.cursor().col), (1, 1));
    assert_eq!(set(&mut e, 3, 0).map_err(|e| e.to_string()), Err("Cursor position outside buffer".into()));
    assert!(set(&mut e, 0, 0).is_err());
    assert!(set(&mut e, 1, -1).is_err());
    let bad = c(&mut e, "nvim_win_set_cursor", vec![V::from(0), V::Array(vec![V::from(1)])]);
    assert!(bad.is_err());
    assert_eq!(c(&mut e, "nvim_win_get_cursor", vec![V::from(5)]), Err(ApiError::InvalidWindow(5)));
}

#[test]
fn command_runs_ex_and_reports_errors() {
    let mut e = ed("a\nb");
    c(&mut e, "nvim_command", vec![V::from("2delete")]).unwrap();
    assert_eq!(text(&e), "a");
    assert_eq!(
        c(&mut e, "nvim_command", vec![V::from("nosuch")]).map_err(|e| e.to_string()),
        Err("Vim:E492: Not an editor command: nosuch".into())
    );
    // A built-in command that fails is named with its full name, as Vim does.
    assert_eq!(
        c(&mut e, "nvim_command", vec![V::from("s/zzz/y/")]).map_err(|e| e.to_string()),
        Err("Vim(substitute):E486: Pattern not found: zzz".into())
    );
}

#[test]
fn options_get_and_set() {
    let mut e = ed("");
    let get = |e: &mut Editor, n: &str| c(e, "nvim_get_option_value", vec![V::from(n), V::Map(vec![])]);
    assert_eq!(get(&mut e, "tabstop"), Ok(V::from(8)));
    c(&mut e, "nvim_set_option_value", vec![V::from("tabstop"), V::from(4), V::Map(vec![])]).unwrap();
    assert_eq!(get(&mut e, "ts"), Ok(V::from(4)));
    c(&mut e, "nvim_set_option_value", vec![V::from("expandtab"), V::from(true)]).unwrap();
    assert_eq!(get(&mut e, "expandtab"), Ok(V::from(true)));
    assert!(c(&mut e, "nvim_set_option_value", vec![V::from("tabstop"), V::from("x")]).is_err());
    assert!(c(&mut e, "nvim_set_option_value", vec![V::from("tabstop"), V::from(-1)]).is_err());
    assert_eq!(get(&mut e, "nosuch").map_err(|e| e.to_string()), Err("Unknown option 'nosuch'".into()));
    let opts = V::Map(vec![(V::from("buf"), V::from(42))]);
    assert_eq!(c(&mut e, "nvim_get_option_value", vec![V::from("ts"), opts]), Err(ApiError::InvalidBuffer(42)));
    let other = e.create_buffer(None);
    let opts = V::Map(vec![(V::from("buf"), V::from(other.0))]);
    c(&mut e, "nvim_set_option_value", vec![V::from("shiftwidth"), V::from(3), opts.clone()]).unwrap();
    assert_eq!(c(&mut e, "nvim_get_option_value", vec![V::from("sw"), opts]), Ok(V::from(3)));
    assert_eq!(get(&mut e, "sw"), Ok(V::from(8)));
}

#[test]
fn echo_notify_mode_version() {
    let mut e = ed("");
    let chunks = V::Array(vec![V::Array(vec![V::from("hi "), V::from("Title")]), V::Array(vec![V::from("there")])]);
    c(&mut e, "nvim_echo", vec![chunks, V::from(true), V::Map(vec![])]).unwrap();
    c(&mut e, "nvim_notify", vec![V::from("bad"), V::from(4), V::Map(vec![])]).unwrap();
    let msgs: Vec<String> = e.take_messages().into_iter().map(|m| m.text).collect();
    assert_eq!(msgs, vec!["hi there".to_string(), "bad".to_string()]);
    assert!(c(&mut e, "nvim_echo", vec![V::Array(vec![V::from(1)]), V::from(true)]).is_err());
    let mode = c(&mut e, "nvim_get_mode", vec![]).unwrap();
    assert_eq!(mode.as_map().and_then(|m| m.first()).map(|(_, v)| v.clone()), Some(V::from("n")));
    let v = c(&mut e, "rtdvi_api_version", vec![]).unwrap();
    let funcs = v.as_map().and_then(|m| m.get(1)).and_then(|(_, f)| f.as_array().cloned()).unwrap_or_default();
    assert_eq!(funcs.len(), table().len());
}

#[test]
fn ext_handles_are_accepted() {
    let mut e = ed("a\nb");
    let mut bytes = Vec::new();
    rmpv::encode::write_value(&mut bytes, &V::from(e.buf_id().0)).unwrap();
    assert_eq!(c(&mut e, "nvim_buf_line_count", vec![V::Ext(0, bytes)]), Ok(V::from(2)));
}

#[test]
fn table_names_are_unique_and_sorted() {
    let names: Vec<&str> = table().iter().map(|e| e.name).collect();
    for pair in names.windows(2) {
        assert!(pair[0] < pair[1], "duplicate or unsorted API entries: {pair:?}");
    }
    assert!(lookup("nvim_buf_get_lines").is_some());
}

// ----- callbacks -------------------------------------------------------------------------------

/// A test callback: a Rust closure standing in for a Lua function.
type TestCallback = Box<dyn FnMut(&mut Editor, Vec<V>) -> Result<V, String>>;

/// A callback host for tests: callbacks are Rust closures, registered by id.
#[derive(Default)]
pub(crate) struct TestHost {
    callbacks: Vec<TestCallback>,
    /// Ids released by the editor.
    pub released: std::rc::Rc<std::cell::RefCell<Vec<u32>>>,
}

impl TestHost {
    /// Registers a callback; returns its API argument.
    pub(crate) fn add(&mut self, f: impl FnMut(&mut Editor, Vec<V>) -> Result<V, String> + 'static) -> V {
        self.callbacks.push(Box::new(f));
        callback_arg(crate::events::CallbackId(u32::try_from(self.callbacks.len() - 1).unwrap_or(0)))
    }
}

impl crate::editor::CallbackHost for TestHost {
    fn call(&mut self, editor: &mut Editor, id: crate::events::CallbackId, args: Vec<V>) -> Result<V, String> {
        match self.callbacks.get_mut(id.0 as usize) {
            Some(f) => f(editor, args),
            None => Err(format!("no callback {}", id.0)),
        }
    }

    fn release(&mut self, id: crate::events::CallbackId) {
        self.released.borrow_mut().push(id.0);
    }
}

/// Installs a fresh test host and returns a handle to register callbacks on it before installing.
pub(crate) fn with_host(e: &mut Editor, host: TestHost) {
    e.callback_host = Some(Box::new(host));
}

/// Shared log the callbacks of a test write to.
pub(crate) type Log = std::rc::Rc<std::cell::RefCell<Vec<V>>>;

#[test]
fn callback_arguments_round_trip() {
    let v = callback_arg(crate::events::CallbackId(0x0102_0304));
    assert_eq!(v, V::Ext(64, vec![1, 2, 3, 4]));
    assert_eq!(callback_id(&v), Some(crate::events::CallbackId(0x0102_0304)));
    assert_eq!(callback_id(&V::Ext(64, vec![1, 2])), None);
    assert_eq!(callback_id(&V::from(3)), None);
}

#[test]
fn run_callback_without_a_host_is_an_error_not_a_panic() {
    let mut e = ed("a");
    assert!(e.run_callback(crate::events::CallbackId(1), vec![]).is_err());
}

// ----- windows and tab pages (expected values: tests/nvim-reference/api_window.out) ----------

#[test]
fn windows_tabs_and_validity() {
    let mut e = ed("a\nb");
    e.set_screen_size(80, 24);
    let w1 = e.current.0;
    assert_eq!(c(&mut e, "nvim_list_wins", vec![]), Ok(V::Array(vec![V::from(w1)])));
    assert_eq!(c(&mut e, "nvim_list_tabpages", vec![]), Ok(V::Array(vec![V::from(1)])));
    assert_eq!(c(&mut e, "nvim_win_get_tabpage", vec![V::from(0)]), Ok(V::from(1)));
    assert_eq!(c(&mut e, "nvim_win_get_number", vec![V::from(0)]), Ok(V::from(1)));
    assert_eq!(c(&mut e, "nvim_win_get_position", vec![V::from(0)]), Ok(V::Array(vec![V::from(0), V::from(0)])));
    // 24 lines: one command line, one status line (laststatus=2 in Neovim 0.11).
    assert_eq!(c(&mut e, "nvim_win_get_height", vec![V::from(0)]), Ok(V::from(22)));
    assert_eq!(c(&mut e, "nvim_win_get_width", vec![V::from(0)]), Ok(V::from(80)));
    assert_eq!(c(&mut e, "nvim_win_is_valid", vec![V::from(0)]), Ok(V::from(true)));
    assert_eq!(c(&mut e, "nvim_win_is_valid", vec![V::from(99)]), Ok(V::from(false)));
    assert_eq!(
        c(&mut e, "nvim_win_get_height", vec![V::from(9999)]).map_err(|e| e.to_string()),
        Err("Invalid window id: 9999".into())
    );
    assert_eq!(
        c(&mut e, "nvim_tabpage_get_number", vec![V::from(99)]).map_err(|e| e.to_string()),
        Err("Invalid tabpage id: 99".into())
    );
    assert_eq!(
        c(&mut e, "nvim_win_close", vec![V::from(0), V::from(false)]).map_err(|e| e.to_string()),
        Err("Vim:E444: Cannot close last window".into())
    );
    assert!(c(&mut e, "nvim_win_hide", vec![V::from(0)]).is_err());
    e.execute_ex("split").unwrap();
    let w2 = e.current.0;
    assert_eq!(c(&mut e, "nvim_tabpage_list_wins", vec![V::from(0)]), Ok(V::Array(vec![V::from(w2), V::from(w1)])));
    c(&mut e, "nvim_set_current_win", vec![V::from(w1)]).unwrap();
    assert_eq!(e.current.0, w1);
    assert_eq!(c(&mut e, "nvim_tabpage_get_win", vec![V::from(0)]), Ok(V::from(w1)));
    c(&mut e, "nvim_win_set_height", vec![V::from(w2), V::from(5)]).unwrap();
    assert_eq!(c(&mut e, "nvim_win_get_height", vec![V::from(w2)]), Ok(V::from(5)));
    assert_eq!(e.current.0, w1);
    c(&mut e, "nvim_win_close", vec![V::from(w2), V::from(false)]).unwrap();
    assert_eq!(c(&mut e, "nvim_list_wins", vec![]), Ok(V::Array(vec![V::from(w1)])));
    e.execute_ex("tabnew").unwrap();
    let t2 = c(&mut e, "nvim_get_current_tabpage", vec![]).unwrap();
    assert_eq!(t2, V::from(2));
    c(&mut e, "nvim_set_current_tabpage", vec![V::from(1)]).unwrap();
    assert_eq!(c(&mut e, "nvim_tabpage_get_number", vec![V::from(0)]), Ok(V::from(1)));
    assert_eq!(c(&mut e, "nvim_tabpage_is_valid", vec![V::from(2)]), Ok(V::from(true)));
    assert_eq!(c(&mut e, "nvim_set_current_tabpage", vec![V::from(99)]), Err(ApiError::InvalidTabpage(99)));
    // Closing the other tab's only window closes that tab page; handles don't shift.
    let other = c(&mut e, "nvim_tabpage_get_win", vec![V::from(2)]).unwrap();
    c(&mut e, "nvim_win_close", vec![other, V::from(true)]).unwrap();
    assert_eq!(c(&mut e, "nvim_list_tabpages", vec![]), Ok(V::Array(vec![V::from(1)])));
}

#[test]
fn win_set_buf_and_set_current_buf() {
    let mut e = ed("a");
    let b2 = e.create_buffer(None).0;
    c(&mut e, "nvim_win_set_buf", vec![V::from(0), V::from(b2)]).unwrap();
    assert_eq!(e.buf_id().0, b2);
    assert_eq!(c(&mut e, "nvim_win_set_buf", vec![V::from(0), V::from(99)]), Err(ApiError::InvalidBuffer(99)));
    c(&mut e, "nvim_set_current_buf", vec![V::from(1)]).unwrap();
    assert_eq!(e.buf_id().0, 1);
    assert_eq!(
        c(&mut e, "nvim_set_current_buf", vec![V::from("x")]).map_err(|e| e.to_string()),
        Err("Wrong type for argument 1 when calling nvim_set_current_buf, expecting Buffer".into())
    );
}

#[test]
fn win_call_and_buf_call_switch_temporarily() {
    let mut e = ed("one");
    let other = e.create_buffer(None);
    e.buffers.get_mut(&other).unwrap().text = ropey::Rope::from_str("two");
    let mut host = TestHost::default();
    let cb = host.add(|e, _| Ok(V::from(e.buf().line(0))));
    with_host(&mut e, host);
    assert_eq!(c(&mut e, "nvim_buf_call", vec![V::from(other.0), cb.clone()]), Ok(V::from("two")));
    assert_eq!(e.buf().line(0), "one");
    assert_eq!(c(&mut e, "nvim_win_call", vec![V::from(0), cb.clone()]), Ok(V::from("one")));
    e.execute_ex("split").unwrap();
    let top = e.current;
    c(&mut e, "nvim_win_set_buf", vec![V::from(0), V::from(other.0)]).unwrap();
    e.execute_ex("wincmd j").unwrap();
    assert_ne!(e.current, top);
    assert_eq!(c(&mut e, "nvim_win_call", vec![V::from(top.0), cb.clone()]), Ok(V::from("two")));
    assert_ne!(e.current, top);
    assert!(c(&mut e, "nvim_win_call", vec![V::from(0), V::from(1)]).is_err());
}

// ----- buffers (expected values: tests/nvim-reference/api_window.out) -------------------------

#[test]
fn buffer_handles_marks_and_lines() {
    let mut e = ed("héllo\nworld");
    assert_eq!(c(&mut e, "nvim_buf_is_valid", vec![V::from(0)]), Ok(V::from(true)));
    assert_eq!(c(&mut e, "nvim_buf_is_valid", vec![V::from(99)]), Ok(V::from(false)));
    assert_eq!(c(&mut e, "nvim_buf_is_loaded", vec![V::from(99)]), Ok(V::from(false)));
    let tick = e.buf().changedtick;
    c(&mut e, "nvim_set_current_line", vec![V::from("hello")]).unwrap();
    assert_eq!(c(&mut e, "nvim_get_current_line", vec![]), Ok(V::from("hello")));
    assert_eq!(c(&mut e, "nvim_buf_get_changedtick", vec![V::from(0)]), Ok(V::from(tick + 1)));
    assert_eq!(
        c(&mut e, "nvim_set_current_line", vec![V::from("a\nb")]).map_err(|e| e.to_string()),
        Err("'replacement string' item contains newlines".into())
    );
    assert_eq!(
        c(&mut e, "nvim_buf_get_mark", vec![V::from(0), V::from("a")]),
        Ok(V::Array(vec![V::from(0), V::from(0)]))
    );
    e.buf_mut().set_mark('a', 9);
    assert_eq!(
        c(&mut e, "nvim_buf_get_mark", vec![V::from(0), V::from("a")]),
        Ok(V::Array(vec![V::from(2), V::from(3)]))
    );
    assert_eq!(
        c(&mut e, "nvim_buf_get_mark", vec![V::from(0), V::from("ab")]).map_err(|e| e.to_string()),
        Err("Invalid mark name (must be a single char): 'ab'".into())
    );
    assert_eq!(
        c(&mut e, "nvim_buf_get_mark", vec![V::from(0), V::from("!")]).map_err(|e| e.to_string()),
        Err("Invalid mark name: '!'".into())
    );
}

#[test]
fn create_and_delete_buffers() {
    let mut e = ed("a");
    let b = c(&mut e, "nvim_create_buf", vec![V::from(false), V::from(true)]).unwrap();
    let opt = |e: &mut Editor, n: &str| {
        c(e, "nvim_get_option_value", vec![V::from(n), V::Map(vec![(V::from("buf"), b.clone())])]).unwrap()
    };
    assert_eq!(opt(&mut e, "buftype"), V::from("nofile"));
    assert_eq!(opt(&mut e, "bufhidden"), V::from("hide"));
    assert_eq!(opt(&mut e, "swapfile"), V::from(false));
    assert_eq!(opt(&mut e, "buflisted"), V::from(false));
    let listed = c(&mut e, "nvim_create_buf", vec![V::from(true), V::from(false)]).unwrap();
    assert_eq!(c(&mut e, "nvim_buf_is_loaded", vec![listed.clone()]), Ok(V::from(true)));
    assert_eq!(c(&mut e, "nvim_buf_delete", vec![V::from(99), V::Map(vec![])]), Err(ApiError::InvalidBuffer(99)));
    assert_eq!(
        c(&mut e, "nvim_buf_delete", vec![b.clone(), V::Map(vec![(V::from("x"), V::from(1))])])
            .map_err(|e| e.to_string()),
        Err("invalid key: x".into())
    );
    c(&mut e, "nvim_buf_delete", vec![b.clone(), V::Map(vec![(V::from("force"), V::from(true))])]).unwrap();
    assert_eq!(c(&mut e, "nvim_buf_is_valid", vec![b]), Ok(V::from(false)));
    e.buf_mut().set_modified(true);
    assert!(c(&mut e, "nvim_buf_delete", vec![V::from(0), V::Map(vec![])]).is_err());
}

#[test]
fn old_style_option_functions() {
    let mut e = ed("a");
    assert_eq!(c(&mut e, "nvim_win_get_option", vec![V::from(0), V::from("number")]), Ok(V::from(false)));
    c(&mut e, "nvim_win_set_option", vec![V::from(0), V::from("number"), V::from(true)]).unwrap();
    assert_eq!(c(&mut e, "nvim_win_get_option", vec![V::from(0), V::from("nu")]), Ok(V::from(true)));
    assert_eq!(
        c(&mut e, "nvim_win_set_option", vec![V::from(0), V::from("number"), V::from(3)]).map_err(|e| e.to_string()),
        Err("Invalid value for option 'number': expected boolean, got number 3".into())
    );
    assert_eq!(
        c(&mut e, "nvim_buf_set_option", vec![V::from(0), V::from("shiftwidth"), V::from("x")])
            .map_err(|e| e.to_string()),
        Err("Invalid value for option 'shiftwidth': expected number, got string \"x\"".into())
    );
    assert_eq!(
        c(&mut e, "nvim_buf_get_option", vec![V::from(0), V::from("nope")]).map_err(|e| e.to_string()),
        Err("Invalid option name: 'nope'".into())
    );
    c(&mut e, "nvim_buf_set_option", vec![V::from(0), V::from("shiftwidth"), V::from(2)]).unwrap();
    assert_eq!(c(&mut e, "nvim_buf_get_option", vec![V::from(0), V::from("sw")]), Ok(V::from(2)));
}

// ----- variables -------------------------------------------------------------------------------

#[test]
fn variables_in_every_scope() {
    let mut e = ed("a");
    let table = V::Array(vec![V::from(1), V::from("a"), V::Map(vec![(V::from("b"), V::from(true))])]);
    c(&mut e, "nvim_set_var", vec![V::from("x"), table.clone()]).unwrap();
    assert_eq!(c(&mut e, "nvim_get_var", vec![V::from("x")]), Ok(table));
    c(&mut e, "nvim_set_var", vec![V::from("n"), V::from(3)]).unwrap();
    // A number is a Vim number: `:echo g:n` sees it.
    assert_eq!(e.globals.get("n"), Some(&crate::expr::Value::Number(3)));
    assert_eq!(
        c(&mut e, "nvim_get_var", vec![V::from("nope")]).map_err(|e| e.to_string()),
        Err("Key not found: nope".into())
    );
    c(&mut e, "nvim_del_var", vec![V::from("n")]).unwrap();
    assert!(c(&mut e, "nvim_del_var", vec![V::from("n")]).is_err());
    for (set, get, del, handle) in [
        ("nvim_buf_set_var", "nvim_buf_get_var", "nvim_buf_del_var", 0),
        ("nvim_win_set_var", "nvim_win_get_var", "nvim_win_del_var", 0),
        ("nvim_tabpage_set_var", "nvim_tabpage_get_var", "nvim_tabpage_del_var", 0),
    ] {
        assert_eq!(
            c(&mut e, get, vec![V::from(handle), V::from("y")]).map_err(|e| e.to_string()),
            Err("Key not found: y".into())
        );
        c(&mut e, set, vec![V::from(handle), V::from("y"), V::from(3)]).unwrap();
        assert_eq!(c(&mut e, get, vec![V::from(handle), V::from("y")]), Ok(V::from(3)));
        c(&mut e, del, vec![V::from(handle), V::from("y")]).unwrap();
        assert!(c(&mut e, del, vec![V::from(handle), V::from("y")]).is_err());
        assert!(c(&mut e, get, vec![V::from(99), V::from("y")]).is_err());
    }
}

// ----- autocmds (expected values: tests/nvim-reference/api_autocmd.out) ------------------------

fn map(pairs: Vec<(&str, V)>) -> V {
    V::Map(pairs.into_iter().map(|(k, v)| (V::from(k), v)).collect())
}

fn field(v: &V, key: &str) -> Option<V> {
    v.as_map()?.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v.clone())
}

#[test]
fn augroups_create_find_and_delete() {
    let mut e = ed("");
    let g1 = c(&mut e, "nvim_create_augroup", vec![V::from("g1"), map(vec![])]).unwrap();
    let g2 = c(&mut e, "nvim_create_augroup", vec![V::from("g2"), map(vec![("clear", V::from(false))])]).unwrap();
    assert_ne!(g1, g2);
    assert_eq!(c(&mut e, "nvim_create_augroup", vec![V::from("g1"), map(vec![])]), Ok(g1.clone()));
    assert_eq!(
        c(&mut e, "nvim_create_augroup", vec![V::from("g3"), map(vec![("x", V::from(1))])]).map_err(|e| e.to_string()),
        Err("invalid key: x".into())
    );
    assert_eq!(
        c(&mut e, "nvim_del_augroup_by_name", vec![V::from("nope")]).map_err(|e| e.to_string()),
        Err("Vim:E367: No such group: \"nope\"".into())
    );
    assert_eq!(
        c(&mut e, "nvim_del_augroup_by_id", vec![V::from(99)]).map_err(|e| e.to_string()),
        Err("Vim:E367: No such group: \"[NULL]\"".into())
    );
    c(&mut e, "nvim_del_augroup_by_id", vec![g1.clone()]).unwrap();
    assert_eq!(
        c(&mut e, "nvim_del_augroup_by_id", vec![g1]).map_err(|e| e.to_string()),
        Err("Vim:E367: No such group: \"--Deleted--\"".into())
    );
    c(&mut e, "nvim_del_augroup_by_name", vec![V::from("g2")]).unwrap();
    assert!(c(&mut e, "nvim_del_augroup_by_name", vec![V::from("g2")]).is_err());
}

#[test]
fn create_autocmd_validation() {
    let mut e = ed("");
    let err = |e: &mut Editor, ev: V, o: Vec<(&str, V)>| {
        c(e, "nvim_create_autocmd", vec![ev, map(o)]).map_err(|e| e.to_string()).unwrap_err()
    };
    assert_eq!(err(&mut e, V::from("Nope"), vec![("command", V::from("x"))]), "Invalid 'event': 'Nope'");
    assert_eq!(err(&mut e, V::Array(vec![]), vec![("command", V::from("x"))]), "Required: 'event'");
    assert_eq!(err(&mut e, V::from("BufEnter"), vec![]), "Required: 'command' or 'callback'");
    assert_eq!(
        err(
            &mut e,
            V::from("BufEnter"),
            vec![("command", V::from("x")), ("callback", callback_arg(crate::events::CallbackId(1)))]
        ),
        "Cannot use both 'callback' and 'command'"
    );
    assert_eq!(
        err(
            &mut e,
            V::from("BufEnter"),
            vec![("command", V::from("x")), ("pattern", V::from("*")), ("buffer", V::from(0))]
        ),
        "Cannot use both 'pattern' and 'buffer' for the same autocmd"
    );
    assert_eq!(
        err(&mut e, V::from("BufEnter"), vec![("command", V::from("x")), ("group", V::from("nope"))]),
        "Invalid 'group': 'nope'"
    );
    assert_eq!(
        err(&mut e, V::from("BufEnter"), vec![("command", V::from("x")), ("group", V::from(99))]),
        "Invalid 'group': 99"
    );
    assert_eq!(
        err(&mut e, V::from("BufEnter"), vec![("command", V::from("x")), ("foo", V::from(1))]),
        "invalid key: foo"
    );
    assert_eq!(
        err(&mut e, V::from("BufEnter"), vec![("command", V::from("x")), ("buffer", V::from(99))]),
        "Invalid buffer id: 99"
    );
}

#[test]
fn get_and_clear_autocmds() {
    let mut e = ed("");
    c(&mut e, "nvim_create_augroup", vec![V::from("g1"), map(vec![])]).unwrap();
    let first =
        c(&mut e, "nvim_create_autocmd", vec![V::from("BufEnter"), map(vec![("command", V::from("echo 1"))])]).unwrap();
    let id = c(
        &mut e,
        "nvim_create_autocmd",
        vec![
            V::Array(vec![V::from("BufEnter"), V::from("BufLeave")]),
            map(vec![
                ("pattern", V::Array(vec![V::from("*.rs"), V::from("*.c")])),
                ("group", V::from("g1")),
                ("desc", V::from("d")),
                ("command", V::from("echo 2")),
            ]),
        ],
    )
    .unwrap();
    let got = c(&mut e, "nvim_get_autocmds", vec![map(vec![("group", V::from("g1"))])]).unwrap();
    let got = got.as_array().cloned().unwrap_or_default();
    // Neovim: four entries, one id, by event then pattern.
    assert_eq!(got.len(), 4);
    assert!(got.iter().all(|a| field(a, "id") == Some(id.clone())));
    let pats: Vec<_> = got.iter().map(|a| (field(a, "event"), field(a, "pattern"))).collect();
    assert_eq!(pats[0], (Some(V::from("BufEnter")), Some(V::from("*.rs"))));
    assert_eq!(pats[3], (Some(V::from("BufLeave")), Some(V::from("*.c"))));
    assert_eq!(field(&got[0], "group_name"), Some(V::from("g1")));
    assert_eq!(field(&got[0], "desc"), Some(V::from("d")));
    assert_eq!(field(&got[0], "buflocal"), Some(V::from(false)));
    let by_event = c(&mut e, "nvim_get_autocmds", vec![map(vec![("event", V::from("BufEnter"))])]).unwrap();
    assert_eq!(by_event.as_array().map(Vec::len), Some(3));
    assert_eq!(by_event.as_array().and_then(|a| field(&a[0], "id")), Some(first));
    c(
        &mut e,
        "nvim_create_autocmd",
        vec![V::from("BufLeave"), map(vec![("buffer", V::from(0)), ("command", V::from("echo 3"))])],
    )
    .unwrap();
    let local = c(&mut e, "nvim_get_autocmds", vec![map(vec![("event", V::from("BufLeave")), ("buffer", V::from(0))])])
        .unwrap();
    let local = local.as_array().cloned().unwrap_or_default();
    assert_eq!(local.len(), 1);
    assert_eq!(field(&local[0], "pattern"), Some(V::from("<buffer=1>")));
    assert_eq!(field(&local[0], "buffer"), Some(V::from(1)));
    assert!(c(&mut e, "nvim_get_autocmds", vec![map(vec![("event", V::from("Nope"))])]).is_err());
    assert!(c(&mut e, "nvim_get_autocmds", vec![map(vec![("group", V::from("nope"))])]).is_err());
    c(&mut e, "nvim_clear_autocmds", vec![map(vec![("event", V::from("BufEnter")), ("group", V::from("g1"))])])
        .unwrap();
    let left = c(&mut e, "nvim_get_autocmds", vec![map(vec![("group", V::from("g1"))])]).unwrap();
    assert_eq!(left.as_array().map(Vec::len), Some(2));
    assert_eq!(
        c(&mut e, "nvim_clear_autocmds", vec![map(vec![("pattern", V::from("*")), ("buffer", V::from(0))])])
            .map_err(|e| e.to_string()),
        Err("Cannot use both 'pattern' and 'buffer'".into())
    );
}

#[test]
fn autocmd_callbacks_get_neovims_args_and_true_deletes() {
    let mut e = ed("");
    let log: Log = Default::default();
    let mut host = TestHost::default();
    let l = log.clone();
    let record = host.add(move |_, args| {
        l.borrow_mut().extend(args);
        Ok(V::Nil)
    });
    let count = std::rc::Rc::new(std::cell::Cell::new(0));
    let n = count.clone();
    let once_true = host.add(move |_, _| {
        n.set(n.get() + 1);
        Ok(V::from(true))
    });
    let released = host.released.clone();
    with_host(&mut e, host);
    let g = c(&mut e, "nvim_create_augroup", vec![V::from("g2"), map(vec![])]).unwrap();
    c(
        &mut e,
        "nvim_create_autocmd",
        vec![V::from("User"), map(vec![("pattern", V::from("Foo")), ("group", V::from("g2")), ("callback", record)])],
    )
    .unwrap();
    let data = map(vec![("x", V::from(1))]);
    c(
        &mut e,
        "nvim_exec_autocmds",
        vec![V::from("User"), map(vec![("pattern", V::from("Foo")), ("data", data.clone())])],
    )
    .unwrap();
    let got = log.borrow().first().cloned().unwrap_or(V::Nil);
    // Neovim: { buf = 1, data = { x = 1 }, event = "User", file = "Foo", group = g, id = ..., match = "Foo" }
    assert_eq!(field(&got, "event"), Some(V::from("User")));
    assert_eq!(field(&got, "match"), Some(V::from("Foo")));
    assert_eq!(field(&got, "file"), Some(V::from("Foo")));
    assert_eq!(field(&got, "buf"), Some(V::from(1)));
    assert_eq!(field(&got, "group"), Some(g));
    assert_eq!(field(&got, "data"), Some(data));
    assert!(field(&got, "id").is_some());
    c(
        &mut e,
        "nvim_create_autocmd",
        vec![V::from("User"), map(vec![("pattern", V::from("Bar")), ("callback", once_true.clone())])],
    )
    .unwrap();
    for _ in 0..2 {
        c(&mut e, "nvim_exec_autocmds", vec![V::from("User"), map(vec![("pattern", V::from("Bar"))])]).unwrap();
    }
    assert_eq!(count.get(), 1);
    assert_eq!(*released.borrow(), vec![1]);
    // `once`: one run.
    c(
        &mut e,
        "nvim_create_autocmd",
        vec![
            V::from("User"),
            map(vec![("once", V::from(true)), ("command", V::from("let g:n = get(g:, 'n', 0) + 1"))]),
        ],
    )
    .unwrap();
    c(&mut e, "nvim_exec_autocmds", vec![V::from("User"), map(vec![])]).unwrap();
    c(&mut e, "nvim_exec_autocmds", vec![V::from("User"), map(vec![])]).unwrap();
    assert!(c(&mut e, "nvim_exec_autocmds", vec![V::from("Nope"), map(vec![])]).is_err());
    assert!(c(&mut e, "nvim_exec_autocmds", vec![V::from("User"), map(vec![("group", V::from("nope"))])]).is_err());
    assert_eq!(
        c(
            &mut e,
            "nvim_exec_autocmds",
            vec![V::from("User"), map(vec![("pattern", V::from("x")), ("buffer", V::from(0))])]
        )
        .map_err(|e| e.to_string()),
        Err("Cannot use both 'pattern' and 'buffer' for the same autocmd".into())
    );
}

#[test]
fn exec_autocmds_with_group_runs_only_that_group() {
    let mut e = ed("");
    c(&mut e, "nvim_create_augroup", vec![V::from("a"), map(vec![])]).unwrap();
    c(
        &mut e,
        "nvim_create_autocmd",
        vec![V::from("User"), map(vec![("group", V::from("a")), ("command", V::from("let g:a = 1"))])],
    )
    .unwrap();
    c(&mut e, "nvim_create_autocmd", vec![V::from("User"), map(vec![("command", V::from("let g:b = 1"))])]).unwrap();
    c(&mut e, "nvim_exec_autocmds", vec![V::from("User"), map(vec![("group", V::from("a"))])]).unwrap();
    assert_eq!(e.globals.get("a"), Some(&crate::expr::Value::Number(1)));
    assert_eq!(e.globals.get("b"), None);
}

// ----- keymaps (expected values: tests/nvim-reference/api_keymap.out) ------------------------

fn keymap_named(list: &V, lhs: &str) -> Option<V> {
    list.as_array()?.iter().find(|m| field(m, "lhs") == Some(V::from(lhs))).cloned()
}

#[test]
fn set_get_and_delete_keymaps() {
    let mut e = ed("abc");
    let opts = map(vec![("noremap", V::from(true)), ("silent", V::from(true)), ("desc", V::from("dd"))]);
    c(&mut e, "nvim_set_keymap", vec![V::from("n"), V::from("gx"), V::from("x"), opts]).unwrap();
    let got = c(&mut e, "nvim_get_keymap", vec![V::from("n")]).unwrap();
    let m = keymap_named(&got, "gx").unwrap_or(V::Nil);
    for (k, v) in [("rhs", V::from("x")), ("noremap", V::from(1)), ("silent", V::from(1)), ("expr", V::from(0))] {
        assert_eq!(field(&m, k), Some(v), "{k}");
    }
    assert_eq!(field(&m, "desc"), Some(V::from("dd")));
    assert_eq!(field(&m, "mode"), Some(V::from("n")));
    assert_eq!(field(&m, "buffer"), Some(V::from(0)));
    e.feed_keys("gx");
    assert_eq!(text(&e), "bc");
    let err = |e: &mut Editor, args: Vec<V>| c(e, "nvim_set_keymap", args).map_err(|e| e.to_string()).unwrap_err();
    assert_eq!(
        err(&mut e, vec![V::from("q"), V::from("gx"), V::from("x"), map(vec![])]),
        "Invalid mode shortname: \"q\""
    );
    assert_eq!(
        err(&mut e, vec![V::from("n"), V::from("gx"), V::from("x"), map(vec![("foo", V::from(1))])]),
        "invalid key: foo"
    );
    assert_eq!(err(&mut e, vec![V::from("n"), V::from(""), V::from("x"), map(vec![])]), "Invalid (empty) LHS");
    assert_eq!(
        err(&mut e, vec![V::from("n"), V::from("gx"), V::from("y"), map(vec![("unique", V::from(true))])]),
        "E227: Mapping already exists for gx"
    );
    assert_eq!(
        c(&mut e, "nvim_del_keymap", vec![V::from("n"), V::from("zz")]).map_err(|e| e.to_string()),
        Err("E31: No such mapping".into())
    );
    c(&mut e, "nvim_del_keymap", vec![V::from("n"), V::from("gx")]).unwrap();
    assert_eq!(keymap_named(&c(&mut e, "nvim_get_keymap", vec![V::from("n")]).unwrap(), "gx"), None);
}

#[test]
fn buffer_keymaps_and_mode_groups() {
    let mut e = ed("abc");
    c(&mut e, "nvim_buf_set_keymap", vec![V::from(0), V::from("i"), V::from("jk"), V::from("<Esc>"), map(vec![])])
        .unwrap();
    let local = c(&mut e, "nvim_buf_get_keymap", vec![V::from(0), V::from("i")]).unwrap();
    let m = keymap_named(&local, "jk").unwrap_or(V::Nil);
    assert_eq!(field(&m, "buffer"), Some(V::from(1)));
    assert_eq!(field(&m, "rhs"), Some(V::from("<Esc>")));
    assert_eq!(keymap_named(&c(&mut e, "nvim_get_keymap", vec![V::from("i")]).unwrap(), "jk"), None);
    c(&mut e, "nvim_buf_del_keymap", vec![V::from(0), V::from("i"), V::from("jk")]).unwrap();
    assert_eq!(c(&mut e, "nvim_buf_get_keymap", vec![V::from(0), V::from("i")]), Ok(V::Array(vec![])));
    assert!(c(&mut e, "nvim_buf_del_keymap", vec![V::from(0), V::from("i"), V::from("jk")]).is_err());
    // Neovim: a "" mapping lists with mode " ", also under "v"; "!" with mode "!".
    c(&mut e, "nvim_set_keymap", vec![V::from(""), V::from("Q"), V::from("gq"), map(vec![])]).unwrap();
    c(
        &mut e,
        "nvim_set_keymap",
        vec![V::from("!"), V::from("<C-x>"), V::from("y"), map(vec![("expr", V::from(true))])],
    )
    .unwrap();
    let q = keymap_named(&c(&mut e, "nvim_get_keymap", vec![V::from("v")]).unwrap(), "Q").unwrap_or(V::Nil);
    assert_eq!(field(&q, "mode"), Some(V::from(" ")));
    let cx = c(&mut e, "nvim_get_keymap", vec![V::from("i")]).unwrap();
    let cx = cx.as_array().and_then(|a| a.first().cloned()).unwrap_or(V::Nil);
    assert_eq!(field(&cx, "mode"), Some(V::from("!")));
    assert_eq!(field(&cx, "expr"), Some(V::from(1)));
    // <leader> follows g:mapleader.
    c(&mut e, "nvim_set_var", vec![V::from("mapleader"), V::from(",")]).unwrap();
    c(&mut e, "nvim_set_keymap", vec![V::from("n"), V::from("<leader>a"), V::from("x"), map(vec![])]).unwrap();
    assert!(keymap_named(&c(&mut e, "nvim_get_keymap", vec![V::from("n")]).unwrap(), ",a").is_some());
}

#[test]
fn keymap_callbacks_run_and_expr_results_are_keys() {
    let mut e = ed("abc");
    let mut host = TestHost::default();
    let hits = std::rc::Rc::new(std::cell::Cell::new(0));
    let h = hits.clone();
    let cb = host.add(move |_, _| {
        h.set(h.get() + 1);
        Ok(V::Nil)
    });
    let expr = host.add(|_, _| Ok(V::from("x")));
    let released = host.released.clone();
    with_host(&mut e, host);
    c(
        &mut e,
        "nvim_set_keymap",
        vec![V::from("n"), V::from("gy"), V::from(""), map(vec![("callback", cb), ("desc", V::from("cb"))])],
    )
    .unwrap();
    let m = keymap_named(&c(&mut e, "nvim_get_keymap", vec![V::from("n")]).unwrap(), "gy").unwrap_or(V::Nil);
    assert!(field(&m, "callback").is_some_and(|v| callback_id(&v).is_some()));
    assert_eq!(field(&m, "rhs"), None);
    e.feed_keys("gy");
    assert_eq!(hits.get(), 1);
    c(
        &mut e,
        "nvim_set_keymap",
        vec![V::from("n"), V::from("gz"), V::from(""), map(vec![("callback", expr), ("expr", V::from(true))])],
    )
    .unwrap();
    e.feed_keys("gz");
    assert_eq!(text(&e), "bc");
    c(&mut e, "nvim_del_keymap", vec![V::from("n"), V::from("gy")]).unwrap();
    assert_eq!(*released.borrow(), vec![0]);
}

// ----- user commands (expected values: tests/nvim-reference/api_command.out) ------------------

#[test]
fn user_command_callbacks_get_neovims_opts() {
    let mut e = ed("l1\nl2\nl3\nl4");
    let log: Log = Default::default();
    let mut host = TestHost::default();
    let l = log.clone();
    let cb = host.add(move |_, args| {
        l.borrow_mut().extend(args);
        Ok(V::Nil)
    });
    with_host(&mut e, host);
    let opts =
        map(vec![("nargs", V::from("*")), ("bang", V::from(true)), ("range", V::from(true)), ("desc", V::from("d"))]);
    c(&mut e, "nvim_create_user_command", vec![V::from("Foo"), cb.clone(), opts]).unwrap();
    e.execute_ex("2,3Foo! a  b").unwrap();
    let got = log.borrow_mut().pop().unwrap_or(V::Nil);
    // Neovim: { args = "a  b", bang = true, count = 3, fargs = { "a", "b" }, line1 = 2, line2 = 3,
    // mods = "", name = "Foo", nargs = "*", range = 2, reg = "", smods = {...} }
    for (k, v) in [
        ("args", V::from("a  b")),
        ("bang", V::from(true)),
        ("count", V::from(3)),
        ("fargs", strs(&["a", "b"])),
        ("line1", V::from(2)),
        ("line2", V::from(3)),
        ("mods", V::from("")),
        ("name", V::from("Foo")),
        ("nargs", V::from("*")),
        ("range", V::from(2)),
        ("reg", V::from("")),
    ] {
        assert_eq!(field(&got, k), Some(v), "{k}");
    }
    assert_eq!(field(&got, "smods").and_then(|s| field(&s, "tab")), Some(V::from(-1)));
    e.execute_ex("Foo").unwrap();
    let got = log.borrow_mut().pop().unwrap_or(V::Nil);
    assert_eq!(
        (field(&got, "count"), field(&got, "range"), field(&got, "line1")),
        (Some(V::from(-1)), Some(V::from(0)), Some(V::from(1)))
    );
    c(&mut e, "nvim_create_user_command", vec![V::from("Cnt"), cb.clone(), map(vec![("count", V::from(5))])]).unwrap();
    e.execute_ex("Cnt").unwrap();
    assert_eq!(log.borrow_mut().pop().and_then(|g| field(&g, "count")), Some(V::from(5)));
    e.execute_ex("3Cnt").unwrap();
    let got = log.borrow_mut().pop().unwrap_or(V::Nil);
    assert_eq!(
        (field(&got, "count"), field(&got, "line1"), field(&got, "range")),
        (Some(V::from(3)), Some(V::from(3)), Some(V::from(1)))
    );
    c(&mut e, "nvim_create_user_command", vec![V::from("Rp"), cb.clone(), map(vec![("range", V::from("%"))])]).unwrap();
    e.execute_ex("Rp").unwrap();
    let got = log.borrow_mut().pop().unwrap_or(V::Nil);
    assert_eq!(
        (field(&got, "line1"), field(&got, "line2"), field(&got, "range")),
        (Some(V::from(1)), Some(V::from(4)), Some(V::from(0)))
    );
    c(&mut e, "nvim_create_user_command", vec![V::from("One"), cb.clone(), map(vec![("nargs", V::from(1))])]).unwrap();
    assert_eq!(e.execute_ex("One").map_err(|e| e.to_string()), Err("E471: Argument required: One".into()));
    e.execute_ex("One a b").unwrap();
    assert_eq!(log.borrow_mut().pop().and_then(|g| field(&g, "fargs")), Some(strs(&["a b"])));
    c(&mut e, "nvim_create_user_command", vec![V::from("Zero"), cb.clone(), map(vec![])]).unwrap();
    assert_eq!(e.execute_ex("Zero x").map_err(|e| e.to_string()), Err("E488: Trailing characters: x".into()));
    assert_eq!(e.execute_ex("Zero!").map_err(|e| e.to_string()), Err("E477: No ! allowed".into()));
    assert_eq!(e.execute_ex("2Zero").map_err(|e| e.to_string()), Err("E481: No range allowed".into()));
    c(&mut e, "nvim_create_user_command", vec![V::from("Rg"), cb, map(vec![("register", V::from(true))])]).unwrap();
    e.execute_ex("Rg a").unwrap();
    assert_eq!(log.borrow_mut().pop().and_then(|g| field(&g, "reg")), Some(V::from("a")));
}

#[test]
fn user_command_strings_expand_placeholders() {
    let mut e = ed("l1\nl2\nl3");
    let opts = map(vec![("nargs", V::from("*")), ("bang", V::from(true)), ("range", V::from(true))]);
    c(
        &mut e,
        "nvim_create_user_command",
        vec![V::from("Str"), V::from("let g:x = '<args>' . '<bang>' . <line1> . <count>"), opts],
    )
    .unwrap();
    e.execute_ex("2Str! hi").unwrap();
    assert_eq!(c(&mut e, "nvim_get_var", vec![V::from("x")]), Ok(V::from("hi!22")));
    c(
        &mut e,
        "nvim_create_user_command",
        vec![V::from("Qa"), V::from("let g:y = <q-args>"), map(vec![("nargs", V::from("*"))])],
    )
    .unwrap();
    e.execute_ex("Qa a 'b").unwrap();
    assert_eq!(c(&mut e, "nvim_get_var", vec![V::from("y")]), Ok(V::from("a 'b")));
    c(
        &mut e,
        "nvim_create_user_command",
        vec![V::from("Fa"), V::from("let g:z = [<f-args>]"), map(vec![("nargs", V::from("*"))])],
    )
    .unwrap();
    e.execute_ex("Fa a b\\ c").unwrap();
    assert_eq!(c(&mut e, "nvim_get_var", vec![V::from("z")]), Ok(strs(&["a", "b c"])));
}

#[test]
fn user_command_definitions_listing_and_deletion() {
    let mut e = ed("");
    let err = |e: &mut Editor, name: &str, o: Vec<(&str, V)>| {
        c(e, "nvim_create_user_command", vec![V::from(name), V::from("echo 1"), map(o)])
            .map_err(|e| e.to_string())
            .unwrap_err()
    };
    assert_eq!(err(&mut e, "foo", vec![]), "Invalid command name (must start with uppercase): 'foo'");
    assert_eq!(err(&mut e, "Bar", vec![("x", V::from(1))]), "invalid key: x");
    assert_eq!(err(&mut e, "Bar", vec![("nargs", V::from(3))]), "Invalid 'nargs': 3");
    let opts =
        map(vec![("nargs", V::from("*")), ("bang", V::from(true)), ("range", V::from(true)), ("desc", V::from("d"))]);
    c(&mut e, "nvim_create_user_command", vec![V::from("Foo"), V::from("echo 1"), opts]).unwrap();
    c(&mut e, "nvim_create_user_command", vec![V::from("Cnt"), V::from("echo 1"), map(vec![("count", V::from(5))])])
        .unwrap();
    let all = c(&mut e, "nvim_get_commands", vec![map(vec![])]).unwrap();
    let foo = field(&all, "Foo").unwrap_or(V::Nil);
    for (k, v) in [
        ("bang", V::from(true)),
        ("definition", V::from("echo 1")),
        ("nargs", V::from("*")),
        ("range", V::from(".")),
        ("bar", V::from(false)),
    ] {
        assert_eq!(field(&foo, k), Some(v), "{k}");
    }
    // A -count command takes its count as the first argument too.
    c(&mut e, "nvim_command", vec![V::from("Cnt 3")]).unwrap();
    let cnt = field(&all, "Cnt").unwrap_or(V::Nil);
    assert_eq!((field(&cnt, "count"), field(&cnt, "range")), (Some(V::from("5")), Some(V::from("5"))));
    assert_eq!(
        c(&mut e, "nvim_get_commands", vec![map(vec![("x", V::from(1))])]).map_err(|e| e.to_string()),
        Err("invalid key: x".into())
    );
    assert_eq!(
        c(&mut e, "nvim_get_commands", vec![map(vec![("builtin", V::from(true))])]).map_err(|e| e.to_string()),
        Err("builtin=true not implemented".into())
    );
    c(&mut e, "nvim_del_user_command", vec![V::from("Foo")]).unwrap();
    assert_eq!(field(&c(&mut e, "nvim_get_commands", vec![map(vec![])]).unwrap(), "Foo"), None);
    assert_eq!(
        c(&mut e, "nvim_del_user_command", vec![V::from("Foo")]).map_err(|e| e.to_string()),
        Err("Invalid command (not found): Foo".into())
    );
    c(&mut e, "nvim_buf_create_user_command", vec![V::from(0), V::from("Loc"), V::from("let g:loc = 1"), map(vec![])])
        .unwrap();
    e.execute_ex("Loc").unwrap();
    assert_eq!(c(&mut e, "nvim_get_var", vec![V::from("loc")]), Ok(V::from(1)));
    assert_eq!(field(&c(&mut e, "nvim_get_commands", vec![map(vec![])]).unwrap(), "Loc"), None);
    assert!(field(&c(&mut e, "nvim_buf_get_commands", vec![V::from(0), map(vec![])]).unwrap(), "Loc").is_some());
    c(&mut e, "nvim_buf_del_user_command", vec![V::from(0), V::from("Loc")]).unwrap();
    assert!(c(&mut e, "nvim_buf_del_user_command", vec![V::from(0), V::from("Loc")]).is_err());
    assert!(e.execute_ex("Loc").is_err());
}

// ----- extmarks (expected values: tests/nvim-reference/api_extmark.out) -----------------------

fn set_mark(e: &mut Editor, ns: &V, row: i64, col: i64, opts: Vec<(&str, V)>) -> Result<V, ApiError> {
    c(e, "nvim_buf_set_extmark", vec![V::from(0), ns.clone(), V::from(row), V::from(col), map(opts)])
}

fn mark_at(e: &mut Editor, ns: &V, id: i64) -> V {
    c(e, "nvim_buf_get_extmark_by_id", vec![V::from(0), ns.clone(), V::from(id), map(vec![])]).unwrap_or(V::Nil)
}

fn pos(r: i64, col: i64) -> V {
    V::Array(vec![V::from(r), V::from(col)])
}

#[test]
fn namespaces_are_named_once() {
    let mut e = ed("");
    let ns = c(&mut e, "nvim_create_namespace", vec![V::from("test")]).unwrap();
    assert_eq!(c(&mut e, "nvim_create_namespace", vec![V::from("test")]), Ok(ns.clone()));
    let a = c(&mut e, "nvim_create_namespace", vec![V::from("")]).unwrap();
    assert_ne!(c(&mut e, "nvim_create_namespace", vec![V::from("")]).unwrap(), a);
    assert_eq!(c(&mut e, "nvim_get_namespaces", vec![]), Ok(map(vec![("test", ns)])));
}

#[test]
fn extmark_set_get_and_validation() {
    let mut e = ed("héllo world\nsecond line\nthird");
    let ns = c(&mut e, "nvim_create_namespace", vec![V::from("test")]).unwrap();
    assert_eq!(set_mark(&mut e, &ns, 0, 3, vec![]), Ok(V::from(1)));
    assert_eq!(mark_at(&mut e, &ns, 1), pos(0, 3));
    let d = c(
        &mut e,
        "nvim_buf_get_extmark_by_id",
        vec![V::from(0), ns.clone(), V::from(1), map(vec![("details", V::from(true))])],
    )
    .unwrap();
    assert_eq!(
        d,
        V::Array(vec![V::from(0), V::from(3), map(vec![("ns_id", ns.clone()), ("right_gravity", V::from(true))])])
    );
    assert_eq!(mark_at(&mut e, &ns, 99), V::Array(vec![]));
    let opts = vec![
        ("id", V::from(10)),
        ("end_row", V::from(1)),
        ("end_col", V::from(6)),
        ("hl_group", V::from("Search")),
        ("priority", V::from(200)),
    ];
    assert_eq!(set_mark(&mut e, &ns, 1, 0, opts), Ok(V::from(10)));
    let d = c(
        &mut e,
        "nvim_buf_get_extmark_by_id",
        vec![V::from(0), ns.clone(), V::from(10), map(vec![("details", V::from(true))])],
    )
    .unwrap();
    let details = d.as_array().and_then(|a| a.get(2)).cloned().unwrap_or(V::Nil);
    for (k, v) in [
        ("end_row", V::from(1)),
        ("end_col", V::from(6)),
        ("end_right_gravity", V::from(false)),
        ("hl_group", V::from("Search")),
        ("hl_eol", V::from(false)),
        ("priority", V::from(200)),
    ] {
        assert_eq!(field(&details, k), Some(v), "{k}");
    }
    let err = |e: &mut Editor, r: i64, col: i64, o: Vec<(&str, V)>| {
        set_mark(e, &ns, r, col, o).map_err(|e| e.to_string()).unwrap_err()
    };
    assert_eq!(err(&mut e, 5, 0, vec![]), "Invalid 'line': out of range");
    assert_eq!(err(&mut e, 0, 99, vec![]), "Invalid 'col': out of range");
    assert_eq!(err(&mut e, 0, 0, vec![("end_row", V::from(9))]), "Invalid 'end_row': out of range");
    assert_eq!(
        err(&mut e, 0, 0, vec![("end_row", V::from(0)), ("end_col", V::from(99))]),
        "Invalid 'end_col': out of range"
    );
    assert_eq!(err(&mut e, 0, 0, vec![("foo", V::from(1))]), "invalid key: foo");
    assert_eq!(
        err(&mut e, 0, 0, vec![("virt_text", V::Array(vec![strs(&["x"])])), ("virt_text_pos", V::from("nope"))]),
        "Invalid 'virt_text_pos': 'nope'"
    );
    assert_eq!(
        c(&mut e, "nvim_buf_set_extmark", vec![V::from(0), V::from(99), V::from(0), V::from(0), map(vec![])])
            .map_err(|e| e.to_string()),
        Err("Invalid 'ns_id': 99".into())
    );
    // strict = false clamps the column to the line's end (12 bytes: "é" is two).
    let id = set_mark(&mut e, &ns, 0, 99, vec![("strict", V::from(false))]).unwrap();
    assert_eq!(mark_at(&mut e, &ns, id.as_i64().unwrap_or(0)), pos(0, 12));
    let vt = vec![
        ("virt_text", V::Array(vec![strs(&["hi", "Comment"])])),
        ("virt_text_pos", V::from("eol")),
        ("sign_text", V::from("S")),
        ("invalidate", V::from(true)),
    ];
    let id = set_mark(&mut e, &ns, 2, 0, vt).unwrap();
    let d = c(
        &mut e,
        "nvim_buf_get_extmark_by_id",
        vec![V::from(0), ns.clone(), id, map(vec![("details", V::from(true))])],
    )
    .unwrap();
    let details = d.as_array().and_then(|a| a.get(2)).cloned().unwrap_or(V::Nil);
    for (k, v) in [
        ("sign_text", V::from("S ")),
        ("priority", V::from(4096)),
        ("virt_text_pos", V::from("eol")),
        ("invalidate", V::from(true)),
    ] {
        assert_eq!(field(&details, k), Some(v), "{k}");
    }
    assert_eq!(field(&details, "virt_text"), Some(V::Array(vec![strs(&["hi", "Comment"])])));
}

#[test]
fn get_extmarks_ranges_order_and_limits() {
    let mut e = ed("héllo world\nsecond line\nthird");
    let ns = c(&mut e, "nvim_create_namespace", vec![V::from("test")]).unwrap();
    set_mark(&mut e, &ns, 0, 3, vec![]).unwrap();
    set_mark(&mut e, &ns, 1, 0, vec![("id", V::from(10)), ("end_row", V::from(1)), ("end_col", V::from(6))]).unwrap();
    set_mark(&mut e, &ns, 0, 12, vec![]).unwrap();
    set_mark(&mut e, &ns, 2, 0, vec![]).unwrap();
    let get = |e: &mut Editor, s: V, en: V, o: Vec<(&str, V)>| {
        c(e, "nvim_buf_get_extmarks", vec![V::from(0), ns.clone(), s, en, map(o)])
    };
    let triple = |i: i64, r: i64, col: i64| V::Array(vec![V::from(i), V::from(r), V::from(col)]);
    // Neovim: { { 1, 0, 3 }, { 11, 0, 12 }, { 10, 1, 0 }, { 12, 2, 0 } } (ids differ: ours are 1, 11, 10, 12 too).
    assert_eq!(
        get(&mut e, V::from(0), V::from(-1), vec![]),
        Ok(V::Array(vec![triple(1, 0, 3), triple(11, 0, 12), triple(10, 1, 0), triple(12, 2, 0)]))
    );
    assert_eq!(get(&mut e, pos(0, 4), pos(1, 0), vec![]), Ok(V::Array(vec![triple(11, 0, 12), triple(10, 1, 0)])));
    assert_eq!(
        get(&mut e, V::from(-1), V::from(0), vec![]),
        Ok(V::Array(vec![triple(12, 2, 0), triple(10, 1, 0), triple(11, 0, 12), triple(1, 0, 3)]))
    );
    assert_eq!(get(&mut e, V::from(0), V::from(-1), vec![("limit", V::from(1))]), Ok(V::Array(vec![triple(1, 0, 3)])));
    assert_eq!(get(&mut e, pos(0, 8), pos(0, 9), vec![("overlap", V::from(true))]), Ok(V::Array(vec![])));
    assert_eq!(
        get(&mut e, pos(1, 2), pos(1, 3), vec![("overlap", V::from(true))]),
        Ok(V::Array(vec![triple(10, 1, 0)]))
    );
    let all = c(&mut e, "nvim_buf_get_extmarks", vec![V::from(0), V::from(-1), V::from(0), V::from(-1), map(vec![])])
        .unwrap();
    assert_eq!(all.as_array().map(Vec::len), Some(4));
    assert_eq!(
        get(&mut e, V::from("x"), V::from(0), vec![]).map_err(|e| e.to_string()),
        Err("Invalid mark position: expected mark id Integer or 2-item Array".into())
    );
    assert_eq!(
        get(&mut e, V::Array(vec![V::from(0)]), V::from(0), vec![]).map_err(|e| e.to_string()),
        Err("Invalid mark position: expected 2 Integer items".into())
    );
}

#[test]
fn extmarks_move_with_every_kind_of_edit() {
    let mut e = ed("héllo world\nsecond line\nthird");
    let ns = c(&mut e, "nvim_create_namespace", vec![V::from("test")]).unwrap();
    set_mark(&mut e, &ns, 0, 3, vec![]).unwrap();
    // Neovim: inserting "XX" at (0,0) moves (0,3) to (0,5); inserting at the mark (right gravity) moves it.
    c(&mut e, "nvim_buf_set_text", vec![V::from(0), V::from(0), V::from(0), V::from(0), V::from(0), strs(&["XX"])])
        .unwrap();
    assert_eq!(mark_at(&mut e, &ns, 1), pos(0, 5));
    c(&mut e, "nvim_buf_set_text", vec![V::from(0), V::from(0), V::from(5), V::from(0), V::from(5), strs(&["Y"])])
        .unwrap();
    assert_eq!(mark_at(&mut e, &ns, 1), pos(0, 6));
    let left = set_mark(&mut e, &ns, 1, 2, vec![("right_gravity", V::from(false))]).unwrap();
    let left = left.as_i64().unwrap_or(0);
    c(&mut e, "nvim_buf_set_text", vec![V::from(0), V::from(1), V::from(2), V::from(1), V::from(2), strs(&["ZZ"])])
        .unwrap();
    assert_eq!(mark_at(&mut e, &ns, left), pos(1, 2));
    c(&mut e, "nvim_buf_set_lines", vec![V::from(0), V::from(0), V::from(0), V::from(true), strs(&["new"])]).unwrap();
    assert_eq!(mark_at(&mut e, &ns, 1), pos(1, 6));
    // Deleting the mark's line leaves it at the start of the next one (not invalidated).
    c(&mut e, "nvim_buf_set_lines", vec![V::from(0), V::from(1), V::from(2), V::from(true), strs(&[])]).unwrap();
    assert_eq!(mark_at(&mut e, &ns, 1), pos(1, 0));
    // Typing in insert mode, an operator, :s, and undo.
    let mut e = ed("abc def\nxyz");
    let ns = c(&mut e, "nvim_create_namespace", vec![V::from("t")]).unwrap();
    set_mark(&mut e, &ns, 0, 4, vec![]).unwrap();
    set_mark(&mut e, &ns, 1, 1, vec![("invalidate", V::from(true))]).unwrap();
    e.feed_keys("0iQQ<Esc>");
    assert_eq!(mark_at(&mut e, &ns, 1), pos(0, 6));
    e.feed_keys("0dw");
    assert_eq!(mark_at(&mut e, &ns, 1), pos(0, 0));
    e.execute_ex("s/def/DEFG/").unwrap();
    assert_eq!(text(&e), "DEFG\nxyz");
    e.feed_keys("u");
    assert_eq!(text(&e), "def\nxyz");
    e.feed_keys("jdd");
    let d = c(
        &mut e,
        "nvim_buf_get_extmark_by_id",
        vec![V::from(0), ns.clone(), V::from(2), map(vec![("details", V::from(true))])],
    )
    .unwrap();
    let details = d.as_array().and_then(|a| a.get(2)).cloned().unwrap_or(V::Nil);
    assert_eq!(field(&details, "invalid"), Some(V::from(true)));
}

#[test]
fn delete_clear_and_add_highlight() {
    let mut e = ed("one\ntwo\nthree");
    let ns = c(&mut e, "nvim_create_namespace", vec![V::from("c")]).unwrap();
    for r in 0..3 {
        set_mark(&mut e, &ns, r, 0, vec![]).unwrap();
    }
    assert_eq!(c(&mut e, "nvim_buf_del_extmark", vec![V::from(0), ns.clone(), V::from(3)]), Ok(V::from(true)));
    assert_eq!(c(&mut e, "nvim_buf_del_extmark", vec![V::from(0), ns.clone(), V::from(3)]), Ok(V::from(false)));
    c(&mut e, "nvim_buf_clear_namespace", vec![V::from(0), ns.clone(), V::from(1), V::from(2)]).unwrap();
    let left =
        c(&mut e, "nvim_buf_get_extmarks", vec![V::from(0), ns.clone(), V::from(0), V::from(-1), map(vec![])]).unwrap();
    assert_eq!(left, V::Array(vec![V::Array(vec![V::from(1), V::from(0), V::from(0)])]));
    c(&mut e, "nvim_buf_clear_namespace", vec![V::from(0), V::from(-1), V::from(0), V::from(-1)]).unwrap();
    assert_eq!(
        c(&mut e, "nvim_buf_get_extmarks", vec![V::from(0), ns.clone(), V::from(0), V::from(-1), map(vec![])]),
        Ok(V::Array(vec![]))
    );
    let hl = c(&mut e, "nvim_create_namespace", vec![V::from("hl")]).unwrap();
    assert_eq!(
        c(
            &mut e,
            "nvim_buf_add_highlight",
            vec![V::from(0), hl.clone(), V::from("Search"), V::from(0), V::from(0), V::from(2)]
        ),
        Ok(hl.clone())
    );
    let got = c(
        &mut e,
        "nvim_buf_get_extmarks",
        vec![V::from(0), hl.clone(), V::from(0), V::from(-1), map(vec![("details", V::from(true))])],
    )
    .unwrap();
    let d = got
        .as_array()
        .and_then(|a| a.first())
        .and_then(|m| m.as_array())
        .and_then(|m| m.get(3))
        .cloned()
        .unwrap_or(V::Nil);
    assert_eq!((field(&d, "end_col"), field(&d, "hl_group")), (Some(V::from(2)), Some(V::from("Search"))));
    assert_eq!(
        c(
            &mut e,
            "nvim_buf_add_highlight",
            vec![V::from(0), V::from(-1), V::from("Search"), V::from(99), V::from(0), V::from(-1)]
        ),
        Ok(V::from(-1))
    );
    // The front end sees the decoration.
    let b = e.buf();
    assert_eq!(b.extmarks.decorations(&b.anchors, 0, 3).len(), 1);
}

// ----- nvim_buf_attach (expected values: tests/nvim-reference/api_attach.out) -----------------

#[test]
fn buf_attach_reports_every_change_and_detach() {
    let mut e = ed("a\nb\nc");
    let log: Log = Default::default();
    let mut host = TestHost::default();
    let l = log.clone();
    let on_lines = host.add(move |_, args| {
        // Keep ("lines", buf, first, last, new_last, bytes) without the changedtick.
        let a: Vec<V> = args.iter().enumerate().filter(|(i, _)| *i != 2).map(|(_, v)| v.clone()).collect();
        l.borrow_mut().push(V::Array(a));
        Ok(V::Nil)
    });
    let l = log.clone();
    let on_detach = host.add(move |_, args| {
        l.borrow_mut().push(V::Array(args));
        Ok(V::Nil)
    });
    with_host(&mut e, host);
    assert_eq!(
        c(
            &mut e,
            "nvim_buf_attach",
            vec![V::from(0), V::from(false), map(vec![("on_lines", on_lines), ("on_detach", on_detach)])]
        ),
        Ok(V::from(true))
    );
    let ev = |f: i64, l: i64, n: i64, b: i64| {
        V::Array(vec![V::from("lines"), V::from(1), V::from(f), V::from(l), V::from(n), V::from(b)])
    };
    let take = |log: &Log| std::mem::take(&mut *log.borrow_mut());
    // Neovim: { "lines", 1, 1, 2, 3, 2 }.
    c(&mut e, "nvim_buf_set_lines", vec![V::from(0), V::from(1), V::from(2), V::from(true), strs(&["B", "B2"])])
        .unwrap();
    assert_eq!(take(&log), vec![ev(1, 2, 3, 2)]);
    // Neovim: { "lines", 1, 0, 0, 1, 0 } (one line inserted at the top).
    c(&mut e, "nvim_buf_set_lines", vec![V::from(0), V::from(0), V::from(0), V::from(true), strs(&["top"])]).unwrap();
    assert_eq!(take(&log), vec![ev(0, 0, 1, 0)]);
    // Neovim: { "lines", 1, 1, 3, 1, 4 } (deleting "a" and "B" of top/a/B/B2/c).
    c(&mut e, "nvim_buf_set_lines", vec![V::from(0), V::from(1), V::from(3), V::from(true), strs(&[])]).unwrap();
    assert_eq!(take(&log), vec![ev(1, 3, 1, 4)]);
    c(&mut e, "nvim_buf_set_lines", vec![V::from(0), V::from(0), V::from(1), V::from(true), strs(&["a"])]).unwrap();
    take(&log);
    // Neovim: { "lines", 1, 0, 1, 1, 2 } (set_text inside line 0 "a").
    c(&mut e, "nvim_buf_set_text", vec![V::from(0), V::from(0), V::from(0), V::from(0), V::from(1), strs(&["X"])])
        .unwrap();
    assert_eq!(take(&log), vec![ev(0, 1, 1, 2)]);
    // The line inserted at the top moved the cursor down with its line, as in Neovim: `x` acts on
    // "B2" (row 1).
    e.feed_keys("x");
    assert_eq!(take(&log), vec![ev(1, 2, 2, 3)]);
    e.feed_keys("u");
    e.finish_command();
    assert_eq!(take(&log).len(), 1);
    e.execute_ex("enew").unwrap();
    e.execute_ex("bwipeout! 1").unwrap();
    assert_eq!(take(&log), vec![V::Array(vec![V::from("detach"), V::from(1)])]);
    assert!(
        c(&mut e, "nvim_buf_attach", vec![V::from(0), V::from(false), map(vec![("on_lines", V::from(1))])]).is_err()
    );
}

// ----- highlights (expected values: tests/nvim-reference/api_hl.out) --------------------------

#[test]
fn set_and_get_highlight_groups() {
    let mut e = ed("");
    let val = map(vec![
        ("fg", V::from("#ff0000")),
        ("bg", V::from(255)),
        ("bold", V::from(true)),
        ("italic", V::from(true)),
        ("sp", V::from("Red")),
        ("underline", V::from(true)),
        ("ctermfg", V::from(1)),
    ]);
    c(&mut e, "nvim_set_hl", vec![V::from(0), V::from("MyGroup"), val]).unwrap();
    let got = c(&mut e, "nvim_get_hl", vec![V::from(0), map(vec![("name", V::from("MyGroup"))])]).unwrap();
    // Neovim: { bg = 255, bold = true, cterm = {...}, ctermfg = 1, fg = 16711680, italic = true, sp = 16711680, underline = true }
    for (k, v) in [
        ("fg", V::from(16_711_680)),
        ("bg", V::from(255)),
        ("bold", V::from(true)),
        ("italic", V::from(true)),
        ("underline", V::from(true)),
        ("ctermfg", V::from(1)),
    ] {
        assert_eq!(field(&got, k), Some(v), "{k}");
    }
    assert!(field(&got, "sp").is_some());
    // The front end draws with it.
    assert!(e.highlights.resolve_name("MyGroup").bold);
    c(&mut e, "nvim_set_hl", vec![V::from(0), V::from("MyLink"), map(vec![("link", V::from("MyGroup"))])]).unwrap();
    assert_eq!(
        c(&mut e, "nvim_get_hl", vec![V::from(0), map(vec![("name", V::from("MyLink"))])]),
        Ok(map(vec![("link", V::from("MyGroup"))]))
    );
    let followed =
        c(&mut e, "nvim_get_hl", vec![V::from(0), map(vec![("name", V::from("MyLink")), ("link", V::from(false))])])
            .unwrap();
    assert_eq!(field(&followed, "fg"), Some(V::from(16_711_680)));
    assert_eq!(
        c(&mut e, "nvim_get_hl", vec![V::from(0), map(vec![("name", V::from("NoSuchGroupX"))])]),
        Ok(V::Map(vec![]))
    );
    assert_eq!(
        c(&mut e, "nvim_set_hl", vec![V::from(0), V::from("X"), map(vec![("fg", V::from("nocolor"))])])
            .map_err(|e| e.to_string()),
        Err("Invalid highlight color: 'nocolor'".into())
    );
    assert_eq!(
        c(&mut e, "nvim_set_hl", vec![V::from(0), V::from("X"), map(vec![("foo", V::from(1))])])
            .map_err(|e| e.to_string()),
        Err("invalid key: foo".into())
    );
    c(&mut e, "nvim_set_hl", vec![V::from(0), V::from("MyGroup"), map(vec![])]).unwrap();
    assert_eq!(c(&mut e, "nvim_get_hl", vec![V::from(0), map(vec![("name", V::from("MyGroup"))])]), Ok(V::Map(vec![])));
    // `default = true` keeps an existing definition (Neovim: fg stays 65280).
    c(&mut e, "nvim_set_hl", vec![V::from(0), V::from("MyD"), map(vec![("fg", V::from("#00ff00"))])]).unwrap();
    c(
        &mut e,
        "nvim_set_hl",
        vec![V::from(0), V::from("MyD"), map(vec![("fg", V::from("#0000ff")), ("default", V::from(true))])],
    )
    .unwrap();
    let d = c(&mut e, "nvim_get_hl", vec![V::from(0), map(vec![("name", V::from("MyD"))])]).unwrap();
    assert_eq!(field(&d, "fg"), Some(V::from(65_280)));
    let id = c(&mut e, "nvim_get_hl_id_by_name", vec![V::from("MyLink")]).unwrap();
    assert_eq!(
        c(&mut e, "nvim_get_hl", vec![V::from(0), map(vec![("id", id)])]),
        Ok(map(vec![("link", V::from("MyGroup"))]))
    );
}

// ----- ex commands: exec2, cmd, parse_cmd (expected values: tests/nvim-reference/api_hl.out) ---

#[test]
fn exec2_captures_output_and_reports_errors() {
    let mut e = ed("a\nb\nc");
    assert_eq!(
        c(&mut e, "nvim_exec2", vec![V::from("echo 'hi'\necho 'there'"), map(vec![("output", V::from(true))])]),
        Ok(map(vec![("output", V::from("hi\nthere"))]))
    );
    assert!(e.take_messages().is_empty());
    assert_eq!(c(&mut e, "nvim_exec2", vec![V::from("let g:q = 1"), map(vec![])]), Ok(V::Map(vec![])));
    assert_eq!(
        c(&mut e, "nvim_exec2", vec![V::from("nosuch"), map(vec![("output", V::from(true))])])
            .map_err(|e| e.to_string()),
        Err("nvim_exec2(), line 1: Vim:E492: Not an editor command: nosuch".into())
    );
    assert_eq!(
        c(&mut e, "nvim_exec2", vec![V::from("echo 1\necho undefined_var"), map(vec![])]).map_err(|e| e.to_string()),
        Err("nvim_exec2(), line 2: Vim(echo):E121: Undefined variable: undefined_var".into())
    );
    assert_eq!(c(&mut e, "nvim_exec", vec![V::from("echo 'x'"), V::from(true)]), Ok(V::from("x")));
}

#[test]
fn cmd_and_parse_cmd() {
    let mut e = ed("a\nb\nc");
    assert_eq!(
        c(
            &mut e,
            "nvim_cmd",
            vec![map(vec![("cmd", V::from("delete")), ("range", V::Array(vec![V::from(2)]))]), map(vec![])]
        ),
        Ok(V::from(""))
    );
    assert_eq!(text(&e), "a\nc");
    assert_eq!(
        c(
            &mut e,
            "nvim_cmd",
            vec![map(vec![("cmd", V::from("echo")), ("args", strs(&["'x'"]))]), map(vec![("output", V::from(true))])]
        ),
        Ok(V::from("x"))
    );
    assert_eq!(
        c(&mut e, "nvim_cmd", vec![map(vec![("cmd", V::from("nosuch"))]), map(vec![])]).map_err(|e| e.to_string()),
        Err("Command not found: nosuch".into())
    );
    assert_eq!(
        c(&mut e, "nvim_cmd", vec![map(vec![]), map(vec![])]).map_err(|e| e.to_string()),
        Err("Required: 'cmd'".into())
    );
    let p = c(&mut e, "nvim_parse_cmd", vec![V::from("2,3s/a/b/g"), map(vec![])]).unwrap();
    // Neovim: { addr = "line", args = { "/a/b/g" }, bang = false, cmd = "substitute", nextcmd = "", range = { 2, 3 }, ... }
    for (k, v) in [
        ("cmd", V::from("substitute")),
        ("bang", V::from(false)),
        ("args", strs(&["/a/b/g"])),
        ("range", V::Array(vec![V::from(2), V::from(3)])),
        ("addr", V::from("line")),
        ("nextcmd", V::from("")),
    ] {
        assert_eq!(field(&p, k), Some(v), "{k}");
    }
    let p = c(&mut e, "nvim_parse_cmd", vec![V::from("w! foo.txt"), map(vec![])]).unwrap();
    assert_eq!(
        (field(&p, "cmd"), field(&p, "bang"), field(&p, "args")),
        (Some(V::from("write")), Some(V::from(true)), Some(strs(&["foo.txt"])))
    );
    assert_eq!(
        c(&mut e, "nvim_parse_cmd", vec![V::from("nosuch"), map(vec![])]).map_err(|e| e.to_string()),
        Err("Error while parsing command line: E492: Not an editor command: nosuch".into())
    );
}

// ----- input, text width, messages, runtime files --------------------------------------------

#[test]
fn termcodes_round_trip_through_feedkeys() {
    let mut e = ed("abc def");
    let tc = |e: &mut Editor, s: &str, lt: bool| {
        c(e, "nvim_replace_termcodes", vec![V::from(s), V::from(true), V::from(lt), V::from(true)]).unwrap()
    };
    // Neovim: "<C-a><CR><Esc>x<lt>" -> "\1\r\27x<".
    assert_eq!(tc(&mut e, "<C-a><CR><Esc>x<lt>", true), V::from("\u{1}\r\u{1b}x<"));
    assert_eq!(tc(&mut e, "<lt>", false), V::from("<lt>"));
    assert_eq!(
        c(&mut e, "nvim_replace_termcodes", vec![V::from("<Tab>"), V::from(false), V::from(false), V::from(false)]),
        Ok(V::from("<Tab>"))
    );
    c(&mut e, "nvim_set_var", vec![V::from("mapleader"), V::from(",")]).unwrap();
    assert_eq!(tc(&mut e, "<Leader>x", true), V::from(",x"));
    let keys = tc(&mut e, "wiX<Esc>", true);
    c(&mut e, "nvim_feedkeys", vec![keys, V::from("nx"), V::from(false)]).unwrap();
    assert_eq!(text(&e), "abc Xdef");
    let bs = tc(&mut e, "A<BS><BS><Esc>", true);
    c(&mut e, "nvim_feedkeys", vec![bs, V::from("n"), V::from(false)]).unwrap();
    // Without `x` the keys wait for the key loop.
    assert_eq!(text(&e), "abc Xdef");
    e.run_queued_keys();
    assert_eq!(text(&e), "abc Xd");
    assert_eq!(c(&mut e, "nvim_input", vec![V::from("0x")]), Ok(V::from(2)));
    assert_eq!(text(&e), "abc Xd");
    e.run_queued_keys();
    assert_eq!(text(&e), "bc Xd");
}

#[test]
fn strwidth_messages_and_runtime_files() {
    let mut e = ed("");
    // Neovim: { 5, 4, 1 }.
    assert_eq!(c(&mut e, "nvim_strwidth", vec![V::from("héllo")]), Ok(V::from(5)));
    assert_eq!(c(&mut e, "nvim_strwidth", vec![V::from("日本")]), Ok(V::from(4)));
    assert_eq!(c(&mut e, "nvim_strwidth", vec![V::from("\t")]), Ok(V::from(1)));
    assert!(c(&mut e, "nvim_strwidth", vec![V::from(3)]).is_err());
    c(&mut e, "nvim_err_writeln", vec![V::from("boom")]).unwrap();
    c(&mut e, "nvim_out_write", vec![V::from("out\n")]).unwrap();
    let msgs: Vec<(crate::message::Level, String)> = e.take_messages().into_iter().map(|m| (m.level, m.text)).collect();
    assert_eq!(
        msgs,
        vec![(crate::message::Level::Error, "boom".to_string()), (crate::message::Level::Info, "out".to_string())]
    );
    let dir = std::env::temp_dir().join(format!("rtdvi-api-rtp-{}", std::process::id()));
    let lua = dir.join("lua");
    std::fs::create_dir_all(&lua).unwrap();
    std::fs::write(lua.join("a.lua"), "").unwrap();
    std::fs::write(lua.join("b.lua"), "").unwrap();
    let rtp = dir.display().to_string();
    c(&mut e, "nvim_set_option_value", vec![V::from("runtimepath"), V::from(rtp.as_str())]).unwrap();
    assert_eq!(c(&mut e, "nvim_list_runtime_paths", vec![]), Ok(strs(&[rtp.as_str()])));
    let a = lua.join("a.lua").display().to_string();
    let b = lua.join("b.lua").display().to_string();
    assert_eq!(
        c(&mut e, "nvim_get_runtime_file", vec![V::from("lua/*.lua"), V::from(true)]),
        Ok(strs(&[a.as_str(), b.as_str()]))
    );
    assert_eq!(c(&mut e, "nvim_get_runtime_file", vec![V::from("lua/b.lua"), V::from(false)]), Ok(strs(&[b.as_str()])));
    assert_eq!(c(&mut e, "nvim_get_runtime_file", vec![V::from("lua/none.lua"), V::from(true)]), Ok(strs(&[])));
    let _ = std::fs::remove_dir_all(&dir);
}

// ----- floating windows (expected values: tests/nvim-reference/api_float.out) ----------------

#[test]
fn floating_windows_open_configure_and_close() {
    let mut e = ed("a");
    e.set_screen_size(80, 24);
    let b = c(&mut e, "nvim_create_buf", vec![V::from(false), V::from(true)]).unwrap();
    let cfg = map(vec![
        ("relative", V::from("editor")),
        ("row", V::from(2)),
        ("col", V::from(3)),
        ("width", V::from(10)),
        ("height", V::from(4)),
        ("border", V::from("single")),
        ("style", V::from("minimal")),
        ("zindex", V::from(60)),
    ]);
    let w = c(&mut e, "nvim_open_win", vec![b.clone(), V::from(false), cfg]).unwrap();
    assert_ne!(w, V::from(e.current.0));
    let got = c(&mut e, "nvim_win_get_config", vec![w.clone()]).unwrap();
    for (k, v) in [
        ("relative", V::from("editor")),
        ("row", V::from(2)),
        ("col", V::from(3)),
        ("width", V::from(10)),
        ("height", V::from(4)),
        ("zindex", V::from(60)),
        ("anchor", V::from("NW")),
        ("focusable", V::from(true)),
    ] {
        assert_eq!(field(&got, k), Some(v), "{k}");
    }
    assert_eq!(field(&got, "border").and_then(|b| b.as_array().map(Vec::len)), Some(8));
    // Neovim: position {2, 3}, height 4, width 10.
    assert_eq!(c(&mut e, "nvim_win_get_position", vec![w.clone()]), Ok(pos(2, 3)));
    assert_eq!(c(&mut e, "nvim_win_get_height", vec![w.clone()]), Ok(V::from(4)));
    assert_eq!(c(&mut e, "nvim_win_get_width", vec![w.clone()]), Ok(V::from(10)));
    let main = V::from(e.current.0);
    assert_eq!(c(&mut e, "nvim_list_wins", vec![]), Ok(V::Array(vec![main.clone(), w.clone()])));
    assert_eq!(
        c(&mut e, "nvim_get_option_value", vec![V::from("number"), map(vec![("win", w.clone())])]),
        Ok(V::from(false))
    );
    c(
        &mut e,
        "nvim_win_set_config",
        vec![
            w.clone(),
            map(vec![
                ("relative", V::from("editor")),
                ("row", V::from(5)),
                ("col", V::from(1)),
                ("width", V::from(20)),
                ("height", V::from(3)),
            ]),
        ],
    )
    .unwrap();
    let got = c(&mut e, "nvim_win_get_config", vec![w.clone()]).unwrap();
    assert_eq!(
        (field(&got, "row"), field(&got, "width"), field(&got, "zindex")),
        (Some(V::from(5)), Some(V::from(20)), Some(V::from(60)))
    );
    let normal = c(&mut e, "nvim_win_get_config", vec![main.clone()]).unwrap();
    assert_eq!(field(&normal, "relative"), Some(V::from("")));
    let err = |e: &mut Editor, o: Vec<(&str, V)>| {
        c(e, "nvim_open_win", vec![b.clone(), V::from(false), map(o)]).map_err(|e| e.to_string()).unwrap_err()
    };
    let base = |extra: Vec<(&'static str, V)>| {
        let mut v = vec![
            ("relative", V::from("editor")),
            ("row", V::from(0)),
            ("col", V::from(0)),
            ("width", V::from(1)),
            ("height", V::from(1)),
        ];
        v.extend(extra);
        v
    };
    assert_eq!(
        err(
            &mut e,
            vec![("relative", V::from("editor")), ("row", V::from(0)), ("col", V::from(0)), ("height", V::from(1))]
        ),
        "Must specify 'width'"
    );
    assert_eq!(err(&mut e, base(vec![("relative", V::from("nope"))])), "Invalid value of 'relative' key");
    assert_eq!(err(&mut e, base(vec![("width", V::from(0))])), "'width' key must be a positive Integer");
    assert_eq!(err(&mut e, base(vec![("border", V::from("nope"))])), "invalid border style \"nope\"");
    assert_eq!(err(&mut e, base(vec![("nope", V::from(1))])), "invalid key: nope");
    assert_eq!(err(&mut e, base(vec![("style", V::from("x"))])), "Invalid value of 'style' key");
    // Entering a cursor-relative float; closing it returns to the previous window.
    let w2 = c(
        &mut e,
        "nvim_open_win",
        vec![
            b.clone(),
            V::from(true),
            map(vec![
                ("relative", V::from("cursor")),
                ("row", V::from(1)),
                ("col", V::from(0)),
                ("width", V::from(5)),
                ("height", V::from(1)),
                ("anchor", V::from("NE")),
            ]),
        ],
    )
    .unwrap();
    assert_eq!(V::from(e.current.0), w2);
    let got = c(&mut e, "nvim_win_get_config", vec![w2]).unwrap();
    assert_eq!(
        (field(&got, "relative"), field(&got, "win"), field(&got, "anchor")),
        (Some(V::from("win")), Some(main.clone()), Some(V::from("NE")))
    );
    c(&mut e, "nvim_win_close", vec![V::from(0), V::from(true)]).unwrap();
    assert_eq!(V::from(e.current.0), main);
    assert_eq!(e.floats_in_order(), vec![crate::window::WindowId(u32::try_from(w.as_i64().unwrap_or(0)).unwrap_or(0))]);
    c(&mut e, "nvim_win_close", vec![w, V::from(false)]).unwrap();
    assert_eq!(c(&mut e, "nvim_list_wins", vec![]), Ok(V::Array(vec![main.clone()])));
    // A split through nvim_open_win.
    let w3 = c(
        &mut e,
        "nvim_open_win",
        vec![V::from(0), V::from(false), map(vec![("split", V::from("below")), ("height", V::from(5))])],
    )
    .unwrap();
    assert_eq!(V::from(e.current.0), main);
    assert_eq!(c(&mut e, "nvim_win_get_height", vec![w3.clone()]), Ok(V::from(5)));
    let got = c(&mut e, "nvim_win_get_config", vec![w3]).unwrap();
    assert_eq!(field(&got, "split"), Some(V::from("below")));
}

// ----- operatorfunc ---------------------------------------------------------------------------

#[test]
fn operatorfunc_callback_gets_the_motion_type_and_marks() {
    let mut e = ed("one two\nthree");
    let log: Log = Default::default();
    let mut host = TestHost::default();
    let l = log.clone();
    host.add(move |e, args| {
        l.borrow_mut().extend(args);
        let a = c(e, "nvim_buf_get_mark", vec![V::from(0), V::from("[")]).unwrap_or(V::Nil);
        let b = c(e, "nvim_buf_get_mark", vec![V::from(0), V::from("]")]).unwrap_or(V::Nil);
        l.borrow_mut().extend([a, b]);
        Ok(V::Nil)
    });
    with_host(&mut e, host);
    c(&mut e, "nvim_set_option_value", vec![V::from("operatorfunc"), V::from("<Lua 0>")]).unwrap();
    e.feed_keys("g@w");
    assert_eq!(*log.borrow(), vec![V::from("char"), pos(1, 0), pos(1, 3)]);
    log.borrow_mut().clear();
    e.feed_keys("g@j");
    assert_eq!(*log.borrow(), vec![V::from("line"), pos(1, 0), pos(2, 0)]);
}

#[test]
fn every_entry_is_documented() {
    let doc = include_str!("../../../../doc/api.md");
    for e in table() {
        assert!(doc.contains(e.name), "doc/api.md does not mention {}", e.name);
    }
}

#[test]
fn get_mode_follows_the_engine() {
    let mut e = ed("abc");
    let mode = |e: &mut Editor| field(&c(e, "nvim_get_mode", vec![]).unwrap_or(V::Nil), "mode");
    assert_eq!(mode(&mut e), Some(V::from("n")));
    e.feed_keys("i");
    assert_eq!(mode(&mut e), Some(V::from("i")));
    e.feed_keys("<Esc>v");
    assert_eq!(mode(&mut e), Some(V::from("v")));
}

#[test]
fn out_write_and_echo_with_history_are_kept() {
    let mut e = ed("abc");
    c(&mut e, "nvim_out_write", vec![V::from("written\n")]).unwrap();
    let chunks = V::Array(vec![V::Array(vec![V::from("kept")])]);
    c(&mut e, "nvim_echo", vec![chunks.clone(), V::from(true), map(vec![])]).unwrap();
    c(&mut e, "nvim_echo", vec![V::Array(vec![V::Array(vec![V::from("gone")])]), V::from(false), map(vec![])]).unwrap();
    let kept: Vec<String> = e.messages.history().iter().map(|m| m.text.clone()).collect();
    assert_eq!(kept, vec!["written".to_string(), "kept".to_string()]);
}

#[test]
fn vvars_are_read_from_the_expression_layer() {
    let mut e = ed("abc");
    assert_eq!(c(&mut e, "nvim_get_vvar", vec![V::from("count")]), Ok(V::from(0)));
    assert_eq!(c(&mut e, "nvim_get_vvar", vec![V::from("count1")]), Ok(V::from(1)));
    assert_eq!(
        c(&mut e, "nvim_get_vvar", vec![V::from("nosuch")]).map_err(|e| e.to_string()),
        Err("Key not found: nosuch".into())
    );
}

#[test]
fn set_vvar_writes_only_writable_vvars() {
    let mut e = ed("abc");
    let err = |r: Result<V, ApiError>| r.map_err(|e| e.to_string());
    assert_eq!(c(&mut e, "nvim_get_vvar", vec![V::from("hlsearch")]), Ok(V::from(1)));
    c(&mut e, "nvim_set_vvar", vec![V::from("hlsearch"), V::from(0)]).unwrap();
    assert_eq!(c(&mut e, "nvim_get_vvar", vec![V::from("hlsearch")]), Ok(V::from(0)));
    c(&mut e, "nvim_set_vvar", vec![V::from("errmsg"), V::from("oops")]).unwrap();
    assert_eq!(c(&mut e, "nvim_get_vvar", vec![V::from("errmsg")]), Ok(V::from("oops")));
    c(&mut e, "nvim_set_vvar", vec![V::from("searchforward"), V::from(0)]).unwrap();
    assert_eq!(c(&mut e, "nvim_get_vvar", vec![V::from("searchforward")]), Ok(V::from(0)));
    assert_eq!(
        err(c(&mut e, "nvim_set_vvar", vec![V::from("count"), V::from(3)])),
        Err("Key is read-only: count".into())
    );
    assert_eq!(err(c(&mut e, "nvim_set_vvar", vec![V::from("nosuch"), V::from(3)])), Err("Dict is locked".into()));
}

#[test]
fn set_lines_above_moves_the_cursor_of_every_window_on_the_buffer() {
    let mut e = ed("one\ntwo\nthree");
    e.set_cursor(2, 3);
    e.execute_ex("split").unwrap();
    e.set_cursor(1, 1);
    c(&mut e, "nvim_buf_set_lines", vec![V::from(0), V::from(0), V::from(0), V::from(false), strs(&["new"])]).unwrap();
    let cursors: Vec<(usize, usize)> = e.windows.iter().map(|w| (w.cursor.row, w.cursor.col)).collect();
    assert_eq!(cursors.len(), 2);
    assert!(cursors.contains(&(3, 3)) && cursors.contains(&(2, 1)), "{cursors:?}");
}

#[test]
fn set_text_before_the_cursor_shifts_it() {
    let mut e = ed("abcdef");
    e.set_cursor(0, 4);
    c(&mut e, "nvim_buf_set_text", vec![V::from(0), V::from(0), V::from(0), V::from(0), V::from(2), strs(&["X"])])
        .unwrap();
    assert_eq!(text(&e), "Xcdef");
    assert_eq!((e.cursor().row, e.cursor().col), (0, 3));
}

#[test]
fn join_moves_extmarks_with_their_text() {
    let mut e = ed("first line\n  second line here\nthird");
    let ns = c(&mut e, "nvim_create_namespace", vec![V::from("j")]).unwrap();
    let id =
        c(&mut e, "nvim_buf_set_extmark", vec![V::from(0), ns.clone(), V::from(1), V::from(5), map(vec![])]).unwrap();
    e.feed_keys("J");
    assert_eq!(text(&e), "first line second line here\nthird");
    let pos = c(&mut e, "nvim_buf_get_extmark_by_id", vec![V::from(0), ns, id, map(vec![])]).unwrap();
    // Column 5 of "  second..." is 's'+3 ("cond"): 11 + 3 after the join.
    assert_eq!(pos, V::Array(vec![V::from(0), V::from(14)]));
}

#[test]
fn feedkeys_with_x_ends_insert_mode() {
    let mut e = ed("abc");
    c(&mut e, "nvim_feedkeys", vec![V::from("Ax"), V::from("nx"), V::from(false)]).unwrap();
    assert_eq!((text(&e), e.mode()), ("abcx".to_string(), "n".to_string()));
    c(&mut e, "nvim_feedkeys", vec![V::from("Ay"), V::from("nx!"), V::from(false)]).unwrap();
    assert_eq!((text(&e), e.mode()), ("abcxy".to_string(), "i".to_string()));
}

#[test]
fn on_key_callbacks_see_keys_and_can_discard_them() {
    let mut e = ed("abc");
    let log: Log = Default::default();
    let mut host = TestHost::default();
    let l = log.clone();
    let cb = host.add(move |_, args| {
        l.borrow_mut().push(V::Array(args.clone()));
        // Discard every `l`.
        Ok(if args.first() == Some(&V::from("l")) { V::from("") } else { V::Nil })
    });
    with_host(&mut e, host);
    c(&mut e, "nvim_set_keymap", vec![V::from("n"), V::from("Q"), V::from("l"), V::Map(vec![])]).unwrap();
    c(&mut e, "rtdvi_on_key", vec![V::from(3), cb]).unwrap();
    e.feed_keys("Qx");
    assert_eq!(text(&e), "bc", "the l from Q was discarded, x deleted at column 0");
    let pair = |k: &str, t: &str| V::Array(vec![V::from(k), V::from(t)]);
    // Neovim: x is typed as its long form `dl`, which on_key sees too.
    assert_eq!(*log.borrow(), [pair("l", "Q"), pair("x", "x"), pair("d", ""), pair("l", "")]);
    c(&mut e, "rtdvi_on_key", vec![V::from(3), V::Nil]).unwrap();
    e.feed_keys("x");
    assert_eq!(log.borrow().len(), 4, "removed");
    assert_eq!(text(&e), "c");
}

#[test]
fn v_char_changes_what_insert_char_pre_inserts() {
    let mut e = ed("");
    let mut host = TestHost::default();
    let cb = host.add(|e, _| {
        let ch = c(e, "nvim_get_vvar", vec![V::from("char")]).map_err(|e| e.to_string())?;
        let new = match ch.as_str() {
            Some("a") => "A",
            Some("x") => "",
            Some("(") => "()",
            Some(other) => other,
            None => "?",
        }
        .to_string();
        c(e, "nvim_set_vvar", vec![V::from("char"), V::from(new)]).map_err(|e| e.to_string())?;
        Ok(V::Nil)
    });
    with_host(&mut e, host);
    let opts = V::Map(vec![(V::from("callback"), cb)]);
    c(&mut e, "nvim_create_autocmd", vec![V::from("InsertCharPre"), opts]).unwrap();
    e.feed_keys("iabx(<Esc>");
    assert_eq!(text(&e), "Ab()");
    e.feed_keys("0Rxa<Esc>");
    assert_eq!(text(&e), "Ab()", "replace mode: x inserts nothing, a replaces A with A");
    assert_eq!(c(&mut e, "nvim_get_vvar", vec![V::from("char")]), Ok(V::from("")));
    assert!(c(&mut e, "nvim_set_vvar", vec![V::from("count"), V::from(1)]).is_err());
}

#[test]
fn v_event_is_filled_during_text_yank_post() {
    let mut e = ed("one two");
    let log: Log = Default::default();
    let mut host = TestHost::default();
    let l = log.clone();
    let cb = host.add(move |e, _| {
        let ev = c(e, "nvim_get_vvar", vec![V::from("event")]).map_err(|e| e.to_string())?;
        l.borrow_mut().push(ev);
        Ok(V::Nil)
    });
    with_host(&mut e, host);
    let opts = V::Map(vec![(V::from("callback"), cb)]);
    c(&mut e, "nvim_create_autocmd", vec![V::from("TextYankPost"), opts]).unwrap();
    e.feed_keys("\"ayiw");
    let ev = log.borrow().first().cloned().unwrap_or(V::Nil);
    let get = |k: &str| ev.as_map().and_then(|m| m.iter().find(|(n, _)| n.as_str() == Some(k)).map(|(_, v)| v.clone()));
    assert_eq!(get("operator"), Some(V::from("y")));
    assert_eq!(get("regname"), Some(V::from("a")));
    assert_eq!(get("regtype"), Some(V::from("v")));
    assert_eq!(get("regcontents"), Some(V::Array(vec![V::from("one")])));
    assert_eq!(get("visual"), Some(V::Boolean(false)));
    assert_eq!(c(&mut e, "nvim_get_vvar", vec![V::from("event")]), Ok(V::Map(vec![])), "empty afterwards");
}

#[test]
fn input_functions_read_queued_keys() {
    let mut e = ed("");
    let call = |e: &mut Editor, f: &str, args: Vec<V>| c(e, "nvim_call_function", vec![V::from(f), V::Array(args)]);
    c(&mut e, "nvim_feedkeys", vec![V::from("ab"), V::from("t"), V::from(false)]).unwrap();
    assert_eq!(call(&mut e, "getchar", vec![]), Ok(V::from(97)));
    assert_eq!(call(&mut e, "getcharstr", vec![]), Ok(V::from("b")));
    assert_eq!(call(&mut e, "getcharstr", vec![]), Ok(V::from("")), "nothing pending");
    c(&mut e, "nvim_feedkeys", vec![V::from("xyz\x7f\r"), V::from("t"), V::from(false)]).unwrap();
    assert_eq!(call(&mut e, "input", vec![V::from("q? "), V::from("d:")]), Ok(V::from("d:xy")));
    assert_eq!(call(&mut e, "input", vec![V::from("q? "), V::from("def")]), Ok(V::from("def")), "nothing typed");
    c(&mut e, "nvim_feedkeys", vec![V::from("xy\x1b"), V::from("t"), V::from(false)]).unwrap();
    let opts = V::Map(vec![(V::from("prompt"), V::from("q")), (V::from("cancelreturn"), V::from("no"))]);
    assert_eq!(call(&mut e, "input", vec![opts]), Ok(V::from("no")));
    c(&mut e, "nvim_feedkeys", vec![V::from("12\r"), V::from("t"), V::from(false)]).unwrap();
    assert_eq!(call(&mut e, "inputlist", vec![V::Array(vec![V::from("pick")])]), Ok(V::from(12)));
    assert_eq!(call(&mut e, "inputlist", vec![V::Array(vec![V::from("pick")])]), Ok(V::from(0)));
    assert_eq!(text(&e), "", "the keys were read, not run");
}
