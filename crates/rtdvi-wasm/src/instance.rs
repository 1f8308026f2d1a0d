//! Prepared modules and live instances.
//!
//! An [`InstancePre`] is a module linked once against a [`Linker`]; making an
//! [`Instance`] from it only allocates the store and runs initialisers, which
//! keeps thousands of small plugins cheap. Each instance has its own store, so
//! its [`Limits`] and host data are its own.
//!
//! After a trap other than a host error ([`crate::Trap::poisons`]) the
//! instance is *poisoned*: every later call fails with [`Error::Poisoned`]
//! and the caller must instantiate again. Host-error traps leave it usable,
//! though a guest with a shadow stack may have leaked some of it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::caller::{slice_mut, Caller, CallerOps};
use crate::error::{Error, MemoryAccessError, Trap};
use crate::limits::{Limiter, Limits};
use crate::linker::Linker;
use crate::module::{Module, ModuleInner};
use crate::value::{FuncType, Val};

/// Per-store data: the host's data plus what the runtime itself needs.
pub(crate) struct Ctx<T> {
    pub(crate) data: T,
    pub(crate) limiter: Limiter,
    /// Nesting of host → guest re-entries now under way, and its cap: each
    /// level costs native stack that the engines' own limits do not see.
    pub(crate) reentry_depth: usize,
    pub(crate) max_reentry_depth: usize,
    /// Approximate native stack pointer at the outermost call, and how much
    /// native stack re-entries may use below it.
    pub(crate) stack_base: usize,
    pub(crate) max_reentry_stack: usize,
    #[cfg(feature = "wasmtime")]
    pub(crate) wt_memory: Option<wasmtime::Memory>,
    /// Exports already resolved for re-entrant calls, with their types.
    #[cfg(feature = "wasmtime")]
    pub(crate) wt_funcs: crate::engine_wasmtime::FuncCache,
    #[cfg(feature = "wasmi")]
    pub(crate) wi_memory: Option<wasmi::Memory>,
}

impl<T> Ctx<T> {
    pub(crate) fn new(data: T, limits: Limits, config: &crate::EngineConfig) -> Self {
        Self {
            data,
            limiter: Limiter::new(limits),
            reentry_depth: 0,
            max_reentry_depth: config.max_reentry_depth,
            stack_base: 0,
            max_reentry_stack: config.max_reentry_stack,
            #[cfg(feature = "wasmtime")]
            wt_memory: None,
            #[cfg(feature = "wasmtime")]
            wt_funcs: Default::default(),
            #[cfg(feature = "wasmi")]
            wi_memory: None,
        }
    }

    /// Starts an outermost call.
    pub(crate) fn arm(&mut self) {
        self.limiter.grow_refused = false;
        self.reentry_depth = 0;
        self.stack_base = native_stack_position();
    }

    /// Enters a re-entrant call, or says why not.
    pub(crate) fn enter(&mut self) -> Result<(), crate::error::Raised> {
        let used = self.stack_base.abs_diff(native_stack_position());
        if self.reentry_depth >= self.max_reentry_depth || used > self.max_reentry_stack {
            return Err(crate::error::Raised::ReentryOverflow);
        }
        self.reentry_depth += 1;
        Ok(())
    }

    /// Leaves a re-entrant call.
    pub(crate) fn leave(&mut self) {
        self.reentry_depth = self.reentry_depth.saturating_sub(1);
    }

    pub(crate) fn trap_context(&self) -> crate::error::TrapContext {
        crate::error::TrapContext {
            deadline_ms: self.limiter.limits.deadline.map(|d| d.as_millis()),
            memory_limit: self.limiter.limits.memory_bytes,
            grow_refused: self.limiter.grow_refused,
        }
    }
}

/// Roughly where the native stack pointer is: the address of a local.
#[inline(never)]
fn native_stack_position() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// The engine-specific half of [`Instance`].
pub(crate) trait InstanceOps<T>: CallerOps<T> {
    fn ctx(&self) -> &Ctx<T>;
    fn ctx_mut(&mut self) -> &mut Ctx<T>;
    /// Export `name` if it is a function, with its signature when numeric.
    fn func(&mut self, name: &str) -> Option<(FuncInner, Option<FuncType>)>;
    /// An outermost call: arms the deadline, then classifies any trap.
    /// `args` and `results` have been checked against `ty`, the type of `f`.
    fn call_outer(&mut self, f: &FuncInner, ty: &FuncType, args: &[Val], results: &mut [Val]) -> Result<(), Trap>;
    /// Grows the exported memory by `pages` 64 KiB pages (through the
    /// limiter); false without a memory or when growing is refused.
    fn grow_memory(&mut self, pages: u64) -> bool;
}

/// A module linked against a [`Linker`], ready to instantiate cheaply.
pub struct InstancePre<T: 'static> {
    inner: PreInner<T>,
    module: Module,
}

