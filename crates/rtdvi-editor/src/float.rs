//! Floating windows (`nvim_open_win` with `relative`): their configuration and screen placement.
//!
//! A floating window is an ordinary [`crate::window::Window`] with a [`FloatConfig`]; it belongs to
//! its tab page's `floats` list instead of the split tree, so `:split`, `<C-w>` moves and `:only`
//! never rearrange it. The front end draws floats over the split windows, lowest `zindex` first,
//! at the rectangle [`Editor::place_floats`] computes (border cells included around it).

use crate::editor::Editor;
use crate::layout::Rect;
use crate::window::WindowId;

/// What a float's `row`/`col` are relative to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relative {
    /// The editor's grid.
    Editor,
    /// A window's text area (`win` key; default the current window).
    Win(WindowId),
    /// The cursor of the current window, at the time of the call.
    Cursor,
}

impl Relative {
    /// Neovim's name of the variant.
    pub fn name(self) -> &'static str {
        match self {
            Relative::Editor => "editor",
            Relative::Win(_) => "win",
            Relative::Cursor => "cursor",
        }
    }
}

/// Which corner of the float sits at (`row`, `col`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Anchor {
    /// North-west (the default).
    #[default]
    NW,
    /// North-east.
    NE,
    /// South-west.
    SW,
    /// South-east.
    SE,
}

impl Anchor {
    /// Neovim's name (`"NW"`...).
    pub fn name(self) -> &'static str {
        match self {
            Anchor::NW => "NW",
            Anchor::NE => "NE",
            Anchor::SW => "SW",
            Anchor::SE => "SE",
        }
    }

    /// Parses Neovim's names.
    pub fn parse(s: &str) -> Option<Anchor> {
        Some(match s {
            "NW" => Anchor::NW,
            "NE" => Anchor::NE,
            "SW" => Anchor::SW,
            "SE" => Anchor::SE,
            _ => return None,
        })
    }
}

/// The configuration of a floating window, as `nvim_win_get_config` reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct FloatConfig {
    /// What the position is relative to.
    pub relative: Relative,
    /// The corner at the position.
    pub anchor: Anchor,
    /// Row of the anchor corner (may be fractional, as in Neovim).
    pub row: f64,
    /// Column of the anchor corner.
    pub col: f64,
    /// Text width in cells.
    pub width: usize,
    /// Text height in rows.
    pub height: usize,
    /// The eight border characters (top-left clockwise), empty for no border.
    pub border: Vec<String>,
    /// The `border` option as given (a style name, or `None` for a custom array).
    pub border_style: Option<String>,
    /// `style = "minimal"` was given.
    pub minimal: bool,
    /// Stacking order (default 50).
    pub zindex: i64,
    /// Whether the user can enter it with window commands.
    pub focusable: bool,
    /// Hidden (`hide = true`).
    pub hide: bool,
    /// Title text, if any.
    pub title: Option<String>,
}

impl FloatConfig {
    /// The screen rectangle of the float's text area in `editor` (the border, if any, is drawn
    /// one cell around it), clipped to the screen.
    pub fn rect(&self, editor: &Editor) -> Rect {
        let (base_row, base_col) = match self.relative {
            Relative::Editor => (0.0, 0.0),
            Relative::Win(w) => editor.window(w).map_or((0.0, 0.0), |w| (w.rect.y as f64, w.rect.x as f64)),
            Relative::Cursor => {
                let w = editor.win();
                ((w.rect.y + w.cursor_screen.0) as f64, (w.rect.x + w.cursor_screen.1) as f64)
            }
        };
        let border = usize::from(!self.border.is_empty());
        let (h, w) = ((self.height + 2 * border) as f64, (self.width + 2 * border) as f64);
        let (mut top, mut left) = (base_row + self.row, base_col + self.col);
        if matches!(self.anchor, Anchor::SW | Anchor::SE) {
            top -= h;
        }
        if matches!(self.anchor, Anchor::NE | Anchor::SE) {
            left -= w;
        }
        let lines = editor.opt("lines").as_number().max(1) as usize;
        let cols = editor.opt("columns").as_number().max(1) as usize;
        let top = (top.max(0.0).round() as usize).min(lines.saturating_sub(1)) + border;
        let left = (left.max(0.0).round() as usize).min(cols.saturating_sub(1)) + border;
        Rect {
            x: left,
            y: top,
            width: self.width.min(cols.saturating_sub(left)).max(1),
            height: self.height.min(lines.saturating_sub(top)).max(1),
        }
    }
}

/// The border characters of Neovim's named border styles.
pub fn border_chars(style: &str) -> Option<Vec<String>> {
    let chars: &[&str] = match style {
        "none" => &[],
        "single" => &["┌", "─", "┐", "│", "┘", "─", "└", "│"],
        "double" => &["╔", "═", "╗", "║", "╝", "═", "╚", "║"],
        "rounded" => &["╭", "─", "╮", "│", "╯", "─", "╰", "│"],
        "solid" => &[" ", " ", " ", " ", " ", " ", " ", " "],
        "shadow" => &["", "", " ", " ", " ", " ", " ", ""],
        _ => return None,
    };
    Some(chars.iter().map(|s| s.to_string()).collect())
}

impl Editor {
    /// Recomputes the rectangles and sizes of the current tab page's floating windows.
    pub fn place_floats(&mut self) {
        let floats = self.tab().floats.clone();
        for id in floats {
            let Some(cfg) = self.window(id).and_then(|w| w.float.clone()) else { continue };
            let r = cfg.rect(self);
            if let Some(w) = self.window_mut(id) {
                w.rect = r;
                w.height = r.height;
                w.width = r.width;
                w.status_line = false;
                w.separator = false;
            }
        }
    }

    /// The floating windows of the current tab page in drawing order (lowest `zindex` first).
    pub fn floats_in_order(&self) -> Vec<WindowId> {
        let mut v: Vec<(i64, WindowId)> = self
            .tab()
            .floats
            .iter()
            .filter_map(|id| {
                self.window(*id).and_then(|w| w.float.as_ref().filter(|f| !f.hide).map(|f| (f.zindex, *id)))
            })
            .collect();
        v.sort_by_key(|(z, _)| *z);
        v.into_iter().map(|(_, id)| id).collect()
    }
}
