//! Window layout: the split tree of each tab page, screen rectangles, and window/tab operations.
//!
//! A tab page holds a tree whose leaves are windows. A `Col` node stacks its children (what `:split`
//! makes), a `Row` node puts them side by side (`:vsplit`). Each child keeps a size along its parent's
//! axis: for a `Col` the height including the window's status line, for a `Row` the width without
//! the one-column separator drawn right of every child but the last. When sizes don't add up to the
//! space there is (the terminal was resized), the difference is spread proportionally.
//!
//! The editor owns the layout so that `:split`, `<C-w>` keys and plugins (`nvim_open_win`, later) all
//! change one model; the front end reads [`crate::window::Window::rect`] and draws.

use crate::editor::Editor;
use crate::events::Event;
use crate::window::{Window, WindowId};

/// How a split arranges its children.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    /// Stacked top to bottom (`:split`).
    Col,
    /// Side by side (`:vsplit`).
    Row,
}

/// A node of the split tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// A window.
    Leaf(WindowId),
    /// A split with (child, size along `dir`) pairs.
    Split(Dir, Vec<(Node, usize)>),
}

/// A rectangle on screen (cells).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rect {
    /// Left column.
    pub x: usize,
    /// Top row.
    pub y: usize,
    /// Width.
    pub width: usize,
    /// Height.
    pub height: usize,
}

/// One tab page.
#[derive(Clone, Debug)]
pub struct TabPage {
    /// The split tree.
    pub root: Node,
    /// The window that was current when the tab was left.
    pub current: WindowId,
    /// The tab page's handle (`nvim_list_tabpages`), never reused.
    pub id: u32,
    /// Tab-page variables (`t:`).
    pub vars: std::collections::BTreeMap<String, rmpv::Value>,
    /// Floating windows of this tab page, lowest `zindex` first (they are in no split tree).
    pub floats: Vec<WindowId>,
}

impl TabPage {
    /// A tab page holding one window.
    pub fn new(id: u32, window: WindowId) -> Self {
        TabPage { root: Node::Leaf(window), current: window, id, vars: Default::default(), floats: Vec::new() }
    }

    /// Whether `win` is in this tab page (split or floating).
    pub fn has_window(&self, win: WindowId) -> bool {
        self.root.contains(win) || self.floats.contains(&win)
    }
}

impl Node {
    /// The windows in this subtree, in layout order (top-left first).
    pub fn windows(&self) -> Vec<WindowId> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect(&self, out: &mut Vec<WindowId>) {
        match self {
            Node::Leaf(id) => out.push(*id),
            Node::Split(_, kids) => kids.iter().for_each(|(k, _)| k.collect(out)),
        }
    }

    pub(crate) fn contains(&self, id: WindowId) -> bool {
        match self {
            Node::Leaf(w) => *w == id,
            Node::Split(_, kids) => kids.iter().any(|(k, _)| k.contains(id)),
        }
    }

    /// Splits leaf `at` along `dir`, putting `new` before (above/left) or after it, sharing its size.
    fn split(&mut self, at: WindowId, new: WindowId, dir: Dir, before: bool, size: Option<usize>) -> bool {
        match self {
            Node::Leaf(w) if *w == at => {
                let old = Node::Leaf(at);
                let kids =
                    if before { vec![(Node::Leaf(new), 0), (old, 0)] } else { vec![(old, 0), (Node::Leaf(new), 0)] };
                *self = Node::Split(dir, kids);
                // Sizes are filled in by the caller's relayout (0 = share equally).
                if let (Some(s), Node::Split(_, kids)) = (size, self) {
                    let i = usize::from(!before);
                    if let Some(k) = kids.get_mut(i) {
                        k.1 = s;
                    }
                }
                true
            }
            Node::Leaf(_) => false,
            Node::Split(d, kids) => {
                let Some(i) = kids.iter().position(|(k, _)| k.contains(at)) else { return false };
                if *d == dir && matches!(kids[i].0, Node::Leaf(w) if w == at) {
                    let total = kids[i].1;
                    let new_size = size.unwrap_or(total / 2).min(total.saturating_sub(2));
                    kids[i].1 = total.saturating_sub(new_size + usize::from(dir == Dir::Row));
                    let pos = if before { i } else { i + 1 };
                    kids.insert(pos, (Node::Leaf(new), new_size));
                    return true;
                }
                kids[i].0.split(at, new, dir, before, size)
            }
        }
    }