pub(crate) enum PreInner<T: 'static> {
    #[cfg(feature = "wasmtime")]
    Wasmtime(wasmtime::InstancePre<Ctx<T>>),
    #[cfg(feature = "wasmi")]
    Wasmi(crate::engine_wasmi::WiPre<T>),
}

impl<T: 'static> Clone for InstancePre<T> {
    fn clone(&self) -> Self {
        let inner = match &self.inner {
            #[cfg(feature = "wasmtime")]
            PreInner::Wasmtime(p) => PreInner::Wasmtime(p.clone()),
            #[cfg(feature = "wasmi")]
            PreInner::Wasmi(p) => PreInner::Wasmi(p.clone()),
        };
        Self { inner, module: self.module.clone() }
    }
}

static NEXT_INSTANCE_ID: AtomicU64 = AtomicU64::new(1);

impl<T: 'static> InstancePre<T> {
    pub(crate) fn new(linker: &Linker<T>, module: &Module) -> Result<Self, Error> {
        let inner = match &module.inner {
            #[cfg(feature = "wasmtime")]
            ModuleInner::Wasmtime(m) => PreInner::Wasmtime(crate::engine_wasmtime::prepare(m, linker)?),
            #[cfg(feature = "wasmi")]
            ModuleInner::Wasmi(m) => PreInner::Wasmi(crate::engine_wasmi::prepare(m, linker)?),
        };
        Ok(Self { inner, module: module.clone() })
    }

    /// The module this was prepared from.
    pub fn module(&self) -> &Module {
        &self.module
    }

    /// A new instance with its own store, host `data` and `limits`. Runs the
    /// module's start function and, if exported, the WASI reactor
    /// initialiser `_initialize`, both under the deadline.
    pub fn instantiate(&self, data: T, limits: Limits) -> Result<Instance<T>, Error> {
        let ctx = Ctx::new(data, limits, self.module.engine().config());
        let inner = match &self.inner {
            #[cfg(feature = "wasmtime")]
            PreInner::Wasmtime(p) => InstInner::Wasmtime(crate::engine_wasmtime::instantiate(p, ctx)?),
            #[cfg(feature = "wasmi")]
            PreInner::Wasmi(p) => InstInner::Wasmi(Box::new(crate::engine_wasmi::instantiate(p, ctx)?)),
        };
        let mut instance = Instance {
            inner,
            poisoned: None,
            id: NEXT_INSTANCE_ID.fetch_add(1, Ordering::Relaxed),
            funcs: HashMap::new(),
        };
        if let Some((f, Some(ty))) = instance.ops().func("_initialize") {
            if ty == FuncType::default() {
                let func = Func { inner: f, ty: Arc::new(ty), instance: instance.id };
                instance.call_func(&func, &[], &mut [])?;
            }
        }
        Ok(instance)
    }
}

/// A live instance: its store, host data and limits.
pub struct Instance<T: 'static> {
    inner: InstInner<T>,
    poisoned: Option<Trap>,
    id: u64,
    /// Exports already resolved by [`Instance::func`]: resolving by name builds the function's type
    /// each time, which cost more than the call itself for small callbacks (Lua autocmds).
    funcs: HashMap<Box<str>, Func>,
}

pub(crate) enum InstInner<T: 'static> {
    #[cfg(feature = "wasmtime")]
    Wasmtime(crate::engine_wasmtime::WtInstance<T>),
    #[cfg(feature = "wasmi")]
    Wasmi(Box<crate::engine_wasmi::WiInstance<T>>),
}

/// An exported function resolved once, for calling it repeatedly.
#[derive(Clone)]
pub struct Func {
    inner: FuncInner,
    // Shared so that handing out a resolved function allocates nothing.
    ty: Arc<FuncType>,
    instance: u64,
}

impl Func {
    /// The function's signature.
    pub fn ty(&self) -> &FuncType {
        &self.ty
    }
}

#[derive(Clone)]
pub(crate) enum FuncInner {
    #[cfg(feature = "wasmtime")]
    Wasmtime(wasmtime::Func),
    #[cfg(feature = "wasmi")]
    Wasmi(wasmi::Func),
}

