//! The wasmtime side of the engine layer.

use std::collections::HashMap;
use std::mem::MaybeUninit;
use std::sync::Arc;

use wasmtime as wt;

use crate::caller::{Caller, CallerOps};
use crate::engine::EngineConfig;
use crate::error::{
    classify, CallError, CallErrorRepr, EngineError, Error, GuestFault, HostError, HostErrorRepr, Raised, Trap,
    TrapKind,
};
use crate::instance::{Ctx, FuncInner, InstanceOps};
use crate::linker::{HostFuncDef, Linker, Resolution};
use crate::module::{ExportInfo, ExternKind, ImportInfo};
use crate::value::{FuncType, Val, ValBuf, ValType};

pub(crate) fn new_engine(cfg: &EngineConfig) -> Result<wt::Engine, Error> {
    let mut c = wt::Config::new();
    c.epoch_interruption(true)
        .max_wasm_stack(cfg.max_wasm_stack)
        // wasmtime refuses a wasm stack larger than the async stack even
        // though no async call is ever made (the default is 2 MiB).
        .async_stack_size(cfg.max_wasm_stack.saturating_add(1 << 20))
        // Backtraces cost ~11 µs per trap (every Lua error is one).
        .wasm_backtrace_max_frames(None);
    if let Some(p) = &cfg.pooling {
        let mut pool = wt::PoolingAllocationConfig::default();
        pool.total_core_instances(p.max_instances)
            .total_memories(p.max_instances)
            .total_tables(p.max_instances)
            .max_memory_size(p.max_memory_bytes);
        c.allocation_strategy(wt::InstanceAllocationStrategy::Pooling(pool)).memory_init_cow(true);
    }
    let engine = wt::Engine::new(&c).map_err(|e| Error::Engine(format!("{e:#}")))?;
    if !crate::ticker::register(&engine) {
        tracing::error!("cannot start the epoch thread: wasmtime deadlines will not fire");
    }
    Ok(engine)
}

fn val_type(t: &wt::ValType) -> Option<ValType> {
    match t {
        wt::ValType::I32 => Some(ValType::I32),
        wt::ValType::I64 => Some(ValType::I64),
        wt::ValType::F32 => Some(ValType::F32),
        wt::ValType::F64 => Some(ValType::F64),
        _ => None,
    }
}

fn wt_val_type(t: ValType) -> wt::ValType {
    match t {
        ValType::I32 => wt::ValType::I32,
        ValType::I64 => wt::ValType::I64,
        ValType::F32 => wt::ValType::F32,
        ValType::F64 => wt::ValType::F64,
    }
}

fn func_type(ft: &wt::FuncType) -> Option<FuncType> {
    let params: Option<Vec<_>> = ft.params().map(|t| val_type(&t)).collect();
    let results: Option<Vec<_>> = ft.results().map(|t| val_type(&t)).collect();
    Some(FuncType::new(params?, results?))
}

fn extern_kind(ty: &wt::ExternType) -> ExternKind {
    match ty {
        wt::ExternType::Func(ft) => match func_type(ft) {
            Some(t) => ExternKind::Func(t),
            None => ExternKind::ForeignFunc(ft.to_string()),
        },
        wt::ExternType::Memory(_) => ExternKind::Memory,
        wt::ExternType::Table(_) => ExternKind::Table,
        wt::ExternType::Global(_) => ExternKind::Global,
        _ => ExternKind::Other,
    }
}

pub(crate) fn describe(m: &wt::Module) -> (Vec<ImportInfo>, Vec<ExportInfo>) {
    let imports = m
        .imports()
        .map(|i| ImportInfo { module: i.module().to_owned(), name: i.name().to_owned(), kind: extern_kind(&i.ty()) })
        .collect();
    let exports = m.exports().map(|e| ExportInfo { name: e.name().to_owned(), kind: extern_kind(&e.ty()) }).collect();
    (imports, exports)
}

fn to_wt(v: Val) -> wt::Val {
    match v {
        Val::I32(x) => wt::Val::I32(x),
        Val::I64(x) => wt::Val::I64(x),
        Val::F32(x) => wt::Val::F32(x.to_bits()),
        Val::F64(x) => wt::Val::F64(x.to_bits()),
    }
}