    /// Removes a leaf; returns false when it isn't here. A split left with one child collapses.
    fn remove(&mut self, id: WindowId) -> bool {
        let Node::Split(dir, kids) = self else { return false };
        let dir = *dir;
        if let Some(i) = kids.iter().position(|(k, _)| *k == Node::Leaf(id)) {
            let (_, size) = kids.remove(i);
            // The freed space goes to the window before it (after it when it was first), as in Vim.
            let take = if i > 0 { i - 1 } else { 0 };
            if let Some(k) = kids.get_mut(take) {
                k.1 += size + usize::from(dir == Dir::Row);
            }
        } else if !kids.iter_mut().any(|(k, _)| k.remove(id)) {
            return false;
        }
        if kids.len() == 1 {
            if let Some((only, _)) = kids.pop() {
                *self = only;
            }
        }
        true
    }

    /// Gives every child of every split an equal share (`<C-w>=`).
    fn equalize(&mut self) {
        if let Node::Split(_, kids) = self {
            for k in kids.iter_mut() {
                k.1 = 0;
                k.0.equalize();
            }
        }
    }

    /// Lays the subtree out in `area`, recording each window's rectangle; sizes are updated to what
    /// was given so later changes start from the screen as drawn.
    fn place(&mut self, area: Rect, out: &mut Vec<(WindowId, Rect, bool)>) {
        match self {
            Node::Leaf(id) => out.push((*id, area, false)),
            Node::Split(dir, kids) => {
                let n = kids.len();
                let seps = if *dir == Dir::Row { n.saturating_sub(1) } else { 0 };
                let avail = if *dir == Dir::Row { area.width } else { area.height }.saturating_sub(seps);
                let sizes = distribute(kids.iter().map(|k| k.1).collect(), avail);
                let mut pos = 0;
                for (i, ((kid, size), s)) in kids.iter_mut().zip(sizes).enumerate() {
                    *size = s;
                    let r = match dir {
                        Dir::Col => Rect { x: area.x, y: area.y + pos, width: area.width, height: s },
                        Dir::Row => Rect { x: area.x + pos, y: area.y, width: s, height: area.height },
                    };
                    let start = out.len();
                    kid.place(r, out);
                    if *dir == Dir::Row && i + 1 < n {
                        // Windows on the right edge of this child draw the separator.
                        for w in &mut out[start..] {
                            if w.1.x + w.1.width == r.x + r.width {
                                w.2 = true;
                            }
                        }
                    }
                    pos += s + usize::from(*dir == Dir::Row);
                }
            }
        }
    }

    /// Sets the size along `dir` of the nearest ancestor-child of `id` that lies in a `dir` split.
    fn set_size(&mut self, id: WindowId, dir: Dir, size: usize) -> bool {
        let Node::Split(d, kids) = self else { return false };
        let Some(i) = kids.iter().position(|(k, _)| k.contains(id)) else { return false };
        if kids[i].0.set_size(id, dir, size) {
            return true;
        }
        if *d != dir || kids.len() < 2 {
            return false;
        }
        let old = kids[i].1;
        let total: usize = kids.iter().map(|k| k.1).sum();
        let min_other = kids.len() - 1;
        let new = size.clamp(1, total.saturating_sub(min_other).max(1));
        kids[i].1 = new;
        // Take from (or give to) the following siblings first, then the preceding ones, like Vim.
        let mut delta = new as isize - old as isize;
        let order: Vec<usize> = (i + 1..kids.len()).chain((0..i).rev()).collect();
        for j in order {
            if delta == 0 {
                break;
            }
            let s = kids[j].1 as isize;
            let next = (s - delta).max(1);
            delta -= s - next;
            kids[j].1 = next as usize;
        }
        true
    }

