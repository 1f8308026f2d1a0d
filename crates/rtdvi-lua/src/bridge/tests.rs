//! The bridge through an in-process editor, every test on both engines.

use std::rc::Rc;

use rtdvi_editor::events::{Action, Autocmd, Event};
use rtdvi_editor::Editor;

use super::{LuaEditor, SearchPaths};
use crate::tests::{both_engines, on_big_stack, test_limits};
use crate::{EngineKind, Limits, LuaValue};

fn setup_with(engine: EngineKind, limits: Limits) -> (Rc<LuaEditor>, Editor) {
    let lua = LuaEditor::new(engine, limits, SearchPaths::default()).expect("Lua starts");
    let mut ed = Editor::new();
    lua.attach(&mut ed);
    (lua, ed)
}

fn setup(engine: EngineKind) -> (Rc<LuaEditor>, Editor) {
    setup_with(engine, test_limits())
}

/// Runs `:lua {code}` and returns the messages it left.
fn lua_cmd(ed: &mut Editor, code: &str) -> Vec<String> {
    let ok = ed.run_command_line(&format!("lua {code}"));
    let msgs: Vec<String> = ed.take_messages().into_iter().map(|m| m.text).collect();
    assert!(ok || !msgs.is_empty(), "a failed :lua must say why");
    msgs
}

fn eval(lua: &Rc<LuaEditor>, ed: &mut Editor, src: &str) -> LuaValue {
    match lua.exec(ed, "test", src) {
        Ok(mut v) if !v.is_empty() => v.remove(0),
        other => panic!("{src}: {other:?}"),
    }
}

fn s(t: &str) -> LuaValue {
    LuaValue::string(t)
}

fn lines(ed: &Editor) -> String {
    let b = ed.buf();
    (0..b.line_count()).map(|r| b.line(r)).collect::<Vec<_>>().join("\n")
}

