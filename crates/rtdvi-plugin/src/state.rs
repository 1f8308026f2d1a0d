//! What each plugin instance carries: access to the editor while one of its calls runs, the
//! registry of everything plugins registered (shared by all instances so that duplicate command
//! names are refused at once), and the per-call message budget.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use rtdvi_editor::checkpoint::EditorCheckpoint;
use rtdvi_editor::keys::Key;
use rtdvi_editor::vi::MapMode;
use rtdvi_editor::Editor;

use crate::event::EventMask;

/// Most log/status lines one call may emit; further ones are dropped with one notice, so a flood
/// can neither bury the message history nor stall the UI.
pub(crate) const MAX_MESSAGES_PER_CALL: usize = 100;

/// Longest name, log or status string a plugin may pass; longer ones are refused (`-2`).
pub(crate) const MAX_STRING: i32 = 64 * 1024;

/// Longest text `rtdvi_insert_text` and `rtdvi_call` accept in one call.
pub(crate) const MAX_TEXT: i32 = 16 << 20;

/// Who registered something: a plugin, or a sub-plugin loaded through a plugin manager.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Owner {
    /// The plugin whose instance runs it.
    pub plugin: String,
    /// The sub-plugin (`load_plugin` name) when a manager registered it on its behalf.
    pub sub: Option<String>,
}

/// One key binding made with `rtdvi_bind_key`.
#[derive(Clone, Debug)]
pub(crate) struct KeyBinding {
    pub owner: Owner,
    pub modes: Vec<MapMode>,
    pub lhs: Vec<Key>,
    /// The export to call.
    pub func: String,
    /// The callback id of the mapping in the editor.
    pub id: u32,
}

/// One registration, as recorded while a call runs (undone if the call fails).
#[derive(Clone, Debug)]
pub(crate) enum Registration {
    Command(String),
    Manager(String),
    Indent(String),
    Key(u32),
}

/// Everything registered by all plugins.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    /// Ex command name → owner.
    pub commands: BTreeMap<String, Owner>,
    /// Managed extension (`.lua`) → owner.
    pub managers: BTreeMap<String, Owner>,
    /// Filetype → indent provider.
    pub indent: BTreeMap<String, Owner>,
    /// Key bindings by callback id.
    pub keys: BTreeMap<u32, KeyBinding>,
    /// Event subscriptions of plugins that called `rtdvi_subscribe` (others get every kind).
    pub subscriptions: BTreeMap<String, EventMask>,
    next_key: u32,
}

impl Registry {
    /// A new callback id for a key binding.
    pub fn key_id(&mut self) -> u32 {
        self.next_key += 1;
        crate::bridge::PLUGIN_CALLBACK_BASE + self.next_key
    }

    /// Removes one registration; returns the key binding it was, if any.
    pub fn undo(&mut self, r: &Registration) -> Option<KeyBinding> {
        match r {
            Registration::Command(n) => {
                self.commands.remove(n);
            }
            Registration::Manager(e) => {
                self.managers.remove(e);
            }
            Registration::Indent(f) => {
                self.indent.remove(f);
            }
            Registration::Key(id) => return self.keys.remove(id),
        }
        None
    }

    /// Removes everything `matches` owners registered; returns their key bindings (to unmap).
    pub fn remove_owned(&mut self, matches: impl Fn(&Owner) -> bool) -> Vec<KeyBinding> {
        self.commands.retain(|_, o| !matches(o));
        self.managers.retain(|_, o| !matches(o));
        self.indent.retain(|_, o| !matches(o));
        let (gone, kept): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.keys).into_iter().partition(|(_, k)| matches(&k.owner));
        self.keys = kept.into_iter().collect();
        gone.into_iter().map(|(_, k)| k).collect()
    }
}

/// The registry shared by the host and every instance.
pub(crate) type SharedRegistry = Rc<RefCell<Registry>>;

/// Per-instance host data.
pub(crate) struct HostState {
    /// The plugin's name, for messages.
    pub plugin: String,
    /// The sub-plugin a manager is loading now (owner of what gets registered).
    pub sub: Option<String>,
    /// The editor, valid only while a call of this instance runs (null otherwise).
    editor: *mut Editor,
    /// The editor as it was before the current call's first write (see [`HostState::editor_mut`]).
    checkpoint: Option<EditorCheckpoint>,
    /// The shared registry.
    pub registry: SharedRegistry,
    /// What this call registered (kept if it succeeds, undone if it fails).
    pub pending: Vec<Registration>,
    /// Messages emitted in the current call.
    pub messages: usize,
    /// The plugin's recent log lines (shown in `:messages` when it fails).
    pub log: std::collections::VecDeque<String>,
}

