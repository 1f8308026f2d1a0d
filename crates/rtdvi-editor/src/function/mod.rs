//! Vim's function table: every built-in function (`strlen()`, `getline()`, `expand()`...) by name,
//! with its argument counts and its implementation over the editor. `:echo`, `:call`, `:let`,
//! `:execute`, `<expr>` mappings and the API entries `nvim_call_function` / `nvim_eval` (so Lua's
//! `vim.fn`) all reach functions through [`call`].
//!
//! Functions that would give a plugin authority the sandbox does not grant (writing or deleting
//! files, creating directories, reading files, running programs) are in the table and refuse with
//! Vim's sandbox error `E48: Not allowed in sandbox`; `executable()` answers 0.
//! `doc/functions.md` lists what is implemented.

mod context;
mod json;
mod list;
mod math;
mod path;
mod printf;
mod state;
mod string;
mod text;
mod window;

pub use context::{global_key, EditorContext};
pub use string::eval_replacement;

use std::sync::OnceLock;

use crate::editor::Editor;
use crate::expr::{ExprError, Value};

/// The implementation of one function.
pub type FunctionImpl = fn(&mut Editor, Vec<Value>) -> Result<Value, ExprError>;

/// One built-in function.
pub struct Function {
    /// Vim's name (`strlen`).
    pub name: &'static str,
    /// The fewest arguments it takes.
    pub min_args: usize,
    /// The most arguments it takes.
    pub max_args: usize,
    /// The implementation (called with a checked argument count).
    pub func: FunctionImpl,
}

/// The sandbox's refusal (Vim's text for commands refused in `:sandbox`).
pub const SANDBOX_ERROR: &str = "E48: Not allowed in sandbox";

/// Every function, sorted by name (each topic module lists its own in `FUNCTIONS`).
pub fn table() -> &'static [&'static Function] {
    static TABLE: OnceLock<Vec<&'static Function>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut all: Vec<&'static Function> = [
            json::FUNCTIONS,
            list::FUNCTIONS,
            math::FUNCTIONS,
            path::FUNCTIONS,
            printf::FUNCTIONS,
            state::FUNCTIONS,
            string::FUNCTIONS,
            text::FUNCTIONS,
            window::FUNCTIONS,
        ]
        .into_iter()
        .flatten()
        .collect();
        all.sort_by_key(|f| f.name);
        all
    })
}

/// Finds a function by name.
pub fn lookup(name: &str) -> Option<&'static Function> {
    let t = table();
    t.binary_search_by(|f| f.name.cmp(name)).ok().and_then(|i| t.get(i).copied())
}

/// How deeply function calls may nest (`eval()` of a string that calls `eval()`...), so that a
/// script can't exhaust the stack: Vim's 'maxfuncdepth' default.
const MAX_CALL_DEPTH: usize = 100;

thread_local! {
    static CALL_DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Calls a built-in function: `E117` for an unknown name, `E118`/`E119` for a wrong argument count.
pub fn call(editor: &mut Editor, name: &str, args: Vec<Value>) -> Result<Value, ExprError> {
    let f = lookup(name).ok_or_else(|| ExprError::UnknownFunction(name.to_string()))?;
    if args.len() < f.min_args {
        return Err(ExprError::NotEnoughArgs(name.to_string()));
    }
    if args.len() > f.max_args {
        return Err(ExprError::TooManyArgs(name.to_string()));
    }
    let depth = CALL_DEPTH.with(|d| d.get());
    if depth >= MAX_CALL_DEPTH {
        return Err(err("E132: Function call depth is higher than 'maxfuncdepth'"));
    }
    CALL_DEPTH.with(|d| d.set(depth + 1));
    let r = (f.func)(editor, args);
    CALL_DEPTH.with(|d| d.set(depth));
    r
}

/// An error with Vim's message text.
pub(crate) fn err(msg: impl Into<String>) -> ExprError {
    ExprError::Msg(msg.into())
}

/// Argument `i` (`v:null` when absent; counts are checked before a call).
pub(crate) fn arg(a: &[Value], i: usize) -> Value {
    a.get(i).cloned().unwrap_or(Value::Null)
}

/// Argument `i` as a string (`""` when absent).
pub(crate) fn arg_str(a: &[Value], i: usize) -> Result<String, ExprError> {
    match a.get(i) {
        Some(v) => v.to_string_value(),
        None => Ok(String::new()),
    }
}

/// Argument `i` as a number (`0` when absent).
pub(crate) fn arg_num(a: &[Value], i: usize) -> Result<i64, ExprError> {
    match a.get(i) {
        Some(v) => v.to_number(),
        None => Ok(0),
    }
}

/// Optional argument `i` as a number.
pub(crate) fn opt_num(a: &[Value], i: usize, default: i64) -> Result<i64, ExprError> {
    match a.get(i) {
        Some(v) => v.to_number(),
        None => Ok(default),
    }
}

/// Optional argument `i` as a flag (Vim's "non-zero").
pub(crate) fn opt_flag(a: &[Value], i: usize) -> Result<bool, ExprError> {
    Ok(opt_num(a, i, 0)? != 0)
}

/// A list argument, or Vim's `E714: List required`.
pub(crate) fn arg_list(a: &[Value], i: usize) -> Result<Vec<Value>, ExprError> {
    match a.get(i) {
        Some(Value::List(l)) => Ok(l.clone()),
        _ => Err(err("E714: List required")),
    }
}

/// A usize from a Vim number, clamped at 0.
pub(crate) fn to_usize(n: i64) -> usize {
    usize::try_from(n.max(0)).unwrap_or(usize::MAX)
}

/// A Vim number from a count or index.
pub(crate) fn num(n: usize) -> Value {
    Value::Number(i64::try_from(n).unwrap_or(i64::MAX))
}

/// A list of strings.
pub(crate) fn str_list<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Value {
    Value::List(items.into_iter().map(|s| Value::String(s.into())).collect())
}

#[cfg(test)]
mod tests;
