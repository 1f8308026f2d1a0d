//! Hostile plugins, on both engines: each must end with the editor running, the buffer intact,
//! one clear message, and no panic.

mod support;

use rtdvi_editor::Editor;
use rtdvi_plugin::PluginError;
use support::*;

const TEXT: &str = "line one\nline two";

/// The editor still edits, and the buffer holds `text`.
fn assert_alive(ed: &mut Editor, text: &str, what: &str) {
    assert_eq!(ed.buf().text.to_string(), text, "{what}: buffer");
    assert!(ed.execute_ex("s/^/>/").is_ok(), "{what}: editor stuck");
    assert!(ed.execute_ex("undo").is_ok());
    ed.take_messages();
}

/// A body whose export `name` (with its signature) edits the buffer, then loops forever.
fn edit_then_loop(export: &str, sig: &str, ret: &str) -> String {
    format!(
        r#"(data (i32.const 200) "JUNK")
  (func (export "{export}") {sig}
    (drop (call $insert (i32.const 0) (i32.const 0) (i32.const 200) (i32.const 4)))
    (loop $l (br $l))
    {ret})"#
    )
}

#[test]
fn infinite_loops_in_every_export_are_stopped_and_rolled_back() {
    for kind in engines() {
        // rtdvi_init
        let (mut ed, host, kind) = editor(kind, TEXT);
        let wat = plugin(&edit_then_loop("rtdvi_init", "(param i32 i32) (result i32)", "(i32.const 0)"));
        let r = load_with(&mut ed, &host, kind, "spin", &wat, "{}", hostile_limits());
        assert!(
            matches!(&r, Err(PluginError::Failed { name, reason }) if name == "spin" && reason.contains("time limit")),
            "{kind}: {r:?}"
        );
        assert!(host.borrow().list().is_empty());
        assert_alive(&mut ed, TEXT, "init");

        // run_command
        let wat = plugin(&format!(
            "{} {}",
            init_registering("Spin"),
            edit_then_loop("run_command", "(param i32 i32 i32 i32) (result i32)", "(i32.const 0)")
        ));
        assert_eq!(load_with(&mut ed, &host, kind, "spin", &wat, "{}", hostile_limits()), Ok(()));
        assert!(ed.execute_ex("Spin").is_ok());
        let errs = errors(&mut ed);
        assert_eq!(errs.len(), 1, "{kind}: {errs:?}");
        assert!(errs[0].starts_with("plugin spin stopped: ") && errs[0].contains("time limit"), "{errs:?}");
        assert!(!errs[0].contains('\n'));
        assert_alive(&mut ed, TEXT, "run_command");
        let again = ed.execute_ex("Spin").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(again.contains("plugin spin is stopped"), "{again}");
        assert!(ed.messages.history().iter().any(|m| m.text.contains("run_command failed")));
        assert!(ed.execute_ex("plugin list").is_ok());
        assert!(messages(&mut ed).iter().any(|m| m.starts_with("spin") && m.contains("stopped")));

        // on_event: the user's change stays, the plugin's goes.
        let wat = plugin(&format!(
            r#"(func (export "rtdvi_init") (param i32 i32) (result i32) (i32.const 0))
  {}"#,
            edit_then_loop("on_event", "(param i32 i32)", "")
        ));
        assert_eq!(load_with(&mut ed, &host, kind, "evspin", &wat, "{}", hostile_limits()), Ok(()));
        ed.feed_keys("x");
        assert_eq!(errors(&mut ed).len(), 1, "{kind}");
        assert_alive(&mut ed, "ine one\nline two", "on_event");
        // Stopped: it no longer listens.
        assert!(ed.autocmds.all().is_empty());
        ed.feed_keys("u");

        // key binding
        let wat = plugin(&format!(
            r#"(data (i32.const 0) "nQ spin")
  (func (export "rtdvi_init") (param i32 i32) (result i32)
    (call $bind (i32.const 0) (i32.const 1) (i32.const 1) (i32.const 1) (i32.const 3) (i32.const 4)))
  {}"#,
            edit_then_loop("spin", "", "")
        ));
        assert_eq!(load_with(&mut ed, &host, kind, "keyspin", &wat, "{}", hostile_limits()), Ok(()));
        ed.take_messages();
        ed.feed_keys("Q");
        assert_eq!(errors(&mut ed).len(), 1, "{kind}");
        assert_alive(&mut ed, TEXT, "key");
        // The mapping went with the plugin.
        assert!(ed
            .vi
            .mappings
            .get(rtdvi_editor::vi::MapMode::Normal, None, &rtdvi_editor::keys::parse_keys("Q"))
            .is_none());

        // compute_indent: falls back to autoindent.
        let wat = plugin(&format!(
            r#"(data (i32.const 0) "text")
  (func (export "rtdvi_init") (param i32 i32) (result i32) (call $reg_indent (i32.const 0) (i32.const 4)))
  {}"#,
            edit_then_loop("compute_indent", "(param i32 i32 i32 i32) (result i32)", "(i32.const 0)")
        ));
        assert_eq!(load_with(&mut ed, &host, kind, "indspin", &wat, "{}", hostile_limits()), Ok(()));
        assert!(ed.execute_ex("set filetype=text autoindent").is_ok());
        ed.buf_mut().text = ropey::Rope::from_str("  a");
        ed.feed_keys("ob<Esc>");
        assert_eq!(ed.buf().text.to_string(), "  a\n  b", "{kind}");
        assert_eq!(errors(&mut ed).len(), 1, "{kind}");
    }
}

