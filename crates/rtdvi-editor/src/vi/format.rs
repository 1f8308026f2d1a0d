//! `gq` text formatting, as Vim's internal formatter does it (no 'formatprg'/'formatexpr').
//!
//! A paragraph is a run of non-blank lines with the same comment leader ('comments', used because
//! 'formatoptions' has `q` by default). Its lines are joined as `J` joins them (leading blanks and
//! the next line's comment leader dropped, one space inserted unless the line already ends in a
//! blank or the next starts with `)`), then broken before the text passes the width: at the last
//! run of blanks that starts at or before the width, or after the first word when even that is too
//! long. Blanks inside a line are kept as they are (`amused!  Nobody` keeps both spaces); the run of
//! blanks at a break is removed. Every line gets the first line's indent rebuilt from its width
//! with tabs unless 'expandtab' (Vim's `set_indent`), then the comment leader.

use unicode_width::UnicodeWidthChar;

use super::textpos::is_blank;

/// What formatting depends on: the buffer's options, read once.
#[derive(Clone, Debug)]
pub(crate) struct FormatOptions {
    /// The width lines are broken at ('textwidth', or the screen width minus one, at most 79).
    pub width: usize,
    /// 'tabstop'.
    pub tabstop: usize,
    /// 'expandtab'.
    pub expandtab: bool,
    /// Comment leaders from 'comments' (flags, text), when 'formatoptions' has `q`.
    pub leaders: Vec<(String, String)>,
}

impl FormatOptions {
    /// Reads the leaders of a 'comments' value (`flags:text,...`). Three-piece comments (`s`,
    /// `m`, `e` flags) are not formatted as comments.
    pub fn parse_comments(comments: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut rest = comments;
        while !rest.is_empty() {
            // A part ends at an unescaped comma; `\,` is a literal comma.
            let mut part = String::new();
            let mut chars = rest.char_indices();
            let mut end = rest.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, n)) = chars.next() {
                            part.push(n);
                        }
                    }
                    ',' => {
                        end = i + 1;
                        break;
                    }
                    c => part.push(c),
                }
            }
            rest = rest.get(end..).unwrap_or("");
            let Some((flags, text)) = part.split_once(':') else { continue };
            if text.is_empty() || flags.contains(['s', 'm', 'e']) {
                continue;
            }
            out.push((flags.to_string(), text.to_string()));
        }
        // Longest leader first, so `//` wins over `/`.
        out.sort_by_key(|(_, t)| std::cmp::Reverse(t.len()));
        out
    }
}

/// A line split into indent, comment leader (with the blanks after it) and text.
struct Parts<'a> {
    indent_width: usize,
    leader: &'a str,
    /// Whether the leader only starts the first line (`f` flag: list items).
    first_only: bool,
    text: &'a str,
}

fn width_of(s: &str, start_col: usize, tabstop: usize) -> usize {
    let mut col = start_col;
    for c in s.chars() {
        col += if c == '\t' { tabstop - col % tabstop } else { c.width().unwrap_or(0) };
    }
    col - start_col
}

fn split<'a>(line: &'a str, opts: &FormatOptions) -> Parts<'a> {
    let indent_len = line.len() - line.trim_start_matches(is_blank).len();
    let indent_width = width_of(&line[..indent_len], 0, opts.tabstop);
    let after = &line[indent_len..];
    for (flags, text) in &opts.leaders {
        let Some(rest) = after.strip_prefix(text.as_str()) else { continue };
        // `b`: the leader must be followed by a blank or end the line.
        if flags.contains('b') && !(rest.is_empty() || rest.starts_with(is_blank)) {
            continue;
        }
        let text_start = indent_len + text.len() + (rest.len() - rest.trim_start_matches(is_blank).len());
        return Parts {
            indent_width,
            leader: &line[indent_len..text_start],
            first_only: flags.contains('f'),
            text: &line[text_start..],
        };
    }
    Parts { indent_width, leader: "", first_only: false, text: after }
}

/// The indent of `width` columns as Vim's `set_indent` builds it.
fn indent_string(width: usize, opts: &FormatOptions) -> String {
    if opts.expandtab || opts.tabstop == 0 {
        return " ".repeat(width);
    }
    let mut s = "\t".repeat(width / opts.tabstop);
    s.push_str(&" ".repeat(width % opts.tabstop));
    s
}

