//! The wasmi side of the engine layer.
//!
//! wasmi has no epochs, so the per-call deadline is converted into fuel with
//! [`FUEL_PER_MS`]. The constant was measured in a release build (the
//! `deadline_100ms` line of `benches/calls.rs`); a debug build runs several
//! times slower, so there a fuel deadline lasts longer in wall-clock time.

use std::sync::Arc;
use std::time::Duration;

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

/// Fuel wasmi burns per millisecond of guest execution: measured on the
/// reference machine (2 cores, release build) with the `busy` loop of
/// `benches/calls.rs` (loads, stores, arithmetic and calls), which printed
/// 389 871 fuel/ms; rounded.
pub const FUEL_PER_MS: u64 = 400_000;

/// Fuel granted for a deadline.
pub(crate) fn fuel_for(deadline: Duration) -> u64 {
    let ms = deadline.as_nanos().div_ceil(1_000_000).max(1);
    u64::try_from(ms).unwrap_or(u64::MAX).saturating_mul(FUEL_PER_MS)
}

pub(crate) fn new_engine(cfg: &EngineConfig) -> wasmi::Engine {
    let mut c = wasmi::Config::default();
    c.consume_fuel(true).set_max_recursion_depth(cfg.max_recursion_depth.max(1));
    wasmi::Engine::new(&c)
}

pub(crate) fn compile(engine: &wasmi::Engine, binary: &[u8]) -> Result<wasmi::Module, Error> {
    wasmi::Module::new(engine, binary).map_err(|e| Error::InvalidModule(e.to_string()))
}

fn val_type(t: &wasmi::ValType) -> Option<ValType> {
    match t {
        wasmi::ValType::I32 => Some(ValType::I32),
        wasmi::ValType::I64 => Some(ValType::I64),
        wasmi::ValType::F32 => Some(ValType::F32),
        wasmi::ValType::F64 => Some(ValType::F64),
        _ => None,
    }
}

fn wi_val_type(t: ValType) -> wasmi::ValType {
    match t {
        ValType::I32 => wasmi::ValType::I32,
        ValType::I64 => wasmi::ValType::I64,
        ValType::F32 => wasmi::ValType::F32,
        ValType::F64 => wasmi::ValType::F64,
    }
}

fn func_type(ft: &wasmi::FuncType) -> Option<FuncType> {
    let params: Option<Vec<_>> = ft.params().iter().map(val_type).collect();
    let results: Option<Vec<_>> = ft.results().iter().map(val_type).collect();
    Some(FuncType::new(params?, results?))
}

fn extern_kind(ty: &wasmi::ExternType) -> ExternKind {
    match ty {
        wasmi::ExternType::Func(ft) => match func_type(ft) {
            Some(t) => ExternKind::Func(t),
            None => ExternKind::ForeignFunc(format!("{ft:?}")),
        },
        wasmi::ExternType::Memory(_) => ExternKind::Memory,
        wasmi::ExternType::Table(_) => ExternKind::Table,
        wasmi::ExternType::Global(_) => ExternKind::Global,
    }
}

pub(crate) fn describe(m: &wasmi::Module) -> (Vec<ImportInfo>, Vec<ExportInfo>) {
    let imports = m
        .imports()
        .map(|i| ImportInfo { module: i.module().to_owned(), name: i.name().to_owned(), kind: extern_kind(i.ty()) })
        .collect();
    let exports = m.exports().map(|e| ExportInfo { name: e.name().to_owned(), kind: extern_kind(e.ty()) }).collect();
    (imports, exports)
}

fn to_wi(v: Val) -> wasmi::Val {
    match v {
        Val::I32(x) => wasmi::Val::I32(x),
        Val::I64(x) => wasmi::Val::I64(x),
        Val::F32(x) => wasmi::Val::F32(wasmi::F32::from_bits(x.to_bits())),
        Val::F64(x) => wasmi::Val::F64(wasmi::F64::from_bits(x.to_bits())),
    }
}

fn from_wi(v: &wasmi::Val) -> Option<Val> {
    match v {
        wasmi::Val::I32(x) => Some(Val::I32(*x)),
        wasmi::Val::I64(x) => Some(Val::I64(*x)),
        wasmi::Val::F32(x) => Some(Val::F32(f32::from_bits(x.to_bits()))),
        wasmi::Val::F64(x) => Some(Val::F64(f64::from_bits(x.to_bits()))),
        _ => None,
    }
}

