//! Every import of the rtdvi ABI, exercised by WAT plugins on both engines.

mod support;

use support::*;

/// The seed's hello example: `:greet` runs the plugin's command and sets the status.
#[test]
fn seed_hello_command_sets_status_on_both_engines() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, "text");
        let wat = plugin(&format!(
            r#"{}
  (data (i32.const 8) "Hello from WAT!")
  (func (export "run_command") (param i32 i32 i32 i32) (result i32)
    (call $status (i32.const 8) (i32.const 15))
    (i32.const 0))"#,
            init_registering("greet")
        ));
        assert_eq!(load(&mut ed, &host, kind, "hello", &wat, "{}"), Ok(()), "{kind}");
        assert!(ed.execute_ex("greet").is_ok(), "{kind}");
        assert_eq!(messages(&mut ed), vec!["Hello from WAT!".to_string()], "{kind}");
        assert!(host.borrow().has_command("greet"));
    }
}

/// `run_command` gets the name and the arguments as a JSON array of strings; `rtdvi_init` gets the
/// config object; `rtdvi_log` goes to the messages (stderr) in headless mode.
#[test]
fn command_arguments_and_config_arrive_as_json() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, "");
        let wat = plugin(
            r#"(data (i32.const 0) "Echo")
  (func (export "rtdvi_init") (param $p i32) (param $n i32) (result i32)
    (call $log (local.get $p) (local.get $n))
    (drop (call $reg_cmd (i32.const 0) (i32.const 4)))
    (i32.const 0))
  (func (export "run_command") (param $np i32) (param $nl i32) (param $ap i32) (param $al i32) (result i32)
    (call $status (local.get $np) (local.get $nl))
    (call $status (local.get $ap) (local.get $al))
    (i32.const 0))"#,
        );
        assert_eq!(load(&mut ed, &host, kind, "echo", &wat, r#"{"cmd":"rustfmt","n":[1,2]}"#), Ok(()));
        assert_eq!(messages(&mut ed), vec![r#"echo: {"cmd":"rustfmt","n":[1,2]}"#.to_string()]);
        assert!(ed.execute_ex(r"Echo a  b\ c é").is_ok());
        assert_eq!(messages(&mut ed), vec!["Echo".to_string(), r#"["a","b c","é"]"#.to_string()], "{kind}");
        assert!(ed.execute_ex("Echo").is_ok());
        assert_eq!(messages(&mut ed), vec!["Echo".to_string(), "[]".to_string()]);
    }
}

/// Reads: ids, line count, lines (bytes, truncated at a character boundary), cursor (characters),
/// options; bad ids and rows give -1.
#[test]
fn read_imports_report_lines_cursor_and_options() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, "héllo wörld\nsecond\nthird");
        ed.set_cursor(1, 3);
        let wat = plugin(&format!(
            r#"{}
  (data (i32.const 16) "tabstop")
  (data (i32.const 24) "nosuchoption")
  (func (export "run_command") (param i32 i32 i32 i32) (result i32)
    (local $n i32)
    (call $num (call $buf))
    (call $num (call $win))
    (call $num (call $line_count (i32.const 0)))
    (call $num (call $line_count (i32.const 77)))
    (local.set $n (call $get_line (i32.const 0) (i32.const 0) (i32.const 2048) (i32.const 100)))
    (call $status (i32.const 2048) (local.get $n))
    ;; 2 bytes fit "h" only: "é" is not cut in half.
    (call $num (call $get_line (i32.const 0) (i32.const 0) (i32.const 2048) (i32.const 2)))
    (call $num (call $get_line (i32.const 0) (i32.const 3) (i32.const 2048) (i32.const 100)))
    (call $num (call $get_line (i32.const 0) (i32.const -1) (i32.const 2048) (i32.const 100)))
    (call $num64 (call $get_cursor (i32.const 0)))
    (call $num64 (call $get_cursor (i32.const 5)))
    (local.set $n (call $get_opt (i32.const 16) (i32.const 7) (i32.const 2048) (i32.const 10)))
    (call $status (i32.const 2048) (local.get $n))
    (call $num (call $get_opt (i32.const 24) (i32.const 12) (i32.const 2048) (i32.const 10)))
    (i32.const 0))"#,
            init_registering("Reads")
        ));
        assert_eq!(load(&mut ed, &host, kind, "reads", &wat, "{}"), Ok(()));
        assert!(ed.execute_ex("Reads").is_ok());
        let cursor = ((1i64 << 32) | 3).to_string();
        let want = ["1", "1000", "3", "-1", "héllo wörld", "1", "-1", "-1", &cursor, "-1", "8", "-1"];
        assert_eq!(messages(&mut ed), want.map(String::from).to_vec(), "{kind}");
    }
}

/// Writes: insert and delete at character positions, cursor moves; all one undo step, undone
/// together by `u`.
#[test]
fn write_imports_edit_by_characters_and_undo_as_one_step() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, "héllo\nworld");
        let wat = plugin(&format!(
            r#"{}
  (data (i32.const 16) "ÄB\nC")
  (func (export "run_command") (param i32 i32 i32 i32) (result i32)
    ;; after "hé": insert "ÄB\nC" (5 bytes, 4 characters).
    (call $num (call $insert (i32.const 0) (i32.const 2) (i32.const 16) (i32.const 5)))
    ;; delete "l" right after the inserted text (chars 6..7).
    (call $num (call $delete (i32.const 0) (i32.const 6) (i32.const 7)))
    (call $num (call $set_cursor (i32.const 0) (i32.const 1) (i32.const 2)))
    (call $num64 (call $get_cursor (i32.const 0)))
    ;; refused: past the end, start > end, bad buffer, bad row.
    (call $num (call $insert (i32.const 0) (i32.const 999) (i32.const 16) (i32.const 2)))
    (call $num (call $delete (i32.const 0) (i32.const 3) (i32.const 2)))
    (call $num (call $delete (i32.const 9) (i32.const 0) (i32.const 1)))
    (call $num (call $set_cursor (i32.const 0) (i32.const 40) (i32.const 0)))
    (i32.const 0))"#,
            init_registering("Edit")
        ));
        assert_eq!(load(&mut ed, &host, kind, "edit", &wat, "{}"), Ok(()));
        ed.sync_undo();
        assert!(ed.execute_ex("Edit").is_ok());
        let cursor = ((1i64 << 32) | 2).to_string();
        let want = ["0", "0", "0", &cursor, "-1", "-1", "-1", "-1"];
        assert_eq!(messages(&mut ed), want.map(String::from).to_vec(), "{kind}");
        assert_eq!(ed.buf().text.to_string(), "héÄB\nClo\nworld", "{kind}");
        ed.sync_undo();
        assert!(ed.execute_ex("undo").is_ok());
        assert_eq!(ed.buf().text.to_string(), "héllo\nworld", "{kind}");
    }
}

