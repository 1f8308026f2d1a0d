//! rtdvi's Lua standard library: the plain-Lua part of Neovim's `vim`
//! module (`vim.inspect`, `vim.tbl_*`, `vim.split`, `vim.iter`, `vim.json`,
//! `vim.fs`, `vim.version`, `vim.keymap`, `vim.notify`...), written for
//! rtdvi in `runtime/vim/*.lua` and embedded in the crate.
//!
//! # Loading contract
//! [`install`] runs once per Lua state (again after a restart):
//! 1. it hands the module sources to the guest as the global
//!    `__rtdvi_stdlib_sources`, then runs `runtime/vim/_init.lua`;
//! 2. `_init.lua` keeps an existing global `vim` table (or creates one),
//!    registers each module in `package.preload` unless an entry of that
//!    name already exists, runs `vim.shared` and `vim._editor` at once and
//!    makes the other submodules load on first access (`vim.inspect`...)
//!    through `vim`'s metatable, chaining to an `__index` already there.
//!
//! So the bridge may create `vim.api`, `vim.fn`, `vim.NIL`... before or
//! after [`install`]: the library looks `vim.api`/`vim.fn` up at call time.
//! A bridge module can be made lazy the same way: a `package.preload`
//! entry plus its field name in `vim._submodules`. `vim.on_key` stores its
//! callbacks in `vim._on_key_callbacks` (namespace id → function) for the
//! bridge to call with `(key, typed)`.

use crate::error::LuaError;
use crate::runtime::LuaRuntime;

/// The library's modules: (module name for `require`, Lua source).
pub const MODULES: &[(&str, &str)] = &[
    ("vim.shared", include_str!("../runtime/vim/shared.lua")),
    ("vim._editor", include_str!("../runtime/vim/_editor.lua")),
    ("vim.inspect", include_str!("../runtime/vim/inspect.lua")),
    ("vim.iter", include_str!("../runtime/vim/iter.lua")),
    ("vim.json", include_str!("../runtime/vim/json.lua")),
    ("vim.fs", include_str!("../runtime/vim/fs.lua")),
    ("vim.version", include_str!("../runtime/vim/version.lua")),
    ("vim.F", include_str!("../runtime/vim/F.lua")),
    ("vim.keymap", include_str!("../runtime/vim/keymap.lua")),
    ("vim.ui", include_str!("../runtime/vim/ui.lua")),
    ("vim.hl", include_str!("../runtime/vim/hl.lua")),
    ("vim.base64", include_str!("../runtime/vim/base64.lua")),
    ("vim.text", include_str!("../runtime/vim/text.lua")),
    ("vim.filetype", include_str!("../runtime/vim/filetype.lua")),
    ("vim.treesitter", include_str!("../runtime/vim/treesitter.lua")),
];

/// The bootstrap that builds `vim` from [`MODULES`] (see the module docs).
pub const INIT: &str = include_str!("../runtime/vim/_init.lua");

/// Chunk name of [`INIT`] in error messages.
const INIT_CHUNK: &str = "@vim/_init.lua";

/// A Lua long-bracket literal holding `text` exactly: its level is chosen
/// so that the closing bracket does not occur in `text`, and a leading
/// newline (which Lua drops) keeps a first line that starts with one.
pub(crate) fn long_string(text: &str) -> String {
    let mut level = 0;
    loop {
        let eq = "=".repeat(level);
        let close = format!("]{eq}]");
        // The first closing bracket must be the one we append, also when
        // `text` ends with part of it.
        if format!("{text}{close}").find(&close) == Some(text.len()) {
            return format!("[{eq}[\n{text}{close}");
        }
        level += 1;
    }
}

/// The chunk that stores the module sources for [`INIT`].
fn sources_chunk() -> String {
    let mut chunk = String::from("__rtdvi_stdlib_sources = {\n");
    for (name, source) in MODULES {
        chunk.push_str(&format!("[\"{name}\"] = {},\n", long_string(source)));
    }
    chunk.push_str("}\n");
    chunk
}

/// Creates the global `vim` table with the standard library in `rt`.
pub fn install(rt: &mut LuaRuntime) -> Result<(), LuaError> {
    rt.exec("=vim/_sources", &sources_chunk())?;
    rt.exec(INIT_CHUNK, INIT)?;
    Ok(())
}

#[cfg(test)]
mod tests;
