//! The replacement string of `:s/pat/{string}/`: `&`, `\0`..`\9`, `~`, case changes, line breaks.
//!
//! Behaviour follows Neovim 0.11 (`:help sub-replace-special`):
//! - `&` and `\0` insert the whole match (with 'nomagic': `\&`, and `&` is literal); `\1`..`\9` the
//!   sub-matches (empty when the group did not take part); `\&` is a literal `&` (with 'magic').
//! - `~` inserts the previous replacement string *as written* (it is then interpreted like the rest);
//!   with 'nomagic' it is `\~`. [`Replacement::source`] is the string to remember as the new previous
//!   replacement (and as the text `~` matches in a pattern).
//! - `\u` / `\l` change the case of the next character, `\U` / `\L` of all following ones up to
//!   `\E` or `\e`; a one-character change wins over a running one (`\u\L&` gives "Hello").
//! - `\r` and a typed carriage return split the line (they become `\n` in the result); `\n` inserts
//!   a NUL character, as in Vim and Neovim; `\<CR>` (backslash, carriage return) a real carriage
//!   return; `\t` a tab; `\\` a backslash. Any other escaped character stands for itself.
//! - `\=` (an expression) is the caller's business: see [`is_expression`].
//!
//! Case changes use single-character mappings like Vim: `ß` upper-cases to `ẞ`, and characters
//! whose upper or lower case is several characters keep their first one (or stay unchanged).

use crate::pattern::Captures;

/// Whether a replacement string is a `\=` expression, which the caller evaluates instead.
pub fn is_expression(sub: &str) -> bool {
    sub.starts_with("\\=")
}

/// A case change requested in the replacement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Upper,
    Lower,
}

/// One parsed piece of a replacement string.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    /// Literal text.
    Text(String),
    /// Sub-match `n` (0 = the whole match).
    Group(usize),
    /// Case change of the next character only.
    One(Case),
    /// Case change of everything that follows, until `End`.
    All(Case),
    /// `\E` / `\e`.
    End,
    /// A line break (`\r` or a typed carriage return).
    LineBreak,
}

/// A parsed `:s` replacement string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    source: String,
    items: Vec<Item>,
}

impl Replacement {
    /// Parses `sub`, replacing `~` with `previous` (the previous replacement, if any).
    pub fn parse(sub: &str, previous: Option<&str>, magic: bool) -> Replacement {
        let source = expand_tilde(sub, previous.unwrap_or(""), magic);
        let items = parse_items(&source, magic);
        Replacement { source, items }
    }

    /// The replacement with `~` expanded: remember it as the previous substitute string.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The text that replaces one match; `text` is the string the captures' offsets refer to.
    /// Line breaks are `\n`.
    pub fn expand(&self, caps: &Captures, text: &str) -> String {
        let mut out = String::new();
        let mut one: Option<Case> = None;
        let mut all: Option<Case> = None;
        let push = |out: &mut String, s: &str, one: &mut Option<Case>, all: Option<Case>| {
            for c in s.chars() {
                match one.take().or(all) {
                    Some(Case::Upper) => out.push(upper(c)),
                    Some(Case::Lower) => out.push(lower(c)),
                    None => out.push(c),
                }
            }
        };
        for item in &self.items {
            match item {
                Item::Text(s) => push(&mut out, s, &mut one, all),
                Item::Group(n) => {
                    let m = caps.groups.get(*n).copied().flatten();
                    if let Some(s) = m.and_then(|m| text.get(m.start..m.end)) {
                        push(&mut out, s, &mut one, all);
                    }
                }
                Item::One(case) => one = Some(*case),
                Item::All(case) => all = Some(*case),
                Item::End => all = None,
                Item::LineBreak => out.push('\n'),
            }
        }
        out
    }
}

/// Replaces the `~` items of `sub` (`\~` with 'nomagic') by `previous`.
fn expand_tilde(sub: &str, previous: &str, magic: bool) -> String {
    let mut out = String::with_capacity(sub.len());
    let mut chars = sub.chars();
    while let Some(c) = chars.next() {
        match c {
            '~' if magic => out.push_str(previous),
            '\\' => match chars.next() {
                Some('~') if !magic => out.push_str(previous),
                Some(d) => {
                    out.push('\\');
                    out.push(d);
                }
                None => out.push('\\'),
            },
            _ => out.push(c),
        }
    }
    out
}

fn parse_items(src: &str, magic: bool) -> Vec<Item> {
    let mut items = Vec::new();
    let mut text = String::new();
    let flush = |text: &mut String, items: &mut Vec<Item>| {
        if !text.is_empty() {
            items.push(Item::Text(std::mem::take(text)));
        }
    };
    let mut chars = src.chars();
    while let Some(c) = chars.next() {
        let item = match c {
            '&' if magic => Item::Group(0),
            '\r' => Item::LineBreak,
            '\\' => match chars.next() {
                None => {
                    text.push('\\');
                    continue;
                }
                Some(d) => match d {
                    '0'..='9' => Item::Group(d as usize - '0' as usize),
                    '&' if !magic => Item::Group(0),
                    'u' => Item::One(Case::Upper),
                    'l' => Item::One(Case::Lower),
                    'U' => Item::All(Case::Upper),
                    'L' => Item::All(Case::Lower),
                    'E' | 'e' => Item::End,
                    'r' => Item::LineBreak,
                    'n' => {
                        text.push('\0');
                        continue;
                    }
                    't' => {
                        text.push('\t');
                        continue;
                    }
                    other => {
                        // `\\`, `\&`, `\~`, `\<CR>`, `\/` and everything else: the character itself.
                        text.push(other);
                        continue;
                    }
                },
            },
            other => {
                text.push(other);
                continue;
            }
        };
        flush(&mut text, &mut items);
        items.push(item);
    }
    flush(&mut text, &mut items);
    items
}

