//! Motions over a text: words, characters in a line, paragraphs, sentences, brackets.
//!
//! These are pure functions of the text and a start position; the key engine turns them into
//! cursor moves or operator ranges. The word motions follow Vim's algorithm step for step (a
//! position one past the end of a line counts as a blank, an empty line counts as a word), since
//! the exact stopping points (`dw` at the end of a line, `cw` on a word, `e` across lines) are what
//! users notice.

use ropey::Rope;

use super::textpos::{char_at, char_class, dec, inc, line_count, line_empty, line_len, Pos};

fn cls(rope: &Rope, p: Pos, big: bool) -> u8 {
    char_class(char_at(rope, p), big)
}

/// `w`/`W`: returns the end position and whether the motion succeeded for every count. `eol` is
/// set when an operator is pending: the last word then stops at the end of its line.
pub fn word_forward(rope: &Rope, start: Pos, count: usize, big: bool, eol: bool) -> (Pos, bool) {
    let mut p = start;
    let last_row = line_count(rope).saturating_sub(1);
    for n in (0..count).rev() {
        let sclass = cls(rope, p, big);
        let last_line = p.row == last_row;
        let i = inc(rope, &mut p);
        if i == -1 || (i >= 1 && last_line) {
            return (p, false);
        }
        if i >= 1 && eol && n == 0 {
            return (p, true);
        }
        if sclass != 0 {
            while cls(rope, p, big) == sclass {
                let i = inc(rope, &mut p);
                if i == -1 || (i >= 1 && eol && n == 0) {
                    return (p, true);
                }
            }
        }
        while cls(rope, p, big) == 0 {
            if p.col == 0 && line_empty(rope, p.row) {
                break;
            }
            let i = inc(rope, &mut p);
            if i == -1 || (i >= 1 && eol && n == 0) {
                return (p, true);
            }
        }
    }
    (p, true)
}

/// Skips chars of class `c` forward (`fwd`) or backward; true when the text ended first.
fn skip_class(rope: &Rope, p: &mut Pos, c: u8, big: bool, fwd: bool) -> bool {
    while cls(rope, *p, big) == c {
        let r = if fwd { inc(rope, p) } else { dec(rope, p) };
        if r == -1 {
            return true;
        }
    }
    false
}

/// `e`/`E`: `stop` makes the first count stop at the end of the current word (`cw`), `empty`
/// stops on empty lines.
pub fn word_end(rope: &Rope, start: Pos, count: usize, big: bool, stop: bool, empty: bool) -> (Pos, bool) {
    let mut p = start;
    let mut stop = stop;
    for _ in 0..count {
        let sclass = cls(rope, p, big);
        if inc(rope, &mut p) == -1 {
            return (p, false);
        }
        let mut finished = false;
        if cls(rope, p, big) == sclass && sclass != 0 {
            if skip_class(rope, &mut p, sclass, big, true) {
                return (p, false);
            }
        } else if !stop || sclass == 0 {
            while cls(rope, p, big) == 0 {
                if p.col == 0 && line_empty(rope, p.row) && empty {
                    finished = true;
                    break;
                }
                if inc(rope, &mut p) == -1 {
                    return (p, false);
                }
            }
            if !finished {
                let c = cls(rope, p, big);
                if skip_class(rope, &mut p, c, big, true) {
                    return (p, false);
                }
            }
        }
        if !finished {
            dec(rope, &mut p);
        }
        stop = false;
    }
    (p, true)
}

/// `b`/`B`.
pub fn word_back(rope: &Rope, start: Pos, count: usize, big: bool, stop: bool) -> (Pos, bool) {
    let mut p = start;
    let mut stop = stop;
    'outer: for _ in 0..count {
        let sclass = cls(rope, p, big);
        if dec(rope, &mut p) == -1 {
            return (p, false);
        }
        if !stop || sclass == cls(rope, p, big) || sclass == 0 {
            while cls(rope, p, big) == 0 {
                if p.col == 0 && line_empty(rope, p.row) {
                    stop = false;
                    continue 'outer;
                }
                if dec(rope, &mut p) == -1 {
                    return (p, true);
                }
            }
            let c = cls(rope, p, big);
            if skip_class(rope, &mut p, c, big, false) {
                return (p, true);
            }
        }
        inc(rope, &mut p);
        stop = false;
    }
    (p, true)
}