fn to_wi_buf(vals: &[Val]) -> ValBuf<wasmi::Val> {
    ValBuf::from_fn(vals.len(), wasmi::Val::I32(0), |i| vals.get(i).map_or(wasmi::Val::I32(0), |v| to_wi(*v)))
}

fn copy_back(dst: &mut [Val], src: &[wasmi::Val]) {
    for (d, s) in dst.iter_mut().zip(src) {
        if let Some(v) = from_wi(s) {
            *d = v;
        }
    }
}

fn host_error_to_wi(e: HostError, import: &str) -> wasmi::Error {
    match e.repr {
        HostErrorRepr::Message(message) => wasmi::Error::host(Raised::Host { import: import.to_owned(), message }),
        HostErrorRepr::Thrown(v) => wasmi::Error::host(Raised::Thrown(v)),
        HostErrorRepr::Exit(c) => wasmi::Error::host(Raised::Exit(c)),
        HostErrorRepr::Engine(EngineError::Wasmi(e)) => e,
        #[allow(unreachable_patterns)]
        HostErrorRepr::Engine(other) => wasmi::Error::host(Raised::Host {
            import: import.to_owned(),
            message: format!("error from another engine: {other}"),
        }),
    }
}

fn call_host<T: 'static>(
    def: &HostFuncDef<T>,
    mut caller: wasmi::Caller<'_, Ctx<T>>,
    params: &[wasmi::Val],
    results: &mut [wasmi::Val],
) -> Result<(), wasmi::Error> {
    let args = ValBuf::from_fn(params.len(), Val::I32(0), |i| params.get(i).and_then(from_wi).unwrap_or(Val::I32(0)));
    let mut outs = ValBuf::from_fn(def.ty.results().len(), Val::I32(0), |i| {
        def.ty.results().get(i).map_or(Val::I32(0), |t| t.zero())
    });
    let mut c = Caller { ops: &mut caller };
    (def.func)(&mut c, args.as_slice(), outs.as_mut_slice()).map_err(|e| host_error_to_wi(e, &def.qualified))?;
    for ((slot, v), t) in results.iter_mut().zip(outs.as_slice()).zip(def.ty.results()) {
        if v.ty() != *t {
            return Err(wasmi::Error::host(Raised::Host {
                import: def.qualified.to_string(),
                message: format!("host function returned {} where {t} was declared", v.ty()),
            }));
        }
        *slot = to_wi(*v);
    }
    Ok(())
}

/// A wasmi module with a linker holding exactly the functions it imports.
pub(crate) struct WiPre<T: 'static> {
    linker: Arc<wasmi::Linker<Ctx<T>>>,
    module: wasmi::Module,
}

impl<T: 'static> Clone for WiPre<T> {
    fn clone(&self) -> Self {
        Self { linker: self.linker.clone(), module: self.module.clone() }
    }
}

pub(crate) fn prepare<T: 'static>(m: &wasmi::Module, linker: &Linker<T>) -> Result<WiPre<T>, Error> {
    let mut l = wasmi::Linker::<Ctx<T>>::new(m.engine());
    l.allow_shadowing(true);
    let link_err = |e: wasmi::errors::LinkerError| Error::Link(e.to_string());
    for import in m.imports() {
        let (module, name) = (import.module(), import.name());
        match linker.resolve(module, name, &extern_kind(import.ty()))? {
            Resolution::Host(def) => {
                let wi_ty = wasmi::FuncType::new(
                    def.ty.params().iter().map(|t| wi_val_type(*t)).collect::<Vec<_>>(),
                    def.ty.results().iter().map(|t| wi_val_type(*t)).collect::<Vec<_>>(),
                );
                l.func_new(module, name, wi_ty, move |caller, params, results| {
                    call_host(&def, caller, params, results)
                })
                .map_err(link_err)?;
            }
            Resolution::Forbidden(qualified) => {
                let wasmi::ExternType::Func(ft) = import.ty() else {
                    return Err(Error::Link(format!("cannot stub import {qualified}")));
                };
                l.func_new(module, name, ft.clone(), move |_, _, _| {
                    Err(wasmi::Error::host(Raised::Forbidden { import: qualified.clone() }))
                })
                .map_err(link_err)?;
            }
        }
    }
    Ok(WiPre { linker: Arc::new(l), module: m.clone() })
}

