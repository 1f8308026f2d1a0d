//! Searching a rope with a compiled [`Pattern`]: `/`, `?`, `n`, `N`, `:s///g`, hlsearch and counts.
//!
//! The rope is never copied whole. Lines are joined into windows of [`WINDOW_LINES`] lines and
//! searched with one regex call per window, which lets the regex crate's literal prefilters skip
//! through large buffers. A match must *start* in the window's own lines; a pattern that can match
//! a line break (`\n`, `\_s`, ...) also sees [`MAX_MATCH_LINES`] lines after the window, so a
//! multi-line match can span at most that many line breaks (Vim has no such limit). The windows
//! reproduce the buffer as Vim's regex engine sees it: the last line ends in a line break that `\n`
//! can match, `\%^` only matches at the start of the buffer and `\%$` only at its end.
//!
//! Like Vim with the default 'cpoptions' (flag `c`), searching forward from the cursor skips every
//! match that starts at or before the cursor by continuing at the end of each such match, so in
//! `abababa` searching `aba` from column 1 finds column 4, not 2.

use std::ops::Range;

use ropey::Rope;

use crate::pattern::{Captures, Located, Match, Pattern};

/// Lines per search window.
pub const WINDOW_LINES: usize = 1024;

/// Line breaks a multi-line match may span at most (see the module docs).
pub const MAX_MATCH_LINES: usize = 64;

/// Stands for "the text goes on" after a window that stops before the buffer's last line, so that
/// `\%$` cannot match there. Only a match crossing the window's look-ahead lines could reach it.
const CONTINUATION: char = '\u{FFFF}';

/// Outcome of `/`, `?`, `n` or `N`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchResult {
    /// A match (char offsets); `wrapped` when the search went past an end of the buffer.
    Found {
        /// The matched chars.
        range: Range<usize>,
        /// Whether the search wrapped around ('wrapscan').
        wrapped: bool,
    },
    /// No match anywhere: `E486: Pattern not found: {pat}`.
    NotFound,
    /// No match below the cursor and 'nowrapscan': `E385: Search hit BOTTOM without match for: {pat}`.
    HitBottom,
    /// No match above the cursor and 'nowrapscan': `E384: Search hit TOP without match for: {pat}`.
    HitTop,
}

impl SearchResult {
    /// The error Vim prints for a failed search, `None` for a match.
    pub fn error_message(&self, pattern: &str) -> Option<String> {
        match self {
            SearchResult::Found { .. } => None,
            SearchResult::NotFound => Some(crate::pattern::not_found_message(pattern)),
            SearchResult::HitBottom => Some(format!("E385: Search hit BOTTOM without match for: {pattern}")),
            SearchResult::HitTop => Some(format!("E384: Search hit TOP without match for: {pattern}")),
        }
    }
}

/// Message shown when a forward search wraps ('shortmess' without `s`).
pub const WRAPPED_FORWARD: &str = "search hit BOTTOM, continuing at TOP";

/// Message shown when a backward search wraps.
pub const WRAPPED_BACKWARD: &str = "search hit TOP, continuing at BOTTOM";

/// Searches forward from `from_char` like `/` and `n`: a match at the cursor is skipped.
pub fn search_forward(rope: &Rope, pat: &Pattern, from_char: usize, wrapscan: bool) -> SearchResult {
    forward(rope, pat, from_char, wrapscan, false)
}

/// Finds the first match starting at or after `from_char` without wrapping (the `c` flag of
/// `search()`); `None` when there is none.
pub fn find_first(rope: &Rope, pat: &Pattern, from_char: usize) -> Option<Range<usize>> {
    match forward(rope, pat, from_char, false, true) {
        SearchResult::Found { range, .. } => Some(range),
        _ => None,
    }
}