fn from_wt(v: &wt::Val) -> Option<Val> {
    match v {
        wt::Val::I32(x) => Some(Val::I32(*x)),
        wt::Val::I64(x) => Some(Val::I64(*x)),
        wt::Val::F32(x) => Some(Val::F32(f32::from_bits(*x))),
        wt::Val::F64(x) => Some(Val::F64(f64::from_bits(*x))),
        _ => None,
    }
}

/// Exports resolved by name for re-entrant calls (exports never change).
pub(crate) type FuncCache = HashMap<Box<str>, (wt::Func, Arc<FuncType>)>;

/// Whether `args` have exactly the parameter types of `ty` and `results`
/// has one slot per result.
pub(crate) fn signature_fits(ty: &FuncType, args: &[Val], results: &[Val]) -> bool {
    args.len() == ty.params().len()
        && args.iter().zip(ty.params()).all(|(a, t)| a.ty() == *t)
        && results.len() == ty.results().len()
}

fn to_raw(v: Val) -> wt::ValRaw {
    match v {
        Val::I32(x) => wt::ValRaw::i32(x),
        Val::I64(x) => wt::ValRaw::i64(x),
        Val::F32(x) => wt::ValRaw::f32(x.to_bits()),
        Val::F64(x) => wt::ValRaw::f64(x.to_bits()),
    }
}

fn from_raw(t: ValType, raw: &wt::ValRaw) -> Val {
    match t {
        ValType::I32 => Val::I32(raw.get_i32()),
        ValType::I64 => Val::I64(raw.get_i64()),
        ValType::F32 => Val::F32(f32::from_bits(raw.get_f32())),
        ValType::F64 => Val::F64(f64::from_bits(raw.get_f64())),
    }
}

/// Calls `f`, whose type is `ty` (numeric types only), with `args` that
/// [`signature_fits`] `ty`. Avoids `Func::call`, whose dynamic type checks
/// cost ~500 ns per call.
fn call_numeric(
    store: impl wt::AsContextMut,
    f: &wt::Func,
    ty: &FuncType,
    args: &[Val],
    results: &mut [Val],
) -> wt::Result<()> {
    if !signature_fits(ty, args, results) {
        return Err(wt::Error::msg(format!("arguments do not fit {ty}")));
    }
    let n = args.len().max(results.len());
    let mut raw = ValBuf::from_fn(n, wt::ValRaw::i32(0), |i| args.get(i).map_or(wt::ValRaw::i32(0), |v| to_raw(*v)));
    // SAFETY: `raw` is a valid array with room for every parameter and every
    // result; the parameters written to it have exactly the types of `f`'s
    // parameters (`signature_fits` against `ty`, which was read from `f`),
    // and all of them are numbers, so no reference needs to be rooted. The
    // store is `f`'s own (callers resolve `f` from this store's instance) and
    // this is a synchronous call.
    unsafe { f.call_unchecked(store, raw.as_mut_slice() as *mut [wt::ValRaw]) }?;
    for ((slot, t), r) in results.iter_mut().zip(ty.results()).zip(raw.as_slice()) {
        *slot = from_raw(*t, r);
    }
    Ok(())
}

fn host_error_to_wt(e: HostError, import: &str) -> wt::Error {
    match e.repr {
        HostErrorRepr::Message(message) => wt::Error::new(Raised::Host { import: import.to_owned(), message }),
        HostErrorRepr::Thrown(v) => wt::Error::new(Raised::Thrown(v)),
        HostErrorRepr::Exit(c) => wt::Error::new(Raised::Exit(c)),
        HostErrorRepr::Engine(EngineError::Wasmtime(e)) => e,
        #[allow(unreachable_patterns)]
        HostErrorRepr::Engine(other) => wt::Error::new(Raised::Host {
            import: import.to_owned(),
            message: format!("error from another engine: {other}"),
        }),
    }
}

