//! Errors of the plugin manager.

use thiserror::Error;

/// Why a plugin could not be loaded or a call into it failed.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PluginError {
    /// The plugin raised an error (Lua `error()`, a failed operation); the
    /// plugin keeps running.
    #[error("{message}")]
    Script {
        /// Lua's message, e.g. `main.lua:4: attempt to index a nil value`.
        message: String,
        /// `stack traceback:` text, empty when Lua gave none.
        traceback: String,
    },
    /// The call ran past the CPU deadline; the plugin is stopped.
    #[error("plugin exceeded its time limit")]
    Deadline,
    /// The plugin ran out of its memory limit.
    #[error("plugin ran out of memory (limit {limit} bytes)")]
    Memory {
        /// The per-plugin limit in bytes.
        limit: usize,
    },
    /// The sandbox stopped the plugin (trap, forbidden import...); the plugin
    /// is stopped.
    #[error("plugin crashed: {0}")]
    Crashed(String),
    /// The plugin was stopped by an earlier fatal error; reload it to run it again.
    #[error("plugin is stopped: {0}")]
    Stopped(String),
    /// A value could not be converted between the plugin and the host.
    #[error("cannot convert value: {0}")]
    Conversion(String),
    /// The plugin's files could not be read or are not a plugin.
    #[error("cannot load plugin: {0}")]
    Load(String),
    /// No plugin of that name is loaded.
    #[error("no plugin named '{0}'")]
    NotFound(String),
    /// The engine could not start the plugin's sandbox.
    #[error("cannot start plugin sandbox: {0}")]
    Setup(String),
}

impl PluginError {
    /// True when the error stopped the plugin (it is skipped until reloaded).
    pub fn is_fatal(&self) -> bool {
        matches!(
            self,
            PluginError::Deadline | PluginError::Crashed(_) | PluginError::Stopped(_) | PluginError::Setup(_)
        )
    }
}

/// A host function or manager-set-up mistake, found while building.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BuildError {
    /// A namespace or function name is not a Lua identifier.
    #[error("'{0}' is not a valid Lua name (letters, digits and '_', not starting with a digit)")]
    InvalidName(String),
    /// The same `namespace.name` was registered twice.
    #[error("host function {0} is registered twice")]
    Duplicate(String),
    /// The engine asked for is not compiled into this build.
    #[error("{0}")]
    Engine(String),
}
