//! Where the bridge installs the pure-Lua standard library (Neovim's
//! `vim.inspect`, `vim.tbl_*`, `vim.keymap`...), after `vim.api` and the
//! other bridge tables exist and before the bridge's fallbacks.
//!
//! MERGE NOTE: once `crate::stdlib` (runtime/vim/*.lua) is on main, this
//! calls `crate::stdlib::install(rt)`.

use crate::error::LuaError;
use crate::runtime::LuaRuntime;

/// Installs the standard library into `rt` (nothing until it exists).
pub(crate) fn install(rt: &mut LuaRuntime) -> Result<(), LuaError> {
    let _ = rt;
    Ok(())
}
