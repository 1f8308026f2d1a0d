//! List and dictionary functions, and the ones that take functions (`map()`, `sort()`, `call()`).
//!
//! Lists and dictionaries are values (see [`crate::expr`]): `add(l, x)` returns the new list and
//! leaves a variable holding `l` as it was.

use std::collections::BTreeMap;

use super::context::{call_func, eval_with_item};
use super::{arg, arg_list, arg_num, arg_str, err, num, opt_flag, opt_num, to_usize, Function};
use crate::editor::Editor;
use crate::expr::{values_equal, ExprError, Func, Value};

/// This module's functions.
pub(super) static FUNCTIONS: &[Function] = &[
    Function { name: "add", min_args: 2, max_args: 2, func: add },
    Function { name: "call", min_args: 2, max_args: 3, func: call },
    Function { name: "copy", min_args: 1, max_args: 1, func: copy },
    Function { name: "count", min_args: 2, max_args: 4, func: count },
    Function { name: "deepcopy", min_args: 1, max_args: 2, func: copy },
    Function { name: "empty", min_args: 1, max_args: 1, func: empty },
    Function { name: "extend", min_args: 2, max_args: 3, func: extend },
    Function { name: "extendnew", min_args: 2, max_args: 3, func: extend },
    Function { name: "filter", min_args: 2, max_args: 2, func: filter },
    Function { name: "flatten", min_args: 1, max_args: 2, func: flatten },
    Function { name: "funcref", min_args: 1, max_args: 3, func: function },
    Function { name: "function", min_args: 1, max_args: 3, func: function },
    Function { name: "get", min_args: 2, max_args: 3, func: get },
    Function { name: "has_key", min_args: 2, max_args: 2, func: has_key },
    Function { name: "index", min_args: 2, max_args: 4, func: index },
    Function { name: "indexof", min_args: 2, max_args: 3, func: indexof },
    Function { name: "insert", min_args: 2, max_args: 3, func: insert },
    Function { name: "items", min_args: 1, max_args: 1, func: items },
    Function { name: "join", min_args: 1, max_args: 2, func: join },
    Function { name: "keys", min_args: 1, max_args: 1, func: keys },
    Function { name: "len", min_args: 1, max_args: 1, func: len },
    Function { name: "map", min_args: 2, max_args: 2, func: map },
    Function { name: "mapnew", min_args: 2, max_args: 2, func: map },
    Function { name: "max", min_args: 1, max_args: 1, func: max },
    Function { name: "min", min_args: 1, max_args: 1, func: min },
    Function { name: "range", min_args: 1, max_args: 3, func: range },
    Function { name: "reduce", min_args: 2, max_args: 3, func: reduce },
    Function { name: "remove", min_args: 2, max_args: 3, func: remove },
    Function { name: "repeat", min_args: 2, max_args: 2, func: repeat },
    Function { name: "reverse", min_args: 1, max_args: 1, func: reverse },
    Function { name: "slice", min_args: 2, max_args: 3, func: slice },
    Function { name: "sort", min_args: 1, max_args: 3, func: sort },
    Function { name: "type", min_args: 1, max_args: 1, func: type_ },
    Function { name: "uniq", min_args: 1, max_args: 3, func: uniq },
    Function { name: "values", min_args: 1, max_args: 1, func: values },
];

/// The most items `range()` and `repeat()` make (a plugin can't exhaust memory through them).
const MAX_ITEMS: usize = 10_000_000;

/// Equality as `index()` and `count()` use it: same type and same value.
fn same(a: &Value, b: &Value, ic: bool) -> bool {
    a.type_number() == b.type_number() && values_equal(a, b, ic)
}

fn dict_arg(a: &[Value], i: usize, fname: &str) -> Result<BTreeMap<String, Value>, ExprError> {
    match a.get(i) {
        Some(Value::Dict(d)) => Ok(d.clone()),
        _ => {
            let _ = fname;
            Err(err(format!("E1206: Dictionary required for argument {}", i + 1)))
        }
    }
}

fn key_of(v: &Value) -> Result<String, ExprError> {
    match v {
        Value::Number(n) => Ok(n.to_string()),
        other => other.to_string_value(),
    }
}

fn len(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(match arg(&a, 0) {
        Value::List(l) => num(l.len()),
        Value::Dict(d) => num(d.len()),
        Value::Func(_) | Value::Bool(_) | Value::Null => return Err(err("E701: Invalid type for len()")),
        v => num(v.to_string_value()?.len()),
    })
}

