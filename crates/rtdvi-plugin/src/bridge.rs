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
/// Lua runtime's, once there is one).
pub const PLUGIN_CALLBACK_BASE: u64 = 1 << 48;

/// The callback id of the host's event autocmds.
pub const EVENT_CALLBACK: u64 = PLUGIN_CALLBACK_BASE;

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
    fn call_autocmd(
        &mut self,
        editor: &mut Editor,
        id: CallbackId,
        event: Event,
        args: &EventArgs,
    ) -> Result<bool, String> {
        if id.0 < PLUGIN_CALLBACK_BASE {
            return match self.inner.as_mut() {
                Some(inner) => inner.call_autocmd(editor, id, event, args),
                None => Ok(false),
            };
        }
        if let Ok(mut host) = self.host.try_borrow_mut() {
            host.dispatch_event(editor, event, args);
        }
        Ok(false)
    }

    fn call_mapping(&mut self, editor: &mut Editor, id: CallbackId) -> Result<Option<String>, String> {
        if id.0 < PLUGIN_CALLBACK_BASE {
            return match self.inner.as_mut() {
                Some(inner) => inner.call_mapping(editor, id),
                None => Err("E5108: no plugin host can run this mapping".to_string()),
            };
        }
        let Ok(mut host) = self.host.try_borrow_mut() else { return Ok(None) };
        match host.run_key(editor, id.0) {
            Some(r) => r.map(|()| None),
            None => Err("E5108: this plugin key binding is gone".to_string()),
        }
    }
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