impl<T: 'static> Instance<T> {
    fn ops(&mut self) -> &mut dyn InstanceOps<T> {
        match &mut self.inner {
            #[cfg(feature = "wasmtime")]
            InstInner::Wasmtime(i) => i,
            #[cfg(feature = "wasmi")]
            InstInner::Wasmi(i) => &mut **i,
        }
    }

    fn ops_ref(&self) -> &dyn InstanceOps<T> {
        match &self.inner {
            #[cfg(feature = "wasmtime")]
            InstInner::Wasmtime(i) => i,
            #[cfg(feature = "wasmi")]
            InstInner::Wasmi(i) => &**i,
        }
    }

    /// Resolves exported function `name` for repeated [`Instance::call_func`].
    pub fn func(&mut self, name: &str) -> Result<Func, Error> {
        if let Some(f) = self.funcs.get(name) {
            return Ok(f.clone());
        }
        let id = self.id;
        match self.ops().func(name) {
            Some((inner, Some(ty))) => {
                let f = Func { inner, ty: Arc::new(ty), instance: id };
                self.funcs.insert(name.into(), f.clone());
                Ok(f)
            }
            Some((_, None)) => Err(Error::Signature(format!("export {name} uses types other than i32/i64/f32/f64"))),
            None => Err(Error::NoSuchExport(name.to_owned())),
        }
    }

    /// Calls exported function `name`; `results` needs one slot per result.
    pub fn call(&mut self, name: &str, args: &[Val], results: &mut [Val]) -> Result<(), Error> {
        self.check_poison()?;
        let f = self.func(name)?;
        self.call_func(&f, args, results)
    }

    /// Calls a function resolved by [`Instance::func`] on this instance,
    /// under the instance's deadline.
    pub fn call_func(&mut self, f: &Func, args: &[Val], results: &mut [Val]) -> Result<(), Error> {
        self.check_poison()?;
        if f.instance != self.id {
            return Err(Error::Signature("function handle belongs to another instance".into()));
        }
        let params_ok = args.len() == f.ty.params().len() && args.iter().zip(f.ty.params()).all(|(a, t)| a.ty() == *t);
        if !params_ok || results.len() != f.ty.results().len() {
            return Err(Error::Signature(format!(
                "function of type {} called with {} argument(s) and {} result slot(s)",
                f.ty,
                args.len(),
                results.len()
            )));
        }
        match self.ops().call_outer(&f.inner, &f.ty, args, results) {
            Ok(()) => Ok(()),
            Err(trap) => {
                if trap.poisons() {
                    self.poisoned = Some(trap.clone());
                }
                Err(Error::Trap(trap))
            }
        }
    }

    fn check_poison(&self) -> Result<(), Error> {
        match &self.poisoned {
            Some(t) => Err(Error::Poisoned(t.message.clone())),
            None => Ok(()),
        }
    }

    /// Whether an earlier trap stopped this instance for good.
    pub fn is_poisoned(&self) -> bool {
        self.poisoned.is_some()
    }

    /// The trap that poisoned this instance, if any.
    pub fn poisoned_by(&self) -> Option<&Trap> {
        self.poisoned.as_ref()
    }

    /// The host data.
    pub fn data(&self) -> &T {
        &self.ops_ref().ctx().data
    }

    /// The host data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.ops().ctx_mut().data
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.ops_ref().ctx().limiter.limits
    }

    /// Changes the per-call deadline for later calls.
    pub fn set_deadline(&mut self, deadline: Option<Duration>) {
        self.ops().ctx_mut().limiter.limits.deadline = deadline;
    }

    /// Current size of the exported memory in bytes (0 without one).
    pub fn memory_size(&mut self) -> usize {
        self.ops().memory().map_or(0, |m| m.len())
    }

    /// Grows the exported memory by `pages` 64 KiB pages, as the guest's
    /// `memory.grow` would (the memory limit applies); false if refused.
    pub fn grow_memory(&mut self, pages: u64) -> bool {
        self.ops().grow_memory(pages)
    }

    /// A copy of guest bytes `ptr..ptr+len`.
    pub fn read(&mut self, ptr: i32, len: i32) -> Result<Vec<u8>, MemoryAccessError> {
        slice_mut(self.ops().memory(), ptr, len).map(|s| s.to_vec())
    }

    /// Copies `bytes` into guest memory at `ptr`.
    pub fn write(&mut self, ptr: i32, bytes: &[u8]) -> Result<(), MemoryAccessError> {
        let mut caller = Caller { ops: self.ops() };
        caller.write(ptr, bytes)
    }

    /// Value of exported global `name`.
    pub fn global_get(&mut self, name: &str) -> Result<Val, Error> {
        self.ops().global_get(name)
    }

    /// Sets exported mutable global `name`.
    pub fn global_set(&mut self, name: &str, value: Val) -> Result<(), Error> {
        self.ops().global_set(name, value)
    }

    /// Ends the instance, returning the host data.
    pub fn into_data(self) -> T {
        match self.inner {
            #[cfg(feature = "wasmtime")]
            InstInner::Wasmtime(i) => i.into_data(),
            #[cfg(feature = "wasmi")]
            InstInner::Wasmi(i) => i.into_data(),
        }
    }
}

impl<T: 'static> std::fmt::Debug for Instance<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Instance").field("id", &self.id).field("poisoned", &self.poisoned).finish_non_exhaustive()
    }
}

impl<T: 'static> std::fmt::Debug for InstancePre<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InstancePre").field("module", &self.module).finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Func {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Func").field("ty", &self.ty).field("instance", &self.instance).finish_non_exhaustive()
    }
}
