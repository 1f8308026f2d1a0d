//! The manager's behaviour, every test on both engines.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use crate::{CallOutcome, EngineKind, PluginError, PluginKind, PluginManager, PluginStatus};

/// Defines `$name::wasmtime` and `$name::wasmi` running `$body(engine)` on
/// a thread with the stack Lua plugins ask for.
macro_rules! both_engines {
    ($($name:ident => $body:expr;)*) => {
        $(
            mod $name {
                use super::*;
                #[test]
                fn wasmtime() {
                    on_big_stack(|| ($body)(EngineKind::Wasmtime))
                }
                #[test]
                fn wasmi() {
                    on_big_stack(|| ($body)(EngineKind::Wasmi))
                }
            }
        )*
    };
}

fn on_big_stack(f: impl FnOnce() + Send + 'static) {
    let handle =
        std::thread::Builder::new().stack_size(rtdvi_lua::RECOMMENDED_STACK_BYTES).spawn(f).expect("spawn test thread");
    if let Err(panic) = handle.join() {
        std::panic::resume_unwind(panic);
    }
}

/// A manager with `math.add`, `sys.print` (into `printed`) and generous
/// limits for debug builds.
fn manager(engine: EngineKind, printed: Arc<Mutex<Vec<String>>>) -> PluginManager {
    PluginManager::builder()
        .engine(engine)
        .memory_per_plugin(8 << 20)
        .deadline(Duration::from_secs(5))
        .function("math", "add", |_, (a, b): (f64, f64)| Ok::<_, String>(a + b))
        .function("sys", "print", move |ctx, args: Vec<serde_json::Value>| {
            let text: Vec<String> =
                args.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).collect();
            printed.lock().map_err(|e| e.to_string())?.push(format!("[{}] {}", ctx.plugin, text.join("")));
            Ok::<_, String>(())
        })
        .build()
        .expect("manager builds")
}

fn plain(engine: EngineKind) -> PluginManager {
    manager(engine, Arc::default())
}

const ADD_WAT: &str = r#"(module
  (import "embed" "call" (func $call (param i32 i32 i32 i32) (result i32)))
  (import "embed" "take" (func $take (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "math.add")
  (data (i32.const 16) "[40, 2]")
  (func (export "answer") (result i32)
    (local $n i32)
    (local.set $n (call $call (i32.const 0) (i32.const 8) (i32.const 16) (i32.const 7)))
    (call $take (i32.const 64))
    ;; the answer is "42.0": read its two ASCII digits
    (i32.add
      (i32.mul (i32.sub (i32.load8_u (i32.const 64)) (i32.const 48)) (i32.const 10))
      (i32.sub (i32.load8_u (i32.const 65)) (i32.const 48))))
  (func (export "spin") (loop $l (br $l)))
  (func (export "crash") unreachable))"#;

/// The example Lua module built with the pdk (`scripts/build-plugins.sh`).
const TEXTUTIL_WASM: &[u8] = include_bytes!("../../../examples/lua-modules/textutil/textutil.wasm");

/// A library in the module ABI whose one function traps.
const CRASH_WAT: &str = r#"(module
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "dealloc") (param i32 i32))
  (func (export "lua:crash") (param i32 i32) (result i64) unreachable))"#;

