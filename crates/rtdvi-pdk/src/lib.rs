//! rtdvi-pdk: the Rust kit for writing rtdvi plugins (`wasm32-unknown-unknown`).
//!
//! ```
//! use rtdvi_pdk::{host, Json, Plugin};
//!
//! struct Hello;
//! impl Plugin for Hello {
//!     fn init(_config: &Json) -> Result<Self, String> {
//!         host::register_command("greet").map_err(|e| e.to_string())?;
//!         Ok(Hello)
//!     }
//!     fn command(&mut self, _name: &str, _args: &[String]) -> Result<(), String> {
//!         host::set_status("Hello from Rust!");
//!         Ok(())
//!     }
//! }
//! rtdvi_pdk::export_plugin!(Hello: command);
//! # fn main() {}
//! ```
//!
//! - [`host`]: a safe wrapper for every `rtdvi_*` import of the seed ABI.
//! - [`api`]: the editor's whole API table through `rtdvi_call` (msgpack,
//!   [`msgpack`]), with typed shortcuts.
//! - [`Plugin`] + [`export_plugin!`]: the exports (`rtdvi_init`,
//!   `run_command`, `on_event`, `compute_indent`, `load_plugin`,
//!   `unload_plugin`); the kit itself exports `alloc`/`dealloc`.
//! - [`lua_module!`] + [`module`]: plain Rust functions as a Lua module that
//!   rtdvi's Lua `require`s from a sandboxed `.wasm`, and (feature `nvim`)
//!   the same crate as a native Neovim module.
//! - [`testing`] (native targets only): a stand-in editor, so plugin logic is
//!   unit-tested with plain `cargo test`.
//!
//! Build a plugin crate (`crate-type = ["cdylib", "rlib"]`) with
//! `cargo build --target wasm32-unknown-unknown --release`; see
//! `examples/plugins/` and `doc/plugins.md`.

pub mod api;
pub mod error;
pub mod host;
pub mod json;
pub mod memory;
pub mod module;
pub mod msgpack;
#[cfg(all(feature = "nvim", not(target_arch = "wasm32")))]
pub mod nvim;
mod plugin;
mod sys;
#[cfg(not(target_arch = "wasm32"))]
pub mod testing;

pub use error::{Error, Result};
pub use host::{Buffer, Cursor, Window};
pub use json::Json;
pub use msgpack::Value;
pub use plugin::{Event, Plugin, Slot};

/// Used by [`lua_module!`] with the `nvim` feature: `luaopen_NAME`.
#[cfg(all(feature = "nvim", not(target_arch = "wasm32")))]
#[doc(hidden)]
#[macro_export]
macro_rules! __nvim_module {
    ($module:ident : $($f:ident),+) => {
        const _: () = {
            #[export_name = concat!("luaopen_", stringify!($module))]
            unsafe extern "C-unwind" fn __rtdvi_luaopen(state: *mut $crate::nvim::lua_State) -> ::std::ffi::c_int {
                let functions: ::std::vec::Vec<$crate::nvim::Entry> = ::std::vec![$((
                    stringify!($f),
                    ::std::boxed::Box::new(|args| $crate::module::Function::invoke(&$f, stringify!($f), args))
                        as $crate::nvim::Boxed,
                )),+];
                // SAFETY: Neovim's `require` calls this with its Lua state.
                unsafe { $crate::nvim::open(state, functions) }
            }
        };
    };
}

/// Used by [`lua_module!`] without the `nvim` feature: nothing.
#[cfg(not(all(feature = "nvim", not(target_arch = "wasm32"))))]
#[doc(hidden)]
#[macro_export]
macro_rules! __nvim_module {
    ($($t:tt)*) => {};
}

/// Used by [`export_plugin!`]; not part of the stable API.
#[doc(hidden)]
pub mod __private {
    pub use crate::memory::borrow;
    pub use crate::plugin::{command, event, indent, init, load_plugin, out_slice, unload_plugin};
}
