//! `<C-a>` / `<C-x>` in normal mode and on visual selections (`v_CTRL-A`, `v_g_CTRL-A`).
//!
//! Normal mode works on the number under or after the cursor (a `0x`/`0b` literal covering the
//! cursor counts as under it), a `-` just before decimal digits makes them negative. On a selection,
//! each line's first number *inside the selected columns* changes; only a `-` that is itself selected
//! counts, and the digits stop at the selection's end. With `g` the n-th changed number gets n times
//! the count (a progression), as Vim. The cursor then goes to the start of the selection.

use super::normal::Want;
use super::operator::RangeKind;
use super::textpos::{line_len, line_string, Pos};
use super::Fail;
use crate::editor::Editor;
use rtdvi_core::changeset::Edit;

/// Which kinds of numbers `'nrformats'` lets `<C-a>` change.
#[derive(Clone, Copy)]
struct Formats {
    hex: bool,
    bin: bool,
    alpha: bool,
}

impl Formats {
    fn parse(s: &str) -> Formats {
        let has = |f: &str| s.split(',').any(|x| x == f);
        Formats { hex: has("hex"), bin: has("bin"), alpha: has("alpha") }
    }
}

/// What `<C-a>` found on a line (columns are char indices).
#[derive(Debug, PartialEq, Eq)]
enum Found {
    /// A number: the chars `start..end` (with the `0x`/`0b` prefix, without the sign).
    Number { start: usize, end: usize, radix: u32, negative: bool },
    /// A letter (`nrformats=alpha`).
    Alpha(usize),
}

/// The radix of a `0x`/`0b` literal starting at `at`, if the formats allow it.
fn literal_at(line: &[char], at: usize, limit: usize, f: Formats) -> Option<u32> {
    if line.get(at) != Some(&'0') || at + 2 >= limit {
        return None;
    }
    let x = line.get(at + 1)?.to_ascii_lowercase();
    let d = *line.get(at + 2)?;
    match x {
        'x' if f.hex && d.is_ascii_hexdigit() => Some(16),
        'b' if f.bin && matches!(d, '0' | '1') => Some(2),
        _ => None,
    }
}

/// The end of the digits of `radix` from `from`, at most `limit`.
fn digits_end(line: &[char], from: usize, limit: usize, radix: u32) -> usize {
    let mut e = from;
    while e < limit && line.get(e).is_some_and(|c| c.is_digit(radix)) {
        e += 1;
    }
    e
}

/// The number under or after `col` (normal mode).
fn number_at_cursor(line: &[char], col: usize, f: Formats) -> Option<Found> {
    let len = line.len();
    let mut i = col.min(len);
    // A `0x`/`0b` literal covering the cursor: back up over its digits and prefix.
    if (f.hex || f.bin) && len > 0 {
        let mut j = i.min(len - 1);
        loop {
            if let Some(radix) = literal_at(line, j, len, f) {
                let e = digits_end(line, j + 2, len, radix);
                if i < e {
                    return Some(Found::Number { start: j, end: e, radix, negative: false });
                }
                break;
            }
            if j == 0 || !(line[j].is_ascii_hexdigit() || line[j] == 'x' || line[j] == 'X') {
                break;
            }
            j -= 1;
        }
    }
    while i < len && !line[i].is_ascii_digit() && !(f.alpha && line[i].is_ascii_alphabetic()) {
        i += 1;
    }
    let c = *line.get(i)?;
    if c.is_ascii_alphabetic() {
        return Some(Found::Alpha(i));
    }
    let mut start = i;
    while start > 0 && line[start - 1].is_ascii_digit() {
        start -= 1;
    }
    // A `0x`/`0b` literal found after the cursor.
    if let Some(radix) = literal_at(line, start, len, f) {
        return Some(Found::Number { start, end: digits_end(line, start + 2, len, radix), radix, negative: false });
    }
    let negative = start > 0 && line[start - 1] == '-';
    Some(Found::Number { start, end: digits_end(line, i, len, 10), radix: 10, negative })
}

