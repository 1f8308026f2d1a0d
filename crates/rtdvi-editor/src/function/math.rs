//! Number and float functions: `abs()`, rounding, powers, and the bitwise functions.

use super::{arg, arg_num, err, Function};
use crate::editor::Editor;
use crate::expr::{ExprError, Value};

/// This module's functions.
pub(super) static FUNCTIONS: &[Function] = &[
    Function { name: "abs", min_args: 1, max_args: 1, func: abs },
    Function { name: "and", min_args: 2, max_args: 2, func: and },
    Function { name: "ceil", min_args: 1, max_args: 1, func: ceil },
    Function { name: "exp", min_args: 1, max_args: 1, func: exp },
    Function { name: "float2nr", min_args: 1, max_args: 1, func: float2nr },
    Function { name: "floor", min_args: 1, max_args: 1, func: floor },
    Function { name: "fmod", min_args: 2, max_args: 2, func: fmod },
    Function { name: "invert", min_args: 1, max_args: 1, func: invert },
    Function { name: "isinf", min_args: 1, max_args: 1, func: isinf },
    Function { name: "isnan", min_args: 1, max_args: 1, func: isnan },
    Function { name: "log", min_args: 1, max_args: 1, func: log },
    Function { name: "log10", min_args: 1, max_args: 1, func: log10 },
    Function { name: "or", min_args: 2, max_args: 2, func: or },
    Function { name: "pow", min_args: 2, max_args: 2, func: pow },
    Function { name: "round", min_args: 1, max_args: 1, func: round },
    Function { name: "sqrt", min_args: 1, max_args: 1, func: sqrt },
    Function { name: "trunc", min_args: 1, max_args: 1, func: trunc },
    Function { name: "xor", min_args: 2, max_args: 2, func: xor },
];

/// A float argument (a number converts; anything else is Vim's E808).
fn float(a: &[Value], i: usize) -> Result<f64, ExprError> {
    match arg(a, i) {
        Value::Float(x) => Ok(x),
        Value::Number(n) => Ok(n as f64),
        _ => Err(err("E808: Number or Float required")),
    }
}

fn abs(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(match arg(&a, 0) {
        Value::Float(x) => Value::Float(x.abs()),
        v => Value::Number(v.to_number()?.wrapping_abs()),
    })
}

fn floor(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Float(float(&a, 0)?.floor()))
}

fn ceil(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Float(float(&a, 0)?.ceil()))
}

fn round(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    // Halves round away from zero, as C's round() and Vim.
    Ok(Value::Float(float(&a, 0)?.round()))
}

fn trunc(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Float(float(&a, 0)?.trunc()))
}

fn float2nr(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    // `as` saturates at the i64 range and maps NaN to 0, which is what Vim documents.
    Ok(Value::Number(float(&a, 0)? as i64))
}

fn sqrt(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Float(float(&a, 0)?.sqrt()))
}

fn exp(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Float(float(&a, 0)?.exp()))
}

fn log(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Float(float(&a, 0)?.ln()))
}

fn log10(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Float(float(&a, 0)?.log10()))
}

fn pow(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Float(float(&a, 0)?.powf(float(&a, 1)?)))
}

fn fmod(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Float(float(&a, 0)? % float(&a, 1)?))
}

fn isinf(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let x = float(&a, 0)?;
    Ok(Value::Number(if x == f64::INFINITY {
        1
    } else if x == f64::NEG_INFINITY {
        -1
    } else {
        0
    }))
}

fn isnan(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::flag(float(&a, 0)?.is_nan()))
}

fn and(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Number(arg_num(&a, 0)? & arg_num(&a, 1)?))
}

fn or(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Number(arg_num(&a, 0)? | arg_num(&a, 1)?))
}

fn xor(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Number(arg_num(&a, 0)? ^ arg_num(&a, 1)?))
}

fn invert(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Number(!arg_num(&a, 0)?))
}
