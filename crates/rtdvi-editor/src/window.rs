//! A window: a view on a buffer with its own cursor and window-local options.

use crate::buffer::BufferId;
use crate::options::{self, OptionStore, OptionValue};

/// A window id as Neovim numbers them (1000, 1001, ...), never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WindowId(pub u32);

/// A cursor position: 0-based row and char column (converted to byte columns only at the API edges).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cursor {
    /// Line, 0-based.
    pub row: usize,
    /// Column in chars, 0-based.
    pub col: usize,
}

/// One window.
#[derive(Debug)]
pub struct Window {
    /// Window id.
    pub id: WindowId,
    /// The buffer shown.
    pub buffer: BufferId,
    /// The cursor.
    pub cursor: Cursor,
    /// The display column the cursor wants to keep on vertical moves (Vim's curswant); `usize::MAX` = end of line.
    pub curswant: usize,
    /// First line shown.
    pub top_line: usize,
    /// Window-local options.
    pub options: OptionStore,
    /// Height in lines (text area).
    pub height: usize,
    /// Width in columns.
    pub width: usize,
    /// First display column shown when 'nowrap' (Vim's leftcol).
    pub leftcol: usize,
    /// The text area on screen (set by the layout).
    pub rect: crate::layout::Rect,
    /// Whether a status line is drawn under the text area.
    pub status_line: bool,
    /// Whether a vertical separator is drawn right of the text area.
    pub separator: bool,
    /// The cursor's (row, column) inside the text area as last computed by [`Editor::update_view`].
    ///
    /// [`Editor::update_view`]: crate::editor::Editor::update_view
    pub cursor_screen: (usize, usize),
    /// Window variables (`w:`).
    pub vars: std::collections::BTreeMap<String, rmpv::Value>,
    /// Set for a floating window (`nvim_open_win`): where it floats and how it looks.
    pub float: Option<crate::float::FloatConfig>,
}

impl Window {
    /// A window on `buffer` with local options copied from the global values.
    pub fn new(id: WindowId, buffer: BufferId, global: &OptionStore) -> Self {
        Window {
            id,
            buffer,
            cursor: Cursor::default(),
            curswant: 0,
            top_line: 0,
            options: OptionStore::local_from(global, true),
            height: 22,
            width: 80,
            leftcol: 0,
            rect: crate::layout::Rect { x: 0, y: 0, width: 80, height: 22 },
            status_line: true,
            separator: false,
            cursor_screen: (0, 0),
            vars: Default::default(),
            float: None,
        }
    }

    /// A boolean window option.
    pub fn opt_bool(&self, name: &str) -> bool {
        self.options.get(options::id(name)).is_some_and(OptionValue::as_bool)
    }
}
