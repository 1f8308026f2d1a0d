//! Plugin managers, the config loader with the search path, and `:plugin list|reload|disable`.

mod support;

use rtdvi_plugin::search::SearchDir;
use rtdvi_plugin::{Config, SearchPath};
use support::*;

/// A manager of `.lua` files: `load_plugin(name, content)` registers the command named by the
/// content and binds `Z` to `on_z`; `unload_plugin` logs the name.
fn manager() -> String {
    plugin(
        r#"(data (i32.const 0) ".lua")
  (data (i32.const 8) "nZon_z")
  (data (i32.const 16) "zzz")
  (func (export "rtdvi_init") (param i32 i32) (result i32)
    (call $reg_mgr (i32.const 0) (i32.const 4)))
  (func (export "load_plugin") (param $np i32) (param $nl i32) (param $cp i32) (param $cl i32) (result i32)
    (call $log (local.get $np) (local.get $nl))
    (drop (call $reg_cmd (local.get $cp) (local.get $cl)))
    (drop (call $bind (i32.const 8) (i32.const 1) (i32.const 9) (i32.const 1) (i32.const 10) (i32.const 4)))
    (i32.const 0))
  (func (export "unload_plugin") (param $np i32) (param $nl i32) (result i32)
    (call $log (local.get $np) (local.get $nl))
    (i32.const 0))
  (func (export "run_command") (param $np i32) (param $nl i32) (param i32 i32) (result i32)
    (call $status (local.get $np) (local.get $nl))
    (i32.const 0))
  (func (export "on_z") (call $status (i32.const 16) (i32.const 3)))"#,
    )
}

#[test]
fn managers_load_and_unload_sub_plugins_with_everything_they_registered() {
    for kind in engines() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("mgr.wat"), manager()).expect("write");
        std::fs::write(dir.path().join("hello.lua"), "Luacmd").expect("write");
        let (mut ed, host, kind) = editor(kind, "x");
        host.borrow_mut().search =
            SearchPath { dirs: vec![SearchDir { dir: dir.path().to_path_buf(), origin: "test" }] };
        let cfg = Config::parse("plugins = [\"mgr\", \"hello\"]", std::path::Path::new("c.toml")).expect("config");
        let shared = host.clone();
        shared.borrow_mut().load_config(&mut ed, &cfg);
        assert_eq!(messages(&mut ed), vec!["mgr: hello"], "{kind}");
        let list = host.borrow().list();
        assert_eq!(list.len(), 2);
        assert_eq!((list[1].name.as_str(), list[1].manager.as_deref()), ("hello", Some("mgr")));
        assert!(ed.execute_ex("Luacmd").is_ok());
        assert_eq!(messages(&mut ed), vec!["Luacmd"]);
        ed.feed_keys("Z");
        assert_eq!(messages(&mut ed), vec!["zzz"], "{kind}");
        // Unloading the sub-plugin removes its command and key, and tells the manager.
        assert!(ed.execute_ex("plugin disable hello").is_ok());
        assert_eq!(messages(&mut ed), vec!["mgr: hello"]);
        assert!(ed.execute_ex("Luacmd").is_err());
        ed.feed_keys("Z");
        assert!(messages(&mut ed).iter().all(|m| m != "zzz"));
        assert_eq!(host.borrow().list().len(), 1);
        // Unloaded, it is no longer known.
        assert!(ed.execute_ex("plugin reload hello").is_err());
    }
}

#[test]
fn plugin_list_reload_and_disable() {
    for kind in engines() {
        let (mut ed, host, kind) = editor(kind, "x");
        let wat = plugin(&format!(
            r#"{}
  (func (export "run_command") (param i32 i32 i32 i32) (result i32) (i32.const 0))"#,
            init_registering("Cmd")
        ));
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("p.wat"), &wat).expect("write");
        host.borrow_mut().search =
            SearchPath { dirs: vec![SearchDir { dir: dir.path().to_path_buf(), origin: "test" }] };
        let cfg = Config::parse("plugins = [\"p\"]", std::path::Path::new("c.toml")).expect("config");
        let shared = host.clone();
        shared.borrow_mut().load_config(&mut ed, &cfg);
        assert!(ed.execute_ex("plugin list").is_ok());
        let m = messages(&mut ed);
        assert!(
            m.len() == 1 && m[0].starts_with("p ") && m[0].contains(kind.name()) && m[0].ends_with("[test] running"),
            "{m:?}"
        );
        assert!(ed.execute_ex("plugin disable p").is_ok());
        assert!(ed.execute_ex("Cmd").err().is_some_and(|e| e.to_string().contains("stopped")));
        assert!(ed.execute_ex("plugin reload p").is_ok(), "{kind}");
        assert!(ed.execute_ex("Cmd").is_ok());
        assert!(ed
            .execute_ex("plugin reload nope")
            .err()
            .is_some_and(|e| e.to_string() == "plugin nope is not loaded"));
        assert!(ed.execute_ex("plugin frobnicate").is_err());
    }
}

#[test]
fn tab_completes_plugin_command_names() {
    let Some(kind) = engines().first().copied() else { return };
    let (mut ed, host, kind) = editor(kind, "x");
    let wat = plugin(&format!(
        r#"{}
  (func (export "run_command") (param i32 i32 i32 i32) (result i32) (i32.const 0))"#,
        init_registering("greetings")
    ));
    assert_eq!(load(&mut ed, &host, kind, "g", &wat, "{}"), Ok(()));
    ed.feed_keys(":greeti<Tab>");
    assert_eq!(ed.cmdline().map(|c| c.text), Some("greetings".to_string()));
    ed.feed_keys("<Esc>:plugi<Tab>");
    assert_eq!(ed.cmdline().map(|c| c.text), Some("plugin".to_string()));
    ed.feed_keys("<Esc>");
}