    /// The size along `dir` of the child containing `id` in the nearest `dir` split.
    fn size_of(&self, id: WindowId, dir: Dir) -> Option<usize> {
        let Node::Split(d, kids) = self else { return None };
        let (kid, size) = kids.iter().find(|(k, _)| k.contains(id))?;
        kid.size_of(id, dir).or(if *d == dir { Some(*size) } else { None })
    }
}

/// Splits `avail` cells among children wanting `want` (0 = no preference), keeping preferences
/// where they fit and spreading the rest; every child gets at least one cell when there is room.
fn distribute(want: Vec<usize>, avail: usize) -> Vec<usize> {
    let n = want.len().max(1);
    let fixed: usize = want.iter().sum();
    let free = want.iter().filter(|w| **w == 0).count();
    let mut out = want.clone();
    if fixed <= avail && free > 0 {
        let rest = avail - fixed;
        for (k, o) in out.iter_mut().filter(|o| **o == 0).enumerate() {
            *o = rest / free + usize::from(k < rest % free);
        }
    } else if fixed != avail {
        // Scale proportionally; the rounding remainder goes to the last child.
        let total = fixed.max(1);
        let mut used = 0;
        for o in out.iter_mut() {
            *o = (*o * avail / total).max(1);
            used += *o;
        }
        if let Some(last) = out.last_mut() {
            if used > avail {
                *last = last.saturating_sub(used - avail).max(1);
            } else {
                *last += avail - used;
            }
        }
    }
    if out.len() < n {
        out.resize(n, 1);
    }
    out
}

/// Where `<C-w>h/j/k/l` goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Left.
    Left,
    /// Down.
    Down,
    /// Up.
    Up,
    /// Right.
    Right,
}

/// Errors of window and tab commands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    /// E36.
    #[error("E36: Not enough room")]
    NoRoom,
    /// E444.
    #[error("E444: Cannot close last window")]
    LastWindow,
    /// E784.
    #[error("E784: Cannot close last tab page")]
    LastTab,
}

impl Editor {
    /// The current tab page.
    pub fn tab(&self) -> &TabPage {
        let i = self.tab_index.min(self.tabs.len().saturating_sub(1));
        &self.tabs[i]
    }

    fn tab_mut(&mut self) -> &mut TabPage {
        let i = self.tab_index.min(self.tabs.len().saturating_sub(1));
        &mut self.tabs[i]
    }

    /// The windows of the current tab page in layout order.
    pub fn tab_windows(&self) -> Vec<WindowId> {
        self.tab().root.windows()
    }

    /// Whether a window has a status line under it ('laststatus').
    fn wants_status(&self, windows_in_tab: usize) -> bool {
        match self.opt("laststatus").as_number() {
            0 => false,
            1 => windows_in_tab > 1,
            _ => true,
        }
    }

    /// Whether the tab line is shown ('showtabline').
    pub fn shows_tabline(&self) -> bool {
        match self.opt("showtabline").as_number() {
            0 => false,
            1 => self.tabs.len() > 1,
            _ => true,
        }
    }

    /// The rows the command line takes at the bottom ('cmdheight', at least one is drawn).
    pub fn cmdline_rows(&self) -> usize {
        self.opt("cmdheight").as_number().max(1) as usize
    }

    /// Recomputes every window rectangle of the current tab from 'columns', 'lines', 'cmdheight',
    /// 'showtabline' and 'laststatus'. Call after the screen size or the layout changed.
    pub fn relayout(&mut self) {
        let cols = self.opt("columns").as_number().max(1) as usize;
        let lines = self.opt("lines").as_number().max(1) as usize;
        let top = usize::from(self.shows_tabline());
        let height = lines.saturating_sub(top + self.cmdline_rows());
        let area = Rect { x: 0, y: top, width: cols, height };
        let mut placed = Vec::new();
        self.tab_mut().root.place(area, &mut placed);
        let status = self.wants_status(placed.len());
        for (id, r, vsep) in placed {
            if let Some(w) = self.window_mut(id) {
                let text_h = r.height.saturating_sub(usize::from(status));
                let text_w = r.width;
                w.rect = Rect { x: r.x, y: r.y, width: text_w, height: text_h };
                w.status_line = status;
                w.separator = vsep;
                w.height = text_h.max(1);
                w.width = text_w.max(1);
            }
        }
        self.place_floats();
    }

