//! Keys and Vim's key notation (`<Esc>`, `<C-x>`, `<lt>` ...).
//!
//! A [`Key`] is one keystroke: a code plus modifiers. Control with a letter is kept as the letter
//! plus [`Mods::CTRL`] (so `<C-a>` and a raw `\x01` are the same key), a few control keys have their
//! own names like Vim (`<C-[>` is `<Esc>`, `<C-m>` is `<CR>`, `<C-i>` is `<Tab>`), and Shift with a
//! printable character is folded into the character (`<S-a>` is `A`). Invalid notation is taken
//! literally, character by character, as Vim does: `<foo>` is the five keys `<`, `f`, `o`, `o`, `>`.

use std::fmt::Write as _;

/// Modifier flags of a key.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mods(pub u8);

impl Mods {
    /// No modifier.
    pub const NONE: Mods = Mods(0);
    /// Shift (kept only on keys that have no shifted character: `<S-Tab>`, `<S-Left>`).
    pub const SHIFT: Mods = Mods(1);
    /// Control.
    pub const CTRL: Mods = Mods(2);
    /// Alt / Meta.
    pub const ALT: Mods = Mods(4);
    /// Command / Super (`<D-x>`).
    pub const SUPER: Mods = Mods(8);

    /// Whether every flag of `other` is set.
    pub fn contains(self, other: Mods) -> bool {
        self.0 & other.0 == other.0
    }
}

impl std::ops::BitOr for Mods {
    type Output = Mods;
    fn bitor(self, rhs: Mods) -> Mods {
        Mods(self.0 | rhs.0)
    }
}

/// What was pressed, without modifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCode {
    /// A character (`a`, `Ä`, ` `).
    Char(char),
    /// `<Esc>`.
    Esc,
    /// `<CR>` (Enter, `<C-m>`).
    Enter,
    /// `<NL>` (`<C-j>`, a raw "\n").
    NewLine,
    /// `<Tab>` (`<C-i>`).
    Tab,
    /// `<BS>`.
    Backspace,
    /// `<Del>`.
    Delete,
    /// `<Insert>`.
    Insert,
    /// `<Up>`.
    Up,
    /// `<Down>`.
    Down,
    /// `<Left>`.
    Left,
    /// `<Right>`.
    Right,
    /// `<Home>`.
    Home,
    /// `<End>`.
    End,
    /// `<PageUp>`.
    PageUp,
    /// `<PageDown>`.
    PageDown,
    /// `<F1>`..`<F37>`.
    F(u8),
    /// `<Nul>` (`<C-@>`).
    Nul,
    /// `<Plug>`: starts keys only mappings can produce.
    Plug,
    /// `<Nop>`/`<Ignore>`: does nothing.
    Ignore,
    /// `<SNR>` (script-local prefix; kept for notation round trips).
    Snr,
    /// `<Cmd>`: the keys up to the next `<CR>` are an ex command run without leaving the mode.
    Cmd,
}

/// One keystroke.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Its modifiers.
    pub mods: Mods,
}

impl Key {
    /// A plain character key.
    pub const fn char(c: char) -> Key {
        Key { code: KeyCode::Char(c), mods: Mods::NONE }
    }

    /// A key without modifiers.
    pub const fn plain(code: KeyCode) -> Key {
        Key { code, mods: Mods::NONE }
    }

    /// Control + a character (`ctrl('w')` is `<C-w>`).
    pub fn ctrl(c: char) -> Key {
        normalize(KeyCode::Char(c), Mods::CTRL)
    }

    /// The plain character of this key, if it is one without modifiers.
    pub fn as_char(&self) -> Option<char> {
        match (self.code, self.mods) {
            (KeyCode::Char(c), Mods::NONE) => Some(c),
            _ => None,
        }
    }

    /// Whether this is `<C-{c}>` (c lowercase).
    pub fn is_ctrl(&self, c: char) -> bool {
        self.code == KeyCode::Char(c) && self.mods == Mods::CTRL
    }

