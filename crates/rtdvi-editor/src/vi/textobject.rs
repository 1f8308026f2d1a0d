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
            'w' | 'W' => word_object(rope, cur, n, obj.around, obj.kind == 'W', sel),
            'p' => paragraph_object(rope, cur, n, obj.around),
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

fn word_object(
    rope: &ropey::Rope,
    cur: Pos,
    n: usize,
    around: bool,
    big: bool,
    sel: Option<(Pos, Pos)>,
) -> Result<(Pos, Pos, MKind), Fail> {
    let line: Vec<char> = line_string(rope, cur.row).chars().collect();
    let len = line.len();
    if len == 0 {
        // An empty line is a word of its own.
        return Ok((cur, cur, MKind::Inclusive));
    }
    let cls = |i: usize| char_class(line[i], big);
    // The end of the run of one class starting at `i`.
    let run_end = |i: usize| {
        let c = cls(i);
        let mut e = i;
        while e + 1 < len && cls(e + 1) == c {
            e += 1;
        }
        e
    };
    let extending = sel.is_some_and(|(a, b)| a != b);
    let (mut s, mut e);
    let mut remaining = n;
    if extending {
        let (a, b) = sel.unwrap_or((cur, cur));
        s = if a.row == b.row { a.col.min(len - 1) } else { 0 };
        e = b.col.min(len - 1);
        if e + 1 >= len {
            return Err(Fail);
        }
        // Each count adds the next run (and with `aw` the blanks around it).
        while remaining > 0 && e + 1 < len {
            let was_blank = cls(e + 1) == 0;
            e = run_end(e + 1);
            // `aw` takes the run after a blank run, or the blanks after a word.
            if around && e + 1 < len && (was_blank || cls(e + 1) == 0) {
                e = run_end(e + 1);
            }
            remaining -= 1;
        }
        return Ok((Pos::new(cur.row, s), Pos::new(cur.row, e), MKind::Inclusive));
    }
    let col = cur.col.min(len - 1);
    let c0 = cls(col);
    s = col;
    while s > 0 && cls(s - 1) == c0 {
        s -= 1;
    }
    e = run_end(col);
    let start_blank = c0 == 0;
    if !around {
        remaining -= 1;
        while remaining > 0 {
            if e + 1 >= len {
                return Err(Fail);
            }
            e = run_end(e + 1);
            remaining -= 1;
        }
        return Ok((Pos::new(cur.row, s), Pos::new(cur.row, e), MKind::Inclusive));
    }
    if start_blank {
        // Blanks and the word after them, per count.
        loop {
            if e + 1 < len {
                e = run_end(e + 1);
            }
            remaining -= 1;
            if remaining == 0 || e + 1 >= len {
                break;
            }
            e = run_end(e + 1);
        }
    } else {
        // The word and the blanks after it, per count.
        let mut trailing_blank;
        loop {
            trailing_blank = e + 1 < len && cls(e + 1) == 0;
            if trailing_blank {
                e = run_end(e + 1);
            }
            remaining -= 1;
            if remaining == 0 || e + 1 >= len {
                break;
            }
            e = run_end(e + 1);
        }
        if remaining > 0 && n > 1 {
            return Err(Fail);
        }
        if !trailing_blank {
            // No blanks after the last word: take the ones before the first (not the indent).
            let mut s2 = s;
            while s2 > 0 && cls(s2 - 1) == 0 {
                s2 -= 1;
            }
            if s2 > 0 {
                s = s2;
            }
        }
    }
    Ok((Pos::new(cur.row, s), Pos::new(cur.row, e), MKind::Inclusive))
}

fn paragraph_object(rope: &ropey::Rope, cur: Pos, n: usize, around: bool) -> Result<(Pos, Pos, MKind), Fail> {
    let last = line_count(rope).saturating_sub(1);
    let white = |r: usize| line_string(rope, r).trim().is_empty();
    let mut start = cur.row;
    let w = white(start);
    while start > 0 && white(start - 1) == w {
        start -= 1;
    }
    let mut end = cur.row;
    let mut count = n;
    let mut first_white = w;
    // Each count takes one run of lines of the same kind (a paragraph or a run of blank lines);
    // `ap` takes a paragraph together with the blank lines after it.
    loop {
        while end < last && white(end + 1) == first_white {
            end += 1;
        }
        if around && !first_white {
            if end < last && white(end + 1) {
                end += 1;
                while end < last && white(end + 1) {
                    end += 1;
                }
            } else if count == 1 {
                // No blank lines after: take the ones before.
                while start > 0 && white(start - 1) {
                    start -= 1;
                }
            }
        } else if around && first_white && end < last {
            end += 1;
            while end < last && !white(end + 1) {
                end += 1;
            }
        }
        count -= 1;
        if count == 0 {
            break;
        }
        if end >= last {
            return Err(Fail);
        }
        end += 1;
        first_white = white(end);
    }
    let _ = line_empty;
    Ok((Pos::new(start, 0), Pos::new(end, 0), MKind::Linewise))
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
        assert_eq!(paragraph_object(&t, Pos::new(0, 0), 1, false).unwrap().1, Pos::new(1, 0));
        assert_eq!(paragraph_object(&t, Pos::new(0, 0), 1, true).unwrap().1, Pos::new(2, 0));
    }
}
