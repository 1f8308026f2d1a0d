//! The standard library against outputs recorded from Neovim 0.11.4
//! (`tests/luastd/expected.txt`, written by scripts/gen-luastd-fixtures.sh
//! from `cases.lua` through `harness.lua`), plus rtdvi-only behaviour.

use super::*;
use crate::tests::{both_engines, eval, on_big_stack, runtime, s};
use crate::{EngineKind, LuaValue};

const HARNESS: &str = include_str!("../../tests/luastd/harness.lua");
const CASES: &str = include_str!("../../tests/luastd/cases.lua");
const EXPECTED: &str = include_str!("../../tests/luastd/expected.txt");

/// A runtime with the library installed.
fn std_runtime(engine: EngineKind) -> LuaRuntime {
    let mut rt = runtime(engine);
    install(&mut rt).expect("stdlib installs");
    rt
}

/// Splits `cases.lua` at its `-- case: NAME` lines.
fn cases() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in CASES.lines() {
        if let Some(name) = line.strip_prefix("-- case: ") {
            out.push((name.trim().to_string(), String::new()));
        } else if let Some((_, code)) = out.last_mut() {
            if !code.is_empty() {
                code.push('\n');
            }
            code.push_str(line);
        }
    }
    out
}

fn expected() -> std::collections::HashMap<&'static str, &'static str> {
    EXPECTED.lines().filter_map(|line| line.split_once('\t')).collect()
}