/// Runs a registered host function on wasmtime values.
/// Runs a registered host function on wasmtime's raw values: `raw` holds the
/// parameters on entry and receives the results (numeric types only).
fn call_host<T: 'static>(
    def: &HostFuncDef<T>,
    mut caller: wt::Caller<'_, Ctx<T>>,
    raw: &mut [MaybeUninit<wt::ValRaw>],
) -> wt::Result<()> {
    let params = def.ty.params();
    let args = ValBuf::from_fn(params.len(), Val::I32(0), |i| match (params.get(i), raw.get(i)) {
        // SAFETY: wasmtime initialised the first `params.len()` slots with
        // values of the declared parameter types (the function was defined
        // with exactly `def.ty`).
        (Some(t), Some(slot)) => from_raw(*t, unsafe { slot.assume_init_ref() }),
        _ => Val::I32(0),
    });
    let mut outs = ValBuf::from_fn(def.ty.results().len(), Val::I32(0), |i| {
        def.ty.results().get(i).map_or(Val::I32(0), |t| t.zero())
    });
    let mut c = Caller { ops: &mut caller };
    (def.func)(&mut c, args.as_slice(), outs.as_mut_slice()).map_err(|e| host_error_to_wt(e, &def.qualified))?;
    for (v, t) in outs.as_slice().iter().zip(def.ty.results()) {
        if v.ty() != *t {
            return Err(wt::Error::new(Raised::Host {
                import: def.qualified.to_string(),
                message: format!("host function returned {} where {t} was declared", v.ty()),
            }));
        }
    }
    for (slot, v) in raw.iter_mut().zip(outs.as_slice()) {
        *slot = MaybeUninit::new(to_raw(*v));
    }
    Ok(())
}

pub(crate) fn prepare<T: 'static>(m: &wt::Module, linker: &Linker<T>) -> Result<wt::InstancePre<Ctx<T>>, Error> {
    let mut l = wt::Linker::<Ctx<T>>::new(m.engine());
    l.allow_shadowing(true);
    let link_err = |e: wt::Error| Error::Link(format!("{e:#}"));
    for import in m.imports() {
        let (module, name) = (import.module(), import.name());
        let ty = import.ty();
        match linker.resolve(module, name, &extern_kind(&ty))? {
            Resolution::Host(def) => {
                let wt_ty = wt::FuncType::new(
                    m.engine(),
                    def.ty.params().iter().map(|t| wt_val_type(*t)),
                    def.ty.results().iter().map(|t| wt_val_type(*t)),
                );
                // SAFETY: `call_host` reads exactly the parameter types of
                // `def.ty` (which `wt_ty` mirrors) and writes results only
                // after checking each has the declared result type.
                unsafe { l.func_new_unchecked(module, name, wt_ty, move |caller, raw| call_host(&def, caller, raw)) }
                    .map_err(link_err)?;
            }
            Resolution::Forbidden(qualified) => {
                let Some(ft) = ty.func().cloned() else {
                    return Err(Error::Link(format!("cannot stub import {qualified}")));
                };
                l.func_new(module, name, ft, move |_, _, _| {
                    Err(wt::Error::new(Raised::Forbidden { import: qualified.clone() }))
                })
                .map_err(link_err)?;
            }
        }
    }
    l.instantiate_pre(m).map_err(link_err)
}

/// A trap from a wasmtime error.
fn classify_error<T: 'static>(e: &wt::Error, ctx: &Ctx<T>) -> Trap {
    let raised = e.downcast_ref::<Raised>();
    let fault = e.downcast_ref::<wt::Trap>().map(|t| match t {
        wt::Trap::Interrupt | wt::Trap::OutOfFuel => GuestFault::Deadline,
        wt::Trap::StackOverflow => GuestFault::StackOverflow,
        wt::Trap::UnreachableCodeReached => GuestFault::Unreachable,
        wt::Trap::MemoryOutOfBounds => GuestFault::MemoryOutOfBounds,
        _ => GuestFault::Other,
    });
    classify(raised, fault, &format!("{e:#}"), &ctx.trap_context())
}

fn is_trap(e: &wt::Error) -> bool {
    e.downcast_ref::<Raised>().is_some() || e.downcast_ref::<wt::Trap>().is_some()
}

