//! The `nvim` feature: a [`lua_module!`](crate::lua_module) crate built
//! natively as a `cdylib` is a Lua module for Neovim (LuaJIT), through mlua
//! in module mode: Neovim's `require("NAME")` finds `NAME.so` on
//! `package.cpath` and calls `luaopen_NAME`.
//!
//! Values cross as in rtdvi (see `crate::module`): tables with keys `1..n`
//! are arrays, other tables maps with string keys (number keys written
//! out), an empty table an empty array. Errors are raised as plain strings
//! with the caller's position, as rtdvi raises them, so one test script
//! checks both editors.

use std::ffi::c_int;

use mlua::{Lua, MultiValue, Table};

use crate::msgpack::Value;

pub use mlua::lua_State;

/// One module function, type-erased.
pub type Boxed = Box<dyn Fn(Vec<Value>) -> Result<Value, String>>;
/// A module function and its Lua name.
pub type Entry = (&'static str, Boxed);

/// Deepest table nesting converted (a table containing itself stops here).
const MAX_DEPTH: usize = 64;

/// Body of `luaopen_NAME`: pushes the module table.
///
/// # Safety
/// `state` must be the Lua state Neovim's `require` calls the opener with.
pub unsafe fn open(state: *mut lua_State, functions: Vec<Entry>) -> c_int {
    // SAFETY: per this function's contract.
    unsafe { Lua::entrypoint1(state, move |lua| table(lua, functions)) }
}

/// Wraps every Rust function: the raw function returns `ok, value`, and a
/// Lua wrapper raises the message with `error(msg, 2)`.
const WRAP: &str = r#"
local raw = ...
local M = {}
for name, f in pairs(raw) do
  M[name] = function(...)
    local ok, v = f(...)
    if not ok then error(v, 2) end
    return v
  end
end
return M
"#;

fn table(lua: &Lua, functions: Vec<Entry>) -> mlua::Result<Table> {
    let raw = lua.create_table()?;
    for (name, f) in functions {
        let func = lua.create_function(move |lua, args: MultiValue| {
            let result = args.into_iter().map(|v| from_lua(v, 0)).collect::<Result<Vec<_>, _>>().and_then(&f);
            match result {
                Ok(v) => Ok((true, to_lua(lua, v, 0)?)),
                Err(message) => Ok((false, mlua::Value::String(lua.create_string(message)?))),
            }
        })?;
        raw.set(name, func)?;
    }
    lua.load(WRAP).set_name("=rtdvi_pdk").call(raw)
}

fn from_lua(v: mlua::Value, depth: usize) -> Result<Value, String> {
    Ok(match v {
        mlua::Value::Nil => Value::Nil,
        // vim.NIL and other null light userdata.
        mlua::Value::LightUserData(_) => Value::Nil,
        mlua::Value::Boolean(b) => Value::Bool(b),
        mlua::Value::Integer(i) => Value::Int(i),
        mlua::Value::Number(n) => Value::Float(n),
        mlua::Value::String(s) => match s.to_str() {
            Ok(text) => Value::Str(text.to_owned()),
            Err(_) => Value::Bin(s.as_bytes().to_vec()),
        },
        mlua::Value::Table(t) => {
            if depth >= MAX_DEPTH {
                return Err("table nested too deep".into());
            }
            let mut pairs = Vec::new();
            for pair in t.pairs::<mlua::Value, mlua::Value>() {
                let (k, v) = pair.map_err(|e| e.to_string())?;
                pairs.push((from_lua(k, depth + 1)?, from_lua(v, depth + 1)?));
            }
            table_value(pairs)
        }
        other => return Err(format!("a {} cannot be passed to a module", other.type_name())),
    })
}

/// Keys exactly `1..n` make an array (also when empty); anything else a map
/// whose number keys are written out as strings.
fn table_value(pairs: Vec<(Value, Value)>) -> Value {
    let n = pairs.len();
    let mut slots: Vec<Option<Value>> = vec![None; n];
    let mut is_list = true;
    for (k, v) in &pairs {
        let slot = match k {
            Value::Int(i) => usize::try_from(*i).ok().and_then(|i| i.checked_sub(1)).and_then(|i| slots.get_mut(i)),
            _ => None,
        };
        match slot {
            Some(s) if s.is_none() => *s = Some(v.clone()),
            _ => {
                is_list = false;
                break;
            }
        }
    }
    if is_list {
        return Value::Array(slots.into_iter().map(|s| s.unwrap_or(Value::Nil)).collect());
    }
    let key = |k: Value| match k {
        Value::Int(i) => Value::Str(i.to_string()),
        Value::Float(f) => Value::Str(f.to_string()),
        other => other,
    };
    Value::Map(pairs.into_iter().map(|(k, v)| (key(k), v)).collect())
}

fn to_lua(lua: &Lua, v: Value, depth: usize) -> mlua::Result<mlua::Value> {
    if depth >= MAX_DEPTH {
        return Err(mlua::Error::runtime("value nested too deep"));
    }
    Ok(match v {
        Value::Nil | Value::Ext(..) => mlua::Value::Nil,
        Value::Bool(b) => mlua::Value::Boolean(b),
        Value::Int(i) => mlua::Value::Integer(i),
        Value::Float(f) => mlua::Value::Number(f),
        Value::Str(s) => mlua::Value::String(lua.create_string(s)?),
        Value::Bin(b) => mlua::Value::String(lua.create_string(b)?),
        Value::Array(items) => {
            let t = lua.create_table_with_capacity(items.len(), 0)?;
            for (i, item) in items.into_iter().enumerate() {
                t.raw_set(i + 1, to_lua(lua, item, depth + 1)?)?;
            }
            mlua::Value::Table(t)
        }
        Value::Map(pairs) => {
            let t = lua.create_table_with_capacity(0, pairs.len())?;
            for (k, v) in pairs {
                let k = to_lua(lua, k, depth + 1)?;
                if !k.is_nil() {
                    t.raw_set(k, to_lua(lua, v, depth + 1)?)?;
                }
            }
            mlua::Value::Table(t)
        }
    })
}
