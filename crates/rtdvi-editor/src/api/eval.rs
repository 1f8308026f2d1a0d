//! Vim script entries: `nvim_call_function(fn, args)` and `nvim_eval(expr)`, the door through
//! which Lua's `vim.fn.X(...)` and `vim.api.nvim_eval` reach the function table
//! ([`crate::function`]) and the expression evaluator.
//!
//! Values cross as msgpack: Number ↔ Integer, Float ↔ Float, String ↔ String, List ↔ Array,
//! Dictionary ↔ Map, `v:true`/`v:false` ↔ Boolean, `v:null` ↔ Nil. A funcref has no msgpack form
//! and comes back as Nil (Neovim does the same). Vim errors come back as `Vim:<message>`, as in
//! Neovim (`Vim:E117: Unknown function: nosuch`).

use std::collections::BTreeMap;

use rmpv::Value;

use super::{ApiEntry, ApiError, Args};
use crate::editor::Editor;
use crate::expr::{self, ExprError};
use crate::function::{self, EditorContext};

/// This module's entries of the API table.
pub(super) static ENTRIES: &[ApiEntry] = &[
    ApiEntry { name: "nvim_call_function", params: CALL_FUNCTION, returns: "Object", func: call_function },
    ApiEntry { name: "nvim_eval", params: EVAL, returns: "Object", func: eval },
];

/// `nvim_call_function` parameters.
const CALL_FUNCTION: &[(&str, &str)] = &[("fn", "String"), ("args", "Array")];
/// `nvim_eval` parameters.
const EVAL: &[(&str, &str)] = &[("expr", "String")];

/// How deep msgpack containers may nest on the way in (deeper input is refused, not recursed).
const MAX_DEPTH: usize = 100;

fn vim_error(e: ExprError) -> ApiError {
    ApiError::Msg(format!("Vim:{e}"))
}

/// `nvim_call_function(fn, args)`: calls a Vim function with msgpack arguments.
fn call_function(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let name = a.string()?;
    let args = a.array()?;
    let args = args.iter().map(|v| from_msgpack(v, 0)).collect::<Result<Vec<_>, _>>()?;
    let result = function::call(editor, name, args).map_err(vim_error)?;
    Ok(to_msgpack(&result))
}

/// `nvim_eval(expr)`: evaluates a Vim expression.
fn eval(editor: &mut Editor, a: &mut Args<'_>) -> Result<Value, ApiError> {
    let src = a.string()?;
    let result = expr::eval(src, &mut EditorContext::new(editor)).map_err(vim_error)?;
    Ok(to_msgpack(&result))
}

/// A msgpack value as a Vim value (map keys must be strings; ext-typed handles are numbers).
pub fn from_msgpack(v: &Value, depth: usize) -> Result<expr::Value, ApiError> {
    if depth > MAX_DEPTH {
        return Err(ApiError::Msg("Vim:E724: Variable nested too deep for displaying".to_string()));
    }
    Ok(match v {
        Value::Nil => expr::Value::Null,
        Value::Boolean(b) => expr::Value::Bool(*b),
        Value::Integer(i) => match i.as_i64() {
            Some(n) => expr::Value::Number(n),
            None => expr::Value::Float(i.as_f64().unwrap_or(0.0)),
        },
        Value::F32(x) => expr::Value::Float(f64::from(*x)),
        Value::F64(x) => expr::Value::Float(*x),
        Value::String(s) => expr::Value::String(String::from_utf8_lossy(s.as_bytes()).into_owned()),
        Value::Binary(b) => expr::Value::String(String::from_utf8_lossy(b).into_owned()),
        Value::Array(items) => {
            expr::Value::List(items.iter().map(|i| from_msgpack(i, depth + 1)).collect::<Result<_, _>>()?)
        }
        Value::Map(pairs) => {
            let mut d = BTreeMap::new();
            for (k, v) in pairs {
                let key = match k {
                    Value::String(s) => String::from_utf8_lossy(s.as_bytes()).into_owned(),
                    Value::Integer(i) => i.to_string(),
                    _ => return Err(ApiError::Msg("Dictionary key must be a String".to_string())),
                };
                d.insert(key, from_msgpack(v, depth + 1)?);
            }
            expr::Value::Dict(d)
        }
        Value::Ext(_, data) => {
            let mut slice = data.as_slice();
            let n = rmpv::decode::read_value(&mut slice).ok().and_then(|v| v.as_i64()).unwrap_or(0);
            expr::Value::Number(n)
        }
    })
}