/// `rtdvi_call` reaches the API table with msgpack; a later read sees an earlier write; errors come
/// back as `[message, nil]`; malformed arguments give -1.
#[test]
fn generic_call_reads_its_own_writes_and_reports_errors() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, "old");
        // [0, 0, -1, false, ["new", "two"]] and [0, 0, -1, false] in msgpack.
        let wat = plugin(&format!(
            r#"{}
  (data (i32.const 16) "nvim_buf_set_lines")
  (data (i32.const 40) "\95\00\00\ff\c2\92\a3new\a3two")
  (data (i32.const 64) "nvim_buf_get_lines")
  (data (i32.const 88) "\94\00\00\ff\c2")
  (data (i32.const 96) "nope")
  (data (i32.const 100) "\90")
  (data (i32.const 104) "rtdvi_api_version")
  (func (export "run_command") (param i32 i32 i32 i32) (result i32)
    (local $r i64) (local $p i32)
    (local.set $r (call $call (i32.const 16) (i32.const 18) (i32.const 40) (i32.const 14)))
    ;; reply [nil, nil]: 3 bytes
    (call $num (i32.wrap_i64 (i64.and (local.get $r) (i64.const 0xffffffff))))
    (local.set $r (call $call (i32.const 64) (i32.const 18) (i32.const 88) (i32.const 5)))
    ;; reply 92 c0 92 a3 "new" a3 "two": show "new"
    (local.set $p (i32.wrap_i64 (i64.shr_u (local.get $r) (i64.const 32))))
    (call $status (i32.add (local.get $p) (i32.const 4)) (i32.const 3))
    (local.set $r (call $call (i32.const 96) (i32.const 4) (i32.const 100) (i32.const 1)))
    ;; reply 92 b4 "Invalid method: nope" c0
    (local.set $p (i32.wrap_i64 (i64.shr_u (local.get $r) (i64.const 32))))
    (call $status (i32.add (local.get $p) (i32.const 2)) (i32.const 20))
    ;; malformed msgpack, bad pointer, api version (positive)
    (call $num64 (call $call (i32.const 64) (i32.const 18) (i32.const 40) (i32.const 3)))
    (call $num64 (call $call (i32.const 64) (i32.const 18) (i32.const -5) (i32.const 4)))
    (call $num (i64.gt_s (call $call (i32.const 104) (i32.const 17) (i32.const 100) (i32.const 1)) (i64.const 0)))
    (i32.const 0))"#,
            init_registering("Call")
        ));
        assert_eq!(load(&mut ed, &host, kind, "call", &wat, "{}"), Ok(()));
        assert!(ed.execute_ex("Call").is_ok());
        let want = ["3", "new", "Invalid method: nope", "-1", "-2", "1"];
        assert_eq!(messages(&mut ed), want.map(String::from).to_vec(), "{kind}");
        assert_eq!(ed.buf().text.to_string(), "new\ntwo");
    }
}