fn classify_error<T: 'static>(e: &wasmi::Error, ctx: &Ctx<T>) -> Trap {
    let raised = e.downcast_ref::<Raised>();
    let fault = e.as_trap_code().map(|c| match c {
        wasmi::TrapCode::OutOfFuel => GuestFault::Deadline,
        wasmi::TrapCode::StackOverflow => GuestFault::StackOverflow,
        wasmi::TrapCode::UnreachableCodeReached => GuestFault::Unreachable,
        wasmi::TrapCode::MemoryOutOfBounds => GuestFault::MemoryOutOfBounds,
        _ => GuestFault::Other,
    });
    classify(raised, fault, &e.to_string(), &ctx.trap_context())
}

fn is_trap(e: &wasmi::Error) -> bool {
    e.downcast_ref::<Raised>().is_some() || e.as_trap_code().is_some()
}

fn arm<T: 'static>(store: &mut wasmi::Store<Ctx<T>>) {
    let ctx = store.data_mut();
    ctx.arm();
    let fuel = ctx.limiter.limits.deadline.map_or(u64::MAX, fuel_for);
    if let Err(e) = store.set_fuel(fuel) {
        tracing::error!("cannot set wasmi fuel: {e}");
    }
}

/// A wasmi instance and its store.
pub(crate) struct WiInstance<T: 'static> {
    store: wasmi::Store<Ctx<T>>,
    instance: wasmi::Instance,
}

pub(crate) fn instantiate<T: 'static>(pre: &WiPre<T>, ctx: Ctx<T>) -> Result<WiInstance<T>, Error> {
    let mut store = wasmi::Store::new(pre.module.engine(), ctx);
    store.limiter(|c| &mut c.limiter);
    arm(&mut store);
    let instance = pre.linker.instantiate_and_start(&mut store, &pre.module).map_err(|e| {
        if is_trap(&e) {
            Error::Trap(classify_error(&e, store.data()))
        } else {
            Error::Link(e.to_string())
        }
    })?;
    let memory = instance.get_memory(&store, "memory");
    store.data_mut().wi_memory = memory;
    Ok(WiInstance { store, instance })
}

impl<T: 'static> WiInstance<T> {
    pub(crate) fn into_data(self) -> T {
        self.store.into_data().data
    }
}

fn global_get(g: Option<wasmi::Extern>, store: impl wasmi::AsContext, name: &str) -> Result<Val, Error> {
    match g {
        Some(wasmi::Extern::Global(g)) => {
            from_wi(&g.get(store)).ok_or_else(|| Error::Global(format!("global {name} is not a number")))
        }
        _ => Err(Error::Global(format!("plugin exports no global {name}"))),
    }
}

fn global_set(g: Option<wasmi::Extern>, store: impl wasmi::AsContextMut, name: &str, value: Val) -> Result<(), Error> {
    match g {
        Some(wasmi::Extern::Global(g)) => {
            g.set(store, to_wi(value)).map_err(|e| Error::Global(format!("cannot set global {name}: {e}")))
        }
        _ => Err(Error::Global(format!("plugin exports no global {name}"))),
    }
}

impl<T: 'static> CallerOps<T> for wasmi::Caller<'_, Ctx<T>> {
    fn data(&self) -> &T {
        &wasmi::Caller::data(self).data
    }

    fn data_mut(&mut self) -> &mut T {
        &mut wasmi::Caller::data_mut(self).data
    }

    fn memory(&mut self) -> Option<&mut [u8]> {
        let mem = wasmi::Caller::data(self).wi_memory?;
        Some(mem.data_mut(self))
    }

    fn memory_and_data(&mut self) -> (Option<&mut [u8]>, &mut T) {
        match wasmi::Caller::data(self).wi_memory {
            Some(mem) => {
                let (bytes, ctx) = mem.data_and_store_mut(self);
                (Some(bytes), &mut ctx.data)
            }
            None => (None, &mut wasmi::Caller::data_mut(self).data),
        }
    }