/// Searches backward from `from_char` like `?` and `N`: the last match starting before the cursor.
pub fn search_backward(rope: &Rope, pat: &Pattern, from_char: usize, wrapscan: bool) -> SearchResult {
    let total = rope.len_lines();
    let (cur_line, cur_col) = line_and_byte_col(rope, from_char);
    // Lines from the cursor line up to the top, last match before the cursor.
    if let Some(range) = last_match_up(rope, pat, cur_line + 1, 0, Some((cur_line, cur_col))) {
        return SearchResult::Found { range, wrapped: false };
    }
    if !wrapscan {
        return SearchResult::HitTop;
    }
    match last_match_up(rope, pat, total, cur_line, None) {
        Some(range) => SearchResult::Found { range, wrapped: true },
        None => SearchResult::NotFound,
    }
}

/// All matches in one line as `:s///g` finds them (byte offsets, Vim's rules for empty matches).
///
/// The search continues at the end of each match. An empty match right where the previous match
/// ended does not count (so `:s/x*/-/g` on `abc` gives `-a-b-c`), and once a match ends at the end
/// of the line the search stops. hlsearch uses the same matches.
pub fn find_all_in_line<'a>(pat: &'a Pattern, line: &'a str) -> impl Iterator<Item = Match> + 'a {
    LineScan::new(pat, line, 0, line.len(), None).map(|m| m.matched)
}

/// Like [`find_all_in_line`] with the sub-matches, for `:s///g`.
pub fn captures_all_in_line<'a>(pat: &'a Pattern, line: &'a str) -> LineMatches<'a> {
    LineMatches { scan: LineScan::new(pat, line, 0, line.len(), None) }
}

/// Iterator over the `:s///g` matches of one line with sub-matches, see [`captures_all_in_line`].
#[derive(Debug)]
pub struct LineMatches<'a> {
    scan: LineScan<'a>,
}

impl Iterator for LineMatches<'_> {
    type Item = Captures;

    fn next(&mut self) -> Option<Captures> {
        let m = self.scan.next()?;
        // The same attempt position gives the same (leftmost-first) match, now with groups.
        self.scan.pat.captures_at(self.scan.text, m.attempt_start)
    }
}

/// The `:s///g` loop over one line of `text` (`col..line_end`), without sub-matches.
#[derive(Debug)]
struct LineScan<'a> {
    pat: &'a Pattern,
    text: &'a str,
    col: usize,
    line_end: usize,
    prev_end: Option<usize>,
    done: bool,
    /// The result of the first search from `col`, when the caller already has it.
    pending: Option<Located>,
}

impl<'a> LineScan<'a> {
    fn new(pat: &'a Pattern, text: &'a str, col: usize, line_end: usize, prev_end: Option<usize>) -> Self {
        LineScan { pat, text, col, line_end, prev_end, done: false, pending: None }
    }
}

impl Iterator for LineScan<'_> {
    type Item = Located;

    fn next(&mut self) -> Option<Located> {
        while !self.done {
            let found = match self.pending.take() {
                Some(m) => Some(m),
                None => self.pat.locate_at(self.text, self.col),
            };
            let m = match found {
                Some(m) if m.attempt_start <= self.line_end => m,
                _ => {
                    self.done = true;
                    return None;
                }
            };
            if self.prev_end == Some(self.col) && m.matched.end == self.col {
                // The empty match at the end of the previous one: step over one character.
                match next_char_boundary(self.text, self.col) {
                    Some(next) if next < self.line_end => self.col = next,
                    _ => self.done = true,
                }
                continue;
            }
            // `\ze` before the attempt position could leave `end` behind; never go backwards.
            self.col = m.matched.end.max(self.col);
            self.prev_end = Some(self.col);
            // Like Vim's `:s`: a match that ends at the end of the line is the line's last,
            // unless the pattern can match the line break there.
            if self.col >= self.line_end && !self.pat.is_multiline() {
                self.done = true;
            }
            return Some(m);
        }
        None
    }
}

/// Number of matches in the buffer as `:s///gn` counts them.
pub fn count_matches(rope: &Rope, pat: &Pattern) -> usize {
    let mut n = 0;
    scan_matches(rope, pat, 0..rope.len_lines(), |_, _| n += 1);
    n
}

/// Position of a match among all matches, for the `[3/10]` search count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchCount {
    /// 1-based index of the last match starting at or before the cursor (0 if none).
    pub current: usize,
    /// Number of matches in the buffer.
    pub total: usize,
}

