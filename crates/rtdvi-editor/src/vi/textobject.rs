//! Text objects: `iw aw iW aW is as ip ap`, brackets `i( a( i[ i{ i<`, quotes `i" i' i\``, tags `it at`.
//!
//! Each returns a start, an end and how an operator takes it (inclusive charwise, exclusive when
//! Vim's inner-block rule applies, or linewise for paragraphs). Words and quotes stay within the
//! cursor line like Vim's; a count on `iw`/`aw` extends over following words and blanks of the line.

use super::command::TextObject;
use super::normal::MKind;
use super::operator::RangeKind;
use super::textpos::{self, char_class, first_nonblank, is_blank, line_count, line_empty, line_len, line_string, Pos};
use super::Fail;
use crate::editor::Editor;

impl Editor {
    /// Evaluates a text object at `cur`. `sel` is the current visual selection (start, end), if any.
    /// Returns (start, end inclusive, shape, empty).
    pub(crate) fn text_object(
        &mut self,
        obj: TextObject,
        count: Option<usize>,
        cur: Pos,
        sel: Option<(Pos, Pos)>,
    ) -> Result<(Pos, Pos, RangeKind, bool), Fail> {
        let n = count.unwrap_or(1).max(1);
        if matches!(obj.kind, 'w' | 'W') && sel.is_none() {
            let rope = &self.buf().text;
            let (s, e, inclusive) = match word_object(rope, cur, n, obj.around, obj.kind == 'W', None) {
                Ok(r) => r,
                Err(at) => {
                    // The operator is cancelled, but the cursor stays where the object stopped.
                    self.place_normal(at, super::normal::Want::Set);
                    return Err(Fail);
                }
            };
            if inclusive || e.row == s.row {
                return Ok((s, e, RangeKind::Char, false));
            }
            // Exclusive at the start of a line: as any exclusive motion, linewise when it starts
            // in the indent, else up to the end of the line before.
            if s.col <= first_nonblank(rope, s.row) {
                return Ok((Pos::new(s.row, 0), Pos::new(e.row - 1, 0), RangeKind::Line, false));
            }
            let len = line_len(rope, e.row - 1);
            return Ok((s, Pos::new(e.row - 1, len.saturating_sub(1)), RangeKind::Char, false));
        }
        let (s, e, k) = self.text_object_kind(obj, n, cur, sel)?;
        let kind = match k {
            MKind::Linewise => RangeKind::Line,
            _ => RangeKind::Char,
        };
        if k == MKind::Exclusive {
            // Inner blocks spanning lines end before the closing line; callers treat them inclusive,
            // so step back one char (onto the previous line's end when needed).
            let rope = &self.buf().text;
            let mut e2 = e;
            if e2.col == 0 && e2.row > s.row {
                let prev = e2.row - 1;
                let len = line_len(rope, prev);
                if s.col <= first_nonblank(rope, s.row) && s.col == 0 {
                    return Ok((Pos::new(s.row, 0), Pos::new(prev, 0), RangeKind::Line, false));
                }
                e2 = Pos::new(prev, len.saturating_sub(1));
                return Ok((s, e2, kind, false));
            }
            if e2 <= s {
                return Ok((s, s, kind, true));
            }
            textpos::dec(rope, &mut e2);
            return Ok((s, e2, kind, false));
        }
        Ok((s, e, kind, false))
    }

