//! Behaviour of the Lua guest, every test on both engines.

use crate::{EngineKind, Limits, LuaError, LuaErrorKind, LuaRuntime, LuaValue};

mod compat;
mod errors;
mod host_call;
mod sandbox;
mod wasm_module;

/// Defines `$name::wasmtime` and `$name::wasmi` running `$body(engine)`.
macro_rules! both_engines {
    ($($name:ident => $body:expr;)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                #[test]
                fn wasmtime() {
                    super::on_big_stack(|| ($body)(crate::EngineKind::Wasmtime))
                }
                #[test]
                fn wasmi() {
                    super::on_big_stack(|| ($body)(crate::EngineKind::Wasmi))
                }
            }
        )*
    };
}
pub(crate) use both_engines;

/// Runs `f` on a thread with the stack `crate::RECOMMENDED_STACK_BYTES`
/// asks for (test threads have 2 MiB), re-raising its panic.
pub(crate) fn on_big_stack(f: impl FnOnce() + Send + 'static) {
    let handle =
        std::thread::Builder::new().stack_size(crate::RECOMMENDED_STACK_BYTES).spawn(f).expect("spawn test thread");
    if let Err(panic) = handle.join() {
        std::panic::resume_unwind(panic);
    }
}

/// Generous limits: debug builds on a shared machine are slow, and tests
/// that expect a deadline set their own.
pub(crate) fn test_limits() -> Limits {
    Limits {
        memory_bytes: 48 << 20,
        deadline: std::time::Duration::from_secs(20),
        fuel: 20_000_000_000,
        output_bytes: 1 << 16,
    }
}

pub(crate) fn runtime(engine: EngineKind) -> LuaRuntime {
    LuaRuntime::new(engine, test_limits()).expect("Lua runtime starts")
}

/// A runtime with little memory, so bombs hit the limit fast (wasmi in a
/// debug build interprets memcpy loops slowly).
pub(crate) fn small_runtime(engine: EngineKind, memory_bytes: usize) -> LuaRuntime {
    let limits = Limits { memory_bytes, ..test_limits() };
    LuaRuntime::new(engine, limits).expect("Lua runtime starts")
}

/// Runs `src` and returns its single result.
pub(crate) fn eval(rt: &mut LuaRuntime, src: &str) -> LuaValue {
    match rt.exec("test", src) {
        Ok(mut v) if v.len() == 1 => v.remove(0),
        other => panic!("{src}: {other:?}"),
    }
}

/// Runs `src`, which must raise a Lua error, and returns its message.
pub(crate) fn lua_error(rt: &mut LuaRuntime, src: &str) -> (LuaErrorKind, String) {
    match rt.exec("test", src) {
        Err(LuaError::Lua { kind, message, .. }) => (kind, message),
        other => panic!("{src}: expected a Lua error, got {other:?}"),
    }
}

pub(crate) fn s(text: &str) -> LuaValue {
    LuaValue::string(text)
}

both_engines! {
    // The default budget (a second of Lua) holds 300,000 loop iterations even in a dev build on both engines; on
    // wasmi fuel once ran out after 1/800 of the deadline (LUA_FUEL_PER_MS).
    default_limits_hold_a_long_loop => |engine| {
        let mut rt = LuaRuntime::new(engine, Limits::default()).expect("Lua runtime starts");
        let v = eval(&mut rt, "local s = 0 for i = 1, 100000 do s = s + i end return s");
        assert_eq!(v, LuaValue::Integer(5000050000));
        let v = eval(&mut rt, "local s = 0 for i = 1, 300000 do s = s + i end return s");
        assert_eq!(v, LuaValue::Integer(45000150000));
    };
}
