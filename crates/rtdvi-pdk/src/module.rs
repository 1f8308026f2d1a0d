//! Plain Rust functions as a Lua module: [`lua_module!`](crate::lua_module)
//! turns `fn width(s: String) -> i64` into a function Lua calls as
//! `require("textutil").width("日本")`.
//!
//! One source serves two editors:
//! - built for `wasm32-unknown-unknown`, the crate is a sandboxed library
//!   that rtdvi's Lua (and `rtdvi-embed`'s plugins) `require`: each
//!   function is the export `lua:NAME(args_ptr, args_len) -> i64` taking a
//!   msgpack array of arguments and answering `(ptr << 32) | len` of a
//!   msgpack `[true, value]` or `[false, "message"]` (ABI in `doc/pdk.md`);
//! - built natively with the kit's `nvim` feature, the same crate is a
//!   `cdylib` Lua module for Neovim (`luaopen_NAME`, through mlua with
//!   LuaJIT in module mode), loaded with `package.cpath` and `require`.
//!
//! Arguments and results convert through [`FromValue`] and [`IntoValue`]
//! (numbers, strings, booleans, nil as `Option`, arrays as `Vec`, maps as
//! `BTreeMap`/`HashMap` with string keys, or any [`Value`]). A function that
//! returns `Result<T, E>` raises `E` (its `Display` text) as a Lua error.
//! Arguments follow Lua's rules: missing ones are nil, extra ones are
//! ignored, and a wrong type raises `bad argument #2 to 'f' (string
//! expected, got number)`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Display;

use crate::msgpack::Value;

/// A value a Lua module function can take as an argument.
pub trait FromValue: Sized {
    /// Converts `v`, or says what was expected (`string expected, got
    /// number`).
    fn from_value(v: Value) -> Result<Self, String>;
}

/// A value a Lua module function can return.
pub trait IntoValue {
    /// Converts `self`; `Err` is raised in Lua as the function's error.
    fn into_value(self) -> Result<Value, String>;
}

/// Lua's name for the type of `v` (as in `got number`).
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Nil => "nil",
        Value::Bool(_) => "boolean",
        Value::Int(_) | Value::Float(_) => "number",
        Value::Str(_) | Value::Bin(_) => "string",
        Value::Array(_) | Value::Map(_) => "table",
        Value::Ext(..) => "userdata",
    }
}

fn expected(what: &str, v: &Value) -> String {
    format!("{what} expected, got {}", type_name(v))
}

impl FromValue for Value {
    fn from_value(v: Value) -> Result<Self, String> {
        Ok(v)
    }
}

impl FromValue for bool {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Bool(b) => Ok(b),
            other => Err(expected("boolean", &other)),
        }
    }
}

impl FromValue for i64 {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Int(i) => Ok(i),
            // Lua floats with an integral value pass where integers are
            // wanted, as `string.rep("x", 2.0)` does.
            Value::Float(f) if f.fract() == 0.0 && f >= -(2f64.powi(63)) && f < 2f64.powi(63) => Ok(f as i64),
            Value::Float(_) => Err("number has no integer representation".into()),
            other => Err(expected("number", &other)),
        }
    }
}

macro_rules! narrow_int {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: Value) -> Result<Self, String> {
                let i = i64::from_value(v)?;
                <$t>::try_from(i).map_err(|_| format!("number {i} out of range"))
            }
        }
        impl IntoValue for $t {
            fn into_value(self) -> Result<Value, String> {
                i64::try_from(self).map(Value::Int).map_err(|_| format!("number {self} out of range"))
            }
        }
    )*};
}
narrow_int!(i32, u32, u64, usize, i16, u16, u8, i8);

impl FromValue for f64 {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Float(f) => Ok(f),
            Value::Int(i) => Ok(i as f64),
            other => Err(expected("number", &other)),
        }
    }
}

impl FromValue for f32 {
    fn from_value(v: Value) -> Result<Self, String> {
        f64::from_value(v).map(|f| f as f32)
    }
}