    /// `gn`/`gN`: the match of the last search pattern under the cursor, else the next (previous)
    /// one, as (first char, last char).
    pub(crate) fn search_match(&mut self, forward: bool, cur: Pos) -> Result<(Pos, Pos), Fail> {
        let Some(pat) = self.search.last_pattern.clone() else {
            self.messages.error("E35: No previous regular expression");
            return Err(Fail);
        };
        let compiled = self.compile_pattern(&pat).map_err(|e| {
            self.messages.error(e.to_string());
            Fail
        })?;
        let wrapscan = self.opt("wrapscan").as_bool();
        let rope = self.buf().text.clone();
        let at = textpos::offset(&rope, cur);
        // A match containing the cursor, starting on its line.
        let mut from = rope.line_to_char(cur.row);
        let mut found = None;
        while let Some(r) = rtdvi_core::search::find_first(&rope, &compiled, from) {
            if r.start > at {
                if forward {
                    found = Some(r);
                }
                break;
            }
            if r.end > at || (r.start == at && r.end == r.start) {
                found = Some(r);
                break;
            }
            from = r.end.max(r.start + 1);
        }
        let range = match found {
            Some(r) => r,
            None => {
                let res = if forward {
                    rtdvi_core::search::search_forward(&rope, &compiled, at, wrapscan)
                } else {
                    rtdvi_core::search::search_backward(&rope, &compiled, at, wrapscan)
                };
                match res {
                    rtdvi_core::search::SearchResult::Found { range, .. } => range,
                    other => {
                        if let Some(msg) = other.error_message(&pat) {
                            self.messages.error(msg);
                        }
                        return Err(Fail);
                    }
                }
            }
        };
        self.search.highlight = self.opt("hlsearch").as_bool();
        let last = range.end.saturating_sub(1).max(range.start);
        Ok((textpos::pos_of(&rope, range.start), textpos::pos_of(&rope, last)))
    }

    fn text_object_kind(
        &mut self,
        obj: TextObject,
        n: usize,
        cur: Pos,
        sel: Option<(Pos, Pos)>,
    ) -> Result<(Pos, Pos, MKind), Fail> {
        let rope = &self.buf().text;
        match obj.kind {
            'w' | 'W' => {
                let (a, b, _) =
                    word_object(rope, cur, n, obj.around, obj.kind == 'W', sel.map(|(a, _)| a)).map_err(|_| Fail)?;
                Ok((a.min(b), a.max(b), MKind::Inclusive))
            }
            'p' => {
                let span = paragraph_span(rope, cur.row, n, obj.around, None, false);
                if !span.ok {
                    return Err(Fail);
                }
                Ok((Pos::new(span.start, 0), Pos::new(span.end, 0), MKind::Linewise))
            }
            's' => sentence_object(rope, cur, obj.around),
            '(' | ')' | 'b' => block_object(rope, cur, n, obj.around, '(', ')', sel),
            '[' | ']' => block_object(rope, cur, n, obj.around, '[', ']', sel),
            '{' | '}' | 'B' => block_object(rope, cur, n, obj.around, '{', '}', sel),
            '<' | '>' => block_object(rope, cur, n, obj.around, '<', '>', sel),
            '"' | '\'' | '`' => quote_object(rope, cur, n, obj.around, obj.kind),
            't' => match sel.filter(|(a, b)| a != b) {
                // With a selection Vim searches from its start for a tag starting before it; an
                // inner block equal to the selection takes the tags too (`vitit`).
                Some((a, b)) => {
                    let r = tag_object(rope, a, n, obj.around, true)?;
                    let mut last = r.1;
                    if r.2 == MKind::Exclusive {
                        textpos::dec(rope, &mut last);
                    }
                    if !obj.around && r.0 == a && last == b {
                        tag_object(rope, a, n, true, true)
                    } else {
                        Ok(r)
                    }
                }
                None => tag_object(rope, cur, n, obj.around, false),
            },
            'n' | 'N' => {
                let (a, b) = self.search_match(obj.kind == 'n', cur)?;
                Ok((a, b, MKind::Inclusive))
            }
            _ => Err(Fail),
        }
    }
}

fn cls(rope: &ropey::Rope, p: Pos, big: bool) -> u8 {
    char_class(textpos::char_at(rope, p), big)
}

/// Vim's back_in_line: to the first char of the run of one class the position is in (same line).
fn back_in_line(rope: &ropey::Rope, p: &mut Pos, big: bool) {
    let c = cls(rope, *p, big);
    while p.col > 0 && cls(rope, Pos::new(p.row, p.col - 1), big) == c {
        p.col -= 1;
    }
}

/// Vim's bckend_word with `eol` set (text objects stop at a line start).
fn word_end_back_in_line(rope: &ropey::Rope, p: &mut Pos, big: bool) -> bool {
    let sclass = cls(rope, *p, big);
    match textpos::dec(rope, p) {
        -1 => return false,
        1 => return true,
        _ => {}
    }
    if sclass != 0 {
        while cls(rope, *p, big) == sclass {
            if textpos::dec(rope, p) != 0 {
                return true;
            }
        }
    }
    while cls(rope, *p, big) == 0 {
        if p.col == 0 && line_empty(rope, p.row) {
            break;
        }
        if textpos::dec(rope, p) != 0 {
            return true;
        }
    }
    true
}

