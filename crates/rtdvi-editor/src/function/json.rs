//! `json_encode()` and `json_decode()`, in Neovim's forms: `[1, "a"]` with a space after commas and
//! colons; `v:true`/`v:false`/`v:null` for `true`/`false`/`null`.

use std::collections::BTreeMap;

use super::{arg, arg_str, err, Function};
use crate::editor::Editor;
use crate::expr::{format_float, ExprError, Value};

/// This module's functions.
pub(super) static FUNCTIONS: &[Function] = &[
    Function { name: "json_decode", min_args: 1, max_args: 1, func: json_decode },
    Function { name: "json_encode", min_args: 1, max_args: 1, func: json_encode },
];

/// How deep nested containers may go (deeper input is refused instead of exhausting the stack).
const MAX_DEPTH: usize = 200;

fn json_encode(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let mut out = String::new();
    encode(&arg(&a, 0), &mut out, 0)?;
    Ok(Value::String(out))
}

/// Appends the JSON text of `v`.
pub fn encode(v: &Value, out: &mut String, depth: usize) -> Result<(), ExprError> {
    if depth > MAX_DEPTH {
        return Err(err("E474: container nesting too deep"));
    }
    match v {
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::Float(x) if x.is_finite() => out.push_str(&format_float(*x)),
        Value::Float(_) => return Err(err("E474: Unable to represent NaN value in JSON")),
        Value::String(s) => encode_string(s, out),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Null => out.push_str("null"),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                encode(item, out, depth + 1)?;
            }
            out.push(']');
        }
        Value::Dict(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                encode_string(k, out);
                out.push_str(": ");
                encode(item, out, depth + 1)?;
            }
            out.push('}');
        }
        Value::Func(_) => {
            return Err(err(
                "E474: Error while dumping encode_tv2json() argument, itself: attempt to dump function reference",
            ))
        }
    }
    Ok(())
}

fn encode_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn json_decode(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let text = arg_str(&a, 0)?;
    if text.trim().is_empty() {
        return Err(err("E474: Attempt to decode a blank string"));
    }
    let parsed: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        if e.is_eof() {
            err(format!("E474: Unexpected end of input: {text}"))
        } else if e.to_string().starts_with("trailing characters") {
            // The column is 1-based and counts characters of the error's line.
            let line = text.lines().nth(e.line().saturating_sub(1)).unwrap_or("");
            let rest: String = line.chars().skip(e.column().saturating_sub(1)).collect();
            err(format!("E474: Trailing characters: {rest}"))
        } else {
            err(format!("E474: {e}: {text}"))
        }
    })?;
    Ok(from_json(parsed))
}

/// A JSON value as a Vim value.
pub fn from_json(v: serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Number(i),
            None => Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::String(s),
        serde_json::Value::Array(items) => Value::List(items.into_iter().map(from_json).collect()),
        serde_json::Value::Object(map) => {
            Value::Dict(map.into_iter().map(|(k, v)| (k, from_json(v))).collect::<BTreeMap<_, _>>())
        }
    }
}