    /// Tells the editor the screen size (the front end calls this at start and on every resize).
    pub fn set_screen_size(&mut self, cols: usize, lines: usize) {
        use crate::options::{id, OptionValue};
        self.options.set(id("columns"), OptionValue::Number(cols.max(12) as i64));
        self.options.set(id("lines"), OptionValue::Number(lines.max(2) as i64));
        self.relayout();
    }

    /// Splits the current window: `:split` (`Dir::Col`) or `:vsplit` (`Dir::Row`), optionally
    /// showing another buffer and with a size. The new window becomes current.
    pub fn split_window(&mut self, dir: Dir, size: Option<usize>) -> Result<WindowId, LayoutError> {
        let cur = self.current;
        let room = match dir {
            Dir::Col => self.win().rect.height + usize::from(self.win().status_line),
            Dir::Row => self.win().rect.width,
        };
        if room < 3 {
            return Err(LayoutError::NoRoom);
        }
        let id = WindowId(self.next_window);
        self.next_window += 1;
        let mut w = Window::new(id, self.buf_id(), &self.options);
        // The new window copies the current one: view, cursor and local options.
        let src = self.win();
        w.cursor = src.cursor;
        w.curswant = src.curswant;
        w.top_line = src.top_line;
        w.leftcol = src.leftcol;
        w.options = src.options.clone();
        self.windows.push(w);
        let before = match dir {
            Dir::Col => !self.opt("splitbelow").as_bool(),
            Dir::Row => !self.opt("splitright").as_bool(),
        };
        self.tab_mut().root.split(cur, id, dir, before, size);
        if self.opt("equalalways").as_bool() && size.is_none() {
            self.tab_mut().root.equalize();
        }
        self.enter_window(id);
        self.relayout();
        Ok(id)
    }

    /// Makes `id` the current window, firing WinLeave/WinEnter.
    pub fn enter_window(&mut self, id: WindowId) {
        if id == self.current || self.window(id).is_none() {
            return;
        }
        self.fire(Event::WinLeave, Default::default());
        self.previous_window = Some(self.current);
        self.current = id;
        self.tab_mut().current = id;
        self.fire(Event::WinEnter, Default::default());
    }

    /// Removes a window from the layout and the window list (the caller checked it may close).
    /// Closing the last window of a tab page closes the tab page.
    pub(crate) fn remove_window(&mut self, id: WindowId) {
        if let Some(t) = self.tabs.iter_mut().find(|t| t.floats.contains(&id)) {
            // A float leaves no hole in the split tree.
            t.floats.retain(|f| *f != id);
            if t.current == id {
                t.current = t.root.windows().first().copied().unwrap_or(id);
            }
            self.windows.retain(|w| w.id != id);
            if self.previous_window == Some(id) {
                self.previous_window = None;
            }
            if self.current == id {
                self.current = self.previous_window.filter(|p| self.tab().has_window(*p)).unwrap_or(self.tab().current);
                self.fire(Event::WinEnter, Default::default());
            }
            return;
        }
        let Some(tab_i) = self.tabs.iter().position(|t| t.root.contains(id)) else { return };
        let only = matches!(self.tabs[tab_i].root, Node::Leaf(w) if w == id);
        if only {
            if self.tabs.len() <= 1 {
                return;
            }
            self.tabs.remove(tab_i);
            if self.tab_index >= self.tabs.len() || tab_i < self.tab_index {
                self.tab_index = self.tab_index.saturating_sub(1);
            }
        } else {
            self.tabs[tab_i].root.remove(id);
            if self.tabs[tab_i].current == id {
                let next = self.previous_window.filter(|p| self.tabs[tab_i].root.contains(*p));
                self.tabs[tab_i].current = next.unwrap_or_else(|| self.tabs[tab_i].root.windows()[0]);
            }
        }
        self.windows.retain(|w| w.id != id);
        if self.previous_window == Some(id) {
            self.previous_window = None;
        }
        if self.current == id {
            self.current = self.tab().current;
            self.fire(Event::WinEnter, Default::default());
        }
        if self.opt("equalalways").as_bool() {
            self.tab_mut().root.equalize();
        }
        self.relayout();
    }