/// Prepares the store for an outermost call.
fn arm<T: 'static>(store: &mut wt::Store<Ctx<T>>) {
    let ctx = store.data_mut();
    ctx.arm();
    let ticks = ctx.limiter.limits.deadline.map_or(u64::MAX / 2, crate::ticker::ticks_for);
    store.set_epoch_deadline(ticks);
}

/// A wasmtime instance and its store.
pub(crate) struct WtInstance<T: 'static> {
    store: wt::Store<Ctx<T>>,
    instance: wt::Instance,
}

pub(crate) fn instantiate<T: 'static>(pre: &wt::InstancePre<Ctx<T>>, ctx: Ctx<T>) -> Result<WtInstance<T>, Error> {
    let mut store = wt::Store::new(pre.module().engine(), ctx);
    store.limiter(|c| &mut c.limiter);
    arm(&mut store);
    let instance = pre.instantiate(&mut store).map_err(|e| {
        if is_trap(&e) {
            Error::Trap(classify_error(&e, store.data()))
        } else {
            Error::Link(format!("{e:#}"))
        }
    })?;
    let memory = instance.get_memory(&mut store, "memory");
    store.data_mut().wt_memory = memory;
    Ok(WtInstance { store, instance })
}

impl<T: 'static> WtInstance<T> {
    pub(crate) fn into_data(self) -> T {
        self.store.into_data().data
    }
}

fn global_get(g: Option<wt::Extern>, store: impl wt::AsContextMut, name: &str) -> Result<Val, Error> {
    match g {
        Some(wt::Extern::Global(g)) => {
            from_wt(&g.get(store)).ok_or_else(|| Error::Global(format!("global {name} is not a number")))
        }
        _ => Err(Error::Global(format!("plugin exports no global {name}"))),
    }
}

fn global_set(g: Option<wt::Extern>, store: impl wt::AsContextMut, name: &str, value: Val) -> Result<(), Error> {
    match g {
        Some(wt::Extern::Global(g)) => {
            g.set(store, to_wt(value)).map_err(|e| Error::Global(format!("cannot set global {name}: {e}")))
        }
        _ => Err(Error::Global(format!("plugin exports no global {name}"))),
    }
}

impl<T: 'static> CallerOps<T> for wt::Caller<'_, Ctx<T>> {
    fn data(&self) -> &T {
        &wt::Caller::data(self).data
    }

    fn data_mut(&mut self) -> &mut T {
        &mut wt::Caller::data_mut(self).data
    }

    fn memory(&mut self) -> Option<&mut [u8]> {
        let mem = wt::Caller::data(self).wt_memory?;
        Some(mem.data_mut(self))
    }

    fn memory_and_data(&mut self) -> (Option<&mut [u8]>, &mut T) {
        match wt::Caller::data(self).wt_memory {
            Some(mem) => {
                let (bytes, ctx) = mem.data_and_store_mut(self);
                (Some(bytes), &mut ctx.data)
            }
            None => (None, &mut wt::Caller::data_mut(self).data),
        }
    }

    fn call(&mut self, name: &str, args: &[Val], results: &mut [Val]) -> Result<(), CallError> {
        let cached = wt::Caller::data(self).wt_funcs.get(name).cloned();
        let (f, ty) = match cached {
            Some(hit) => hit,
            None => {
                let usage = |m: String| CallError { repr: CallErrorRepr::Usage(m) };
                let Some(wt::Extern::Func(f)) = self.get_export(name) else {
                    return Err(usage(format!("plugin has no exported function {name}")));
                };
                let Some(ty) = func_type(&f.ty(&*self)) else {
                    return Err(usage(format!("export {name} uses types other than i32/i64/f32/f64")));
                };
                let entry = (f, Arc::new(ty));
                wt::Caller::data_mut(self).wt_funcs.insert(name.into(), entry.clone());
                entry
            }
        };
        if !signature_fits(&ty, args, results) {
            return Err(CallError {
                repr: CallErrorRepr::Usage(format!(
                    "{name} has type {ty}; called with {} argument(s) and {} result slot(s)",
                    args.len(),
                    results.len()
                )),
            });
        }
        if let Err(raised) = wt::Caller::data_mut(self).enter() {
            return Err(CallError {
                repr: CallErrorRepr::Engine { error: EngineError::Wasmtime(wt::Error::new(raised)), thrown: None },
            });
        }
        let outcome = call_numeric(&mut *self, &f, &ty, args, results);
        wt::Caller::data_mut(self).leave();
        match outcome {
            Ok(()) => Ok(()),
            Err(e) => {
                let thrown = match e.downcast_ref::<Raised>() {
                    Some(Raised::Thrown(v)) => Some(*v),
                    _ => None,
                };
                Err(CallError { repr: CallErrorRepr::Engine { error: EngineError::Wasmtime(e), thrown } })
            }
        }
    }