/// The first number within the chars `from..limit` (a visual selection's part of a line).
fn number_in(line: &[char], from: usize, limit: usize, f: Formats) -> Option<Found> {
    let limit = limit.min(line.len());
    let mut i = from;
    while i < limit && !line[i].is_ascii_digit() && !(f.alpha && line[i].is_ascii_alphabetic()) {
        i += 1;
    }
    if i >= limit {
        return None;
    }
    if line[i].is_ascii_alphabetic() {
        return Some(Found::Alpha(i));
    }
    if let Some(radix) = literal_at(line, i, limit, f) {
        return Some(Found::Number { start: i, end: digits_end(line, i + 2, limit, radix), radix, negative: false });
    }
    let negative = i > from && line[i - 1] == '-';
    Some(Found::Number { start: i, end: digits_end(line, i, limit, 10), radix: 10, negative })
}

/// The replacement of what was found after adding `delta`: (first column replaced, end, new text).
fn bumped(line: &[char], found: &Found, delta: i64) -> (usize, usize, String) {
    match *found {
        Found::Alpha(col) => {
            let c = line.get(col).copied().unwrap_or('a');
            let base = if c.is_ascii_lowercase() { b'a' } else { b'A' };
            let v = (c as u8).saturating_sub(base) as i64 + delta;
            (col, col + 1, char::from(base + v.clamp(0, 25) as u8).to_string())
        }
        Found::Number { start, end, radix: 10, negative } => {
            let digits: String = line.get(start..end).unwrap_or_default().iter().collect();
            let v: i128 = digits.parse::<i128>().unwrap_or(0);
            let v = if negative { -v } else { v };
            let nv = v.saturating_add(delta as i128);
            // Leading zeros keep the width (`007` -> `008`).
            let width = if digits.starts_with('0') && digits.len() > 1 { digits.len() } else { 0 };
            let body = format!("{:0width$}", nv.unsigned_abs(), width = width);
            let text = if nv < 0 { format!("-{body}") } else { body };
            (if negative { start - 1 } else { start }, end, text)
        }
        Found::Number { start, end, radix, .. } => {
            let digits: String = line.get(start + 2..end).unwrap_or_default().iter().collect();
            let v = u64::from_str_radix(&digits, radix).unwrap_or(0);
            let nv = v.wrapping_add(delta as u64);
            let prefix: String = line.get(start..start + 2).unwrap_or_default().iter().collect();
            let body = match radix {
                16 if digits.chars().any(|c| c.is_ascii_uppercase()) => format!("{nv:X}"),
                16 => format!("{nv:x}"),
                _ => format!("{nv:b}"),
            };
            let pad = "0".repeat(digits.len().saturating_sub(body.len()));
            (start, end, format!("{prefix}{pad}{body}"))
        }
    }
}

impl Editor {
    /// `<C-a>` / `<C-x>`: adds `delta` to the number at or after the cursor.
    pub(crate) fn increment(&mut self, delta: i64) -> Result<(), Fail> {
        let p = self.vpos();
        let line: Vec<char> = line_string(&self.buf().text, p.row).chars().collect();
        let f = Formats::parse(&self.buf().opt_string("nrformats"));
        let found = number_at_cursor(&line, p.col, f).ok_or(Fail)?;
        let (s, e, text) = bumped(&line, &found, delta);
        let base = self.buf().line_start(p.row);
        self.edit(base + s, base + e, &text)?;
        let end_col = s + text.chars().count().saturating_sub(1);
        if let Found::Alpha(col) = found {
            self.place_normal(Pos::new(p.row, col), Want::Set);
            return Ok(());
        }
        self.place_normal(Pos::new(p.row, end_col), Want::Set);
        self.note_change(Pos::new(p.row, end_col));
        Ok(())
    }

