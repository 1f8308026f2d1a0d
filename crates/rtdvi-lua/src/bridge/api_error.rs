//! API errors as Neovim's Lua bridge words them.
//!
//! Neovim checks a Lua caller's arguments before the API function runs and says so in Lua's terms
//! (`Expected 1 argument`, `Invalid 'start': Expected Lua number`), where an RPC client gets
//! `Wrong number of arguments: ...`. The API table keeps the RPC words; this adapter rewrites the
//! two argument errors for Lua and passes every other error through unchanged.

use rtdvi_editor::api::{self, ApiError};

/// The text of `e` as a Lua caller of `vim.api` sees it.
pub(super) fn lua_text(e: &ApiError) -> String {
    match e {
        ApiError::ArgCount { expected, .. } => {
            format!("Expected {expected} argument{}", if *expected == 1 { "" } else { "s" })
        }
        ApiError::ArgType { index, method, expected } => {
            let param = api::lookup(method).and_then(|entry| entry.params.get(index.wrapping_sub(1))).map(|p| p.0);
            match (param, lua_type(expected)) {
                (Some(name), Some(ty)) => format!("Invalid '{name}': Expected Lua {ty}"),
                _ => e.to_string(),
            }
        }
        other => other.to_string(),
    }
}

/// The Lua type that carries an API type, for the types Neovim's bridge checks strictly.
fn lua_type(api_type: &str) -> Option<&'static str> {
    match api_type {
        "Integer" | "Float" | "Buffer" | "Window" | "Tabpage" => Some("number"),
        "String" => Some("string"),
        "Array" | "Dictionary" | "ArrayOf(String)" => Some("table"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argument_errors_use_lua_words() {
        assert_eq!(lua_text(&ApiError::ArgCount { expected: 1, got: 0 }), "Expected 1 argument");
        assert_eq!(lua_text(&ApiError::ArgCount { expected: 4, got: 2 }), "Expected 4 arguments");
        let wrong = ApiError::ArgType { index: 2, method: "nvim_buf_get_lines", expected: "Integer" };
        assert_eq!(lua_text(&wrong), "Invalid 'start': Expected Lua number");
        assert_eq!(lua_text(&ApiError::InvalidBuffer(9)), "Invalid buffer id: 9");
    }
}