fn empty(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::flag(arg(&a, 0).is_empty()))
}

fn get(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let default = a.get(2).cloned().unwrap_or(Value::Number(0));
    Ok(match arg(&a, 0) {
        Value::List(l) => {
            let i = arg_num(&a, 1)?;
            let i = if i < 0 { l.len() as i64 + i } else { i };
            usize::try_from(i).ok().and_then(|i| l.get(i).cloned()).unwrap_or(default)
        }
        Value::Dict(d) => d.get(&key_of(&arg(&a, 1))?).cloned().unwrap_or(default),
        Value::Func(f) => match arg_str(&a, 1)?.as_str() {
            "name" => Value::String(f.name()),
            "func" => Value::Func(f),
            "args" => Value::List(Vec::new()),
            _ => default,
        },
        _ => return Err(err("E896: Argument of get() must be a List, Dictionary or Blob")),
    })
}

fn has_key(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let d = dict_arg(&a, 0, "has_key()")?;
    Ok(Value::flag(d.contains_key(&key_of(&arg(&a, 1))?)))
}

fn keys(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::List(dict_arg(&a, 0, "keys()")?.into_keys().map(Value::String).collect()))
}

fn values(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::List(dict_arg(&a, 0, "values()")?.into_values().collect()))
}

fn items(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(match arg(&a, 0) {
        Value::List(l) => Value::List(l.into_iter().enumerate().map(|(i, v)| Value::List(vec![num(i), v])).collect()),
        Value::String(s) => Value::List(
            s.chars().enumerate().map(|(i, c)| Value::List(vec![num(i), Value::String(c.to_string())])).collect(),
        ),
        _ => Value::List(
            dict_arg(&a, 0, "items()")?.into_iter().map(|(k, v)| Value::List(vec![Value::String(k), v])).collect(),
        ),
    })
}

fn add(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let mut l = match arg(&a, 0) {
        Value::List(l) => l,
        _ => return Err(err("E897: List or Blob required")),
    };
    l.push(arg(&a, 1));
    Ok(Value::List(l))
}

/// A list index that may be negative (from the end) and may equal the length (append).
fn insert_index(len: usize, idx: i64) -> Result<usize, ExprError> {
    let i = if idx < 0 { len as i64 + idx } else { idx };
    usize::try_from(i).ok().filter(|i| *i <= len).ok_or_else(|| err(format!("E684: List index out of range: {idx}")))
}

fn insert(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let mut l = arg_list(&a, 0)?;
    let at = insert_index(l.len(), opt_num(&a, 2, 0)?)?;
    l.insert(at, arg(&a, 1));
    Ok(Value::List(l))
}

fn remove(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    match arg(&a, 0) {
        Value::List(mut l) => {
            let len = l.len();
            let idx = arg_num(&a, 1)?;
            let i = insert_index(len, idx)
                .ok()
                .filter(|i| *i < len)
                .ok_or_else(|| err(format!("E684: List index out of range: {idx}")))?;
            if a.len() > 2 {
                let e_idx = arg_num(&a, 2)?;
                let e = insert_index(len, e_idx)
                    .ok()
                    .filter(|e| *e < len)
                    .ok_or_else(|| err(format!("E684: List index out of range: {e_idx}")))?;
                if e < i {
                    return Err(err("E16: Invalid range"));
                }
                return Ok(Value::List(l.drain(i..=e).collect()));
            }
            Ok(l.remove(i))
        }
        Value::Dict(mut d) => {
            let k = key_of(&arg(&a, 1))?;
            d.remove(&k).ok_or_else(|| err(format!("E716: Key not present in Dictionary: \"{k}\"")))
        }
        _ => Err(err("E896: Argument of remove() must be a List, Dictionary or Blob")),
    }
}

fn extend(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    match (arg(&a, 0), arg(&a, 1)) {
        (Value::List(mut l), Value::List(more)) => {
            let at = if a.len() > 2 { insert_index(l.len(), arg_num(&a, 2)?)? } else { l.len() };
            l.splice(at..at, more);
            Ok(Value::List(l))
        }
        (Value::Dict(mut d), Value::Dict(more)) => {
            let how = if a.len() > 2 { arg_str(&a, 2)? } else { "force".into() };
            for (k, v) in more {
                match how.as_str() {
                    "keep" if d.contains_key(&k) => {}
                    "error" if d.contains_key(&k) => return Err(err(format!("E737: Key already exists: {k}"))),
                    "keep" | "error" | "force" => {
                        d.insert(k, v);
                    }
                    other => return Err(err(format!("E475: Invalid argument: {other}"))),
                }
            }
            Ok(Value::Dict(d))
        }
        _ => Err(err("E712: Argument of extend() must be a List or Dictionary")),
    }
}

