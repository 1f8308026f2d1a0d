//! Calling 'operatorfunc' for `g@`.
//!
//! The option holds one of:
//! - `<Lua N>`: host callback `N` (what the Lua bridge stores when a Lua function is assigned,
//!   the way Neovim shows such a value), called through [`Editor::run_callback`];
//! - `v:lua.{expr}`: a Lua function reached by an expression, run as `:lua {expr}("{type}")`;
//! - a Vim function name, run as `:call {name}("{type}")`.
//!
//! The callback gets the motion's type, `"line"`, `"char"` or `"block"`, with the `'[` and `']`
//! marks already set around the text.

use crate::editor::Editor;
use crate::events::CallbackId;

/// Parses `<Lua N>`.
pub fn callback_in(value: &str) -> Option<CallbackId> {
    let n = value.strip_prefix("<Lua ")?.strip_suffix('>')?;
    let n = n.split(':').next()?.trim();
    n.parse().ok().map(CallbackId)
}

/// Calls 'operatorfunc' `func` with the motion type.
pub fn call(editor: &mut Editor, func: &str, kind: &str) -> Result<(), String> {
    if let Some(id) = callback_in(func) {
        return editor
            .run_callback(id, vec![rmpv::Value::from(kind)])
            .map(|_| ())
            .map_err(|e| crate::editor::callback_error("E5108: Error executing lua ", e));
    }
    let line = match func.strip_prefix("v:lua.") {
        Some(expr) => format!("lua {expr}(\"{kind}\")"),
        None => format!("call {func}(\"{kind}\")"),
    };
    editor.execute_ex(&line).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lua_references() {
        assert_eq!(callback_in("<Lua 12>"), Some(CallbackId(12)));
        assert_eq!(callback_in("<Lua 3: init.lua:4>"), Some(CallbackId(3)));
        assert_eq!(callback_in("MyFunc"), None);
    }
}
