//! Window, tab page and highlight commands: `:split :vsplit :new :vnew :close :only :resize
//! :vertical :wincmd :tabnew :tabedit :tabclose :tabonly :tabnext :tabprevious :tabfirst :tablast
//! :highlight`, and [`Editor::wincmd`] which the `<C-w>` keys call.

use std::path::Path;

use super::{Cmd, ExError};
use crate::editor::Editor;
use crate::layout::{Dir, Direction};

impl From<crate::layout::LayoutError> for ExError {
    fn from(e: crate::layout::LayoutError) -> Self {
        ExError::Msg(e.to_string())
    }
}

impl From<crate::highlight::HighlightError> for ExError {
    fn from(e: crate::highlight::HighlightError) -> Self {
        ExError::Msg(e.to_string())
    }
}

/// Parses an optional count argument (`:resize 10`, `:resize +5`): (sign, number).
fn signed_count(args: &str) -> Result<Option<(i8, usize)>, ExError> {
    let a = args.trim();
    if a.is_empty() {
        return Ok(None);
    }
    let (sign, digits) = match a.as_bytes()[0] {
        b'+' => (1, &a[1..]),
        b'-' => (-1, &a[1..]),
        _ => (0, a),
    };
    let n = digits.trim().parse::<usize>().map_err(|_| ExError::Trailing(a.to_string()))?;
    Ok(Some((sign, n)))
}

impl Editor {
    pub(super) fn window_ex_command(&mut self, c: &Cmd<'_>, vertical: bool) -> Result<(), ExError> {
        let args = c.args.trim();
        // A count before the command (`:5split`) is the new window's size.
        let size = (c.range.given > 0).then_some(c.range.end).filter(|n| *n > 0);
        match c.name {
            "split" | "vsplit" | "new" | "vnew" => {
                let dir = if vertical || c.name.starts_with('v') { Dir::Row } else { Dir::Col };
                self.split_window(dir, size)?;
                if c.name.ends_with("new") {
                    let id = match args {
                        "" => self.create_buffer(None),
                        name => self.find_or_add_buffer(name)?,
                    };
                    self.switch_to_buffer(id);
                } else if !args.is_empty() {
                    let id = self.find_or_add_buffer(args)?;
                    self.switch_to_buffer(id);
                }
                Ok(())
            }
            "close" => {
                let wins = self.tab_windows();
                if wins.len() <= 1 && self.tabs.len() <= 1 {
                    return Err(crate::layout::LayoutError::LastWindow.into());
                }
                let target = if args.is_empty() { self.current } else { self.window_by_number(parse_n(args)?) };
                self.close_window_checked(target, c.bang)
            }
            "only" => {
                self.only_window(c.bang);
                Ok(())
            }
            "resize" => {
                let dir = if vertical { Dir::Row } else { Dir::Col };
                let cur = self.window_size(dir);
                let new = match signed_count(args)? {
                    None => usize::MAX / 4,
                    Some((1, n)) => cur + n,
                    Some((-1, n)) => cur.saturating_sub(n).max(1),
                    Some((_, n)) => n.max(1),
                };
                self.resize_window(dir, new);
                Ok(())
            }
            "vertical" => {
                let (parsed, _) = super::parse::parse_command(args)?;
                let name =
                    super::resolve_name(&parsed.name).ok_or_else(|| ExError::NotEditorCommand(parsed.name.clone()))?;
                let range = self.eval_range(&parsed.range)?;
                let inner = Cmd { name, range, bang: parsed.bang, args: &parsed.args };
                match name {
                    "split" | "vsplit" | "new" | "vnew" | "resize" => self.window_ex_command(&inner, true),
                    _ => self.execute_ex(args),
                }
            }
            "wincmd" => {
                let mut chars = args.chars();
                let ch = chars.next().ok_or(ExError::ArgumentRequired)?;
                let count = (c.range.given > 0).then_some(c.range.end);
                self.wincmd(ch, count)
            }
            "tabnew" | "tabedit" => {
                let buf = if args.is_empty() { None } else { Some(self.find_or_add_buffer(args)?) };
                self.new_tab(buf);
                Ok(())
            }
            "tabclose" => {
                let i = if args.is_empty() { self.tab_index } else { parse_n(args)?.saturating_sub(1) };
                Ok(self.close_tab(i)?)
            }
            "tabonly" => {
                while self.tabs.len() > 1 {
                    let i = if self.tab_index == 0 { 1 } else { 0 };
                    self.close_tab(i)?;
                }
                Ok(())
            }
            "tabnext" => {
                match args {
                    "" => self.cycle_tab(1),
                    n => self.goto_tab(parse_n(n)?.saturating_sub(1)),
                }
                Ok(())
            }
            "tabprevious" | "tabNext" => {
                let n = if args.is_empty() { 1 } else { parse_n(args)? };
                self.cycle_tab(-(n as isize));
                Ok(())
            }
            "tabfirst" | "tablast" => {
                let i = if c.name == "tabfirst" { 0 } else { self.tabs.len().saturating_sub(1) };
                self.goto_tab(i);
                Ok(())
            }
            "highlight" => {
                let light = self.opt("background").as_str() == "light";
                let lines = self.highlights.command(args, c.bang, light)?;
                if !lines.is_empty() {
                    self.messages.echo(lines.join("\n"));
                }
                Ok(())
            }
            _ => Err(ExError::NotEditorCommand(c.name.to_string())),
        }
    }