/// `iw aw iW aW` as Vim's current_word. `anchor` is the visual selection's other end: a selection
/// of one char is replaced by the word under the cursor, a longer one grows by `n` words (and
/// blanks) in the direction the cursor is, which may cross lines. Returns the start (the new
/// anchor in visual mode), the end (the cursor) and whether the end is inclusive (not when a
/// word ended its line and the end is the start of the next one). A failure (no more words)
/// still moves the cursor as far as Vim's did, so `Err` carries where it is.
pub(crate) fn word_object(
    rope: &ropey::Rope,
    cur: Pos,
    n: usize,
    around: bool,
    big: bool,
    anchor: Option<Pos>,
) -> Result<(Pos, Pos, bool), Pos> {
    let mut cur = cur;
    let mut count = n.max(1);
    let mut start = anchor.unwrap_or(cur);
    let mut inclusive = true;
    let mut include_white = false;
    if anchor.is_none_or(|a| a == cur) {
        back_in_line(rope, &mut cur, big);
        start = cur;
        if (cls(rope, cur, big) == 0) == around {
            let (p, ok) = super::motion::word_end(rope, cur, 1, big, true, true);
            if !ok {
                return Err(p);
            }
            cur = p;
        } else {
            // To the start of the next word (or blanks), then back onto the end of this one.
            cur = super::motion::word_forward(rope, cur, 1, big, true).0;
            if cur.col == 0 {
                textpos::dec_line_chars(rope, &mut cur);
            } else {
                cur.col -= 1;
            }
            include_white = around;
        }
        count -= 1;
    }
    while count > 0 {
        inclusive = true;
        if anchor.is_some_and(|a| cur < a) {
            // The cursor is at the start of the selection: grow it backward.
            if textpos::dec_line_chars(rope, &mut cur) == -1 {
                return Err(cur);
            }
            if around != (cls(rope, cur, big) != 0) {
                let (p, ok) = super::motion::word_back(rope, cur, 1, big, true);
                if !ok {
                    return Err(p);
                }
                cur = p;
            } else {
                if !word_end_back_in_line(rope, &mut cur, big) {
                    return Err(cur);
                }
                textpos::inc_line_chars(rope, &mut cur);
            }
        } else {
            if textpos::inc_line_chars(rope, &mut cur) == -1 {
                return Err(cur);
            }
            if around != (cls(rope, cur, big) == 0) {
                let (p, ok) = super::motion::word_forward(rope, cur, 1, big, true);
                cur = p;
                if !ok && count > 1 {
                    return Err(cur);
                }
                // Onto the last char of the blanks; a word that ended its line leaves the end
                // at the start of the next line, exclusive.
                if cur.col == 0 {
                    inclusive = false;
                } else {
                    cur.col -= 1;
                }
            } else {
                let (p, ok) = super::motion::word_end(rope, cur, 1, big, true, true);
                if !ok {
                    return Err(p);
                }
                cur = p;
            }
        }
        count -= 1;
    }
    if include_white && (cls(rope, cur, big) != 0 || (cur.col == 0 && !inclusive)) {
        // `aw` without blanks after the word takes the blanks before it (never the indent).
        if start.col > 0 {
            let mut p = Pos::new(start.row, start.col - 1);
            back_in_line(rope, &mut p, big);
            if cls(rope, p, big) == 0 && p.col > 0 {
                start = p;
            }
        }
    }
    Ok((start, cur, inclusive))
}

/// Whether a line is empty or only blanks (Vim's linewhite).
fn line_white(rope: &ropey::Rope, row: usize) -> bool {
    line_string(rope, row).chars().all(is_blank)
}