    /// `:only`: closes every other window of the tab page (modified buffers shown nowhere else stay
    /// open unless `force` or 'hidden').
    pub fn only_window(&mut self, force: bool) {
        let cur = self.current;
        for id in self.tab_windows() {
            if id == cur {
                continue;
            }
            let buf = self.window(id).map(|w| w.buffer);
            let keep = !force
                && !self.opt("hidden").as_bool()
                && buf.is_some_and(|b| {
                    self.buffers.get(&b).is_some_and(|b| b.is_modified())
                        && !self.windows.iter().any(|w| w.id != id && w.buffer == b)
                });
            if !keep {
                self.remove_window(id);
            }
        }
    }

    /// The window `count` steps away in direction `d` (`<C-w>h/j/k/l`), by screen geometry.
    pub fn neighbour_window(&self, d: Direction, count: usize) -> Option<WindowId> {
        let mut cur = self.current;
        for _ in 0..count.max(1) {
            let Some(w) = self.window(cur) else { break };
            let r = w.rect;
            let full_h = r.height + usize::from(w.status_line);
            let full_w = r.width + usize::from(w.separator);
            // The point just outside the window at the cursor's row/column, as Vim picks.
            let (cx, cy) = (r.x + w.cursor_screen.1.min(r.width.saturating_sub(1)), r.y + w.cursor_screen.0);
            let target = match d {
                Direction::Left if r.x > 0 => Some((r.x - 2, cy)),
                Direction::Right => Some((r.x + full_w, cy)),
                Direction::Up if r.y > 0 => Some((cx, r.y.saturating_sub(2))),
                Direction::Down => Some((cx, r.y + full_h)),
                _ => None,
            };
            let Some((tx, ty)) = target else { break };
            let hit = self.tab_windows().into_iter().find(|id| {
                self.window(*id).is_some_and(|o| {
                    let fr = o.rect;
                    let fw = fr.width + usize::from(o.separator);
                    let fh = fr.height + usize::from(o.status_line);
                    *id != cur && tx >= fr.x && tx < fr.x + fw && ty >= fr.y && ty < fr.y + fh
                })
            });
            match hit {
                Some(id) => cur = id,
                None => break,
            }
        }
        (cur != self.current).then_some(cur)
    }

    /// The window `n` (1-based, layout order) of the current tab, or the last one.
    pub fn window_by_number(&self, n: usize) -> WindowId {
        let wins = self.tab_windows();
        wins.get(n.saturating_sub(1)).or(wins.last()).copied().unwrap_or(self.current)
    }

    /// Sets the current window's height (`:resize N`) or width (`:vertical resize N`).
    pub fn resize_window(&mut self, dir: Dir, size: usize) {
        let id = self.current;
        // Heights in the tree include the status line.
        let size = if dir == Dir::Col { size + usize::from(self.win().status_line) } else { size };
        self.tab_mut().root.set_size(id, dir, size);
        self.relayout();
    }

    /// The current window's size along `dir` as the tree records it (height includes the status line).
    pub fn window_size(&self, dir: Dir) -> usize {
        match self.tab().root.size_of(self.current, dir) {
            Some(s) if dir == Dir::Col => s.saturating_sub(usize::from(self.win().status_line)),
            Some(s) => s,
            None if dir == Dir::Col => self.win().rect.height,
            None => self.win().rect.width,
        }
    }