fn copy(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(arg(&a, 0))
}

fn reverse(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(match arg(&a, 0) {
        Value::List(mut l) => {
            l.reverse();
            Value::List(l)
        }
        Value::String(s) => Value::String(s.chars().rev().collect()),
        other => other,
    })
}

fn join(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let l = arg_list(&a, 0)?;
    let sep = if a.len() > 1 { arg_str(&a, 1)? } else { " ".into() };
    let parts: Vec<String> = l
        .iter()
        .map(|v| match v {
            Value::List(_) | Value::Dict(_) => v.to_vim_string(),
            other => other.to_string(),
        })
        .collect();
    Ok(Value::String(parts.join(&sep)))
}

fn repeat(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let n = to_usize(arg_num(&a, 1)?);
    Ok(match arg(&a, 0) {
        Value::List(l) => {
            if l.len().saturating_mul(n) > MAX_ITEMS {
                return Err(err("E342: Out of memory!"));
            }
            Value::List(l.iter().cloned().cycle().take(l.len() * n).collect())
        }
        other => {
            let s = other.to_string_value()?;
            if s.len().saturating_mul(n) > MAX_ITEMS * 8 {
                return Err(err("E342: Out of memory!"));
            }
            Value::String(s.repeat(n))
        }
    })
}

fn range(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    // i128 arithmetic: the ends and the stride may be anywhere in i64's range.
    let (start, end) = if a.len() > 1 {
        (i128::from(arg_num(&a, 0)?), i128::from(arg_num(&a, 1)?))
    } else {
        (0, i128::from(arg_num(&a, 0)?) - 1)
    };
    let stride = i128::from(opt_num(&a, 2, 1)?);
    if stride == 0 {
        return Err(err("E726: Stride is zero"));
    }
    if (stride > 0 && end < start - 1) || (stride < 0 && end > start + 1) {
        return Err(err("E727: Start past end"));
    }
    let count = if stride > 0 { (end - start) / stride + 1 } else { (start - end) / -stride + 1 };
    if count > MAX_ITEMS as i128 {
        return Err(err("E342: Out of memory!"));
    }
    let items = (0..count.max(0)).map(|i| Value::Number(i64::try_from(start + i * stride).unwrap_or(0)));
    Ok(Value::List(items.collect()))
}

fn index(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let l = arg_list(&a, 0)?;
    let needle = arg(&a, 1);
    let start = opt_num(&a, 2, 0)?;
    let start = if start < 0 { (l.len() as i64 + start).max(0) } else { start };
    let ic = opt_flag(&a, 3)?;
    Ok(l.iter()
        .enumerate()
        .skip(to_usize(start))
        .find(|(_, v)| same(v, &needle, ic))
        .map_or(Value::Number(-1), |(i, _)| num(i)))
}

fn indexof(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let l = match arg(&a, 0) {
        Value::List(l) => l,
        _ => return Ok(Value::Number(-1)),
    };
    let f = arg(&a, 1);
    let start = match a.get(2) {
        Some(Value::Dict(d)) => d.get("startidx").map(Value::to_number).transpose()?.unwrap_or(0),
        _ => 0,
    };
    let start = if start < 0 { (l.len() as i64 + start).max(0) } else { start };
    for (i, v) in l.into_iter().enumerate().skip(to_usize(start)) {
        if eval_with_item(ed, &f, num(i), v)?.truthy()? {
            return Ok(num(i));
        }
    }
    Ok(Value::Number(-1))
}

fn slice(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let start = arg_num(&a, 1)?;
    // slice() excludes its end, where `[a:b]` includes it.
    let end = match a.get(2) {
        Some(e) => {
            let e = e.to_number()?;
            if e == 0 {
                return Ok(match arg(&a, 0) {
                    Value::List(_) => Value::List(Vec::new()),
                    _ => Value::empty_string(),
                });
            }
            Some(e.saturating_sub(1))
        }
        None => None,
    };
    match arg(&a, 0) {
        Value::String(s) => {
            // Strings slice by characters here.
            let chars: Vec<Value> = s.chars().map(|c| Value::String(c.to_string())).collect();
            let Value::List(part) = crate::expr::slice_value(Value::List(chars), start, end)? else {
                return Ok(Value::empty_string());
            };
            Ok(Value::String(part.iter().map(ToString::to_string).collect()))
        }
        v => crate::expr::slice_value(v, start, end),
    }
}