/// Counts matches in the buffer as `:%s///gn` does, and which one the cursor (a char offset) is
/// on, like Vim's `searchcount()`.
pub fn search_count(rope: &Rope, pat: &Pattern, cursor_char: usize) -> SearchCount {
    let mut count = SearchCount { current: 0, total: 0 };
    // Compared as (line, byte column) so that no match needs converting to a char offset.
    let cursor = line_and_byte_col(rope, cursor_char);
    scan_matches(rope, pat, 0..rope.len_lines(), |w, m| {
        count.total += 1;
        let line = w.line_of(m.matched.start);
        let col = m.matched.start - w.line_start(line);
        // A match just past the final newline (`\n\zs`) lies beyond the last line's text: place
        // it at the end of the text, where its char position is.
        let at = if line + 1 < rope.len_lines() || col <= line_bytes(rope, line) {
            (line, col)
        } else {
            line_and_byte_col(rope, rope.len_chars())
        };
        if at <= cursor {
            count.current = count.total;
        }
    });
    count
}

/// Byte length of a line without its newline (0 past the end).
fn line_bytes(rope: &Rope, line: usize) -> usize {
    if line >= rope.len_lines() {
        return 0;
    }
    let l = rope.line(line);
    let n = l.len_bytes();
    if line + 1 < rope.len_lines() {
        n.saturating_sub(1)
    } else {
        n
    }
}

/// All matches starting in `lines`, in the order `:s///g` finds them (char ranges); for `:s` over
/// a range and for hlsearch of the visible lines.
pub fn matches_in_lines(rope: &Rope, pat: &Pattern, lines: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    scan_matches(rope, pat, lines, |w, m| out.push(w.to_char(rope, m.matched.start)..w.to_char(rope, m.matched.end)));
    out
}

/// Calls `f(chars, captures, text)` for each `:s///g` match starting in `lines`, in order.
///
/// `chars` is the match in the rope; the captures' byte offsets refer to `text`, a window of joined
/// lines, so `Replacement::expand(captures, text)` gives the replacement for `:s`.
pub fn for_each_match(
    rope: &Rope,
    pat: &Pattern,
    lines: Range<usize>,
    mut f: impl FnMut(Range<usize>, &Captures, &str),
) {
    scan_matches(rope, pat, lines, |w, m| {
        if let Some(caps) = pat.captures_at(&w.text, m.attempt_start) {
            f(w.to_char(rope, m.matched.start)..w.to_char(rope, m.matched.end), &caps, &w.text);
        }
    });
}

/// The `:s///g` loop over `lines` without sub-matches: `f(window, match)`.
fn scan_matches(rope: &Rope, pat: &Pattern, lines: Range<usize>, mut f: impl FnMut(&Window, &Located)) {
    let total_lines = rope.len_lines().min(lines.end);
    let mut line = lines.start;
    // Byte column to go on from after a match that ended in a later line.
    let mut resume: Option<usize> = None;
    while line < total_lines {
        let end = (line + WINDOW_LINES).min(total_lines);
        let w = Window::new(rope, pat, line, end);
        let mut l = line;
        let mut next_window = end;
        while l < end {
            let mut pos = w.line_start(l) + resume.unwrap_or(0);
            let prev = resume.map(|_| pos);
            let mut first = None;
            if resume.take().is_none() {
                // Jump straight to the next line that has a match.
                match pat.locate_at(&w.text, pos) {
                    Some(m) if m.attempt_start <= w.primary_end() => {
                        l = w.line_of(m.attempt_start);
                        pos = w.line_start(l);
                        // Searching from the line's start finds this same match again.
                        first = Some(m);
                    }
                    _ => break,
                }
            }
            let le = w.line_start(l) + w.line_text(l).len();
            let mut it = LineScan::new(pat, &w.text, pos, le, prev);
            it.pending = first;
            let mut last_end = None;
            for m in it {
                f(&w, &m);
                last_end = Some(m.matched.end);
                if m.matched.end > le {
                    break;
                }
            }
            match last_end {
                Some(e) if e > le => {
                    // A multi-line match: `:s` goes on where it ended.
                    let l2 = w.line_of(e);
                    if l2 >= total_lines || l2 <= l || e + 1 >= w.text.len() {
                        l += 1;
                        continue;
                    }
                    resume = Some(e - w.line_start(l2));
                    if l2 >= end {
                        next_window = l2;
                        break;
                    }
                    l = l2;
                }
                _ => l += 1,
            }
        }
        line = next_window.max(line + 1);
    }
}

