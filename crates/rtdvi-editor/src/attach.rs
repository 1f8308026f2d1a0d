//! `nvim_buf_attach`: callbacks told about every change of a buffer's lines.
//!
//! A buffer records a [`LineEvent`] per applied change while something is attached (typing,
//! operators, ex commands, the API, undo and redo all apply changes the same way). The editor
//! reports them with [`Editor::flush_line_events`] right after the change (for `apply_change`)
//! or when the command ends (undo, redo), calling `on_lines` with Neovim's arguments
//! `("lines", buf, changedtick, firstline, lastline, new_lastline, byte_count)`. The line range
//! covers every line the change touched; it may include an unchanged neighbour line that Neovim
//! would leave out (a pure insertion of whole lines reports the line it was inserted before).
//! A callback returning `true` detaches; wiping the buffer calls `on_detach("detach", buf)`.

use rmpv::Value;

use crate::buffer::{Buffer, BufferId};
use crate::editor::Editor;
use crate::events::CallbackId;

/// One `nvim_buf_attach` subscription.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attachment {
    /// Called for each change.
    pub on_lines: Option<CallbackId>,
    /// Called when the changedtick moves without a text change (not generated yet).
    pub on_changedtick: Option<CallbackId>,
    /// Called when the subscription ends.
    pub on_detach: Option<CallbackId>,
}

/// A change of lines, in Neovim's `on_lines` terms (0-based, end-exclusive).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineEvent {
    /// First changed line.
    pub first: usize,
    /// One past the last changed line, before the change.
    pub old_last: usize,
    /// One past the last changed line, after the change.
    pub new_last: usize,
    /// Bytes of the replaced lines (with their line breaks), before the change.
    pub byte_count: usize,
    /// The buffer's changedtick after the change.
    pub changedtick: u64,
}

/// What is known of a change before it is applied (see [`Buffer::line_event_before`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct PendingLineEvent {
    first: usize,
    start: usize,
    /// The hull: lines `first..old_last` touched, with their bytes.
    old_last: usize,
    bytes: usize,
    /// When the old text is whole lines from a line start: their end line and bytes.
    whole: Option<(usize, usize)>,
}

impl Buffer {
    /// Bytes from the start of `from` to the start of `to` (lines), counting a line break after
    /// the last line as Neovim does.
    fn line_bytes(&self, from: usize, to: usize) -> usize {
        let lines = self.text.len_lines();
        let at = |l: usize| if l >= lines { self.text.len_bytes() + 1 } else { self.text.line_to_byte(l) };
        at(to).saturating_sub(at(from.min(lines)))
    }

    fn at_line_start(&self, c: usize) -> bool {
        c == 0 || self.text.get_char(c - 1) == Some('\n')
    }

    /// Starts a line event from the text before a change of chars `start..old_end`.
    pub(crate) fn line_event_before(&self, start: usize, old_end: usize) -> PendingLineEvent {
        let len = self.text.len_chars();
        let first = self.text.char_to_line(start.min(len));
        let old_last = self.text.char_to_line(old_end.min(len)) + 1;
        let whole = (self.at_line_start(start) && (old_end == start || self.at_line_start(old_end))).then(|| {
            let last = self.text.char_to_line(old_end.min(len));
            (last, self.line_bytes(first, last))
        });
        PendingLineEvent { first, start, old_last, bytes: self.line_bytes(first, old_last), whole }
    }

    /// Completes a line event from the text after the change (new text `start..new_end`):
    /// whole lines replaced by whole lines are reported exactly, anything else as the hull of the
    /// touched lines.
    pub(crate) fn line_event_after(&self, p: PendingLineEvent, new_end: usize) -> LineEvent {
        let new_end = new_end.min(self.text.len_chars());
        let new_line = self.text.char_to_line(new_end);
        let whole_new = new_end == p.start || self.at_line_start(new_end);
        let (old_last, new_last, byte_count) = match p.whole {
            Some((last, bytes)) if whole_new => (last, new_line, bytes),
            _ => (p.old_last, new_line + 1, p.bytes),
        };
        LineEvent { first: p.first, old_last, new_last, byte_count, changedtick: self.changedtick }
    }
}

impl Editor {
    /// Reports recorded line changes to `nvim_buf_attach` callbacks (bounded: a callback that
    /// keeps changing the buffer is reported to 100 rounds deep).
    pub fn flush_line_events(&mut self) {
        for _ in 0..100 {
            let pending: Vec<(BufferId, Vec<LineEvent>)> = self
                .buffers
                .values_mut()
                .filter(|b| !b.line_events.is_empty())
                .map(|b| (b.id, std::mem::take(&mut b.line_events)))
                .collect();
            if pending.is_empty() {
                return;
            }
            for (buf, events) in pending {
                for ev in events {
                    self.report_line_event(buf, ev);
                }
            }
        }
    }

    fn report_line_event(&mut self, buf: BufferId, ev: LineEvent) {
        let attached: Vec<Attachment> = self.buffers.get(&buf).map(|b| b.attachments.clone()).unwrap_or_default();
        for a in attached {
            let Some(cb) = a.on_lines else { continue };
            let args = vec![
                Value::from("lines"),
                Value::from(buf.0),
                Value::from(ev.changedtick),
                Value::from(ev.first),
                Value::from(ev.old_last),
                Value::from(ev.new_last),
                Value::from(ev.byte_count),
            ];
            match self.run_callback(cb, args) {
                Ok(Value::Boolean(true)) => self.detach(buf, &a, false),
                Ok(_) => {}
                Err(e) => self.messages.error(crate::editor::callback_error("Error executing lua callback: ", e)),
            }
        }
    }

    /// Ends a subscription: calls `on_detach` when asked (the buffer goes away) and releases the
    /// callbacks.
    pub(crate) fn detach(&mut self, buf: BufferId, a: &Attachment, notify: bool) {
        if let Some(b) = self.buffers.get_mut(&buf) {
            if let Some(i) = b.attachments.iter().position(|x| x == a) {
                b.attachments.remove(i);
            }
        }
        if notify {
            if let Some(cb) = a.on_detach {
                if let Err(e) = self.run_callback(cb, vec![Value::from("detach"), Value::from(buf.0)]) {
                    self.messages.error(crate::editor::callback_error("Error executing lua callback: ", e));
                }
            }
        }
        for cb in [a.on_lines, a.on_changedtick, a.on_detach].into_iter().flatten() {
            self.release_callback(cb);
        }
    }

    /// Detaches everything attached to a buffer that is going away (`on_detach` is called).
    pub(crate) fn detach_all(&mut self, buf: BufferId) {
        let attached: Vec<Attachment> = self.buffers.get(&buf).map(|b| b.attachments.clone()).unwrap_or_default();
        for a in attached {
            self.detach(buf, &a, true);
        }
    }
}
