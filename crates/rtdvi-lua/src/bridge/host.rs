//! The editor as a [`LuaHost`]: what `require('rtdvi').call` reaches from
//! the `vim` module. `nvim_*` names go to the editor's API table; the
//! `rtdvi.*` names are the bridge's own (scheduling, timers, option kinds).

use std::rc::Rc;

use rtdvi_editor::api;
use rtdvi_editor::options::{self, Kind};
use rtdvi_editor::Editor;

use super::convert::{from_msgpack, to_msgpack};
use super::schedule::Due;
use super::{LuaCallbacks, LuaEditor, LuaScripts};
use crate::host_call::{LuaHost, Reentry};
use crate::value::{CallbackId, LuaValue};

/// One Lua call's view of the editor.
pub(crate) struct Bridge<'e> {
    pub editor: &'e mut Editor,
    pub lua: Rc<LuaEditor>,
}

fn error(text: impl Into<String>) -> LuaValue {
    LuaValue::string(text)
}

fn int_arg(args: &[LuaValue], i: usize) -> Result<i64, LuaValue> {
    match args.get(i) {
        Some(LuaValue::Integer(n)) => Ok(*n),
        Some(LuaValue::Number(n)) if n.fract() == 0.0 => Ok(*n as i64),
        _ => Err(error(format!("argument {}: expected a number", i + 1))),
    }
}

fn function_arg(args: &[LuaValue], i: usize) -> Result<CallbackId, LuaValue> {
    match args.get(i) {
        Some(LuaValue::Function(id)) => Ok(*id),
        _ => Err(error(format!("argument {}: expected a function", i + 1))),
    }
}

/// Every callback id inside `v`.
fn callbacks_in(v: &LuaValue, out: &mut Vec<CallbackId>) {
    match v {
        LuaValue::Function(id) => out.push(*id),
        LuaValue::Table(pairs) => pairs.iter().for_each(|(k, v)| {
            callbacks_in(k, out);
            callbacks_in(v, out);
        }),
        _ => {}
    }
}

impl LuaHost for Bridge<'_> {
    fn call(&mut self, lua: &mut Reentry<'_>, name: &str, args: Vec<LuaValue>) -> Result<Vec<LuaValue>, LuaValue> {
        // Keep `print` output in order with what the call shows.
        super::show_output(&self.lua, self.editor, lua.take_output());
        self.lua.note_owners(&args);
        // API entries: Neovim's `nvim_*` and rtdvi's own `rtdvi_*` (host functions use `rtdvi.`).
        if name.starts_with("nvim_") || name.starts_with("rtdvi_") {
            return self.api(lua, name, args);
        }
        match name {
            "rtdvi.api_names" => Ok(vec![api_names()]),
            "rtdvi.option_info" => option_info(&args),
            "rtdvi.print" => {
                let text = match args.first() {
                    Some(LuaValue::String(s)) => String::from_utf8_lossy(s).into_owned(),
                    _ => String::new(),
                };
                super::show_print(&self.lua, self.editor, &text);
                Ok(vec![])
            }
            "rtdvi.schedule" => {
                let cb = function_arg(&args, 0)?;
                self.lua.state.borrow_mut().schedule.schedule(cb);
                Ok(vec![])
            }
            "rtdvi.timer_start" => {
                let timeout = int_arg(&args, 0)?.max(0) as u64;
                let repeat = int_arg(&args, 1)?.max(0) as u64;
                let cb = function_arg(&args, 2)?;
                let id = self.lua.state.borrow_mut().schedule.start(timeout, repeat, cb);
                Ok(vec![LuaValue::Integer(id as i64)])
            }
            "rtdvi.timer_stop" => {
                let id = int_arg(&args, 0)? as u64;
                let released = self.lua.state.borrow_mut().schedule.stop(id);
                if let Some(cb) = released {
                    let _ = lua.release(cb);
                }
                Ok(vec![])
            }
            "rtdvi.timer_active" => {
                let id = int_arg(&args, 0)? as u64;
                Ok(vec![LuaValue::Boolean(self.lua.state.borrow().schedule.is_active(id))])
            }
            "rtdvi.timer_again" => {
                let id = int_arg(&args, 0)? as u64;
                self.lua.state.borrow_mut().schedule.again(id);
                Ok(vec![])
            }
            "rtdvi.hrtime" => {
                let ns = self.lua.state.borrow().schedule.now().as_nanos();
                Ok(vec![LuaValue::Integer(i64::try_from(ns).unwrap_or(i64::MAX))])
            }
            "rtdvi.run_pending" => {
                let limit_ms = int_arg(&args, 0)?.max(0) as u64;
                // The editor's loop (not vim.wait, which leaves typeahead alone) also runs keys.
                let keys = matches!(args.get(1), Some(LuaValue::Boolean(true)));
                self.run_pending(lua, Some(std::time::Duration::from_millis(limit_ms)), keys);
                Ok(vec![])
            }
            other => Err(error(format!("unknown host function '{other}'"))),
        }
    }
}

