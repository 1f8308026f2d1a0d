//! `LuaRuntime`: one Lua state in one sandboxed WebAssembly instance.

use crate::error::{LuaError, LuaErrorKind};
use crate::guest::{Export, Guest, GuestOps};
use crate::host::{EngineKind, Limits, ModuleSource, Output, RequireFn};
use crate::host_call::{LuaHost, NoHost};
use crate::image::{ImageSource, Loaded, Recipe};
use crate::value::{decode_list, encode_list, CallbackId, LuaValue};

/// A Lua 5.4 interpreter running in its own WebAssembly instance.
///
/// Lua errors come back as [`LuaError::Lua`] and leave the runtime usable.
/// A deadline, an engine trap or a crash discards the instance (its Lua
/// state may hold dangling pointers); later calls fail with
/// [`LuaError::Discarded`] until [`LuaRuntime::restart`].
pub struct LuaRuntime {
    engine: EngineKind,
    limits: Limits,
    backend: Option<Guest>,
    /// Kept here while no instance exists (between a discard and a restart).
    require: Option<RequireFn>,
}

impl std::fmt::Debug for LuaRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LuaRuntime")
            .field("engine", &self.engine)
            .field("limits", &self.limits)
            .field("alive", &self.backend.is_some())
            .finish()
    }
}

const OPEN: Export = Export("rtdvi_lua_open", 1);
const EXEC: Export = Export("rtdvi_lua_exec", 1);
const CALL: Export = Export("rtdvi_lua_call", 1);
const UNREF: Export = Export("rtdvi_lua_unref", 1);
const MEMORY: Export = Export("rtdvi_lua_memory", 1);
const ALLOC: Export = Export("rtdvi_alloc", 1);
const FREE: Export = Export("rtdvi_free", 0);
const OUT_PTR: Export = Export("rtdvi_out_ptr", 1);
const OUT_LEN: Export = Export("rtdvi_out_len", 1);

/// A new instance with an open Lua state: restored from the engine's
/// snapshot of one (`snapshot.rs`), or opened the long way.
fn instantiate(engine: EngineKind, limits: &Limits) -> Result<Guest, LuaError> {
    let snapshot = crate::snapshot::get(engine, || {
        // Generous limits: the captured state must not depend on them.
        let template = Limits { deadline: std::time::Duration::from_secs(60), fuel: u64::MAX / 4, ..Limits::default() };
        Ok((Guest::new(engine, &template)?, open(Guest::new(engine, &template)?)?))
    });
    let backend = Guest::new(engine, limits)?;
    let Some(snapshot) = snapshot else { return open(backend) };
    let mut backend = backend;
    snapshot.restore(&mut backend)?;
    reseed(&mut backend)?;
    Ok(backend)
}

/// Each state draws its own random numbers (Lua seeds from the time in
/// seconds and the state's address, the same in every restored instance).
fn reseed(backend: &mut Guest) -> Result<(), LuaError> {
    let (a, b) = seeds();
    exec_on(backend, "=rtdvi", &format!("math.randomseed({a}, {b})"))?;
    Ok(())
}

/// A new instance holding `image`, or why it could not be restored.
fn restore_image(engine: EngineKind, limits: &Limits, image: &crate::image::Image) -> Result<Guest, String> {
    let mut backend = Guest::new(engine, limits).map_err(|e| e.to_string())?;
    image.restore(&mut backend)?;
    reseed(&mut backend).map_err(|e| e.to_string())?;
    Ok(backend)
}

/// A new instance brought to `recipe`'s start: restored from its image
/// (this process's, then the cache directory's), else built by `build` on
/// a new state and captured for next time (see `image.rs`).
fn prepare(
    engine: EngineKind,
    limits: &Limits,
    recipe: &Recipe<'_>,
    build: &mut dyn FnMut(&mut LuaRuntime) -> Result<(), LuaError>,
) -> Result<(Guest, ImageSource), LuaError> {
    if !crate::guest::start_images() {
        let mut rt = LuaRuntime::new(engine, limits.clone())?;
        build(&mut rt)?;
        return Ok((rt.backend.take().ok_or(LuaError::Discarded)?, ImageSource::Built));
    }
    prepare_at(engine, limits, recipe, build, crate::guest::cache_dir(), true)
}

