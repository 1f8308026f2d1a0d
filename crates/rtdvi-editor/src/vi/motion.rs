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
    let mut cur = start.row.min(last);
    for n in (0..count).rev() {
        match paragraph_step(rope, cur, forward) {
            Some(row) => cur = row,
            // Running into the first/last line ends the motion there; with counts left it fails.
            None if n > 0 => return None,
            None => cur = if forward { last } else { 0 },
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

/// One `}`/`{` from `row`: the first empty row past the first non-empty row at or beyond `row`;
/// `None` when the text ends first. A stretch without empty lines (a whole source file) is crossed
/// by a SIMD search for `\n\n` in the rope's chunks, not line by line: Neovim's `}` is a cheap
/// line loop, and the 10,000-key benchmark session jumps across 50,000 lines with it.
fn paragraph_step(rope: &Rope, row: usize, forward: bool) -> Option<usize> {
    let last = line_count(rope).saturating_sub(1);
    // Leading empty rows (one byte each) are skipped row by row.
    let mut a = row;
    while line_empty(rope, a) {
        if forward && a < last {
            a += 1;
        } else if !forward && a > 0 {
            a -= 1;
        } else {
            return None;
        }
    }
    // An empty row r > 0 is a line break right after the line break that ends row r - 1; an empty
    // first row has no line break before it, and the last row none after it.
    let q = if forward {
        find_double_newline(rope, rope.line_to_byte(a))
    } else {
        rfind_double_newline(rope, rope.line_to_byte(a))
    };
    match q {
        Some(q) => Some(rope.byte_to_line(q + 1)),
        None if forward => (a < last && line_empty(rope, last)).then_some(last),
        None => (a > 0 && line_empty(rope, 0)).then_some(0),
    }
}

/// Byte offset of the first `\n\n` at or after byte `from`.
fn find_double_newline(rope: &Rope, from: usize) -> Option<usize> {
    if from >= rope.len_bytes() {
        return None;
    }
    let finder = memchr::memmem::Finder::new(b"\n\n");
    let (chunks, first_start, _, _) = rope.chunks_at_byte(from);
    let mut at = first_start;
    // Offset of a line break ending the previous chunk (a pair may straddle two chunks).
    let mut pending: Option<usize> = None;
    for chunk in chunks {
        let skip = from.saturating_sub(at);
        let bytes = chunk.as_bytes().get(skip..).unwrap_or_default();
        let base = at + skip;
        at += chunk.len();
        if bytes.is_empty() {
            continue;
        }
        if let Some(p) = pending {
            if bytes.first() == Some(&b'\n') {
                return Some(p);
            }
        }
        if let Some(i) = finder.find(bytes) {
            return Some(base + i);
        }
        pending = (bytes.last() == Some(&b'\n')).then(|| base + bytes.len() - 1);
    }
    None
}

/// Byte offset of the last `\n\n` that lies wholly before byte `to`.
fn rfind_double_newline(rope: &Rope, to: usize) -> Option<usize> {
    let to = to.min(rope.len_bytes());
    if to == 0 {
        return None;
    }
    let finder = memchr::memmem::FinderRev::new(b"\n\n");
    // The chunk holding the byte before `to`, cut there; then whole chunks towards the start.
    let (chunk, chunk_start, _, _) = rope.chunk_at_byte(to - 1);
    let bytes = chunk.as_bytes().get(..to - chunk_start).unwrap_or_default();
    if let Some(i) = finder.rfind(bytes) {
        return Some(chunk_start + i);
    }
    // Offset of a line break starting the following chunk (a pair may straddle two chunks).
    let mut pending = (bytes.first() == Some(&b'\n')).then_some(chunk_start);
    let (mut chunks, _, _, _) = rope.chunks_at_byte(chunk_start);
    let mut end = chunk_start;
    while let Some(chunk) = chunks.prev() {
        let bytes = chunk.as_bytes();
        let start = end.saturating_sub(bytes.len());
        end = start;
        if let Some(p) = pending {
            if bytes.last() == Some(&b'\n') {
                return Some(p - 1);
            }
        }
        if let Some(i) = finder.rfind(bytes) {
            return Some(start + i);
        }
        pending = (bytes.first() == Some(&b'\n')).then_some(start);
    }
    None
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

    /// `{`/`}` as Vim defines them, one row at a time: the reference for the chunk search.
    fn paragraph_by_rows(t: &Rope, start: usize, count: usize, forward: bool) -> Option<(Pos, bool)> {
        let last = line_count(t) - 1;
        let mut cur = start;
        for n in (0..count).rev() {
            let mut seen_text = false;
            let mut row = cur;
            loop {
                if !line_empty(t, row) {
                    seen_text = true;
                } else if seen_text && row != cur {
                    break;
                }
                if (forward && row == last) || (!forward && row == 0) {
                    if n > 0 {
                        return None;
                    }
                    break;
                }
                row = if forward { row + 1 } else { row - 1 };
            }
            cur = row;
        }
        let len = line_len(t, cur);
        Some(if forward && cur == last && len > 0 { (Pos::new(cur, len - 1), true) } else { (Pos::new(cur, 0), false) })
    }

    #[test]
    fn paragraphs_match_a_row_by_row_scan() {
        // Long texts span many rope chunks, so pairs of line breaks land on chunk edges too.
        let mut long = String::new();
        for i in 0..3000 {
            long.push_str(if i % 97 == 0 || i % 389 < 2 { "" } else { "some text é" });
            long.push('\n');
        }
        // ropey cuts a text read in one piece into chunks of 984 bytes: a 983-byte first line puts
        // its line break and the next (empty) line's on the two sides of the first chunk edge.
        let mut dense = "x".repeat(983);
        dense.push_str("\n\n");
        dense.extend((0..2000).map(|i| if i % 3 == 2 { "\n" } else { "abcdefghijklmnopq\n" }));
        let dense_rope = r(&dense);
        let chunks: Vec<&str> = dense_rope.chunks().collect();
        let straddles = chunks.windows(2).filter(|w| w[0].ends_with('\n') && w[1].starts_with('\n')).count();
        assert!(straddles > 0, "no pair of line breaks across a chunk edge: the test lost its point");
        let texts = ["", "\n", "a", "a\n", "\n\na\n\n", "ab\n\ncd\nef", "é\n\n日本\n", "\n\n\n", &long, &dense];
        for text in texts {
            let t = r(text);
            let last = line_count(&t) - 1;
            let starts: Vec<usize> = if last > 50 {
                (0..8).chain((8..=last).step_by(17)).chain([last]).collect()
            } else {
                (0..=last).collect()
            };
            for start in starts {
                for count in 1..4 {
                    for forward in [true, false] {
                        assert_eq!(
                            paragraph(&t, Pos::new(start, 0), count, forward),
                            paragraph_by_rows(&t, start, count, forward),
                            "from row {start}, count {count}, forward {forward} in a text of {} rows",
                            last + 1
                        );
                    }
                }
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