    /// Makes all windows of the tab page (almost) the same size (`<C-w>=`).
    pub fn equalize_windows(&mut self) {
        self.tab_mut().root.equalize();
        self.relayout();
    }

    /// `:tabnew`: a new tab page after the current one with one window on `buf` (a new empty buffer
    /// when `None`).
    pub fn new_tab(&mut self, buf: Option<crate::buffer::BufferId>) -> WindowId {
        let buf = buf.unwrap_or_else(|| self.create_buffer(None));
        let id = WindowId(self.next_window);
        self.next_window += 1;
        let w = Window::new(id, buf, &self.options);
        self.windows.push(w);
        self.fire(Event::WinLeave, Default::default());
        self.previous_window = Some(self.current);
        let pos = (self.tab_index + 1).min(self.tabs.len());
        let tab_id = self.next_tab;
        self.next_tab += 1;
        self.tabs.insert(pos, TabPage::new(tab_id, id));
        self.tab_index = pos;
        self.current = id;
        self.fire(Event::WinEnter, Default::default());
        self.fire(Event::TabNew, Default::default());
        self.relayout();
        id
    }

    /// Goes to tab page `index` (0-based, clamped).
    pub fn goto_tab(&mut self, index: usize) {
        let index = index.min(self.tabs.len().saturating_sub(1));
        if index == self.tab_index {
            return;
        }
        self.tab_mut().current = self.current;
        self.fire(Event::WinLeave, Default::default());
        self.tab_index = index;
        self.current = self.tab().current;
        self.fire(Event::WinEnter, Default::default());
        self.relayout();
    }

    /// `gt` with a count / `:tabnext`: `forward` steps, wrapping around.
    pub fn cycle_tab(&mut self, steps: isize) {
        let n = self.tabs.len() as isize;
        if n == 0 {
            return;
        }
        let i = (self.tab_index as isize + steps).rem_euclid(n) as usize;
        self.goto_tab(i);
    }