/// [`prepare`] with the image directory `dir`, looking in this process's
/// images first when `in_process` (tests turn it off to act as a new
/// process).
pub(crate) fn prepare_at(
    engine: EngineKind,
    limits: &Limits,
    recipe: &Recipe<'_>,
    build: &mut dyn FnMut(&mut LuaRuntime) -> Result<(), LuaError>,
    dir: Option<&std::path::Path>,
    in_process: bool,
) -> Result<(Guest, ImageSource), LuaError> {
    let (key, keyed_by_executable) = crate::image::key(engine, recipe);
    if let Some(image) = crate::image::in_memory(&key).filter(|_| in_process) {
        if let Ok(backend) = restore_image(engine, limits, &image) {
            return Ok((backend, ImageSource::Memory));
        }
    }
    let dir = dir.filter(|_| keyed_by_executable);
    let mut path = dir.map(|d| crate::image::file_path(d, engine, recipe, &key));
    let mut rejected = None;
    match path.as_deref().map(|p| crate::image::load(p, &key)) {
        Some(Loaded::Image(image)) => match restore_image(engine, limits, &image) {
            Ok(backend) => {
                crate::image::remember(std::sync::Arc::new(image));
                return Ok((backend, ImageSource::Disk));
            }
            // Not the file's fault (a memory limit below the image's
            // size): build the long way and keep the file.
            Err(_) => path = None,
        },
        Some(Loaded::Rejected(why)) => rejected = Some(why),
        Some(Loaded::Missing) | None => {}
    }
    let mut rt = LuaRuntime::new(engine, limits.clone())?;
    build(&mut rt)?;
    let mut backend = rt.backend.take().ok_or(LuaError::Discarded)?;
    if let Some(image) = crate::image::capture(engine, &mut backend, key) {
        if let Some(path) = &path {
            crate::image::store(path, engine, recipe, &image);
        }
        crate::image::remember(std::sync::Arc::new(image));
    }
    Ok((backend, rejected.map_or(ImageSource::Built, ImageSource::Rejected)))
}

/// Two seeds no other state of this process gets.
fn seeds() -> (i64, i64) {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    // RandomState is keyed randomly per process.
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(n);
    let a = h.finish();
    h.write_u64(a);
    (a as i64, h.finish() as i64)
}

/// Opens Lua in a new instance.
fn open(mut backend: Guest) -> Result<Guest, LuaError> {
    let status = GuestOps::call(&mut backend, OPEN, &[])?;
    if status != 0 {
        let err = read_error(&mut backend, status)?;
        return Err(LuaError::Setup(err.to_string()));
    }
    Ok(backend)
}

fn read_out(backend: &mut dyn GuestOps) -> Result<Vec<LuaValue>, LuaError> {
    let ptr = backend.call(OUT_PTR, &[])?;
    let len = backend.call(OUT_LEN, &[])?;
    if len == 0 {
        return Ok(Vec::new());
    }
    decode_list(&backend.read(ptr, len)?)
}

fn lossy(value: Option<&LuaValue>) -> String {
    match value {
        Some(LuaValue::String(s)) => String::from_utf8_lossy(s).into_owned(),
        _ => String::new(),
    }
}

fn read_error(backend: &mut dyn GuestOps, status: i32) -> Result<LuaError, LuaError> {
    let kind = match status {
        3 => LuaErrorKind::Syntax,
        4 => LuaErrorKind::Memory,
        5 => LuaErrorKind::Handler,
        _ => LuaErrorKind::Runtime,
    };
    let mut values = read_out(backend)?;
    let mut message = lossy(values.get(1));
    if message.is_empty() {
        message = match kind {
            LuaErrorKind::Memory => "not enough memory".into(),
            _ => "unknown Lua error".into(),
        };
    }
    let traceback = lossy(values.get(2));
    let value = if values.is_empty() { LuaValue::string(message.clone()) } else { values.swap_remove(0) };
    Ok(LuaError::Lua { kind, message, traceback, value: Box::new(value) })
}

/// Copies bytes into a fresh guest buffer; 0-length input still allocates.
fn put(backend: &mut dyn GuestOps, bytes: &[u8]) -> Result<(i32, i32), LuaError> {
    let len = i32::try_from(bytes.len()).map_err(|_| LuaError::Protocol("input too large for the Lua guest".into()))?;
    let ptr = backend.call(ALLOC, &[len])?;
    if ptr == 0 {
        return Err(LuaError::Lua {
            kind: LuaErrorKind::Memory,
            message: "not enough memory".into(),
            traceback: String::new(),
            value: Box::new(LuaValue::string("not enough memory")),
        });
    }
    backend.write(ptr, bytes)?;
    Ok((ptr, len))
}

