//! Messages: what the editor tells the user, and the `:messages` history.

/// How a message is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Plain output (`:echo`, listings): not kept in the history.
    Echo,
    /// An informational message kept in the history (`:echomsg`, "written" reports).
    Info,
    /// A warning (`WarningMsg`).
    Warning,
    /// An error (`ErrorMsg`).
    Error,
}

/// One message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Severity.
    pub level: Level,
    /// Text (may contain newlines for multi-line output).
    pub text: String,
}

/// The message area: pending messages for the front end, and the history `:messages` shows.
#[derive(Debug, Default)]
pub struct Messages {
    pending: Vec<Message>,
    history: Vec<Message>,
    /// Inside `:silent`: normal messages are dropped (not shown, not kept).
    pub silent: u32,
    /// Inside `:silent!`: errors are dropped too.
    pub silent_errors: u32,
    /// Output being captured (`nvim_exec2` with `output`, innermost last): each message is
    /// appended after a line break, and not shown.
    captures: Vec<String>,
}

/// How many messages `:messages` keeps (Vim's default 'messagesopt' history is 500).
const HISTORY_LIMIT: usize = 500;

impl Messages {
    fn push(&mut self, level: Level, text: String, keep: bool) {
        if (self.silent > 0 && level != Level::Error) || self.silent_errors > 0 {
            return;
        }
        if level != Level::Error {
            if let Some(buf) = self.captures.last_mut() {
                buf.push('\n');
                buf.push_str(&text);
                return;
            }
        }
        let m = Message { level, text };
        if keep {
            self.history.push(m.clone());
            if self.history.len() > HISTORY_LIMIT {
                let excess = self.history.len() - HISTORY_LIMIT;
                self.history.drain(..excess);
            }
        }
        self.pending.push(m);
    }

    /// Output that is not kept (`:echo`, `:ls`...).
    pub fn echo(&mut self, text: impl Into<String>) {
        self.push(Level::Echo, text.into(), false);
    }

    /// An informational message, kept in the history.
    pub fn info(&mut self, text: impl Into<String>) {
        self.push(Level::Info, text.into(), true);
    }

    /// A warning, kept.
    pub fn warning(&mut self, text: impl Into<String>) {
        self.push(Level::Warning, text.into(), true);
    }

    /// An error, kept.
    pub fn error(&mut self, text: impl Into<String>) {
        self.push(Level::Error, text.into(), true);
    }

    /// Starts capturing output (nested captures each get their own text).
    pub fn begin_capture(&mut self) {
        self.captures.push(String::new());
    }

    /// Ends the innermost capture and returns its text (messages separated by line breaks, with
    /// the one before the first, as Vim's `execute()` returns it).
    pub fn end_capture(&mut self) -> String {
        self.captures.pop().unwrap_or_default()
    }

    /// Detail kept for `:messages` only (not shown now): the long story behind a one-line error.
    pub fn detail(&mut self, text: impl Into<String>) {
        if self.silent_errors > 0 {
            return;
        }
        self.history.push(Message { level: Level::Info, text: text.into() });
        if self.history.len() > HISTORY_LIMIT {
            let excess = self.history.len() - HISTORY_LIMIT;
            self.history.drain(..excess);
        }
    }

    /// Takes the messages not yet shown.
    pub fn take_pending(&mut self) -> Vec<Message> {
        std::mem::take(&mut self.pending)
    }

    /// The history, oldest first.
    pub fn history(&self) -> &[Message] {
        &self.history
    }

    /// `:messages clear`.
    pub fn clear_history(&mut self) {
        self.history.clear();
    }
}