fn count(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let needle = arg(&a, 1);
    let ic = opt_flag(&a, 2)?;
    Ok(num(match arg(&a, 0) {
        Value::List(l) => l.iter().skip(to_usize(opt_num(&a, 3, 0)?)).filter(|v| same(v, &needle, ic)).count(),
        Value::Dict(d) => d.values().filter(|v| same(v, &needle, ic)).count(),
        other => {
            let (h, n) = (other.to_string_value()?, needle.to_string_value()?);
            if n.is_empty() {
                0
            } else if ic {
                h.to_lowercase().matches(&n.to_lowercase()).count()
            } else {
                h.matches(&n).count()
            }
        }
    }))
}

fn numbers_of(v: Value, fname: &str) -> Result<Vec<i64>, ExprError> {
    match v {
        Value::List(l) => l.iter().map(Value::to_number).collect(),
        Value::Dict(d) => d.values().map(Value::to_number).collect(),
        _ => Err(err(format!("E712: Argument of {fname}() must be a List or Dictionary"))),
    }
}

fn max(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Number(numbers_of(arg(&a, 0), "max")?.into_iter().max().unwrap_or(0)))
}

fn min(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Number(numbers_of(arg(&a, 0), "min")?.into_iter().min().unwrap_or(0)))
}

fn type_(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    Ok(Value::Number(arg(&a, 0).type_number()))
}

/// `map()`, `mapnew()`: each item replaced by `expr` evaluated with `v:key`/`v:val`.
fn map(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let f = arg(&a, 1);
    Ok(match arg(&a, 0) {
        Value::List(l) => Value::List(
            l.into_iter().enumerate().map(|(i, v)| eval_with_item(ed, &f, num(i), v)).collect::<Result<_, _>>()?,
        ),
        Value::Dict(d) => Value::Dict(
            d.into_iter()
                .map(|(k, v)| Ok((k.clone(), eval_with_item(ed, &f, Value::String(k), v)?)))
                .collect::<Result<_, ExprError>>()?,
        ),
        Value::String(s) => {
            let mut out = String::new();
            for (i, c) in s.chars().enumerate() {
                out.push_str(&eval_with_item(ed, &f, num(i), Value::String(c.to_string()))?.to_string_value()?);
            }
            Value::String(out)
        }
        _ => return Err(err("E1250: Argument of map() must be a List, String, Dictionary or Blob")),
    })
}

fn filter(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let f = arg(&a, 1);
    Ok(match arg(&a, 0) {
        Value::List(l) => {
            let mut out = Vec::new();
            for (i, v) in l.into_iter().enumerate() {
                if eval_with_item(ed, &f, num(i), v.clone())?.truthy()? {
                    out.push(v);
                }
            }
            Value::List(out)
        }
        Value::Dict(d) => {
            let mut out = BTreeMap::new();
            for (k, v) in d {
                if eval_with_item(ed, &f, Value::String(k.clone()), v.clone())?.truthy()? {
                    out.insert(k, v);
                }
            }
            Value::Dict(out)
        }
        _ => return Err(err("E1251: Argument of filter() must be a List, String, Dictionary or Blob")),
    })
}

fn reduce(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let Value::Func(f) = arg(&a, 1) else { return Err(err("E1256: String or function required for argument 2")) };
    let mut items = arg_list(&a, 0)?.into_iter();
    let mut acc = match a.get(2) {
        Some(init) => init.clone(),
        None => items.next().ok_or_else(|| err("E998: Reduce of an empty List with no initial value"))?,
    };
    for v in items {
        acc = call_func(ed, &f, vec![acc, v])?;
    }
    Ok(acc)
}

fn flatten_into(out: &mut Vec<Value>, items: Vec<Value>, depth: i64) {
    for v in items {
        match v {
            Value::List(inner) if depth > 0 => flatten_into(out, inner, depth - 1),
            other => out.push(other),
        }
    }
}

fn flatten(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let l = arg_list(&a, 0)?;
    let depth = opt_num(&a, 1, i64::MAX)?;
    if depth < 0 {
        return Err(err("E900: maxdepth must be non-negative number"));
    }
    let mut out = Vec::new();
    flatten_into(&mut out, l, depth);
    Ok(Value::List(out))
}