/// `ge`/`gE`.
pub fn word_end_back(rope: &Rope, start: Pos, count: usize, big: bool) -> (Pos, bool) {
    let mut p = start;
    for _ in 0..count {
        let sclass = cls(rope, p, big);
        if dec(rope, &mut p) == -1 {
            return (p, false);
        }
        if sclass != 0 {
            while cls(rope, p, big) == sclass {
                if dec(rope, &mut p) == -1 {
                    return (p, true);
                }
            }
        }
        while cls(rope, p, big) == 0 {
            if p.col == 0 && line_empty(rope, p.row) {
                break;
            }
            if dec(rope, &mut p) == -1 {
                return (p, true);
            }
        }
    }
    (p, true)
}

/// The kind of a character search in the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindKind {
    /// `f`.
    F,
    /// `F`.
    BackF,
    /// `t`.
    T,
    /// `T`.
    BackT,
}

impl FindKind {
    /// Whether it searches forward.
    pub fn forward(self) -> bool {
        matches!(self, FindKind::F | FindKind::T)
    }

    /// Whether it stops before the char (`t`/`T`).
    pub fn till(self) -> bool {
        matches!(self, FindKind::T | FindKind::BackT)
    }

    /// The same search in the other direction (for `,`).
    pub fn reversed(self) -> FindKind {
        match self {
            FindKind::F => FindKind::BackF,
            FindKind::BackF => FindKind::F,
            FindKind::T => FindKind::BackT,
            FindKind::BackT => FindKind::T,
        }
    }
}

/// `f F t T` within the cursor line; `repeat` is set for `;` and `,`, where a `t` right before the
/// char does not get stuck (Neovim's default 'cpoptions' lacks `;`).
pub fn find_in_line(rope: &Rope, p: Pos, kind: FindKind, ch: char, count: usize, repeat: bool) -> Option<Pos> {
    let len = line_len(rope, p.row);
    let line = rope.line(p.row);
    let mut col = p.col as i64;
    let mut remaining = count;
    let step: i64 = if kind.forward() { 1 } else { -1 };
    let mut skip_adjacent = repeat && kind.till() && count == 1;
    while remaining > 0 {
        col += step;
        if col < 0 || col >= len as i64 {
            return None;
        }
        if line.char(col as usize) == ch {
            if skip_adjacent && (col - p.col as i64).abs() == 1 {
                skip_adjacent = false;
                continue;
            }
            remaining -= 1;
        }
    }
    skip_adjacent = false;
    let _ = skip_adjacent;
    if kind.till() {
        col -= step;
    }
    Some(Pos::new(p.row, col as usize))
}

/// `}` / `{`: the next/previous empty line after a non-empty one. Returns the position and whether
/// the motion became inclusive (ending on the last char of the text).
pub fn paragraph(rope: &Rope, start: Pos, count: usize, forward: bool) -> Option<(Pos, bool)> {
    let last = line_count(rope).saturating_sub(1);
    let mut cur = start.row;
    for n in (0..count).rev() {
        let mut did_skip = false;
        let mut first = true;
        for (row, empty) in EmptyRows::new(rope, cur, forward) {
            cur = row;
            if !empty {
                did_skip = true;
            }
            if !first && did_skip && empty {
                break;
            }
            first = false;
            let boundary = if forward { row == last } else { row == 0 };
            if boundary {
                if n > 0 {
                    return None;
                }
                break;
            }
        }
    }
    if cur == last && forward {
        let len = line_len(rope, cur);
        if len > 0 {
            return Some((Pos::new(cur, len - 1), true));
        }
        return Some((Pos::new(cur, 0), false));
    }
    Some((Pos::new(cur, 0), false))
}

/// Rows from `row` towards the end (or the start) with whether each is empty, read from the bytes
/// in one pass: `{`/`}` over a long stretch without blank lines cost a byte scan, not a rope
/// lookup per line.
struct EmptyRows<'a> {
    bytes: ropey::iter::Bytes<'a>,
    row: usize,
    last: usize,
    forward: bool,
    done: bool,
}