both_engines! {
    wasm_libraries_are_lua_modules => |engine| {
        let dir = tempfile::tempdir().unwrap();
        let plugin = dir.path().join("user");
        std::fs::create_dir(&plugin).unwrap();
        std::fs::write(plugin.join("textutil.wasm"), TEXTUTIL_WASM).unwrap();
        std::fs::write(plugin.join("crashy.wasm"), CRASH_WAT).unwrap();
        std::fs::write(
            plugin.join("main.lua"),
            "local t = require('textutil')\n\
             function f()\n\
               local _, err = pcall(t.format_date, 0, '%Q')\n\
               local _, crash = pcall(require('crashy').crash)\n\
               local _, missing = pcall(require, 'nothing')\n\
               return {w = t.width('日本'), g = t.graphemes('e\\u{301}!'), d = t.format_date(86400),\n\
                       title = t.title_case('hello wORLD'), err = err, crash = crash, missing = missing}\n\
             end",
        )
        .unwrap();
        let mut m = plain(engine);
        let report = m.load_dir(dir.path()).unwrap();
        assert!(report[0].1.is_ok(), "{report:?}");
        let CallOutcome::Returned(v) = m.call("user", "f", ()) else { panic!("f runs") };
        assert_eq!(v["w"], json!(4));
        assert_eq!(v["g"], json!(["e\u{301}", "!"]));
        assert_eq!(v["d"], json!("1970-01-02 00:00:00"));
        assert_eq!(v["title"], json!("Hello World"));
        let text = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
        assert!(text("err").ends_with("unknown format specifier %Q"), "{v}");
        assert!(text("crash").contains("crashy.crash: module crashed"), "{v}");
        assert!(text("missing").contains("'nothing.wasm'"), "{v}");
        // The plugin itself is unharmed.
        assert_eq!(m.status("user"), Some(PluginStatus::Running));
    };
    host_functions_merge_into_namespaces => |engine| {
        let printed = Arc::new(Mutex::new(Vec::new()));
        let mut m = manager(engine, printed.clone());
        m.load_lua("p", "function f() sys.print('sum ', math.add(1, 2)); return math.floor(2.5), math.pi > 3 end")
            .unwrap();
        assert_eq!(m.call("p", "f", ()), CallOutcome::Returned(json!(2)));
        assert_eq!(printed.lock().unwrap().as_slice(), ["[p] sum 3.0"]);
        // Bad arguments are a Lua error the plugin can catch.
        m.load_lua("q", "function f() local ok, e = pcall(math.add, 'x'); return ok, e end").unwrap();
        let CallOutcome::Returned(v) = m.call("q", "f", ()) else { panic!("f ran") };
        assert_eq!(v, json!(false));
    };
    host_functions_never_replace_lua_functions => |engine| {
        let mut m = PluginManager::builder()
            .engine(engine)
            .function("math", "floor", |_, (x,): (f64,)| Ok::<_, String>(x))
            .build()
            .unwrap();
        let err = m.load_lua("p", "").unwrap_err();
        assert!(err.to_string().contains("math.floor would replace an existing value"), "{err}");
        assert_eq!(m.names().count(), 0);
    };
    lifecycle_outcomes_are_told_apart => |engine| {
        let mut m = plain(engine);
        m.load_lua("stop", "function update() return false end").unwrap();
        m.load_lua("fail", "function update() error('broken') end").unwrap();
        m.load_lua("none", "x = 1").unwrap();
        m.load_lua("args", "function update(a, t) return {a = a, n = #t, k = t[2]} end").unwrap();
        let outcomes = m.call_all("update", (7, ["x", "y"]));
        let names: Vec<&str> = outcomes.iter().map(|o| o.plugin.as_str()).collect();
        assert_eq!(names, ["stop", "fail", "none", "args"]);
        assert!(outcomes[0].outcome.is_false());
        let CallOutcome::Failed(PluginError::Script { message, traceback }) = &outcomes[1].outcome else {
            panic!("{:?}", outcomes[1])
        };
        assert!(message.ends_with("broken") && message.contains(":1:"), "{message}");
        assert!(traceback.contains("stack traceback"), "{traceback}");
        assert_eq!(outcomes[2].outcome, CallOutcome::Missing);
        assert_eq!(outcomes[3].outcome, CallOutcome::Returned(json!({"a": 7, "n": 2, "k": "y"})));
        // A Lua error is not fatal: the plugin runs again next time.
        assert_eq!(m.status("fail"), Some(PluginStatus::Running));
        assert_eq!(m.call_all("update", (1, [0])).len(), 4);
    };
    deadline_stops_only_that_plugin => |engine| {
        let mut m = PluginManager::builder().engine(engine).deadline(Duration::from_millis(50)).build().unwrap();
        m.load_lua("ok", "n = 0 function update() n = n + 1 return n end").unwrap();
        m.load_lua("spin", "function update() while true do end end").unwrap();
        let first = m.call_all("update", ());
        assert_eq!(first[0].outcome, CallOutcome::Returned(json!(1)));
        assert_eq!(first[1].outcome, CallOutcome::Failed(PluginError::Deadline));
        assert!(matches!(m.status("spin"), Some(PluginStatus::Stopped(PluginError::Deadline))));
        // Skipped from now on; the other plugin keeps its state.
        let second = m.call_all("update", ());
        assert_eq!(second.len(), 1);
        assert_eq!(second[0].outcome, CallOutcome::Returned(json!(2)));
        assert!(matches!(m.call("spin", "update", ()), CallOutcome::Failed(PluginError::Stopped(_))));
        // Reload starts it again (and it is cut off again).
        m.reload("spin").unwrap();
        assert_eq!(m.status("spin"), Some(PluginStatus::Running));
        assert_eq!(m.call("spin", "update", ()), CallOutcome::Failed(PluginError::Deadline));
    };
    memory_limit_is_a_plugin_error => |engine| {
        let mut m = PluginManager::builder()
            .engine(engine)
            .memory_per_plugin(3 << 20)
            .deadline(Duration::from_secs(30))
            .build()
            .unwrap();
        m.load_lua("hog", "function update() local t = {} for i = 1, 1e7 do t[i] = i end end").unwrap();
        assert_eq!(m.call("hog", "update", ()), CallOutcome::Failed(PluginError::Memory { limit: 3 << 20 }));
        assert_eq!(m.status("hog"), Some(PluginStatus::Running));
    };
    unload_and_reload_from_files => |engine| {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (name, source) in [("a", "function v() return require('lib.version') end"), ("b", "syntax error here")] {
            std::fs::create_dir(root.join(name)).unwrap();
            std::fs::write(root.join(name).join("main.lua"), source).unwrap();
        }
        std::fs::create_dir(root.join("a").join("lib")).unwrap();
        std::fs::write(root.join("a/lib/version.lua"), "return 1").unwrap();
        std::fs::write(root.join("w.wasm"), ADD_WAT).unwrap();
        std::fs::create_dir(root.join("empty")).unwrap();
        let mut m = plain(engine);
        let report = m.load_dir(root).unwrap();
        let names: Vec<&str> = report.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["a", "b", "w"]);
        assert!(report[0].1.is_ok() && report[2].1.is_ok());
        assert!(matches!(&report[1].1, Err(PluginError::Script { .. })), "{:?}", report[1]);
        assert_eq!(m.names().collect::<Vec<_>>(), ["a", "w"]);
        assert_eq!(m.kind("w"), Some(PluginKind::Wasm));
        assert_eq!(m.call("a", "v", ()), CallOutcome::Returned(json!(1)));
        // Reload reads the files again.
        std::fs::write(root.join("a/lib/version.lua"), "return 2").unwrap();
        assert_eq!(m.call("a", "v", ()), CallOutcome::Returned(json!(1)));
        m.reload("a").unwrap();
        assert_eq!(m.call("a", "v", ()), CallOutcome::Returned(json!(2)));
        assert!(m.unload("a"));
        assert!(!m.unload("a"));
        assert_eq!(m.call("a", "v", ()), CallOutcome::Failed(PluginError::NotFound("a".into())));
        // A module name may not leave the plugin's folder.
        std::fs::write(root.join("a.lua"), "return 3").unwrap();
        std::fs::create_dir(root.join("c")).unwrap();
        std::fs::write(root.join("c/main.lua"), "function f() return pcall(require, '..a') end").unwrap();
        m.load_dir(root.join("c").parent().unwrap()).unwrap();
        assert_eq!(m.call("c", "f", ()), CallOutcome::Returned(json!(false)));
    };
    wasm_plugins_call_host_functions => |engine| {
        let mut m = PluginManager::builder()
            .engine(engine)
            .deadline(Duration::from_millis(50))
            .function("math", "add", |_, (a, b): (f64, f64)| Ok::<_, String>(a + b))
            .build()
            .unwrap();
        m.load_wasm("w", ADD_WAT.as_bytes()).unwrap();
        m.load_wasm("x", ADD_WAT.as_bytes()).unwrap();
        assert_eq!(m.call("w", "answer", ()), CallOutcome::Returned(json!(42)));
        assert_eq!(m.call("w", "nothing", ()), CallOutcome::Missing);
        assert_eq!(m.call("w", "spin", ()), CallOutcome::Failed(PluginError::Deadline));
        assert!(matches!(m.call("x", "crash", ()), CallOutcome::Failed(PluginError::Crashed(_))));
        assert_eq!(m.call_all("answer", ()).len(), 0);
        m.reload("w").unwrap();
        assert_eq!(m.call_all("answer", ())[0].outcome, CallOutcome::Returned(json!(42)));
        assert!(matches!(m.load_wasm("bad", b"not wasm"), Err(PluginError::Load(_))));
    };
}

#[test]
fn registration_mistakes_are_reported_by_build() {
    let err = PluginManager::builder()
        .function("sys", "exit", |_, (): ()| Ok::<_, String>(()))
        .function("sys", "exit", |_, (): ()| Ok::<_, String>(()))
        .build()
        .unwrap_err();
    assert_eq!(err.to_string(), "host function sys.exit is registered twice");
}