    /// The character this key inserts as text (a control character for `<C-x>`), if any.
    pub fn to_text_char(&self) -> Option<char> {
        match (self.code, self.mods) {
            (KeyCode::Char(c), Mods::NONE) => Some(c),
            (KeyCode::Char(c), Mods::CTRL) => ctrl_char(c),
            (KeyCode::Tab, Mods::NONE) => Some('\t'),
            (KeyCode::Enter, Mods::NONE) => Some('\r'),
            (KeyCode::NewLine, Mods::NONE) => Some('\n'),
            (KeyCode::Esc, Mods::NONE) => Some('\x1b'),
            (KeyCode::Nul, Mods::NONE) => Some('\0'),
            _ => None,
        }
    }
}

/// The control character for `<C-c>` (`c` lowercase letter or one of `@[\]^_?`).
fn ctrl_char(c: char) -> Option<char> {
    match c {
        'a'..='z' => Some(char::from(c as u8 - b'a' + 1)),
        '@' => Some('\0'),
        '[' => Some('\x1b'),
        '\\' => Some('\x1c'),
        ']' => Some('\x1d'),
        '^' => Some('\x1e'),
        '_' => Some('\x1f'),
        '?' => Some('\x7f'),
        _ => None,
    }
}

/// Builds the canonical key for a code and modifiers (see the module docs).
fn normalize(code: KeyCode, mods: Mods) -> Key {
    let mut mods = mods;
    let mut code = code;
    if let KeyCode::Char(c) = code {
        if mods.contains(Mods::SHIFT) && !c.is_control() {
            // Shift folds into the character: <S-a> is A, <S-1> stays 1 (the terminal sends '!').
            let up: Vec<char> = c.to_uppercase().collect();
            if up.len() == 1 {
                code = KeyCode::Char(up[0]);
            }
            mods = Mods(mods.0 & !Mods::SHIFT.0);
        }
        if mods.contains(Mods::CTRL) {
            if let KeyCode::Char(c) = code {
                let lower = c.to_ascii_lowercase();
                let named = match lower {
                    '[' => Some(KeyCode::Esc),
                    'm' => Some(KeyCode::Enter),
                    'i' => Some(KeyCode::Tab),
                    'j' => Some(KeyCode::NewLine),
                    '@' => Some(KeyCode::Nul),
                    _ => None,
                };
                let rest = Mods(mods.0 & !Mods::CTRL.0);
                if let Some(k) = named {
                    return Key { code: k, mods: rest };
                }
                if lower.is_ascii_alphabetic() {
                    code = KeyCode::Char(lower);
                }
            }
        }
    }
    Key { code, mods }
}

/// The key a raw character stands for when typed (control characters become their `<C-x>` keys).
pub fn key_from_char(c: char) -> Key {
    match c {
        '\x1b' => Key::plain(KeyCode::Esc),
        '\r' => Key::plain(KeyCode::Enter),
        '\n' => Key::plain(KeyCode::NewLine),
        '\t' => Key::plain(KeyCode::Tab),
        '\0' => Key::plain(KeyCode::Nul),
        '\x7f' => Key::plain(KeyCode::Backspace),
        '\x01'..='\x1a' => Key { code: KeyCode::Char(char::from(c as u8 - 1 + b'a')), mods: Mods::CTRL },
        '\x1c' => Key { code: KeyCode::Char('\\'), mods: Mods::CTRL },
        '\x1d' => Key { code: KeyCode::Char(']'), mods: Mods::CTRL },
        '\x1e' => Key { code: KeyCode::Char('^'), mods: Mods::CTRL },
        '\x1f' => Key { code: KeyCode::Char('_'), mods: Mods::CTRL },
        c => Key::char(c),
    }
}

