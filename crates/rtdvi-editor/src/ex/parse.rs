//! Parsing of ex command lines: ranges, command names, bang, count, `|` separation.
//!
//! Parsing is pure; addresses are evaluated later against the editor (`super::range`).

use super::ExError;

/// The base of one address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AddrBase {
    /// `.` (also the implicit base of a bare `+N`).
    Current,
    /// `$`.
    Last,
    /// `N` (1-based; 0 is allowed for commands that accept it, such as `:0r` and `:m0`).
    Line(usize),
    /// `'x`.
    Mark(char),
    /// `/pat/` (empty pattern = last search).
    Forward(String),
    /// `?pat?`.
    Backward(String),
    /// `\/`: next match of the last search pattern.
    NextLast,
    /// `\?`: previous match of the last search pattern.
    PrevLast,
    /// `\&`: next match of the last substitute pattern.
    NextSubstitute,
}

/// One address: a base and `+N`/`-N` offsets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    /// The base position.
    pub base: AddrBase,
    /// Sum of the offsets that follow it.
    pub offset: i64,
}

/// How two addresses were separated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Separator {
    /// `,`: both relative to the cursor.
    Comma,
    /// `;`: the cursor moves to the previous address first.
    Semicolon,
}

/// A parsed range: `%` expands to `1,$`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RangeSpec {
    /// Addresses with the separator that preceded each (the first one's is ignored).
    pub addrs: Vec<(Separator, Address)>,
}

/// A parsed ex command, before its range is evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedCommand {
    /// The range as written.
    pub range: RangeSpec,
    /// The command name as typed (resolved against the table by the caller).
    pub name: String,
    /// `!` directly after the name.
    pub bang: bool,
    /// Everything after the name (and bang), with leading blanks removed.
    pub args: String,
}

/// Commands whose argument runs to the end of the line, `|` included.
const TAKES_BAR: &[&str] = &[
    "g", "global", "v", "vglobal", "normal", "norm", "autocmd", "au", "lua", "!", "command", "com", "luado", "windo",
    "bufdo", "tabdo", "execute", "exe",
];

/// Splits one command off the front of `line`: `(parsed, rest after an unescaped |)`.
pub fn parse_command(line: &str) -> Result<(ParsedCommand, Option<String>), ExError> {
    let s = line.trim_start_matches([' ', '\t', ':']);
    let (range, after_range) = parse_range(s)?;
    let after_range = after_range.trim_start_matches([' ', '\t']);
    let (name, after_name) = split_name(after_range);
    let (bang, after_bang) = match after_name.strip_prefix('!') {
        Some(r) if !name.is_empty() => (true, r),
        _ => (false, after_name),
    };
    let takes_bar = TAKES_BAR.contains(&name.as_str()) || (name.is_empty() && after_range.starts_with('!'));
    let (args, rest) =
        if takes_bar { (after_bang.to_string(), None) } else { split_bar(after_bang, keeps_backslash_bar(&name)) };
    let args = args.trim_start_matches([' ', '\t']).to_string();
    Ok((ParsedCommand { range, name, bang, args }, rest))
}

/// Pattern commands keep `\|` for the regex; others turn it into a literal `|`.
fn keeps_backslash_bar(name: &str) -> bool {
    let n = name;
    n == "s" || n.starts_with("su") || n == "&" || n == "&&" || n == "~" || n == "sm" || n == "sno"
}

/// Splits at the first `|` not escaped by a backslash and not inside a `"`-quoted string of `:echo`.
fn split_bar(s: &str, keep_backslash: bool) -> (String, Option<String>) {
    let mut out = String::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.peek() {
                Some(&(_, '|')) => {
                    if keep_backslash {
                        out.push('\\');
                    }
                    out.push('|');
                    chars.next();
                }
                Some(&(_, n)) => {
                    out.push('\\');
                    out.push(n);
                    chars.next();
                }
                None => out.push('\\'),
            },
            '\x16' => {
                // Ctrl-V quotes the next character, as in Vim.
                if let Some((_, n)) = chars.next() {
                    out.push(n);
                }
            }
            '|' => return (out, Some(s[i + 1..].to_string())),
            _ => out.push(c),
        }
    }
    (out, None)
}

