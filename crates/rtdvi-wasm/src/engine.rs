//! Engine choice and the shared engine handle.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use crate::error::Error;

/// Which WebAssembly engine runs the plugins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EngineKind {
    /// wasmtime with Cranelift: compiled, fast, slower to start.
    Wasmtime,
    /// wasmi: an interpreter, small attack surface, instant start.
    Wasmi,
}

/// The environment variable that overrides the configured engine.
pub const RUNTIME_ENV: &str = "RTDVI_WASM_RUNTIME";

impl EngineKind {
    /// Both engines, in order of preference.
    pub const ALL: [EngineKind; 2] = [EngineKind::Wasmtime, EngineKind::Wasmi];

    /// The engine's name as written in configs and `RTDVI_WASM_RUNTIME`.
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Wasmtime => "wasmtime",
            EngineKind::Wasmi => "wasmi",
        }
    }

    /// Whether this build includes the engine (cargo features).
    pub fn is_available(self) -> bool {
        match self {
            EngineKind::Wasmtime => cfg!(feature = "wasmtime"),
            EngineKind::Wasmi => cfg!(feature = "wasmi"),
        }
    }

    /// The engines this build includes.
    pub fn available() -> Vec<EngineKind> {
        Self::ALL.into_iter().filter(|k| k.is_available()).collect()
    }

    /// The engine to use: `RTDVI_WASM_RUNTIME` if set and non-empty, else
    /// `configured`, else wasmtime when compiled in, else wasmi.
    pub fn from_env_or(configured: Option<EngineKind>) -> Result<EngineKind, Error> {
        let env = std::env::var(RUNTIME_ENV).ok();
        Self::resolve(env.as_deref(), configured)
    }

    /// [`EngineKind::from_env_or`] with the environment value given.
    pub fn resolve(env: Option<&str>, configured: Option<EngineKind>) -> Result<EngineKind, Error> {
        let chosen = match env.map(str::trim).filter(|s| !s.is_empty()) {
            Some(name) => Some(name.parse::<EngineKind>()?),
            None => configured,
        };
        match chosen {
            Some(kind) if kind.is_available() => Ok(kind),
            Some(kind) => Err(Error::EngineUnavailable(kind)),
            None => Self::available().first().copied().ok_or(Error::EngineUnavailable(EngineKind::Wasmtime)),
        }
    }
}

impl FromStr for EngineKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "wasmtime" => Ok(EngineKind::Wasmtime),
            "wasmi" => Ok(EngineKind::Wasmi),
            _ => Err(Error::UnknownEngine(s.to_owned())),
        }
    }
}

impl fmt::Display for EngineKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Engine-wide settings (they cannot vary per instance).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EngineConfig {
    /// wasmtime: bytes of native stack wasm may use (`Config::max_wasm_stack`),
    /// counted from the outermost call, so it also bounds host frames of
    /// re-entrant calls (about 9 KiB per re-entry level in a debug build).
    pub max_wasm_stack: usize,
    /// wasmi: maximum nested calls, counted across re-entrant host calls.
    /// The Lua guest needs at least 5000 (200 nested `pcall`s exceed 1000).
    pub max_recursion_depth: usize,
    /// Both engines: maximum nesting of host functions re-entering the guest
    /// ([`crate::Caller::call`]); deeper calls trap as a stack overflow
    /// before they can exhaust the native stack.
    pub max_reentry_depth: usize,
    /// Both engines: bytes of native stack that nested re-entries may use
    /// below the outermost call (wasmi runs each re-entry on the native
    /// stack; about 13 KiB per level in a debug build). Calls must run on a
    /// thread with clearly more stack than this and `max_wasm_stack`; Rust's
    /// spawned threads have 2 MiB, the main thread 8 MiB.
    pub max_reentry_stack: usize,
    /// wasmtime: directory for compiled modules (created 0700). `None`
    /// compiles every time.
    pub cache_dir: Option<PathBuf>,
    /// wasmtime: pre-reserve instance slots with copy-on-write memory images
    /// (fast instantiation of many small plugins). `None` allocates on demand.
    pub pooling: Option<PoolingConfig>,
}

