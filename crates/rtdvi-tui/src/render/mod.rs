//! Drawing the editor into a cell grid (a ratatui [`Buffer`]).
//!
//! The renderer reads the editor and the front end's own state ([`UiState`]) and paints every cell of
//! the screen; the terminal layer diffs the grid against the previous frame and writes only the
//! cells that changed. Nothing here talks to the terminal, so snapshot tests assert exact grids.

mod bars;
mod window;

use ratatui::buffer::Buffer;
use ratatui::style::Style;
use rtdvi_editor::buffer::BufferId;
use rtdvi_editor::highlight::HlId;
use rtdvi_editor::message::Message;
use rtdvi_editor::Editor;

use crate::style::Styles;

/// A highlighted byte range of one line (line-relative byte offsets, end exclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The group to draw with.
    pub hl: HlId,
}

/// Where syntax highlighting comes from: spans for a range of lines of a buffer. Later spans win
/// where spans overlap.
pub trait SpanSource {
    /// Spans of lines `first..last` of `buf`, one vector per line.
    fn spans(&mut self, ed: &Editor, buf: BufferId, first: usize, last: usize) -> Vec<Vec<Span>>;
}

/// No syntax highlighting.
#[derive(Debug, Default)]
pub struct NoSyntax;

impl SpanSource for NoSyntax {
    fn spans(&mut self, _ed: &Editor, _buf: BufferId, first: usize, last: usize) -> Vec<Vec<Span>> {
        vec![Vec::new(); last.saturating_sub(first)]
    }
}

/// The kind of a visual selection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SelectionKind {
    /// `v`.
    Char,
    /// `V`.
    Line,
    /// `<C-v>`.
    Block,
}

/// A visual selection in the current window: (row, char col) ends, inclusive, in either order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection {
    /// Where the selection started.
    pub anchor: (usize, usize),
    /// The other end (the cursor).
    pub head: (usize, usize),
    /// Charwise, linewise or blockwise.
    pub kind: SelectionKind,
}

/// The command line being edited (`:`, `/`, `?`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CmdlineView {
    /// The prompt (`:`, `/`...).
    pub prompt: String,
    /// The text typed so far.
    pub text: String,
    /// The cursor, in chars into `text`.
    pub cursor: usize,
    /// `<Tab>` completion matches (shown as a popup menu above the command line).
    pub completions: Vec<String>,
    /// The highlighted match.
    pub selected: Option<usize>,
    /// Where the completed word starts in `text` (chars): the menu's column.
    pub completion_start: usize,
}

/// What the front end shows besides the editor state.
#[derive(Clone, Debug, Default)]
pub struct UiState {
    /// The mode message ("-- INSERT --"); empty in normal mode.
    pub mode_msg: String,
    /// A short mode name for the status line ("NORMAL", "INSERT"...).
    pub mode_name: String,
    /// The command line, when one is being edited.
    pub cmdline: Option<CmdlineView>,
    /// Keys typed so far of an unfinished command ('showcmd').
    pub showcmd: String,
    /// Messages on screen (the last batch).
    pub messages: Vec<Message>,
    /// Whether the messages wait for a key (the hit-enter prompt).
    pub hit_enter: bool,
    /// The visual selection.
    pub selection: Option<Selection>,
    /// Whether the cursor is placed before the char (insert mode) rather than on it.
    pub insert_cursor: bool,
    /// Matches of the pattern being typed ('incsearch'): pattern text.
    pub incsearch: Option<String>,
    /// Use 24-bit colours.
    pub truecolor: bool,
}

/// The renderer: style cache and per-frame scratch space.
#[derive(Debug, Default)]
pub struct Renderer {
    /// Styles of all highlight groups.
    pub styles: Styles,
    search: Option<(String, bool, bool, Option<rtdvi_core::pattern::Pattern>)>,
}

/// Resolved styles the window painter needs for every cell.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Palette {
    pub normal: Style,
    pub nc: Style,
    pub line_nr: Style,
    pub cursor_line_nr: Style,
    pub cursor_line: Style,
    pub color_column: Style,
    pub non_text: Style,
    pub end_of_buffer: Style,
    pub special_key: Style,
    pub whitespace: Style,
    pub search: Style,
    pub cur_search: Style,
    pub inc_search: Style,
    /// While typing a search ('incsearch'): the (row, char col) of the match the search would go
    /// to, drawn with IncSearch.
    pub inc_target: Option<(usize, usize)>,
    pub visual: Style,
    pub match_paren: Style,
    pub sign_column: Style,
    pub separator: Style,
}