/// Splits the command name: a run of letters, or one of the single-character commands.
pub(crate) fn split_name(s: &str) -> (String, &str) {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return (String::new(), s);
    };
    if first.is_ascii_alphabetic() {
        let mut end = s.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(s.len());
        // User commands may contain digits after the first letter (`:Foo2`).
        if first.is_ascii_uppercase() {
            end = s.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(s.len());
        }
        let name = &s[..end];
        // `:ka` sets mark a; `:dl` / `:yl` are not Vim commands but `:d x` takes a register.
        if name.len() == 2 && name.starts_with('k') && !matches!(name, "ke") {
            return ("k".to_string(), &s[1..]);
        }
        return (name.to_string(), &s[end..]);
    }
    match first {
        '&' if s.starts_with("&&") => ("&&".to_string(), &s[2..]),
        '&' | '<' | '>' | '!' | '=' | '@' | '*' | '~' | '#' => {
            let n = first.len_utf8();
            // `:>>>` shifts three times: keep the repeats in the args.
            (first.to_string(), &s[n..])
        }
        _ => (String::new(), s),
    }
}

/// Parses the range at the start of `s`; returns it and the rest.
pub fn parse_range(s: &str) -> Result<(RangeSpec, &str), ExError> {
    let mut range = RangeSpec::default();
    let mut rest = s;
    let mut sep = Separator::Comma;
    loop {
        rest = rest.trim_start_matches([' ', '\t']);
        if range.addrs.is_empty() && rest.starts_with('%') {
            range.addrs.push((Separator::Comma, Address { base: AddrBase::Line(1), offset: 0 }));
            range.addrs.push((Separator::Comma, Address { base: AddrBase::Last, offset: 0 }));
            rest = &rest[1..];
            let (off, r) = parse_offsets(rest)?;
            if let Some(last) = range.addrs.last_mut() {
                last.1.offset += off;
            }
            rest = r;
        } else if let Some((addr, r)) = parse_address(rest)? {
            range.addrs.push((sep, addr));
            rest = r;
        } else if rest.starts_with([',', ';']) {
            // A missing address before a separator means the current line (`:,+2d`).
            range.addrs.push((sep, Address { base: AddrBase::Current, offset: 0 }));
        } else {
            break;
        }
        rest = rest.trim_start_matches([' ', '\t']);
        if let Some(r) = rest.strip_prefix(',') {
            sep = Separator::Comma;
            rest = r;
        } else if let Some(r) = rest.strip_prefix(';') {
            sep = Separator::Semicolon;
            rest = r;
        } else {
            break;
        }
        // A separator with nothing after it: `:3,` means `:3,.`.
        let trimmed = rest.trim_start_matches([' ', '\t']);
        if parse_address(trimmed)?.is_none() && !trimmed.starts_with(['%', ',', ';']) {
            range.addrs.push((sep, Address { base: AddrBase::Current, offset: 0 }));
            break;
        }
    }
    Ok((range, rest))
}

/// Parses one address (base + offsets) or returns `None` when `s` does not start with one.
fn parse_address(s: &str) -> Result<Option<(Address, &str)>, ExError> {
    let mut chars = s.chars();
    let Some(c) = chars.next() else { return Ok(None) };
    let (base, rest): (AddrBase, &str) = match c {
        '.' => (AddrBase::Current, &s[1..]),
        '$' => (AddrBase::Last, &s[1..]),
        '0'..='9' => {
            let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
            let n = s[..end].parse::<usize>().map_err(|_| ExError::InvalidRange)?;
            (AddrBase::Line(n), &s[end..])
        }
        '\'' => {
            let m = chars.next().ok_or(ExError::InvalidRange)?;
            (AddrBase::Mark(m), &s[1 + m.len_utf8()..])
        }
        '/' | '?' => {
            let (pat, r) = split_delimited(&s[1..], c);
            let base = if c == '/' { AddrBase::Forward(pat) } else { AddrBase::Backward(pat) };
            (base, r)
        }
        '\\' => match chars.next() {
            Some('/') => (AddrBase::NextLast, &s[2..]),
            Some('?') => (AddrBase::PrevLast, &s[2..]),
            Some('&') => (AddrBase::NextSubstitute, &s[2..]),
            _ => return Err(ExError::InvalidAddress),
        },
        '+' | '-' => (AddrBase::Current, s),
        _ => return Ok(None),
    };
    let (offset, rest) = parse_offsets(rest)?;
    Ok(Some((Address { base, offset }, rest)))
}

/// Parses `+N`, `-N`, `+`, `-` and bare numbers after an address (`.5` is `.+5` in Vim).
fn parse_offsets(mut s: &str) -> Result<(i64, &str), ExError> {
    let mut total: i64 = 0;
    while let Some(c) = s.chars().next() {
        let sign = match c {
            '+' => 1,
            '-' => -1,
            '0'..='9' => 0,
            _ => break,
        };
        let body = if sign == 0 { s } else { &s[1..] };
        let end = body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len());
        let n: i64 = if end == 0 { 1 } else { body[..end].parse().map_err(|_| ExError::InvalidRange)? };
        let sign = if sign == 0 { 1 } else { sign };
        total = total.saturating_add(sign * n);
        s = &body[end..];
    }
    Ok((total, s))
}

