//! WebAssembly libraries as Lua modules (`wasm_module.rs`), on both engines:
//! a hand-written module for the failure cases, the pdk-built textutil
//! example for values.

use super::*;
use crate::ModuleSource;

/// Module ABI by hand: `echo` answers `[true, args]`, `count` a counter
/// kept in the instance, `crash` traps, `spin` never returns, `hog` grows
/// memory until refused and then traps, `lie` answers a block outside
/// memory, `fail` answers `[false, "too short"]`.
const TOY: &str = r#"(module
  (memory (export "memory") 1)
  (global $next (mut i32) (i32.const 1024))
  (global $count (mut i32) (i32.const 0))
  (data (i32.const 32) "\92\c2\a9too short")
  (func $alloc (export "alloc") (param $n i32) (result i32) (local $p i32)
    (local.set $p (global.get $next))
    (global.set $next (i32.add (global.get $next) (local.get $n)))
    (local.get $p))
  (func (export "dealloc") (param i32 i32))
  (func $pack (param $p i32) (param $n i32) (result i64)
    (i64.or (i64.shl (i64.extend_i32_u (local.get $p)) (i64.const 32)) (i64.extend_i32_u (local.get $n))))
  (func (export "lua:echo") (param $p i32) (param $n i32) (result i64) (local $out i32)
    (local.set $out (call $alloc (i32.add (local.get $n) (i32.const 2))))
    (i32.store8 (local.get $out) (i32.const 0x92))
    (i32.store8 (i32.add (local.get $out) (i32.const 1)) (i32.const 0xc3))
    (memory.copy (i32.add (local.get $out) (i32.const 2)) (local.get $p) (local.get $n))
    (call $pack (local.get $out) (i32.add (local.get $n) (i32.const 2))))
  (func (export "lua:count") (param i32 i32) (result i64)
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (i32.store8 (i32.const 16) (i32.const 0x92))
    (i32.store8 (i32.const 17) (i32.const 0xc3))
    (i32.store8 (i32.const 18) (global.get $count))
    (call $pack (i32.const 16) (i32.const 3)))
  (func (export "lua:fail") (param i32 i32) (result i64) (call $pack (i32.const 32) (i32.const 12)))
  (func (export "lua:crash") (param i32 i32) (result i64) unreachable)
  (func (export "lua:spin") (param i32 i32) (result i64) (loop $l (br $l)) (i64.const 0))
  (func (export "lua:hog") (param i32 i32) (result i64)
    (loop $l (br_if $l (i32.ne (memory.grow (i32.const 16)) (i32.const -1))))
    unreachable)
  (func (export "lua:lie") (param i32 i32) (result i64) (i64.const -1))
  (func (export "helper") (result i32) (i32.const 7)))"#;

/// The example module built with the pdk (`scripts/build-plugins.sh`).
const TEXTUTIL: &[u8] = include_bytes!("../../../../examples/lua-modules/textutil/textutil.wasm");

fn with_modules(rt: &mut LuaRuntime) {
    rt.set_require(|name| match name {
        "toy" => Ok(ModuleSource::Wasm { origin: "toy.wat".into(), bytes: TOY.as_bytes().to_vec() }),
        "textutil" => Ok(ModuleSource::Wasm { origin: "textutil.wasm".into(), bytes: TEXTUTIL.to_vec() }),
        "bad" => Ok(ModuleSource::Wasm { origin: "bad.wasm".into(), bytes: b"\0asm nonsense".to_vec() }),
        other => Err(format!("no module '{other}'")),
    });
}

both_engines! {
    libraries_convert_values_both_ways => |e| {
        let mut rt = runtime(e);
        with_modules(&mut rt);
        let v = eval(&mut rt, "local t = require('toy')
            local r = t.echo(1, 2.5, 'é', true, nil, {1, 2}, {k = 'v'}, {})
            return table.concat({
              math.type(r[1]), r[1], r[2], r[3], tostring(r[4]), tostring(r[5]),
              r[6][2], r[7].k, #r[8], #r}, ',')");
        // Trailing nils drop out of the array as in any Lua list.
        assert_eq!(v, s("integer,1,2.5,é,true,nil,2,v,0,8"));
        // Only the `lua:` exports are functions; require caches the table.
        assert_eq!(eval(&mut rt, "local t = require('toy') return tostring(t.helper) .. tostring(t == require('toy'))"), s("niltrue"));
    };
    library_failures_are_lua_errors => |e| {
        let limits = Limits { memory_bytes: 4 << 20, deadline: std::time::Duration::from_secs(4), fuel: 200_000_000, ..test_limits() };
        let mut rt = LuaRuntime::new(e, limits).expect("Lua runtime starts");
        with_modules(&mut rt);
        rt.exec("setup", "t = require('toy')").unwrap();
        assert_eq!(eval(&mut rt, "return t.count() + t.count()"), LuaValue::Integer(3));
        // The caller's position, as Lua's own functions report errors.
        let (_, msg) = lua_error(&mut rt, "\nt.fail()");
        assert_eq!(msg, "[string \"test\"]:2: too short");
        for (f, expected) in [
            ("crash", "module crashed"),
            ("spin", "module exceeded its time limit"),
            ("hog", "module ran out of memory"),
            ("lie", "module crashed"),
        ] {
            let v = eval(&mut rt, &format!("local ok, e = pcall(t.{f}) return tostring(ok) .. ' ' .. e"));
            let text = v.as_str().unwrap_or_default().to_owned();
            assert!(text.starts_with("false ") && text.contains(&format!("toy.{f}: {expected}")), "{f}: {text}");
        }
        // A crash starts the library afresh; Lua itself is unharmed.
        assert_eq!(eval(&mut rt, "return t.count()"), LuaValue::Integer(1));
        assert!(rt.is_alive());
        let (_, msg) = lua_error(&mut rt, "t.echo(print)");
        assert!(msg.contains("a function cannot be passed"), "{msg}");
        let (_, msg) = lua_error(&mut rt, "require('bad')");
        assert!(msg.contains("module 'bad'") && msg.contains("invalid WebAssembly"), "{msg}");
    };
    pdk_textutil_from_lua => |e| {
        let mut rt = runtime(e);
        with_modules(&mut rt);
        let v = eval(&mut rt, "local t = require('textutil')
            local g = t.graphemes('e\\u{301}👍🏽x')
            return table.concat({ t.width('日本語 ok'), #g, g[1], g[2],
              t.title_case('ÉCOLE de paris'), t.format_date(951827696),
              t.format_date(0, '%A %d %B %Y') }, '|')");
        assert_eq!(v, s("9|3|e\u{301}|👍🏽|École De Paris|2000-02-29 12:34:56|Thursday 01 January 1970"));
        let (_, msg) = lua_error(&mut rt, "require('textutil').format_date(0, '%Q')");
        assert!(msg.ends_with("unknown format specifier %Q"), "{msg}");
        let (_, msg) = lua_error(&mut rt, "require('textutil').width({})");
        assert!(msg.contains("bad argument #1 to 'width' (string expected, got table)"), "{msg}");
        let (_, msg) = lua_error(&mut rt, "require('textutil').format_date(1.5)");
        assert!(msg.contains("number has no integer representation"), "{msg}");
    };
}