impl Renderer {
    /// Draws the whole screen into `buf` (sized to the screen) and returns the cursor position.
    pub fn draw(
        &mut self,
        ed: &Editor,
        ui: &UiState,
        syntax: &mut dyn SpanSource,
        buf: &mut Buffer,
    ) -> Option<(u16, u16)> {
        self.styles.refresh(&ed.highlights, ui.truecolor);
        let pal = self.palette(ed);
        let mut blank = ratatui::buffer::Cell::EMPTY;
        blank.set_style(pal.normal);
        buf.content.fill(blank);
        self.prepare_search(ed, ui);
        let pattern = self.search.as_ref().and_then(|s| s.3.as_ref());
        let mut pal = pal;
        if let (Some(pat), Some(c)) =
            (pattern, ui.cmdline.as_ref().filter(|c| ui.incsearch.is_some() && c.prompt != ":"))
        {
            // The match a search typed now would reach: forward from the cursor for `/`, backward for `?`.
            let b = ed.buf();
            let from = ed.cursor_char();
            let found = if c.prompt == "?" {
                rtdvi_core::search::search_backward(&b.text, pat, from, ed.opt("wrapscan").as_bool())
            } else {
                rtdvi_core::search::search_forward(&b.text, pat, from, ed.opt("wrapscan").as_bool())
            };
            if let rtdvi_core::search::SearchResult::Found { range, .. } = found {
                pal.inc_target = Some(b.char_to_pos(range.start));
            }
        }
        let mut cursor = None;
        for id in ed.tab_windows() {
            let Some(w) = ed.window(id) else { continue };
            let at = window::draw_window(ed, w, &pal, &self.styles, pattern, ui, syntax, buf);
            if id == ed.current {
                cursor = at;
            }
            bars::draw_status_line(ed, w, ui, &self.styles, buf);
            if w.separator {
                window::draw_separator(w, &pal, buf);
            }
        }
        // Floating windows over the splits, lowest zindex first, each with its border.
        for id in ed.floats_in_order() {
            let Some(w) = ed.window(id) else { continue };
            window::draw_float_border(ed, w, &self.styles, buf);
            let at = window::draw_window(ed, w, &pal, &self.styles, pattern, ui, syntax, buf);
            if id == ed.current {
                cursor = at;
            }
        }
        if ed.shows_tabline() {
            bars::draw_tabline(ed, &self.styles, buf);
        }
        let cmd_cursor = bars::draw_cmdline(ed, ui, &self.styles, buf);
        if ui.cmdline.is_some() || ui.hit_enter {
            cursor = cmd_cursor;
        }
        cursor
    }

    fn palette(&self, ed: &Editor) -> Palette {
        let h = &ed.highlights;
        let s = |n: &str| self.styles.named(h, n);
        let normal = s("Normal");
        Palette {
            normal,
            nc: normal.patch(s("NormalNC")),
            line_nr: s("LineNr"),
            cursor_line_nr: s("CursorLineNr"),
            cursor_line: s("CursorLine"),
            color_column: s("ColorColumn"),
            non_text: s("NonText"),
            end_of_buffer: s("EndOfBuffer"),
            special_key: s("SpecialKey"),
            whitespace: s("Whitespace"),
            search: s("Search"),
            cur_search: s("CurSearch"),
            inc_search: s("IncSearch"),
            inc_target: None,
            visual: s("Visual"),
            match_paren: s("MatchParen"),
            sign_column: s("SignColumn"),
            separator: s("WinSeparator"),
        }
    }

    /// The pattern to highlight: the one being typed ('incsearch'), else the last search
    /// ('hlsearch', unless `:noh`). Compiled once per pattern and option set.
    fn prepare_search(&mut self, ed: &Editor, ui: &UiState) {
        let text = match &ui.incsearch {
            Some(p) if ed.opt("incsearch").as_bool() && !p.is_empty() => p.clone(),
            _ => {
                let on = ed.opt("hlsearch").as_bool() && ed.search.highlight;
                match ed.search.last_pattern.clone().filter(|_| on) {
                    Some(p) => p,
                    None => {
                        self.search = None;
                        return;
                    }
                }
            }
        };
        let ic = ed.opt("ignorecase").as_bool();
        let sc = ed.opt("smartcase").as_bool();
        let fresh = !matches!(&self.search, Some((t, i, s, _)) if *t == text && *i == ic && *s == sc);
        if fresh {
            let compiled = ed.compile_pattern(&text).ok();
            self.search = Some((text, ic, sc, compiled));
        }
    }
}

#[cfg(test)]
mod tests;