/// Forward search shared by `/` (`accept_at_cursor` false) and `search(..., 'c')`.
fn forward(rope: &Rope, pat: &Pattern, from_char: usize, wrapscan: bool, accept_at_cursor: bool) -> SearchResult {
    let total = rope.len_lines();
    let (cur_line, cur_col) = line_and_byte_col(rope, from_char);
    // The cursor line with Vim's rule for skipping matches at or before the cursor.
    let w = Window::new(rope, pat, cur_line, cur_line + 1);
    let line_text = w.line_text(cur_line);
    let extra = if accept_at_cursor { 0 } else { next_char_boundary(line_text, cur_col).map_or(1, |n| n - cur_col) };
    let line_start = w.line_start(cur_line);
    let line_len = line_text.len();
    let mut col = 0;
    while let Some(m) = pat.locate_at(&w.text, line_start + col) {
        if m.attempt_start > line_start + line_len {
            break;
        }
        let start = m.matched.start.saturating_sub(line_start);
        let in_line = m.matched.start <= line_start + line_len;
        let at_nul = usize::from(start == line_len);
        if !in_line || start.saturating_sub(at_nul) >= cur_col + extra {
            return SearchResult::Found {
                range: w.to_char(rope, m.matched.start)..w.to_char(rope, m.matched.end),
                wrapped: false,
            };
        }
        if m.matched.end > line_start + line_len {
            // Ends in a later line: no other match can start in this line.
            break;
        }
        let mut next = m.matched.end.saturating_sub(line_start).max(col);
        if next == start {
            match next_char_boundary(line_text, next) {
                Some(n) => next = n,
                None => break,
            }
        }
        if next >= line_len {
            break;
        }
        col = next;
    }
    // The lines below the cursor line.
    if let Some(range) = first_match_down(rope, pat, cur_line + 1, total) {
        return SearchResult::Found { range, wrapped: false };
    }
    if !wrapscan {
        return SearchResult::HitBottom;
    }
    match first_match_down(rope, pat, 0, cur_line + 1) {
        Some(range) => SearchResult::Found { range, wrapped: true },
        None => SearchResult::NotFound,
    }
}

/// First match starting in lines `from..to`.
fn first_match_down(rope: &Rope, pat: &Pattern, from: usize, to: usize) -> Option<Range<usize>> {
    let mut line = from;
    while line < to {
        let end = (line + WINDOW_LINES).min(to);
        let w = Window::new(rope, pat, line, end);
        if let Some(m) = pat.locate_at(&w.text, w.line_start(line)) {
            if m.attempt_start <= w.primary_end() {
                return Some(w.to_char(rope, m.matched.start)..w.to_char(rope, m.matched.end));
            }
        }
        line = end;
    }
    None
}

