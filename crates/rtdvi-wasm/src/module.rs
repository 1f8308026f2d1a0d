//! Compiled modules: loading from binary or WAT, import/export listing.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use crate::engine::{Backend, Engine};
use crate::error::Error;
use crate::value::FuncType;

/// What an import or export is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExternKind {
    /// A function with a signature of numeric types.
    Func(FuncType),
    /// A function whose signature uses other types (described as text).
    ForeignFunc(String),
    /// A linear memory.
    Memory,
    /// A table.
    Table,
    /// A global.
    Global,
    /// Anything else (tags...).
    Other,
}

impl fmt::Display for ExternKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExternKind::Func(t) => write!(f, "func {t}"),
            ExternKind::ForeignFunc(t) => write!(f, "func {t}"),
            ExternKind::Memory => f.write_str("memory"),
            ExternKind::Table => f.write_str("table"),
            ExternKind::Global => f.write_str("global"),
            ExternKind::Other => f.write_str("other"),
        }
    }
}

/// One import of a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportInfo {
    /// Import module name (e.g. `wasi_snapshot_preview1`).
    pub module: String,
    /// Field name.
    pub name: String,
    /// What is imported.
    pub kind: ExternKind,
}

/// One export of a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportInfo {
    /// Export name.
    pub name: String,
    /// What is exported.
    pub kind: ExternKind,
}

/// A validated, compiled module; cheap to clone.
#[derive(Clone)]
pub struct Module {
    pub(crate) inner: ModuleInner,
    pub(crate) engine: Engine,
    imports: Arc<[ImportInfo]>,
    exports: Arc<[ExportInfo]>,
}

#[derive(Clone)]
pub(crate) enum ModuleInner {
    #[cfg(feature = "wasmtime")]
    Wasmtime(wasmtime::Module),
    #[cfg(feature = "wasmi")]
    Wasmi(wasmi::Module),
}

/// Binary wasm as is; anything else that is UTF-8 is parsed as WAT.
pub(crate) fn to_binary(bytes: &[u8]) -> Result<Cow<'_, [u8]>, Error> {
    if bytes.starts_with(b"\0asm") {
        return Ok(Cow::Borrowed(bytes));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Error::InvalidModule("not a WebAssembly binary (bad magic number) nor WAT text".into()))?;
    wat::parse_str(text).map(Cow::Owned).map_err(|e| Error::InvalidModule(e.to_string()))
}

impl Module {
    /// Compiles a module from `.wasm` bytes or `.wat` text. With wasmtime and
    /// a cache directory, a valid cached compilation is reused.
    pub fn new(engine: &Engine, bytes: &[u8]) -> Result<Module, Error> {
        let binary = to_binary(bytes)?;
        let inner = match &engine.inner.backend {
            #[cfg(feature = "wasmtime")]
            Backend::Wasmtime(e) => ModuleInner::Wasmtime(
                crate::cache::load_or_compile(e, engine.config().cache_dir.as_deref(), &binary)?.0,
            ),
            #[cfg(feature = "wasmi")]
            Backend::Wasmi(e) => ModuleInner::Wasmi(crate::engine_wasmi::compile(e, &binary)?),
        };
        Ok(Self::from_inner(engine, inner))
    }

    /// Like [`Module::new`], but on wasmtime first tries `precompiled` (from
    /// [`Engine::precompile`]); if it fails its integrity check or does not
    /// match this engine, falls back to compiling `wasm`. On wasmi the
    /// artifact is ignored.
    pub fn with_precompiled(engine: &Engine, wasm: &[u8], precompiled: &[u8]) -> Result<Module, Error> {
        #[cfg(feature = "wasmtime")]
        #[allow(irrefutable_let_patterns)]
        if let Backend::Wasmtime(e) = &engine.inner.backend {
            if let Some(m) = crate::cache::from_artifact(e, precompiled) {
                return Ok(Self::from_inner(engine, ModuleInner::Wasmtime(m)));
            }
            tracing::warn!("precompiled module does not fit this engine; compiling");
        }
        let _ = precompiled;
        Self::new(engine, wasm)
    }

    fn from_inner(engine: &Engine, inner: ModuleInner) -> Module {
        let (imports, exports) = match &inner {
            #[cfg(feature = "wasmtime")]
            ModuleInner::Wasmtime(m) => crate::engine_wasmtime::describe(m),
            #[cfg(feature = "wasmi")]
            ModuleInner::Wasmi(m) => crate::engine_wasmi::describe(m),
        };
        Module { inner, engine: engine.clone(), imports: imports.into(), exports: exports.into() }
    }

    /// The engine this module was compiled for.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The module's imports, in declaration order.
    pub fn imports(&self) -> &[ImportInfo] {
        &self.imports
    }

    /// The module's exports, in declaration order.
    pub fn exports(&self) -> &[ExportInfo] {
        &self.exports
    }

    /// Whether the module exports function `name` with exactly signature `ty`.
    pub fn has_export(&self, name: &str, ty: &FuncType) -> bool {
        self.exports.iter().any(|e| e.name == name && e.kind == ExternKind::Func(ty.clone()))
    }

    /// Like [`Module::has_export`], but an error naming the missing export.
    pub fn require_export(&self, name: &str, ty: &FuncType) -> Result<(), Error> {
        if self.has_export(name, ty) {
            return Ok(());
        }
        Err(Error::MissingExport {
            name: name.to_owned(),
            expected: ty.clone(),
            found: self.exports.iter().find(|e| e.name == name).map(|e| e.kind.to_string()),
        })
    }
}

impl fmt::Debug for Module {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Module")
            .field("engine", &self.engine.kind())
            .field("imports", &self.imports)
            .field("exports", &self.exports)
            .finish()
    }
}