#[test]
fn memory_growth_stops_at_the_limit_and_oom_is_reported() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, TEXT);
        let wat = plugin(&format!(
            r#"{}
  (func (export "run_command") (param i32 i32 i32 i32) (result i32)
    (local $n i32)
    (drop (call $insert (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 3)))
    (loop $l
      (if (i32.ne (memory.grow (i32.const 16)) (i32.const -1))
        (then (local.set $n (i32.add (local.get $n) (i32.const 1))) (br $l))))
    (call $num (memory.size))
    unreachable)"#,
            init_registering("Grow")
        ));
        assert_eq!(load(&mut ed, &host, kind, "grow", &wat, "{}"), Ok(()));
        assert!(ed.execute_ex("Grow").is_ok());
        let msgs = ed.take_messages();
        // 16 MiB limit = 256 pages: from 2 pages, 15 steps of 16 fit and the 16th is refused
        // (memory.grow returns -1 and the guest keeps running).
        assert_eq!(msgs.first().map(|m| m.text.as_str()), Some("242"), "{kind}: {msgs:?}");
        let err = msgs.iter().find(|m| m.level == rtdvi_editor::message::Level::Error).map(|m| m.text.clone());
        assert!(
            err.as_deref().is_some_and(|e| e.starts_with("plugin grow stopped") && e.contains("memory")),
            "{err:?}"
        );
        assert_alive(&mut ed, TEXT, "grow");
    }
}

#[test]
fn unbounded_recursion_is_a_stack_overflow() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, TEXT);
        let wat = plugin(&format!(
            r#"{}
  (func $down (param $n i32) (result i32) (i32.add (call $down (i32.add (local.get $n) (i32.const 1))) (i32.const 1)))
  (func (export "run_command") (param i32 i32 i32 i32) (result i32)
    (drop (call $insert (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 3)))
    (call $down (i32.const 0)))"#,
            init_registering("Deep")
        ));
        assert_eq!(load(&mut ed, &host, kind, "deep", &wat, "{}"), Ok(()));
        assert!(ed.execute_ex("Deep").is_ok());
        let errs = errors(&mut ed);
        assert!(errs.len() == 1 && errs[0].contains("stack"), "{kind}: {errs:?}");
        assert_alive(&mut ed, TEXT, "recursion");
    }
}

