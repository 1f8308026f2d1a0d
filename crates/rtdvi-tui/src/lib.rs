//! rtdvi terminal UI.
