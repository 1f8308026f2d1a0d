//! The editor as seen by expressions: variables, options, registers, the environment, and calls
//! into the function table; lambdas and `map()`/`filter()` run with local names bound.

use std::collections::BTreeMap;

use crate::editor::Editor;
use crate::expr::{self, Context, ExprError, Func, Value};
use crate::options::{self, OptionValue};

/// How deep lambdas may call each other before Vim's E132 stops a runaway recursion.
const MAX_DEPTH: usize = 100;

/// The editor as seen by expressions, with the local names of the lambda or `map()` running.
pub struct EditorContext<'a> {
    /// The editor.
    pub editor: &'a mut Editor,
    locals: Vec<(String, Value)>,
    depth: usize,
}

impl<'a> EditorContext<'a> {
    /// A context with no local names (the command line).
    pub fn new(editor: &'a mut Editor) -> Self {
        EditorContext { editor, locals: Vec::new(), depth: 0 }
    }

    /// A context with local names bound (`v:val`, `v:key`, a lambda's parameters).
    pub fn with_locals(editor: &'a mut Editor, locals: Vec<(String, Value)>) -> Self {
        EditorContext { editor, locals, depth: 0 }
    }
}

/// Runs a function reference with arguments (a named function or a lambda).
pub fn call_func(editor: &mut Editor, func: &Func, args: Vec<Value>) -> Result<Value, ExprError> {
    EditorContext::new(editor).call_func(func, args)
}

/// Evaluates `expr` with `v:key` and `v:val` bound, or calls it if it is a funcref (what `map()`,
/// `filter()` and friends do for each item).
pub fn eval_with_item(editor: &mut Editor, expr: &Value, key: Value, val: Value) -> Result<Value, ExprError> {
    match expr {
        Value::Func(f) => call_func(editor, f, vec![key, val]),
        other => {
            let src = other.to_string_value()?;
            let mut ctx = EditorContext::with_locals(editor, vec![("v:key".into(), key), ("v:val".into(), val)]);
            expr::eval(&src, &mut ctx)
        }
    }
}

/// `v:name` (without the `v:`), computed from the editor's state.
fn vvar(ed: &Editor, v: &str) -> Option<Value> {
    match v {
        "true" => Some(Value::Bool(true)),
        "false" => Some(Value::Bool(false)),
        "null" => Some(Value::Null),
        "count" => Some(Value::Number(ed.vi.callback_count.map_or(0, |(c, _)| c as i64))),
        "count1" => Some(Value::Number(ed.vi.callback_count.map_or(1, |(c, _)| c.max(1) as i64))),
        "version" => Some(Value::Number(800)),
        "progname" => Some(Value::String("rtdvi".into())),
        "hlsearch" => Some(Value::Number(i64::from(ed.search.highlight))),
        "t_number" => Some(Value::Number(0)),
        "t_string" => Some(Value::Number(1)),
        "t_func" => Some(Value::Number(2)),
        "t_list" => Some(Value::Number(3)),
        "t_dict" => Some(Value::Number(4)),
        "t_float" => Some(Value::Number(5)),
        "t_bool" => Some(Value::Number(6)),
        "maxcol" => Some(Value::Number(i64::from(i32::MAX))),
        "numbermax" => Some(Value::Number(i64::MAX)),
        "numbermin" => Some(Value::Number(i64::MIN)),
        "register" => Some(Value::String(ed.vi.callback_count.map_or('"', |(_, r)| r).to_string())),
        "char" | "errmsg" | "statusmsg" | "warningmsg" => {
            Some(ed.event_vars.get(v).cloned().unwrap_or(Value::empty_string()))
        }
        "event" => Some(ed.event_vars.get(v).cloned().unwrap_or(Value::Dict(Default::default()))),
        "searchforward" => Some(Value::Number(i64::from(ed.search.direction == crate::search::Direction::Forward))),
        other => ed.event_vars.get(other).cloned(),
    }
}

/// The `v:` variables the expression layer knows without storage of their own (listed by `v:`).
const VVAR_NAMES: &[&str] = &[
    "char",
    "errmsg",
    "statusmsg",
    "warningmsg",
    "event",
    "true",
    "false",
    "null",
    "count",
    "count1",
    "version",
    "progname",
    "hlsearch",
    "t_number",
    "t_string",
    "t_func",
    "t_list",
    "t_dict",
    "t_float",
    "t_bool",
    "maxcol",
    "numbermax",
    "numbermin",
    "register",
    "searchforward",
];

