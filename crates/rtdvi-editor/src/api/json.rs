//! Conversions between JSON (how events carry structured data) and API values.

use rmpv::Value;

/// A JSON value as an API value (objects become maps with string keys).
pub fn json_to_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Nil,
        serde_json::Value::Bool(b) => Value::Boolean(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::from(i),
            None => Value::F64(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::from(s.as_str()),
        serde_json::Value::Array(a) => Value::Array(a.iter().map(json_to_value).collect()),
        serde_json::Value::Object(o) => {
            Value::Map(o.iter().map(|(k, v)| (Value::from(k.as_str()), json_to_value(v))).collect())
        }
    }
}

/// An API value as JSON (map keys that are not strings are written as their JSON text; binary
/// and ext values as null, since JSON has no such types).
pub fn value_to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Nil | Value::Binary(_) | Value::Ext(..) => serde_json::Value::Null,
        Value::Boolean(b) => serde_json::Value::Bool(*b),
        Value::Integer(i) => match i.as_i64() {
            Some(n) => serde_json::Value::from(n),
            None => serde_json::Value::from(i.as_u64().unwrap_or(0)),
        },
        Value::F32(f) => serde_json::Value::from(f64::from(*f)),
        Value::F64(f) => serde_json::Value::from(*f),
        Value::String(s) => serde_json::Value::from(s.as_str().unwrap_or_default()),
        Value::Array(a) => serde_json::Value::Array(a.iter().map(value_to_json).collect()),
        Value::Map(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let key = k.as_str().map_or_else(|| value_to_json(k).to_string(), str::to_string);
                    (key, value_to_json(v))
                })
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let v = Value::Map(vec![
            (Value::from("a"), Value::Array(vec![Value::from(1), Value::from("x"), Value::Nil])),
            (Value::from("b"), Value::Boolean(true)),
            (Value::from("c"), Value::F64(1.5)),
        ]);
        assert_eq!(json_to_value(&value_to_json(&v)), v);
    }
}
