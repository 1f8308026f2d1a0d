//! Editor checkpoints: what a plugin call may change, saved before the call so that a call that
//! traps, passes its deadline or its memory limit leaves no trace (DESIGN.md promise 3).
//!
//! Covered: every buffer's text, name, local options, marks and pending undo step; every window's
//! buffer, cursor and local options; the current window; global options. Buffers created during
//! the call are removed again. Not covered (documented limits): buffers or windows *closed* during
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
}

/// A saved editor state (see the module docs for what it covers).
#[derive(Debug)]
pub struct EditorCheckpoint {
    buffers: Vec<(BufferId, BufferCheckpoint)>,
    windows: Vec<WindowState>,
    current: WindowId,
    options: OptionStore,
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
                })
                .collect(),
            current: self.current,
            options: self.options.clone(),
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
        for w in cp.windows {
            if let Some(win) = self.window_mut(w.id) {
                win.buffer = w.buffer;
                win.cursor = w.cursor;
                win.curswant = w.curswant;
                win.options = w.options;
            }
        }
        // Only remove new buffers no window shows (a window the call opened stays valid).
        let shown: Vec<BufferId> = self.windows.iter().map(|w| w.buffer).collect();
        self.buffers.retain(|id, _| kept.contains(id) || shown.contains(id));
        if self.window(cp.current).is_some() {
            self.current = cp.current;
        }
        self.options = cp.options;
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
}