/// Whether a line starts a paragraph or section by itself (Vim's startPS without a bracket): a
/// form feed, or a nroff macro of the default 'paragraphs' and 'sections'.
fn starts_paragraph(rope: &ropey::Rope, row: usize) -> bool {
    const MACROS: &str = "IPLPPPQPP TPHPLIPpLpItpplpipbpSHNHH HUnhsh";
    let line: Vec<char> = line_string(rope, row).chars().take(3).collect();
    match line.first() {
        None | Some('\u{c}') => true,
        Some('.') => {
            let s0 = line.get(1).copied().unwrap_or('\0');
            let s1 = line.get(2).copied().unwrap_or('\0');
            let m: Vec<char> = MACROS.chars().collect();
            m.chunks(2).any(|pair| {
                let (a, b) = (pair[0], pair.get(1).copied().unwrap_or(' '));
                (a == s0 || (a == ' ' && (s0 == '\0' || s0 == ' ')))
                    && (b == s1 || (b == ' ' && (s0 == '\0' || s1 == '\0' || s1 == ' ')))
            })
        }
        _ => false,
    }
}

/// What `ip`/`ap` did: the rows of the selection's two ends, whether it becomes linewise, and
/// whether every count found its paragraph (a failure still moves the cursor, as in Vim).
pub(crate) struct ParagraphSpan {
    pub start: usize,
    pub end: usize,
    pub linewise: bool,
    pub ok: bool,
}

/// `ip ap` as Vim's current_par: a visual selection over several lines grows by `n` paragraphs
/// (or runs of blank lines) in the cursor's direction; otherwise the paragraph (or blank lines)
/// under the cursor and `n - 1` more are taken.
pub(crate) fn paragraph_span(
    rope: &ropey::Rope,
    row: usize,
    n: usize,
    around: bool,
    anchor: Option<usize>,
    visual_line: bool,
) -> ParagraphSpan {
    let last = line_count(rope).saturating_sub(1);
    let extend = |from: usize, anchor_row: usize| {
        let backward = from < anchor_row;
        let edge = if backward { 0 } else { last };
        let step = |r: usize| if backward { r - 1 } else { r + 1 };
        let mut row = from;
        let mut ok = true;
        for _ in 0..n {
            if row == edge {
                ok = false;
                break;
            }
            let mut prev_white = None;
            for _ in 0..2 {
                row = step(row);
                let white = line_white(rope, row);
                if prev_white == Some(white) {
                    row = if backward { row + 1 } else { row - 1 };
                    break;
                }
                while row != edge {
                    let next = step(row);
                    let starts = starts_paragraph(rope, if backward { row } else { row + 1 });
                    if white != line_white(rope, next) || (!white && starts) {
                        break;
                    }
                    row = next;
                }
                if !around || row == edge {
                    break;
                }
                prev_white = Some(white);
            }
        }
        ParagraphSpan { start: anchor_row, end: row, linewise: false, ok }
    };
    if let Some(a) = anchor.filter(|a| *a != row) {
        return extend(row, a);
    }
    let white_in_front = line_white(rope, row);
    let mut start = row;
    while start > 0 {
        let stop = if white_in_front {
            !line_white(rope, start - 1)
        } else {
            line_white(rope, start - 1) || starts_paragraph(rope, start)
        };
        if stop {
            break;
        }
        start -= 1;
    }
    let mut end = start;
    while end <= last && line_white(rope, end) {
        end += 1;
    }
    // `end` is now one past the blank lines (it may be `start` itself: then one before).
    let mut end = end as isize - 1;
    let mut i = n as isize;
    if !around && white_in_front {
        i -= 1;
    }
    while i > 0 {
        i -= 1;
        if end == last as isize {
            return ParagraphSpan { start, end: row, linewise: false, ok: false };
        }
        let do_white = !around && line_white(rope, (end + 1) as usize);
        if around || !do_white {
            end += 1;
            while (end as usize) < last
                && !line_white(rope, end as usize + 1)
                && !starts_paragraph(rope, end as usize + 1)
            {
                end += 1;
            }
        }
        if i == 0 && white_in_front && around {
            break;
        }
        if around || do_white {
            while (end as usize) < last && line_white(rope, end as usize + 1) {
                end += 1;
            }
        }
    }
    let end = end.max(0) as usize;
    if !white_in_front && !line_white(rope, end) && around {
        while start > 0 && line_white(rope, start - 1) {
            start -= 1;
        }
    }
    if visual_line && start == row {
        // `Vipip` would select the same lines again (one blank line, or the first line of a
        // paragraph): grow the selection instead, as Vim does.
        return extend(start, start);
    }
    ParagraphSpan { start, end, linewise: true, ok: true }
}

