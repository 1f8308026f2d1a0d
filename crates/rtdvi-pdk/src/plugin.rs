//! The [`Plugin`] trait and the glue behind [`crate::export_plugin!`].
//!
//! A plugin is one value of a type implementing [`Plugin`], created by
//! `rtdvi_init` and kept in a [`Slot`] (a static) between calls. The glue
//! functions here take the host's strings as bytes and return the ABI's
//! integers; the macro only adds the `extern "C"` shells, so everything below
//! is compiled and tested on the host too.
//!
//! Choices the ABI leaves open:
//! - A command or manager hook that returns `Err(msg)` logs `msg` (the user
//!   sees `NAME: msg`) and returns 1, which the host reports as a failed
//!   command.
//! - A call arriving while another is running in the same plugin (the host
//!   re-entering it from inside an import) is refused with -1 rather than
//!   aliasing the plugin's state.
//! - `rtdvi_init` installs a panic hook that logs the panic message, so a
//!   plugin bug shows up as a readable line before the host reports the trap.

use std::sync::{Mutex, TryLockError};

use crate::host::{self, Buffer};
use crate::json::Json;

/// One editor event as delivered to `on_event`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The event's name (`buffer_opened`, `buffer_changed`, ...): its `"event"` member.
    pub kind: String,
    /// The whole JSON object (buffer id, path, filetype, range, ... where they apply).
    pub data: Json,
}

impl Event {
    /// Parses the host's JSON; an event without an `"event"` name has kind `""`.
    pub fn parse(json: &str) -> Result<Event, crate::json::JsonError> {
        let data = Json::parse(json)?;
        let kind = data.get("event").and_then(Json::as_str).unwrap_or_default().to_string();
        Ok(Event { kind, data })
    }
}

/// What a plugin does. Only `init` is required; the other methods are called
/// for the exports named in [`crate::export_plugin!`].
pub trait Plugin: Sized + Send + 'static {
    /// `rtdvi_init`: `config` is the table from config.toml (`{}` for a plain
    /// name). Register commands, providers and keys here. `Err` refuses the
    /// plugin; the message is logged.
    fn init(config: &Json) -> Result<Self, String>;

    /// `run_command`: `:name args...`, arguments split as the host documents.
    fn command(&mut self, name: &str, args: &[String]) -> Result<(), String> {
        let _ = args;
        Err(format!("no handler for command {name}"))
    }

    /// `on_event`: one editor event.
    fn event(&mut self, event: &Event) {
        let _ = event;
    }

    /// `compute_indent`: the indent of the new line after `prev_row` of `buf`;
    /// `None` lets the editor use its built-in indent.
    fn indent(&mut self, buf: Buffer, prev_row: u32) -> Option<String> {
        let _ = (buf, prev_row);
        None
    }

    /// `load_plugin` (plugin managers): load sub-plugin `name` from `source`.
    fn load_plugin(&mut self, name: &str, source: &str) -> Result<(), String> {
        let _ = source;
        Err(format!("cannot load {name}: not a plugin manager"))
    }

    /// `unload_plugin` (plugin managers): unload sub-plugin `name`.
    fn unload_plugin(&mut self, name: &str) -> Result<(), String> {
        Err(format!("cannot unload {name}: not a plugin manager"))
    }
}

/// Where the plugin value lives between calls (a `static`).
pub struct Slot<P>(Mutex<Option<P>>);

impl<P: Plugin> Slot<P> {
    /// An empty slot, for a `static`.
    pub const fn new() -> Self {
        Slot(Mutex::new(None))
    }

    /// Runs `f` on the plugin; `None` before a successful init or on re-entry.
    fn with<R>(&self, f: impl FnOnce(&mut P) -> R) -> Option<R> {
        let mut guard = match self.0.try_lock() {
            Ok(g) => g,
            // A panic cannot unwind on wasm (panic=abort); in native tests the
            // state is still usable.
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
            Err(TryLockError::WouldBlock) => return None,
        };
        guard.as_mut().map(f)
    }

