//! Where the bridge installs the pure-Lua standard library (Neovim's
//! `vim.inspect`, `vim.tbl_*`, `vim.keymap`...), after `vim.api` and the
//! other bridge tables exist and before the bridge's fallbacks.

use crate::error::LuaError;
use crate::runtime::LuaRuntime;

/// Installs the standard library into `rt`.
pub(crate) fn install(rt: &mut LuaRuntime) -> Result<(), LuaError> {
    crate::stdlib::install(rt)
}