impl FromValue for String {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Str(s) => Ok(s),
            Value::Bin(b) => String::from_utf8(b).map_err(|_| "string is not valid UTF-8".to_string()),
            // Lua turns numbers into strings where strings are wanted.
            Value::Int(i) => Ok(i.to_string()),
            other => Err(expected("string", &other)),
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Nil => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Array(items) => items.into_iter().map(T::from_value).collect(),
            // An empty Lua table crosses as an empty map in some hosts.
            Value::Map(pairs) if pairs.is_empty() => Ok(Vec::new()),
            other => Err(expected("table", &other)),
        }
    }
}

fn map_pairs<T: FromValue>(v: Value) -> Result<Vec<(String, T)>, String> {
    match v {
        Value::Map(pairs) => pairs.into_iter().map(|(k, v)| Ok((String::from_value(k)?, T::from_value(v)?))).collect(),
        // An empty Lua table is an empty array on the wire.
        Value::Array(items) if items.is_empty() => Ok(Vec::new()),
        other => Err(expected("table", &other)),
    }
}

impl<T: FromValue> FromValue for BTreeMap<String, T> {
    fn from_value(v: Value) -> Result<Self, String> {
        map_pairs(v).map(|p| p.into_iter().collect())
    }
}

impl<T: FromValue, S: std::hash::BuildHasher + Default> FromValue for HashMap<String, T, S> {
    fn from_value(v: Value) -> Result<Self, String> {
        map_pairs(v).map(|p| p.into_iter().collect())
    }
}

impl IntoValue for Value {
    fn into_value(self) -> Result<Value, String> {
        Ok(self)
    }
}

impl IntoValue for () {
    fn into_value(self) -> Result<Value, String> {
        Ok(Value::Nil)
    }
}

impl IntoValue for bool {
    fn into_value(self) -> Result<Value, String> {
        Ok(Value::Bool(self))
    }
}

impl IntoValue for i64 {
    fn into_value(self) -> Result<Value, String> {
        Ok(Value::Int(self))
    }
}

impl IntoValue for f64 {
    fn into_value(self) -> Result<Value, String> {
        Ok(Value::Float(self))
    }
}

impl IntoValue for f32 {
    fn into_value(self) -> Result<Value, String> {
        Ok(Value::Float(f64::from(self)))
    }
}

impl IntoValue for String {
    fn into_value(self) -> Result<Value, String> {
        Ok(Value::Str(self))
    }
}

impl IntoValue for &str {
    fn into_value(self) -> Result<Value, String> {
        Ok(Value::Str(self.to_owned()))
    }
}

impl<T: IntoValue> IntoValue for Option<T> {
    fn into_value(self) -> Result<Value, String> {
        self.map_or(Ok(Value::Nil), T::into_value)
    }
}

impl<T: IntoValue> IntoValue for Vec<T> {
    fn into_value(self) -> Result<Value, String> {
        self.into_iter().map(T::into_value).collect::<Result<_, _>>().map(Value::Array)
    }
}

impl<K: Into<String>, T: IntoValue> IntoValue for BTreeMap<K, T> {
    fn into_value(self) -> Result<Value, String> {
        self.into_iter()
            .map(|(k, v)| Ok((Value::Str(k.into()), v.into_value()?)))
            .collect::<Result<_, _>>()
            .map(Value::Map)
    }
}

impl<K: Into<String>, T: IntoValue, S> IntoValue for HashMap<K, T, S> {
    fn into_value(self) -> Result<Value, String> {
        self.into_iter()
            .map(|(k, v)| Ok((Value::Str(k.into()), v.into_value()?)))
            .collect::<Result<_, _>>()
            .map(Value::Map)
    }
}

impl<T: IntoValue, E: Display> IntoValue for Result<T, E> {
    fn into_value(self) -> Result<Value, String> {
        self.map_err(|e| e.to_string())?.into_value()
    }
}

/// A Rust function callable from Lua with arguments `Args` (a tuple of
/// [`FromValue`] types); implemented for `Fn`s of up to six arguments
/// returning an [`IntoValue`].
pub trait Function<Args> {
    /// Calls the function with Lua's arguments; `name` is used in messages.
    fn invoke(&self, name: &str, args: Vec<Value>) -> Result<Value, String>;
}

