//! Behaviour of the public API, run on both engines.

use std::time::Duration;

use rtdvi_wasm::{
    CallError, Engine, EngineConfig, EngineKind, Error, FuncType, HostError, Instance, Limits, Linker, Module,
    TrapKind, Val, ValType,
};

use ValType::{F32, F64, I32, I64};

/// Generates one test per engine for each listed function `fn(EngineKind)`.
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod wasmtime {
            $(
                #[cfg(feature = "wasmtime")]
                #[test]
                fn $name() {
                    super::$name(rtdvi_wasm::EngineKind::Wasmtime);
                }
            )*
        }
        mod wasmi {
            $(
                #[cfg(feature = "wasmi")]
                #[test]
                fn $name() {
                    super::$name(rtdvi_wasm::EngineKind::Wasmi);
                }
            )*
        }
    };
}

on_both_engines!(
    calls_with_each_value_type,
    host_reads_and_writes_memory_with_bounds_checks,
    host_reenters_the_same_instance,
    try_throw_unwinds_to_the_host_try,
    deadline_inside_try_is_not_caught,
    infinite_loop_hits_the_deadline_and_poisons,
    memory_grow_past_limit_fails_then_oom_trap,
    unbounded_recursion_overflows_the_stack,
    unknown_import_traps_when_called,
    forbidden_wasi_import_traps_naming_it,
    wasi_subset_works,
    proc_exit_is_a_clean_trap,
    host_error_is_a_host_trap_and_keeps_instance,
    invalid_bytes_are_an_error,
    missing_export_is_named,
    table_growth_is_capped,
    instance_cap_is_enforced,
    reactor_initialize_runs_once,
    out_of_bounds_guest_access_traps,
    instances_are_independent,
    wrong_arguments_are_refused_without_poisoning,
    reentry_depth_is_capped,
);

fn engine(kind: EngineKind) -> Engine {
    Engine::new(kind, &EngineConfig::default()).unwrap_or_else(|e| panic!("{kind}: {e}"))
}

fn module(kind: EngineKind, wat: &str) -> Module {
    Module::new(&engine(kind), wat.as_bytes()).unwrap_or_else(|e| panic!("{kind}: {e}"))
}

fn instantiate<T: 'static>(kind: EngineKind, linker: &Linker<T>, wat: &str, data: T) -> Instance<T> {
    linker.instantiate(&module(kind, wat), data, Limits::default()).unwrap_or_else(|e| panic!("{kind}: {e}"))
}

fn call1<T: 'static>(i: &mut Instance<T>, name: &str, args: &[Val]) -> Result<Val, Error> {
    let mut out = [Val::I32(0)];
    i.call(name, args, &mut out)?;
    Ok(out[0])
}

fn trap_kind(r: Result<impl std::fmt::Debug, Error>) -> (TrapKind, String) {
    match r {
        Err(Error::Trap(t)) => (t.kind, t.message),
        other => panic!("expected a trap, got {other:?}"),
    }
}