impl<'a> EmptyRows<'a> {
    fn new(rope: &'a Rope, row: usize, forward: bool) -> Self {
        let last = line_count(rope).saturating_sub(1);
        let row = row.min(last);
        let at = if forward {
            rope.line_to_byte(row)
        } else if row < last {
            rope.line_to_byte(row + 1)
        } else {
            rope.len_bytes()
        };
        EmptyRows { bytes: rope.bytes_at(at), row, last, forward, done: false }
    }
}

impl Iterator for EmptyRows<'_> {
    type Item = (usize, bool);

    fn next(&mut self) -> Option<(usize, bool)> {
        if self.done {
            return None;
        }
        let row = self.row;
        let empty = if self.forward {
            match self.bytes.next() {
                None | Some(b'\n') => true,
                Some(_) => {
                    while !matches!(self.bytes.next(), None | Some(b'\n')) {}
                    false
                }
            }
        } else {
            // Positioned after this row's line break (or at the end of the text for the last row).
            if row < self.last {
                self.bytes.prev();
            }
            let mut empty = true;
            loop {
                match self.bytes.prev() {
                    None => break,
                    Some(b'\n') => {
                        self.bytes.next();
                        break;
                    }
                    Some(_) => empty = false,
                }
            }
            empty
        };
        if self.forward {
            if row >= self.last {
                self.done = true;
            } else {
                self.row += 1;
            }
        } else if row == 0 {
            self.done = true;
        } else {
            self.row -= 1;
        }
        Some((row, empty))
    }
}

/// The partner of a bracket char in 'matchpairs' (default `(:),{:},[:]`), with its direction.
pub fn bracket_pair(c: char) -> Option<(char, bool)> {
    match c {
        '(' => Some((')', true)),
        '[' => Some((']', true)),
        '{' => Some(('}', true)),
        ')' => Some(('(', false)),
        ']' => Some(('[', false)),
        '}' => Some(('{', false)),
        _ => None,
    }
}

/// Searches from `p` (exclusive) for the bracket `target` that closes the one `open` at nesting 0.
pub fn find_unmatched(rope: &Rope, p: Pos, open: char, target: char, forward: bool) -> Option<Pos> {
    let mut depth = 0usize;
    let mut off = super::textpos::offset(rope, p);
    let total = rope.len_chars();
    if forward {
        let mut chars = rope.chars_at((off + 1).min(total));
        off += 1;
        for c in chars.by_ref() {
            if c == target {
                if depth == 0 {
                    return Some(super::textpos::pos_of(rope, off));
                }
                depth -= 1;
            } else if c == open {
                depth += 1;
            }
            off += 1;
        }
        None
    } else {
        let mut chars = rope.chars_at(off);
        while let Some(c) = chars.prev() {
            off -= 1;
            if c == target {
                if depth == 0 {
                    return Some(super::textpos::pos_of(rope, off));
                }
                depth -= 1;
            } else if c == open {
                depth += 1;
            }
        }
        None
    }
}

/// `%` without a count: from the first bracket at or after the cursor in its line, its partner.
pub fn match_pair(rope: &Rope, p: Pos) -> Option<Pos> {
    let len = line_len(rope, p.row);
    let line = rope.line(p.row);
    let mut col = p.col;
    while col < len {
        let c = line.char(col);
        if let Some((partner, forward)) = bracket_pair(c) {
            return find_unmatched(rope, Pos::new(p.row, col), c, partner, forward);
        }
        col += 1;
    }
    None
}