/// Argument `i` (1-based), nil when missing.
fn arg<T: FromValue>(name: &str, args: &mut std::vec::IntoIter<Value>, i: usize) -> Result<T, String> {
    T::from_value(args.next().unwrap_or(Value::Nil)).map_err(|why| format!("bad argument #{i} to '{name}' ({why})"))
}

macro_rules! impl_function {
    ($($a:ident),*) => {
        impl<F, R, $($a),*> Function<($($a,)*)> for F
        where
            F: Fn($($a),*) -> R,
            R: IntoValue,
            $($a: FromValue,)*
        {
            #[allow(unused_mut, unused_variables, unused_assignments, non_snake_case)]
            fn invoke(&self, name: &str, args: Vec<Value>) -> Result<Value, String> {
                let mut args = args.into_iter();
                let mut i = 0;
                $(i += 1; let $a: $a = arg(name, &mut args, i)?;)*
                (self)($($a),*).into_value()
            }
        }
    };
}
impl_function!();
impl_function!(A1);
impl_function!(A1, A2);
impl_function!(A1, A2, A3);
impl_function!(A1, A2, A3, A4);
impl_function!(A1, A2, A3, A4, A5);
impl_function!(A1, A2, A3, A4, A5, A6);

/// Calls `f` with the msgpack array `input` and encodes the reply the ABI
/// wants: `[true, value]` or `[false, "message"]`.
pub fn call_encoded<A>(f: &impl Function<A>, name: &str, input: &[u8]) -> Vec<u8> {
    let result = match crate::msgpack::decode(input) {
        Ok(Value::Array(args)) => f.invoke(name, args),
        Ok(_) => Err(format!("{name}: arguments must be an array")),
        Err(e) => Err(format!("{name}: {e}")),
    };
    let reply = match result {
        Ok(v) => Value::Array(vec![Value::Bool(true), v]),
        Err(message) => Value::Array(vec![Value::Bool(false), Value::Str(message)]),
    };
    reply.to_bytes()
}

/// The body of export `lua:NAME`: reads the arguments the host placed at
/// `(ptr, len)` and returns `(reply_ptr << 32) | reply_len`, a block from
/// [`crate::memory::alloc`] the host frees with `dealloc`; 0 when memory is
/// exhausted (the host reports it).
///
/// # Safety
/// `(ptr, len)` must be the host's argument block, alive for the call.
pub unsafe fn export_call<A>(f: &impl Function<A>, name: &str, ptr: i32, len: i32) -> i64 {
    // SAFETY: per this function's contract.
    let input = unsafe { crate::memory::borrow(ptr, len) };
    let reply = call_encoded(f, name, input);
    let Ok(reply_len) = i32::try_from(reply.len()) else { return 0 };
    let out = crate::memory::alloc(reply_len);
    if out == 0 {
        return 0;
    }
    // SAFETY: `out` is a fresh block of `reply_len` bytes in this module.
    unsafe { std::ptr::copy_nonoverlapping(reply.as_ptr(), out as u32 as usize as *mut u8, reply.len()) };
    (i64::from(out as u32) << 32) | i64::from(reply_len as u32)
}

