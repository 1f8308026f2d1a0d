use super::*;
use crate::ModuleSource;

both_engines! {
    io_only_writes => |e| {
        let mut rt = runtime(e);
        rt.exec("x", "print('a', 1, 2.5, nil) io.write('b', 3) io.stdout:write('c'):write('d') io.stderr:write('e')").unwrap();
        let out = rt.take_output();
        assert_eq!(out.stdout, b"a\t1\t2.5\tnil\nb3cd");
        assert_eq!(out.stderr, b"e");
        assert_eq!(eval(&mut rt, "return tostring(io.open) .. tostring(io.popen) .. tostring(io.read) .. tostring(io.lines)"), s("nilnilnilnil"));
        let (_, msg) = lua_error(&mut rt, "io.open('/etc/passwd')");
        assert!(msg.contains("attempt to call a nil value (field 'open')"), "{msg}");
    };
    os_is_limited => |e| {
        let mut rt = runtime(e);
        assert_eq!(eval(&mut rt, "local k = {} for name in pairs(os) do k[#k + 1] = name end table.sort(k) return table.concat(k, ' ')"),
                   s("clock date difftime time"));
        for f in ["execute", "remove", "rename", "getenv", "exit", "tmpname"] {
            let (_, msg) = lua_error(&mut rt, &format!("os.{f}('x')"));
            assert!(msg.contains(&format!("field '{f}'")), "{msg}");
        }
        assert_eq!(eval(&mut rt, "return os.date('!%Y-%m-%d %H:%M:%S', 86400 * 365)"), s("1971-01-01 00:00:00"));
        assert_eq!(eval(&mut rt, "return os.date('!*t', 0).year"), LuaValue::Integer(1970));
        assert_eq!(eval(&mut rt, "return os.time({year = 1971, month = 1, day = 1, hour = 0})"), LuaValue::Integer(86400 * 365));
        assert_eq!(eval(&mut rt, "return os.difftime(10, 4)"), LuaValue::Number(6.0));
        assert_eq!(eval(&mut rt, "return os.time() > 1.7e9 and os.clock() >= 0"), LuaValue::Boolean(true));
        let (_, msg) = lua_error(&mut rt, "os.date('%Ez')");
        assert!(msg.contains("invalid conversion specifier '%Ez'"), "{msg}");
    };
    no_file_or_c_module_loading => |e| {
        let mut rt = runtime(e);
        assert_eq!(eval(&mut rt, "return tostring(dofile) .. tostring(loadfile) .. tostring(package.loadlib) .. tostring(package.searchpath)"),
                   s("nilnilnilnil"));
        let (_, msg) = lua_error(&mut rt, "require('socket.core')");
        assert!(msg.contains("module 'socket.core' not found"), "{msg}");
    };
    require_asks_the_host => |e| {
        let mut rt = runtime(e);
        rt.set_require(|name| match name {
            "greet" | "greet2" => Ok(ModuleSource::lua(format!("@{name}.lua"), "local n = ... return { hi = 'hi ' .. n }")),
            "broken" => Ok(ModuleSource::lua("@broken.lua", "return +")),
            other => Err(format!("no plugin provides '{other}'")),
        });
        assert_eq!(eval(&mut rt, "return require('greet').hi"), s("hi greet"));
        // Cached in package.loaded.
        assert_eq!(eval(&mut rt, "return require('greet') == package.loaded.greet"), LuaValue::Boolean(true));
        let (_, msg) = lua_error(&mut rt, "require('nope')");
        assert!(msg.contains("no plugin provides 'nope'"), "{msg}");
        let (_, msg) = lua_error(&mut rt, "require('broken')");
        assert!(msg.contains("error loading module 'broken'") && msg.contains("broken.lua:1:"), "{msg}");
        // Like Lua 5.4, require also returns the loader data.
        assert_eq!(rt.exec("x", "return select(2, require('greet2'))").unwrap(), vec![s("@greet2.lua")]);
        assert_eq!(eval(&mut rt, "package.preload.pre = function(n) return n .. '!' end return (require('pre'))"), s("pre!"));
    };
    binary_chunks_are_refused => |e| {
        let mut rt = runtime(e);
        assert_eq!(eval(&mut rt, "return tostring(string.dump)"), s("nil"));
        let (kind, msg) = match rt.exec("bin", "\x1bLua\x54\x00") {
            Err(LuaError::Lua { kind, message, .. }) => (kind, message),
            other => panic!("{other:?}"),
        };
        assert_eq!(kind, LuaErrorKind::Syntax);
        assert!(msg.contains("attempt to load a binary chunk"), "{msg}");
        for f in ["load(s)", "load(s, 'b', 'b')", "loadstring(s)", "load(function() local c = s s = nil return c end)"] {
            let src = format!("local s = '\\27Lua\\84\\0\\25\\147' local f, err = {f} return tostring(f) .. ' ' .. tostring(err)");
            let v = eval(&mut rt, &src);
            let text = v.as_str().unwrap_or_default().to_string();
            assert!(text.starts_with("nil ") && text.contains("binary"), "{f}: {text}");
        }
    };
    debug_is_limited => |e| {
        let mut rt = runtime(e);
        assert_eq!(eval(&mut rt, "local k = {} for name in pairs(debug) do k[#k + 1] = name end table.sort(k) return table.concat(k, ' ')"),
                   s("getinfo traceback"));
        assert_eq!(eval(&mut rt, "return debug.getinfo(1, 'l').currentline"), LuaValue::Integer(1));
        assert_eq!(eval(&mut rt, "return debug.traceback('m'):sub(1, 18)"), s("m\nstack traceback:"));
        assert_eq!(eval(&mut rt, "return jit"), LuaValue::Nil);
    };
    infinite_loop_hits_the_deadline => |e| {
        let mut limits = test_limits();
        limits.deadline = std::time::Duration::from_millis(100);
        limits.fuel = 20_000_000;
        let mut rt = LuaRuntime::new(e, limits).unwrap();
        assert!(matches!(rt.exec("x", "while true do end"), Err(LuaError::Deadline)));
        // pcall cannot catch it, and the instance is gone.
        assert!(!rt.is_alive());
        assert!(matches!(rt.exec("x", "return 1"), Err(LuaError::Discarded)));
        rt.restart().unwrap();
        assert!(matches!(rt.exec("x", "pcall(function() while true do end end)"), Err(LuaError::Deadline)));
        rt.restart().unwrap();
        assert_eq!(eval(&mut rt, "return 'fresh'"), s("fresh"));
    };
    memory_bomb => |e| {
        let mut rt = small_runtime(e, 8 << 20);
        let (kind, _) = lua_error(&mut rt, "local s = 'x' while true do s = s .. s end");
        assert_eq!(kind, LuaErrorKind::Memory);
        let (kind, _) = lua_error(&mut rt, "local t = {} local i = 0 while true do i = i + 1 t[i] = {i} end");
        assert_eq!(kind, LuaErrorKind::Memory);
        assert!(rt.is_alive());
        assert_eq!(eval(&mut rt, "collectgarbage() return 'ok'"), s("ok"));
    };
    coroutine_bomb => |e| {
        let mut rt = small_runtime(e, 8 << 20);
        let (kind, _) = lua_error(&mut rt, "local t = {} while true do t[#t + 1] = coroutine.create(function() end) end");
        assert_eq!(kind, LuaErrorKind::Memory);
        // Coroutines resuming coroutines: Lua's C stack limit, an error.
        let (_, msg) = lua_error(&mut rt, "local function f() return coroutine.wrap(f)() end return f()");
        assert!(msg.contains("stack overflow"), "{msg}");
        assert_eq!(eval(&mut rt, "collectgarbage() return 'ok'"), s("ok"));
    };
    error_in_gc => |e| {
        let mut rt = runtime(e);
        let src = "setmetatable({}, {__gc = function() error('in gc') end}) collectgarbage() collectgarbage() return 'after'";
        assert_eq!(eval(&mut rt, src), s("after"));
        // With warnings on, Lua reports it on stderr.
        rt.exec("x", "warn('@on') setmetatable({}, {__gc = function() error('in gc') end}) collectgarbage()").unwrap();
        let err = String::from_utf8_lossy(&rt.take_output().stderr).into_owned();
        assert!(err.contains("error in __gc"), "{err}");
    };
    guest_imports_only_rtdvi_and_wasi => |e| {
        // Everything else would be a forbidden stub that traps when called;
        // a new import module in the guest must be a deliberate choice.
        let imports = crate::guest::imports(e).unwrap();
        assert!(imports.iter().any(|(m, n)| m == "rtdvi" && n == "try"), "{imports:?}");
        for (module, name) in &imports {
            assert!(module == "rtdvi" || module == rtdvi_wasm::WASI_MODULE, "unexpected import {module}.{name}");
        }
    };
    output_is_bounded => |e| {
        let mut limits = test_limits();
        limits.output_bytes = 10;
        let mut rt = LuaRuntime::new(e, limits).unwrap();
        rt.exec("x", "for i = 1, 100 do io.write('abc') end").unwrap();
        let out = rt.take_output();
        assert_eq!(out.stdout.len(), 10);
        assert!(out.truncated);
    };
}

crate::tests::both_engines! {
    new_states_come_from_the_snapshot_and_stay_apart => |e| {
        let mut a = runtime(e);
        assert!(crate::snapshot::get(e, || Err(LuaError::Setup("must be captured already".into()))).is_some());
        let mut b = runtime(e);
        a.exec("set", "shared = 1").unwrap();
        assert_eq!(eval(&mut b, "return tostring(shared)"), s("nil"));
        // Each state has its own random seed.
        let draw = "local t = {} for i = 1, 4 do t[i] = math.random(1 << 30) end return table.concat(t, ',')";
        assert_ne!(eval(&mut a, draw), eval(&mut b, draw));
        // The restored state is a whole Lua: the library, errors, memory accounting.
        assert_eq!(eval(&mut b, "return string.format('%d', #table.concat({'a', 'b'}))"), s("2"));
        assert!(matches!(b.exec("err", "error('x')"), Err(LuaError::Lua { .. })));
        assert!(b.memory_used().unwrap() > 0);
    };
}
