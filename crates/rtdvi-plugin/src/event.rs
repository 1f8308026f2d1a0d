//! The events plugins receive through `on_event`, as JSON objects.
//!
//! Each is built from an editor autocmd event (the plugin host listens with autocmds of its own
//! group, only for kinds some live plugin wants, so nothing is built for kinds nobody listens to):
//!
//! | kind | editor events | extra fields |
//! |---|---|---|
//! | `buffer_opened` | BufReadPost, BufNewFile | |
//! | `buffer_changed` | TextChanged, TextChangedI | `first_row`, `old_end_row`, `new_end_row` (0-based, end-exclusive) |
//! | `buffer_saved` | BufWritePost | |
//! | `cursor_moved` | CursorMoved, CursorMovedI | `window_id`, `row` (0-based), `col` (characters) |
//! | `mode_changed` | ModeChanged | `from`, `to` (`mode()` letters) |
//! | `window_resized` | VimResized, WinResized | `window_id`, `width`, `height` |
//! | `quit` | VimLeavePre | |
//!
//! Every event has `"event"` (the kind) and, where a buffer is concerned, `buffer_id`, `path`
//! (absolute, `""` without a name) and `filetype`.

use rtdvi_editor::events::{Event, EventArgs};
use rtdvi_editor::Editor;
use serde_json::{json, Map, Value};

/// The kinds of events, in bit order.
pub const KINDS: [&str; 7] =
    ["buffer_opened", "buffer_changed", "buffer_saved", "cursor_moved", "mode_changed", "window_resized", "quit"];

/// A set of event kinds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EventMask(pub u32);

impl EventMask {
    /// Every kind.
    pub const ALL: EventMask = EventMask((1 << KINDS.len()) - 1);

    /// The bit of kind `name`.
    pub fn of(name: &str) -> Option<EventMask> {
        KINDS.iter().position(|k| *k == name).map(|i| EventMask(1 << i))
    }

    /// Whether the kind at index `i` of [`KINDS`] is in the set.
    pub fn has(self, i: usize) -> bool {
        self.0 & (1 << i) != 0
    }

    /// Parses a comma- or space-separated list of kinds (`*` for all).
    pub fn parse(list: &str) -> Result<EventMask, String> {
        let mut m = EventMask(0);
        for name in list.split([',', ' ']).map(str::trim).filter(|s| !s.is_empty()) {
            if name == "*" {
                m = EventMask::ALL;
                continue;
            }
            m.0 |= EventMask::of(name).ok_or_else(|| format!("unknown event kind {name:?}"))?.0;
        }
        Ok(m)
    }
}

/// The kind index an editor event becomes.
pub fn kind_of(event: Event) -> Option<usize> {
    Some(match event {
        Event::BufReadPost | Event::BufNewFile => 0,
        Event::TextChanged | Event::TextChangedI => 1,
        Event::BufWritePost => 2,
        Event::CursorMoved | Event::CursorMovedI => 3,
        Event::ModeChanged => 4,
        Event::VimResized | Event::WinResized => 5,
        Event::VimLeavePre => 6,
        _ => return None,
    })
}

/// The editor events to listen to for the kinds in `mask`.
pub fn editor_events(mask: EventMask) -> Vec<Event> {
    Event::ALL.iter().copied().filter(|e| kind_of(*e).is_some_and(|k| mask.has(k))).collect()
}

/// The JSON text of the event, for kind index `kind`.
pub fn to_json(editor: &Editor, kind: usize, event: Event, args: &EventArgs) -> String {
    let mut o = Map::new();
    o.insert("event".into(), Value::from(KINDS.get(kind).copied().unwrap_or("unknown")));
    if let Some(buf) = args.buf.filter(|_| kind != 6) {
        o.insert("buffer_id".into(), json!(buf.0));
        let b = editor.buffers.get(&buf);
        let path = b.and_then(|b| b.path.as_ref()).map(|p| editor.absolute(p).display().to_string());
        o.insert("path".into(), Value::from(path.unwrap_or_default()));
        o.insert("filetype".into(), Value::from(b.map(|b| b.opt_string("filetype")).unwrap_or_default()));
    }
    let data: Option<Value> = args.data.as_deref().and_then(|d| serde_json::from_str(d).ok());
    let field = |k: &str| data.as_ref().and_then(|d| d.get(k)).cloned().unwrap_or(Value::Null);
    match event {
        Event::TextChanged | Event::TextChangedI => {
            o.insert("first_row".into(), field("first"));
            o.insert("old_end_row".into(), field("old_last"));
            o.insert("new_end_row".into(), field("new_last"));
        }
        Event::ModeChanged => {
            o.insert("from".into(), field("old_mode"));
            o.insert("to".into(), field("new_mode"));
        }
        Event::CursorMoved | Event::CursorMovedI => {
            let c = editor.cursor();
            o.insert("window_id".into(), json!(editor.current.0));
            o.insert("row".into(), json!(c.row));
            o.insert("col".into(), json!(c.col));
        }
        Event::VimResized | Event::WinResized => {
            let w = editor.win();
            o.insert("window_id".into(), json!(w.id.0));
            o.insert("width".into(), json!(w.width));
            o.insert("height".into(), json!(w.height));
        }
        _ => {}
    }
    Value::Object(o).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_parse_and_cover_their_events() {
        let m = EventMask::parse("buffer_saved, quit").unwrap_or_default();
        assert!(m.has(2) && m.has(6) && !m.has(0));
        assert_eq!(editor_events(m), vec![Event::BufWritePost, Event::VimLeavePre]);
        assert!(EventMask::parse("nope").is_err());
        assert_eq!(EventMask::parse("*"), Ok(EventMask::ALL));
    }

    #[test]
    fn text_changed_carries_the_range_and_buffer() {
        let e = Editor::new();
        let args = EventArgs {
            buf: Some(e.buf_id()),
            data: Some("{\"first\":2,\"old_last\":3,\"new_last\":5}".into()),
            ..Default::default()
        };
        let v: Value = serde_json::from_str(&to_json(&e, 1, Event::TextChanged, &args)).unwrap_or_default();
        assert_eq!(v["event"], "buffer_changed");
        assert_eq!(v["buffer_id"], 1);
        assert_eq!(v["first_row"], 2);
        assert_eq!(v["new_end_row"], 5);
        assert_eq!(v["path"], "");
    }
}