/// `rtdvi_bind_key` binds in any mode with `<leader>` expanded; the key runs the export.
#[test]
fn key_bindings_expand_leader_and_run_the_export() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, "abc");
        let wat = plugin(
            r#"(data (i32.const 0) "n<leader>hinsert<C-k>on_key")
  (data (i32.const 40) "key!")
  (func (export "rtdvi_init") (param i32 i32) (result i32)
    (call $num (call $bind (i32.const 0) (i32.const 1) (i32.const 1) (i32.const 9) (i32.const 21) (i32.const 6)))
    (call $num (call $bind (i32.const 10) (i32.const 6) (i32.const 16) (i32.const 5) (i32.const 21) (i32.const 6)))
    ;; unknown mode, empty keys
    (call $num (call $bind (i32.const 40) (i32.const 4) (i32.const 1) (i32.const 9) (i32.const 21) (i32.const 6)))
    (call $num (call $bind (i32.const 0) (i32.const 1) (i32.const 1) (i32.const 0) (i32.const 21) (i32.const 6)))
    (i32.const 0))
  (func (export "on_key") (call $status (i32.const 40) (i32.const 4)))"#,
        );
        assert_eq!(load(&mut ed, &host, kind, "keys", &wat, "{}"), Ok(()));
        let msgs = messages(&mut ed);
        assert_eq!(msgs.iter().filter(|m| *m == "0").count(), 2, "{msgs:?}");
        assert_eq!(msgs.iter().filter(|m| *m == "-1").count(), 2, "{msgs:?}");
        ed.feed_keys("\\h");
        assert_eq!(messages(&mut ed), vec!["key!".to_string()], "{kind}");
        ed.feed_keys("i<C-k>x<Esc>");
        assert_eq!(messages(&mut ed), vec!["key!".to_string()], "{kind}");
        assert_eq!(ed.buf().text.to_string(), "xabc");
    }
}