/// Special keys as stored in a register by macro recording (`q`): each key without a text
/// character becomes one char of the Unicode private-use plane 15, as Vim stores its internal key
/// codes; [`key_from_register_char`] reads it back when the register is executed.
pub fn key_to_register_char(k: &Key) -> Option<char> {
    if let Some(c) = k.to_text_char() {
        return Some(c);
    }
    let code: u32 = match k.code {
        KeyCode::Up => 1,
        KeyCode::Down => 2,
        KeyCode::Left => 3,
        KeyCode::Right => 4,
        KeyCode::Home => 5,
        KeyCode::End => 6,
        KeyCode::PageUp => 7,
        KeyCode::PageDown => 8,
        KeyCode::Delete => 9,
        KeyCode::Insert => 10,
        KeyCode::Backspace => 11,
        KeyCode::Tab => 12,
        KeyCode::Enter => 13,
        KeyCode::Esc => 14,
        KeyCode::NewLine => 15,
        KeyCode::Plug => 16,
        KeyCode::Ignore => 17,
        KeyCode::Nul => 18,
        KeyCode::Snr => 19,
        KeyCode::Cmd => 20,
        KeyCode::F(n) => 32 + u32::from(n),
        KeyCode::Char(c) if (c as u32) < 0x80 => 0x80 + c as u32,
        KeyCode::Char(_) => return None,
    };
    char::from_u32(0xF0000 + (u32::from(k.mods.0) << 8) + code)
}

/// The key a register char stands for when a register is executed (see [`key_to_register_char`]).
pub fn key_from_register_char(c: char) -> Key {
    let v = c as u32;
    if !(0xF0000..0xF1000).contains(&v) {
        return key_from_char(c);
    }
    let mods = Mods(((v - 0xF0000) >> 8) as u8);
    let code = match (v - 0xF0000) & 0xff {
        1 => KeyCode::Up,
        2 => KeyCode::Down,
        3 => KeyCode::Left,
        4 => KeyCode::Right,
        5 => KeyCode::Home,
        6 => KeyCode::End,
        7 => KeyCode::PageUp,
        8 => KeyCode::PageDown,
        9 => KeyCode::Delete,
        10 => KeyCode::Insert,
        11 => KeyCode::Backspace,
        12 => KeyCode::Tab,
        13 => KeyCode::Enter,
        14 => KeyCode::Esc,
        15 => KeyCode::NewLine,
        16 => KeyCode::Plug,
        17 => KeyCode::Ignore,
        18 => KeyCode::Nul,
        19 => KeyCode::Snr,
        20 => KeyCode::Cmd,
        n @ 33..=69 => KeyCode::F((n - 32) as u8),
        n @ 0x80..=0xff => KeyCode::Char(char::from((n - 0x80) as u8)),
        _ => return key_from_char(c),
    };
    Key { code, mods }
}