/// Splits `pat/rest` at the first unescaped `delim`; the delimiter may be missing at the end.
pub fn split_delimited(s: &str, delim: char) -> (String, &str) {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some((_, n)) if n == delim && delim != '\\' => out.push(n),
                Some((_, n)) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            }
        } else if c == delim {
            return (out, &s[i + c.len_utf8()..]);
        } else {
            out.push(c);
        }
    }
    (out, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(base: AddrBase, offset: i64) -> Address {
        Address { base, offset }
    }

    #[test]
    fn simple_commands() {
        let (c, rest) = parse_command("w").unwrap();
        assert_eq!((c.name.as_str(), c.bang, c.args.as_str(), rest), ("w", false, "", None));
        let (c, _) = parse_command(":q!").unwrap();
        assert_eq!((c.name.as_str(), c.bang), ("q", true));
        let (c, _) = parse_command("  e  foo.txt").unwrap();
        assert_eq!((c.name.as_str(), c.args.as_str()), ("e", "foo.txt"));
    }

    #[test]
    fn ranges() {
        let (c, _) = parse_command("%d").unwrap();
        assert_eq!(c.range.addrs.len(), 2);
        assert_eq!(c.range.addrs[0].1, addr(AddrBase::Line(1), 0));
        assert_eq!(c.range.addrs[1].1, addr(AddrBase::Last, 0));
        let (c, _) = parse_command(".,$-1y").unwrap();
        assert_eq!(c.range.addrs[1].1, addr(AddrBase::Last, -1));
        assert_eq!(c.name, "y");
        let (c, _) = parse_command("'a;'b+2m0").unwrap();
        assert_eq!(c.range.addrs[0].1, addr(AddrBase::Mark('a'), 0));
        assert_eq!(c.range.addrs[1], (Separator::Semicolon, addr(AddrBase::Mark('b'), 2)));
        assert_eq!((c.name.as_str(), c.args.as_str()), ("m", "0"));
        let (c, _) = parse_command("/foo/,?bar?d").unwrap();
        assert_eq!(c.range.addrs[0].1, addr(AddrBase::Forward("foo".into()), 0));
        assert_eq!(c.range.addrs[1].1, addr(AddrBase::Backward("bar".into()), 0));
        let (c, _) = parse_command("+3,-2d").unwrap();
        assert_eq!(c.range.addrs[0].1, addr(AddrBase::Current, 3));
        assert_eq!(c.range.addrs[1].1, addr(AddrBase::Current, -2));
        let (c, _) = parse_command("'<,'>s/a/b/").unwrap();
        assert_eq!(c.range.addrs[0].1, addr(AddrBase::Mark('<'), 0));
        assert_eq!(c.name, "s");
        assert_eq!(c.args, "/a/b/");
        let (c, _) = parse_command("3,d").unwrap();
        assert_eq!(c.range.addrs[1].1, addr(AddrBase::Current, 0));
        let (c, _) = parse_command("++d").unwrap();
        assert_eq!(c.range.addrs[0].1, addr(AddrBase::Current, 2));
    }

    #[test]
    fn bar_separation() {
        let (c, rest) = parse_command("s/a\\|b/c/ | d").unwrap();
        assert_eq!(c.args, "/a\\|b/c/ ");
        assert_eq!(rest.as_deref(), Some(" d"));
        let (c, rest) = parse_command("g/x/s/a/b/|d").unwrap();
        assert_eq!(c.args, "/x/s/a/b/|d");
        assert_eq!(rest, None);
        let (c, rest) = parse_command("echo 'a\\|b'|q").unwrap();
        assert_eq!(c.args, "'a|b'");
        assert_eq!(rest.as_deref(), Some("q"));
    }

    #[test]
    fn special_names() {
        assert_eq!(parse_command(">>").unwrap().0.name, ">");
        assert_eq!(parse_command(">>").unwrap().0.args, ">");
        assert_eq!(parse_command("&&").unwrap().0.name, "&&");
        assert_eq!(parse_command("ka").unwrap().0.name, "k");
        assert_eq!(parse_command("ka").unwrap().0.args, "a");
        assert_eq!(parse_command("Foo2 x").unwrap().0.name, "Foo2");
        assert_eq!(parse_command("!ls").unwrap().0.name, "!");
    }

    #[test]
    fn hostile_input_never_panics() {
        for s in ["'", "/", "?", "\\", "99999999999999999999999d", "%%", ",,,", ";", "'\u{e9}", "+-+-", "é", "\\x"] {
            let _ = parse_command(s);
        }
    }
}