impl Default for EngineConfig {
    /// 1 MiB of wasm stack, recursion depth 10 000, re-entry depth 1 000
    /// within 1 MiB of native stack, no cache, no pooling.
    fn default() -> Self {
        Self {
            max_wasm_stack: 1 << 20,
            max_recursion_depth: 10_000,
            max_reentry_depth: 1_000,
            max_reentry_stack: 1 << 20,
            cache_dir: None,
            pooling: None,
        }
    }
}

/// Sizes of wasmtime's pooling allocator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolingConfig {
    /// Instances that may be alive at once.
    pub max_instances: u32,
    /// Largest linear memory of one instance, in bytes (virtual reservation).
    pub max_memory_bytes: usize,
}

/// A configured engine; cheap to clone and shared by all modules it compiles.
#[derive(Clone)]
pub struct Engine {
    pub(crate) inner: Arc<EngineInner>,
}

pub(crate) struct EngineInner {
    pub(crate) kind: EngineKind,
    pub(crate) config: EngineConfig,
    pub(crate) backend: Backend,
}

pub(crate) enum Backend {
    #[cfg(feature = "wasmtime")]
    Wasmtime(wasmtime::Engine),
    #[cfg(feature = "wasmi")]
    Wasmi(wasmi::Engine),
}

impl Engine {
    /// An engine of `kind` with `config`.
    pub fn new(kind: EngineKind, config: &EngineConfig) -> Result<Engine, Error> {
        let backend = match kind {
            #[cfg(feature = "wasmtime")]
            EngineKind::Wasmtime => Backend::Wasmtime(crate::engine_wasmtime::new_engine(config)?),
            #[cfg(feature = "wasmi")]
            EngineKind::Wasmi => Backend::Wasmi(crate::engine_wasmi::new_engine(config)),
            #[allow(unreachable_patterns)]
            other => return Err(Error::EngineUnavailable(other)),
        };
        Ok(Engine { inner: Arc::new(EngineInner { kind, config: config.clone(), backend }) })
    }

    /// Which engine this is.
    pub fn kind(&self) -> EngineKind {
        self.inner.kind
    }

    /// The settings the engine was made with.
    pub fn config(&self) -> &EngineConfig {
        &self.inner.config
    }

    /// Compiles `wasm` (binary or WAT) ahead of time into an artifact for
    /// [`crate::Module::with_precompiled`], e.g. from a build script. Only
    /// wasmtime compiles; on wasmi this is an error. The artifact is only
    /// valid for an engine with the same configuration and wasmtime version.
    pub fn precompile(&self, wasm: &[u8]) -> Result<Vec<u8>, Error> {
        let binary = crate::module::to_binary(wasm)?;
        match &self.inner.backend {
            #[cfg(feature = "wasmtime")]
            Backend::Wasmtime(engine) => crate::cache::precompile(engine, &binary),
            #[allow(unreachable_patterns)]
            _ => {
                drop(binary);
                Err(Error::Engine(format!("{} does not precompile modules", self.kind())))
            }
        }
    }
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine").field("kind", &self.inner.kind).field("config", &self.inner.config).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_engine_names() {
        assert_eq!("wasmtime".parse::<EngineKind>().ok(), Some(EngineKind::Wasmtime));
        assert_eq!(" WASMI ".parse::<EngineKind>().ok(), Some(EngineKind::Wasmi));
        let err = "v8".parse::<EngineKind>().err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some("unknown WebAssembly runtime \"v8\" (expected \"wasmtime\" or \"wasmi\")"));
    }

    #[test]
    fn environment_overrides_configuration() {
        let k = EngineKind::resolve(Some("wasmi"), Some(EngineKind::Wasmtime));
        assert_eq!(k.ok(), Some(EngineKind::Wasmi));
        let k = EngineKind::resolve(Some(""), Some(EngineKind::Wasmi));
        assert_eq!(k.ok(), Some(EngineKind::Wasmi));
        let k = EngineKind::resolve(None, None);
        assert_eq!(k.ok(), EngineKind::available().first().copied());
        assert!(EngineKind::resolve(Some("nope"), None).is_err());
    }
}