impl Bridge<'_> {
    /// An API call. Callbacks it fires (autocmds, mappings, on_lines) and
    /// `:lua` inside it re-enter this Lua state through the lent re-entry.
    fn api(&mut self, lua: &mut Reentry<'_>, name: &str, args: Vec<LuaValue>) -> Result<Vec<LuaValue>, LuaValue> {
        let mut args = args;
        super::callbacks::export_all(&self.lua, &mut args);
        let values: Vec<rmpv::Value> = args.iter().map(to_msgpack).collect();
        let result = self.with_hosts(lua, |editor| api::call(editor, name, &values));
        match result {
            Ok(v) => {
                let mut values = vec![from_msgpack(&v)];
                super::callbacks::import_all(&self.lua, &mut values);
                Ok(values)
            }
            Err(e) => Err(error(super::api_error::lua_text(&e))),
        }
    }

    /// Runs `f` on the editor with this Lua state lent for re-entry and the callback and script
    /// hosts in place (installed for the call when the editor has none), so mappings, autocmds
    /// and `:lua` that `f` sets off reach Lua.
    fn with_hosts<T>(&mut self, lua: &mut Reentry<'_>, f: impl FnOnce(&mut Editor) -> T) -> T {
        let editor = &mut *self.editor;
        let installed_callbacks = editor.callback_host.is_none();
        if installed_callbacks {
            editor.callback_host = Some(Box::new(LuaCallbacks { inner: None }));
        }
        let installed_scripts = editor.script_host.is_none();
        if installed_scripts {
            editor.script_host = Some(Box::new(LuaScripts(self.lua.clone())));
        }
        let key = self.lua.key();
        let result = lua.lend_as(key, || f(editor));
        if installed_callbacks {
            editor.callback_host = None;
        }
        if installed_scripts {
            editor.script_host = None;
        }
        result
    }

    /// Runs what is due (see [`LuaEditor::run_pending`]), nested in the
    /// calling state; with `limit`, first moves the loop's clock towards it.
    /// With `keys`, keys queued by `nvim_feedkeys` run before each callback, as Neovim's loop
    /// reads typeahead before a timer fires (so a timer sees their effects).
    pub fn run_pending(&mut self, lua: &mut Reentry<'_>, limit: Option<std::time::Duration>, keys: bool) {
        if let Some(limit) = limit {
            self.lua.state.borrow_mut().schedule.skip_until(limit);
        }
        // Bounded: a timer that re-arms at 0 ms must not spin forever.
        for _ in 0..10_000 {
            if keys && self.editor.has_queued_keys() {
                self.with_hosts(lua, Editor::run_queued_keys);
            }
            let due = self.lua.state.borrow_mut().schedule.next_due();
            let Some(due) = due else { break };
            let (cb, release) = match due {
                Due::Scheduled(cb) => (cb, true),
                Due::Timer(id, cb) => (cb, !self.lua.state.borrow().schedule.has_timer(id)),
            };
            let result = lua.call_with(self, cb, &[]);
            if let Err(e) = result {
                self.editor.messages.error(super::error_text("vim.schedule callback", &e));
                if e.is_fatal() {
                    return;
                }
            }
            if release {
                let _ = lua.release(cb);
            }
        }
    }
}

/// The names of the API table, for `vim.api`.
fn api_names() -> LuaValue {
    LuaValue::Table(
        api::table()
            .iter()
            .enumerate()
            .map(|(i, e)| (LuaValue::Integer(i as i64 + 1), LuaValue::string(e.name)))
            .collect(),
    )
}

/// `{name = full name, kind = "bool"|"number"|"string"|"comma"|"flags"}`.
fn option_info(args: &[LuaValue]) -> Result<Vec<LuaValue>, LuaValue> {
    let name = args.first().and_then(LuaValue::as_str).unwrap_or_default();
    let id = options::lookup(name).ok_or_else(|| error(format!("E355: Unknown option: {name}")))?;
    let def = id.def();
    let kind = match def.kind {
        Kind::Bool => "bool",
        Kind::Number => "number",
        Kind::CommaList => "comma",
        Kind::FlagList => "flags",
        Kind::String => "string",
    };
    Ok(vec![LuaValue::Table(vec![
        (LuaValue::string("name"), LuaValue::string(def.name)),
        (LuaValue::string("kind"), LuaValue::string(kind)),
    ])])
}

/// Makes [`callbacks_in`] visible to the module.
pub(crate) fn collect_callbacks(args: &[LuaValue]) -> Vec<CallbackId> {
    let mut out = Vec::new();
    args.iter().for_each(|a| callbacks_in(a, &mut out));
    out
}
