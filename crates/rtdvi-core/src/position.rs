//! Conversions between the coordinates the editor meets.
//!
//! The internal position is a char offset into the rope. Around it:
//! - `(row, char col)`: the seed ABI and most of the editor;
//! - `(row, byte col)`: Neovim's API (UTF-8 byte columns);
//! - display columns: what the screen shows, with tabs expanded to the next
//!   multiple of `tabstop` and wide characters taking two cells.
//!
//! Rows and columns are 0-based. A row's text never includes its newline
//! (the buffer holds lines joined by "\n"). Out-of-range input never panics:
//! functions return `None`, or clamp where the name says so.
//!
//! Display widths follow Neovim 0.11 with `ambiwidth=single`: control
//! characters show as `^X` (2 cells), C1 controls and characters Vim deems
//! unprintable (zero-width space, BOM, bidi controls...) as `<xx>` (their hex
//! code in angle brackets), combining marks take no cell after a base
//! character, East Asian wide characters and emoji take two cells.
//!
//! Other widths come from `unicode-width` (Unicode 16), which is what most
//! terminals follow. Where Neovim's own tables differ (checked over all code
//! points): spacing combining marks (Neovim 0, here 1), text-presentation
//! emoji such as U+1F321 and regional indicators (Neovim 2, here 1), Hangul
//! medial/final jamo (Neovim 1, here 0) and code points Neovim's older tables
//! leave unassigned.

use std::borrow::Cow;

use ropey::{Rope, RopeSlice};
use unicode_width::UnicodeWidthChar;

/// Tab width used when `tabstop` is 0 (Vim rejects 0; this keeps the math total).
const FALLBACK_TABSTOP: usize = 8;

/// The text of `row` without its newline; "" for a row past the end.
pub fn line_text(rope: &Rope, row: usize) -> Cow<'_, str> {
    match line_slice(rope, row) {
        Some(line) => line.into(),
        None => Cow::Borrowed(""),
    }
}

/// The slice of `row` without its newline; `None` past the last row.
pub fn line_slice(rope: &Rope, row: usize) -> Option<RopeSlice<'_>> {
    let line = rope.get_line(row)?;
    let n = line.len_chars();
    if n > 0 && line.get_char(n - 1) == Some('\n') {
        line.get_slice(..n - 1)
    } else {
        Some(line)
    }
}

/// Length of `row` in chars, without the newline; `None` past the last row.
pub fn line_len_chars(rope: &Rope, row: usize) -> Option<usize> {
    line_slice(rope, row).map(|l| l.len_chars())
}

/// Length of `row` in UTF-8 bytes, without the newline; `None` past the last row.
pub fn line_len_bytes(rope: &Rope, row: usize) -> Option<usize> {
    line_slice(rope, row).map(|l| l.len_bytes())
}

/// Row and char column of char offset `pos`; `None` if `pos` is past the end.
pub fn char_to_row_col(rope: &Rope, pos: usize) -> Option<(usize, usize)> {
    let row = rope.try_char_to_line(pos).ok()?;
    let start = rope.try_line_to_char(row).ok()?;
    Some((row, pos - start))
}

/// Char offset of (row, char col); `None` if the row does not exist or the
/// column lies past the end of the line (the end itself is allowed).
pub fn row_col_to_char(rope: &Rope, row: usize, col: usize) -> Option<usize> {
    let len = line_len_chars(rope, row)?;
    if col > len {
        return None;
    }
    Some(rope.try_line_to_char(row).ok()? + col)
}

/// Char offset of (row, char col), clamping the row to the last line and the
/// column to the end of the line.
pub fn row_col_to_char_clamped(rope: &Rope, row: usize, col: usize) -> usize {
    let row = row.min(rope.len_lines().saturating_sub(1));
    let len = line_len_chars(rope, row).unwrap_or(0);
    rope.try_line_to_char(row).unwrap_or(0) + col.min(len)
}

/// Row and byte column of char offset `pos`; `None` if `pos` is past the end.
pub fn char_to_row_byte_col(rope: &Rope, pos: usize) -> Option<(usize, usize)> {
    let byte = rope.try_char_to_byte(pos).ok()?;
    let row = rope.try_byte_to_line(byte).ok()?;
    let start = rope.try_line_to_byte(row).ok()?;
    Some((row, byte - start))
}

