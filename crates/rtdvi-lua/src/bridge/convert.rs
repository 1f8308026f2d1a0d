//! Lua values ↔ the API table's msgpack values, following Neovim's rules:
//! a table with keys `1..n` is an array, an empty table is an empty array
//! (the API accepts it where it wants a dictionary), any other table is a
//! dictionary; a Lua function is the callback ext type
//! (`Ext(64, id as 4 big-endian bytes)`); buffer/window/tabpage handles
//! (ext 0/1/2) become integers. An empty map crosses as `vim.empty_dict()` both ways.

use rmpv::Value;

use crate::value::{CallbackId, LuaValue};

/// The msgpack ext type of a callback (shared by every door of the API).
pub const CALLBACK_EXT: i8 = 64;

/// Encodes a Lua function as an API argument.
pub fn callback_value(id: CallbackId) -> Value {
    Value::Ext(CALLBACK_EXT, id.0.to_be_bytes().to_vec())
}

/// A Lua value as an API argument.
pub fn to_msgpack(v: &LuaValue) -> Value {
    match v {
        LuaValue::Nil | LuaValue::Other(_) => Value::Nil,
        LuaValue::Boolean(b) => Value::Boolean(*b),
        LuaValue::Integer(i) => Value::from(*i),
        LuaValue::Number(n) => Value::F64(*n),
        LuaValue::String(bytes) => match std::str::from_utf8(bytes) {
            Ok(s) => Value::from(s),
            Err(_) => Value::Binary(bytes.clone()),
        },
        LuaValue::Function(id) => callback_value(*id),
        LuaValue::Table(pairs) => table_to_msgpack(pairs),
        LuaValue::EmptyDict => Value::Map(Vec::new()),
    }
}

fn table_to_msgpack(pairs: &[(LuaValue, LuaValue)]) -> Value {
    if let Some(items) = as_list(pairs) {
        return Value::Array(items.into_iter().map(to_msgpack).collect());
    }
    Value::Map(pairs.iter().map(|(k, v)| (key_to_msgpack(k), to_msgpack(v))).collect())
}

/// The values of a table whose keys are exactly `1..n`, in order.
fn as_list(pairs: &[(LuaValue, LuaValue)]) -> Option<Vec<&LuaValue>> {
    let n = pairs.len();
    let mut slots: Vec<Option<&LuaValue>> = vec![None; n];
    for (k, v) in pairs {
        let LuaValue::Integer(i) = k else { return None };
        let slot = usize::try_from(*i).ok().and_then(|i| i.checked_sub(1)).and_then(|i| slots.get_mut(i))?;
        *slot = Some(v);
    }
    slots.into_iter().collect()
}

/// Dictionary keys are strings in the API: numbers are written out.
fn key_to_msgpack(k: &LuaValue) -> Value {
    match k {
        LuaValue::Integer(i) => Value::from(i.to_string()),
        LuaValue::Number(n) => Value::from(n.to_string()),
        other => to_msgpack(other),
    }
}

/// An API result as a Lua value.
pub fn from_msgpack(v: &Value) -> LuaValue {
    match v {
        Value::Nil => LuaValue::Nil,
        Value::Boolean(b) => LuaValue::Boolean(*b),
        Value::Integer(i) => match i.as_i64() {
            Some(i) => LuaValue::Integer(i),
            None => LuaValue::Number(i.as_f64().unwrap_or(f64::MAX)),
        },
        Value::F32(f) => LuaValue::Number(f64::from(*f)),
        Value::F64(f) => LuaValue::Number(*f),
        Value::String(s) => LuaValue::String(s.as_bytes().to_vec()),
        Value::Binary(b) => LuaValue::String(b.clone()),
        Value::Array(items) => LuaValue::Table(
            items.iter().enumerate().map(|(i, item)| (LuaValue::Integer(i as i64 + 1), from_msgpack(item))).collect(),
        ),
        Value::Map(pairs) if pairs.is_empty() => LuaValue::EmptyDict,
        Value::Map(pairs) => LuaValue::Table(
            pairs.iter().filter(|(k, _)| !k.is_nil()).map(|(k, v)| (from_msgpack(k), from_msgpack(v))).collect(),
        ),
        Value::Ext(CALLBACK_EXT, data) => match <[u8; 4]>::try_from(data.as_slice()) {
            Ok(bytes) => LuaValue::Function(CallbackId(u32::from_be_bytes(bytes))),
            Err(_) => LuaValue::Nil,
        },
        Value::Ext(_, data) => {
            // Handles: a msgpack integer inside the ext payload.
            let mut slice = data.as_slice();
            match rmpv::decode::read_value(&mut slice) {
                Ok(inner) if !matches!(inner, Value::Ext(..)) => from_msgpack(&inner),
                _ => LuaValue::Nil,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(i: i64) -> LuaValue {
        LuaValue::Integer(i)
    }

    #[test]
    fn tables_become_arrays_or_maps() {
        let list = LuaValue::Table(vec![(int(2), LuaValue::string("b")), (int(1), LuaValue::string("a"))]);
        assert_eq!(to_msgpack(&list), Value::Array(vec![Value::from("a"), Value::from("b")]));
        assert_eq!(to_msgpack(&LuaValue::Table(vec![])), Value::Array(vec![]));
        let holey = LuaValue::Table(vec![(int(1), int(1)), (int(3), int(3))]);
        assert_eq!(
            to_msgpack(&holey),
            Value::Map(vec![(Value::from("1"), Value::from(1)), (Value::from("3"), Value::from(3))])
        );
        let dict = LuaValue::Table(vec![(LuaValue::string("k"), LuaValue::Boolean(true))]);
        assert_eq!(to_msgpack(&dict), Value::Map(vec![(Value::from("k"), Value::Boolean(true))]));
    }

    #[test]
    fn functions_and_handles_round_trip() {
        let f = LuaValue::Function(CallbackId(0x01020304));
        assert_eq!(to_msgpack(&f), Value::Ext(64, vec![1, 2, 3, 4]));
        assert_eq!(from_msgpack(&to_msgpack(&f)), f);
        let mut handle = Vec::new();
        rmpv::encode::write_value(&mut handle, &Value::from(7)).unwrap();
        assert_eq!(from_msgpack(&Value::Ext(0, handle)), int(7));
        assert_eq!(from_msgpack(&Value::Ext(64, vec![1])), LuaValue::Nil);
        let arr = from_msgpack(&Value::Array(vec![Value::from("x")]));
        assert_eq!(arr.get(&int(1)), Some(&LuaValue::string("x")));
        assert_eq!(to_msgpack(&LuaValue::String(vec![0xff])), Value::Binary(vec![0xff]));
    }
}
