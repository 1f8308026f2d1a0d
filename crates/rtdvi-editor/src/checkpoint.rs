//! Editor checkpoints: what a plugin call may change, saved before the call so that a call that
//! traps, passes its deadline or its memory limit leaves no trace (DESIGN.md promise 3).
//!
//! Covered: every buffer's text, name, local options, marks, extmarks, variables and pending undo
//! step; every window's buffer, cursor, local options, variables and float configuration; the
//! current window; global options and variables; user commands. Buffers created during the call
//! are removed again, and so are floating windows it opened. Not covered (documented limits): buffers or windows *closed* during
//! the call through `nvim_command`, registers, and undo history changed by `:undo`.

use crate::buffer::{BufferCheckpoint, BufferId};
use crate::editor::Editor;
use crate::options::OptionStore;
use crate::window::{Cursor, WindowId};

/// One window's saved state.
#[derive(Debug)]
struct WindowState {
    id: WindowId,
    buffer: BufferId,
    cursor: Cursor,
    curswant: usize,
    options: OptionStore,
    vars: std::collections::BTreeMap<String, rmpv::Value>,
    float: Option<crate::float::FloatConfig>,
}

/// A saved editor state (see the module docs for what it covers).
#[derive(Debug)]
pub struct EditorCheckpoint {
    buffers: Vec<(BufferId, BufferCheckpoint)>,
    windows: Vec<WindowState>,
    current: WindowId,
    options: OptionStore,
    globals: std::collections::BTreeMap<String, crate::expr::Value>,
    global_objects: std::collections::BTreeMap<String, rmpv::Value>,
    user_commands: crate::user_command::UserCommands,
}

impl Editor {
    /// Saves the state a plugin call may change.
    pub fn checkpoint(&self) -> EditorCheckpoint {
        EditorCheckpoint {
            buffers: self.buffers.iter().map(|(id, b)| (*id, b.checkpoint())).collect(),
            windows: self
                .windows
                .iter()
                .map(|w| WindowState {
                    id: w.id,
                    buffer: w.buffer,
                    cursor: w.cursor,
                    curswant: w.curswant,
                    options: w.options.clone(),
                    vars: w.vars.clone(),
                    float: w.float.clone(),
                })
                .collect(),
            current: self.current,
            options: self.options.clone(),
            globals: self.globals.clone(),
            global_objects: self.global_objects.clone(),
            user_commands: self.user_commands.clone(),
        }
    }

    /// Restores a checkpoint taken earlier in the same plugin call.
    pub fn rollback(&mut self, cp: EditorCheckpoint) {
        let kept: std::collections::BTreeSet<BufferId> = cp.buffers.iter().map(|(id, _)| *id).collect();
        for (id, b) in cp.buffers {
            if let Some(buffer) = self.buffers.get_mut(&id) {
                buffer.rollback(b);
            }
        }
        let windows_before: Vec<WindowId> = cp.windows.iter().map(|w| w.id).collect();
        for w in cp.windows {
            if let Some(win) = self.window_mut(w.id) {
                win.buffer = w.buffer;
                win.cursor = w.cursor;
                win.curswant = w.curswant;
                win.options = w.options;
                win.vars = w.vars;
                win.float = w.float;
            }
        }
        // Floats the call opened go away (split windows stay: closing them would move others).
        let new_floats: Vec<WindowId> = self
            .windows
            .iter()
            .filter(|w| w.float.is_some() && !windows_before.contains(&w.id))
            .map(|w| w.id)
            .collect();
        for id in new_floats {
            self.remove_window(id);
        }
        // Only remove new buffers no window shows (a window the call opened stays valid).
        let shown: Vec<BufferId> = self.windows.iter().map(|w| w.buffer).collect();
        self.buffers.retain(|id, _| kept.contains(id) || shown.contains(id));
        if self.window(cp.current).is_some() {
            self.current = cp.current;
        }
        self.options = cp.options;
        self.globals = cp.globals;
        self.global_objects = cp.global_objects;
        self.user_commands = cp.user_commands;
        self.place_floats();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rollback_restores_text_cursor_options_and_new_buffers() {
        let mut e = Editor::new();
        e.buf_mut().text = ropey::Rope::from_str("one\ntwo");
        let cp = e.checkpoint();
        let id = e.buf_id();
        let change = e.buf().lines_change(0, 1, &["ONE".to_string(), "x".to_string()]).unwrap();
        e.apply_change(id, change).unwrap();
        e.set_cursor(2, 0);
        e.set_option(
            crate::options::id("tabstop"),
            crate::options::OptionValue::Number(3),
            crate::options::SetScope::Both,
        );
        let extra = e.create_buffer(None);
        assert!(e.buf().is_modified());
        e.rollback(cp);
        assert_eq!(e.buf().text.to_string(), "one\ntwo");
        assert!(!e.buf().is_modified());
        assert_eq!(e.cursor(), Cursor { row: 0, col: 0 });
        assert_eq!(e.opt("tabstop").as_number(), 8);
        assert!(!e.buffers.contains_key(&extra));
        // Nothing is left to undo: the rolled-back change never reached the undo step.
        e.sync_undo();
        assert_eq!(e.buf().undo.state_id(), 0);
    }

    #[test]
    fn rollback_undoes_api_state_floats_variables_extmarks_commands() {
        use rmpv::Value as V;
        let mut e = Editor::new();
        e.buf_mut().text = ropey::Rope::from_str("one\ntwo");
        let call = |e: &mut Editor, name: &str, args: Vec<V>| crate::api::call(e, name, &args);
        let ns = call(&mut e, "nvim_create_namespace", vec![V::from("n")]).unwrap();
        let cp = e.checkpoint();
        let map = |k: &str, v: V| V::Map(vec![(V::from(k), v)]);
        call(&mut e, "nvim_set_var", vec![V::from("cfg"), map("a", V::from(1))]).unwrap();
        call(&mut e, "nvim_buf_set_var", vec![V::from(0), V::from("b"), V::from(1)]).unwrap();
        call(&mut e, "nvim_buf_set_extmark", vec![V::from(0), ns.clone(), V::from(0), V::from(0), V::Map(vec![])])
            .unwrap();
        call(&mut e, "nvim_create_user_command", vec![V::from("Foo"), V::from("echo"), V::Map(vec![])]).unwrap();
        let cfg = V::Map(
            [
                ("relative", V::from("editor")),
                ("row", V::from(0)),
                ("col", V::from(0)),
                ("width", V::from(3)),
                ("height", V::from(1)),
            ]
            .into_iter()
            .map(|(k, v)| (V::from(k), v))
            .collect(),
        );
        call(&mut e, "nvim_open_win", vec![V::from(0), V::from(true), cfg]).unwrap();
        e.rollback(cp);
        assert!(call(&mut e, "nvim_get_var", vec![V::from("cfg")]).is_err());
        assert!(call(&mut e, "nvim_buf_get_var", vec![V::from(0), V::from("b")]).is_err());
        let marks =
            call(&mut e, "nvim_buf_get_extmarks", vec![V::from(0), ns, V::from(0), V::from(-1), V::Map(vec![])]);
        assert_eq!(marks, Ok(V::Array(vec![])));
        assert!(e.execute_ex("Foo").is_err());
        assert_eq!(e.windows.len(), 1);
        assert!(e.window(e.current).is_some());
    }
}