/// Char offset of (row, byte column); `None` if the row does not exist or the
/// column lies past the end of the line. A column inside a multi-byte
/// character means that character (Vim moves such a cursor to its start).
pub fn row_byte_col_to_char(rope: &Rope, row: usize, byte_col: usize) -> Option<usize> {
    let len = line_len_bytes(rope, row)?;
    if byte_col > len {
        return None;
    }
    let start = rope.try_line_to_byte(row).ok()?;
    // `byte_to_char` rounds down to the start of the char holding the byte.
    rope.try_byte_to_char(start + byte_col).ok()
}

/// Char column of byte column `byte_col` in `line`, rounding into the char
/// holding that byte; `None` past the end of the line.
pub fn byte_col_to_char_col(line: RopeSlice<'_>, byte_col: usize) -> Option<usize> {
    if byte_col > line.len_bytes() {
        return None;
    }
    line.try_byte_to_char(byte_col).ok()
}

/// Byte column of char column `col` in `line`; `None` past the end of the line.
pub fn char_col_to_byte_col(line: RopeSlice<'_>, col: usize) -> Option<usize> {
    line.try_char_to_byte(col).ok()
}

/// Cells `c` takes on screen when it starts at display column `vcol`, as
/// Neovim draws it. `first` says whether `c` is the first char of the line
/// (a combining mark there is drawn on a space and takes a cell).
pub fn char_display_width(c: char, vcol: usize, tabstop: usize, first: bool) -> usize {
    let tabstop = if tabstop == 0 { FALLBACK_TABSTOP } else { tabstop };
    let cp = c as u32;
    match cp {
        0x09 => tabstop - vcol % tabstop,
        // ^@ .. ^_ and ^?
        0x00..=0x1f | 0x7f => 2,
        // <80> .. <9f>
        0x80..=0x9f => 4,
        // A byte that was not valid UTF-8 in the file, shown as <xx> (see codec).
        0x10ff00..=0x10ffff => 4,
        // Joiners, Mongolian variation selectors and skin tones compose with
        // the char before them; alone at the line start they are shown apart.
        0x200c | 0x200d | 0x180b..=0x180d | 0x1f3fb..=0x1f3ff if !first => 0,
        _ if is_unprintable(cp) => hex_width(cp) + 2,
        // unicode-width makes the soft hyphen invisible; Vim shows it.
        0xad => 1,
        _ => match c.width() {
            Some(0) if first => 1,
            Some(w) => w,
            None => 1,
        },
    }
}

/// Characters Vim shows as `<xxxx>`: invisible formatting and non-characters.
fn is_unprintable(cp: u32) -> bool {
    matches!(
        cp,
        0x070f
            | 0x180b..=0x180e
            | 0x200b..=0x200f
            | 0x202a..=0x202e
            | 0x2060..=0x206f
            | 0xfeff
            | 0xfff9..=0xfffb
            | 0xfffe..=0xffff
    )
}

/// Hex digits Vim shows for `cp`: 2 for a byte (`<85>`), else at least 4 (`<070f>`).
fn hex_width(cp: u32) -> usize {
    let digits = (32 - cp.leading_zeros()).div_ceil(4) as usize;
    if cp <= 0xff {
        2
    } else {
        digits.max(4)
    }
}

/// Display column where char column `col` of `line` starts (clamped to the
/// end of the line, which gives the line's full width).
pub fn char_col_to_display_col(line: RopeSlice<'_>, col: usize, tabstop: usize) -> usize {
    let mut vcol = 0;
    for (i, c) in line.chars().take(col).enumerate() {
        vcol += char_display_width(c, vcol, tabstop, i == 0);
    }
    vcol
}

/// Char column of the character covering display column `vcol` (the middle
/// of a tab or a wide character gives that character); past the end of the
/// line gives the line length.
pub fn display_col_to_char_col(line: RopeSlice<'_>, vcol: usize, tabstop: usize) -> usize {
    let mut start = 0;
    for (i, c) in line.chars().enumerate() {
        let w = char_display_width(c, start, tabstop, i == 0);
        if vcol < start + w {
            return i;
        }
        start += w;
    }
    line.len_chars()
}

