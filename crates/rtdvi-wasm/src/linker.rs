//! The host-function registry, defined once for both engines.

use std::collections::HashMap;
use std::sync::Arc;

use crate::caller::Caller;
use crate::error::{Error, HostError};
use crate::instance::{Instance, InstancePre};
use crate::limits::Limits;
use crate::module::{ExternKind, Module};
use crate::value::{FuncType, Val};

/// A host function: gets the caller context, the parameters, and one
/// pre-zeroed slot per result to fill.
pub type HostFn<T> = dyn Fn(&mut Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), HostError> + Send + Sync;

/// One registered host function.
pub(crate) struct HostFuncDef<T> {
    pub(crate) ty: FuncType,
    pub(crate) func: Arc<HostFn<T>>,
    /// `module.name`, for messages.
    pub(crate) qualified: Arc<str>,
}

impl<T> Clone for HostFuncDef<T> {
    fn clone(&self) -> Self {
        Self { ty: self.ty.clone(), func: self.func.clone(), qualified: self.qualified.clone() }
    }
}

/// How one import of a module gets satisfied.
pub(crate) enum Resolution<T> {
    Host(HostFuncDef<T>),
    /// Not provided: a stub that traps naming the import when called.
    Forbidden(String),
}

/// Host functions a module may import, independent of the engine. Imports a
/// module declares but the linker lacks are linked to stubs that trap with
/// "plugin called forbidden import module.name" when called.
pub struct Linker<T> {
    funcs: HashMap<(String, String), HostFuncDef<T>>,
}

impl<T> Clone for Linker<T> {
    fn clone(&self) -> Self {
        Self { funcs: self.funcs.clone() }
    }
}

impl<T> Default for Linker<T> {
    fn default() -> Self {
        Self { funcs: HashMap::new() }
    }
}

impl<T: 'static> Linker<T> {
    /// An empty registry: every import of a module would be forbidden.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers host function `module.name` with signature `ty`.
    pub fn define(
        &mut self,
        module: &str,
        name: &str,
        ty: FuncType,
        func: impl Fn(&mut Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), HostError> + Send + Sync + 'static,
    ) -> Result<&mut Self, Error> {
        let key = (module.to_owned(), name.to_owned());
        let qualified: Arc<str> = format!("{module}.{name}").into();
        if self.funcs.contains_key(&key) {
            return Err(Error::DuplicateImport(qualified.to_string()));
        }
        self.funcs.insert(key, HostFuncDef { ty, func: Arc::new(func), qualified });
        Ok(self)
    }

    /// Registers the WASI subset plugins may use: `random_get`,
    /// `clock_time_get`, `fd_prestat_get` (always EBADF) and `proc_exit`.
    pub fn define_wasi(&mut self) -> Result<&mut Self, Error> {
        crate::wasi::define(self)?;
        Ok(self)
    }

    /// How import `module.name` of kind `kind` is satisfied.
    pub(crate) fn resolve(&self, module: &str, name: &str, kind: &ExternKind) -> Result<Resolution<T>, Error> {
        let def = self.funcs.get(&(module.to_owned(), name.to_owned()));
        match (kind, def) {
            (ExternKind::Func(ty), Some(def)) if *ty == def.ty => Ok(Resolution::Host(def.clone())),
            (_, Some(def)) => Err(Error::Link(format!(
                "plugin imports {module}.{name} as {kind}, but the host defines func {}",
                def.ty
            ))),
            (ExternKind::Func(_) | ExternKind::ForeignFunc(_), None) => {
                Ok(Resolution::Forbidden(format!("{module}.{name}")))
            }
            (_, None) => {
                Err(Error::Link(format!("plugin imports {kind} {module}.{name}, which the host does not provide")))
            }
        }
    }

    /// Links `module` once so that instances can be created cheaply.
    pub fn prepare(&self, module: &Module) -> Result<InstancePre<T>, Error> {
        InstancePre::new(self, module)
    }

    /// [`Linker::prepare`] and [`InstancePre::instantiate`] in one step.
    pub fn instantiate(&self, module: &Module, data: T, limits: Limits) -> Result<Instance<T>, Error> {
        self.prepare(module)?.instantiate(data, limits)
    }
}

impl<T> std::fmt::Debug for Linker<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<_> = self.funcs.values().map(|d| &*d.qualified).collect();
        names.sort_unstable();
        f.debug_struct("Linker").field("funcs", &names).finish()
    }
}
