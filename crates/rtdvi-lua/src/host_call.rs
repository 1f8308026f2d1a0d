//! Synchronous calls from Lua to the host, and from the host back into the
//! same Lua state while it handles one.
//!
//! Lua code calls `require("rtdvi").call(name, ...)`; the guest encodes the
//! arguments (no JSON) and the `rtdvi.call` import hands them to the
//! [`LuaHost`] given to [`crate::LuaRuntime::exec_with`] or
//! [`crate::LuaRuntime::call_with`]. The host answers with results, or with
//! an error value that Lua raises (a string gets the caller's `file:line:`
//! prefix, like `error`). While answering, the host may run more Lua in the
//! same state through the [`Reentry`] it is given — a Lua callback calling
//! the editor API, which fires another Lua callback — to any depth Lua's C
//! stack allows (about 40 levels). Nested code runs on the thread (coroutine)
//! that made the call, above its stack, and leaves that stack as it was.
//!
//! A nested call that ends fatally (deadline, trap) cannot be survived: the
//! host sees the error, and when it returns, the outermost call fails with
//! the original error and the runtime discards the instance.

use crate::error::LuaError;
use crate::guest::GuestOps;
use crate::runtime::{call_on, exec_on, release_on};
use crate::value::{CallbackId, LuaValue};

/// What Lua reaches with `require("rtdvi").call(name, ...)`.
pub trait LuaHost {
    /// Handles call `name` with its arguments; `Err` is raised in Lua.
    /// `lua` runs more Lua in the calling state before answering.
    fn call(&mut self, lua: &mut Reentry<'_>, name: &str, args: Vec<LuaValue>) -> Result<Vec<LuaValue>, LuaValue>;
}

/// A host without functions: every call raises an error naming it.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoHost;

impl LuaHost for NoHost {
    fn call(&mut self, _lua: &mut Reentry<'_>, name: &str, _args: Vec<LuaValue>) -> Result<Vec<LuaValue>, LuaValue> {
        Err(LuaValue::string(format!("no host function '{name}' here")))
    }
}

/// The Lua state that made the host call being handled, open for nested
/// calls.
pub struct Reentry<'a> {
    pub(crate) guest: &'a mut dyn GuestOps,
}

impl std::fmt::Debug for Reentry<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reentry").finish_non_exhaustive()
    }
}

impl Reentry<'_> {
    /// Runs a chunk in the calling state; its host calls go to `host`.
    pub fn exec_with(
        &mut self,
        host: &mut dyn LuaHost,
        chunk_name: &str,
        source: &str,
    ) -> Result<Vec<LuaValue>, LuaError> {
        crate::host_slot::with_host(host, || exec_on(self.guest, chunk_name, source))
    }

    /// Calls a registered Lua function; its host calls go to `host`.
    pub fn call_with(
        &mut self,
        host: &mut dyn LuaHost,
        callback: CallbackId,
        args: &[LuaValue],
    ) -> Result<Vec<LuaValue>, LuaError> {
        crate::host_slot::with_host(host, || call_on(self.guest, callback, args))
    }

    /// [`Reentry::exec_with`] with no host functions.
    pub fn exec(&mut self, chunk_name: &str, source: &str) -> Result<Vec<LuaValue>, LuaError> {
        self.exec_with(&mut NoHost, chunk_name, source)
    }

    /// [`Reentry::call_with`] with no host functions.
    pub fn call(&mut self, callback: CallbackId, args: &[LuaValue]) -> Result<Vec<LuaValue>, LuaError> {
        self.call_with(&mut NoHost, callback, args)
    }

    /// Makes this re-entry reachable with [`with_lent`] while `f` runs: for
    /// code that the host calls without handing it the re-entry (an editor
    /// firing callbacks from inside an API call).
    pub fn lend<R>(&mut self, f: impl FnOnce() -> R) -> R {
        crate::host_slot::lend(crate::host_slot::ANY_STATE, self, f)
    }

    /// [`Reentry::lend`] for one Lua state among several: only
    /// [`with_lent_to`] with the same `key` takes it.
    pub fn lend_as<R>(&mut self, key: usize, f: impl FnOnce() -> R) -> R {
        crate::host_slot::lend(key, self, f)
    }

    /// Returns and clears what the guest printed so far (see
    /// [`crate::LuaRuntime::take_output`]).
    pub fn take_output(&mut self) -> crate::Output {
        std::mem::take(&mut self.guest.host().output)
    }

    /// Forgets a callback id (see [`crate::LuaRuntime::release`]).
    pub fn release(&mut self, callback: CallbackId) -> Result<bool, LuaError> {
        release_on(self.guest, callback)
    }
}

/// Runs `f` with the innermost re-entry lent on this thread by
/// [`Reentry::lend`]; `None` when no host call is being handled.
pub fn with_lent<R>(f: impl for<'r> FnOnce(&'r mut Reentry<'r>) -> R) -> Option<R> {
    crate::host_slot::with_lent(crate::host_slot::ANY_STATE, f)
}

/// [`with_lent`] for the state lent under `key` by [`Reentry::lend_as`].
pub fn with_lent_to<R>(key: usize, f: impl for<'r> FnOnce(&'r mut Reentry<'r>) -> R) -> Option<R> {
    crate::host_slot::with_lent(key, f)
}

/// The `rtdvi.call` import: decodes the call, lets the innermost host
/// handle it and leaves the encoded answer for `fetch`. Returns the
/// payload's length `n`, or `-(n + 1)` for an error.
pub(crate) fn handle(guest: &mut dyn GuestOps, name: &[u8], args: &[u8]) -> i32 {
    let name = String::from_utf8_lossy(name);
    let outcome = match crate::value::decode_list(args) {
        // A WebAssembly library's function: answered here, for every host.
        Ok(values) if name.starts_with(crate::wasm_module::CALL_PREFIX) => {
            let target = name.get(crate::wasm_module::CALL_PREFIX.len()..).unwrap_or_default();
            // `ok, value`: the stub raises the message at its caller's line.
            Ok(match guest.host().modules.call(target, &values) {
                Ok(v) => vec![LuaValue::Boolean(true), v],
                Err(message) => vec![LuaValue::Boolean(false), LuaValue::string(message)],
            })
        }
        Ok(values) => crate::host_slot::with_current(|host| {
            let mut lua = Reentry { guest: &mut *guest };
            host.call(&mut lua, &name, values)
        })
        .unwrap_or_else(|| Err(LuaValue::string(format!("no host function '{name}' here")))),
        Err(e) => Err(LuaValue::string(e.to_string())),
    };
    let encoded = match outcome {
        Ok(values) => crate::value::encode_list(&values).map(|bytes| (bytes, true)),
        Err(value) => crate::value::encode_list(std::slice::from_ref(&value)).map(|bytes| (bytes, false)),
    };
    let (bytes, ok) = encoded.unwrap_or_else(|e| {
        let why = LuaValue::string(format!("{name}: {e}"));
        (crate::value::encode_list(&[why]).unwrap_or_default(), false)
    });
    let host = guest.host();
    match i32::try_from(bytes.len()) {
        Ok(len) => {
            host.pending = bytes;
            if ok {
                len
            } else {
                -len - 1
            }
        }
        Err(_) => {
            host.pending = crate::value::encode_list(&[LuaValue::string("result too large")]).unwrap_or_default();
            -(host.pending.len() as i32) - 1
        }
    }
}