/// Vim's single-character upper case.
fn upper(c: char) -> char {
    if c == 'ß' {
        return 'ẞ';
    }
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Vim's single-character lower case.
fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::{Pattern, PatternOptions};

    /// Substitutes the first match of `pat` in `line` with `sub`, like `:s/pat/sub/`.
    fn sub_with(pat: &str, sub: &str, line: &str, previous: Option<&str>, magic: bool) -> String {
        let opts = PatternOptions { magic, ..PatternOptions::default() };
        let Ok(p) = Pattern::new(pat, &opts) else {
            return "<bad pattern>".into();
        };
        let Some(caps) = p.captures_at(line, 0) else {
            return line.to_string();
        };
        let r = Replacement::parse(sub, previous, magic);
        let m = caps.matched;
        format!("{}{}{}", &line[..m.start], r.expand(&caps, line), &line[m.end..])
    }

    fn s(pat: &str, sub: &str, line: &str) -> String {
        sub_with(pat, sub, line, None, true)
    }

    #[test]
    fn whole_match_and_groups() {
        assert_eq!(s("b", "[&]", "abc"), "a[b]c");
        assert_eq!(s("b", "[\\&]", "abc"), "a[&]c");
        assert_eq!(s("b", "[\\0]", "abc"), "a[b]c");
        assert_eq!(s("\\(a\\)\\(b\\)", "\\2\\1\\0", "abc"), "baabc");
        assert_eq!(s("b\\(x\\)\\=", "[\\1]", "abc"), "a[]c");
        assert_eq!(s("b", "\\9", "abc"), "ac");
        assert_eq!(s("foo\\zsbar", "<&>", "foobar"), "foo<bar>");
    }

    #[test]
    fn nomagic_swaps_ampersand_and_tilde() {
        assert_eq!(sub_with("b", "[&]", "abc", None, false), "a[&]c");
        assert_eq!(sub_with("b", "[\\&]", "abc", None, false), "a[b]c");
        assert_eq!(sub_with("c", "~", "abc", Some("Q"), false), "ab~");
        assert_eq!(sub_with("c", "\\~", "abc", Some("Q"), false), "abQ");
    }

    #[test]
    fn tilde_is_previous_replacement_as_written() {
        assert_eq!(sub_with("c", "~~", "abc", Some("Q"), true), "abQQ");
        assert_eq!(sub_with("a", "\\~", "abc", Some("Q"), true), "~bc");
        assert_eq!(sub_with("b", "<~>", "abc", Some("\\U&"), true), "a<B>c");
        let r = Replacement::parse("x~y", Some("Q"), true);
        assert_eq!(r.source(), "xQy");
        assert_eq!(Replacement::parse("~", None, true).source(), "");
    }

    #[test]
    fn case_changes() {
        assert_eq!(s("\\w\\+$", "\\u\\L&", "abc hELLO"), "abc Hello");
        assert_eq!(s("\\w\\+$", "\\L\\u&", "abc hELLO"), "abc Hello");
        assert_eq!(s("\\w\\+$", "\\U\\l&", "abc hELLO"), "abc hELLO");
        assert_eq!(s("b", "\\U&x\\Ey", "abc"), "aBXyc");
        assert_eq!(s("b", "\\U&x\\ey", "abc"), "aBXyc");
        assert_eq!(s("\\w\\+$", "\\u\\0", "abc hELLO"), "abc HELLO");
        assert_eq!(s("é", "\\u&", "é"), "É");
        assert_eq!(s("ß", "\\U&", "ß"), "ẞ");
        assert_eq!(s("b", "\\u", "abc"), "ac");
        // A one-shot change waits for the next character, across an empty group.
        assert_eq!(s("b\\(x\\)\\=", "\\u\\1z", "abc"), "aZc");
    }

    #[test]
    fn special_characters() {
        assert_eq!(s("b", "x\\ny", "abc"), "ax\0yc");
        assert_eq!(s("b", "x\\ty", "abc"), "ax\tyc");
        assert_eq!(s("b", "\\rX", "abc"), "a\nXc");
        assert_eq!(s("b", "\rY", "abc"), "a\nYc");
        assert_eq!(s("b", "\\\rZ", "abc"), "a\rZc");
        assert_eq!(s("c", "x\\\\y", "abc"), "abx\\y");
        assert_eq!(s("b", "\\q\\z\\%", "abc"), "aqz%c");
        assert_eq!(s("b", "\\/", "abc"), "a/c");
        assert_eq!(s("b", "a\\", "abc"), "aa\\c");
    }

    #[test]
    fn expression_detection() {
        assert!(is_expression("\\=submatch(0)"));
        assert!(!is_expression("x\\=y"));
    }
}