    fn global_get(&mut self, name: &str) -> Result<Val, Error> {
        let g = self.get_export(name);
        global_get(g, self, name)
    }

    fn restart_deadline(&mut self) {
        let ticks = wt::Caller::data(self).limiter.limits.deadline.map_or(u64::MAX / 2, crate::ticker::ticks_for);
        wt::AsContextMut::as_context_mut(self).set_epoch_deadline(ticks);
    }

    fn global_set(&mut self, name: &str, value: Val) -> Result<(), Error> {
        let g = self.get_export(name);
        global_set(g, self, name, value)
    }
}

impl<T: 'static> CallerOps<T> for WtInstance<T> {
    fn data(&self) -> &T {
        &self.store.data().data
    }

    fn data_mut(&mut self) -> &mut T {
        &mut self.store.data_mut().data
    }

    fn memory(&mut self) -> Option<&mut [u8]> {
        let mem = self.store.data().wt_memory?;
        Some(mem.data_mut(&mut self.store))
    }

    fn memory_and_data(&mut self) -> (Option<&mut [u8]>, &mut T) {
        match self.store.data().wt_memory {
            Some(mem) => {
                let (bytes, ctx) = mem.data_and_store_mut(&mut self.store);
                (Some(bytes), &mut ctx.data)
            }
            None => (None, &mut self.store.data_mut().data),
        }
    }

    fn call(&mut self, name: &str, _args: &[Val], _results: &mut [Val]) -> Result<(), CallError> {
        // Instances call through `InstanceOps::call_outer`, which arms limits.
        Err(CallError { repr: CallErrorRepr::Usage(format!("{name}: not a re-entrant call")) })
    }

    fn global_get(&mut self, name: &str) -> Result<Val, Error> {
        let g = self.instance.get_export(&mut self.store, name);
        global_get(g, &mut self.store, name)
    }

    fn restart_deadline(&mut self) {
        // Outside a call: the next call arms its own deadline.
    }

    fn global_set(&mut self, name: &str, value: Val) -> Result<(), Error> {
        let g = self.instance.get_export(&mut self.store, name);
        global_set(g, &mut self.store, name, value)
    }
}

impl<T: 'static> InstanceOps<T> for WtInstance<T> {
    fn ctx(&self) -> &Ctx<T> {
        self.store.data()
    }

    fn ctx_mut(&mut self) -> &mut Ctx<T> {
        self.store.data_mut()
    }

    fn grow_memory(&mut self, pages: u64) -> bool {
        let Some(mem) = self.store.data().wt_memory else { return false };
        mem.grow(&mut self.store, pages).is_ok()
    }

    fn func(&mut self, name: &str) -> Option<(FuncInner, Option<FuncType>)> {
        let f = self.instance.get_func(&mut self.store, name)?;
        let ty = func_type(&f.ty(&self.store));
        Some((FuncInner::Wasmtime(f), ty))
    }

    fn call_outer(&mut self, f: &FuncInner, ty: &FuncType, args: &[Val], results: &mut [Val]) -> Result<(), Trap> {
        #[allow(irrefutable_let_patterns)]
        let FuncInner::Wasmtime(f) = f
        else {
            return Err(Trap { kind: TrapKind::Other, message: "function belongs to another engine".into() });
        };
        arm(&mut self.store);
        call_numeric(&mut self.store, f, ty, args, results).map_err(|e| classify_error(&e, self.store.data()))
    }
}
