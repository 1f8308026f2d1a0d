//! Shared set-up of the plugin tests: an editor with the plugin host installed, and WAT plugins
//! built from a common prelude (every import, a bump allocator, a number printer).

#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use rtdvi_editor::message::Level;
use rtdvi_editor::Editor;
use rtdvi_plugin::{LoadRequest, PluginError, PluginHost, PluginLimits, SearchPath, SharedHost};
use rtdvi_wasm::{EngineConfig, EngineKind};

/// Every import of the ABI, named `$log`, `$status`... for the plugin bodies.
pub const IMPORTS: &str = r#"
  (import "rtdvi" "rtdvi_log" (func $log (param i32 i32)))
  (import "rtdvi" "rtdvi_set_status" (func $status (param i32 i32)))
  (import "rtdvi" "rtdvi_register_command" (func $reg_cmd (param i32 i32) (result i32)))
  (import "rtdvi" "rtdvi_register_plugin_manager" (func $reg_mgr (param i32 i32) (result i32)))
  (import "rtdvi" "rtdvi_register_indent_provider" (func $reg_indent (param i32 i32) (result i32)))
  (import "rtdvi" "rtdvi_bind_key" (func $bind (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "rtdvi" "rtdvi_subscribe" (func $subscribe (param i32 i32) (result i32)))
  (import "rtdvi" "rtdvi_active_buffer_id" (func $buf (result i32)))
  (import "rtdvi" "rtdvi_active_window_id" (func $win (result i32)))
  (import "rtdvi" "rtdvi_line_count" (func $line_count (param i32) (result i32)))
  (import "rtdvi" "rtdvi_get_line" (func $get_line (param i32 i32 i32 i32) (result i32)))
  (import "rtdvi" "rtdvi_get_cursor" (func $get_cursor (param i32) (result i64)))
  (import "rtdvi" "rtdvi_set_cursor" (func $set_cursor (param i32 i32 i32) (result i32)))
  (import "rtdvi" "rtdvi_insert_text" (func $insert (param i32 i32 i32 i32) (result i32)))
  (import "rtdvi" "rtdvi_delete_text" (func $delete (param i32 i32 i32) (result i32)))
  (import "rtdvi" "rtdvi_get_option_str" (func $get_opt (param i32 i32 i32 i32) (result i32)))
  (import "rtdvi" "rtdvi_call" (func $call (param i32 i32 i32 i32) (result i64)))
"#;

/// Memory, `alloc` (bump, from 32 KiB), `dealloc`, and `$num` (status text of an i32/i64).
pub const PRELUDE: &str = r#"
  (memory (export "memory") 2)
  (global $bump (mut i32) (i32.const 32768))
  (func $alloc (export "alloc") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $bump))
    (global.set $bump (i32.add (global.get $bump) (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8))))
    (if (i32.gt_u (global.get $bump) (i32.mul (memory.size) (i32.const 65536)))
      (then (drop (memory.grow (i32.add (i32.div_u (local.get $n) (i32.const 65536)) (i32.const 1))))))
    (local.get $p))
  (func (export "dealloc") (param i32 i32))
  ;; Writes the decimal text of $v at 1024 and shows it as the status.
  (func $num64 (param $v i64)
    (local $p i32) (local $neg i32) (local $len i32)
    (local.set $p (i32.const 1100))
    (if (i64.lt_s (local.get $v) (i64.const 0))
      (then (local.set $neg (i32.const 1)) (local.set $v (i64.sub (i64.const 0) (local.get $v)))))
    (loop $l
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $v) (i64.const 10)))))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $l (i64.ne (local.get $v) (i64.const 0))))
    (if (local.get $neg)
      (then (local.set $p (i32.sub (local.get $p) (i32.const 1))) (i32.store8 (local.get $p) (i32.const 45))))
    (call $status (local.get $p) (i32.sub (i32.const 1100) (local.get $p))))
  (func $num (param $v i32) (call $num64 (i64.extend_i32_s (local.get $v))))
"#;

/// A plugin module: the imports, the prelude, then `body`.
pub fn plugin(body: &str) -> String {
    format!("(module {IMPORTS} {PRELUDE} {body})")
}

/// `rtdvi_init` that registers command `name` (stored at offset 0) and accepts.
pub fn init_registering(name: &str) -> String {
    format!(
        r#"(data (i32.const 0) "{name}")
  (func (export "rtdvi_init") (param i32 i32) (result i32)
    (drop (call $reg_cmd (i32.const 0) (i32.const {})))
    (i32.const 0))"#,
        name.len()
    )
}

/// Deadlines far above what the well-behaved test plugins need, even on a loaded machine.
pub fn test_limits() -> PluginLimits {
    PluginLimits {
        memory_bytes: 16 << 20,
        event_deadline: Duration::from_secs(2),
        command_deadline: Duration::from_secs(5),
    }
}

/// Short deadlines, so that plugins that never return are stopped quickly.
pub fn hostile_limits() -> PluginLimits {
    PluginLimits {
        event_deadline: Duration::from_millis(50),
        command_deadline: Duration::from_millis(300),
        ..test_limits()
    }
}

/// An editor (buffer text `text`) with a plugin host on engine `kind` installed.
pub fn editor(kind: EngineKind, text: &str) -> (Editor, SharedHost, EngineKind) {
    let mut ed = Editor::new();
    ed.headless = true;
    ed.buf_mut().text = ropey::Rope::from_str(text);
    let mut host = PluginHost::new(EngineConfig::default(), SearchPath::default()).expect("host");
    host.default_runtime = Some(kind);
    let shared = rtdvi_plugin::install(&mut ed, host);
    (ed, shared, kind)
}

/// Loads WAT text as plugin `name`.
pub fn load(
    ed: &mut Editor,
    host: &SharedHost,
    kind: EngineKind,
    name: &str,
    wat: &str,
    config_json: &str,
) -> Result<(), PluginError> {
    load_with(ed, host, kind, name, wat, config_json, test_limits())
}

/// [`load`] with other limits.
pub fn load_with(
    ed: &mut Editor,
    host: &SharedHost,
    kind: EngineKind,
    name: &str,
    wat: &str,
    config_json: &str,
    limits: PluginLimits,
) -> Result<(), PluginError> {
    let req = LoadRequest {
        name: name.to_string(),
        path: PathBuf::from(format!("{name}.wat")),
        origin: "test".to_string(),
        runtime: kind,
        limits,
        config_json: config_json.to_string(),
    };
    host.borrow_mut().load_bytes(ed, req, wat.as_bytes())
}

/// The texts of the pending messages (taken).
pub fn messages(ed: &mut Editor) -> Vec<String> {
    ed.take_messages().into_iter().map(|m| m.text).collect()
}

/// The pending error messages (taken with the rest).
pub fn errors(ed: &mut Editor) -> Vec<String> {
    ed.take_messages().into_iter().filter(|m| m.level == Level::Error).map(|m| m.text).collect()
}

/// The engines of this build.
pub fn engines() -> Vec<EngineKind> {
    EngineKind::available()
}