    /// A buffer for a file name: an existing one or a new one (loaded from disk when the file exists).
    fn find_or_add_buffer(&mut self, name: &str) -> Result<crate::buffer::BufferId, ExError> {
        let path = Path::new(name);
        if let Some(id) = self.find_buffer_by_path(path) {
            return Ok(id);
        }
        self.add_file_buffer(path).map_err(|e| ExError::Msg(e.to_string()))
    }

    /// Closes window `id` unless it holds the only view of a modified buffer ('hidden' off, no `!`).
    fn close_window_checked(&mut self, id: crate::window::WindowId, force: bool) -> Result<(), ExError> {
        let Some(buf) = self.window(id).map(|w| w.buffer) else { return Ok(()) };
        let shown_elsewhere = self.windows.iter().any(|w| w.id != id && w.buffer == buf);
        let modified = self.buffers.get(&buf).is_some_and(|b| b.is_modified());
        if !force && !shown_elsewhere && modified && !self.opt("hidden").as_bool() {
            return Err(ExError::NoWrite);
        }
        if self.tab_windows().len() <= 1 {
            return Ok(self.close_tab(self.tab_index)?);
        }
        self.close_window(id);
        Ok(())
    }

    /// Runs a `<C-w>` command (`:wincmd {ch}`): `h j k l w W p t b s v n c q o = + - < > _ |`.
    pub fn wincmd(&mut self, ch: char, count: Option<usize>) -> Result<(), ExError> {
        let n = count.unwrap_or(1);
        let go = |ed: &mut Editor, d: Direction| {
            if let Some(id) = ed.neighbour_window(d, n) {
                ed.enter_window(id);
            }
        };
        match ch {
            'h' | '\u{8}' => go(self, Direction::Left),
            'j' | '\n' => go(self, Direction::Down),
            'k' | '\u{b}' => go(self, Direction::Up),
            'l' | '\u{c}' => go(self, Direction::Right),
            'w' | 'W' | '\u{17}' => {
                let wins = self.tab_windows();
                let i = wins.iter().position(|w| *w == self.current).unwrap_or(0);
                let target = match count {
                    Some(k) => self.window_by_number(k),
                    None if ch == 'W' => wins[(i + wins.len() - 1) % wins.len()],
                    None => wins[(i + 1) % wins.len()],
                };
                self.enter_window(target);
            }
            'p' | '\u{10}' => {
                let prev = self.previous_window.filter(|p| self.tab_windows().contains(p));
                let prev = prev.ok_or(ExError::Msg("E441: There is no preview window".into()))?;
                self.enter_window(prev);
            }
            't' | 'b' => {
                let wins = self.tab_windows();
                let target = if ch == 't' { wins.first() } else { wins.last() };
                if let Some(t) = target.copied() {
                    self.enter_window(t);
                }
            }
            's' | 'S' | '\u{13}' => {
                self.split_window(Dir::Col, count)?;
            }
            'v' | '\u{16}' => {
                self.split_window(Dir::Row, count)?;
            }
            'n' | '\u{e}' => {
                self.split_window(Dir::Col, count)?;
                let id = self.create_buffer(None);
                self.switch_to_buffer(id);
            }
            'c' => {
                if self.tab_windows().len() <= 1 && self.tabs.len() <= 1 {
                    return Err(crate::layout::LayoutError::LastWindow.into());
                }
                self.close_window_checked(self.current, false)?;
            }
            'q' | '\u{11}' => {
                self.execute_ex("quit")?;
            }
            'o' | '\u{f}' => self.only_window(false),
            '=' => self.equalize_windows(),
            '+' | '-' => {
                let cur = self.window_size(Dir::Col);
                let new = if ch == '+' { cur + n } else { cur.saturating_sub(n).max(1) };
                self.resize_window(Dir::Col, new);
            }
            '>' | '<' => {
                let cur = self.window_size(Dir::Row);
                let new = if ch == '>' { cur + n } else { cur.saturating_sub(n).max(1) };
                self.resize_window(Dir::Row, new);
            }
            '_' => self.resize_window(Dir::Col, count.unwrap_or(usize::MAX / 4)),
            '|' => self.resize_window(Dir::Row, count.unwrap_or(usize::MAX / 4)),
            _ => return Err(ExError::InvalidArgument),
        }
        Ok(())
    }
}