/// Indent providers: `compute_indent` answers for `o` on its filetype; -1 falls back.
#[test]
fn indent_provider_answers_for_o_and_falls_back_on_minus_one() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, "  int x;\n  skip");
        let wat = plugin(
            r#"(data (i32.const 0) "c")
  (func (export "rtdvi_init") (param i32 i32) (result i32)
    (call $reg_indent (i32.const 0) (i32.const 1)))
  (func (export "compute_indent") (param $buf i32) (param $prev i32) (param $out i32) (param $max i32) (result i32)
    ;; row 2 ("skip") as prev: fall back.
    (if (i32.eq (local.get $prev) (i32.const 2)) (then (return (i32.const -1))))
    (i32.store8 (local.get $out) (i32.const 9))
    (i32.store8 (i32.add (local.get $out) (i32.const 1)) (i32.const 9))
    (i32.const 2))"#,
        );
        assert_eq!(load(&mut ed, &host, kind, "rules", &wat, "{}"), Ok(()));
        assert!(ed.execute_ex("set filetype=c autoindent").is_ok());
        ed.feed_keys("ox<Esc>");
        assert_eq!(ed.buf().line(1), "\t\tx", "{kind}");
        ed.feed_keys("jox<Esc>");
        assert_eq!(ed.buf().line(3), "  x", "{kind}");
        // `=` and `<CR>` ask too (prev_row -1 for the first line).
        ed.buf_mut().text = ropey::Rope::from_str("a\nb");
        ed.feed_keys("gg=G");
        assert_eq!(ed.buf().text.to_string(), "\t\ta\n\t\tb", "{kind}");
        ed.feed_keys("ggA<CR>z<Esc>");
        assert_eq!(ed.buf().line(1), "\t\tz", "{kind}");
        assert!(host.borrow().provides_indent("c"));
    }
}

/// A provider whose answer shows what it saw: as many spaces as the buffer has lines, then one
/// tab per byte of the line being indented (row `prev_row + 1`); -1 if that line does not exist.
const NEW_LINE_WITNESS: &str = r#"(data (i32.const 0) "c")
  (func (export "rtdvi_init") (param i32 i32) (result i32)
    (call $reg_indent (i32.const 0) (i32.const 1)))
  (func (export "compute_indent") (param $buf i32) (param $prev i32) (param $out i32) (param $max i32) (result i32)
    (local $n i32) (local $c i32) (local $i i32)
    (local.set $n (call $get_line (local.get $buf) (i32.add (local.get $prev) (i32.const 1)) (i32.const 4096) (i32.const 64)))
    (if (i32.lt_s (local.get $n) (i32.const 0)) (then (return (i32.const -1))))
    (local.set $c (call $line_count (local.get $buf)))
    (block $d1 (loop $spaces
      (br_if $d1 (i32.ge_s (local.get $i) (local.get $c)))
      (i32.store8 (i32.add (local.get $out) (local.get $i)) (i32.const 32))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $spaces)))
    (block $d2 (loop $tabs
      (br_if $d2 (i32.ge_s (local.get $i) (i32.add (local.get $c) (local.get $n))))
      (i32.store8 (i32.add (local.get $out) (local.get $i)) (i32.const 9))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $tabs)))
    (local.get $i))"#;

/// `o`, `O`, a counted `o` and `<CR>` ask the provider once the new line is in the buffer: it sees
/// the new line count, an empty line for `o`/`O`, and the text after the cursor for `<CR>`.
#[test]
fn indent_provider_is_asked_once_the_new_line_exists() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, "ab\ncd");
        assert_eq!(load(&mut ed, &host, kind, "witness", &plugin(NEW_LINE_WITNESS), "{}"), Ok(()));
        assert!(ed.execute_ex("set filetype=c").is_ok());
        ed.feed_keys("ox<Esc>");
        assert_eq!(ed.buf().line(1), "   x", "{kind}: 3 lines, empty new line");
        ed.feed_keys("Oy<Esc>");
        assert_eq!(ed.buf().line(1), "    y", "{kind}: 4 lines, empty new line above");
        ed.feed_keys("G2oz<Esc>");
        assert_eq!(ed.buf().line(4), "     z", "{kind}");
        assert_eq!(ed.buf().line(5), "      z", "{kind}: each repetition asks again");
        // `<CR>` between "a" and "b": the new line holds "b" when the provider runs.
        ed.feed_keys("gg0a<CR><Esc>");
        assert_eq!(ed.buf().line(1), "       \tb", "{kind}: 7 lines, new line \"b\"");
        assert!(messages(&mut ed).iter().all(|m| !m.contains("stopped")), "{kind}");
    }
}