/// How many log lines a plugin keeps for its failure report.
const LOG_KEPT: usize = 20;

impl HostState {
    /// Fresh state for plugin `plugin`.
    pub fn new(plugin: &str, registry: SharedRegistry) -> Self {
        HostState {
            plugin: plugin.to_string(),
            sub: None,
            editor: std::ptr::null_mut(),
            checkpoint: None,
            registry,
            pending: Vec::new(),
            messages: 0,
            log: Default::default(),
        }
    }

    /// Lends the editor to the instance for one call. The caller must call [`HostState::release`]
    /// before the `&mut Editor` it got `editor` from is used again.
    pub fn lend(&mut self, editor: &mut Editor) {
        self.editor = editor;
        self.checkpoint = None;
        self.pending.clear();
        self.messages = 0;
    }

    /// Ends the loan of [`HostState::lend`]; returns the checkpoint of the call's first write, to
    /// roll back to if the call failed (`None`: the call changed nothing).
    pub fn release(&mut self) -> Option<EditorCheckpoint> {
        self.editor = std::ptr::null_mut();
        self.checkpoint.take()
    }

    /// The lent editor, during a call (null otherwise).
    fn lent(&mut self) -> Option<&mut Editor> {
        // SAFETY: `editor` is either null or was set by `lend` from a `&mut Editor` that the host
        // holds, unused, for the whole guest call (see `PluginHost::call`), and is reset by
        // `release` before that borrow is used again. Host functions run one at a time on the
        // calling thread and the returned borrow is tied to `&mut self`, so no two live `&mut`
        // to the editor exist.
        unsafe { self.editor.as_mut() }
    }

    /// The editor, for reading, during a call.
    pub fn editor(&mut self) -> Option<&Editor> {
        self.lent().map(|e| &*e)
    }

    /// The editor, for a change, during a call. The call's first change saves a checkpoint to roll
    /// back to: checkpoints are taken lazily because most calls (events, indent) only read, and a
    /// checkpoint copies every option store.
    pub fn editor_mut(&mut self) -> Option<&mut Editor> {
        // Two steps, so the borrow of the checkpoint ends before the editor is handed out.
        if self.checkpoint.is_none() {
            let cp = self.lent()?.checkpoint();
            self.checkpoint = Some(cp);
        }
        self.lent()
    }

    /// The editor for an API entry that only reads (`nvim_get_option_value`): no checkpoint.
    /// Only for entries known not to change the editor; anything else goes through
    /// [`HostState::editor_mut`].
    pub fn editor_for_read_entry(&mut self) -> Option<&mut Editor> {
        self.lent()
    }

    /// The message list, during a call. Messages are not part of the transaction: those of a
    /// failed call stay (they help tell why it failed).
    pub fn messages(&mut self) -> Option<&mut rtdvi_editor::message::Messages> {
        self.lent().map(|e| &mut e.messages)
    }

    /// The owner of registrations made now.
    pub fn owner(&self) -> Owner {
        Owner { plugin: self.plugin.clone(), sub: self.sub.clone() }
    }

    /// Shows a line from the plugin (status text, or a log line in headless mode), within the
    /// per-call budget. Control characters become spaces so that each message is one line.
    pub fn say(&mut self, text: &str, log: bool) {
        let line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        if log {
            if self.log.len() >= LOG_KEPT {
                self.log.pop_front();
            }
            self.log.push_back(line.clone());
        }
        self.messages += 1;
        let over = self.messages > MAX_MESSAGES_PER_CALL;
        let first_over = self.messages == MAX_MESSAGES_PER_CALL + 1;
        let name = self.plugin.clone();
        let Some(editor) = self.lent() else { return };
        if over {
            if first_over {
                editor
                    .messages
                    .warning(format!("plugin {name}: too many messages; the rest of this call's are dropped"));
            }
            return;
        }
        if log {
            // The plugin log is shown where a script can see it (headless: stderr) and otherwise
            // only kept for the failure report.
            if editor.headless {
                editor.messages.info(format!("{name}: {line}"));
            }
        } else {
            editor.messages.info(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_call_that_writes_takes_a_checkpoint() {
        let mut editor = Editor::new();
        let mut state = HostState::new("p", SharedRegistry::default());
        state.lend(&mut editor);
        assert!(state.editor().is_some());
        assert!(state.messages().is_some());
        assert!(state.release().is_none(), "reads and messages take no checkpoint");
        state.lend(&mut editor);
        assert!(state.editor_mut().is_some());
        assert!(state.editor_mut().is_some());
        assert!(state.release().is_some(), "the first write took one");
        assert!(state.editor().is_none(), "no editor outside a call");
        assert!(state.editor_mut().is_none());
        assert!(state.release().is_none(), "a checkpoint belongs to one call");
    }
}