/// A function argument as a funcref (a name, a funcref or a lambda).
fn func_arg(v: &Value) -> Result<Func, ExprError> {
    match v {
        Value::Func(f) => Ok(f.clone()),
        Value::String(s) if !s.is_empty() => Ok(Func::Named(s.clone())),
        _ => Err(err("E117: Unknown function: ")),
    }
}

fn call(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let f = func_arg(&arg(&a, 0))?;
    let Value::List(args) = arg(&a, 1) else { return Err(err("E1211: List required for argument 2")) };
    call_func(ed, &f, args)
}

fn function(_: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    match arg(&a, 0) {
        Value::Func(f) => Ok(Value::Func(f)),
        v => {
            let name = v.to_string_value()?;
            if super::lookup(&name).is_none() {
                return Err(err(format!("E700: Unknown function: {name}")));
            }
            Ok(Value::Func(Func::Named(name)))
        }
    }
}

/// How `sort()` and `uniq()` compare.
enum Order {
    Str { ic: bool },
    Num,
    StrNum,
    Float,
    Func(Func),
}

fn order_of(v: Option<&Value>) -> Result<Order, ExprError> {
    Ok(match v {
        None => Order::Str { ic: false },
        Some(Value::Func(f)) => Order::Func(f.clone()),
        Some(Value::Number(n)) => Order::Str { ic: *n == 1 },
        Some(Value::String(s)) => match s.as_str() {
            "" => Order::Str { ic: false },
            "i" | "1" => Order::Str { ic: true },
            "n" => Order::Num,
            "N" => Order::StrNum,
            "f" => Order::Float,
            name => Order::Func(Func::Named(name.to_string())),
        },
        Some(_) => return Err(err("E474: Invalid argument")),
    })
}

fn sort_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_vim_string(),
    }
}

/// Vim's default order puts strings first, then numbers, then everything else.
fn sort_rank(v: &Value) -> u8 {
    match v {
        Value::String(_) => 0,
        Value::Number(_) | Value::Float(_) | Value::Bool(_) | Value::Null => 1,
        _ => 2,
    }
}

fn compare(ed: &mut Editor, order: &Order, x: &Value, y: &Value) -> Result<std::cmp::Ordering, ExprError> {
    use std::cmp::Ordering;
    Ok(match order {
        Order::Str { ic: false } => sort_rank(x).cmp(&sort_rank(y)).then_with(|| sort_text(x).cmp(&sort_text(y))),
        Order::Str { ic: true } => {
            sort_rank(x).cmp(&sort_rank(y)).then_with(|| sort_text(x).to_lowercase().cmp(&sort_text(y).to_lowercase()))
        }
        Order::Num => {
            let n = |v: &Value| if let Value::Number(n) = v { *n } else { 0 };
            n(x).cmp(&n(y))
        }
        Order::StrNum => x.to_number().unwrap_or(0).cmp(&y.to_number().unwrap_or(0)),
        Order::Float => {
            let f = |v: &Value| v.to_float().unwrap_or(0.0);
            f(x).partial_cmp(&f(y)).unwrap_or(Ordering::Equal)
        }
        Order::Func(f) => {
            let r = call_func(ed, f, vec![x.clone(), y.clone()])?;
            let n = match r {
                Value::Float(v) => v.partial_cmp(&0.0).map_or(0, |o| o as i64),
                other => other.to_number()?,
            };
            n.cmp(&0)
        }
    })
}

fn sort(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let mut l = arg_list(&a, 0)?;
    let order = order_of(a.get(1))?;
    // A failing comparison stops nothing mid-sort; its first error is reported afterwards.
    let mut failure = None;
    l.sort_by(|x, y| match compare(ed, &order, x, y) {
        Ok(o) => o,
        Err(e) => {
            failure.get_or_insert(e);
            std::cmp::Ordering::Equal
        }
    });
    match failure {
        Some(e) => Err(e),
        None => Ok(Value::List(l)),
    }
}

fn uniq(ed: &mut Editor, a: Vec<Value>) -> Result<Value, ExprError> {
    let l = arg_list(&a, 0)?;
    let order = order_of(a.get(1))?;
    let mut out: Vec<Value> = Vec::with_capacity(l.len());
    for v in l {
        let dup = match out.last() {
            Some(prev) => compare(ed, &order, prev, &v)? == std::cmp::Ordering::Equal,
            None => false,
        };
        if !dup {
            out.push(v);
        }
    }
    Ok(Value::List(out))
}
