//! Terminal events to keys in Vim notation (`a`, `<lt>`, `<C-w>`, `<S-Tab>`, `<M-x>`, `<F5>`).
//!
//! Producing notation rather than an engine type keeps the terminal layer independent of the key
//! engine: the same strings feed `keys::parse_keys` or the stand-in handler.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// The Vim notation of a key press, or `None` for releases and keys Vim has no name for.
pub fn key_notation(ev: &KeyEvent) -> Option<String> {
    if ev.kind == KeyEventKind::Release {
        return None;
    }
    let m = ev.modifiers;
    let ctrl = m.contains(KeyModifiers::CONTROL);
    let alt = m.contains(KeyModifiers::ALT);
    let shift = m.contains(KeyModifiers::SHIFT);
    let name: String = match ev.code {
        KeyCode::Char(c) => {
            if !ctrl && !alt {
                return Some(if c == '<' { "<lt>".to_string() } else { c.to_string() });
            }
            let base = if c == '<' { "lt".to_string() } else { c.to_ascii_lowercase().to_string() };
            let base = if ctrl && c.is_ascii_uppercase() { format!("S-{base}") } else { base };
            return Some(format!("<{}{}{}>", if ctrl { "C-" } else { "" }, if alt { "M-" } else { "" }, base));
        }
        KeyCode::Enter => "CR".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Backspace => "BS".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => return Some("<S-Tab>".into()),
        KeyCode::Delete => "Del".into(),
        KeyCode::Insert => "Insert".into(),
        KeyCode::Up => "Up".into(),
        KeyCode::Down => "Down".into(),
        KeyCode::Left => "Left".into(),
        KeyCode::Right => "Right".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PageUp".into(),
        KeyCode::PageDown => "PageDown".into(),
        KeyCode::F(n) => format!("F{n}"),
        _ => return None,
    };
    let mut mods = String::new();
    if ctrl {
        mods.push_str("C-");
    }
    if alt {
        mods.push_str("M-");
    }
    if shift {
        mods.push_str("S-");
    }
    Some(format!("<{mods}{name}>"))
}

/// Pasted text as keys: characters literally (`<` as `<lt>`), line breaks as `<CR>`.
pub fn paste_notation(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n");
    text.chars()
        .map(|c| match c {
            '<' => "<lt>".to_string(),
            '\n' | '\r' => "<CR>".to_string(),
            '\t' => "<Tab>".to_string(),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, m: KeyModifiers) -> Option<String> {
        key_notation(&KeyEvent::new(code, m))
    }

    #[test]
    fn notation_of_common_keys() {
        assert_eq!(key(KeyCode::Char('a'), KeyModifiers::NONE).as_deref(), Some("a"));
        assert_eq!(key(KeyCode::Char('A'), KeyModifiers::SHIFT).as_deref(), Some("A"));
        assert_eq!(key(KeyCode::Char('<'), KeyModifiers::NONE).as_deref(), Some("<lt>"));
        assert_eq!(key(KeyCode::Char('w'), KeyModifiers::CONTROL).as_deref(), Some("<C-w>"));
        assert_eq!(key(KeyCode::Char('x'), KeyModifiers::ALT).as_deref(), Some("<M-x>"));
        assert_eq!(key(KeyCode::Enter, KeyModifiers::NONE).as_deref(), Some("<CR>"));
        assert_eq!(key(KeyCode::Left, KeyModifiers::CONTROL).as_deref(), Some("<C-Left>"));
        assert_eq!(key(KeyCode::BackTab, KeyModifiers::SHIFT).as_deref(), Some("<S-Tab>"));
        assert_eq!(key(KeyCode::F(5), KeyModifiers::NONE).as_deref(), Some("<F5>"));
    }

    #[test]
    fn paste_keeps_text_literal() {
        assert_eq!(paste_notation("a<b\r\nc"), vec!["a", "<lt>", "b", "<CR>", "c"]);
    }
}