/// Width of the whole line in display cells.
pub fn display_width(line: RopeSlice<'_>, tabstop: usize) -> usize {
    char_col_to_display_col(line, usize::MAX, tabstop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rope(s: &str) -> Rope {
        Rope::from_str(s)
    }

    #[test]
    fn lines_exclude_newline_and_empty_buffer_has_one_line() {
        let r = rope("");
        assert_eq!(r.len_lines(), 1);
        assert_eq!(line_text(&r, 0), "");
        assert_eq!(line_len_chars(&r, 0), Some(0));
        assert_eq!(line_len_chars(&r, 1), None);
        let r = rope("añb\n\n漢字");
        assert_eq!(r.len_lines(), 3);
        assert_eq!(line_text(&r, 0), "añb");
        assert_eq!(line_text(&r, 1), "");
        assert_eq!(line_text(&r, 2), "漢字");
        assert_eq!(line_text(&r, 3), "");
        assert_eq!(line_len_chars(&r, 0), Some(3));
        assert_eq!(line_len_bytes(&r, 0), Some(4));
        assert_eq!(line_len_bytes(&r, 2), Some(6));
    }

    #[test]
    fn only_newline_ends_a_line() {
        // A lone CR, form feed or U+2028 is text in Vim's model.
        let r = rope("a\rb\u{2028}c\u{c}d\ne");
        assert_eq!(r.len_lines(), 2);
        assert_eq!(line_len_chars(&r, 0), Some(7));
    }

    #[test]
    fn char_and_row_col() {
        let r = rope("ab\nçd\n");
        assert_eq!(char_to_row_col(&r, 0), Some((0, 0)));
        assert_eq!(char_to_row_col(&r, 2), Some((0, 2)));
        assert_eq!(char_to_row_col(&r, 3), Some((1, 0)));
        assert_eq!(char_to_row_col(&r, 6), Some((2, 0)));
        assert_eq!(char_to_row_col(&r, 7), None);
        assert_eq!(row_col_to_char(&r, 1, 2), Some(5));
        assert_eq!(row_col_to_char(&r, 1, 3), None);
        assert_eq!(row_col_to_char(&r, 2, 0), Some(6));
        assert_eq!(row_col_to_char(&r, 3, 0), None);
        assert_eq!(row_col_to_char_clamped(&r, 1, 99), 5);
        assert_eq!(row_col_to_char_clamped(&r, 99, 99), 6);
        assert_eq!(row_col_to_char_clamped(&rope(""), 5, 5), 0);
    }

    #[test]
    fn byte_columns() {
        // "aé漢😀" = bytes 1 + 2 + 3 + 4.
        let r = rope("x\naé漢😀\n");
        assert_eq!(char_to_row_byte_col(&r, 2), Some((1, 0)));
        assert_eq!(char_to_row_byte_col(&r, 3), Some((1, 1)));
        assert_eq!(char_to_row_byte_col(&r, 4), Some((1, 3)));
        assert_eq!(char_to_row_byte_col(&r, 5), Some((1, 6)));
        assert_eq!(char_to_row_byte_col(&r, 6), Some((1, 10)));
        assert_eq!(char_to_row_byte_col(&r, 7), Some((2, 0)));
        assert_eq!(char_to_row_byte_col(&r, 8), None);
        assert_eq!(row_byte_col_to_char(&r, 1, 6), Some(5));
        // Inside 漢 (bytes 3..6) and inside 😀 (6..10).
        assert_eq!(row_byte_col_to_char(&r, 1, 4), Some(4));
        assert_eq!(row_byte_col_to_char(&r, 1, 9), Some(5));
        assert_eq!(row_byte_col_to_char(&r, 1, 10), Some(6));
        assert_eq!(row_byte_col_to_char(&r, 1, 11), None);
        assert_eq!(row_byte_col_to_char(&r, 9, 0), None);
        let line = line_slice(&r, 1).expect("row 1");
        assert_eq!(byte_col_to_char_col(line, 4), Some(2));
        assert_eq!(byte_col_to_char_col(line, 11), None);
        assert_eq!(char_col_to_byte_col(line, 3), Some(6));
        assert_eq!(char_col_to_byte_col(line, 5), None);
    }

    #[test]
    fn display_columns_with_tabs_and_wide_chars() {
        let r = rope("a\tb漢c");
        let line = line_slice(&r, 0).expect("row 0");
        assert_eq!(char_col_to_display_col(line, 0, 8), 0);
        assert_eq!(char_col_to_display_col(line, 1, 8), 1);
        assert_eq!(char_col_to_display_col(line, 2, 8), 8);
        assert_eq!(char_col_to_display_col(line, 3, 8), 9);
        assert_eq!(char_col_to_display_col(line, 4, 8), 11);
        assert_eq!(char_col_to_display_col(line, 99, 8), 12);
        assert_eq!(display_width(line, 4), 8);
        assert_eq!(display_col_to_char_col(line, 5, 8), 1, "inside the tab");
        assert_eq!(display_col_to_char_col(line, 8, 8), 2);
        assert_eq!(display_col_to_char_col(line, 10, 8), 3, "second cell of 漢");
        assert_eq!(display_col_to_char_col(line, 11, 8), 4);
        assert_eq!(display_col_to_char_col(line, 12, 8), 5);
        assert_eq!(display_col_to_char_col(line, 99, 8), 5);
        // tabstop 0 behaves like 8 instead of dividing by zero.
        assert_eq!(char_col_to_display_col(line, 2, 0), 8);
    }

    #[test]
    fn display_width_of_special_chars() {
        let w = |s: &str| display_width(RopeSlice::from(s), 8);
        assert_eq!(w("e\u{301}"), 1, "combining mark after a base");
        assert_eq!(w("\u{301}"), 1, "combining mark at line start");
        assert_eq!(w("\u{1}"), 2, "^A");
        assert_eq!(w("\u{7f}"), 2, "^?");
        assert_eq!(w("\u{85}"), 4, "<85>");
        assert_eq!(w("\u{200b}"), 6, "<200b>");
        assert_eq!(w("\u{feff}"), 6, "<feff>");
        assert_eq!(w("\u{70f}"), 6, "<070f>");
        assert_eq!(w("\u{200d}"), 6, "<200d> alone");
        assert_eq!(w("a\u{200d}"), 1, "joiner after a base");
        assert_eq!(w("👍\u{1f3fd}"), 2, "skin tone after a base");
        assert_eq!(w("\u{ad}"), 1, "soft hyphen");
        assert_eq!(w("😀"), 2);
        assert_eq!(w("中"), 2);
        assert_eq!(w("\u{a0}"), 1);
    }

    proptest! {
        #[test]
        fn prop_conversions_round_trip(
            text in proptest::collection::vec(prop_oneof!["[a\t]", "\n", "é", "漢", "😀", "\u{301}"], 0..30)
                .prop_map(|v| v.concat()),
            pos in 0usize..40,
        ) {
            let r = rope(&text);
            let len = r.len_chars();
            match char_to_row_col(&r, pos) {
                None => prop_assert!(pos > len),
                Some((row, col)) => {
                    prop_assert_eq!(row_col_to_char(&r, row, col), Some(pos));
                    let (brow, bcol) = char_to_row_byte_col(&r, pos)
                        .ok_or_else(|| TestCaseError::fail("byte col"))?;
                    prop_assert_eq!(brow, row);
                    prop_assert_eq!(row_byte_col_to_char(&r, row, bcol), Some(pos));
                    let line = line_slice(&r, row).ok_or_else(|| TestCaseError::fail("line"))?;
                    let vcol = char_col_to_display_col(line, col, 4);
                    // Every char with a cell maps back from its first cell.
                    let has_cell = line.get_char(col)
                        .is_some_and(|c| char_display_width(c, vcol, 4, col == 0) > 0);
                    if has_cell {
                        prop_assert_eq!(display_col_to_char_col(line, vcol, 4), col);
                    }
                }
            }
        }
    }
}
