//! Host functions: Rust closures plugins call by `namespace.name`.
//!
//! A closure takes its arguments as one `serde` type built from the list of
//! arguments (a tuple for fixed arguments, a `Vec` for variadic ones) and
//! returns `Result<R, E>` with `R: Serialize` (`()` is `nil`) and
//! `E: Display` (raised as an error in the plugin).

use std::collections::BTreeMap;
use std::fmt::Display;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::BuildError;
use crate::value::Value;

/// What a host function knows about its caller.
#[derive(Debug, Clone, Copy)]
pub struct CallContext<'a> {
    /// Name of the calling plugin (its folder or file stem).
    pub plugin: &'a str,
}

/// A registered function, type-erased.
pub(crate) type ErasedFn = Arc<dyn Fn(&CallContext<'_>, Vec<Value>) -> Result<Value, String> + Send + Sync>;

/// The host functions of one manager, by qualified name (`math.add`).
#[derive(Clone, Default)]
pub(crate) struct HostFunctions {
    pub(crate) by_name: BTreeMap<String, ErasedFn>,
}

impl std::fmt::Debug for HostFunctions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.by_name.keys()).finish()
    }
}

/// True for a Lua identifier that is not a keyword.
fn is_lua_name(s: &str) -> bool {
    const KEYWORDS: [&str; 22] = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in", "local", "nil",
        "not", "or", "repeat", "return", "then", "true", "until", "while",
    ];
    let mut chars = s.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    starts_well && chars.all(|c| c.is_ascii_alphanumeric() || c == '_') && !KEYWORDS.contains(&s)
}

impl HostFunctions {
    /// Adds `namespace.name`.
    pub(crate) fn insert<A, R, E, F>(&mut self, namespace: &str, name: &str, f: F) -> Result<(), BuildError>
    where
        A: DeserializeOwned,
        R: Serialize,
        E: Display,
        F: Fn(&CallContext<'_>, A) -> Result<R, E> + Send + Sync + 'static,
    {
        for part in [namespace, name] {
            if !is_lua_name(part) {
                return Err(BuildError::InvalidName(part.to_owned()));
            }
        }
        let qualified = format!("{namespace}.{name}");
        if self.by_name.contains_key(&qualified) {
            return Err(BuildError::Duplicate(qualified));
        }
        let shown = qualified.clone();
        let erased: ErasedFn = Arc::new(move |ctx, args| {
            // `()` reads from null, not from an empty list.
            let none = args.is_empty();
            let args: A = serde_json::from_value(Value::Array(args))
                .or_else(|e| if none { serde_json::from_value(Value::Null).map_err(|_| e) } else { Err(e) })
                .map_err(|e| format!("bad arguments to '{shown}' ({e})"))?;
            let result = f(ctx, args).map_err(|e| e.to_string())?;
            serde_json::to_value(result)
                .map_err(|e| format!("'{shown}' returned a value that cannot be converted ({e})"))
        });
        self.by_name.insert(qualified, erased);
        Ok(())
    }

    /// Calls `qualified` for `plugin`; `Err` is the message raised in the plugin.
    pub(crate) fn call(&self, plugin: &str, qualified: &str, args: Vec<Value>) -> Result<Value, String> {
        let f = self.by_name.get(qualified).ok_or_else(|| format!("no host function '{qualified}'"))?;
        f(&CallContext { plugin }, args)
    }

    /// `(namespace, name)` of every function, sorted.
    pub(crate) fn names(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_name.keys().filter_map(|q| q.split_once('.'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typed_arguments_and_results() {
        let mut fns = HostFunctions::default();
        fns.insert("math", "add", |_, (a, b): (f64, f64)| Ok::<_, String>(a + b)).unwrap();
        fns.insert("sys", "who", |ctx, (): ()| Ok::<_, String>(ctx.plugin.to_owned())).unwrap();
        assert_eq!(fns.call("p", "math.add", vec![json!(1), json!(2.5)]), Ok(json!(3.5)));
        assert_eq!(fns.call("p", "sys.who", vec![]), Ok(json!("p")));
        let err = fns.call("p", "math.add", vec![json!("x")]).unwrap_err();
        assert!(err.starts_with("bad arguments to 'math.add'"), "{err}");
        assert_eq!(fns.call("p", "math.sub", vec![]), Err("no host function 'math.sub'".into()));
    }

    #[test]
    fn names_are_checked() {
        let mut fns = HostFunctions::default();
        let ok = |_: &CallContext<'_>, (): ()| Ok::<(), String>(());
        assert_eq!(fns.insert("1x", "f", ok), Err(BuildError::InvalidName("1x".into())));
        assert_eq!(fns.insert("sys", "end", ok), Err(BuildError::InvalidName("end".into())));
        assert_eq!(fns.insert("a.b", "f", ok), Err(BuildError::InvalidName("a.b".into())));
        fns.insert("sys", "f", ok).unwrap();
        assert_eq!(fns.insert("sys", "f", ok), Err(BuildError::Duplicate("sys.f".into())));
        assert_eq!(fns.names().collect::<Vec<_>>(), vec![("sys", "f")]);
    }
}