/// Formats `lines`; blank lines (and comment lines with no text) are kept and end paragraphs.
pub(crate) fn format(lines: &[String], opts: &FormatOptions) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let first = split(&lines[i], opts);
        if first.text.trim().is_empty() {
            out.push(lines[i].clone());
            i += 1;
            continue;
        }
        let mut joined = first.text.to_string();
        let mut j = i + 1;
        while let Some(next) = lines.get(j) {
            let p = split(next, opts);
            let same = if first.first_only { p.leader.is_empty() } else { p.leader.trim() == first.leader.trim() };
            if !same || p.text.trim().is_empty() {
                break;
            }
            if !joined.ends_with(is_blank) && !p.text.starts_with(')') {
                joined.push(' ');
            }
            joined.push_str(p.text);
            j += 1;
        }
        let indent = indent_string(first.indent_width, opts);
        // List items (`f` leaders) continue aligned with the text, without the leader.
        let (lead_first, lead_rest) = if first.first_only {
            (first.leader.to_string(), indent_string(width_of(first.leader, first.indent_width, opts.tabstop), opts))
        } else {
            (first.leader.to_string(), first.leader.to_string())
        };
        let mut prefix = format!("{indent}{lead_first}");
        let mut text = joined.as_str();
        loop {
            let start_col = width_of(&prefix, 0, opts.tabstop);
            let (head, tail) = break_point(text, start_col, opts);
            out.push(format!("{prefix}{head}"));
            match tail {
                Some(t) => {
                    text = t;
                    prefix = format!("{indent}{lead_rest}");
                }
                None => break,
            }
        }
        i = j;
    }
    out
}

/// Where `text`, starting at display column `start_col`, is broken: the part kept on this line and
/// the rest (after the blanks), or `None` when it fits or cannot be broken.
fn break_point<'a>(text: &'a str, start_col: usize, opts: &FormatOptions) -> (&'a str, Option<&'a str>) {
    if start_col + width_of(text, start_col, opts.tabstop) <= opts.width {
        return (text, None);
    }
    // Runs of blanks after some text: (start byte, end byte, display column of the start).
    let mut runs: Vec<(usize, usize, usize)> = Vec::new();
    let mut col = start_col;
    let mut run_start: Option<(usize, usize)> = None;
    for (b, c) in text.char_indices() {
        if is_blank(c) {
            if run_start.is_none() && b > 0 {
                run_start = Some((b, col));
            }
        } else if let Some((s, sc)) = run_start.take() {
            runs.push((s, b, sc));
        }
        col += if c == '\t' { opts.tabstop - col % opts.tabstop } else { c.width().unwrap_or(0) };
    }
    let chosen = runs.iter().rev().find(|(_, _, sc)| *sc <= opts.width).or(runs.first());
    match chosen {
        Some(&(s, e, _)) => (&text[..s], Some(&text[e..])),
        None => (text, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(width: usize) -> FormatOptions {
        FormatOptions {
            width,
            tabstop: 8,
            expandtab: false,
            leaders: FormatOptions::parse_comments("s1:/*,mb:*,ex:*/,://,b:#,:%,:XCOMM,n:>,fb:-"),
        }
    }

    fn fmt(lines: &[&str], width: usize) -> Vec<String> {
        let v: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
        format(&v, &opts(width))
    }

    #[test]
    fn keeps_inner_blanks_and_breaks_at_the_last_fitting_run() {
        // Recorded in Neovim 0.11.4: `:set tw=30`, `gqq`.
        let line = "The quick brown fox jumps over the lazy dog. It was not amused!  Nobody saw it.";
        assert_eq!(
            fmt(&[line], 30),
            ["The quick brown fox jumps over", "the lazy dog. It was not", "amused!  Nobody saw it."]
        );
        assert_eq!(fmt(&[line], 79), [line]);
    }

    #[test]
    fn joins_a_paragraph_and_stops_at_blank_lines() {
        let got = fmt(&["one two", "  three", "", "four"], 79);
        assert_eq!(got, ["one two three", "", "four"]);
        assert_eq!(fmt(&["a.", "(b", ") c"], 79), ["a. (b) c"]);
    }

    #[test]
    fn indent_is_rebuilt_with_tabs() {
        assert_eq!(fmt(&["        let n = 1;"], 79), ["\tlet n = 1;"]);
        assert_eq!(fmt(&["          aa bb cc"], 18), ["\t  aa bb cc"]);
        assert_eq!(fmt(&["          aa bb cc dd"], 16), ["\t  aa bb", "\t  cc dd"]);
    }

    #[test]
    fn a_long_word_stays_whole() {
        assert_eq!(fmt(&["abcdefghij klm"], 5), ["abcdefghij", "klm"]);
        assert_eq!(fmt(&["abcdefghij"], 5), ["abcdefghij"]);
    }

    #[test]
    fn comment_leaders_repeat_and_separate_paragraphs() {
        // All recorded in Neovim 0.11.4 with `:set tw=N` and `gqG`.
        assert_eq!(fmt(&["> quoted text here", "> more"], 12), ["> quoted", "> text here", "> more"]);
        assert_eq!(fmt(&["// aa bb", "// cc dd"], 8), ["// aa bb", "// cc dd"]);
        assert_eq!(fmt(&["// aa", "// bb", "code here"], 79), ["// aa bb", "code here"]);
        assert_eq!(fmt(&["# one two three"], 9), ["# one two", "# three"]);
        assert_eq!(fmt(&["- item one two"], 10), ["- item one", "  two"]);
    }
}