    /// `:tabclose`: closes the current tab page (its windows go; buffers stay loaded).
    pub fn close_tab(&mut self, index: usize) -> Result<(), LayoutError> {
        if self.tabs.len() <= 1 {
            return Err(LayoutError::LastTab);
        }
        let index = index.min(self.tabs.len() - 1);
        let tab = self.tabs.remove(index);
        let mut gone = tab.root.windows();
        gone.extend(tab.floats.iter().copied());
        self.windows.retain(|w| !gone.contains(&w.id));
        if self.tab_index > index || self.tab_index >= self.tabs.len() {
            self.tab_index = self.tab_index.saturating_sub(1);
        }
        if gone.contains(&self.current) {
            self.current = self.tab().current;
            self.fire(Event::WinEnter, Default::default());
        }
        if self.previous_window.is_some_and(|p| gone.contains(&p)) {
            self.previous_window = None;
        }
        self.relayout();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn editor(cols: usize, lines: usize) -> Editor {
        let mut ed = Editor::new();
        ed.set_screen_size(cols, lines);
        ed
    }

    fn rects(ed: &Editor) -> Vec<(usize, usize, usize, usize)> {
        ed.tab_windows()
            .iter()
            .map(|id| {
                let r = ed.window(*id).unwrap().rect;
                (r.x, r.y, r.width, r.height)
            })
            .collect()
    }

    #[test]
    fn single_window_fills_the_screen() {
        let ed = editor(80, 24);
        // 24 lines: 22 text + status line + command line.
        assert_eq!(rects(&ed), vec![(0, 0, 80, 22)]);
        assert!(ed.win().status_line);
    }

    #[test]
    fn split_and_vsplit_share_the_space() {
        let mut ed = editor(80, 24);
        let first = ed.current;
        let new = ed.split_window(Dir::Col, None).unwrap();
        assert_eq!(ed.current, new);
        // New window above (nosplitbelow); 23 rows = 12 + 11 including status lines.
        assert_eq!(rects(&ed), vec![(0, 0, 80, 11), (0, 12, 80, 10)]);
        ed.enter_window(first);
        ed.split_window(Dir::Row, None).unwrap();
        // The bottom window is split side by side: 40 + separator + 39.
        assert_eq!(rects(&ed), vec![(0, 0, 80, 11), (0, 12, 40, 10), (41, 12, 39, 10)]);
        let left = ed.window(ed.tab_windows()[1]).unwrap();
        assert!(left.separator);
    }

    #[test]
    fn close_gives_space_back_and_collapses() {
        let mut ed = editor(80, 24);
        let a = ed.current;
        let b = ed.split_window(Dir::Row, None).unwrap();
        ed.remove_window(b);
        assert_eq!(ed.tab().root, Node::Leaf(a));
        assert_eq!(rects(&ed), vec![(0, 0, 80, 22)]);
        assert_eq!(ed.current, a);
    }

    #[test]
    fn resize_takes_from_neighbours() {
        let mut ed = editor(80, 24);
        ed.split_window(Dir::Col, None).unwrap();
        ed.resize_window(Dir::Col, 5);
        assert_eq!(rects(&ed), vec![(0, 0, 80, 5), (0, 6, 80, 16)]);
        assert_eq!(ed.window_size(Dir::Col), 5);
        ed.equalize_windows();
        assert_eq!(rects(&ed), vec![(0, 0, 80, 11), (0, 12, 80, 10)]);
    }

    #[test]
    fn terminal_resize_scales_the_layout() {
        let mut ed = editor(80, 24);
        ed.split_window(Dir::Row, None).unwrap();
        ed.set_screen_size(120, 40);
        let r = rects(&ed);
        assert_eq!(r.iter().map(|r| r.2).sum::<usize>() + 1, 120);
        assert!(r.iter().all(|r| r.3 == 38));
    }

    #[test]
    fn neighbours_follow_geometry() {
        let mut ed = editor(80, 24);
        let bottom = ed.current;
        let top = ed.split_window(Dir::Col, None).unwrap();
        let right = ed.split_window(Dir::Row, None).unwrap();
        // Layout: [right | top] over [bottom]; the new vsplit window is on the left.
        let left = ed.tab_windows()[1];
        assert_eq!(ed.tab_windows(), vec![right, top, bottom]);
        let _ = left;
        assert_eq!(ed.neighbour_window(Direction::Down, 1), Some(bottom));
        assert_eq!(ed.neighbour_window(Direction::Right, 1), Some(top));
        assert_eq!(ed.neighbour_window(Direction::Left, 1), None);
        ed.enter_window(bottom);
        assert_eq!(ed.neighbour_window(Direction::Up, 1), Some(right));
    }

    #[test]
    fn tabs_have_their_own_layout() {
        let mut ed = editor(80, 24);
        let first = ed.current;
        ed.split_window(Dir::Col, None).unwrap();
        let t = ed.new_tab(None);
        assert_eq!(ed.tabs.len(), 2);
        assert!(ed.shows_tabline());
        // The tab line takes the top row.
        assert_eq!(rects(&ed), vec![(0, 1, 80, 21)]);
        ed.cycle_tab(1);
        assert_eq!(ed.tab_windows().len(), 2);
        ed.cycle_tab(1);
        assert_eq!(ed.current, t);
        ed.close_tab(ed.tab_index).unwrap();
        assert_eq!(ed.tabs.len(), 1);
        assert!(ed.windows.iter().all(|w| w.id != t));
        assert_ne!(ed.current, t);
        assert!(ed.tab_windows().contains(&first));
        assert_eq!(ed.close_tab(0), Err(LayoutError::LastTab));
    }

    #[test]
    fn distribute_handles_preferences_and_shrinking() {
        assert_eq!(distribute(vec![0, 0], 23), vec![12, 11]);
        assert_eq!(distribute(vec![5, 0], 23), vec![5, 18]);
        assert_eq!(distribute(vec![10, 10], 10), vec![5, 5]);
        assert_eq!(distribute(vec![3, 3], 10), vec![5, 5]);
    }
}