    fn call(&mut self, name: &str, args: &[Val], results: &mut [Val]) -> Result<(), CallError> {
        let Some(wasmi::Extern::Func(f)) = self.get_export(name) else {
            return Err(CallError { repr: CallErrorRepr::Usage(format!("plugin has no exported function {name}")) });
        };
        if let Err(raised) = wasmi::Caller::data_mut(self).enter() {
            return Err(CallError {
                repr: CallErrorRepr::Engine { error: EngineError::Wasmi(wasmi::Error::host(raised)), thrown: None },
            });
        }
        let a = to_wi_buf(args);
        let mut r = to_wi_buf(results);
        let outcome = f.call(&mut *self, a.as_slice(), r.as_mut_slice());
        wasmi::Caller::data_mut(self).leave();
        match outcome {
            Ok(()) => {
                copy_back(results, r.as_slice());
                Ok(())
            }
            Err(e) => {
                let thrown = match e.downcast_ref::<Raised>() {
                    Some(Raised::Thrown(v)) => Some(*v),
                    _ => None,
                };
                Err(CallError { repr: CallErrorRepr::Engine { error: EngineError::Wasmi(e), thrown } })
            }
        }
    }

    fn global_get(&mut self, name: &str) -> Result<Val, Error> {
        let g = self.get_export(name);
        global_get(g, &*self, name)
    }

    fn restart_deadline(&mut self) {
        let fuel = wasmi::Caller::data(self).limiter.limits.deadline.map_or(u64::MAX, fuel_for);
        if let Err(e) = wasmi::Caller::set_fuel(self, fuel) {
            tracing::error!("cannot set wasmi fuel: {e}");
        }
    }

    fn global_set(&mut self, name: &str, value: Val) -> Result<(), Error> {
        let g = self.get_export(name);
        global_set(g, self, name, value)
    }
}

impl<T: 'static> CallerOps<T> for WiInstance<T> {
    fn data(&self) -> &T {
        &self.store.data().data
    }

    fn data_mut(&mut self) -> &mut T {
        &mut self.store.data_mut().data
    }

    fn memory(&mut self) -> Option<&mut [u8]> {
        let mem = self.store.data().wi_memory?;
        Some(mem.data_mut(&mut self.store))
    }

    fn memory_and_data(&mut self) -> (Option<&mut [u8]>, &mut T) {
        match self.store.data().wi_memory {
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
        let g = self.instance.get_export(&self.store, name);
        global_get(g, &self.store, name)
    }

    fn restart_deadline(&mut self) {
        // Outside a call: the next call arms its own deadline.
    }

    fn global_set(&mut self, name: &str, value: Val) -> Result<(), Error> {
        let g = self.instance.get_export(&self.store, name);
        global_set(g, &mut self.store, name, value)
    }
}

impl<T: 'static> InstanceOps<T> for WiInstance<T> {
    fn ctx(&self) -> &Ctx<T> {
        self.store.data()
    }

    fn ctx_mut(&mut self) -> &mut Ctx<T> {
        self.store.data_mut()
    }

    fn grow_memory(&mut self, pages: u64) -> bool {
        let Some(mem) = self.store.data().wi_memory else { return false };
        mem.grow(&mut self.store, pages).is_ok()
    }

    fn func(&mut self, name: &str) -> Option<(FuncInner, Option<FuncType>)> {
        let f = self.instance.get_func(&self.store, name)?;
        let ty = func_type(&f.ty(&self.store));
        Some((FuncInner::Wasmi(f), ty))
    }

    fn call_outer(&mut self, f: &FuncInner, _ty: &FuncType, args: &[Val], results: &mut [Val]) -> Result<(), Trap> {
        #[allow(irrefutable_let_patterns)]
        let FuncInner::Wasmi(f) = f
        else {
            return Err(Trap { kind: TrapKind::Other, message: "function belongs to another engine".into() });
        };
        arm(&mut self.store);
        let a = to_wi_buf(args);
        let mut r = to_wi_buf(results);
        match f.call(&mut self.store, a.as_slice(), r.as_mut_slice()) {
            Ok(()) => {
                copy_back(results, r.as_slice());
                Ok(())
            }
            Err(e) => Err(classify_error(&e, self.store.data())),
        }
    }
}
