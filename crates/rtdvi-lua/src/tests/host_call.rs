//! `require("rtdvi").call` and re-entry into the calling state.

use super::*;
use crate::{CallbackId, LuaHost, Reentry};

/// A host with a few functions for the tests:
/// - `echo(...)` returns its arguments;
/// - `fail(v)` raises `v`;
/// - `run(f, ...)` calls Lua function `f` with the rest, through the re-entry;
/// - `exec(src)` runs a chunk through the re-entry;
/// - `swallow(src)` runs a chunk and ignores how it ended;
/// - `depth()` how many host calls are open right now.
#[derive(Default)]
struct TestHost {
    open: usize,
    deepest: usize,
    calls: usize,
}

fn err_value(e: LuaError) -> LuaValue {
    match e {
        LuaError::Lua { value, .. } => *value,
        other => LuaValue::string(other.to_string()),
    }
}

impl LuaHost for TestHost {
    fn call(&mut self, lua: &mut Reentry<'_>, name: &str, mut args: Vec<LuaValue>) -> Result<Vec<LuaValue>, LuaValue> {
        self.calls += 1;
        self.open += 1;
        self.deepest = self.deepest.max(self.open);
        let result = match name {
            "echo" => Ok(args),
            "fail" => Err(args.into_iter().next().unwrap_or(LuaValue::Nil)),
            "depth" => Ok(vec![LuaValue::Integer(self.open as i64)]),
            "run" => match args.first().cloned() {
                Some(LuaValue::Function(id)) => {
                    args.remove(0);
                    let r = lua.call_with(self, id, &args).map_err(err_value);
                    let _ = lua.release(id);
                    r
                }
                _ => Err(LuaValue::string("run: expected a function")),
            },
            "exec" => {
                let src = args.first().and_then(LuaValue::as_str).unwrap_or_default().to_owned();
                lua.exec_with(self, "nested", &src).map_err(err_value)
            }
            "swallow" => {
                let src = args.first().and_then(LuaValue::as_str).unwrap_or_default().to_owned();
                let _ = lua.exec_with(self, "nested", &src);
                Ok(vec![])
            }
            other => Err(LuaValue::string(format!("unknown host function {other}"))),
        };
        self.open -= 1;
        result
    }
}

fn exec_host(rt: &mut LuaRuntime, host: &mut TestHost, src: &str) -> Result<Vec<LuaValue>, LuaError> {
    rt.exec_with(host, "test", src)
}

const PRELUDE: &str = "local call = require('rtdvi').call\n";