/// Named keys, lowercase, as accepted inside `<...>`.
const NAMES: &[(&str, KeyCode)] = &[
    ("esc", KeyCode::Esc),
    ("cr", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("enter", KeyCode::Enter),
    ("nl", KeyCode::NewLine),
    ("newline", KeyCode::NewLine),
    ("linefeed", KeyCode::NewLine),
    ("lf", KeyCode::NewLine),
    ("tab", KeyCode::Tab),
    ("bs", KeyCode::Backspace),
    ("backspace", KeyCode::Backspace),
    ("del", KeyCode::Delete),
    ("delete", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("ins", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("nul", KeyCode::Nul),
    ("plug", KeyCode::Plug),
    ("nop", KeyCode::Ignore),
    ("ignore", KeyCode::Ignore),
    ("snr", KeyCode::Snr),
    ("cmd", KeyCode::Cmd),
    ("khome", KeyCode::Home),
    ("kend", KeyCode::End),
    ("kpageup", KeyCode::PageUp),
    ("kpagedown", KeyCode::PageDown),
    ("kdel", KeyCode::Delete),
    ("kenter", KeyCode::Enter),
];

/// Named characters inside `<...>`.
const CHAR_NAMES: &[(&str, char)] = &[
    ("space", ' '),
    ("lt", '<'),
    ("bar", '|'),
    ("bslash", '\\'),
    ("gt", '>'),
    ("kplus", '+'),
    ("kminus", '-'),
    ("kmultiply", '*'),
    ("kdivide", '/'),
    ("kpoint", '.'),
    ("kcomma", ','),
    ("kequal", '='),
];

/// Parses the inside of one `<...>` (without the brackets).
fn parse_bracket(inner: &str, leader: &str, localleader: &str) -> Option<Vec<Key>> {
    let lower = inner.to_ascii_lowercase();
    if lower == "leader" {
        return Some(parse_keys_with(leader, "", ""));
    }
    if lower == "localleader" {
        return Some(parse_keys_with(localleader, "", ""));
    }
    // Modifier prefixes: each is one letter and a dash (`C-`, `S-`, `M-`, `A-`, `D-`); the rest is a
    // single character or a key name. `<C-->` is Control + '-'.
    let mut mods = Mods::NONE;
    let mut rest = inner;
    loop {
        let mut it = rest.chars();
        let (Some(m), Some('-')) = (it.next(), it.next()) else { break };
        let after = &rest[2..];
        if after.is_empty() {
            break;
        }
        let flag = match m.to_ascii_lowercase() {
            'c' => Mods::CTRL,
            's' => Mods::SHIFT,
            'm' | 'a' => Mods::ALT,
            'd' | 't' => Mods::SUPER,
            _ => return None,
        };
        mods = mods | flag;
        rest = after;
    }
    let rest_lower = rest.to_ascii_lowercase();
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) if mods != Mods::NONE => KeyCode::Char(c),
        _ => {
            if let Some((_, k)) = NAMES.iter().find(|(n, _)| *n == rest_lower) {
                *k
            } else if let Some((_, c)) = CHAR_NAMES.iter().find(|(n, _)| *n == rest_lower) {
                KeyCode::Char(*c)
            } else if let Some(n) = rest_lower.strip_prefix('f').and_then(|d| d.parse::<u8>().ok()) {
                if (1..=37).contains(&n) {
                    KeyCode::F(n)
                } else {
                    return None;
                }
            } else if let Some(n) = rest_lower.strip_prefix('k').and_then(|d| d.parse::<u8>().ok()) {
                // Keypad digits <k0>..<k9>.
                if n <= 9 {
                    KeyCode::Char(char::from(b'0' + n))
                } else {
                    return None;
                }
            } else {
                return None;
            }
        }
    };
    if mods == Mods::NONE {
        return Some(vec![Key::plain(code)]);
    }
    Some(vec![normalize(code, mods)])
}

/// Parses Vim key notation into keys (`"d<C-v>$<Esc>"`). Never fails: what is not valid notation is
/// taken literally. `<Leader>` expands to a backslash (use [`parse_keys_with`] for a leader).
pub fn parse_keys(s: &str) -> Vec<Key> {
    parse_keys_with(s, "\\", "\\")
}

/// Parses key notation with the given `<Leader>` and `<LocalLeader>` strings.
pub fn parse_keys_with(s: &str, leader: &str, localleader: &str) -> Vec<Key> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if let Some(body) = rest.strip_prefix('<') {
            if let Some(close) = body.find('>') {
                // `<C->>`: a '>' right after a modifier dash is the key itself.
                let mut candidates = vec![close];
                if body[..close].ends_with('-') && body[close + 1..].starts_with('>') {
                    candidates.insert(0, close + 1);
                }
                let mut done = false;
                for close in candidates {
                    let inner = &body[..close];
                    if inner.is_empty() || inner.contains('<') {
                        continue;
                    }
                    if let Some(keys) = parse_bracket(inner, leader, localleader) {
                        out.extend(keys);
                        i += close + 2;
                        done = true;
                        break;
                    }
                }
                if done {
                    continue;
                }
            }
        }
        let Some(c) = rest.chars().next() else { break };
        out.push(key_from_char(c));
        i += c.len_utf8();
    }
    out
}

/// Writes keys in Vim's notation (`keytrans()`): `<lt>`, `<Space>`, `<Bar>`, `<Bslash>`, `<C-W>`.
pub fn key_notation(keys: &[Key]) -> String {
    let mut s = String::new();
    for k in keys {
        write_key(&mut s, k);
    }
    s
}