/// Out-of-bounds, negative and huge pointers and lengths to every import: return codes, no trap.
#[test]
fn bad_pointers_and_lengths_to_every_import_are_refused_with_codes() {
    let bad = [(-1, 4), (0, -1), (0x7fff_ffff, 16), (2 * 65536 - 2, 4), (2 * 65536 - 4, 0x7fff_ffff)];
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, TEXT);
        let mut calls = String::new();
        for (p, n) in bad {
            let pn = format!("(i32.const {p}) (i32.const {n})");
            calls += &format!(
                r#"
    (call $log {pn}) (call $status {pn})
    (call $num (call $reg_cmd {pn})) (call $num (call $reg_mgr {pn})) (call $num (call $reg_indent {pn}))
    (call $num (call $subscribe {pn}))
    (call $num (call $bind {pn} (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 1)))
    (call $num (call $bind (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 1) {pn}))
    (call $num (call $get_line (i32.const 0) (i32.const 0) {pn}))
    (call $num (call $insert (i32.const 0) (i32.const 0) {pn}))
    (call $num (call $get_opt {pn} (i32.const 0) (i32.const 10)))
    (call $num (call $get_opt (i32.const 300) (i32.const 9) {pn}))
    (call $num (i32.wrap_i64 (call $call {pn} (i32.const 0) (i32.const 0))))
    (call $num (i32.wrap_i64 (call $call (i32.const 310) (i32.const 18) {pn})))"#
            );
        }
        let wat = plugin(&format!(
            r#"{}
  (data (i32.const 300) "backspace")
  (data (i32.const 310) "nvim_buf_get_lines")
  (func (export "run_command") (param i32 i32 i32 i32) (result i32)
    {calls}
    (call $num (call $line_count (i32.const -7)))
    (call $num (call $delete (i32.const 0) (i32.const -1) (i32.const 0x7fffffff)))
    (call $num (call $set_cursor (i32.const -1) (i32.const -1) (i32.const -1)))
    (call $num (call $get_line (i32.const 0x7fffffff) (i32.const 0x7fffffff) (i32.const 0) (i32.const 0)))
    (call $num64 (call $get_cursor (i32.const -1)))
    (i32.const 0))"#,
            init_registering("Bad")
        ));
        assert_eq!(load(&mut ed, &host, kind, "bad", &wat, "{}"), Ok(()));
        assert!(ed.execute_ex("Bad").is_ok());
        let msgs = ed.take_messages();
        let errs: Vec<_> = msgs.iter().filter(|m| m.level == rtdvi_editor::message::Level::Error).collect();
        assert!(errs.iter().all(|m| !m.text.contains("stopped")), "{kind}: {errs:?}");
        let codes: Vec<&str> = msgs
            .iter()
            .map(|m| m.text.as_str())
            .filter(|t| t.starts_with('-') || t.chars().all(|c| c.is_ascii_digit()))
            .collect();
        // Every call refused: -1 or -2, never a success, never a trap.
        assert!(!codes.is_empty() && codes.iter().all(|c| *c == "-1" || *c == "-2"), "{kind}: {codes:?}");
        assert_eq!(host.borrow().list().first().and_then(|p| p.stopped.clone()), None);
        assert_alive(&mut ed, TEXT, "bad pointers");
    }
}

#[test]
fn invalid_utf8_is_refused() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, TEXT);
        let wat = plugin(
            r#"(data (i32.const 0) "\ff\feA")
  (func (export "rtdvi_init") (param i32 i32) (result i32)
    (call $num (call $reg_cmd (i32.const 0) (i32.const 3)))
    (call $num (call $insert (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 3)))
    (call $status (i32.const 0) (i32.const 3))
    (i32.const 0))"#,
        );
        assert_eq!(load(&mut ed, &host, kind, "utf", &wat, "{}"), Ok(()));
        assert_eq!(messages(&mut ed), vec!["-2", "-2", "<invalid string>"], "{kind}");
        assert_alive(&mut ed, TEXT, "utf8");
    }
}