fn calls_with_each_value_type(kind: EngineKind) {
    let mut linker = Linker::<Vec<String>>::new();
    linker
        .define("host", "mix", FuncType::new([I32, I64, F32, F64], [I64, F64]), |caller, args, results| {
            caller.data_mut().push(format!("{args:?}"));
            let (a, b) = (args[0].i32().unwrap_or(0), args[1].i64().unwrap_or(0));
            let (c, d) = (args[2].f32().unwrap_or(0.0), args[3].f64().unwrap_or(0.0));
            results[0] = Val::I64(i64::from(a) + b);
            results[1] = Val::F64(f64::from(c) * d);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let wat = r#"(module
        (import "host" "mix" (func $mix (param i32 i64 f32 f64) (result i64 f64)))
        (func (export "add32") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
        (func (export "add64") (param i64 i64) (result i64) local.get 0 local.get 1 i64.add)
        (func (export "mulf32") (param f32 f32) (result f32) local.get 0 local.get 1 f32.mul)
        (func (export "divf64") (param f64 f64) (result f64) local.get 0 local.get 1 f64.div)
        (func (export "via_host") (param i32 i64 f32 f64) (result i64 f64)
            local.get 0 local.get 1 local.get 2 local.get 3 call $mix))"#;
    let mut i = instantiate(kind, &linker, wat, Vec::new());
    assert_eq!(call1(&mut i, "add32", &[Val::I32(-5), Val::I32(7)]).ok(), Some(Val::I32(2)));
    assert_eq!(call1(&mut i, "add64", &[Val::I64(1 << 40), Val::I64(1)]).ok(), Some(Val::I64((1 << 40) + 1)));
    assert_eq!(call1(&mut i, "mulf32", &[Val::F32(1.5), Val::F32(-2.0)]).ok(), Some(Val::F32(-3.0)));
    assert_eq!(call1(&mut i, "divf64", &[Val::F64(1.0), Val::F64(4.0)]).ok(), Some(Val::F64(0.25)));
    let mut out = [Val::I64(0), Val::F64(0.0)];
    let args = [Val::I32(3), Val::I64(4), Val::F32(0.5), Val::F64(10.0)];
    i.call("via_host", &args, &mut out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out, [Val::I64(7), Val::F64(5.0)]);
    assert_eq!(i.data().len(), 1);
}

fn host_reads_and_writes_memory_with_bounds_checks(kind: EngineKind) {
    let mut linker = Linker::<Vec<Result<String, String>>>::new();
    // Reads (ptr, len) as text, records the outcome, returns 0 or -1.
    linker
        .define("host", "read", FuncType::new([I32, I32], [I32]), |caller, args, res| {
            let (p, l) = (args[0].i32().unwrap_or(0), args[1].i32().unwrap_or(0));
            let r = caller.read_string(p, l).map_err(|e| e.to_string());
            res[0] = Val::I32(if r.is_ok() { 0 } else { -1 });
            caller.data_mut().push(r);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    linker
        .define("host", "write_hi", FuncType::new([I32], [I32]), |caller, args, res| {
            let ok = caller.write(args[0].i32().unwrap_or(0), b"hi!").is_ok();
            res[0] = Val::I32(if ok { 0 } else { -1 });
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let wat = r#"(module
        (import "host" "read" (func $read (param i32 i32) (result i32)))
        (import "host" "write_hi" (func $write (param i32) (result i32)))
        (memory (export "memory") 1)
        (data (i32.const 16) "hello")
        (func (export "read") (param i32 i32) (result i32) local.get 0 local.get 1 call $read)
        (func (export "write") (param i32) (result i32) local.get 0 call $write)
        (func (export "load8") (param i32) (result i32) local.get 0 i32.load8_u))"#;
    let mut i = instantiate(kind, &linker, wat, Vec::new());
    let r = |i: &mut Instance<_>, p: i32, l: i32| call1(i, "read", &[Val::I32(p), Val::I32(l)]);
    assert_eq!(r(&mut i, 16, 5).ok(), Some(Val::I32(0)));
    assert_eq!(r(&mut i, 65536 - 1, 1).ok(), Some(Val::I32(0)));
    assert_eq!(r(&mut i, 65536, 0).ok(), Some(Val::I32(0)));
    for (p, l) in [(65536, 1), (65530, 7), (-1, 1), (0, -1), (i32::MAX, i32::MAX), (-2, 4)] {
        assert_eq!(r(&mut i, p, l).ok(), Some(Val::I32(-1)), "ptr={p} len={l}");
    }
    assert_eq!(i.data()[0].as_deref(), Ok("hello"));
    assert!(i.data().iter().filter(|x| x.is_err()).count() == 6);
    assert_eq!(call1(&mut i, "write", &[Val::I32(100)]).ok(), Some(Val::I32(0)));
    assert_eq!(call1(&mut i, "load8", &[Val::I32(102)]).ok(), Some(Val::I32(i32::from(b'!'))));
    assert_eq!(call1(&mut i, "write", &[Val::I32(65534)]).ok(), Some(Val::I32(-1)));
    assert_eq!(call1(&mut i, "write", &[Val::I32(-1)]).ok(), Some(Val::I32(-1)));
    // The same checks from the instance side.
    assert_eq!(i.read(16, 5).ok(), Some(b"hello".to_vec()));
    assert!(i.read(65535, 2).is_err());
    assert!(i.write(-5, b"x").is_err());
    assert_eq!(i.memory_size(), 65536);
    assert!(!i.is_poisoned());
}

fn host_reenters_the_same_instance(kind: EngineKind) {
    let mut linker = Linker::<u32>::new();
    linker
        .define("host", "twice", FuncType::new([I32], [I32]), |caller, args, res| {
            *caller.data_mut() += 1;
            let mut out = [Val::I32(0)];
            caller.call("double", args, &mut out)?;
            caller.call("double", &out.clone(), &mut out)?;
            res[0] = out[0];
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let wat = r#"(module
        (import "host" "twice" (func $twice (param i32) (result i32)))
        (global $calls (export "calls") (mut i32) (i32.const 0))
        (func (export "double") (param i32) (result i32)
            global.get $calls i32.const 1 i32.add global.set $calls
            local.get 0 i32.const 2 i32.mul)
        (func (export "quadruple") (param i32) (result i32) local.get 0 call $twice))"#;
    let mut i = instantiate(kind, &linker, wat, 0);
    assert_eq!(call1(&mut i, "quadruple", &[Val::I32(5)]).ok(), Some(Val::I32(20)));
    assert_eq!(i.global_get("calls").ok(), Some(Val::I32(2)));
    assert_eq!(*i.data(), 1);
}

/// The Lua route: "try" re-enters an exported trampoline; "throw" unwinds
/// to it; "try" restores `__stack_pointer` and reports failure.
fn try_throw_linker() -> Linker<Vec<i32>> {
    let mut linker = Linker::<Vec<i32>>::new();
    linker
        .define("host", "try", FuncType::new([I32], [I32]), |caller, args, res| {
            let sp = caller.global_get("__stack_pointer")?;
            match caller.call("trampoline", args, &mut []) {
                Ok(()) => res[0] = Val::I32(0),
                Err(e) => match e.thrown() {
                    Some(v) => {
                        caller.data_mut().push(v);
                        caller.global_set("__stack_pointer", sp)?;
                        res[0] = Val::I32(1);
                    }
                    None => return Err(e.into()),
                },
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"))
        .define("host", "throw", FuncType::new([I32], []), |_, args, _| {
            Err(HostError::throw(args[0].i32().unwrap_or(0)))
        })
        .unwrap_or_else(|e| panic!("{e}"));
    linker
}

const TRY_WAT: &str = r#"(module
    (import "host" "try" (func $try (param i32) (result i32)))
    (import "host" "throw" (func $throw (param i32)))
    (memory (export "memory") 1)
    (global $sp (export "__stack_pointer") (mut i32) (i32.const 4096))
    ;; mode 0: return normally; 1: throw 7 from 3 frames deep;
    ;; 2: nested try that catches, then return; 3: spin forever.
    (func $deep (param i32)
        local.get 0 i32.eqz if i32.const 7 call $throw end
        local.get 0 i32.const 1 i32.sub call $deep)
    (func (export "trampoline") (param i32)
        global.get $sp i32.const 64 i32.sub global.set $sp
        block
          local.get 0 i32.const 1 i32.eq if i32.const 3 call $deep end
          local.get 0 i32.const 2 i32.eq if
            i32.const 1 call $try i32.const 1 i32.ne if unreachable end
          end
          local.get 0 i32.const 3 i32.eq if loop br 0 end end
        end
        global.get $sp i32.const 64 i32.add global.set $sp)
    (func (export "run") (param i32) (result i32) local.get 0 call $try)
    (func (export "throw_uncaught") i32.const 9 call $throw))"#;

fn try_throw_unwinds_to_the_host_try(kind: EngineKind) {
    let mut i = instantiate(kind, &try_throw_linker(), TRY_WAT, Vec::new());
    for _ in 0..3 {
        assert_eq!(call1(&mut i, "run", &[Val::I32(0)]).ok(), Some(Val::I32(0)));
        assert_eq!(call1(&mut i, "run", &[Val::I32(1)]).ok(), Some(Val::I32(1)));
        assert_eq!(i.global_get("__stack_pointer").ok(), Some(Val::I32(4096)));
    }
    assert_eq!(call1(&mut i, "run", &[Val::I32(2)]).ok(), Some(Val::I32(0)));
    assert_eq!(i.global_get("__stack_pointer").ok(), Some(Val::I32(4096)));
    assert_eq!(i.data(), &vec![7, 7, 7, 7]);
    assert!(!i.is_poisoned());
    // A throw nobody catches ends the call as a host trap.
    let (k, msg) = trap_kind(i.call("throw_uncaught", &[], &mut []));
    assert_eq!(k, TrapKind::Host("throw".into()));
    assert!(msg.contains("uncaught"), "{msg}");
}

fn deadline_inside_try_is_not_caught(kind: EngineKind) {
    let m = module(kind, TRY_WAT);
    let limits = Limits { deadline: Some(Duration::from_millis(20)), ..Limits::default() };
    let mut i = try_throw_linker().instantiate(&m, Vec::new(), limits).unwrap_or_else(|e| panic!("{e}"));
    let (k, _) = trap_kind(call1(&mut i, "run", &[Val::I32(3)]));
    assert_eq!(k, TrapKind::Deadline);
    assert!(i.data().is_empty());
    assert!(i.is_poisoned());
}

fn infinite_loop_hits_the_deadline_and_poisons(kind: EngineKind) {
    let wat = r#"(module
        (func (export "spin") (loop br 0))
        (func (export "ok") (result i32) i32.const 1))"#;
    let m = module(kind, wat);
    let limits = Limits { deadline: Some(Duration::from_millis(20)), ..Limits::default() };
    let linker = Linker::<()>::new();
    let mut i = linker.instantiate(&m, (), limits.clone()).unwrap_or_else(|e| panic!("{e}"));
    let (k, msg) = trap_kind(i.call("spin", &[], &mut []));
    assert_eq!(k, TrapKind::Deadline);
    assert_eq!(msg, "plugin exceeded its time limit of 20 ms");
    assert!(i.is_poisoned());
    assert!(matches!(call1(&mut i, "ok", &[]), Err(Error::Poisoned(_))));
    // A fresh instance of the same module works.
    let mut j = linker.instantiate(&m, (), limits).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(call1(&mut j, "ok", &[]).ok(), Some(Val::I32(1)));
}

fn memory_grow_past_limit_fails_then_oom_trap(kind: EngineKind) {
    let wat = r#"(module
        (memory (export "memory") 1)
        (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
        (func (export "bomb")
            (loop i32.const 16 memory.grow i32.const -1 i32.ne br_if 0)
            unreachable))"#;
    let limits = Limits { memory_bytes: Some(4 * 65536), ..Limits::default() };
    let mut i = Linker::<()>::new().instantiate(&module(kind, wat), (), limits).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(call1(&mut i, "grow", &[Val::I32(1)]).ok(), Some(Val::I32(1)));
    assert_eq!(call1(&mut i, "grow", &[Val::I32(10)]).ok(), Some(Val::I32(-1)));
    // Refused, but the instance keeps running.
    assert_eq!(call1(&mut i, "grow", &[Val::I32(2)]).ok(), Some(Val::I32(2)));
    assert_eq!(i.memory_size(), 4 * 65536);
    let (k, msg) = trap_kind(i.call("bomb", &[], &mut []));
    assert_eq!(k, TrapKind::OutOfMemory);
    assert!(msg.contains("262144"), "{msg}");
    assert!(i.is_poisoned());
}

fn unbounded_recursion_overflows_the_stack(kind: EngineKind) {
    let wat = r#"(module
        (func $r (export "recurse") (param i32) (result i32)
            local.get 0 i32.const 1 i32.add call $r))"#;
    let mut i = instantiate(kind, &Linker::<()>::new(), wat, ());
    let (k, _) = trap_kind(call1(&mut i, "recurse", &[Val::I32(0)]));
    assert_eq!(k, TrapKind::StackOverflow);
}

fn unknown_import_traps_when_called(kind: EngineKind) {
    let wat = r#"(module
        (import "env" "mystery" (func $m (param i32) (result f64)))
        (func (export "fine") (result i32) i32.const 3)
        (func (export "call_it") (result f64) i32.const 1 call $m))"#;
    let m = module(kind, wat);
    assert_eq!(m.imports().len(), 1);
    assert_eq!(m.imports()[0].module, "env");
    assert_eq!(m.imports()[0].kind, rtdvi_wasm::ExternKind::Func(FuncType::new([I32], [F64])));
    let mut i = Linker::<()>::new().instantiate(&m, (), Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(call1(&mut i, "fine", &[]).ok(), Some(Val::I32(3)));
    let (k, msg) = trap_kind(call1(&mut i, "call_it", &[]));
    assert_eq!(k, TrapKind::ForbiddenImport("env.mystery".into()));
    assert_eq!(msg, "plugin called forbidden import env.mystery");
}

fn forbidden_wasi_import_traps_naming_it(kind: EngineKind) {
    let wat = r#"(module
        (import "wasi_snapshot_preview1" "fd_write"
            (func $w (param i32 i32 i32 i32) (result i32)))
        (memory (export "memory") 1)
        (func (export "print") (result i32)
            i32.const 1 i32.const 0 i32.const 0 i32.const 0 call $w))"#;
    let mut linker = Linker::<()>::new();
    linker.define_wasi().unwrap_or_else(|e| panic!("{e}"));
    let mut i = instantiate(kind, &linker, wat, ());
    let (k, msg) = trap_kind(call1(&mut i, "print", &[]));
    assert_eq!(k, TrapKind::ForbiddenImport("wasi_snapshot_preview1.fd_write".into()));
    assert_eq!(msg, "plugin called forbidden import wasi_snapshot_preview1.fd_write");
}

fn wasi_subset_works(kind: EngineKind) {
    let wat = r#"(module
        (import "wasi_snapshot_preview1" "random_get" (func $rand (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "clock_time_get"
            (func $clock (param i32 i64 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_prestat_get" (func $prestat (param i32 i32) (result i32)))
        (memory (export "memory") 1)
        (func (export "rand") (param i32 i32) (result i32) local.get 0 local.get 1 call $rand)
        (func (export "clock") (param i32) (result i32) local.get 0 i64.const 1 i32.const 64 call $clock)
        (func (export "clock_at") (param i32) (result i32) i32.const 1 i64.const 1 local.get 0 call $clock)
        (func (export "now") (result i64) i32.const 64 i64.load)
        (func (export "prestat") (result i32) i32.const 3 i32.const 0 call $prestat))"#;
    let mut linker = Linker::<()>::new();
    linker.define_wasi().unwrap_or_else(|e| panic!("{e}"));
    let mut i = instantiate(kind, &linker, wat, ());
    assert_eq!(call1(&mut i, "rand", &[Val::I32(1000), Val::I32(256)]).ok(), Some(Val::I32(0)));
    let bytes = i.read(1000, 256).unwrap_or_default();
    assert!(bytes.iter().filter(|b| **b == 0).count() < 32, "not random: {bytes:?}");
    // Out of bounds: EFAULT, not a trap.
    assert_eq!(call1(&mut i, "rand", &[Val::I32(65530), Val::I32(16)]).ok(), Some(Val::I32(21)));
    assert_eq!(call1(&mut i, "clock", &[Val::I32(0)]).ok(), Some(Val::I32(0)));
    let wall = call1(&mut i, "now", &[]).ok().and_then(|v| v.i64()).unwrap_or(0);
    assert!(wall > 1_600_000_000_000_000_000, "{wall}");
    assert_eq!(call1(&mut i, "clock", &[Val::I32(1)]).ok(), Some(Val::I32(0)));
    let m1 = call1(&mut i, "now", &[]).ok().and_then(|v| v.i64()).unwrap_or(-1);
    assert_eq!(call1(&mut i, "clock", &[Val::I32(1)]).ok(), Some(Val::I32(0)));
    let m2 = call1(&mut i, "now", &[]).ok().and_then(|v| v.i64()).unwrap_or(-1);
    assert!(m1 >= 0 && m2 >= m1, "{m1} {m2}");
    assert_eq!(call1(&mut i, "clock", &[Val::I32(9)]).ok(), Some(Val::I32(28)));
    assert_eq!(call1(&mut i, "clock_at", &[Val::I32(-8)]).ok(), Some(Val::I32(21)));
    assert_eq!(call1(&mut i, "prestat", &[]).ok(), Some(Val::I32(8)));
}

fn proc_exit_is_a_clean_trap(kind: EngineKind) {
    let wat = r#"(module
        (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
        (func (export "quit") i32.const 3 call $exit unreachable))"#;
    let mut linker = Linker::<()>::new();
    linker.define_wasi().unwrap_or_else(|e| panic!("{e}"));
    let mut i = instantiate(kind, &linker, wat, ());
    let (k, msg) = trap_kind(i.call("quit", &[], &mut []));
    assert_eq!(k, TrapKind::Exit(3));
    assert_eq!(msg, "plugin called proc_exit(3)");
}

fn host_error_is_a_host_trap_and_keeps_instance(kind: EngineKind) {
    let mut linker = Linker::<()>::new();
    linker
        .define("host", "fail", FuncType::new([], []), |_, _, _| Err(HostError::new("boom")))
        .unwrap_or_else(|e| panic!("{e}"))
        .define("host", "liar", FuncType::new([], [I32]), |_, _, res| {
            res[0] = Val::F64(1.0);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let wat = r#"(module
        (import "host" "fail" (func $fail))
        (import "host" "liar" (func $liar (result i32)))
        (func (export "fail") call $fail)
        (func (export "liar") (result i32) call $liar)
        (func (export "ok") (result i32) i32.const 5))"#;
    let mut i = instantiate(kind, &linker, wat, ());
    let (k, msg) = trap_kind(i.call("fail", &[], &mut []));
    assert_eq!(k, TrapKind::Host("host.fail".into()));
    assert_eq!(msg, "host.fail: boom");
    assert!(!i.is_poisoned());
    let (k, msg) = trap_kind(call1(&mut i, "liar", &[]));
    assert_eq!(k, TrapKind::Host("host.liar".into()));
    assert!(msg.contains("returned f64 where i32"), "{msg}");
    assert_eq!(call1(&mut i, "ok", &[]).ok(), Some(Val::I32(5)));
}

fn invalid_bytes_are_an_error(kind: EngineKind) {
    let e = engine(kind);
    let valid = wat::parse_str(r#"(module (func (export "f") (result i32) i32.const 1))"#).unwrap_or_default();
    let cases: Vec<Vec<u8>> = vec![
        b"\0asm\x01\0\0\0garbage".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x80],
        b"(module (func (export \"f\") (result i32) i64.const 1))".to_vec(),
        b"not wat at all (".to_vec(),
        Vec::new(),
    ];
    for bytes in &cases {
        match Module::new(&e, bytes) {
            Err(Error::InvalidModule(msg)) => assert!(!msg.is_empty()),
            other => panic!("{kind}: {bytes:?} gave {other:?}"),
        }
    }
    // Every truncation is refused cleanly (a cut at a section boundary can
    // still be a valid module, e.g. the bare 8-byte header).
    for n in 0..valid.len() {
        match Module::new(&e, &valid[..n]) {
            Ok(_) | Err(Error::InvalidModule(_)) => {}
            Err(other) => panic!("{kind}: prefix {n} gave {other:?}"),
        }
    }
    assert!(Module::new(&e, &valid).is_ok());
}

fn missing_export_is_named(kind: EngineKind) {
    let m = module(
        kind,
        r#"(module (func (export "run_command") (param i32) (result i32) local.get 0)
                   (memory (export "memory") 1))"#,
    );
    let want = FuncType::new([I32, I32], [I32]);
    assert!(m.has_export("run_command", &FuncType::new([I32], [I32])));
    assert!(!m.has_export("run_command", &want));
    assert!(!m.has_export("memory", &want));
    let msg = m.require_export("on_event", &want).err().map(|e| e.to_string());
    assert_eq!(msg.as_deref(), Some("plugin is missing required export on_event: (i32, i32) -> (i32)"));
    let msg = m.require_export("run_command", &want).err().map(|e| e.to_string());
    assert_eq!(
        msg.as_deref(),
        Some(
            "plugin is missing required export run_command: (i32, i32) -> (i32) \
             (it exports func (i32) -> (i32))"
        )
    );
    assert!(m.require_export("run_command", &FuncType::new([I32], [I32])).is_ok());
    assert_eq!(m.exports().len(), 2);
    let mut i = Linker::<()>::new().instantiate(&m, (), Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(i.call("nope", &[], &mut []), Err(Error::NoSuchExport(n)) if n == "nope"));
}

fn table_growth_is_capped(kind: EngineKind) {
    let wat = r#"(module
        (table 1 funcref)
        (func (export "tgrow") (param i32) (result i32) ref.null func local.get 0 table.grow 0))"#;
    let limits = Limits { table_elements: Some(10), ..Limits::default() };
    let mut i = Linker::<()>::new().instantiate(&module(kind, wat), (), limits).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(call1(&mut i, "tgrow", &[Val::I32(5)]).ok(), Some(Val::I32(1)));
    assert_eq!(call1(&mut i, "tgrow", &[Val::I32(5)]).ok(), Some(Val::I32(-1)));
    assert_eq!(call1(&mut i, "tgrow", &[Val::I32(4)]).ok(), Some(Val::I32(6)));
}

fn instance_cap_is_enforced(kind: EngineKind) {
    let m = module(kind, r#"(module (memory 1))"#);
    let too_few_memories = Limits { memories: 0, ..Limits::default() };
    assert!(Linker::<()>::new().instantiate(&m, (), too_few_memories).is_err());
    let no_instances = Limits { instances: 0, ..Limits::default() };
    assert!(Linker::<()>::new().instantiate(&m, (), no_instances).is_err());
    assert!(Linker::<()>::new().instantiate(&m, (), Limits::default()).is_ok());
}

fn reactor_initialize_runs_once(kind: EngineKind) {
    let wat = r#"(module
        (global $g (export "g") (mut i32) (i32.const 0))
        (func (export "_initialize") global.get $g i32.const 1 i32.add global.set $g))"#;
    let mut i = instantiate(kind, &Linker::<()>::new(), wat, ());
    assert_eq!(i.global_get("g").ok(), Some(Val::I32(1)));
    assert!(i.global_set("g", Val::I32(9)).is_ok());
    assert_eq!(i.global_get("g").ok(), Some(Val::I32(9)));
    assert!(i.global_set("g", Val::I64(9)).is_err());
    assert!(i.global_get("missing").is_err());
}

fn out_of_bounds_guest_access_traps(kind: EngineKind) {
    let wat = r#"(module (memory 1)
        (func (export "peek") (param i32) (result i32) local.get 0 i32.load))"#;
    let mut i = instantiate(kind, &Linker::<()>::new(), wat, ());
    assert_eq!(call1(&mut i, "peek", &[Val::I32(0)]).ok(), Some(Val::I32(0)));
    let (k, _) = trap_kind(call1(&mut i, "peek", &[Val::I32(65535)]));
    assert_eq!(k, TrapKind::MemoryOutOfBounds);
    assert!(i.is_poisoned());
}

fn instances_are_independent(kind: EngineKind) {
    let wat = r#"(module
        (global $n (mut i32) (i32.const 0))
        (func (export "bump") (result i32)
            global.get $n i32.const 1 i32.add global.set $n global.get $n))"#;
    let pre = Linker::<()>::new().prepare(&module(kind, wat)).unwrap_or_else(|e| panic!("{e}"));
    let mut a = pre.instantiate((), Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    let mut b = pre.instantiate((), Limits::default()).unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..3 {
        let _ = call1(&mut a, "bump", &[]);
    }
    assert_eq!(call1(&mut a, "bump", &[]).ok(), Some(Val::I32(4)));
    assert_eq!(call1(&mut b, "bump", &[]).ok(), Some(Val::I32(1)));
    let f = a.func("bump").unwrap_or_else(|e| panic!("{e}"));
    let mut out = [Val::I32(0)];
    assert!(matches!(b.call_func(&f, &[], &mut out), Err(Error::Signature(_))));
    assert!(a.call_func(&f, &[], &mut out).is_ok());
    assert_eq!(out[0], Val::I32(5));
}

fn wrong_arguments_are_refused_without_poisoning(kind: EngineKind) {
    let wat = r#"(module (func (export "id") (param i32) (result i32) local.get 0))"#;
    let mut i = instantiate(kind, &Linker::<()>::new(), wat, ());
    assert!(matches!(call1(&mut i, "id", &[Val::I64(1)]), Err(Error::Signature(_))));
    assert!(matches!(i.call("id", &[Val::I32(1)], &mut []), Err(Error::Signature(_))));
    assert!(matches!(call1(&mut i, "id", &[]), Err(Error::Signature(_))));
    assert!(!i.is_poisoned());
    assert_eq!(call1(&mut i, "id", &[Val::I32(4)]).ok(), Some(Val::I32(4)));
}

#[test]
fn host_function_defined_twice_is_refused() {
    let mut linker = Linker::<()>::new();
    let ty = FuncType::new([], []);
    assert!(linker.define("a", "b", ty.clone(), |_, _, _| Ok(())).is_ok());
    let err = linker.define("a", "b", ty, |_, _, _| Ok(())).err().map(|e| e.to_string());
    assert_eq!(err.as_deref(), Some("host function a.b is defined twice"));
}

#[test]
fn large_wasm_stack_is_accepted() {
    // The Lua guest asks for 32 MiB; the engine must not refuse it.
    let config = EngineConfig { max_wasm_stack: 32 << 20, ..EngineConfig::default() };
    for kind in EngineKind::available() {
        let e = Engine::new(kind, &config).unwrap_or_else(|e| panic!("{kind}: {e}"));
        let m = Module::new(&e, br#"(module (func (export "f") (result i32) i32.const 3))"#)
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        let mut i = Linker::<()>::new().instantiate(&m, (), Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(call1(&mut i, "f", &[]).ok(), Some(Val::I32(3)), "{kind}");
    }
}

#[test]
fn import_with_the_wrong_signature_is_a_link_error() {
    for kind in EngineKind::available() {
        let mut linker = Linker::<()>::new();
        linker.define_wasi().unwrap_or_else(|e| panic!("{e}"));
        let wat = r#"(module (import "wasi_snapshot_preview1" "random_get" (func (param i32))))"#;
        let r = linker.prepare(&module(kind, wat));
        assert!(matches!(r, Err(Error::Link(_))), "{kind}");
    }
}

#[test]
fn traps_read_the_same_on_both_engines() {
    let wat = r#"(module
        (import "env" "nope" (func $n))
        (memory 1)
        (func (export "a") call $n)
        (func (export "b") unreachable)
        (func (export "c") i32.const -1 i32.load drop))"#;
    let mut seen: Vec<Vec<String>> = Vec::new();
    for kind in EngineKind::available() {
        let mut i = instantiate(kind, &Linker::<()>::new(), wat, ());
        let mut msgs = Vec::new();
        for f in ["a", "b", "c"] {
            // Each trap but the first poisons, so re-instantiate.
            i = instantiate(kind, &Linker::<()>::new(), wat, ());
            msgs.push(trap_kind(i.call(f, &[], &mut [])).1);
        }
        let _ = &mut i;
        seen.push(msgs);
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "{seen:?}");
}

#[cfg(feature = "wasmtime")]
#[test]
fn precompiled_artifact_loads_and_bad_one_falls_back() {
    let e = engine(EngineKind::Wasmtime);
    let wat = br#"(module (func (export "f") (result i32) i32.const 11))"#;
    let art = e.precompile(wat).unwrap_or_else(|e| panic!("{e}"));
    for artifact in [art.clone(), art[..art.len() / 2].to_vec(), b"junk".to_vec()] {
        let m = Module::with_precompiled(&e, wat, &artifact).unwrap_or_else(|e| panic!("{e}"));
        let mut i = Linker::<()>::new().instantiate(&m, (), Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(call1(&mut i, "f", &[]).ok(), Some(Val::I32(11)));
    }
    #[cfg(feature = "wasmi")]
    {
        let wasmi = engine(EngineKind::Wasmi);
        assert!(wasmi.precompile(wat).is_err());
        assert!(Module::with_precompiled(&wasmi, wat, &art).is_ok());
    }
}

#[cfg(feature = "wasmtime")]
#[test]
fn pooling_allocator_instantiates_many_small_plugins() {
    let config = EngineConfig {
        pooling: Some(rtdvi_wasm::PoolingConfig { max_instances: 8, max_memory_bytes: 1 << 20 }),
        ..EngineConfig::default()
    };
    let e = Engine::new(EngineKind::Wasmtime, &config).unwrap_or_else(|e| panic!("{e}"));
    let m = Module::new(
        &e,
        br#"(module (memory (export "memory") 1) (data (i32.const 0) "x")
            (func (export "f") (result i32) i32.const 0 i32.load8_u))"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let pre = Linker::<()>::new().prepare(&m).unwrap_or_else(|e| panic!("{e}"));
    let mut live: Vec<_> =
        (0..8).map(|_| pre.instantiate((), Limits::default()).unwrap_or_else(|e| panic!("{e}"))).collect();
    for i in &mut live {
        assert_eq!(call1(i, "f", &[]).ok(), Some(Val::I32(i32::from(b'x'))));
    }
    // The pool is full: a ninth fails cleanly; dropping one frees a slot.
    assert!(pre.instantiate((), Limits::default()).is_err());
    live.pop();
    assert!(pre.instantiate((), Limits::default()).is_ok());
}

#[test]
fn call_error_displays_its_cause() {
    // A re-entrant call to a missing export is a usage error, not a throw.
    for kind in EngineKind::available() {
        let mut linker = Linker::<Option<String>>::new();
        linker
            .define("host", "h", FuncType::new([], []), |caller, _, _| {
                let e: CallError = match caller.call("absent", &[], &mut []) {
                    Err(e) => e,
                    Ok(()) => return Err(HostError::new("absent export was callable")),
                };
                assert_eq!(e.thrown(), None);
                *caller.data_mut() = Some(e.to_string());
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{e}"));
        let wat = r#"(module (import "host" "h" (func $h)) (func (export "go") call $h))"#;
        let mut i = instantiate(kind, &linker, wat, None);
        assert!(i.call("go", &[], &mut []).is_ok());
        assert_eq!(i.data().as_deref(), Some("plugin has no exported function absent"));
    }
}

fn reentry_depth_is_capped(kind: EngineKind) {
    // Guest → host → guest → host ... without end.
    let mut linker = Linker::<u32>::new();
    linker
        .define("host", "again", FuncType::new([], []), |caller, _, _| {
            *caller.data_mut() += 1;
            caller.call("down", &[], &mut [])?;
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    let wat = r#"(module (import "host" "again" (func $again))
        (func (export "down") call $again))"#;
    let mut i = instantiate(kind, &linker, wat, 0);
    let (k, msg) = trap_kind(i.call("down", &[], &mut []));
    assert_eq!(k, TrapKind::StackOverflow, "{msg}");
    eprintln!("{kind}: re-entry stopped after {} levels", i.data());
    // Even a debug build fits 50 levels in the default budgets.
    assert!(*i.data() >= 50, "stopped after {} levels", i.data());
    assert!(*i.data() <= 1_000, "went {} levels deep", i.data());
}

#[test]
fn handles_can_move_between_threads() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<Engine>();
    send_sync::<Module>();
    send_sync::<Linker<u8>>();
    send_sync::<rtdvi_wasm::InstancePre<u8>>();
    send::<Instance<u8>>();
    send::<Error>();
}