fn write_key(s: &mut String, k: &Key) {
    let mut prefix = String::new();
    if k.mods.contains(Mods::SHIFT) {
        prefix.push_str("S-");
    }
    if k.mods.contains(Mods::CTRL) {
        prefix.push_str("C-");
    }
    if k.mods.contains(Mods::ALT) {
        prefix.push_str("M-");
    }
    if k.mods.contains(Mods::SUPER) {
        prefix.push_str("D-");
    }
    let name: String = match k.code {
        KeyCode::Char(c) if prefix.is_empty() => match c {
            '<' => "lt".into(),
            ' ' => "Space".into(),
            '|' => "Bar".into(),
            '\\' => "Bslash".into(),
            c => {
                s.push(c);
                return;
            }
        },
        KeyCode::Char(c) if k.mods.contains(Mods::CTRL) && c.is_ascii_lowercase() => c.to_ascii_uppercase().into(),
        KeyCode::Char(' ') => "Space".into(),
        KeyCode::Char('<') => "lt".into(),
        KeyCode::Char(c) => c.into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Enter => "CR".into(),
        KeyCode::NewLine => "NL".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::Backspace => "BS".into(),
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
        KeyCode::Nul => "Nul".into(),
        KeyCode::Plug => "Plug".into(),
        KeyCode::Ignore => "Ignore".into(),
        KeyCode::Snr => "SNR".into(),
        KeyCode::Cmd => "Cmd".into(),
    };
    let _ = write!(s, "<{prefix}{name}>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_named() {
        let k = parse_keys("d<Esc><CR>x");
        assert_eq!(k, vec![Key::char('d'), Key::plain(KeyCode::Esc), Key::plain(KeyCode::Enter), Key::char('x')]);
        assert_eq!(parse_keys("<esc>"), parse_keys("<ESC>"));
        assert_eq!(
            parse_keys("<lt><Bar><Bslash><Space>"),
            vec![Key::char('<'), Key::char('|'), Key::char('\\'), Key::char(' ')]
        );
    }

    #[test]
    fn control_keys_are_canonical() {
        assert_eq!(parse_keys("<C-a>"), parse_keys("<C-A>"));
        assert_eq!(parse_keys("<C-a>"), parse_keys("\x01"));
        assert_eq!(parse_keys("<C-[>"), parse_keys("<Esc>"));
        assert_eq!(parse_keys("<C-v>"), parse_keys("\x16"));
        assert_eq!(parse_keys("<S-a>"), parse_keys("A"));
        assert_eq!(parse_keys("<S-Tab>")[0], Key { code: KeyCode::Tab, mods: Mods::SHIFT });
        assert_eq!(parse_keys("<M-x>")[0], Key { code: KeyCode::Char('x'), mods: Mods::ALT });
        assert_eq!(parse_keys("<F12>")[0], Key::plain(KeyCode::F(12)));
    }

    #[test]
    fn invalid_notation_is_literal() {
        assert_eq!(parse_keys("<foo>").len(), 5);
        assert_eq!(parse_keys("<").len(), 1);
        assert_eq!(parse_keys("<>").len(), 2);
        assert_eq!(parse_keys("<C->").len(), 4);
        assert_eq!(parse_keys("a<b"), vec![Key::char('a'), Key::char('<'), Key::char('b')]);
    }

    #[test]
    fn register_chars_round_trip() {
        for s in ["<Left>", "<S-Tab>", "<C-Left>", "<F5>", "<M-x>", "a", "<C-w>", "<Esc>", "é"] {
            let k = parse_keys(s)[0];
            let c = key_to_register_char(&k).unwrap();
            assert_eq!(key_from_register_char(c), k, "{s}");
        }
    }

    #[test]
    fn leader_expands() {
        assert_eq!(parse_keys_with("<leader>w", ",", "\\"), vec![Key::char(','), Key::char('w')]);
        assert_eq!(parse_keys("<Leader>"), vec![Key::char('\\')]);
    }

    #[test]
    fn notation_round_trips() {
        for s in ["d<C-V>$<Esc>", "<lt>a<Bar><Bslash><Space>", "<S-Tab><M-x><F3><CR>", "<C-W>j"] {
            let keys = parse_keys(s);
            assert_eq!(parse_keys(&key_notation(&keys)), keys, "{s}");
        }
        assert_eq!(key_notation(&parse_keys("<c-w>")), "<C-W>");
        assert_eq!(key_notation(&parse_keys("a b")), "a<Space>b");
    }
}