both_engines! {
    host_call_returns_values => |e| {
        let mut rt = runtime(e);
        let mut host = TestHost::default();
        let v = exec_host(&mut rt, &mut host, &format!("{PRELUDE}return call('echo', 1, 'two', {{3}}, nil, true)")).unwrap();
        assert_eq!(v.len(), 5);
        assert_eq!(v[0], LuaValue::Integer(1));
        assert_eq!(v[1], s("two"));
        assert_eq!(v[2].get(&LuaValue::Integer(1)), Some(&LuaValue::Integer(3)));
        assert_eq!(v[3], LuaValue::Nil);
        assert_eq!(v[4], LuaValue::Boolean(true));
        // select('#') sees every result, trailing nils included.
        let v = exec_host(&mut rt, &mut host, &format!("{PRELUDE}return select('#', call('echo', nil, nil))")).unwrap();
        assert_eq!(v, vec![LuaValue::Integer(2)]);
        assert_eq!(rt.exec("x", "return type(rtdvi)").unwrap(), vec![s("nil")], "not a global");
    };
    host_errors_are_raised_with_position => |e| {
        let mut rt = runtime(e);
        let mut host = TestHost::default();
        match exec_host(&mut rt, &mut host, &format!("{PRELUDE}\ncall('fail', 'Invalid buffer id: 99')")) {
            Err(LuaError::Lua { message, .. }) => assert_eq!(message, "[string \"test\"]:3: Invalid buffer id: 99"),
            other => panic!("{other:?}"),
        }
        let v = exec_host(&mut rt, &mut host, &format!("{PRELUDE}local ok, err = pcall(call, 'fail', {{code = 7}}) return ok, err.code")).unwrap();
        assert_eq!(v, vec![LuaValue::Boolean(false), LuaValue::Integer(7)]);
        let v = exec_host(&mut rt, &mut host, &format!("{PRELUDE}return pcall(call, 'nope')")).unwrap();
        assert_eq!(v[1].as_str().map(|m| m.ends_with("unknown host function nope")), Some(true), "{v:?}");
        // Without a host, calls fail cleanly.
        let (_, msg) = lua_error(&mut rt, &format!("{PRELUDE}call('echo', 1)"));
        assert!(msg.ends_with("no host function 'echo' here"), "{msg}");
    };
    reentry_runs_callbacks_in_the_same_state => |e| {
        let mut rt = runtime(e);
        let mut host = TestHost::default();
        let src = format!("{PRELUDE}
            counter = 0
            local function bump(n) counter = counter + n return counter, 'x' end
            local a, b = call('run', bump, 5)
            local c = call('exec', 'counter = counter * 10 return counter')
            return a, b, c, counter");
        let v = exec_host(&mut rt, &mut host, &src).unwrap();
        assert_eq!(v, vec![LuaValue::Integer(5), s("x"), LuaValue::Integer(50), LuaValue::Integer(50)]);
    };
    deep_nesting_keeps_every_stack => |e| {
        let mut rt = runtime(e);
        let mut host = TestHost::default();
        // f(n) keeps locals across a host call that runs f(n - 1) nested.
        let src = format!("{PRELUDE}
            local function f(n)
                local mine = {{n, tostring(n)}}
                if n == 0 then return call('depth') end
                local inner = call('run', f, n - 1)
                assert(mine[1] == n and mine[2] == tostring(n), 'stack clobbered at ' .. n)
                return inner
            end
            return f(25)");
        let v = exec_host(&mut rt, &mut host, &src).unwrap();
        assert_eq!(v, vec![LuaValue::Integer(26)]);
        assert_eq!(host.deepest, 26);
        assert_eq!(host.open, 0);
        // The state is clean afterwards.
        assert_eq!(eval(&mut rt, "return select('#', 1, 2)"), LuaValue::Integer(2));
    };
    nesting_past_the_c_stack_is_a_lua_error => |e| {
        let mut rt = runtime(e);
        let mut host = TestHost::default();
        let src = format!("{PRELUDE}
            local function f(n) return call('run', f, n + 1) end
            local ok, err = pcall(f, 0)
            return ok, err");
        let v = exec_host(&mut rt, &mut host, &src).unwrap();
        assert_eq!(v[0], LuaValue::Boolean(false));
        assert!(v[1].as_str().is_some_and(|m| m.contains("stack overflow")), "{v:?}");
        assert!(rt.is_alive());
        assert_eq!(eval(&mut rt, "return 1 + 1"), LuaValue::Integer(2));
    };
    host_calls_from_coroutines_run_nested_code_on_that_thread => |e| {
        let mut rt = runtime(e);
        let mut host = TestHost::default();
        let src = format!("{PRELUDE}
            local co = coroutine.create(function(x)
                local before = x
                local r = call('run', function(y) return y * 2 end, x)
                local y = coroutine.yield(r + before)
                return call('exec', 'return ' .. y .. ' + 1')
            end)
            local _, first = coroutine.resume(co, 4)
            local _, second = coroutine.resume(co, 41)
            return first, second, coroutine.status(co)");
        let v = exec_host(&mut rt, &mut host, &src).unwrap();
        assert_eq!(v, vec![LuaValue::Integer(12), LuaValue::Integer(42), s("dead")]);
    };
    errors_cross_levels => |e| {
        let mut rt = runtime(e);
        let mut host = TestHost::default();
        // An error in nested code comes back to the host as an error, which
        // raises it in the outer code, where pcall sees it.
        let src = format!("{PRELUDE}
            local keep = 'kept'
            local ok, err = pcall(call, 'run', function() error('inner boom') end)
            local ok2, err2 = pcall(call, 'exec', 'return +')
            local ok3, err3 = pcall(call, 'run', function() error({{code = 3}}) end)
            return ok, err, ok2, err2, ok3, err3.code, keep");
        let v = exec_host(&mut rt, &mut host, &src).unwrap();
        assert_eq!(v[0], LuaValue::Boolean(false));
        assert!(v[1].as_str().is_some_and(|m| m.contains("inner boom")), "{v:?}");
        assert_eq!(v[2], LuaValue::Boolean(false));
        assert!(v[3].as_str().is_some_and(|m| m.contains("[string \"nested\"]:1:")), "{v:?}");
        assert_eq!(v[4], LuaValue::Boolean(false));
        assert_eq!(v[5], LuaValue::Integer(3));
        assert_eq!(v[6], s("kept"));
        // An uncaught nested error ends the outer chunk with the outer
        // traceback, not the nested one.
        match exec_host(&mut rt, &mut host, &format!("{PRELUDE}local function outer() call('exec', 'error(\"deep\")') end outer()")) {
            Err(LuaError::Lua { message, traceback, .. }) => {
                assert!(message.contains("deep"), "{message}");
                assert!(traceback.contains("in local 'outer'"), "{traceback}");
            }
            other => panic!("{other:?}"),
        }
    };
    nested_deadline_ends_the_outer_call => |e| {
        let limits = Limits {
            deadline: std::time::Duration::from_millis(300),
            fuel: 30_000_000,
            ..test_limits()
        };
        let mut rt = LuaRuntime::new(e, limits).expect("Lua starts");
        let mut host = TestHost::default();
        // The host swallows the nested failure; the outer call still fails.
        let r = exec_host(&mut rt, &mut host, &format!("{PRELUDE}call('swallow', 'while true do end') return 'survived'"));
        assert!(matches!(r, Err(LuaError::Deadline)), "{r:?}");
        assert!(!rt.is_alive());
        rt.restart().unwrap();
        let r = exec_host(&mut rt, &mut host, &format!("{PRELUDE}return pcall(call, 'exec', 'while true do end')"));
        assert!(matches!(r, Err(LuaError::Deadline)), "{r:?}");
        rt.restart().unwrap();
        assert_eq!(eval(&mut rt, "return 'fresh'"), s("fresh"));
    };
    callbacks_called_from_outside_reach_the_host => |e| {
        let mut rt = runtime(e);
        let mut host = TestHost::default();
        let v = rt.exec("x", "return function(a) return require('rtdvi').call('echo', a, 'cb') end").unwrap();
        let Some(LuaValue::Function(id)) = v.first().cloned() else { panic!("{v:?}") };
        let r = rt.call_with(&mut host, id, &[LuaValue::Integer(9)]).unwrap();
        assert_eq!(r, vec![LuaValue::Integer(9), s("cb")]);
        assert!(rt.call(id, &[LuaValue::Integer(9)]).is_err(), "no host: an error");
        assert!(rt.release(id).unwrap());
        assert!(rt.call_with(&mut host, CallbackId(id.0), &[]).is_err());
    };
}

/// A host that forwards calls into a second runtime: calls on one thread
/// nest across instances too.
struct Forward<'a> {
    other: &'a mut LuaRuntime,
    inner: TestHost,
}

impl LuaHost for Forward<'_> {
    fn call(&mut self, _lua: &mut Reentry<'_>, name: &str, args: Vec<LuaValue>) -> Result<Vec<LuaValue>, LuaValue> {
        let src = args.first().and_then(LuaValue::as_str).unwrap_or_default().to_owned();
        match name {
            "other" => self.other.exec_with(&mut self.inner, "other", &src).map_err(err_value),
            _ => Err(LuaValue::string("unknown")),
        }
    }
}

both_engines! {
    two_runtimes_nest => |e| {
        let mut a = runtime(e);
        let mut b = runtime(e);
        b.exec("x", "who = 'b'").unwrap();
        a.exec("x", "who = 'a'").unwrap();
        let mut host = Forward { other: &mut b, inner: TestHost::default() };
        let src = format!("{PRELUDE}return who, call('other', \"return who, require('rtdvi').call('echo', 'via b')\")");
        let v = a.exec_with(&mut host, "test", &src).unwrap();
        assert_eq!(v, vec![s("a"), s("b"), s("via b")]);
        assert_eq!(host.inner.calls, 1);
    };
}