/// Last match starting in lines `stop..from` (searched upward), restricted on the cursor line
/// `(line, byte col)` to matches starting before the cursor.
fn last_match_up(
    rope: &Rope,
    pat: &Pattern,
    from: usize,
    stop: usize,
    cursor: Option<(usize, usize)>,
) -> Option<Range<usize>> {
    let mut end = from;
    while end > stop {
        let start = end.saturating_sub(WINDOW_LINES).max(stop);
        let w = Window::new(rope, pat, start, end);
        let mut best: Option<Match> = None;
        let mut pos = w.line_start(start);
        'lines: while pos <= w.primary_end() {
            let Some(first) = pat.locate_at(&w.text, pos) else {
                break;
            };
            if first.attempt_start > w.primary_end() {
                break;
            }
            let line = w.line_of(first.attempt_start);
            let ls = w.line_start(line);
            let le = ls + w.line_text(line).len();
            let limit = match cursor {
                Some((cl, cc)) if cl == line => Some(ls + cc),
                _ => None,
            };
            let mut m = first;
            loop {
                if limit.is_some_and(|l| m.matched.start >= l) {
                    break;
                }
                best = Some(m.matched);
                if m.matched.end > le {
                    break;
                }
                let mut next = m.matched.end.max(m.attempt_start);
                if next == m.matched.start {
                    match next_char_boundary(&w.text, next) {
                        Some(n) => next = n,
                        None => break 'lines,
                    }
                }
                if next >= le {
                    break;
                }
                match pat.locate_at(&w.text, next) {
                    Some(n) if n.attempt_start <= le => m = n,
                    _ => break,
                }
            }
            pos = le + 1;
        }
        if let Some(m) = best {
            return Some(w.to_char(rope, m.start)..w.to_char(rope, m.end));
        }
        end = start;
    }
    None
}

/// Lines `first..end` of a rope joined by `\n`, as the regex engine searches them.
struct Window {
    text: String,
    first: usize,
    /// Byte offset in `text` of each line from `first` on (look-ahead lines included).
    starts: Vec<usize>,
    /// Lines `first..primary` are the window's own; matches must start there.
    primary: usize,
}

impl Window {
    fn new(rope: &Rope, pat: &Pattern, first: usize, primary: usize) -> Window {
        let total = rope.len_lines();
        let primary = primary.min(total).max(first + 1).min(total.max(first + 1));
        let lookahead = if pat.is_multiline() { MAX_MATCH_LINES } else { 0 };
        let end = (primary + lookahead).min(total);
        let mut text = String::new();
        if first > 0 {
            // A real line break before the window, so `\%^` cannot match and `^`/`\<` see it.
            text.push('\n');
        }
        let starts = match join_lines_fast(rope, first, end, &mut text) {
            Some(starts) => starts,
            None => {
                text.truncate(usize::from(first > 0));
                join_lines(rope, first, end, &mut text)
            }
        };
        // Vim's last line ends in a line break that `\n` matches; elsewhere the text goes on.
        text.push('\n');
        if end < total {
            text.push(CONTINUATION);
        }
        Window { text, first, starts, primary }
    }

    fn line_start(&self, line: usize) -> usize {
        let k = line.saturating_sub(self.first);
        self.starts.get(k).or(self.starts.last()).copied().unwrap_or(0)
    }

    fn line_text(&self, line: usize) -> &str {
        let k = line.saturating_sub(self.first);
        let start = self.line_start(line);
        let end = match self.starts.get(k + 1) {
            Some(&next) => next - 1,
            None => self.text.len() - 1 - self.continuation_len(),
        };
        self.text.get(start..end.max(start)).unwrap_or("")
    }

    fn continuation_len(&self) -> usize {
        if self.text.ends_with(CONTINUATION) {
            CONTINUATION.len_utf8()
        } else {
            0
        }
    }

    /// Byte offset of the end (line break) of the last own line.
    fn primary_end(&self) -> usize {
        let last = self.primary.saturating_sub(1);
        self.line_start(last) + self.line_text(last).len()
    }

    fn line_of(&self, byte: usize) -> usize {
        let k = self.starts.partition_point(|&s| s <= byte).saturating_sub(1);
        self.first + k
    }

    /// Char offset in the rope of a byte offset in `text`.
    fn to_char(&self, rope: &Rope, byte: usize) -> usize {
        let line = self.line_of(byte);
        let start = self.line_start(line);
        let text = self.line_text(line);
        let in_line = byte.saturating_sub(start);
        if in_line > text.len() {
            // The line break after the line (or the virtual one after the last line).
            let next = line + 1;
            return if next < rope.len_lines() { rope.line_to_char(next) } else { rope.len_chars() };
        }
        rope.line_to_char(line) + text.get(..in_line).map_or(0, |s| s.chars().count())
    }
}

