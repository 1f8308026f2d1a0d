//! Safe wrappers over every `rtdvi_*` import of the seed ABI.
//!
//! Units are the ABI's: rows 0-based, `char_pos`/columns in characters
//! (Unicode scalar values), buffer/window 0 = the current one. Strings go in
//! as `&str` and come back as `String`; the kit grows its buffer and asks
//! again when a line or option does not fit, so callers never see
//! truncation.

use crate::error::{check, to_i32, Error, Result};
use crate::sys;

/// A buffer handle (`0` is the current buffer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Buffer(pub i32);

/// A window handle (`0` is the current window).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window(pub i32);

impl Buffer {
    /// The current buffer, whichever it is when the host reads the id.
    pub const CURRENT: Buffer = Buffer(0);
}

impl Window {
    /// The current window.
    pub const CURRENT: Window = Window(0);
}

/// A cursor position: 0-based row, column in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    /// 0-based line.
    pub row: u32,
    /// Characters from the start of the line.
    pub col: u32,
}

/// Largest line or option value the kit will fetch (the host's own string
/// limit is far below; this only stops the doubling loop).
const MAX_FETCH: usize = 1 << 28;

/// Writes a line to the plugin log (headless: stderr, as `NAME: text`).
pub fn log(msg: &str) {
    sys::log(msg.as_bytes())
}

/// Sets the status-line message.
pub fn set_status(msg: &str) {
    sys::set_status(msg.as_bytes())
}

/// Registers the ex command `:name`, dispatched to [`crate::Plugin::command`].
pub fn register_command(name: &str) -> Result<()> {
    check("rtdvi_register_command", sys::register_command(name.as_bytes())).map(drop)
}

/// Declares this plugin the loader of files with extension `ext` (e.g. `".lua"`).
pub fn register_plugin_manager(ext: &str) -> Result<()> {
    check("rtdvi_register_plugin_manager", sys::register_plugin_manager(ext.as_bytes())).map(drop)
}

/// Declares this plugin the indent provider for `filetype` (e.g. `"c"`).
pub fn register_indent_provider(filetype: &str) -> Result<()> {
    check("rtdvi_register_indent_provider", sys::register_indent_provider(filetype.as_bytes())).map(drop)
}

/// Binds `keys` in `mode` (`"n"`, `"i"`, ...) to the plugin function `func`.
pub fn bind_key(mode: &str, keys: &str, func: &str) -> Result<()> {
    check("rtdvi_bind_key", sys::bind_key(mode.as_bytes(), keys.as_bytes(), func.as_bytes())).map(drop)
}

/// Receives only events of these kinds (`"buffer_saved"`, `"cursor_moved"`,
/// ...; `"*"` for all) through `on_event`; without it a plugin exporting
/// `on_event` gets every kind. Not in the seed ABI: an rtdvi extension
/// (`rtdvi_subscribe`, a comma-separated list).
pub fn subscribe(kinds: &[&str]) -> Result<()> {
    check("rtdvi_subscribe", sys::subscribe(kinds.join(",").as_bytes())).map(drop)
}

/// The current buffer's id.
pub fn active_buffer() -> Buffer {
    Buffer(sys::active_buffer_id())
}

/// The current window's id.
pub fn active_window() -> Window {
    Window(sys::active_window_id())
}

/// Number of lines in `buf`.
pub fn line_count(buf: Buffer) -> Result<u32> {
    check("rtdvi_line_count", sys::line_count(buf.0))
}

/// Reads line `row` of `buf` into `out` (replacing its contents) and returns
/// its length in bytes. Reuse `out` across calls in a loop: no allocation
/// once it is large enough.
pub fn get_line_into(buf: Buffer, row: u32, out: &mut Vec<u8>) -> Result<usize> {
    const IMPORT: &str = "rtdvi_get_line";
    let row = to_i32(IMPORT, row as usize)?;
    if out.capacity() < 128 {
        out.reserve(128);
    }
    loop {
        let cap = out.capacity().min(i32::MAX as usize);
        out.resize(cap, 0);
        let n = check(IMPORT, sys::get_line(buf.0, row, out))? as usize;
        // A full buffer may mean a cut line: ask again with twice the room.
        if n < cap || cap >= MAX_FETCH {
            out.truncate(n);
            return Ok(n);
        }
        out.reserve(cap);
    }
}

