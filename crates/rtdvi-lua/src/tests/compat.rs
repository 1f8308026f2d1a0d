use super::*;

both_engines! {
    numbers_print_like_luajit => |e| {
        let mut rt = runtime(e);
        assert_eq!(eval(&mut rt, "return tostring(10 / 2)"), s("5"));
        assert_eq!(eval(&mut rt, "return 3.0 .. '|' .. 2^53 .. '|' .. -0.0 .. '|' .. 1.5"), s("3|9.007199254741e+15|-0|1.5"));
        assert_eq!(eval(&mut rt, "return tostring(1/0) .. tostring(-1/0)"), s("inf-inf"));
        assert_eq!(eval(&mut rt, "return string.format('%s', 7.0)"), s("7"));
    };
    lua51_functions => |e| {
        let mut rt = runtime(e);
        assert_eq!(eval(&mut rt, "return select('#', unpack({1, 2, 3}))"), LuaValue::Integer(3));
        assert_eq!(eval(&mut rt, "return loadstring('return 1 + ...')(2)"), LuaValue::Integer(3));
        assert_eq!(eval(&mut rt, "local f, err = loadstring('return +', 'chunk') return err"), s("[string \"chunk\"]:1: unexpected symbol near '+'"));
        assert_eq!(eval(&mut rt, "return table.getn({1, 2, 3})"), LuaValue::Integer(3));
        assert_eq!(eval(&mut rt, "return table.maxn({1, 2, [10] = 1, [2.5] = 1, x = 1})"), LuaValue::Integer(10));
        assert_eq!(eval(&mut rt, "return table.maxn({})"), LuaValue::Integer(0));
        assert_eq!(eval(&mut rt, "return math.pow(2, 10)"), LuaValue::Number(1024.0));
        assert_eq!(eval(&mut rt, "return tostring(math.pow(2, 10))"), s("1024"));
    };
    setfenv_getfenv => |e| {
        let mut rt = runtime(e);
        assert_eq!(eval(&mut rt, "return getfenv() == _G and getfenv(print) == _G and getfenv(0) == _G"), LuaValue::Boolean(true));
        assert_eq!(eval(&mut rt, "local function f() return x end setfenv(f, {x = 42}) return f()"), LuaValue::Integer(42));
        assert_eq!(eval(&mut rt, "local env = {y = 1} local function f() return y end setfenv(f, env) return getfenv(f) == env"), LuaValue::Boolean(true));
        // Only the target changes, not other functions sharing _ENV.
        assert_eq!(eval(&mut rt, "z = 'global' local function f() return z end local function g() return z end \
                                  setfenv(f, {z = 'own'}) return f() .. ' ' .. g()"), s("own global"));
        // Level 1 is the calling function.
        assert_eq!(eval(&mut rt, "local function f() setfenv(1, {tostring = tostring, w = 'lvl'}) return w end return f()"), s("lvl"));
        let (_, msg) = lua_error(&mut rt, "setfenv(0, {})");
        assert!(msg.contains("level 0"), "{msg}");
        let (_, msg) = lua_error(&mut rt, "setfenv(print, {})");
        assert!(msg.contains("cannot change environment"), "{msg}");
    };
    bit_module => |e| {
        let mut rt = runtime(e);
        let cases: &[(&str, i64)] = &[
            ("bit.tobit(0xffffffff)", -1),
            ("bit.tobit(2^32 + 5)", 5),
            ("bit.tobit(-1)", -1),
            ("bit.band(0xff, 0x0f, 0x3)", 3),
            ("bit.bor(1, 2, 4)", 7),
            ("bit.bxor(0xf0, 0xff)", 0x0f),
            ("bit.bnot(0)", -1),
            ("bit.lshift(1, 31)", i32::MIN as i64),
            ("bit.lshift(1, 33)", 2),
            ("bit.rshift(-1, 28)", 15),
            ("bit.arshift(-256, 4)", -16),
            ("bit.arshift(256, 4)", 16),
            ("bit.rol(0x80000001, 1)", 3),
            ("bit.ror(3, 1)", i32::MIN as i64 + 1),
            ("bit.bswap(0x12345678)", 0x78563412),
            ("bit.band(1.5, 3)", 2),
        ];
        for (expr, want) in cases {
            assert_eq!(eval(&mut rt, &format!("return {expr}")), LuaValue::Integer(*want), "{expr}");
        }
        assert_eq!(eval(&mut rt, "return bit.tohex(255)"), s("000000ff"));
        assert_eq!(eval(&mut rt, "return bit.tohex(-1, -4)"), s("FFFF"));
        assert_eq!(eval(&mut rt, "return bit.tohex(0x1234, 2)"), s("34"));
    };
}
