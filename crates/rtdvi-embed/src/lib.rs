//! Sandboxed plugins for any Rust program: the rtdvi plugin host as a
//! library, with no editor inside.
//!
//! A [`PluginManager`] runs Lua 5.4 plugins (each in its own WebAssembly
//! instance, see `rtdvi-lua`) and raw WebAssembly plugins, on wasmtime or
//! wasmi, each with a memory limit and a CPU deadline per call. The host
//! gives plugins Rust closures under namespaces; plugins never see files,
//! the network or the process unless a host function hands them over.
//!
//! ```
//! use rtdvi_embed::{CallOutcome, PluginManager};
//! use std::sync::mpsc;
//! use std::time::Duration;
//!
//! enum Message { Exit(String) }
//! let (tx, rx) = mpsc::channel();
//!
//! let mut manager = PluginManager::builder()
//!     .memory_per_plugin(4 << 20)
//!     .deadline(Duration::from_millis(500))
//!     // Lua sees `math.add(1, 2)`; Lua's own `math` functions stay.
//!     .function("math", "add", |_, (a, b): (f64, f64)| Ok::<_, String>(a + b))
//!     // Messages reach the host through whatever the closure captures.
//!     .function("sys", "exit", move |ctx, (): ()| {
//!         tx.send(Message::Exit(ctx.plugin.to_owned())).map_err(|e| e.to_string())
//!     })
//!     .build()?;
//!
//! manager.load_lua("adder", r#"
//!     function update(frame)
//!         if math.add(frame, 0.5) > 2 then sys.exit() end
//!         return math.floor(math.add(frame, frame))
//!     end
//! "#)?;
//!
//! for frame in 1..=3 {
//!     for result in manager.call_all("update", (frame,)) {
//!         assert_eq!(result.outcome.returned::<i64>(), Some(2 * frame));
//!     }
//! }
//! let Ok(Message::Exit(who)) = rx.try_recv() else { panic!("no exit message") };
//! assert_eq!(who, "adder");
//! assert_eq!(manager.call("adder", "destroy", ()), CallOutcome::Missing);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Host functions
//! [`PluginManagerBuilder::function`] takes a closure
//! `Fn(&CallContext, A) -> Result<R, E>`: `A` is deserialized from the list
//! of arguments (a tuple for fixed arguments, `Vec<Value>` for variadic
//! ones, `()` for none), `R` is serialized back (`()` is `nil`), and `E` is
//! raised as an error in the plugin. Values convert as described in
//! [`Value`]'s module: numbers, strings, booleans, nil, arrays and maps.
//!
//! # Failures
//! Every call returns one [`CallOutcome`] per plugin: `Returned(value)`,
//! `Failed(error)` or `Missing` (the plugin has no such function), so "a
//! plugin returned false" and "a plugin failed" stay apart. A Lua error
//! leaves the plugin running. A fatal error (deadline, crash) stops that
//! plugin only: it is reported once, skipped afterwards, and
//! [`PluginManager::reload`] starts it again.
//!
//! # Threads
//! Lua's protected calls re-enter the WebAssembly instance through the
//! host, so deep `pcall` nesting uses native stack: run the manager on a
//! thread with [`rtdvi_lua::RECOMMENDED_STACK_BYTES`] of stack when plugins
//! are untrusted (the main thread's 8 MiB serves ordinary plugins).
//!
//! See `doc/embedding.md` for the WebAssembly plugin ABI and memory figures.

mod error;
mod host_fn;
mod lua_plugin;
mod manager;
mod value;
mod wasm_plugin;

pub use error::{BuildError, PluginError};
pub use host_fn::CallContext;
pub use manager::{
    CallOutcome, LoadReport, PluginKind, PluginManager, PluginManagerBuilder, PluginOutcome, PluginStatus,
};
pub use rtdvi_lua::EngineKind;
pub use value::Value;

#[cfg(test)]
mod tests;