/// `)` / `(` as Vim's `findsent`: the position `count` sentence starts away, or `None` when the
/// text ends first. A run of empty lines is one boundary; the result may be the NUL position past
/// a line's last char (the caller steps back onto the char, making the motion inclusive).
pub fn sentence_motion(rope: &Rope, start: Pos, count: usize, forward: bool) -> Option<Pos> {
    use super::textpos::{inc, is_blank};
    let gchar = |p: Pos| if p.col < line_len(rope, p.row) { char_at(rope, p) } else { '\0' };
    // Vim's incl/decl: inc/dec that also step over the NUL of a non-empty line.
    let incl = |p: &mut Pos| {
        let r = inc(rope, p);
        if r >= 1 && p.col > 0 {
            inc(rope, p)
        } else {
            r
        }
    };
    let decl = |p: &mut Pos| {
        let r = dec(rope, p);
        if r == 1 && p.col > 0 {
            dec(rope, p)
        } else {
            r
        }
    };
    let step = |p: &mut Pos| if forward { incl(p) } else { decl(p) };
    let para_start = |row: usize| line_empty(rope, row);
    let last_row = line_count(rope).saturating_sub(1);
    let mut pos = start;
    let mut count = count;
    while count > 0 {
        count -= 1;
        let prev = pos;
        let mut noskip = false;
        'search: {
            if gchar(pos) == '\0' {
                // On an empty line (or past a line end): skip to a non-empty line.
                while step(&mut pos) != -1 && gchar(pos) == '\0' {}
                if forward {
                    break 'search;
                }
            } else if forward && pos.col == 0 && para_start(pos.row) {
                if pos.row == last_row {
                    return None;
                }
                pos = Pos::new(pos.row + 1, 0);
                break 'search;
            } else if !forward {
                decl(&mut pos);
            }
            // Back over blanks and sentence punctuation to the previous other char.
            let mut found_dot = false;
            loop {
                let c = gchar(pos);
                if !(is_blank(c) || ".!?)]\"'".contains(c)) || c == '\0' {
                    break;
                }
                let mut t = pos;
                if decl(&mut t) == -1 || (forward && line_empty(rope, t.row)) || found_dot {
                    break;
                }
                if ".!?".contains(c) {
                    found_dot = true;
                }
                let tc = gchar(t);
                if ")]\"'".contains(c) && (tc == '\0' || !".!?)]\"'".contains(tc)) {
                    break;
                }
                decl(&mut pos);
            }
            let start_row = pos.row;
            // Forward (backward) to the end of a sentence.
            loop {
                let c = gchar(pos);
                if c == '\0' || (pos.col == 0 && para_start(pos.row)) {
                    if !forward && pos.row != start_row {
                        pos = Pos::new(pos.row + 1, 0);
                    }
                    break;
                }
                if matches!(c, '.' | '!' | '?') {
                    let mut t = pos;
                    let mut r;
                    loop {
                        r = inc(rope, &mut t);
                        if r == -1 || !")]\"'".contains(gchar(t)) || gchar(t) == '\0' {
                            break;
                        }
                    }
                    let tc = gchar(t);
                    if r == -1 || tc == ' ' || tc == '\t' || tc == '\0' {
                        pos = t;
                        if gchar(pos) == '\0' {
                            inc(rope, &mut pos);
                        }
                        break;
                    }
                }
                if step(&mut pos) == -1 {
                    if count > 0 {
                        return None;
                    }
                    noskip = true;
                    break;
                }
            }
        }
        // Skip white space.
        while !noskip && matches!(gchar(pos), ' ' | '\t') {
            if incl(&mut pos) == -1 {
                break;
            }
        }
        if pos == prev {
            // Did not move: try again one char further.
            if step(&mut pos) == -1 {
                if count > 0 {
                    return None;
                }
                break;
            }
            count += 1;
        }
    }
    Some(pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Rope {
        Rope::from_str(s)
    }

    #[test]
    fn word_motions() {
        let t = r("foo bar.baz\n\n  qux");
        assert_eq!(word_forward(&t, Pos::new(0, 0), 1, false, false).0, Pos::new(0, 4));
        assert_eq!(word_forward(&t, Pos::new(0, 4), 1, false, false).0, Pos::new(0, 7));
        assert_eq!(word_forward(&t, Pos::new(0, 4), 1, true, false).0, Pos::new(1, 0));
        assert_eq!(word_forward(&t, Pos::new(1, 0), 1, false, false).0, Pos::new(2, 2));
        // With an operator the last word stops at the end of its line.
        assert_eq!(word_forward(&t, Pos::new(0, 8), 1, false, true).0, Pos::new(0, 11));
        assert_eq!(word_end(&t, Pos::new(0, 0), 1, false, false, false).0, Pos::new(0, 2));
        assert_eq!(word_end(&t, Pos::new(0, 2), 1, false, false, false).0, Pos::new(0, 6));
        assert_eq!(word_back(&t, Pos::new(2, 2), 1, false, false).0, Pos::new(1, 0));
        assert_eq!(word_back(&t, Pos::new(0, 8), 1, false, false).0, Pos::new(0, 7));
        assert_eq!(word_end_back(&t, Pos::new(0, 8), 1, false).0, Pos::new(0, 7));
    }

    #[test]
    fn finds_and_brackets() {
        let t = r("a(b[c]d)e");
        assert_eq!(find_in_line(&t, Pos::new(0, 0), FindKind::F, 'd', 1, false), Some(Pos::new(0, 6)));
        assert_eq!(find_in_line(&t, Pos::new(0, 0), FindKind::T, 'd', 1, false), Some(Pos::new(0, 5)));
        assert_eq!(find_in_line(&t, Pos::new(0, 0), FindKind::F, 'z', 1, false), None);
        assert_eq!(match_pair(&t, Pos::new(0, 0)), Some(Pos::new(0, 7)));
        assert_eq!(match_pair(&t, Pos::new(0, 7)), Some(Pos::new(0, 1)));
        assert_eq!(match_pair(&t, Pos::new(0, 3)), Some(Pos::new(0, 5)));
    }

    #[test]
    fn paragraphs() {
        let t = r("a\nb\n\nc\n\nd");
        assert_eq!(paragraph(&t, Pos::new(0, 0), 1, true), Some((Pos::new(2, 0), false)));
        assert_eq!(paragraph(&t, Pos::new(0, 0), 2, true), Some((Pos::new(4, 0), false)));
        assert_eq!(paragraph(&t, Pos::new(0, 0), 3, true), Some((Pos::new(5, 0), true)));
        assert_eq!(paragraph(&t, Pos::new(0, 0), 4, true), None);
        assert_eq!(paragraph(&t, Pos::new(5, 0), 1, false), Some((Pos::new(4, 0), false)));
    }

    #[test]
    fn empty_rows_match_line_lengths_both_ways() {
        for text in ["", "\n", "a", "a\n", "\n\na\n\n", "ab\n\ncd\nef", "é\n\n日本\n"] {
            let t = r(text);
            let last = line_count(&t) - 1;
            for start in 0..=last {
                let fwd: Vec<(usize, bool)> = EmptyRows::new(&t, start, true).collect();
                let want: Vec<(usize, bool)> = (start..=last).map(|row| (row, line_empty(&t, row))).collect();
                assert_eq!(fwd, want, "forward from {start} in {text:?}");
                let back: Vec<(usize, bool)> = EmptyRows::new(&t, start, false).collect();
                let want: Vec<(usize, bool)> = (0..=start).rev().map(|row| (row, line_empty(&t, row))).collect();
                assert_eq!(back, want, "backward from {start} in {text:?}");
            }
        }
    }

    #[test]
    fn sentences() {
        let t = r("One. Two three.  Four");
        assert_eq!(sentence_motion(&t, Pos::new(0, 0), 1, true), Some(Pos::new(0, 5)));
        assert_eq!(sentence_motion(&t, Pos::new(0, 5), 1, true), Some(Pos::new(0, 17)));
        assert_eq!(sentence_motion(&t, Pos::new(0, 17), 1, false), Some(Pos::new(0, 5)));
        assert_eq!(sentence_motion(&t, Pos::new(0, 7), 1, false), Some(Pos::new(0, 5)));
        // A run of empty lines is one boundary; `)` from it goes to the next text.
        let t = r("a.\n\n\n\nb c.");
        assert_eq!(sentence_motion(&t, Pos::new(1, 0), 1, true), Some(Pos::new(4, 0)));
        assert_eq!(sentence_motion(&t, Pos::new(0, 0), 1, true), Some(Pos::new(1, 0)));
        // The end of the text: the NUL past the last char (the caller makes it inclusive).
        assert_eq!(sentence_motion(&t, Pos::new(4, 0), 1, true), Some(Pos::new(4, 4)));
        assert_eq!(sentence_motion(&t, Pos::new(4, 0), 2, true), Some(Pos::new(4, 4)));
    }
}
