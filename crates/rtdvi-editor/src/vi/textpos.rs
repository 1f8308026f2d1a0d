//! Walking a text position by position the way Vim's motions do.
//!
//! A [`Pos`] is a row and a char column. Like Vim, a position may sit one past the last character
//! of a line (the "NUL" position, `col == line_len`): word motions step onto it between lines and
//! treat it as a blank, and an exclusive operator may end there.

use ropey::Rope;

/// A position in a buffer: 0-based row and char column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// Row.
    pub row: usize,
    /// Char column.
    pub col: usize,
}

impl Pos {
    /// A position.
    pub const fn new(row: usize, col: usize) -> Pos {
        Pos { row, col }
    }
}

/// Number of lines of a text (an empty text has one).
pub fn line_count(rope: &Rope) -> usize {
    rope.len_lines()
}

/// Length of a line in chars without its line break (0 past the end).
pub fn line_len(rope: &Rope, row: usize) -> usize {
    if row >= rope.len_lines() {
        return 0;
    }
    let line = rope.line(row);
    let n = line.len_chars();
    if n > 0 && line.char(n - 1) == '\n' {
        n - 1
    } else {
        n
    }
}

/// The char at a position; `'\0'` at or past the end of the line (Vim's NUL).
pub fn char_at(rope: &Rope, p: Pos) -> char {
    if p.row >= rope.len_lines() || p.col >= line_len(rope, p.row) {
        return '\0';
    }
    rope.line(p.row).char(p.col)
}

/// Char offset of a position (clamped into the text).
pub fn offset(rope: &Rope, p: Pos) -> usize {
    if p.row >= rope.len_lines() {
        return rope.len_chars();
    }
    rope.line_to_char(p.row) + p.col.min(line_len(rope, p.row))
}

/// Position of a char offset.
pub fn pos_of(rope: &Rope, off: usize) -> Pos {
    let off = off.min(rope.len_chars());
    let row = rope.char_to_line(off);
    Pos { row, col: off - rope.line_to_char(row) }
}

/// Line `row` as a String without its line break.
pub fn line_string(rope: &Rope, row: usize) -> String {
    if row >= rope.len_lines() {
        return String::new();
    }
    let mut s = rope.line(row).to_string();
    if s.ends_with('\n') {
        s.pop();
    }
    s
}

/// Whether a line is empty.
pub fn line_empty(rope: &Rope, row: usize) -> bool {
    line_len(rope, row) == 0
}

/// Moves one char forward like Vim's `inc()`: 0 inside the line, 2 onto the NUL after the last
/// char, 1 onto the next line, -1 at the end of the text (no move).
pub fn inc(rope: &Rope, p: &mut Pos) -> i32 {
    let len = line_len(rope, p.row);
    if p.col < len {
        p.col += 1;
        return if p.col < len { 0 } else { 2 };
    }
    if p.row + 1 < line_count(rope) {
        p.row += 1;
        p.col = 0;
        return 1;
    }
    -1
}

/// Moves one char backward like Vim's `dec()`: 0 inside the line, 1 onto the previous line's NUL
/// position, -1 at the start of the text.
pub fn dec(rope: &Rope, p: &mut Pos) -> i32 {
    let len = line_len(rope, p.row);
    if p.col > len {
        p.col = len;
    }
    if p.col > 0 {
        p.col -= 1;
        return 0;
    }
    if p.row > 0 {
        p.row -= 1;
        p.col = line_len(rope, p.row);
        return 1;
    }
    -1
}

/// Like [`inc`] but skipping the NUL position (Vim's `inc_cursor` used by searches of chars).
pub fn inc_line_chars(rope: &Rope, p: &mut Pos) -> i32 {
    let r = inc(rope, p);
    if r == 2 {
        let mut q = *p;
        let r2 = inc(rope, &mut q);
        if r2 == -1 {
            return -1;
        }
        *p = q;
        return 1;
    }
    r
}

/// Like [`dec`] but landing on the last char of the previous line instead of its NUL.
pub fn dec_line_chars(rope: &Rope, p: &mut Pos) -> i32 {
    let r = dec(rope, p);
    if r == 1 && p.col > 0 {
        p.col -= 1;
    }
    r
}

/// The character class Vim's word motions use: 0 blank, 1 punctuation, 2 word characters, and
/// further classes for some scripts (emoji 3, CJK 4) so that they form words of their own.
pub fn char_class(c: char, bigword: bool) -> u8 {
    let base = if c == ' ' || c == '\t' || c == '\0' || c == '\u{a0}' || c == '\u{3000}' {
        0
    } else if is_word_char(c) {
        if let Some(script) = cjk_class(c) {
            script
        } else if is_emoji(c) {
            3
        } else {
            2
        }
    } else if is_emoji(c) {
        3
    } else {
        1
    };
    if bigword && base != 0 {
        1
    } else {
        base
    }
}

/// Whether `c` is a keyword character under the default 'iskeyword' (`@,48-57,_,192-255`) and
/// Vim's rule that other letters beyond Latin-1 are word characters too.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    let cp = c as u32;
    if (0xc0..=0xff).contains(&cp) {
        return cp != 0xd7 && cp != 0xf7;
    }
    if (0x80..0xc0).contains(&cp) {
        return false;
    }
    c.is_alphanumeric() || is_cjk(c) || is_emoji(c)
}

fn is_cjk(c: char) -> bool {
    cjk_class(c).is_some()
}

/// Vim's word classes for East Asian scripts: each script is its own class, so a word ends
/// where Hiragana, Katakana, ideographs or Hangul meet (`日本語のテキスト` is three words).
fn cjk_class(c: char) -> Option<u8> {
    match c as u32 {
        0x3040..=0x309f => Some(5),
        0x30a0..=0x30ff => Some(6),
        0x3300..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x2a6df | 0x2a700..=0x2b73f | 0x2b740..=0x2b81f => Some(4),
        0xac00..=0xd7a3 => Some(7),
        _ => None,
    }
}

fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1f000..=0x1faff | 0x2600..=0x27bf)
}

/// Whether a char is a blank (space or tab).
pub fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Column of the first non-blank of a line (the line length if it is all blank).
pub fn first_nonblank(rope: &Rope, row: usize) -> usize {
    if row >= rope.len_lines() {
        return 0;
    }
    let len = line_len(rope, row);
    rope.line(row).chars().take(len).take_while(|c| is_blank(*c)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inc_and_dec_visit_the_nul_position() {
        let r = Rope::from_str("ab\nc");
        let mut p = Pos::new(0, 1);
        assert_eq!(inc(&r, &mut p), 2);
        assert_eq!(p, Pos::new(0, 2));
        assert_eq!(inc(&r, &mut p), 1);
        assert_eq!(p, Pos::new(1, 0));
        assert_eq!(inc(&r, &mut p), 2);
        assert_eq!(inc(&r, &mut p), -1);
        assert_eq!(dec(&r, &mut p), 0);
        assert_eq!(dec(&r, &mut p), 1);
        assert_eq!(p, Pos::new(0, 2));
        let mut q = Pos::new(0, 0);
        assert_eq!(dec(&r, &mut q), -1);
    }

    #[test]
    fn classes() {
        assert_eq!(char_class('a', false), 2);
        assert_eq!(char_class('.', false), 1);
        assert_eq!(char_class('.', true), 1);
        assert_eq!(char_class(' ', true), 0);
        assert_eq!(char_class('é', false), 2);
        assert_eq!(char_class('日', false), 4);
        assert_ne!(char_class('の', false), char_class('テ', false));
        assert_ne!(char_class('の', false), char_class('日', false));
    }
}