/// A Vim value as a msgpack value.
pub fn to_msgpack(v: &expr::Value) -> Value {
    match v {
        expr::Value::Number(n) => Value::from(*n),
        expr::Value::Float(x) => Value::F64(*x),
        expr::Value::String(s) => Value::from(s.as_str()),
        expr::Value::List(items) => Value::Array(items.iter().map(to_msgpack).collect()),
        expr::Value::Dict(d) => Value::Map(d.iter().map(|(k, v)| (Value::from(k.as_str()), to_msgpack(v))).collect()),
        expr::Value::Bool(b) => Value::Boolean(*b),
        expr::Value::Null | expr::Value::Func(_) => Value::Nil,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::call;

    fn c(e: &mut Editor, name: &str, args: Vec<Value>) -> Result<Value, String> {
        call(e, name, &args).map_err(|e| e.to_string())
    }

    #[test]
    fn call_function_converts_both_ways() {
        let mut e = Editor::new();
        assert_eq!(
            c(&mut e, "nvim_call_function", vec!["strlen".into(), Value::Array(vec!["héllo".into()])]),
            Ok(Value::from(6))
        );
        let list = Value::Array(vec![Value::from(3), Value::from(1), Value::from(2)]);
        assert_eq!(
            c(&mut e, "nvim_call_function", vec!["sort".into(), Value::Array(vec![list])]),
            Ok(Value::Array(vec![Value::from(1), Value::from(2), Value::from(3)]))
        );
        let dict = Value::Map(vec![("a".into(), Value::Boolean(true)), ("b".into(), Value::Nil)]);
        assert_eq!(
            c(&mut e, "nvim_call_function", vec!["get".into(), Value::Array(vec![dict.clone(), "a".into()])]),
            Ok(Value::Boolean(true))
        );
        assert_eq!(
            c(&mut e, "nvim_call_function", vec!["keys".into(), Value::Array(vec![dict])]),
            Ok(Value::Array(vec!["a".into(), "b".into()]))
        );
        assert_eq!(
            c(&mut e, "nvim_call_function", vec!["json_decode".into(), Value::Array(vec!["[1.5, null]".into()])]),
            Ok(Value::Array(vec![Value::F64(1.5), Value::Nil]))
        );
    }

    #[test]
    fn errors_carry_vims_text() {
        let mut e = Editor::new();
        assert_eq!(
            c(&mut e, "nvim_call_function", vec!["nosuch".into(), Value::Array(vec![])]),
            Err("Vim:E117: Unknown function: nosuch".into())
        );
        assert_eq!(
            c(&mut e, "nvim_call_function", vec!["strlen".into(), Value::Array(vec![])]),
            Err("Vim:E119: Not enough arguments for function: strlen".into())
        );
        assert_eq!(
            c(&mut e, "nvim_call_function", vec!["strlen".into(), Value::Array(vec!["a".into(), "b".into()])]),
            Err("Vim:E118: Too many arguments for function: strlen".into())
        );
        assert_eq!(
            c(&mut e, "nvim_call_function", vec!["strlen".into(), Value::Array(vec![Value::Array(vec![])])]),
            Err("Vim:E730: Using a List as a String".into())
        );
        assert_eq!(c(&mut e, "nvim_eval", vec!["nosuch".into()]), Err("Vim:E121: Undefined variable: nosuch".into()));
        assert_eq!(c(&mut e, "nvim_eval", vec!["1 +".into()]), Err("Vim:E15: Invalid expression: \"1 +\"".into()));
        assert!(c(&mut e, "nvim_call_function", vec![Value::from(1), Value::Array(vec![])]).is_err());
        assert!(c(&mut e, "nvim_call_function", vec!["strlen".into(), Value::from(1)]).is_err());
    }

    #[test]
    fn eval_reads_and_changes_the_editor() {
        let mut e = Editor::new();
        assert_eq!(
            c(
                &mut e,
                "nvim_call_function",
                vec!["setline".into(), Value::Array(vec![Value::from(1), Value::Array(vec!["a".into(), "b".into()])])]
            ),
            Ok(Value::from(0))
        );
        assert_eq!(
            c(&mut e, "nvim_eval", vec!["getline(1, '$')".into()]),
            Ok(Value::Array(vec!["a".into(), "b".into()]))
        );
        assert_eq!(
            c(&mut e, "nvim_eval", vec!["{'a': [1, v:true, v:null, 1.5]}".into()]),
            Ok(Value::Map(vec![(
                "a".into(),
                Value::Array(vec![Value::from(1), Value::Boolean(true), Value::Nil, Value::F64(1.5)])
            )]))
        );
        assert_eq!(c(&mut e, "nvim_eval", vec!["function('strlen')".into()]), Ok(Value::Nil));
    }

    #[test]
    fn deep_input_is_refused() {
        let mut v = Value::from(1);
        for _ in 0..(MAX_DEPTH + 5) {
            v = Value::Array(vec![v]);
        }
        let mut e = Editor::new();
        assert!(c(&mut e, "nvim_call_function", vec!["len".into(), Value::Array(vec![v])]).is_err());
    }
}
