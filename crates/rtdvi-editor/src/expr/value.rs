//! Vim's values: numbers, floats, strings, lists, dictionaries, the special values `v:true`,
//! `v:false` and `v:null`, and function references; their conversions and their two printed forms
//! (`:echo`'s and `string()`'s).
//!
//! Lists and dictionaries are values here, not shared references as in Vim: `call add(g:l, 1)`
//! does not change `g:l` (`:let g:l = add(g:l, 1)` does). Dictionaries keep their keys sorted, so
//! they print in key order where Vim prints in hash order.

use std::collections::BTreeMap;
use std::fmt;

use super::ExprError;

/// A value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A number (Vim numbers are 64-bit).
    Number(i64),
    /// A float.
    Float(f64),
    /// A string.
    String(String),
    /// A list.
    List(Vec<Value>),
    /// A dictionary.
    Dict(BTreeMap<String, Value>),
    /// `v:true` / `v:false`.
    Bool(bool),
    /// `v:null`.
    Null,
    /// A function reference (`function('name')`, a lambda).
    Func(Func),
}

/// A function reference.
#[derive(Clone, Debug, PartialEq)]
pub enum Func {
    /// A named function (`function('strlen')`).
    Named(String),
    /// A lambda (`{a, b -> a + b}`): its parameters and its body's source.
    Lambda {
        /// The number Vim shows in `<lambda>N`.
        id: u64,
        /// Parameter names.
        params: Vec<String>,
        /// The body expression's source text.
        body: String,
    },
}

impl Func {
    /// The name Vim shows (`strlen`, `<lambda>1`).
    pub fn name(&self) -> String {
        match self {
            Func::Named(n) => n.clone(),
            Func::Lambda { id, .. } => format!("<lambda>{id}"),
        }
    }
}

impl fmt::Display for Value {
    /// Formats as `:echo` does (strings without quotes, strings inside containers quoted).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => f.write_str(s),
            Value::Func(func) => f.write_str(&func.name()),
            other => f.write_str(&other.to_vim_string()),
        }
    }
}

/// Vim's `%g` as its own printf does it: fixed notation between 0.001 and 1e7 with six decimals,
/// exponent notation outside, trailing zeros removed but one digit kept after the point
/// (`1.5`, `1234567.0`, `1.0e10`, `1.0e-4`).
pub fn format_float(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let a = x.abs();
    if a == 0.0 || (0.001..1e7).contains(&a) {
        trim_zeros(&format!("{x:.6}"))
    } else {
        let s = format!("{x:.6e}");
        match s.split_once('e') {
            Some((mant, exp)) => format!("{}e{exp}", trim_zeros(mant)),
            None => s,
        }
    }
}

/// `1.500000` -> `1.5`, `2.000000` -> `2.0`.
fn trim_zeros(s: &str) -> String {
    if !s.contains('.') {
        return format!("{s}.0");
    }
    let t = s.trim_end_matches('0');
    if t.ends_with('.') {
        format!("{t}0")
    } else {
        t.to_string()
    }
}

/// A string as `string()` quotes it: in single quotes, quotes doubled.
pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

impl Value {
    /// An empty string.
    pub fn empty_string() -> Value {
        Value::String(String::new())
    }