/// Appends lines `first..end` joined by `\n` to `text`, returning where each line starts.
fn join_lines(rope: &Rope, first: usize, end: usize, text: &mut String) -> Vec<usize> {
    let mut starts = Vec::with_capacity(end.saturating_sub(first) + 1);
    let total = rope.len_lines();
    for (i, line) in rope.lines_at(first.min(total)).take(end.saturating_sub(first)).enumerate() {
        if i > 0 {
            text.push('\n');
        }
        starts.push(text.len());
        let mut chunks = line.chunks().peekable();
        while let Some(chunk) = chunks.next() {
            let chunk = if chunks.peek().is_none() { chunk.strip_suffix('\n').unwrap_or(chunk) } else { chunk };
            text.push_str(chunk);
        }
    }
    if starts.is_empty() {
        starts.push(text.len());
    }
    starts
}

/// [`join_lines`] by copying the rope's chunks and finding the line breaks with memchr, which is
/// many times faster than walking the lines. Gives up (`None`) when a line of the window ends in a
/// break other than `\n` or `\r\n` (ropey also splits lines at `\r`, U+2028 and others).
fn join_lines_fast(rope: &Rope, first: usize, end: usize, text: &mut String) -> Option<Vec<usize>> {
    let total = rope.len_lines();
    if first >= end || end > total {
        return None;
    }
    let start_char = rope.line_to_char(first);
    let end_char = if end < total { rope.line_to_char(end) } else { rope.len_chars() };
    let slice = rope.slice(start_char..end_char);
    let base = text.len();
    text.reserve(slice.len_bytes() + 8);
    for chunk in slice.chunks() {
        text.push_str(chunk);
    }
    let lines = end - first;
    let mut starts = Vec::with_capacity(lines);
    starts.push(base);
    let mut breaks = 0;
    for pos in memchr::memchr_iter(b'\n', text.as_bytes().get(base..)?) {
        breaks += 1;
        if starts.len() < lines {
            starts.push(base + pos + 1);
        }
    }
    // Every line but the buffer's last ends in a break; all of them must have been `\n`.
    let expected = if end < total { lines } else { lines - 1 };
    if breaks != expected {
        return None;
    }
    if end < total {
        text.pop();
    }
    Some(starts)
}

/// Line of a char offset and the byte column of it in that line (clamped to the rope).
fn line_and_byte_col(rope: &Rope, char_idx: usize) -> (usize, usize) {
    let char_idx = char_idx.min(rope.len_chars());
    let line = rope.char_to_line(char_idx);
    let line_start = rope.line_to_char(line);
    let slice = rope.line(line);
    let col_chars = (char_idx - line_start).min(slice.len_chars());
    (line, slice.char_to_byte(col_chars))
}