/// Line `row` of `buf` (bytes that are not UTF-8 become U+FFFD).
pub fn get_line(buf: Buffer, row: u32) -> Result<String> {
    let mut bytes = Vec::new();
    get_line_into(buf, row, &mut bytes)?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// The cursor of `win`.
pub fn get_cursor(win: Window) -> Result<Cursor> {
    let packed = sys::get_cursor(win.0);
    if packed < 0 {
        return Err(Error::Refused("rtdvi_get_cursor"));
    }
    Ok(Cursor { row: (packed >> 32) as u32, col: (packed & 0xffff_ffff) as u32 })
}

/// Moves the cursor of `win` (the row must exist; the column is clamped).
pub fn set_cursor(win: Window, cursor: Cursor) -> Result<()> {
    const IMPORT: &str = "rtdvi_set_cursor";
    let (row, col) = (to_i32(IMPORT, cursor.row as usize)?, to_i32(IMPORT, cursor.col as usize)?);
    check(IMPORT, sys::set_cursor(win.0, row, col)).map(drop)
}

/// Inserts `text` at character offset `char_pos` of `buf` (lines joined by `\n`).
pub fn insert_text(buf: Buffer, char_pos: usize, text: &str) -> Result<()> {
    const IMPORT: &str = "rtdvi_insert_text";
    to_i32(IMPORT, text.len())?;
    check(IMPORT, sys::insert_text(buf.0, to_i32(IMPORT, char_pos)?, text.as_bytes())).map(drop)
}

/// Deletes characters `start..end` of `buf`.
pub fn delete_text(buf: Buffer, start: usize, end: usize) -> Result<()> {
    const IMPORT: &str = "rtdvi_delete_text";
    check(IMPORT, sys::delete_text(buf.0, to_i32(IMPORT, start)?, to_i32(IMPORT, end)?)).map(drop)
}

/// An editor option as text (numbers in decimal, booleans `true`/`false`).
pub fn get_option_str(key: &str) -> Result<String> {
    const IMPORT: &str = "rtdvi_get_option_str";
    let mut out = vec![0u8; 64];
    loop {
        let cap = out.len();
        let n = check(IMPORT, sys::get_option_str(key.as_bytes(), &mut out))? as usize;
        if n < cap || cap >= MAX_FETCH {
            out.truncate(n);
            return Ok(String::from_utf8_lossy(&out).into_owned());
        }
        out.resize(cap * 2, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn lines_of_any_length_come_back_whole() {
        testing::reset();
        let long = "é".repeat(3000);
        testing::set_lines(Buffer(1), &["short", &long, ""]);
        assert_eq!(line_count(Buffer(1)), Ok(3));
        assert_eq!(get_line(Buffer(1), 0).unwrap(), "short");
        assert_eq!(get_line(Buffer(1), 1).unwrap(), long);
        assert_eq!(get_line(Buffer(1), 2).unwrap(), "");
        let mut buf = Vec::new();
        assert_eq!(get_line_into(Buffer(1), 1, &mut buf), Ok(6000));
        assert_eq!(get_line(Buffer(1), 3), Err(Error::Refused("rtdvi_get_line")));
        assert_eq!(line_count(Buffer(9)), Err(Error::Refused("rtdvi_line_count")));
    }

    #[test]
    fn current_buffer_is_id_zero() {
        testing::reset();
        testing::set_lines(Buffer(1), &["a"]);
        assert_eq!(active_buffer(), Buffer(1));
        assert_eq!(get_line(Buffer::CURRENT, 0).unwrap(), "a");
    }

    #[test]
    fn edits_and_cursor_use_character_positions() {
        testing::reset();
        testing::set_lines(Buffer(1), &["héllo", "world"]);
        insert_text(Buffer(1), 2, "XY").unwrap();
        assert_eq!(testing::lines(Buffer(1)), ["héXYllo", "world"]);
        delete_text(Buffer(1), 0, 4).unwrap();
        assert_eq!(testing::lines(Buffer(1)), ["llo", "world"]);
        assert_eq!(delete_text(Buffer(1), 5, 4), Err(Error::Refused("rtdvi_delete_text")));
        set_cursor(Window::CURRENT, Cursor { row: 1, col: 3 }).unwrap();
        assert_eq!(get_cursor(Window::CURRENT), Ok(Cursor { row: 1, col: 3 }));
        assert_eq!(set_cursor(Window::CURRENT, Cursor { row: 7, col: 0 }), Err(Error::Refused("rtdvi_set_cursor")));
    }

    #[test]
    fn options_of_any_length() {
        testing::reset();
        testing::set_option("shiftwidth", "4");
        testing::set_option("path", &"x".repeat(500));
        assert_eq!(get_option_str("shiftwidth").unwrap(), "4");
        assert_eq!(get_option_str("path").unwrap().len(), 500);
        assert_eq!(get_option_str("nope"), Err(Error::Refused("rtdvi_get_option_str")));
    }

    #[test]
    fn registrations_and_messages_are_recorded() {
        testing::reset();
        register_command("greet").unwrap();
        assert_eq!(register_command("greet"), Err(Error::Refused("rtdvi_register_command")));
        register_indent_provider("c").unwrap();
        register_plugin_manager(".lua").unwrap();
        bind_key("n", "<leader>h", "hello").unwrap();
        subscribe(&["buffer_saved", "quit"]).unwrap();
        log("a");
        set_status("b");
        testing::with(|h| {
            assert_eq!(h.commands, ["greet"]);
            assert_eq!(h.indent_providers, ["c"]);
            assert_eq!(h.plugin_managers, [".lua"]);
            assert_eq!(h.keys, [("n".to_string(), "<leader>h".to_string(), "hello".to_string())]);
            assert_eq!(h.log, ["a"]);
            assert_eq!(h.subscriptions, ["buffer_saved,quit"]);
            assert_eq!(h.status, ["b"]);
        });
    }
}