    /// `<C-a>` / `<C-x>` (`progressive`: `g<C-a>`) on the selection: each line's first selected
    /// number changes by `delta` (times its rank among the changed ones when progressive).
    pub(crate) fn visual_increment(&mut self, delta: i64, progressive: bool) -> Result<(), Fail> {
        let r = self.visual_range(false).ok_or(Fail)?;
        self.note_visual_dot();
        self.end_visual();
        let f = Formats::parse(&self.buf().opt_string("nrformats"));
        let last = if r.kind == RangeKind::Char && r.end.col == 0 && r.end.row > r.start.row {
            // A selected line break ends the range at the next line's start: that line is out.
            r.end.row - 1
        } else {
            r.end.row
        };
        let mut edits = Vec::new();
        let mut first = None;
        let mut amount = delta;
        for row in r.start.row..=last {
            let rope = &self.buf().text;
            let len = line_len(rope, row);
            let (s, e) = match r.kind {
                RangeKind::Line => (0, len),
                RangeKind::Char => {
                    let s = if row == r.start.row { r.start.col } else { 0 };
                    let e = if row == r.end.row { r.end.col.min(len) } else { len };
                    (s, e)
                }
                RangeKind::Block { left, right, to_eol } => self.block_cols(row, left, right, to_eol),
            };
            let line: Vec<char> = line_string(rope, row).chars().collect();
            let Some(found) = number_in(&line, s, e, f) else { continue };
            let (cs, ce, text) = bumped(&line, &found, amount);
            let base = self.buf().line_start(row);
            edits.push(Edit { start: base + cs, end: base + ce, text });
            first.get_or_insert(Pos::new(row, cs));
            if progressive {
                amount += delta;
            }
        }
        let start = match r.kind {
            RangeKind::Line => Pos::new(r.start.row, 0),
            RangeKind::Block { left, .. } => Pos::new(r.start.row, self.col_for_want(r.start.row, left, false)),
            RangeKind::Char => r.start,
        };
        if !edits.is_empty() {
            self.edits(edits)?;
        }
        if let Some(p) = first {
            self.note_change(p);
        }
        self.place_normal(start, Want::Set);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: Formats = Formats { hex: true, bin: true, alpha: false };

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn cursor_number_backs_up_over_a_hex_literal() {
        let l = chars("a 0x1f b");
        assert_eq!(number_at_cursor(&l, 4, ALL), Some(Found::Number { start: 2, end: 6, radix: 16, negative: false }));
        assert_eq!(bumped(&l, &number_at_cursor(&l, 4, ALL).unwrap(), 1), (2, 6, "0x20".to_string()));
    }

    #[test]
    fn cursor_number_takes_a_minus_sign() {
        let l = chars("x -3 y");
        let f = number_at_cursor(&l, 0, ALL).unwrap();
        assert_eq!(bumped(&l, &f, 5), (2, 4, "2".to_string()));
    }

    #[test]
    fn selection_limits_digits_and_sign() {
        let l = chars("v -123");
        // The `-` is outside a selection starting at the digits.
        assert_eq!(number_in(&l, 3, 6, ALL), Some(Found::Number { start: 3, end: 6, radix: 10, negative: false }));
        assert_eq!(number_in(&l, 2, 6, ALL), Some(Found::Number { start: 3, end: 6, radix: 10, negative: true }));
        // The digits stop at the selection's end.
        assert_eq!(number_in(&l, 0, 4, ALL), Some(Found::Number { start: 3, end: 4, radix: 10, negative: true }));
        assert_eq!(number_in(&l, 0, 2, ALL), None);
    }

    #[test]
    fn leading_zeros_and_case_are_kept() {
        let l = chars("007 0xFF");
        assert_eq!(bumped(&l, &number_in(&l, 0, 8, ALL).unwrap(), 1).2, "008");
        assert_eq!(bumped(&l, &number_in(&l, 4, 8, ALL).unwrap(), 1).2, "0x100");
    }

    #[test]
    fn increments_numbers() {
        let ed = |text: &str| {
            let mut e = Editor::new();
            e.buf_mut().text = ropey::Rope::from_str(text);
            e
        };
        let mut e = ed("x 9 y");
        e.increment(1).unwrap();
        assert_eq!(e.buf().line(0), "x 10 y");
        assert_eq!(e.cursor().col, 3);
        let mut e = ed("a -1");
        e.increment(2).unwrap();
        assert_eq!(e.buf().line(0), "a 1");
        let mut e = ed("0x0f");
        e.increment(1).unwrap();
        assert_eq!(e.buf().line(0), "0x10");
        let mut e = ed("007");
        e.increment(1).unwrap();
        assert_eq!(e.buf().line(0), "008");
    }

    #[test]
    fn visual_ctrl_a_changes_each_line() {
        let mut e = Editor::new();
        e.buf_mut().text = ropey::Rope::from_str("a 1\nb 2\nc\nd 3");
        e.feed_keys("VGg<C-a>");
        assert_eq!(e.buf().line(0), "a 2");
        assert_eq!(e.buf().line(1), "b 4");
        assert_eq!(e.buf().line(3), "d 6");
        assert_eq!((e.cursor().row, e.cursor().col), (0, 0));
        assert!(e.vi.visual.is_none());
    }
}