/// Byte offset of the character after the one at `i`, `None` at the end.
fn next_char_boundary(s: &str, i: usize) -> Option<usize> {
    let c = s.get(i..)?.chars().next()?;
    Some(i + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::PatternOptions;

    fn pat(p: &str) -> Pattern {
        match Pattern::new(p, &PatternOptions::default()) {
            Ok(p) => p,
            Err(e) => panic!("{p}: {e}"),
        }
    }

    fn found(r: SearchResult) -> Option<(Range<usize>, bool)> {
        match r {
            SearchResult::Found { range, wrapped } => Some((range, wrapped)),
            _ => None,
        }
    }

    fn all(p: &str, line: &str) -> Vec<(usize, usize)> {
        find_all_in_line(&pat(p), line).map(|m| (m.start, m.end)).collect()
    }

    #[test]
    fn forward_skips_match_at_cursor_and_wraps() {
        let rope = Rope::from_str("foo bar\nbar foo\nfoo");
        let p = pat("foo");
        assert_eq!(found(search_forward(&rope, &p, 0, true)), Some((12..15, false)));
        assert_eq!(found(search_forward(&rope, &p, 12, true)), Some((16..19, false)));
        assert_eq!(found(search_forward(&rope, &p, 16, true)), Some((0..3, true)));
        assert_eq!(search_forward(&rope, &p, 16, false), SearchResult::HitBottom);
        assert_eq!(search_forward(&rope, &pat("nope"), 0, true), SearchResult::NotFound);
    }

    #[test]
    fn only_match_at_cursor_wraps_to_itself() {
        let rope = Rope::from_str("a\nfoo\nb");
        assert_eq!(found(search_forward(&rope, &pat("foo"), 2, true)), Some((2..5, true)));
        assert_eq!(found(search_backward(&rope, &pat("foo"), 2, true)), Some((2..5, true)));
    }

    #[test]
    fn forward_continues_at_match_end_like_cpo_c() {
        let rope = Rope::from_str("x\nabababab");
        let p = pat("aba");
        assert_eq!(found(search_forward(&rope, &p, 3, true)), Some((6..9, false)));
        let rope = Rope::from_str("xaaay");
        assert_eq!(found(search_forward(&rope, &pat("a*"), 0, true)), Some((1..4, false)));
        assert_eq!(found(search_forward(&rope, &pat("a*"), 1, true)), Some((4..4, false)));
    }

    #[test]
    fn backward_finds_last_match_before_cursor() {
        let rope = Rope::from_str("x\nabababab");
        let p = pat("aba");
        assert_eq!(found(search_backward(&rope, &p, 6, true)), Some((2..5, false)));
        assert_eq!(found(search_backward(&rope, &p, 7, true)), Some((6..9, false)));
        assert_eq!(found(search_backward(&rope, &p, 9, true)), Some((6..9, false)));
        assert_eq!(found(search_backward(&rope, &p, 2, true)), Some((6..9, true)));
        assert_eq!(search_backward(&rope, &p, 2, false), SearchResult::HitTop);
    }

    #[test]
    fn dollar_from_last_char_goes_to_next_line() {
        let rope = Rope::from_str("ab\ncd");
        assert_eq!(found(search_forward(&rope, &pat("$"), 1, true)), Some((5..5, false)));
        assert_eq!(found(search_forward(&rope, &pat("$"), 0, true)), Some((2..2, false)));
    }

    #[test]
    fn multiline_matches() {
        let rope = Rope::from_str("foo\nbar\nfoo");
        assert_eq!(find_first(&rope, &pat("o\\nb"), 0), Some(2..5));
        assert_eq!(find_first(&rope, &pat("bar\\nfoo\\n"), 0), Some(4..11));
        assert_eq!(find_first(&rope, &pat("o\\%$"), 0), Some(10..11));
        assert_eq!(find_first(&rope, &pat("\\%^foo"), 1), None);
        assert_eq!(find_first(&rope, &pat("\\%^bar"), 0), None);
        assert_eq!(find_first(&rope, &pat("r\\_s*f"), 0), Some(6..9));
        // Documented difference: Vim does not match `\%$` after the last line break.
        assert_eq!(find_first(&rope, &pat("o\\n\\%$"), 0), Some(10..11));
    }

    #[test]
    fn windows_do_not_invent_buffer_ends() {
        let text: String = (0..3000).map(|i| format!("l{i}\n")).collect::<String>() + "end";
        let rope = Rope::from_str(&text);
        assert_eq!(count_matches(&rope, &pat("\\%$")), 1);
        assert_eq!(count_matches(&rope, &pat("\\%^")), 1);
        assert_eq!(count_matches(&rope, &pat("^l")), 3000);
        let last = find_first(&rope, &pat("l2999\\nend"), 0);
        assert!(last.is_some());
        assert_eq!(
            found(search_backward(&rope, &pat("l1\\n"), rope.len_chars(), true)).map(|(r, _)| r.start),
            Some(rope.line_to_char(1))
        );
    }

    #[test]
    fn all_in_line_follows_substitute_rules() {
        assert_eq!(all("x*", "foo"), vec![(0, 0), (1, 1), (2, 2)]);
        assert_eq!(all("a*", "bar"), vec![(0, 0), (1, 2)]);
        assert_eq!(all("b*", "abc"), vec![(0, 0), (1, 2)]);
        assert_eq!(all("$", "abc"), vec![(3, 3)]);
        assert_eq!(all("\\zs", "abc"), vec![(0, 0), (1, 1), (2, 2)]);
        assert_eq!(all("a\\zs", "aaa"), vec![(1, 1), (2, 2), (3, 3)]);
        assert_eq!(all("a\\zsb\\|b", "abab"), vec![(1, 2), (3, 4)]);
        assert_eq!(all("o", "foo"), vec![(1, 2), (2, 3)]);
        assert_eq!(all("x*", ""), vec![(0, 0)]);
    }

    #[test]
    fn substitute_over_lines_with_captures() {
        let rope = Rope::from_str("key = value\nother = thing\nrest");
        let p = pat("\\(\\w\\+\\) = \\(\\w\\+\\)");
        let r = crate::substitute::Replacement::parse("\\2: \\u\\1", None, true);
        let mut out = Vec::new();
        for_each_match(&rope, &p, 1..3, |range, caps, text| {
            out.push((range, r.expand(caps, text)));
        });
        assert_eq!(out, vec![(12..25, "thing: Other".to_string())]);
    }

    #[test]
    fn fast_and_slow_window_joins_agree() {
        for text in ["", "a", "a\n", "a\nb\n\nc", "a\r\nb\r\nc", "a\rb\nc", "x\u{2028}y\nz", "é\n日本\n"] {
            let rope = Rope::from_str(text);
            let total = rope.len_lines();
            for first in 0..total {
                for end in first + 1..=total {
                    let mut slow = String::new();
                    let slow_starts = join_lines(&rope, first, end, &mut slow);
                    let mut fast = String::new();
                    if let Some(fast_starts) = join_lines_fast(&rope, first, end, &mut fast) {
                        assert_eq!((&fast, &fast_starts), (&slow, &slow_starts), "{text:?}");
                    } else {
                        assert!(text.contains(['\r', '\u{2028}']), "{text:?} {first}..{end}");
                    }
                }
            }
        }
    }

    #[test]
    fn other_line_breaks_keep_offsets_right() {
        let rope = Rope::from_str("ab\u{2028}cd\nab");
        assert_eq!(found(search_forward(&rope, &pat("ab"), 0, true)), Some((6..8, false)));
        assert_eq!(count_matches(&rope, &pat("b")), 2);
    }

    #[test]
    fn counts() {
        let rope = Rope::from_str("a a\nb\na");
        let p = pat("a");
        assert_eq!(count_matches(&rope, &p), 3);
        assert_eq!(matches_in_lines(&rope, &p, 1..3), vec![6..7]);
        assert_eq!(matches_in_lines(&rope, &pat("a\\nb\\|a"), 0..3), vec![0..1, 2..5, 6..7]);
        assert_eq!(search_count(&rope, &p, 2), SearchCount { current: 2, total: 3 });
    }

    #[test]
    fn multibyte_offsets_are_chars() {
        let rope = Rope::from_str("éé\nxé");
        assert_eq!(found(search_forward(&rope, &pat("é"), 0, true)), Some((1..2, false)));
        assert_eq!(found(search_forward(&rope, &pat("é"), 1, true)), Some((4..5, false)));
        assert_eq!(found(search_backward(&rope, &pat("é"), 4, true)), Some((1..2, false)));
    }

    #[test]
    fn cursor_past_end_does_not_panic() {
        let rope = Rope::from_str("ab");
        assert_eq!(found(search_forward(&rope, &pat("a"), 99, true)), Some((0..1, true)));
        let empty = Rope::new();
        assert_eq!(search_forward(&empty, &pat("a"), 0, true), SearchResult::NotFound);
        assert_eq!(found(search_forward(&empty, &pat("^"), 0, true)), Some((0..0, true)));
    }

    #[test]
    fn messages() {
        assert_eq!(
            SearchResult::HitBottom.error_message("x").as_deref(),
            Some("E385: Search hit BOTTOM without match for: x")
        );
        assert_eq!(
            SearchResult::HitTop.error_message("x").as_deref(),
            Some("E384: Search hit TOP without match for: x")
        );
        assert_eq!(SearchResult::NotFound.error_message("x").as_deref(), Some("E486: Pattern not found: x"));
    }
}
