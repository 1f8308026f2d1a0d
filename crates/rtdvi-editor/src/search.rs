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

impl crate::editor::Editor {
    /// Makes `pat` the last search pattern, which the `/` register shows (`:s`, `:g`, `:/pat/`
    /// addresses set it as `/` does).
    pub fn set_last_pattern(&mut self, pat: &str) {
        self.search.last_pattern = Some(pat.to_string());
        let reg =
            crate::registers::Register { lines: vec![pat.to_string()], kind: crate::registers::RegisterKind::Charwise };
        let _ = self.registers.set_keeping_unnamed('/', reg);
    }

    /// `:keeppatterns {cmd}`: runs `cmd` leaving the search state (last search and substitute
    /// patterns, replacement, history, highlighting) and the `/` register as they were.
    pub fn keeppatterns(&mut self, cmd: &str) -> Result<(), crate::ex::ExError> {
        let search = self.search.clone();
        let reg = self.registers.get('/').cloned();
        let result = self.execute_ex(cmd);
        self.search = search;
        self.registers.restore('/', reg);
        result
    }
}
