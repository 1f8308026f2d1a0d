//! Values crossing between plugins and the host.
//!
//! Host functions and lifecycle results use [`Value`] (`serde_json::Value`),
//! so any `serde` type converts to and from it. Lua tables become arrays
//! when their keys are exactly `1..=n`, objects otherwise (integer keys
//! written in decimal); an empty table is an empty array, the usual reading
//! of `{}` as an argument list. Floats that are not finite become `null`,
//! invalid UTF-8 in strings is replaced. Functions, userdata and threads do
//! not cross.

use rtdvi_lua::LuaValue;
pub use serde_json::Value;

use crate::error::PluginError;

/// Converts a Lua value for the host.
pub(crate) fn from_lua(value: &LuaValue) -> Result<Value, PluginError> {
    from_lua_at(value, 0)
}

/// Same nesting bound as the Lua guest's encoding.
const MAX_DEPTH: usize = 100;

fn from_lua_at(value: &LuaValue, depth: usize) -> Result<Value, PluginError> {
    if depth > MAX_DEPTH {
        return Err(PluginError::Conversion("value nested too deep".into()));
    }
    Ok(match value {
        LuaValue::Nil => Value::Null,
        LuaValue::Boolean(b) => Value::Bool(*b),
        LuaValue::Integer(i) => Value::from(*i),
        LuaValue::Number(n) => serde_json::Number::from_f64(*n).map(Value::Number).unwrap_or(Value::Null),
        LuaValue::String(bytes) => Value::String(String::from_utf8_lossy(bytes).into_owned()),
        LuaValue::Table(pairs) => table_from_lua(pairs, depth)?,
        LuaValue::EmptyDict => Value::Object(serde_json::Map::new()),
        LuaValue::Function(_) => return Err(PluginError::Conversion("a function cannot be passed to the host".into())),
        LuaValue::Other(kind) => return Err(PluginError::Conversion(format!("a {kind} cannot be passed to the host"))),
    })
}

fn table_from_lua(pairs: &[(LuaValue, LuaValue)], depth: usize) -> Result<Value, PluginError> {
    let mut items: Vec<Option<Value>> = vec![None; pairs.len()];
    let mut is_array = true;
    for (k, v) in pairs {
        let slot = match k {
            LuaValue::Integer(i) if *i >= 1 => usize::try_from(*i - 1).ok().and_then(|i| items.get_mut(i)),
            _ => None,
        };
        match slot {
            Some(slot) if slot.is_none() => *slot = Some(from_lua_at(v, depth + 1)?),
            _ => {
                is_array = false;
                break;
            }
        }
    }
    if is_array {
        return Ok(Value::Array(items.into_iter().map(|v| v.unwrap_or(Value::Null)).collect()));
    }
    let mut map = serde_json::Map::new();
    for (k, v) in pairs {
        let key = match k {
            LuaValue::String(bytes) => String::from_utf8_lossy(bytes).into_owned(),
            LuaValue::Integer(i) => i.to_string(),
            LuaValue::Number(n) => n.to_string(),
            LuaValue::Boolean(b) => b.to_string(),
            _ => return Err(PluginError::Conversion("a table key must be a string or a number".into())),
        };
        map.insert(key, from_lua_at(v, depth + 1)?);
    }
    Ok(Value::Object(map))
}

/// Converts a host value for Lua.
pub(crate) fn to_lua(value: &Value) -> LuaValue {
    match value {
        Value::Null => LuaValue::Nil,
        Value::Bool(b) => LuaValue::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => LuaValue::Integer(i),
            None => LuaValue::Number(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => LuaValue::string(s.clone()),
        Value::Array(items) => LuaValue::Table(
            items.iter().enumerate().map(|(i, v)| (LuaValue::Integer(i as i64 + 1), to_lua(v))).collect(),
        ),
        Value::Object(map) => {
            LuaValue::Table(map.iter().map(|(k, v)| (LuaValue::string(k.clone()), to_lua(v))).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table(pairs: Vec<(LuaValue, LuaValue)>) -> LuaValue {
        LuaValue::Table(pairs)
    }

    #[test]
    fn sequences_become_arrays_in_key_order() {
        let t =
            table(vec![(LuaValue::Integer(2), LuaValue::string("b")), (LuaValue::Integer(1), LuaValue::string("a"))]);
        assert_eq!(from_lua(&t).unwrap(), json!(["a", "b"]));
        assert_eq!(from_lua(&table(vec![])).unwrap(), json!([]));
    }

    #[test]
    fn holes_and_names_make_objects() {
        let t = table(vec![(LuaValue::Integer(1), LuaValue::Integer(5)), (LuaValue::Integer(3), LuaValue::Integer(6))]);
        assert_eq!(from_lua(&t).unwrap(), json!({"1": 5, "3": 6}));
        let t = table(vec![(LuaValue::string("x"), LuaValue::Number(0.5)), (LuaValue::Integer(1), LuaValue::Nil)]);
        assert_eq!(from_lua(&t).unwrap(), json!({"x": 0.5, "1": null}));
    }

    #[test]
    fn scalars_and_refusals() {
        assert_eq!(from_lua(&LuaValue::Number(f64::NAN)).unwrap(), Value::Null);
        assert_eq!(from_lua(&LuaValue::String(vec![0xff, b'a'])).unwrap(), json!("\u{fffd}a"));
        assert!(from_lua(&LuaValue::Function(rtdvi_lua::CallbackId(1))).is_err());
        assert!(from_lua(&LuaValue::Other("userdata".into())).is_err());
    }

    #[test]
    fn host_values_round_trip() {
        let v = json!({"n": 3, "f": 1.5, "s": "é", "list": [true, null, {"k": []}]});
        assert_eq!(from_lua(&to_lua(&v)).unwrap(), v);
        assert_eq!(to_lua(&json!(7)), LuaValue::Integer(7));
        assert_eq!(to_lua(&json!(7.25)), LuaValue::Number(7.25));
    }
}