impl LuaRuntime {
    /// Starts a Lua state on `engine` within `limits`.
    pub fn new(engine: EngineKind, limits: Limits) -> Result<Self, LuaError> {
        let backend = instantiate(engine, &limits)?;
        Ok(LuaRuntime { engine, limits, backend: Some(backend), require: None })
    }

    /// A state on `engine` within `limits` brought to `recipe`'s start by
    /// `build`, or restored from the image of such a state when one exists
    /// (kept in this process and in the module cache directory, see
    /// [`crate::set_module_cache`]). `build` must leave nothing but Lua
    /// state behind: it runs without a `require` finder, and a state whose
    /// build printed or loaded a WebAssembly library is not captured.
    pub fn prepared(
        engine: EngineKind,
        limits: Limits,
        recipe: &Recipe<'_>,
        build: &mut dyn FnMut(&mut LuaRuntime) -> Result<(), LuaError>,
    ) -> Result<(Self, ImageSource), LuaError> {
        let (backend, source) = prepare(engine, &limits, recipe, build)?;
        Ok((LuaRuntime::from_backend(engine, limits, backend), source))
    }

    pub(crate) fn from_backend(engine: EngineKind, limits: Limits, backend: Guest) -> Self {
        LuaRuntime { engine, limits, backend: Some(backend), require: None }
    }

    /// [`LuaRuntime::restart`] into `recipe`'s start (see
    /// [`LuaRuntime::prepared`]); the `require` finder is kept.
    pub fn restart_prepared(
        &mut self,
        recipe: &Recipe<'_>,
        build: &mut dyn FnMut(&mut LuaRuntime) -> Result<(), LuaError>,
    ) -> Result<ImageSource, LuaError> {
        self.discard();
        let (mut backend, source) = prepare(self.engine, &self.limits, recipe, build)?;
        backend.host().require = self.require.take();
        self.backend = Some(backend);
        Ok(source)
    }

    /// The engine this runtime runs on.
    pub fn engine(&self) -> EngineKind {
        self.engine
    }

    /// False once a deadline or trap discarded the instance.
    pub fn is_alive(&self) -> bool {
        self.backend.is_some()
    }

    /// Replaces the instance with a fresh Lua state (globals are lost).
    pub fn restart(&mut self) -> Result<(), LuaError> {
        self.discard();
        let mut backend = instantiate(self.engine, &self.limits)?;
        backend.host().require = self.require.take();
        self.backend = Some(backend);
        Ok(())
    }

    fn discard(&mut self) {
        if let Some(mut backend) = self.backend.take() {
            self.require = backend.host().require.take();
        }
    }

    /// Sets how `require` finds modules that are not in `package.loaded`
    /// or `package.preload`: the host decides what is allowed.
    pub fn set_require(&mut self, f: impl FnMut(&str) -> Result<ModuleSource, String> + Send + 'static) {
        match self.backend.as_mut() {
            Some(b) => b.host().require = Some(Box::new(f)),
            None => self.require = Some(Box::new(f)),
        }
    }

    /// Returns and clears what the guest printed so far.
    pub fn take_output(&mut self) -> Output {
        self.backend.as_mut().map(|b| std::mem::take(&mut b.host().output)).unwrap_or_default()
    }

    /// Bytes held by the Lua heap.
    pub fn memory_used(&mut self) -> Result<usize, LuaError> {
        let backend = self.backend.as_mut().ok_or(LuaError::Discarded)?;
        Ok(GuestOps::call(backend, MEMORY, &[])? as u32 as usize)
    }

    /// Compiles `source` (text only) under `chunk_name` and runs it,
    /// returning what the chunk returns. A chunk name without `@` or `=`
    /// shows as `[string "name"]` in messages, as in Lua. Host calls from
    /// the chunk raise an error (see [`LuaRuntime::exec_with`]).
    pub fn exec(&mut self, chunk_name: &str, source: &str) -> Result<Vec<LuaValue>, LuaError> {
        self.exec_with(&mut NoHost, chunk_name, source)
    }