#[test]
fn non_zero_init_refuses_and_leaves_nothing_registered() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, TEXT);
        let wat = plugin(
            r#"(data (i32.const 0) "Nope")
  (func (export "rtdvi_init") (param i32 i32) (result i32)
    (drop (call $reg_cmd (i32.const 0) (i32.const 4)))
    (drop (call $insert (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 4)))
    (i32.const 7))"#,
        );
        let r = load(&mut ed, &host, kind, "nope", &wat, "{}");
        assert_eq!(r, Err(PluginError::Refused { name: "nope".into(), code: 7 }), "{kind}");
        assert_eq!(
            r.err().map(|e| e.to_string()).as_deref(),
            Some("plugin nope: rtdvi_init refused to start (returned 7)")
        );
        assert!(!host.borrow().has_command("Nope"));
        // A refused init is not a trap: its edits stand like any returned call's (the plugin
        // chose to make them); the command is gone with the plugin.
        assert!(ed.execute_ex("Nope").is_err());
    }
}

#[test]
fn missing_or_mistyped_exports_are_named() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, TEXT);
        let cases = [
            ("(module (func (export \"alloc\") (param i32) (result i32) (i32.const 0)))", "memory"),
            ("(module (memory (export \"memory\") 1))", "alloc"),
            (
                "(module (memory (export \"memory\") 1) (func (export \"alloc\") (param i32) (result i32) (i32.const 0)) (func (export \"dealloc\") (param i32 i32)))",
                "rtdvi_init",
            ),
            (
                "(module (memory (export \"memory\") 1) (func (export \"alloc\") (param i32) (result i32) (i32.const 0)) (func (export \"dealloc\") (param i32)) (func (export \"rtdvi_init\") (param i32 i32) (result i32) (i32.const 0)))",
                "dealloc",
            ),
        ];
        for (wat, missing) in cases {
            let e = load(&mut ed, &host, kind, "m", wat, "{}").err().map(|e| e.to_string()).unwrap_or_default();
            assert!(
                e.starts_with("plugin m: ") && e.contains(&format!("missing required export {missing}")),
                "{kind}: {e}"
            );
        }
        assert_alive(&mut ed, TEXT, "exports");
    }
}

#[test]
fn invalid_bytes_and_unknown_imports() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, TEXT);
        let e = load(&mut ed, &host, kind, "junk", "\0asm\x01\0\0\0garbage", "{}").err().map(|e| e.to_string());
        assert!(e.as_deref().is_some_and(|e| e.starts_with("plugin junk: invalid WebAssembly module")), "{e:?}");
        let e = load(&mut ed, &host, kind, "junk", "not wasm at all", "{}").err().map(|e| e.to_string());
        assert!(e.as_deref().is_some_and(|e| e.starts_with("plugin junk: ")), "{e:?}");
        // An unknown function import links to a stub that traps naming it when called.
        let wat = format!(
            r#"(module (import "rtdvi" "rtdvi_teleport" (func $tp)) {IMPORTS} {PRELUDE} {}
  (func (export "run_command") (param i32 i32 i32 i32) (result i32) (call $tp) (i32.const 0)))"#,
            init_registering("Tp")
        );
        assert_eq!(load(&mut ed, &host, kind, "tp", &wat, "{}"), Ok(()), "{kind}");
        assert!(ed.execute_ex("Tp").is_ok());
        let errs = errors(&mut ed);
        assert!(errs.len() == 1 && errs[0].contains("rtdvi.rtdvi_teleport"), "{kind}: {errs:?}");
        // An unknown memory import can't link.
        let wat = format!(r#"(module (import "env" "g" (global i32)) {IMPORTS} {PRELUDE} {})"#, init_registering("G"));
        let e = load(&mut ed, &host, kind, "glob", &wat, "{}").err().map(|e| e.to_string());
        assert!(e.as_deref().is_some_and(|e| e.starts_with("plugin glob: ") && e.contains("env.g")), "{e:?}");
        assert_alive(&mut ed, TEXT, "imports");
    }
}