    /// A string value.
    pub fn str(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// A number from a boolean (`1`/`0`, what Vim's predicates return).
    pub fn flag(b: bool) -> Value {
        Value::Number(i64::from(b))
    }

    /// The form `string()` gives: one that reads back as the same value.
    pub fn to_vim_string(&self) -> String {
        match self {
            Value::Number(n) => n.to_string(),
            Value::Float(x) if x.is_nan() => "str2float('nan')".into(),
            Value::Float(x) if x.is_infinite() => {
                if *x > 0.0 {
                    "str2float('inf')".into()
                } else {
                    "-str2float('inf')".into()
                }
            }
            Value::Float(x) => format_float(*x),
            Value::String(s) => quote(s),
            Value::List(items) => {
                let parts: Vec<String> = items.iter().map(Value::to_vim_string).collect();
                format!("[{}]", parts.join(", "))
            }
            Value::Dict(map) => {
                let parts: Vec<String> =
                    map.iter().map(|(k, v)| format!("{}: {}", quote(k), v.to_vim_string())).collect();
                format!("{{{}}}", parts.join(", "))
            }
            Value::Bool(true) => "v:true".into(),
            Value::Bool(false) => "v:false".into(),
            Value::Null => "v:null".into(),
            Value::Func(f) => format!("function({})", quote(&f.name())),
        }
    }

    /// Vim's conversion to a number (strings parse their leading digits).
    pub fn to_number(&self) -> Result<i64, ExprError> {
        match self {
            Value::Number(n) => Ok(*n),
            Value::Float(_) => Err(ExprError::Msg("E805: Using a Float as a Number".into())),
            Value::String(s) => Ok(leading_number(s)),
            Value::Bool(b) => Ok(i64::from(*b)),
            Value::Null => Ok(0),
            Value::List(_) => Err(ExprError::Msg("E745: Using a List as a Number".into())),
            Value::Dict(_) => Err(ExprError::Msg("E728: Using a Dictionary as a Number".into())),
            Value::Func(_) => Err(ExprError::Msg("E703: Using a Funcref as a Number".into())),
        }
    }

    /// Vim's conversion to a string (numbers and floats print; containers are errors).
    pub fn to_string_value(&self) -> Result<String, ExprError> {
        match self {
            Value::List(_) => Err(ExprError::Msg("E730: Using a List as a String".into())),
            Value::Dict(_) => Err(ExprError::Msg("E731: Using a Dictionary as a String".into())),
            Value::Func(_) => Err(ExprError::Msg("E729: Using a Funcref as a String".into())),
            other => Ok(other.to_string()),
        }
    }

    /// Vim's conversion to a float (numbers convert; strings are errors as in Vim).
    pub fn to_float(&self) -> Result<f64, ExprError> {
        match self {
            Value::Float(x) => Ok(*x),
            Value::Number(n) => Ok(*n as f64),
            Value::Bool(b) => Ok(f64::from(u8::from(*b))),
            Value::Null => Ok(0.0),
            Value::String(_) => Err(ExprError::Msg("E892: Using a String as a Float".into())),
            Value::List(_) => Err(ExprError::Msg("E893: Using a List as a Float".into())),
            Value::Dict(_) => Err(ExprError::Msg("E894: Using a Dictionary as a Float".into())),
            Value::Func(_) => Err(ExprError::Msg("E891: Using a Funcref as a Float".into())),
        }
    }

    /// Whether a condition is true (`if`, `?:`, `&&`, `||`).
    pub fn truthy(&self) -> Result<bool, ExprError> {
        match self {
            Value::Float(x) => Ok(*x != 0.0),
            other => Ok(other.to_number()? != 0),
        }
    }

    /// Vim's `empty()`.
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Number(n) => *n == 0,
            Value::Float(x) => *x == 0.0,
            Value::String(s) => s.is_empty(),
            Value::List(l) => l.is_empty(),
            Value::Dict(d) => d.is_empty(),
            Value::Bool(b) => !b,
            Value::Null => true,
            Value::Func(_) => false,
        }
    }

    /// Vim's `type()` number.
    pub fn type_number(&self) -> i64 {
        match self {
            Value::Number(_) => 0,
            Value::String(_) => 1,
            Value::Func(_) => 2,
            Value::List(_) => 3,
            Value::Dict(_) => 4,
            Value::Float(_) => 5,
            Value::Bool(_) => 6,
            Value::Null => 7,
        }
    }
}

/// The number at the start of a string (`"12abc"` is 12, `"0x1f"` is 31, `"abc"` is 0).
pub fn leading_number(s: &str) -> i64 {
    let t = s.trim_start();
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let n = if let Some(h) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        let end = h.find(|c: char| !c.is_ascii_hexdigit()).unwrap_or(h.len());
        i64::from_str_radix(&h[..end], 16).unwrap_or(0)
    } else {
        let end = digits.find(|c: char| !c.is_ascii_digit()).unwrap_or(digits.len());
        digits[..end].parse::<i64>().unwrap_or(if end > 0 { i64::MAX } else { 0 })
    };
    if neg {
        -n
    } else {
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_vims_g() {
        assert_eq!(format_float(1.5), "1.5");
        assert_eq!(format_float(1e10), "1.0e10");
        assert_eq!(format_float(1234567.0), "1234567.0");
        assert_eq!(format_float(1.0 / 3.0), "0.333333");
        assert_eq!(format_float(0.0001), "1.0e-4");
        assert_eq!(format_float(-0.5), "-0.5");
        assert_eq!(format_float(0.0), "0.0");
    }

    #[test]
    fn string_forms() {
        let d: BTreeMap<String, Value> = [("k".to_string(), Value::str("it's"))].into_iter().collect();
        let v = Value::List(vec![Value::Number(1), Value::Dict(d), Value::Bool(true), Value::Null]);
        assert_eq!(v.to_vim_string(), "[1, {'k': 'it''s'}, v:true, v:null]");
        assert_eq!(Value::str("a").to_string(), "a");
        assert_eq!(Value::Func(Func::Named("len".into())).to_vim_string(), "function('len')");
    }

    #[test]
    fn conversions() {
        assert_eq!(leading_number("  -7"), -7);
        assert_eq!(leading_number("0x1f"), 31);
        assert_eq!(leading_number("12abc"), 12);
        assert!(Value::Float(1.5).to_number().is_err());
        assert_eq!(Value::Bool(true).to_number(), Ok(1));
        assert!(Value::List(vec![]).to_string_value().is_err());
    }
}