    /// [`LuaRuntime::exec`] with `host` answering the chunk's
    /// `require("rtdvi").call(name, ...)` (see [`LuaHost`]).
    pub fn exec_with(
        &mut self,
        host: &mut dyn LuaHost,
        chunk_name: &str,
        source: &str,
    ) -> Result<Vec<LuaValue>, LuaError> {
        let result = self.with_backend(|backend| {
            crate::host_slot::with_host(host, || finish_outer(backend, |b| exec_on(b, chunk_name, source)))
        });
        self.settle(result)
    }

    /// Calls the Lua function registered as `callback` with `args`.
    pub fn call(&mut self, callback: CallbackId, args: &[LuaValue]) -> Result<Vec<LuaValue>, LuaError> {
        self.call_with(&mut NoHost, callback, args)
    }

    /// [`LuaRuntime::call`] with `host` answering the function's host calls.
    pub fn call_with(
        &mut self,
        host: &mut dyn LuaHost,
        callback: CallbackId,
        args: &[LuaValue],
    ) -> Result<Vec<LuaValue>, LuaError> {
        let result = self.with_backend(|backend| {
            crate::host_slot::with_host(host, || finish_outer(backend, |b| call_on(b, callback, args)))
        });
        self.settle(result)
    }

    /// Forgets a callback id so its function can be collected; false if
    /// the id was not registered.
    pub fn release(&mut self, callback: CallbackId) -> Result<bool, LuaError> {
        let result = self.with_backend(|backend| release_on(backend, callback));
        self.settle(result)
    }

    fn with_backend<T>(&mut self, f: impl FnOnce(&mut Guest) -> Result<T, LuaError>) -> Result<T, LuaError> {
        let backend = self.backend.as_mut().ok_or(LuaError::Discarded)?;
        f(backend)
    }

    fn settle<T>(&mut self, result: Result<T, LuaError>) -> Result<T, LuaError> {
        if let Err(e) = &result {
            if e.is_fatal() {
                self.discard();
            }
        }
        result
    }
}

/// An outermost call: a nested fatal error the host swallowed must not
/// outlive it (the instance is discarded anyway).
fn finish_outer<T>(
    backend: &mut Guest,
    f: impl FnOnce(&mut dyn GuestOps) -> Result<T, LuaError>,
) -> Result<T, LuaError> {
    let result = f(backend);
    if backend.host().fatal.take().is_some() && result.is_ok() {
        return Err(LuaError::Trap("a nested call into Lua failed".into()));
    }
    result
}

/// Runs a chunk on `backend` (outermost or nested).
pub(crate) fn exec_on(backend: &mut dyn GuestOps, chunk_name: &str, source: &str) -> Result<Vec<LuaValue>, LuaError> {
    let (name_ptr, name_len) = put(backend, chunk_name.as_bytes())?;
    let (src_ptr, src_len) = match put(backend, source.as_bytes()) {
        Ok(buf) => buf,
        Err(e) => {
            backend.call(FREE, &[name_ptr])?;
            return Err(e);
        }
    };
    // A fatal error leaves the buffers behind: the instance is dropped.
    let status = backend.call(EXEC, &[name_ptr, name_len, src_ptr, src_len])?;
    backend.call(FREE, &[name_ptr])?;
    backend.call(FREE, &[src_ptr])?;
    finish(backend, status)
}

/// Calls a registered function on `backend` (outermost or nested).
pub(crate) fn call_on(
    backend: &mut dyn GuestOps,
    callback: CallbackId,
    args: &[LuaValue],
) -> Result<Vec<LuaValue>, LuaError> {
    let encoded = encode_list(args)?;
    let (ptr, len) = put(backend, &encoded)?;
    let status = backend.call(CALL, &[callback.0 as i32, ptr, len])?;
    backend.call(FREE, &[ptr])?;
    finish(backend, status)
}

/// Forgets a callback id on `backend` (outermost or nested).
pub(crate) fn release_on(backend: &mut dyn GuestOps, callback: CallbackId) -> Result<bool, LuaError> {
    Ok(backend.call(UNREF, &[callback.0 as i32])? != 0)
}

fn finish(backend: &mut dyn GuestOps, status: i32) -> Result<Vec<LuaValue>, LuaError> {
    if status == 0 {
        read_out(backend)
    } else {
        Err(read_error(backend, status)?)
    }
}