/// Defines a Lua module from plain Rust functions:
///
/// ```
/// fn width(s: String) -> i64 { s.chars().count() as i64 }
/// fn shout(s: String, times: Option<i64>) -> Result<String, String> {
///     let n = usize::try_from(times.unwrap_or(1)).map_err(|_| "times must be >= 0")?;
///     Ok(s.to_uppercase().repeat(n))
/// }
/// rtdvi_pdk::lua_module!(textutil: width, shout);
/// # fn main() {}
/// ```
///
/// On `wasm32` this exports `lua:width` and `lua:shout` (plus the kit's
/// `alloc`/`dealloc`), which rtdvi's `require("textutil")` finds. With the
/// kit's `nvim` feature on a native target it also defines
/// `luaopen_textutil`, so the crate built as a `cdylib` is a Neovim Lua
/// module. Elsewhere it defines nothing, and tests call the functions.
#[macro_export]
macro_rules! lua_module {
    ($module:ident : $($f:ident),+ $(,)?) => {
        $(
            #[cfg(target_arch = "wasm32")]
            const _: () = {
                #[export_name = concat!("lua:", stringify!($f))]
                extern "C" fn __rtdvi_lua_export(ptr: i32, len: i32) -> i64 {
                    // SAFETY: the host keeps the argument block alive until we return.
                    unsafe { $crate::module::export_call(&$f, stringify!($f), ptr, len) }
                }
            };
        )+
        $crate::__nvim_module!($module: $($f),+);
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn join(parts: Vec<String>, sep: Option<String>) -> String {
        parts.join(sep.as_deref().unwrap_or(","))
    }

    fn halve(n: i64) -> Result<i64, String> {
        if n % 2 == 0 {
            Ok(n / 2)
        } else {
            Err(format!("{n} is odd"))
        }
    }

    fn s(text: &str) -> Value {
        Value::Str(text.into())
    }

    #[test]
    fn arguments_follow_lua_rules() {
        let list = Value::Array(vec![s("a"), s("b")]);
        assert_eq!(join.invoke("join", vec![list.clone()]), Ok(s("a,b")));
        assert_eq!(join.invoke("join", vec![list.clone(), s("-"), s("extra")]), Ok(s("a-b")));
        assert_eq!(join.invoke("join", vec![Value::Map(vec![])]), Ok(s("")));
        assert_eq!(join.invoke("join", vec![]), Err("bad argument #1 to 'join' (table expected, got nil)".to_string()));
        assert_eq!(
            join.invoke("join", vec![list, Value::Bool(true)]),
            Err("bad argument #2 to 'join' (string expected, got boolean)".to_string())
        );
        assert_eq!(halve.invoke("halve", vec![Value::Float(4.0)]), Ok(Value::Int(2)));
        assert_eq!(
            halve.invoke("halve", vec![Value::Float(4.5)]),
            Err("bad argument #1 to 'halve' (number has no integer representation)".to_string())
        );
        assert_eq!(halve.invoke("halve", vec![Value::Int(3)]), Err("3 is odd".to_string()));
        assert_eq!(u8::from_value(Value::Int(300)), Err("number 300 out of range".to_string()));
    }

    #[test]
    fn results_convert() {
        let mut map = BTreeMap::new();
        map.insert("k".to_string(), vec![Some(1i64), None]);
        assert_eq!(map.into_value(), Ok(Value::Map(vec![(s("k"), Value::Array(vec![Value::Int(1), Value::Nil]))])));
        assert_eq!(().into_value(), Ok(Value::Nil));
        assert_eq!(usize::MAX.into_value(), Err(format!("number {} out of range", usize::MAX)));
        let m: HashMap<String, bool> =
            HashMap::from_value(Value::Map(vec![(s("x"), Value::Bool(true))])).expect("a map");
        assert_eq!(m.get("x"), Some(&true));
    }

    #[test]
    fn encoded_calls_answer_ok_or_error_pairs() {
        let args = Value::Array(vec![Value::Int(8)]).to_bytes();
        let ok = crate::msgpack::decode(&call_encoded(&halve, "halve", &args));
        assert_eq!(ok, Ok(Value::Array(vec![Value::Bool(true), Value::Int(4)])));
        let args = Value::Array(vec![Value::Int(7)]).to_bytes();
        let err = crate::msgpack::decode(&call_encoded(&halve, "halve", &args));
        assert_eq!(err, Ok(Value::Array(vec![Value::Bool(false), s("7 is odd")])));
        let not_array = crate::msgpack::decode(&call_encoded(&halve, "halve", &Value::Int(1).to_bytes()));
        assert_eq!(not_array, Ok(Value::Array(vec![Value::Bool(false), s("halve: arguments must be an array")])));
        let garbage = crate::msgpack::decode(&call_encoded(&halve, "halve", &[0xc1]));
        assert!(matches!(garbage, Ok(Value::Array(ref v)) if v.first() == Some(&Value::Bool(false))));
    }
}