fn sentence_object(rope: &ropey::Rope, cur: Pos, around: bool) -> Result<(Pos, Pos, MKind), Fail> {
    // The sentence containing the cursor: from the previous sentence start (or the cursor if it is
    // one) to just before the next start.
    let mut probe = cur;
    textpos::inc(rope, &mut probe);
    let start = super::motion::sentence_motion(rope, probe, 1, false).unwrap_or(Pos::new(cur.row, 0));
    let start = if start > cur { cur } else { start };
    let next = super::motion::sentence_motion(rope, start, 1, true).unwrap_or(cur);
    let mut end = next;
    if next.row == start.row && next.col > start.col {
        end.col -= 1;
    } else {
        // Ends at the end of its line.
        let row = if next.row > start.row && next.col == 0 { next.row - 1 } else { next.row };
        end = Pos::new(row, line_len(rope, row).saturating_sub(1));
    }
    if !around {
        let line: Vec<char> = line_string(rope, end.row).chars().collect();
        while end.col > start.col && end.col < line.len() && is_blank(line[end.col]) {
            end.col -= 1;
        }
    }
    Ok((start, end, MKind::Inclusive))
}

fn block_object(
    rope: &ropey::Rope,
    cur: Pos,
    n: usize,
    around: bool,
    open: char,
    close: char,
    sel: Option<(Pos, Pos)>,
) -> Result<(Pos, Pos, MKind), Fail> {
    use super::motion::find_unmatched;
    // A selection (not a single char) is searched from its start, that char excluded (Vim moves
    // the cursor to the low end of the selection first).
    let sel = sel.filter(|(a, b)| a != b);
    let from = sel.map_or(cur, |(a, _)| a);
    // The opening bracket: under the cursor, or the n-th unmatched one before it.
    let c = textpos::char_at(rope, from);
    let mut open_pos =
        if c == open && sel.is_none() { Some(from) } else { find_unmatched(rope, from, close, open, false) };
    if open_pos.is_some() {
        for _ in 1..n {
            open_pos = open_pos.and_then(|p| find_unmatched(rope, p, close, open, false));
        }
    } else {
        // Not inside a block: Neovim 0.11 takes the next one after the cursor (any line), stepping
        // over closing brackets with their openers as its findmatchlimit(FM_FORWARD) does.
        let mut p = Some(from);
        for _ in 0..n {
            p = p.and_then(|p| find_unmatched(rope, p, close, open, true));
        }
        open_pos = p;
    }
    let mut open_pos = open_pos.ok_or(Fail)?;
    let mut close_pos = find_unmatched(rope, open_pos, open, close, true).ok_or(Fail)?;
    if around {
        return Ok((open_pos, close_pos, MKind::Inclusive));
    }
    loop {
        let (s, e) = inner_block(rope, open_pos, close_pos);
        // An inner block no bigger than the selection grows to the enclosing block (`vi(i(`).
        let Some((a, b)) = sel else { return Ok((s, e, MKind::Exclusive)) };
        let mut last = e;
        textpos::dec(rope, &mut last);
        if s < a || last > b || s >= e {
            return Ok((s, e, MKind::Exclusive));
        }
        open_pos = find_unmatched(rope, open_pos, close, open, false).ok_or(Fail)?;
        close_pos = find_unmatched(rope, open_pos, open, close, true).ok_or(Fail)?;
    }
}

/// The inside of a block: after the open bracket (skipping its line end) up to the close bracket
/// (exclusive); if the close bracket is preceded only by indent, up to the start of its line.
fn inner_block(rope: &ropey::Rope, open_pos: Pos, close_pos: Pos) -> (Pos, Pos) {
    let mut s = open_pos;
    textpos::inc(rope, &mut s);
    if s.col >= line_len(rope, s.row) && s.row < close_pos.row {
        s = Pos::new(s.row + 1, 0);
    }
    let close_indent = first_nonblank(rope, close_pos.row);
    if close_pos.col <= close_indent && close_pos.row > s.row {
        return (s, Pos::new(close_pos.row, 0));
    }
    (s, close_pos)
}

