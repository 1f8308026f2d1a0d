//! rtdvi's terminal front end.
//!
//! - [`render`]: the editor drawn into a cell grid (ratatui's `Buffer`), pure and snapshot-tested;
//! - [`style`]: highlight groups to terminal colours (24-bit or the 256-colour fallback);
//! - [`syntax`]: tree-sitter highlighting, parsed off the UI thread;
//! - [`terminal`]: raw mode, alternate screen, restoring the terminal on every way out;
//! - [`input`]: terminal events to Vim key notation;
//! - [`app`]: the event loop that ties them to an [`rtdvi_editor::Editor`].

pub mod app;
pub mod input;
pub mod render;
pub mod style;
pub mod syntax;
pub mod terminal;

pub use render::{Renderer, UiState};

/// Renders the editor into a fresh grid of its screen size (tests and benchmarks).
pub fn render_to_buffer(
    ed: &mut rtdvi_editor::Editor,
    renderer: &mut Renderer,
    ui: &UiState,
    syntax: &mut dyn render::SpanSource,
) -> (ratatui::buffer::Buffer, Option<(u16, u16)>) {
    let cols = ed.opt("columns").as_number().max(1) as u16;
    let lines = ed.opt("lines").as_number().max(1) as u16;
    let placement = if ui.insert_cursor {
        rtdvi_editor::view::CursorPlacement::BeforeChar
    } else {
        rtdvi_editor::view::CursorPlacement::OnChar
    };
    ed.update_views(placement);
    let mut buf = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, cols, lines));
    let cursor = renderer.draw(ed, ui, syntax, &mut buf);
    (buf, cursor)
}

/// The text of a grid, one string per row (wide chars appear once; their second cell is skipped).
pub fn buffer_lines(buf: &ratatui::buffer::Buffer) -> Vec<String> {
    let area = buf.area;
    (0..area.height)
        .map(|y| {
            let mut s = String::new();
            for x in 0..area.width {
                s.push_str(buf[(x, y)].symbol());
            }
            s
        })
        .collect()
}