    fn set(&self, p: P) -> bool {
        match self.0.try_lock() {
            Ok(mut g) => {
                *g = Some(p);
                true
            }
            Err(TryLockError::Poisoned(e)) => {
                *e.into_inner() = Some(p);
                true
            }
            Err(TryLockError::WouldBlock) => false,
        }
    }
}

impl<P: Plugin> Default for Slot<P> {
    fn default() -> Self {
        Self::new()
    }
}

fn utf8(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn report(result: Option<Result<(), String>>) -> i32 {
    match result {
        Some(Ok(())) => 0,
        Some(Err(msg)) => {
            host::log(&msg);
            1
        }
        None => -1,
    }
}

/// `rtdvi_init`: 0 accepts the plugin.
pub fn init<P: Plugin>(slot: &Slot<P>, config: &[u8]) -> i32 {
    #[cfg(target_arch = "wasm32")]
    std::panic::set_hook(Box::new(|info| host::log(&format!("panic: {info}"))));
    let text = utf8(config);
    let config = if text.trim().is_empty() { Ok(Json::Object(Vec::new())) } else { Json::parse(&text) };
    let config = match config {
        Ok(c) => c,
        Err(e) => {
            host::log(&format!("config: {e}"));
            return 1;
        }
    };
    match P::init(&config) {
        Ok(p) => {
            if slot.set(p) {
                0
            } else {
                -1
            }
        }
        Err(msg) => {
            host::log(&msg);
            1
        }
    }
}

/// `run_command`: `args` is a JSON array of strings.
pub fn command<P: Plugin>(slot: &Slot<P>, name: &[u8], args: &[u8]) -> i32 {
    let name = utf8(name);
    let args = utf8(args);
    let args: Vec<String> = match Json::parse(&args) {
        Ok(Json::Array(items)) => items.iter().map(|a| a.as_str().unwrap_or_default().to_string()).collect(),
        // Hosts may pass nothing for a command without arguments.
        _ if args.trim().is_empty() => Vec::new(),
        _ => return report(Some(Err(format!("{name}: arguments are not a JSON array: {args}")))),
    };
    report(slot.with(|p| p.command(&name, &args)))
}

/// `on_event`: malformed JSON is logged and dropped.
pub fn event<P: Plugin>(slot: &Slot<P>, json: &[u8]) {
    match Event::parse(&utf8(json)) {
        Ok(e) => {
            slot.with(|p| p.event(&e));
        }
        Err(e) => host::log(&format!("on_event: {e}")),
    }
}

/// `compute_indent`: writes the indent into `out` (at most its length) and
/// returns the byte count, 0 for no indent, -1 to fall back to the built-in
/// indent (no answer, or an answer that does not fit).
pub fn indent<P: Plugin>(slot: &Slot<P>, buf: i32, prev_row: i32, out: &mut [u8]) -> i32 {
    let Ok(row) = u32::try_from(prev_row) else { return -1 };
    match slot.with(|p| p.indent(Buffer(buf), row)) {
        Some(Some(s)) if s.len() <= out.len() => {
            out[..s.len()].copy_from_slice(s.as_bytes());
            s.len() as i32
        }
        _ => -1,
    }
}

/// `load_plugin`: 0 on success.
pub fn load_plugin<P: Plugin>(slot: &Slot<P>, name: &[u8], source: &[u8]) -> i32 {
    let (name, source) = (utf8(name), utf8(source));
    report(slot.with(|p| p.load_plugin(&name, &source)))
}

/// `unload_plugin`: 0 on success.
pub fn unload_plugin<P: Plugin>(slot: &Slot<P>, name: &[u8]) -> i32 {
    let name = utf8(name);
    report(slot.with(|p| p.unload_plugin(&name)))
}

/// Defines the ABI exports for a [`Plugin`] type.
///
/// `alloc`, `dealloc` and `rtdvi_init` are always there (the kit exports the
/// first two). List the optional exports the plugin implements, so the host
/// only calls what exists (a plugin without `on_event` costs nothing per
/// event): `command` (`run_command`), `event` (`on_event`), `indent`
/// (`compute_indent`), `manager` (`load_plugin` and `unload_plugin`).
///
/// ```text
/// rtdvi_pdk::export_plugin!(WordCount: command);
/// ```
///
/// The shells exist only on `wasm32`; on other targets the macro defines the
/// slot, and tests call the [`Plugin`] methods directly.
#[macro_export]
macro_rules! export_plugin {
    ($ty:ty $(: $($export:ident),* $(,)?)?) => {
        // Unused on native targets, where tests call the Plugin methods directly.
        #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
        static __RTDVI_PLUGIN: $crate::Slot<$ty> = $crate::Slot::new();

        #[cfg(target_arch = "wasm32")]
        #[no_mangle]
        pub extern "C" fn rtdvi_init(cfg_ptr: i32, cfg_len: i32) -> i32 {
            // SAFETY: the host keeps the config block alive until we return.
            let cfg = unsafe { $crate::__private::borrow(cfg_ptr, cfg_len) };
            $crate::__private::init(&__RTDVI_PLUGIN, cfg)
        }

        $($($crate::export_plugin!(@export $ty, $export);)*)?
    };

    (@export $ty:ty, command) => {
        #[cfg(target_arch = "wasm32")]
        #[no_mangle]
        pub extern "C" fn run_command(name_ptr: i32, name_len: i32, args_ptr: i32, args_len: i32) -> i32 {
            // SAFETY: the host keeps both blocks alive until we return.
            let (name, args) =
                unsafe { ($crate::__private::borrow(name_ptr, name_len), $crate::__private::borrow(args_ptr, args_len)) };
            $crate::__private::command(&__RTDVI_PLUGIN, name, args)
        }
    };

    (@export $ty:ty, event) => {
        #[cfg(target_arch = "wasm32")]
        #[no_mangle]
        pub extern "C" fn on_event(json_ptr: i32, json_len: i32) {
            // SAFETY: the host keeps the block alive until we return.
            let json = unsafe { $crate::__private::borrow(json_ptr, json_len) };
            $crate::__private::event(&__RTDVI_PLUGIN, json)
        }
    };

    (@export $ty:ty, indent) => {
        #[cfg(target_arch = "wasm32")]
        #[no_mangle]
        pub extern "C" fn compute_indent(buf_id: i32, prev_row: i32, result_ptr: i32, result_max: i32) -> i32 {
            // SAFETY: the host allocated `result_max` bytes at `result_ptr` for
            // the answer; it keeps ownership (the kit does not free them).
            let out = unsafe { $crate::__private::out_slice(result_ptr, result_max) };
            $crate::__private::indent(&__RTDVI_PLUGIN, buf_id, prev_row, out)
        }
    };

    (@export $ty:ty, manager) => {
        #[cfg(target_arch = "wasm32")]
        #[no_mangle]
        pub extern "C" fn load_plugin(name_ptr: i32, name_len: i32, src_ptr: i32, src_len: i32) -> i32 {
            // SAFETY: the host keeps both blocks alive until we return.
            let (name, src) =
                unsafe { ($crate::__private::borrow(name_ptr, name_len), $crate::__private::borrow(src_ptr, src_len)) };
            $crate::__private::load_plugin(&__RTDVI_PLUGIN, name, src)
        }

        #[cfg(target_arch = "wasm32")]
        #[no_mangle]
        pub extern "C" fn unload_plugin(name_ptr: i32, name_len: i32) -> i32 {
            // SAFETY: the host keeps the block alive until we return.
            let name = unsafe { $crate::__private::borrow(name_ptr, name_len) };
            $crate::__private::unload_plugin(&__RTDVI_PLUGIN, name)
        }
    };
}

/// `(ptr, len)` of host-owned guest memory as a mutable slice (empty when null
/// or negative).
///
/// # Safety
/// The range must be valid, writable memory of this module not aliased by
/// any live reference.
pub unsafe fn out_slice<'a>(ptr: i32, len: i32) -> &'a mut [u8] {
    match usize::try_from(len) {
        Ok(n) if n > 0 && ptr != 0 => unsafe { std::slice::from_raw_parts_mut(ptr as u32 as usize as *mut u8, n) },
        _ => &mut [],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    struct Echo {
        greeting: String,
        events: Vec<String>,
    }

    impl Plugin for Echo {
        fn init(config: &Json) -> Result<Self, String> {
            if config.get("refuse").is_some() {
                return Err("refused by config".into());
            }
            host::register_command("echo").map_err(|e| e.to_string())?;
            let greeting = config.get("greeting").and_then(Json::as_str).unwrap_or("hi").to_string();
            Ok(Echo { greeting, events: Vec::new() })
        }
        fn command(&mut self, _name: &str, args: &[String]) -> Result<(), String> {
            if args.is_empty() {
                return Err("echo: needs an argument".into());
            }
            host::set_status(&format!("{} {}", self.greeting, args.join("+")));
            Ok(())
        }
        fn event(&mut self, event: &Event) {
            self.events.push(event.kind.clone());
        }
        fn indent(&mut self, _buf: Buffer, prev_row: u32) -> Option<String> {
            (prev_row < 10).then(|| " ".repeat(prev_row as usize))
        }
    }

    #[test]
    fn the_glue_speaks_the_abi() {
        testing::reset();
        let slot = Slot::<Echo>::new();
        assert_eq!(command(&slot, b"echo", b"[]"), -1, "before init");
        assert_eq!(init(&slot, br#"{"greeting":"yo"}"#), 0);
        assert_eq!(command(&slot, b"echo", br#"["a","b c"]"#), 0);
        assert_eq!(command(&slot, b"echo", b"[]"), 1);
        assert_eq!(command(&slot, b"echo", b"not json"), 1);
        testing::with(|h| {
            assert_eq!(h.commands, ["echo"]);
            assert_eq!(h.status, ["yo a+b c"]);
            assert_eq!(h.log.len(), 2);
            assert_eq!(h.log[0], "echo: needs an argument");
        });
        event(&slot, br#"{"event":"buffer_saved","buf":1}"#);
        event(&slot, b"{");
        assert_eq!(slot.with(|p| p.events.clone()), Some(vec!["buffer_saved".to_string()]));
        let mut out = [0u8; 4];
        assert_eq!(indent(&slot, 1, 3, &mut out), 3);
        assert_eq!(&out[..3], b"   ");
        assert_eq!(indent(&slot, 1, 6, &mut out), -1, "does not fit");
        assert_eq!(indent(&slot, 1, 20, &mut out), -1, "no answer");
        assert_eq!(indent(&slot, 1, 0, &mut out), 0);
        assert_eq!(load_plugin(&slot, b"x", b""), 1);
    }

    #[test]
    fn init_refusals() {
        testing::reset();
        let slot = Slot::<Echo>::new();
        assert_eq!(init(&slot, br#"{"refuse":true}"#), 1);
        assert_eq!(init(&slot, b"{oops"), 1);
        assert_eq!(command(&slot, b"echo", br#"["a"]"#), -1);
        assert_eq!(init(&slot, b""), 0, "an empty config is {{}}");
    }

    #[test]
    fn reentry_is_refused() {
        testing::reset();
        let slot = Slot::<Echo>::new();
        assert_eq!(init(&slot, b"{}"), 0);
        let inner = slot.with(|_| command(&slot, b"echo", br#"["a"]"#));
        assert_eq!(inner, Some(-1));
    }
}
