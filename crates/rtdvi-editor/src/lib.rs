//! rtdvi's editor: buffers, windows, options with Vim's scopes, ex commands, registers, the event bus.
//!
//! Everything here is deterministic and front-end free: the headless mode, the terminal UI and the
//! plugin hosts all drive the same [`Editor`].

pub mod api;
pub mod attach;
pub mod buffer;
pub mod checkpoint;
pub mod cursor_follow;
pub mod editor;
pub mod events;
pub mod ex;
pub mod expr;
pub mod extmark;
pub mod fileio;
pub mod filetype;
pub mod float;
pub mod function;
pub mod highlight;
pub mod keys;
pub mod layout;
pub mod message;
pub mod options;
pub mod registers;
pub mod search;
pub mod swap;
pub mod user_command;
pub mod vi;
pub mod view;
pub mod window;

pub use buffer::{Buffer, BufferId};
pub use editor::Editor;
pub use ex::ExError;
pub use window::{Cursor, Window, WindowId};