both_engines! {
    empty_dicts_and_nil_elements_cross_as_in_neovim => |e| {
        let (lua, mut ed) = setup(e);
        // An empty dictionary from the API carries vim.empty_dict()'s metatable...
        let v = eval(&lua, &mut ed, "local h = vim.api.nvim_get_hl(0, { name = 'NoSuchGroup' }) return getmetatable(h) == vim._empty_dict_mt and next(h) == nil");
        assert_eq!(v, LuaValue::Boolean(true));
        // ...an empty array does not...
        let v = eval(&lua, &mut ed, "return getmetatable(vim.api.nvim_buf_get_lines(0, 0, 0, false)) == nil");
        assert_eq!(v, LuaValue::Boolean(true));
        // ...and vim.empty_dict() goes to the API as a dictionary, a plain {} as an array.
        let v = eval(&lua, &mut ed, "vim.g.conf_d = vim.empty_dict() vim.g.conf_l = {} return vim.fn.type(vim.g.conf_d) * 10 + vim.fn.type(vim.g.conf_l)");
        assert_eq!(v, LuaValue::Integer(43));
        assert_eq!(eval(&lua, &mut ed, "return vim.empty_dict()"), LuaValue::EmptyDict);
        // A nil inside a list from the API is vim.NIL; a nil dictionary value stays absent.
        let v = eval(&lua, &mut ed, "local t = vim.fn.json_decode('[1, null, 3]') return #t == 3 and t[2] == vim.NIL");
        assert_eq!(v, LuaValue::Boolean(true));
    };
    lua_command_prints_to_messages => |e| {
        let (_lua, mut ed) = setup(e);
        // Neovim's print joins its arguments with spaces.
        assert_eq!(lua_cmd(&mut ed, "print('hello', 1 + 1)"), ["hello 2"]);
        assert_eq!(lua_cmd(&mut ed, "=1 + 2"), ["3"]);
        let msgs = lua_cmd(&mut ed, "error('boom')");
        assert!(msgs[0].starts_with("E5108: Error executing lua [string \":lua\"]:1: boom\nstack traceback:"), "{msgs:?}");
        // The state lives on.
        assert_eq!(lua_cmd(&mut ed, "print(type(vim.api))"), ["table"]);
    };
    api_calls_reach_the_buffer => |e| {
        let (lua, mut ed) = setup(e);
        lua_cmd(&mut ed, "vim.api.nvim_buf_set_lines(0, 0, -1, false, {'one', 'two', 'three'})");
        assert_eq!(lines(&ed), "one\ntwo\nthree");
        let v = eval(&lua, &mut ed, "local l = vim.api.nvim_buf_get_lines(0, 1, 2, false) return l[1] .. #l");
        assert_eq!(v, s("two1"));
        let v = eval(&lua, &mut ed, "vim.api.nvim_win_set_cursor(0, {3, 2}) local c = vim.api.nvim_win_get_cursor(0) return c[1] * 10 + c[2]");
        assert_eq!(v, LuaValue::Integer(32));
        let msgs = lua_cmd(&mut ed, "vim.api.nvim_buf_get_lines(99, 0, 1, false)");
        assert!(msgs[0].starts_with("E5108: Error executing lua [string \":lua\"]:1: Invalid buffer id: 99"), "{msgs:?}");
        assert_eq!(eval(&lua, &mut ed, "return vim.api.nvim_no_such_function"), LuaValue::Nil);
        // vim.NIL crosses as nil: an optional argument left out.
        let v = eval(&lua, &mut ed, "return select(2, pcall(vim.api.nvim_buf_line_count, vim.NIL))");
        assert_eq!(v, s("Invalid 'buffer': Expected Lua number"));
        let v = eval(&lua, &mut ed, "return select(2, pcall(vim.api.nvim_buf_line_count, 'x'))");
        assert_eq!(v, s("Invalid 'buffer': Expected Lua number"));
    };
    vim_cmd_forms => |e| {
        let (lua, mut ed) = setup(e);
        lua_cmd(&mut ed, "vim.api.nvim_buf_set_lines(0, 0, -1, false, {'abc', 'abd'})");
        lua_cmd(&mut ed, "vim.cmd('%s/b/X/')");
        assert_eq!(lines(&ed), "aXc\naXd");
        lua_cmd(&mut ed, "vim.cmd([[\n1s/a/1/\n2s/a/2/\n]])");
        assert_eq!(lines(&ed), "1Xc\n2Xd");
        lua_cmd(&mut ed, "vim.cmd.normal({'gg0x', bang = true})");
        assert_eq!(lines(&ed), "Xc\n2Xd");
        lua_cmd(&mut ed, "vim.cmd.normal('jx')");
        assert_eq!(lines(&ed), "Xc\nXd");
        lua_cmd(&mut ed, "vim.cmd({cmd = 's', args = {'/X/Y/'}, range = {1, 2}})");
        assert_eq!(lines(&ed), "Yc\nYd");
        let v = eval(&lua, &mut ed, "return select(2, pcall(vim.cmd, 'nosuchcommand'))");
        assert!(v.as_str().is_some_and(|m| m.contains("E492: Not an editor command: nosuchcommand")), "{v:?}");
    };
    options_through_o_bo_wo_opt => |e| {
        let (lua, mut ed) = setup(e);
        lua_cmd(&mut ed, "vim.o.tabstop = 4 vim.bo.shiftwidth = 3 vim.wo.number = true");
        assert_eq!(eval(&lua, &mut ed, "return vim.o.tabstop * 100 + vim.bo.shiftwidth * 10 + (vim.wo.number and 1 or 0)"), LuaValue::Integer(431));
        assert_eq!(eval(&lua, &mut ed, "return vim.opt.tabstop:get()"), LuaValue::Integer(4));
        lua_cmd(&mut ed, "vim.opt.nrformats = {'hex'} vim.opt.nrformats:append('alpha') vim.opt.nrformats:prepend({'bin'})");
        assert_eq!(eval(&lua, &mut ed, "return vim.o.nrformats"), s("bin,hex,alpha"));
        lua_cmd(&mut ed, "vim.opt.nrformats:remove('hex')");
        assert_eq!(eval(&lua, &mut ed, "return table.concat(vim.opt.nrformats:get(), '|')"), s("bin|alpha"));
        lua_cmd(&mut ed, "vim.opt.formatoptions = 'tc' vim.opt.formatoptions = vim.opt.formatoptions + 'j' - 't'");
        assert_eq!(eval(&lua, &mut ed, "return vim.o.formatoptions"), s("cj"));
        assert_eq!(eval(&lua, &mut ed, "return vim.opt.formatoptions:get().j"), LuaValue::Boolean(true));
        assert_eq!(eval(&lua, &mut ed, "return vim.opt.listchars:get().tab"), s("> "));
        let v = eval(&lua, &mut ed, "return select(2, pcall(function() return vim.o.nosuchoption end))");
        assert!(v.as_str().is_some_and(|m| m.contains("nosuchoption")), "{v:?}");
    };
    env_is_read_only_and_uv_is_refused => |e| {
        let (lua, mut ed) = setup(e);
        assert_eq!(eval(&lua, &mut ed, "return vim.env.HOME == nil"), LuaValue::Boolean(true));
        let msgs = lua_cmd(&mut ed, "vim.env.FOO = 'x'");
        assert!(msgs[0].contains("read-only in the sandbox"), "{msgs:?}");
        let msgs = lua_cmd(&mut ed, "vim.uv.spawn('sh', {})");
        assert!(msgs[0].contains("vim.uv.spawn is not permitted in the sandbox"), "{msgs:?}");
        let msgs = lua_cmd(&mut ed, "vim.loop.fs_open('/etc/passwd', 'r', 0)");
        assert!(msgs[0].contains("not permitted in the sandbox"), "{msgs:?}");
    };
    schedule_timers_and_wait => |e| {
        let (lua, mut ed) = setup(e);
        lua_cmd(&mut ed, "log = {} vim.schedule(function() table.insert(log, 'scheduled') end) table.insert(log, 'now')");
        assert_eq!(eval(&lua, &mut ed, "return table.concat(log, ',')"), s("now"));
        lua.run_pending(&mut ed);
        assert_eq!(eval(&lua, &mut ed, "return table.concat(log, ',')"), s("now,scheduled"));
        // vim.wait runs timers by advancing the loop's clock: no sleeping.
        let v = eval(&lua, &mut ed, "
            local hits = 0
            local before = vim.uv.now()
            local t = vim.uv.new_timer()
            t:start(100, 100, function() hits = hits + 1 if hits == 3 then t:stop() end end)
            vim.defer_fn(function() log[#log + 1] = 'deferred' end, 250)
            local ok = vim.wait(1000, function() return hits == 3 end, 10)
            local waited = vim.uv.now() - before
            return tostring(ok) .. ' ' .. hits .. ' ' .. tostring(waited >= 300) .. ' ' .. table.concat(log, ',')");
        assert_eq!(v, s("true 3 true now,scheduled,deferred"));
        let v = eval(&lua, &mut ed, "local ok, code = vim.wait(50, function() return false end) return tostring(ok) .. code");
        assert_eq!(v, s("false-1"));
        let v = eval(&lua, &mut ed, "local f = vim.schedule_wrap(function(a, b) log[#log + 1] = a .. b end) f('x', 'y') vim.wait(0) return log[#log]");
        assert_eq!(v, s("xy"));
    };
    callbacks_reenter_from_api_calls => |e| {
        let (lua, mut ed) = setup(e);
        // An autocmd whose Lua callback runs when Lua itself fires the event.
        let f = eval(&lua, &mut ed, "return function(args) fired = (fired or 0) + 1 seen = args.match vim.api.nvim_buf_set_lines(0, 0, 0, false, {'from callback ' .. fired}) end");
        let LuaValue::Function(id) = f else { panic!("{f:?}") };
        ed.autocmds.add(Autocmd {
            id: 0, group: None, event: Event::User, pattern: "Ping".into(), buffer: None, once: false, nested: true,
            action: Action::Callback(lua.export_callback(id).expect("an editor id")), desc: None,
        });
        let v = eval(&lua, &mut ed, "local before = fired or 0 vim.cmd('doautocmd User Ping') vim.cmd('doautocmd User Ping') return (fired - before) .. seen");
        assert_eq!(v, s("2Ping"));
        assert!(lines(&ed).starts_with("from callback 2\nfrom callback 1"), "{}", lines(&ed));
        // Fired from the editor (outermost), the same callback works too.
        ed.run_command_line("doautocmd User Ping");
        assert_eq!(eval(&lua, &mut ed, "return fired"), LuaValue::Integer(3));
        // An error in the callback is reported; the outer code goes on.
        let bad = eval(&lua, &mut ed, "return function() error('cb failed') end");
        let LuaValue::Function(bad) = bad else { panic!() };
        ed.autocmds.add(Autocmd {
            id: 0, group: None, event: Event::User, pattern: "Bad".into(), buffer: None, once: false, nested: true,
            action: Action::Callback(lua.export_callback(bad).expect("an editor id")), desc: None,
        });
        let v = eval(&lua, &mut ed, "vim.cmd('doautocmd User Bad') return 'went on'");
        assert_eq!(v, s("went on"));
        let msgs: Vec<String> = ed.take_messages().into_iter().map(|m| m.text).collect();
        assert!(msgs.iter().any(|m| m.contains("cb failed")), "{msgs:?}");
    };
    runaway_lua_restarts_the_state_and_names_it => |e| {
        // Enough budget to build `vim` (the standard library included), not for a loop forever.
        let limits = Limits { deadline: std::time::Duration::from_millis(1500), fuel: 600_000_000, ..test_limits() };
        let (lua, mut ed) = setup_with(e, limits);
        let msgs = lua_cmd(&mut ed, "while true do end");
        assert!(msgs.iter().any(|m| m.contains("was stopped") && m.contains("restarted")), "{msgs:?}");
        // A new state with the bridge: the editor keeps running.
        assert_eq!(eval(&lua, &mut ed, "return type(vim.api.nvim_buf_get_lines)"), s("function"));
        lua_cmd(&mut ed, "vim.api.nvim_buf_set_lines(0, 0, -1, false, {'alive'})");
        assert_eq!(lines(&ed), "alive");
    };
}

both_engines! {
    callback_ids_are_unique_across_states_and_rebuilds => |e| {
        let limits = Limits { deadline: std::time::Duration::from_millis(1500), fuel: 600_000_000, ..test_limits() };
        let (a, mut ed) = setup_with(e, limits.clone());
        let b = LuaEditor::new(e, limits, SearchPaths::default()).expect("a second state");
        let fa = eval(&a, &mut ed, "return function() return 'a' end");
        let fb = eval(&b, &mut ed, "return function() return 'b' end");
        let (LuaValue::Function(la), LuaValue::Function(lb)) = (fa, fb) else { panic!() };
        // Both states register their first function under the same local id...
        assert_eq!(la, lb);
        // ...but the editor sees two ids, each leading to its own state.
        let (ia, ib) = (a.export_callback(la).expect("id"), b.export_callback(lb).expect("id"));
        assert_ne!(ia, ib);
        assert!(ia.0 < crate::bridge::callbacks::WASM_CALLBACK_BASE && ib.0 < crate::bridge::callbacks::WASM_CALLBACK_BASE);
        assert_eq!(a.export_callback(la), Some(ia), "the same function keeps its id");
        let mut host = crate::bridge::LuaCallbacks { inner: None };
        use rtdvi_editor::editor::CallbackHost;
        assert_eq!(host.call(&mut ed, ia, vec![]), Ok(rmpv::Value::from("a")));
        assert_eq!(host.call(&mut ed, ib, vec![]), Ok(rmpv::Value::from("b")));
        // A rebuild of `a` leaves its old ids leading nowhere (not to a new function).
        lua_cmd(&mut ed, "while true do end");
        let again = eval(&a, &mut ed, "return function() return 'new' end");
        let LuaValue::Function(new_local) = again else { panic!() };
        let err = host.call(&mut ed, ia, vec![]);
        assert!(err.as_ref().is_err_and(|m| m.contains("its Lua state was restarted")), "{err:?}");
        assert_ne!(a.export_callback(new_local), Some(ia));
        assert_eq!(host.call(&mut ed, ib, vec![]), Ok(rmpv::Value::from("b")), "the other state is untouched");
        host.release(ia);
        let err = host.call(&mut ed, ia, vec![]);
        assert!(err.is_err_and(|m| m.contains("no such callback")));
    };
}
