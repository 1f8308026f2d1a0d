//! rtdvi's WASM plugin host: the rtdvi ABI (seeds/003) on wasmtime or wasmi, every plugin call a
//! transaction under sandbox limits, plugin commands/keys/indent providers/managers, events, the
//! config file and the plugin search path. The user-facing reference is `doc/plugins.md`.
//!
//! # Transactions
//! A plugin's writes take effect at once, so later reads in the same call (through `rtdvi_call`
//! too) see them, as in Neovim. The editor is checkpointed at the call's first write
//! (`HostState::editor_mut`), not before every call: most calls only read. Nothing outside the
//! plugin can observe the state in between, which is the seed's "deferred until the call returns"
//! contract. A call that traps, passes its deadline or its memory limit is rolled back (text,
//! cursors, options, new buffers, and whatever it registered), the plugin is stopped, and one
//! error line names it and the reason; `:messages` keeps the detail and its last log lines.
//! Plugin edits join the current undo step like any command's and fire `TextChanged` where the
//! editor fires it for typed commands.
//!
//! # Pieces
//! - [`abi`]: the imports; [`host::PluginHost`]: loading and calling; [`bridge`]: the editor's
//!   hooks; [`config`], [`search`], [`event`].

pub mod abi;
pub mod bridge;
pub mod config;
pub mod event;
pub mod host;
pub mod search;
mod state;

pub use bridge::{install, SharedHost};
pub use config::{Config, ConfigError, PluginLimits, PluginSpec};
pub use host::{LoadRequest, PluginError, PluginHost, PluginInfo};
pub use search::SearchPath;
