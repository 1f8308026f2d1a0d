use super::*;

both_engines! {
    returns_values => |e| {
        let mut rt = runtime(e);
        let v = rt.exec("x", "return 1, 2.5, 'a', true, nil, {10, k = 'v'}").unwrap();
        assert_eq!(v[0], LuaValue::Integer(1));
        assert_eq!(v[1], LuaValue::Number(2.5));
        assert_eq!(v[2], s("a"));
        assert_eq!(v[3], LuaValue::Boolean(true));
        assert_eq!(v[4], LuaValue::Nil);
        assert_eq!(v[5].get(&LuaValue::Integer(1)), Some(&LuaValue::Integer(10)));
        assert_eq!(v[5].get(&s("k")), Some(&s("v")));
    };
    error_message_and_traceback => |e| {
        let mut rt = runtime(e);
        match rt.exec("x", "local function f() error('boom') end\nf()") {
            Err(LuaError::Lua { kind, message, traceback, .. }) => {
                assert_eq!(kind, LuaErrorKind::Runtime);
                assert_eq!(message, "[string \"x\"]:1: boom");
                assert!(traceback.starts_with("stack traceback:"), "{traceback}");
                assert!(traceback.contains("in local 'f'"), "{traceback}");
            }
            other => panic!("{other:?}"),
        }
        // The state survives errors.
        assert_eq!(eval(&mut rt, "return 1 + 1"), LuaValue::Integer(2));
    };
    syntax_error => |e| {
        let mut rt = runtime(e);
        let (kind, msg) = lua_error(&mut rt, "return +");
        assert_eq!(kind, LuaErrorKind::Syntax);
        assert!(msg.starts_with("[string \"test\"]:1:"), "{msg}");
    };
    error_objects_that_are_tables => |e| {
        let mut rt = runtime(e);
        assert_eq!(eval(&mut rt, "local ok, err = pcall(error, {code = 7}) return err.code"), LuaValue::Integer(7));
        match rt.exec("x", "error({code = 7})") {
            Err(LuaError::Lua { message, value, .. }) => {
                assert_eq!(message, "(error object is a table value)");
                assert_eq!(value.get(&s("code")), Some(&LuaValue::Integer(7)));
            }
            other => panic!("{other:?}"),
        }
        let (_, msg) = lua_error(&mut rt, "error(setmetatable({}, {__tostring = function() return 'custom' end}))");
        assert_eq!(msg, "custom");
    };
    pcall_and_xpcall => |e| {
        let mut rt = runtime(e);
        assert_eq!(eval(&mut rt, "local ok, m = pcall(error, 'x', 0) return tostring(ok) .. m"), s("falsex"));
        assert_eq!(eval(&mut rt, "return select(2, xpcall(function() error('y', 0) end, function(m) return 'h:' .. m end))"), s("h:y"));
        assert_eq!(eval(&mut rt, "local ok, v = pcall(function() return 5 end) return v"), LuaValue::Integer(5));
        // Errors in a message handler.
        assert_eq!(eval(&mut rt, "return (xpcall(error, function() error('again') end))"), LuaValue::Boolean(false));
        // Many errors in a row leave the stack balanced.
        assert_eq!(eval(&mut rt, "local n = 0 for i = 1, 2000 do if not pcall(error, i) then n = n + 1 end end return n"), LuaValue::Integer(2000));
    };
    nested_pcall_deep => |e| {
        let mut rt = runtime(e);
        let src = "local function nest(n) if n == 0 then error('deep', 0) end \
                   local ok, m = pcall(nest, n - 1) error(m, 0) end \
                   local ok, m = pcall(nest, DEPTH) return m";
        // 190 is as deep as native Lua 5.4 goes (LUAI_MAXCCALLS = 200)...
        assert_eq!(eval(&mut rt, &src.replace("DEPTH", "190")), s("deep"));
        // ...and deeper is Lua's "C stack overflow" error, not a trap.
        assert_eq!(eval(&mut rt, &src.replace("DEPTH", "200")), s("C stack overflow"));
        assert_eq!(eval(&mut rt, &src.replace("DEPTH", "10000")), s("C stack overflow"));
    };
    coroutines => |e| {
        let mut rt = runtime(e);
        assert_eq!(eval(&mut rt, "local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end) \
                                  return co(1) + co(10)"), LuaValue::Integer(22));
        assert_eq!(eval(&mut rt, "local co = coroutine.create(function() error('in co', 0) end) \
                                  local ok, m = coroutine.resume(co) return m .. coroutine.status(co)"), s("in codead"));
        assert_eq!(eval(&mut rt, "local co = coroutine.wrap(function() error('wrapped', 0) end) \
                                  return select(2, pcall(co))"), s("wrapped"));
    };
    yield_across_pcall => |e| {
        let mut rt = runtime(e);
        let src = "local co = coroutine.create(function() \
                     local ok, v = pcall(function() local x = coroutine.yield(1) error('after ' .. x, 0) end) \
                     coroutine.yield(v) return 'done' end) \
                   local _, a = coroutine.resume(co) local _, b = coroutine.resume(co, 'resume') \
                   local _, c = coroutine.resume(co) return a .. b .. c";
        assert_eq!(eval(&mut rt, src), s("1after resumedone"));
    };
    to_be_closed_variables => |e| {
        let mut rt = runtime(e);
        let src = "local log = {} \
                   local function closer(name) return setmetatable({}, {__close = function(_, err) log[#log + 1] = name .. ':' .. tostring(err) end}) end \
                   pcall(function() local a <close> = closer('a') local b <close> = closer('b') error('E', 0) end) \
                   do local c <close> = closer('c') end \
                   return table.concat(log, ',')";
        assert_eq!(eval(&mut rt, src), s("b:E,a:E,c:nil"));
    };
    lua_stack_overflow => |e| {
        let mut rt = small_runtime(e, 16 << 20);
        let (_, msg) = lua_error(&mut rt, "local function f(n) return 1 + f(n + 1) end return f(1)");
        assert!(msg.contains("stack overflow"), "{msg}");
        assert_eq!(eval(&mut rt, "return 'alive'"), s("alive"));
    };
    c_stack_overflow => |e| {
        let mut rt = runtime(e);
        // Metamethod recursion goes through C frames.
        let (_, msg) = lua_error(&mut rt, "local t = setmetatable({}, {__index = function(t, k) return t[k] end}) return t.x");
        assert!(msg.contains("stack overflow"), "{msg}");
        let (_, msg) = lua_error(&mut rt, &format!("return {}1{}", "(".repeat(300), ")".repeat(300)));
        assert!(msg.contains("overflow") || msg.contains("too many"), "{msg}");
        assert_eq!(eval(&mut rt, "return 'alive'"), s("alive"));
    };
    out_of_memory => |e| {
        let mut rt = small_runtime(e, 8 << 20);
        let (kind, msg) = lua_error(&mut rt, "local t, s = {}, 'x' for i = 1, 1e9 do s = s .. s t[i] = s end");
        assert_eq!(kind, LuaErrorKind::Memory);
        assert_eq!(msg, "not enough memory");
        assert_eq!(eval(&mut rt, "collectgarbage() return #string.rep('y', 1000)"), LuaValue::Integer(1000));
        assert_eq!(eval(&mut rt, "local ok, m = pcall(string.rep, 'x', 1e9) return m"), s("not enough memory"));
    };
    callbacks_by_id => |e| {
        let mut rt = runtime(e);
        let v = rt.exec("x", "local n = 0 return function(a, b) n = n + a return n, b end").unwrap();
        let LuaValue::Function(id) = v[0] else { panic!("{v:?}") };
        assert_eq!(rt.call(id, &[LuaValue::Integer(2), s("b")]).unwrap(), vec![LuaValue::Integer(2), s("b")]);
        assert_eq!(rt.call(id, &[LuaValue::Integer(3), LuaValue::Nil]).unwrap()[0], LuaValue::Integer(5));
        // Errors inside callbacks are Lua errors.
        let v = rt.exec("x", "return function() error('cb', 0) end").unwrap();
        let LuaValue::Function(bad) = v[0] else { panic!() };
        assert!(matches!(rt.call(bad, &[]), Err(LuaError::Lua { message, .. }) if message == "cb"));
        // Functions can be passed back in.
        let v = rt.exec("x", "return function(f, x) return f(x) end").unwrap();
        let LuaValue::Function(apply) = v[0] else { panic!() };
        assert_eq!(rt.call(apply, &[LuaValue::Function(id), LuaValue::Integer(1)]).unwrap()[0], LuaValue::Integer(6));
        assert!(rt.release(id).unwrap());
        assert!(!rt.release(id).unwrap());
        assert!(matches!(rt.call(id, &[]), Err(LuaError::Lua { message, .. }) if message.contains("invalid callback id")));
    };
    cycles_are_reported_not_fatal => |e| {
        let mut rt = runtime(e);
        let r = rt.exec("x", "local t = {} t.t = t return t");
        assert!(matches!(&r, Err(LuaError::Lua { message, .. }) if message.contains("nested too deep")), "{r:?}");
        assert!(rt.is_alive());
    };
}
