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
pub mod msgpack;
mod plugin;
mod sys;
#[cfg(not(target_arch = "wasm32"))]
pub mod testing;

pub use error::{Error, Result};
pub use host::{Buffer, Cursor, Window};
pub use json::Json;
pub use msgpack::Value;
pub use plugin::{Event, Plugin, Slot};

/// Used by [`export_plugin!`]; not part of the stable API.
#[doc(hidden)]
pub mod __private {
    pub use crate::memory::borrow;
    pub use crate::plugin::{command, event, indent, init, load_plugin, out_slice, unload_plugin};
}