/// `=` over several lines: each line's indent is computed after the lines above were re-indented.
/// The provider indents one space more than the line above.
#[test]
fn reindent_asks_with_the_lines_above_already_reindented() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, "a\nb\nc\n\nd");
        let wat = plugin(
            r#"(data (i32.const 0) "c")
  (func (export "rtdvi_init") (param i32 i32) (result i32)
    (call $reg_indent (i32.const 0) (i32.const 1)))
  (func (export "compute_indent") (param $buf i32) (param $prev i32) (param $out i32) (param $max i32) (result i32)
    (local $n i32) (local $i i32) (local $j i32)
    (if (i32.lt_s (local.get $prev) (i32.const 0)) (then (return (i32.const 0))))
    (local.set $n (call $get_line (local.get $buf) (local.get $prev) (i32.const 4096) (i32.const 64)))
    (if (i32.lt_s (local.get $n) (i32.const 0)) (then (return (i32.const -1))))
    (block $d (loop $count
      (br_if $d (i32.ge_s (local.get $i) (local.get $n)))
      (br_if $d (i32.ne (i32.load8_u (i32.add (i32.const 4096) (local.get $i))) (i32.const 32)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $count)))
    (block $d2 (loop $fill
      (br_if $d2 (i32.gt_s (local.get $j) (local.get $i)))
      (i32.store8 (i32.add (local.get $out) (local.get $j)) (i32.const 32))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $fill)))
    (local.get $j))"#,
        );
        assert_eq!(load(&mut ed, &host, kind, "stairs", &wat, "{}"), Ok(()));
        assert!(ed.execute_ex("set filetype=c").is_ok());
        ed.feed_keys("gg=G");
        // The blank line stays empty (as Vim's `=`), so "d" is one space in from an empty line.
        assert_eq!(ed.buf().text.to_string(), "a\n b\n  c\n\n d", "{kind}");
        // One undo step undoes the whole `=`.
        ed.feed_keys("u");
        assert_eq!(ed.buf().text.to_string(), "a\nb\nc\n\nd", "{kind}");
    }
}

/// A provider may return an indent followed by a comment leader (` * ` in a `/* */` comment, as
/// the seed's rules_c does): `o` and `<CR>` insert it; `<Esc>` with nothing typed keeps the leader
/// without its trailing blank (as Neovim); `=` takes only the indent from it.
#[test]
fn comment_leaders_from_providers_are_inserted_on_new_lines() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, "/* note");
        // " * " after a line starting with "/*" or " *"; -1 otherwise.
        let wat = plugin(
            r#"(data (i32.const 0) "c")
  (data (i32.const 8) " * ")
  (func (export "rtdvi_init") (param i32 i32) (result i32)
    (call $reg_indent (i32.const 0) (i32.const 1)))
  (func (export "compute_indent") (param $buf i32) (param $prev i32) (param $out i32) (param $max i32) (result i32)
    (local $n i32)
    (if (i32.lt_s (local.get $prev) (i32.const 0)) (then (return (i32.const -1))))
    (local.set $n (call $get_line (local.get $buf) (local.get $prev) (i32.const 4096) (i32.const 64)))
    (if (i32.lt_s (local.get $n) (i32.const 2)) (then (return (i32.const -1))))
    (if (i32.eqz (i32.or
          (i32.eq (i32.load16_u (i32.const 4096)) (i32.const 0x2a2f))
          (i32.eq (i32.load16_u (i32.const 4096)) (i32.const 0x2a20))))
      (then (return (i32.const -1))))
    (memory.copy (local.get $out) (i32.const 8) (i32.const 3))
    (i32.const 3))"#,
        );
        assert_eq!(load(&mut ed, &host, kind, "leader", &wat, "{}"), Ok(()));
        assert!(ed.execute_ex("set filetype=c").is_ok());
        ed.feed_keys("oone<CR>two<Esc>");
        assert_eq!(ed.buf().text.to_string(), "/* note\n * one\n * two", "{kind}");
        ed.feed_keys("o<Esc>");
        assert_eq!(ed.buf().line(3), " *", "{kind}");
        ed.buf_mut().text = ropey::Rope::from_str("/* note\n\t* x\n* y");
        ed.feed_keys("gg=G");
        assert_eq!(ed.buf().text.to_string(), "/* note\n * x\n * y", "{kind}");
    }
}