fn quote_object(rope: &ropey::Rope, cur: Pos, n: usize, around: bool, q: char) -> Result<(Pos, Pos, MKind), Fail> {
    let line: Vec<char> = line_string(rope, cur.row).chars().collect();
    let col = cur.col.min(line.len().saturating_sub(1));
    // Positions of unescaped quotes in the line.
    let mut quotes = Vec::new();
    let mut i = 0;
    while i < line.len() {
        if line[i] == '\\' {
            i += 2;
            continue;
        }
        if line[i] == q {
            quotes.push(i);
        }
        i += 1;
    }
    let (a, b) = if let Some(k) = quotes.iter().position(|&p| p == col) {
        // On a quote: opening if an even number of quotes precede it.
        if k % 2 == 0 {
            (*quotes.get(k).ok_or(Fail)?, *quotes.get(k + 1).ok_or(Fail)?)
        } else {
            (quotes[k - 1], quotes[k])
        }
    } else {
        // Not on a quote: the quotes just before and after the cursor (Vim doesn't count pairs
        // here), or the first quoted string after the cursor.
        let before = quotes.iter().filter(|&&p| p < col).count();
        if before > 0 && before < quotes.len() {
            (quotes[before - 1], quotes[before])
        } else {
            let k = before;
            (*quotes.get(k).ok_or(Fail)?, *quotes.get(k + 1).ok_or(Fail)?)
        }
    };
    if around {
        let mut s = a;
        let mut e = b;
        if e + 1 < line.len() && is_blank(line[e + 1]) {
            while e + 1 < line.len() && is_blank(line[e + 1]) {
                e += 1;
            }
        } else {
            while s > 0 && is_blank(line[s - 1]) {
                s -= 1;
            }
        }
        return Ok((Pos::new(cur.row, s), Pos::new(cur.row, e), MKind::Inclusive));
    }
    if n > 1 {
        // `2i"`: the quotes themselves, without blanks.
        return Ok((Pos::new(cur.row, a), Pos::new(cur.row, b), MKind::Inclusive));
    }
    Ok((Pos::new(cur.row, a + 1), Pos::new(cur.row, b), MKind::Exclusive))
}

