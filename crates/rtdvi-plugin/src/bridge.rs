//! How the editor reaches the plugin host: one shared [`PluginHost`] behind the editor's three
//! hooks (ex commands, callbacks for events and key bindings, indent provider).
//!
//! The host is borrowed for the length of one plugin call. A hook reached while a plugin call
//! runs (an event fired by the plugin's own edit, a `:command` it runs through `nvim_command`)
//! finds the host busy and does nothing: plugins are never re-entered.

use std::cell::RefCell;
use std::rc::Rc;

use rtdvi_editor::editor::{CallbackHost, CommandHost};
use rtdvi_editor::events::{CallbackId, Event, EventArgs};
use rtdvi_editor::vi::IndentProvider;
use rtdvi_editor::{BufferId, Editor};

use crate::host::PluginHost;

/// Callback ids from here up belong to the plugin host; lower ones go to the host it wraps (the
/// Lua runtime's). The split is the editor's, shared with the Lua bridge.
pub const PLUGIN_CALLBACK_BASE: u32 = rtdvi_editor::events::WASM_CALLBACK_BASE;

/// The callback id of the host's event autocmds.
pub const EVENT_CALLBACK: u32 = PLUGIN_CALLBACK_BASE;

/// The ex command that manages plugins.
pub const PLUGIN_COMMAND: &str = "plugin";

/// The plugin host shared by the editor's hooks.
pub type SharedHost = Rc<RefCell<PluginHost>>;

/// Plugin ex commands and `:plugin`.
struct Commands(SharedHost);

impl CommandHost for Commands {
    fn has_command(&self, name: &str) -> bool {
        name == PLUGIN_COMMAND || self.0.try_borrow().is_ok_and(|h| h.has_command(name))
    }

    fn run_command(&mut self, editor: &mut Editor, name: &str, args: &str) -> Result<(), String> {
        let mut host = self.0.try_borrow_mut().map_err(|_| format!("E492: Not an editor command: {name}"))?;
        if name == PLUGIN_COMMAND {
            return host.plugin_command(editor, args);
        }
        host.run_command(editor, name, args)
    }

    fn command_names(&self) -> Vec<String> {
        let mut names = self.0.try_borrow().map(|h| h.command_names()).unwrap_or_default();
        names.push(PLUGIN_COMMAND.to_string());
        names
    }
}

/// Event autocmds and key bindings; other callback ids go to the wrapped host.
struct Callbacks {
    host: SharedHost,
    inner: Option<Box<dyn CallbackHost>>,
}

impl CallbackHost for Callbacks {
    fn call(&mut self, editor: &mut Editor, id: CallbackId, args: Vec<rmpv::Value>) -> Result<rmpv::Value, String> {
        if id.0 < PLUGIN_CALLBACK_BASE {
            return match self.inner.as_mut() {
                Some(inner) => inner.call(editor, id, args),
                None => Err(format!("E5108: Error executing callback {}: no plugin host can run it", id.0)),
            };
        }
        if id.0 == EVENT_CALLBACK {
            if let (Some((event, ev_args)), Ok(mut host)) = (event_of(&args), self.host.try_borrow_mut()) {
                host.dispatch_event(editor, event, &ev_args);
            }
            // `false`: the autocmd stays.
            return Ok(rmpv::Value::Boolean(false));
        }
        let Ok(mut host) = self.host.try_borrow_mut() else { return Ok(rmpv::Value::Nil) };
        match host.run_key(editor, id.0) {
            Some(r) => r.map(|()| rmpv::Value::Nil),
            None => Err("E5108: this plugin key binding is gone".to_string()),
        }
    }

    fn release(&mut self, id: CallbackId) {
        if id.0 < PLUGIN_CALLBACK_BASE {
            if let Some(inner) = self.inner.as_mut() {
                inner.release(id);
            }
        }
    }
}

/// The event and its arguments back from the autocmd callback's `{event, buf, file, match, data}`.
fn event_of(args: &[rmpv::Value]) -> Option<(Event, EventArgs)> {
    let map = args.first()?.as_map()?;
    let get = |key: &str| map.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v);
    let name = get("event")?.as_str()?;
    let event = Event::ALL.iter().copied().find(|e| e.name() == name)?;
    let text = |key: &str| get(key).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let buf = get("buf").and_then(|v| v.as_u64()).and_then(|b| u32::try_from(b).ok()).filter(|b| *b > 0).map(BufferId);
    let data = get("data").map(|d| rtdvi_editor::api::value_to_json(d).to_string());
    Some((event, EventArgs { buf, file: text("file"), matched: text("match"), data }))
}

/// `compute_indent` of provider plugins.
struct Indent(SharedHost);

impl IndentProvider for Indent {
    fn indent(&mut self, editor: &mut Editor, buffer: BufferId, row: usize) -> Option<String> {
        self.0.try_borrow_mut().ok()?.indent(editor, buffer, row)
    }
}

/// Attaches `host` to `editor` (commands, callbacks, indent). A callback host already attached
/// keeps receiving its own callback ids.
pub fn install(editor: &mut Editor, host: PluginHost) -> SharedHost {
    let shared = Rc::new(RefCell::new(host));
    editor.command_host = Some(Box::new(Commands(shared.clone())));
    let inner = editor.callback_host.take();
    editor.callback_host = Some(Box::new(Callbacks { host: shared.clone(), inner }));
    editor.indent_provider = Some(Box::new(Indent(shared.clone())));
    shared
}