/// Events: a plugin subscribed to `buffer_saved` gets only those (as JSON), and the host listens
/// to no other editor event.
#[test]
fn subscribed_events_arrive_as_json_and_nothing_else_is_listened_to() {
    for kind in engines() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (mut ed, host, kind) = editor(kind, "x");
        let wat = plugin(
            r#"(data (i32.const 0) "buffer_saved")
  (func (export "rtdvi_init") (param i32 i32) (result i32)
    (call $subscribe (i32.const 0) (i32.const 12)))
  (func (export "on_event") (param $p i32) (param $n i32) (call $log (local.get $p) (local.get $n)))"#,
        );
        assert_eq!(load(&mut ed, &host, kind, "ev", &wat, "{}"), Ok(()));
        let listened: Vec<_> = ed.autocmds.all().iter().map(|a| a.event).collect();
        assert_eq!(listened, vec![rtdvi_editor::events::Event::BufWritePost]);
        let path = dir.path().join("f.txt");
        assert!(ed.execute_ex(&format!("write {}", path.display())).is_ok());
        ed.feed_keys("ix<Esc>");
        let msgs = messages(&mut ed);
        let events: Vec<&String> = msgs.iter().filter(|m| m.starts_with("ev: ")).collect();
        assert_eq!(events.len(), 1, "{msgs:?}");
        let json: serde_json::Value = serde_json::from_str(&events[0][4..]).unwrap_or_default();
        assert_eq!(json["event"], "buffer_saved");
        assert_eq!(json["buffer_id"], 1);
        assert_eq!(json["path"], path.display().to_string());
    }
}

/// A plugin without a subscription gets every kind: typed changes arrive as `buffer_changed`
/// with the changed rows, and mode changes as `mode_changed`.
#[test]
fn unsubscribed_plugins_get_changes_and_mode_changes() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, "a\nb");
        let wat = plugin(
            r#"(func (export "rtdvi_init") (param i32 i32) (result i32) (i32.const 0))
  (func (export "on_event") (param $p i32) (param $n i32) (call $log (local.get $p) (local.get $n)))"#,
        );
        assert_eq!(load(&mut ed, &host, kind, "all", &wat, "{}"), Ok(()));
        ed.feed_keys("jdd");
        let msgs = messages(&mut ed);
        let changed = msgs.iter().find(|m| m.contains("\"buffer_changed\"")).cloned().unwrap_or_default();
        let json: serde_json::Value = serde_json::from_str(changed.trim_start_matches("all: ")).unwrap_or_default();
        assert_eq!(json["buffer_id"], 1, "{msgs:?}");
        assert!(json["first_row"].is_u64() && json["old_end_row"].is_u64() && json["new_end_row"].is_u64());
        ed.feed_keys("i");
        let msgs = messages(&mut ed);
        assert!(msgs.iter().any(|m| m.contains(r#""event":"mode_changed""#) && m.contains(r#""to":"i""#)), "{msgs:?}");
        ed.feed_keys("<Esc>");
    }
}