/// A scope as a dictionary value (`g:`, `b:`, `w:`, `t:`, `v:`), as `get(g:, 'x', 0)`,
/// `has_key(b:, 'x')` and `keys(w:)` read it: a copy of the scope's variables at this moment.
fn scope_dict(ed: &Editor, name: &str) -> Option<Value> {
    let api_vars = |vars: &BTreeMap<String, rmpv::Value>| -> BTreeMap<String, Value> {
        vars.iter().filter_map(|(k, v)| Some((k.clone(), crate::api::from_msgpack(v, 0).ok()?))).collect()
    };
    let dict = match name {
        "g:" => {
            let mut d = api_vars(&ed.global_objects);
            d.extend(ed.globals.iter().map(|(k, v)| (k.clone(), v.clone())));
            d
        }
        "b:" => {
            let mut d = api_vars(&ed.buf().vars);
            let tick = i64::try_from(ed.buf().changedtick).unwrap_or(i64::MAX);
            d.insert("changedtick".into(), Value::Number(tick));
            d
        }
        "w:" => api_vars(&ed.win().vars),
        "t:" => api_vars(&ed.tab().vars),
        "v:" => {
            let mut d: BTreeMap<String, Value> = ed.event_vars.clone();
            for n in VVAR_NAMES {
                if let Some(v) = vvar(ed, n) {
                    d.insert((*n).to_string(), v);
                }
            }
            d
        }
        _ => return None,
    };
    Some(Value::Dict(dict))
}

/// Variables without a scope are global at the command line (`:let x = 1` is `g:x`).
pub fn global_key(name: &str) -> String {
    match name.strip_prefix("g:") {
        Some(n) => n.to_string(),
        None => name.to_string(),
    }
}

impl Context for EditorContext<'_> {
    fn variable(&self, name: &str) -> Option<Value> {
        let local = name.strip_prefix("l:").unwrap_or(name);
        if let Some((_, v)) = self.locals.iter().rev().find(|(n, _)| n == local) {
            return Some(v.clone());
        }
        let ed = &*self.editor;
        if let Some(scope) = scope_dict(ed, name) {
            return Some(scope);
        }
        if let Some(v) = name.strip_prefix("v:") {
            return vvar(ed, v);
        }
        if name == "b:changedtick" {
            return Some(Value::Number(i64::try_from(ed.buf().changedtick).unwrap_or(i64::MAX)));
        }
        let scoped = |vars: &std::collections::BTreeMap<String, rmpv::Value>, key: &str| {
            vars.get(key).and_then(|v| crate::api::from_msgpack(v, 0).ok())
        };
        if let Some(k) = name.strip_prefix("b:") {
            return scoped(&ed.buf().vars, k);
        }
        if let Some(k) = name.strip_prefix("w:") {
            return scoped(&ed.win().vars, k);
        }
        if let Some(k) = name.strip_prefix("t:") {
            return scoped(&ed.tab().vars, k);
        }
        if name.starts_with("s:") {
            return None;
        }
        ed.globals.get(&global_key(name)).cloned()
    }

    fn option(&self, name: &str) -> Option<Value> {
        let (global, name) = match name.strip_prefix("g:") {
            Some(n) => (true, n),
            None => (false, name.strip_prefix("l:").unwrap_or(name)),
        };
        let id = options::lookup(name)?;
        let v = if global { self.editor.options.get(id).cloned()? } else { self.editor.option(id) };
        Some(option_value(v))
    }

    fn register(&self, name: char) -> Value {
        Value::String(self.editor.registers.get(name).map(|r| r.to_text()).unwrap_or_default())
    }

    fn env(&self, name: &str) -> Value {
        Value::String(std::env::var(name).unwrap_or_default())
    }

    fn call(&mut self, name: &str, args: Vec<Value>) -> Result<Value, ExprError> {
        super::call(self.editor, name, args)
    }

    fn call_func(&mut self, func: &Func, args: Vec<Value>) -> Result<Value, ExprError> {
        match func {
            Func::Named(name) => super::call(self.editor, name, args),
            Func::Lambda { params, body, .. } => {
                if args.len() > params.len() {
                    return Err(ExprError::TooManyArgs(func.name()));
                }
                if args.len() < params.len() {
                    return Err(ExprError::NotEnoughArgs(func.name()));
                }
                if self.depth >= MAX_DEPTH {
                    return Err(ExprError::Msg("E132: Function call depth is higher than 'maxfuncdepth'".into()));
                }
                let mut locals = self.locals.clone();
                locals.extend(params.iter().cloned().zip(args));
                let mut inner = EditorContext { editor: &mut *self.editor, locals, depth: self.depth + 1 };
                expr::eval(body, &mut inner)
            }
        }
    }
}

/// An option's value as an expression value (booleans are numbers, as `&opt` gives them).
pub fn option_value(v: OptionValue) -> Value {
    match v {
        OptionValue::String(s) => Value::String(s),
        other => Value::Number(other.as_number()),
    }
}
