//! `LuaRuntime`: one Lua state in one sandboxed WebAssembly instance.

use crate::error::{LuaError, LuaErrorKind};
use crate::guest::Guest;
use crate::host::{EngineKind, Limits, ModuleSource, Output, RequireFn};
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

fn instantiate(engine: EngineKind, limits: &Limits) -> Result<Guest, LuaError> {
    let mut backend = Guest::new(engine, limits)?;
    let status = backend.call("rtdvi_lua_open", &[])?;
    if status != 0 {
        let err = read_error(&mut backend, status)?;
        return Err(LuaError::Setup(err.to_string()));
    }
    Ok(backend)
}

fn read_out(backend: &mut Guest) -> Result<Vec<LuaValue>, LuaError> {
    let ptr = backend.call("rtdvi_out_ptr", &[])?;
    let len = backend.call("rtdvi_out_len", &[])?;
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

fn read_error(backend: &mut Guest, status: i32) -> Result<LuaError, LuaError> {
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
fn put(backend: &mut Guest, bytes: &[u8]) -> Result<(i32, i32), LuaError> {
    let len = i32::try_from(bytes.len()).map_err(|_| LuaError::Protocol("input too large for the Lua guest".into()))?;
    let ptr = backend.call("rtdvi_alloc", &[len])?;
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
        Ok(backend.call("rtdvi_lua_memory", &[])? as u32 as usize)
    }

    /// Compiles `source` (text only) under `chunk_name` and runs it,
    /// returning what the chunk returns. A chunk name without `@` or `=`
    /// shows as `[string "name"]` in messages, as in Lua.
    pub fn exec(&mut self, chunk_name: &str, source: &str) -> Result<Vec<LuaValue>, LuaError> {
        let result = self.with_backend(|backend| {
            let (name_ptr, name_len) = put(backend, chunk_name.as_bytes())?;
            let (src_ptr, src_len) = match put(backend, source.as_bytes()) {
                Ok(buf) => buf,
                Err(e) => {
                    backend.call("rtdvi_free", &[name_ptr])?;
                    return Err(e);
                }
            };
            let status = backend.call("rtdvi_lua_exec", &[name_ptr, name_len, src_ptr, src_len])?;
            backend.call("rtdvi_free", &[name_ptr])?;
            backend.call("rtdvi_free", &[src_ptr])?;
            finish(backend, status)
        });
        self.settle(result)
    }

    /// Calls the Lua function registered as `callback` with `args`.
    pub fn call(&mut self, callback: CallbackId, args: &[LuaValue]) -> Result<Vec<LuaValue>, LuaError> {
        let encoded = encode_list(args)?;
        let result = self.with_backend(|backend| {
            let (ptr, len) = put(backend, &encoded)?;
            let status = backend.call("rtdvi_lua_call", &[callback.0 as i32, ptr, len])?;
            backend.call("rtdvi_free", &[ptr])?;
            finish(backend, status)
        });
        self.settle(result)
    }

    /// Forgets a callback id so its function can be collected; false if
    /// the id was not registered.
    pub fn release(&mut self, callback: CallbackId) -> Result<bool, LuaError> {
        let result = self.with_backend(|backend| Ok(backend.call("rtdvi_lua_unref", &[callback.0 as i32])? != 0));
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

fn finish(backend: &mut Guest, status: i32) -> Result<Vec<LuaValue>, LuaError> {
    if status == 0 {
        read_out(backend)
    } else {
        Err(read_error(backend, status)?)
    }
}