fn parse_n(s: &str) -> Result<usize, ExError> {
    s.trim().parse::<usize>().map_err(|_| ExError::Trailing(s.to_string()))
}

#[cfg(test)]
mod tests {
    use crate::editor::Editor;

    fn ed() -> Editor {
        let mut e = Editor::new();
        e.set_screen_size(80, 24);
        e
    }

    #[test]
    fn split_commands_and_close() {
        let mut e = ed();
        e.execute_ex("split").unwrap();
        e.execute_ex("vsplit").unwrap();
        assert_eq!(e.tab_windows().len(), 3);
        e.execute_ex("close").unwrap();
        assert_eq!(e.tab_windows().len(), 2);
        e.execute_ex("only").unwrap();
        assert_eq!(e.tab_windows().len(), 1);
        assert_eq!(e.execute_ex("close").unwrap_err().to_string(), "E444: Cannot close last window");
    }

    #[test]
    fn new_shows_an_empty_buffer_and_q_closes_the_window() {
        let mut e = ed();
        let first = e.buf_id();
        e.execute_ex("new").unwrap();
        assert_ne!(e.buf_id(), first);
        e.execute_ex("q").unwrap();
        assert_eq!(e.tab_windows().len(), 1);
        assert!(e.exit_code.is_none());
        assert_eq!(e.buf_id(), first);
    }

    #[test]
    fn resize_and_vertical_resize() {
        let mut e = ed();
        e.execute_ex("split").unwrap();
        e.execute_ex("resize 6").unwrap();
        assert_eq!(e.win().rect.height, 6);
        e.execute_ex("resize +2").unwrap();
        assert_eq!(e.win().rect.height, 8);
        e.execute_ex("vsplit").unwrap();
        e.execute_ex("vertical resize 20").unwrap();
        assert_eq!(e.win().rect.width, 20);
        e.execute_ex("wincmd =").unwrap();
        assert_eq!(e.win().rect.width, 40);
    }

    #[test]
    fn wincmd_moves_between_windows() {
        let mut e = ed();
        let bottom = e.current;
        e.execute_ex("split").unwrap();
        let top = e.current;
        e.wincmd('j', None).unwrap();
        assert_eq!(e.current, bottom);
        e.wincmd('p', None).unwrap();
        assert_eq!(e.current, top);
        e.wincmd('w', None).unwrap();
        assert_eq!(e.current, bottom);
        e.wincmd('W', None).unwrap();
        assert_eq!(e.current, top);
    }

    #[test]
    fn tab_commands() {
        let mut e = ed();
        e.execute_ex("tabnew").unwrap();
        e.execute_ex("tabnew").unwrap();
        assert_eq!((e.tabs.len(), e.tab_index), (3, 2));
        e.execute_ex("tabnext").unwrap();
        assert_eq!(e.tab_index, 0);
        e.execute_ex("tabprevious").unwrap();
        assert_eq!(e.tab_index, 2);
        e.execute_ex("tabnext 2").unwrap();
        assert_eq!(e.tab_index, 1);
        e.execute_ex("tabclose").unwrap();
        assert_eq!(e.tabs.len(), 2);
        e.execute_ex("tabonly").unwrap();
        assert_eq!(e.tabs.len(), 1);
        assert_eq!(e.execute_ex("tabclose").unwrap_err().to_string(), "E784: Cannot close last tab page");
    }

    #[test]
    fn highlight_command_through_ex() {
        let mut e = ed();
        e.execute_ex("hi Visual guibg=#102030").unwrap();
        assert_eq!(e.highlights.resolve_name("Visual").bg, Some(crate::highlight::Rgb(0x10, 0x20, 0x30)));
        e.take_messages();
        e.execute_ex("hi Visual").unwrap();
        let m = e.take_messages();
        assert_eq!(m[0].text, "Visual         xxx guibg=#102030");
        e.execute_ex("set background=light").unwrap();
        assert_eq!(e.highlights.resolve_name("Visual"), crate::highlight::Highlights::new(true).resolve_name("Visual"));
    }
}
