//! Search state shared by `/`, `n`, `:s`, `:g` and the `~` atom.

/// Direction of the last search.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Direction {
    /// `/`.
    #[default]
    Forward,
    /// `?`.
    Backward,
}

/// The remembered search and substitute state.
#[derive(Clone, Debug, Default)]
pub struct SearchState {
    /// The last search pattern (used by `n`, `//`, and an empty `:s//`).
    pub last_pattern: Option<String>,
    /// The direction of the last `/` or `?`.
    pub direction: Direction,
    /// The last substitute pattern (`:s` with no pattern, `\&` addresses, `&`).
    pub last_substitute_pattern: Option<String>,
    /// The last replacement string (`~` in patterns and replacements).
    pub last_replacement: Option<String>,
    /// The flags of the last `:s` (for `:&&`).
    pub last_substitute_flags: String,
    /// Whether 'hlsearch' highlighting is currently shown (`:noh` turns it off until the next search).
    pub highlight: bool,
    /// Search history, oldest first.
    pub history: Vec<String>,
}