#[test]
fn wasi_randomness_and_clocks_work_other_wasi_calls_trap_naming_the_import() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, TEXT);
        let wat = format!(
            r#"(module
  (import "wasi_snapshot_preview1" "random_get" (func $rand (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  {IMPORTS} {PRELUDE}
  {}
  (func (export "run_command") (param i32 i32 i32 i32) (result i32)
    (call $num (call $rand (i32.const 2000) (i32.const 32)))
    (call $num (call $clock (i32.const 0) (i64.const 0) (i32.const 2100)))
    (call $num (i64.gt_u (i64.load (i32.const 2100)) (i64.const 0)))
    (call $num (call $rand (i32.const -1) (i32.const 32)))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0)))
    (i32.const 0))
)"#,
            init_registering("Wasi")
        );
        assert_eq!(load(&mut ed, &host, kind, "wasi", &wat, "{}"), Ok(()), "{kind}");
        assert!(ed.execute_ex("Wasi").is_ok());
        let msgs = ed.take_messages();
        let texts: Vec<&str> = msgs.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(texts.get(..3), Some(&["0", "0", "1"][..]), "{kind}: {texts:?}");
        assert_ne!(texts.get(3), Some(&"0"));
        assert!(texts.last().is_some_and(|t| t.contains("wasi_snapshot_preview1.fd_write")), "{texts:?}");
        assert_alive(&mut ed, TEXT, "wasi");
    }
}

#[test]
fn duplicate_command_names_are_refused() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, TEXT);
        let wat = plugin(&format!(
            r#"{}
  (func (export "run_command") (param i32 i32 i32 i32) (result i32) (i32.const 0))"#,
            init_registering("Dup")
        ));
        assert_eq!(load(&mut ed, &host, kind, "one", &wat, "{}"), Ok(()));
        ed.take_messages();
        assert_eq!(load(&mut ed, &host, kind, "two", &wat, "{}"), Ok(()));
        let errs = errors(&mut ed);
        assert_eq!(errs, vec!["plugin two: E174: Command already exists: Dup (registered by plugin one)"], "{kind}");
        // Built-in names (and their abbreviations) can't be taken either.
        let wat = plugin(&format!(
            "{} (func (export \"run_command\") (param i32 i32 i32 i32) (result i32) (i32.const 0))",
            init_registering("write")
        ));
        assert_eq!(load(&mut ed, &host, kind, "three", &wat, "{}"), Ok(()));
        assert!(errors(&mut ed).first().is_some_and(|e| e.contains("invalid command name \"write\"")));
    }
}

#[test]
fn a_flood_of_log_lines_is_capped_per_call() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, TEXT);
        let wat = plugin(&format!(
            r#"{}
  (data (i32.const 16) "spam")
  (func (export "run_command") (param i32 i32 i32 i32) (result i32)
    (local $i i32)
    (loop $l
      (call $log (i32.const 16) (i32.const 4))
      (call $status (i32.const 16) (i32.const 4))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 5000))))
    (i32.const 0))"#,
            init_registering("Flood")
        ));
        let limits =
            rtdvi_plugin::PluginLimits { command_deadline: std::time::Duration::from_secs(30), ..test_limits() };
        assert_eq!(load_with(&mut ed, &host, kind, "flood", &wat, "{}", limits), Ok(()));
        assert!(ed.execute_ex("Flood").is_ok());
        let msgs = messages(&mut ed);
        assert_eq!(msgs.len(), 101, "{kind}: {:?} {:?}", msgs.first(), msgs.get(99..));
        assert!(msgs.last().is_some_and(|m| m.contains("too many messages")));
        assert!(ed.messages.history().len() < 200);
        assert_alive(&mut ed, TEXT, "flood");
    }
}