fn run_fixtures(engine: EngineKind) {
    let mut rt = std_runtime(engine);
    rt.exec("@harness.lua", HARNESS).expect("harness loads");
    let expected = expected();
    let cases = cases();
    assert_eq!(
        cases.len(),
        expected.len(),
        "cases.lua and expected.txt disagree: rerun scripts/gen-luastd-fixtures.sh"
    );
    let mut failures = Vec::new();
    for (name, code) in &cases {
        let want = expected.get(name.as_str()).unwrap_or_else(|| panic!("no expected outcome for {name}"));
        let src = format!("return H.run({})", long_string(code));
        let got = match rt.exec(name, &src) {
            Ok(values) => match values.first() {
                Some(LuaValue::String(b)) => String::from_utf8_lossy(b).into_owned(),
                other => format!("harness returned {other:?}"),
            },
            Err(e) => format!("harness failed: {e}"),
        };
        if got != *want {
            failures.push(format!("{name}\n   nvim: {want}\n  rtdvi: {got}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Neovim:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn long_string_holds_any_text() {
    for text in ["", "a", "]]", "a]", "]=]", "x]==", "\nlead", "]=]]]==]"] {
        let lit = long_string(text);
        assert!(lit.ends_with(']'), "{lit}");
        let eq = lit.chars().skip(1).take_while(|&c| c == '=').count();
        let close = format!("]{}]", "=".repeat(eq));
        let body = &lit[eq + 3..lit.len() - close.len()];
        assert_eq!(body, text);
        assert!(!format!("{text}{}", &close[..close.len() - 1]).contains(&close), "{text:?} closes early");
    }
}

both_engines! {
    matches_neovim_fixtures => run_fixtures;
    submodules_load_on_first_access => |e| {
        let mut rt = std_runtime(e);
        assert_eq!(eval(&mut rt, "return rawget(vim, 'inspect') == nil and package.loaded['vim.inspect'] == nil"), LuaValue::Boolean(true));
        assert_eq!(eval(&mut rt, "return vim.inspect({1})"), s("{ 1 }"));
        assert_eq!(eval(&mut rt, "return rawget(vim, 'inspect') ~= nil and vim.highlight == vim.hl"), LuaValue::Boolean(true));
        assert_eq!(eval(&mut rt, "return vim.nope"), LuaValue::Nil);
    };
    install_keeps_existing_vim_and_index => |e| {
        let mut rt = runtime(e);
        rt.exec("bridge", "vim = setmetatable({api = {x = 1}}, {__index = function(_, k) if k == 'fn' then return 'bridge fn' end end})").unwrap();
        install(&mut rt).unwrap();
        assert_eq!(eval(&mut rt, "return vim.api.x"), LuaValue::Integer(1));
        assert_eq!(eval(&mut rt, "return vim.fn"), s("bridge fn"));
        assert_eq!(eval(&mut rt, "return vim.trim(' x ')"), s("x"));
        assert_eq!(eval(&mut rt, "return __rtdvi_stdlib_sources"), LuaValue::Nil);
    };
    bridge_preload_wins => |e| {
        let mut rt = runtime(e);
        rt.exec("bridge", "package.preload['vim.json'] = function() return {encode = function() return 'host' end} end").unwrap();
        install(&mut rt).unwrap();
        assert_eq!(eval(&mut rt, "return vim.json.encode({})"), s("host"));
    };
    library_errors_name_their_file => |e| {
        let mut rt = std_runtime(e);
        let msg = eval(&mut rt, "local ok, err = pcall(vim.tbl_keys, nil) return err");
        let text = msg.as_str().unwrap_or_default().to_string();
        assert!(text.starts_with("vim/shared.lua:"), "{text}");
        assert!(text.ends_with(": t: expected table, got nil"), "{text}");
    };
    keymap_long_mode_names => |e| {
        let mut rt = std_runtime(e);
        rt.exec("@harness.lua", HARNESS).unwrap();
        let got = eval(&mut rt, "return H.show(H.record(function() \
            vim.keymap.set('normal', 'x', 'y') \
            vim.keymap.set({'insert', 'visual', 'operator_pending', 'c'}, 'x', 'y') \
            vim.keymap.del('normal', 'x') end))");
        let text = got.as_str().unwrap_or_default();
        for mode in ["\"n\"", "\"i\"", "\"v\"", "\"o\"", "\"c\""] {
            assert!(text.contains(&format!("[2]={mode}")), "{mode} missing in {text}");
        }
        assert!(!text.contains("normal") && !text.contains("insert"), "{text}");
    };
    on_key_stores_callbacks_for_the_bridge => |e| {
        let mut rt = std_runtime(e);
        rt.exec("stub", "vim.api = {nvim_create_namespace = function() return 42 end}").unwrap();
        assert_eq!(eval(&mut rt, "local ns = vim.on_key(function(k) return k end) return ns"), LuaValue::Integer(42));
        assert_eq!(eval(&mut rt, "return vim._on_key_callbacks[42]('j')"), s("j"));
        assert_eq!(eval(&mut rt, "vim.on_key(nil, 42) return vim._on_key_callbacks[42] == nil"), LuaValue::Boolean(true));
    };
    hl_range_sets_extmarks => |e| {
        let mut rt = std_runtime(e);
        rt.exec("@harness.lua", HARNESS).unwrap();
        let got = eval(&mut rt, "return H.show(H.record(function() \
            vim.hl.range(3, 7, 'Search', {0, 1}, {2, 3}) \
            vim.hl.range(3, 7, 'Search', {2, 3}, {0, 1}, {inclusive = true, priority = 5}) \
            vim.hl.range(3, 7, 'Visual', {1, 0}, {2, 0}, {regtype = 'V'}) \
            vim.highlight.range(3, 7, 'Visual', {0, 4}, {1, 2}, {regtype = '\\22'}) end))");
        let want = concat!(
            "{[1]={[1]=\"nvim_buf_set_extmark\",[2]=3,[3]=7,[4]=0,[5]=1,[6]={[\"end_col\"]=3,[\"end_row\"]=2,[\"hl_group\"]=\"Search\",[\"priority\"]=200,[\"strict\"]=false}},",
            "[2]={[1]=\"nvim_buf_set_extmark\",[2]=3,[3]=7,[4]=0,[5]=1,[6]={[\"end_col\"]=4,[\"end_row\"]=2,[\"hl_group\"]=\"Search\",[\"priority\"]=5,[\"strict\"]=false}},",
            "[3]={[1]=\"nvim_buf_set_extmark\",[2]=3,[3]=7,[4]=1,[5]=0,[6]={[\"end_col\"]=0,[\"end_row\"]=3,[\"hl_group\"]=\"Visual\",[\"priority\"]=200,[\"strict\"]=false}},",
            "[4]={[1]=\"nvim_buf_set_extmark\",[2]=3,[3]=7,[4]=0,[5]=2,[6]={[\"end_col\"]=4,[\"end_row\"]=0,[\"hl_group\"]=\"Visual\",[\"priority\"]=200,[\"strict\"]=false}},",
            "[5]={[1]=\"nvim_buf_set_extmark\",[2]=3,[3]=7,[4]=1,[5]=2,[6]={[\"end_col\"]=4,[\"end_row\"]=1,[\"hl_group\"]=\"Visual\",[\"priority\"]=200,[\"strict\"]=false}}}",
        );
        assert_eq!(got, s(want));
    };
    ui_input_distinguishes_cancel => |e| {
        let mut rt = std_runtime(e);
        rt.exec("@harness.lua", HARNESS).unwrap();
        let got = eval(&mut rt, "local got = 'unset' \
            local calls = H.record(function() vim.ui.input({prompt = '> '}, function(x) got = x end) end, {input = vim.NIL}) \
            local got2 \
            H.record(function() vim.ui.input(nil, function(x) got2 = x end) end, {input = ''}) \
            return H.show({calls, got == nil, got2})");
        assert_eq!(got, s("{[1]={[1]={[1]=\"input\",[2]={[\"cancelreturn\"]=vim.NIL,[\"prompt\"]=\"> \"}}},[2]=true,[3]=\"\"}"));
    };
    fs_normalize_uses_vim_env => |e| {
        let mut rt = std_runtime(e);
        assert_eq!(eval(&mut rt, "return vim.fs.normalize('~/x')"), s("~/x"));
        rt.exec("env", "vim.env = {HOME = '/home/u', FOO = 'bar'}").unwrap();
        assert_eq!(eval(&mut rt, "return vim.fs.normalize('~/x/$FOO')"), s("/home/u/x/bar"));
        assert_eq!(eval(&mut rt, "return vim.fs.normalize('$FOO', {expand_env = false})"), s("$FOO"));
    };
    version_reports_rtdvi_build => |e| {
        let mut rt = std_runtime(e);
        assert_eq!(eval(&mut rt, "return tostring(vim.version())"), s("0.11.4+rtdvi"));
    };
}

both_engines! {
    hostile_input_is_a_lua_error_not_a_crash => |e| {
        let mut rt = std_runtime(e);
        // Deep nesting, cycles and wrong types: every call either returns or
        // raises a Lua error, and the state stays usable.
        let src = r#"
            local deep = {}
            local cur = deep
            for _ = 1, 3000 do cur[1] = {} cur = cur[1] end
            local cyc = {} cyc.self = cyc
            local calls = {
              function() return vim.inspect(deep, {indent = ''}) end,
              function() return vim.inspect(cyc) end,
              function() return vim.deepcopy(deep) end,
              function() return vim.deep_equal(deep, vim.deepcopy(deep)) end,
              function() return vim.json.encode(deep) end,
              function() return vim.tbl_flatten(deep) end,
              function() return vim.tbl_deep_extend('force', deep, deep) end,
              function() return vim.json.decode(string.rep('[', 50000)) end,
              function() return vim.json.decode(string.rep('"\\', 1000)) end,
              function() return vim.iter(deep):flatten(math.huge):totable() end,
              function() return vim.split(string.rep('a,', 10000), ',') end,
              function() return vim.inspect(setmetatable({}, {__index = function() error('boom') end})) end,
              function() return vim.validate(nil, nil, nil) end,
              function() return vim.str_utfindex('\255\255\255', 'utf-16', 2) end,
              function() return vim.str_byteindex('x', 'utf-16', 1e300) end,
              function() return vim.version.parse(string.rep('9', 400)) end,
              function() return vim.fs.normalize(string.rep('../', 5000)) end,
              function() return vim.base64.decode(string.rep('=', 8)) end,
            }
            local done = 0
            for _, f in ipairs(calls) do
              pcall(f)
              done = done + 1
            end
            return done
        "#;
        assert_eq!(eval(&mut rt, src), LuaValue::Integer(18));
        assert!(rt.is_alive());
        assert_eq!(eval(&mut rt, "return vim.inspect({1})"), s("{ 1 }"));
    };
}

both_engines! {
    hl_on_yank_highlights_the_yanked_marks_for_a_while => |e| {
        let mut rt = std_runtime(e);
        rt.exec("@harness.lua", HARNESS).unwrap();
        let got = eval(&mut rt, "local deferred = {} \
            vim.defer_fn = function(f, ms) deferred[#deferred + 1] = {f, ms} end \
            local results = {getpos = {0, 2, 3, 0}, reg_executing = '', nvim_create_namespace = 4, nvim_get_current_buf = 6, nvim_buf_is_valid = true} \
            local calls = H.record(function() \
              vim.hl.on_yank({event = {operator = 'y', regtype = 'v'}, timeout = 99}) \
              vim.hl.on_yank({event = {operator = 'd', regtype = 'v'}}) \
              vim.hl.on_yank({event = {operator = 'y', regtype = 'V', visual = true}, on_visual = false}) \
            end, results) \
            local fired = H.record(function() deferred[1][1]() end, results) \
            return H.show({calls, #deferred, deferred[1][2], fired})");
        let want = concat!(
            "{[1]={[1]={[1]=\"reg_executing\"},[2]={[1]=\"nvim_create_namespace\",[2]=\"nvim.hlyank\"},",
            "[3]={[1]=\"nvim_get_current_buf\"},[4]={[1]=\"nvim_buf_clear_namespace\",[2]=6,[3]=4,[4]=0,[5]=-1},",
            "[5]={[1]=\"getpos\",[2]=\"'[\"},[6]={[1]=\"getpos\",[2]=\"']\"},",
            "[7]={[1]=\"nvim_buf_set_extmark\",[2]=6,[3]=4,[4]=1,[5]=2,[6]={[\"end_col\"]=3,[\"end_row\"]=1,[\"hl_group\"]=\"IncSearch\",[\"priority\"]=200,[\"strict\"]=false}},",
            "[8]={[1]=\"reg_executing\"}},",
            "[2]=1,[3]=99,",
            "[4]={[1]={[1]=\"nvim_buf_is_valid\",[2]=6},[2]={[1]=\"nvim_buf_clear_namespace\",[2]=6,[3]=4,[4]=1,[5]=2}}}",
        );
        assert_eq!(got, s(want));
    };
}