/// The `n`-th tag block around `cur` (`strict`: its start tag begins before `cur`).
fn tag_object(rope: &ropey::Rope, cur: Pos, n: usize, around: bool, strict: bool) -> Result<(Pos, Pos, MKind), Fail> {
    // Work on a window of lines around the cursor (tags rarely span more).
    let first = cur.row.saturating_sub(2000);
    let last = (cur.row + 2000).min(line_count(rope).saturating_sub(1));
    let base = rope.line_to_char(first);
    let end_off = textpos::offset(rope, Pos::new(last, line_len(rope, last)));
    let text: Vec<char> = rope.slice(base..end_off).chars().collect();
    let cur_off = textpos::offset(rope, cur) - base;
    // Collect tags: (start, end_exclusive, name, closing).
    let mut tags = Vec::new();
    let mut i = 0;
    while i < text.len() {
        if text[i] == '<' {
            let mut j = i + 1;
            let closing = text.get(j) == Some(&'/');
            if closing {
                j += 1;
            }
            let name_start = j;
            while j < text.len() && (text[j].is_alphanumeric() || "-_:.".contains(text[j])) {
                j += 1;
            }
            if j > name_start {
                let name: String = text[name_start..j].iter().collect();
                while j < text.len() && text[j] != '>' && text[j] != '<' {
                    j += 1;
                }
                if j < text.len() && text[j] == '>' {
                    let self_closing = text[j - 1] == '/';
                    if !self_closing {
                        tags.push((i, j + 1, name, closing));
                    }
                    i = j + 1;
                    continue;
                }
            }
        }
        i += 1;
    }
    // Pair them with a stack.
    let mut stack: Vec<usize> = Vec::new();
    let mut pairs = Vec::new();
    for (k, t) in tags.iter().enumerate() {
        if !t.3 {
            stack.push(k);
        } else if let Some(pos) = stack.iter().rposition(|&o| tags[o].2 == t.2) {
            let o = stack[pos];
            stack.truncate(pos);
            pairs.push((o, k));
        }
    }
    // Pairs enclosing the cursor, innermost first.
    let mut enclosing: Vec<(usize, usize)> =
        pairs.into_iter().filter(|&(o, c)| tags[o].0 + usize::from(strict) <= cur_off && cur_off < tags[c].1).collect();
    enclosing.sort_by_key(|&(o, c)| tags[c].1 - tags[o].0);
    let &(o, c) = enclosing.get(n - 1).ok_or(Fail)?;
    let to_pos = |off: usize| textpos::pos_of(rope, base + off);
    if around {
        return Ok((to_pos(tags[o].0), to_pos(tags[c].1 - 1), MKind::Inclusive));
    }
    let s = tags[o].1;
    let e = tags[c].0;
    if e <= s {
        return Ok((to_pos(s), to_pos(s), MKind::Exclusive));
    }
    Ok((to_pos(s), to_pos(e), MKind::Exclusive))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> ropey::Rope {
        ropey::Rope::from_str(s)
    }

    #[test]
    fn words() {
        let t = r("foo bar  baz");
        assert_eq!(word_object(&t, Pos::new(0, 5), 1, false, false, None).unwrap().0, Pos::new(0, 4));
        assert_eq!(word_object(&t, Pos::new(0, 5), 1, false, false, None).unwrap().1, Pos::new(0, 6));
        assert_eq!(word_object(&t, Pos::new(0, 5), 1, true, false, None).unwrap().1, Pos::new(0, 8));
        // Last word: no trailing blanks, so the leading ones are taken.
        assert_eq!(word_object(&t, Pos::new(0, 10), 1, true, false, None).unwrap().0, Pos::new(0, 7));
        assert_eq!(word_object(&t, Pos::new(0, 0), 3, false, false, None).unwrap().1, Pos::new(0, 6));
        // A selection whose cursor is before its anchor grows backward, across the line break.
        let t = r("one two.\nthree four");
        let (a, c, _) = word_object(&t, Pos::new(1, 0), 1, false, false, Some(Pos::new(1, 3))).unwrap();
        assert_eq!((a, c), (Pos::new(1, 3), Pos::new(0, 7)));
        // `aw` on a last word takes the blanks before it.
        let (a, c, _) = word_object(&t, Pos::new(1, 7), 1, true, false, None).unwrap();
        assert_eq!((a, c), (Pos::new(1, 5), Pos::new(1, 9)));
    }

    #[test]
    fn brackets_and_quotes() {
        let t = r("f(a, (b), c)");
        let (s, e, k) = block_object(&t, Pos::new(0, 3), 1, false, '(', ')', None).unwrap();
        assert_eq!((s, e, k), (Pos::new(0, 2), Pos::new(0, 11), MKind::Exclusive));
        let (s, e, _) = block_object(&t, Pos::new(0, 6), 2, true, '(', ')', None).unwrap();
        assert_eq!((s, e), (Pos::new(0, 1), Pos::new(0, 11)));
        let t = r("x = \"a b\" y");
        let (s, e, _) = quote_object(&t, Pos::new(0, 6), 1, false, '"').unwrap();
        assert_eq!((s, e), (Pos::new(0, 5), Pos::new(0, 8)));
        let (s, e, _) = quote_object(&t, Pos::new(0, 0), 1, true, '"').unwrap();
        assert_eq!((s, e), (Pos::new(0, 4), Pos::new(0, 9)));
    }

    #[test]
    fn tags_and_paragraphs() {
        let t = r("<a><b>x</b></a>");
        let (s, e, _) = tag_object(&t, Pos::new(0, 6), 1, false, false).unwrap();
        assert_eq!((s, e), (Pos::new(0, 6), Pos::new(0, 7)));
        let (s, e, _) = tag_object(&t, Pos::new(0, 6), 2, true, false).unwrap();
        assert_eq!((s, e), (Pos::new(0, 0), Pos::new(0, 14)));
        let t = r("a\nb\n\nc");
        assert_eq!(paragraph_span(&t, 0, 1, false, None, false).end, 1);
        assert_eq!(paragraph_span(&t, 0, 1, true, None, false).end, 2);
        // A selection over two lines grows by a paragraph: the blank line and the next paragraph.
        let span = paragraph_span(&t, 1, 1, true, Some(0), false);
        assert_eq!((span.start, span.end, span.linewise, span.ok), (0, 3, false, true));
        // ... and fails at the end of the text, where the cursor still goes.
        let span = paragraph_span(&t, 3, 1, false, Some(0), false);
        assert!(!span.ok);
    }
}
