//! C/C++ indent rules, independent of the editor: they read lines through
//! [`Lines`] and return the indent string of a new line. Compiled and tested
//! natively; the plugin feeds them lines from the host.
//!
//! The rules follow Vim's `cindent` with its default `cinoptions`:
//! - after a line ending in `{` (or a `case x:` / `default:` label), one
//!   `shiftwidth` more than the statement that opened it;
//! - a line starting with `}` gets the indent of the statement holding the
//!   matching `{`;
//! - `case`/`default:` labels sit one `shiftwidth` inside their `switch`
//!   (Vim's `:s`), the statements under them one more (`=s`);
//! - inside an unclosed `(`, continuation lines get two `shiftwidth`s more
//!   than the line with the parenthesis (Vim's `(2s`), one more for each
//!   further unclosed `(` on it; the line after the
//!   statement closes goes back to the statement's indent;
//! - after `if (...)`, `for (...)`, `while (...)`, `else` without a brace, one
//!   statement is indented one `shiftwidth` more, and the next goes back;
//! - in a `/* ... */` comment, new lines continue it with ` * ` aligned under
//!   the opening `/*` (the leader is part of the returned string); after the
//!   closing `*/`, the indent of the line that opened the comment.
//!
//! The line being indented (row `prev_row + 1`) is read too when it exists,
//! so `}` and labels dedent both for a new line holding text after the cursor
//! (`<CR>` before `}`) and for `=`. The host is expected to ask after the new
//! line exists, as Vim does.

/// Where the rules read the buffer's lines.
pub trait Lines {
    /// Line `row` without its end-of-line; `None` past the end.
    fn line(&self, row: u32) -> Option<String>;
}

impl<S: AsRef<str>> Lines for [S] {
    fn line(&self, row: u32) -> Option<String> {
        self.get(row as usize).map(|s| s.as_ref().to_string())
    }
}

/// Indent settings: Vim's `shiftwidth`, `tabstop`, `expandtab`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Width of one indent level (0 means `tabstop`, as in Vim).
    pub shiftwidth: u32,
    /// Width of a tab character.
    pub tabstop: u32,
    /// Indent with spaces only.
    pub expandtab: bool,
}

impl Default for Style {
    /// Vim's defaults: `sw=8 ts=8 noexpandtab`.
    fn default() -> Self {
        Style { shiftwidth: 8, tabstop: 8, expandtab: false }
    }
}

impl Style {
    fn sw(&self) -> u32 {
        if self.shiftwidth == 0 {
            self.tab()
        } else {
            self.shiftwidth
        }
    }

    fn tab(&self) -> u32 {
        self.tabstop.max(1)
    }

    /// Display width of the leading whitespace of `line`.
    pub fn width(&self, line: &str) -> u32 {
        self.col_of(line, leading(line).len())
    }

    /// Display column of byte `end` of `line` (tabs expanded).
    fn col_of(&self, line: &str, end: usize) -> u32 {
        let mut col = 0;
        for c in line.get(..end).unwrap_or(line).chars() {
            col = if c == '\t' { (col / self.tab() + 1) * self.tab() } else { col + 1 };
        }
        col
    }

    /// Whitespace of display width `w`: tabs then spaces, or spaces with `expandtab`.
    pub fn render(&self, w: u32) -> String {
        if self.expandtab {
            " ".repeat(w as usize)
        } else {
            let mut s = "\t".repeat((w / self.tab()) as usize);
            s.push_str(&" ".repeat((w % self.tab()) as usize));
            s
        }
    }
}

fn leading(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}

/// How many lines above the new one the rules read: enough for any
/// function, bounded so one indent costs at most this many host calls (Vim's
/// `cindent` bounds its searches too).
const LOOKBACK: u32 = 300;

/// The code of one line: strings, chars and comments blanked out.
struct Code {
    /// The line with literal and comment contents replaced by spaces (same byte length).
    text: String,
    /// The line ends inside a `/* */` comment.
    open_comment: bool,
}

/// Strips literals and comments from `line`, starting inside a comment if
/// `in_comment`.
fn code(line: &str, mut in_comment: bool) -> Code {
    let b = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < b.len() {
        let next = b.get(i + 1).copied();
        if in_comment {
            if b[i] == b'*' && next == Some(b'/') {
                in_comment = false;
                out.push_str("  ");
                i += 2;
            } else {
                out.push(' ');
                i += 1;
            }
            continue;
        }
        match b[i] {
            b'/' if next == Some(b'/') => {
                out.extend(std::iter::repeat_n(' ', b.len() - i));
                i = b.len();
            }
            b'/' if next == Some(b'*') => {
                in_comment = true;
                out.push_str("  ");
                i += 2;
            }
            q @ (b'"' | b'\'') => {
                // Keep the quotes, blank the contents; an unterminated
                // literal runs to the end of the line.
                out.push(q as char);
                i += 1;
                while i < b.len() && b[i] != q {
                    let skip = if b[i] == b'\\' { 2 } else { 1 };
                    for _ in 0..skip.min(b.len() - i) {
                        out.push(' ');
                    }
                    i += skip;
                }
                if i < b.len() {
                    out.push(q as char);
                    i += 1;
                }
            }
            c if c.is_ascii() => {
                out.push(c as char);
                i += 1;
            }
            _ => {
                // Non-ASCII outside literals (identifiers in C23/C++): one
                // space per byte keeps byte offsets aligned with `line`.
                out.push(' ');
                i += 1;
            }
        }
    }
    Code { text: out, open_comment: in_comment }
}

fn leading_star(line: &str) -> bool {
    line.trim_start().starts_with('*')
}

/// Net `(` minus `)` in stripped code.
fn paren_balance(code: &str) -> i32 {
    code.bytes().fold(0, |n, c| match c {
        b'(' => n + 1,
        b')' => n - 1,
        _ => n,
    })
}

/// One line of the window.
struct Info {
    line: String,
    /// The line with literals and comments blanked.
    code: String,
    /// The line starts inside a `/* */` comment.
    starts_in_comment: bool,
    /// The line ends inside one.
    ends_in_comment: bool,
}

impl Info {
    fn trimmed(&self) -> &str {
        self.code.trim()
    }
}

/// The lines the rules look at, read once and lexed top-down: rows
/// `first..first + infos.len()`, ending with the line being indented when it
/// exists.
struct Window {
    first: u32,
    infos: Vec<Info>,
    style: Style,
}

impl Window {
    fn read<L: Lines + ?Sized>(src: &L, prev_row: u32, style: Style) -> Option<Window> {
        let first = prev_row.saturating_sub(LOOKBACK);
        let mut infos = Vec::new();
        // Outside a comment at the window's top, unless its first line looks
        // like the middle or end of one.
        let mut inside = false;
        for row in first..=prev_row.saturating_add(1) {
            let Some(line) = src.line(row) else { break };
            if row == first {
                inside = leading_star(&line) || line.find("*/").is_some_and(|c| line.find("/*").is_none_or(|o| c < o));
            }
            let lexed = code(&line, inside);
            infos.push(Info { line, code: lexed.text, starts_in_comment: inside, ends_in_comment: lexed.open_comment });
            inside = lexed.open_comment;
        }
        // `prev_row` itself must exist.
        (infos.len() as u32 > prev_row - first).then_some(Window { first, infos, style })
    }

    fn get(&self, row: u32) -> Option<&Info> {
        self.infos.get(row.checked_sub(self.first)? as usize)
    }

    /// Nearest row at or above `row` with code on it.
    fn code_row_at_or_above(&self, row: u32) -> Option<(u32, &Info)> {
        (self.first..=row).rev().find_map(|r| self.get(r).filter(|i| !i.trimmed().is_empty()).map(|i| (r, i)))
    }

    /// The first row of the statement that ends on `row`, and its indent:
    /// walks up while parentheses opened above are still unbalanced.
    fn statement_start(&self, row: u32, info: &Info) -> (u32, u32) {
        let mut balance = paren_balance(&info.code);
        let mut r = row;
        let mut width = self.style.width(&info.line);
        while balance < 0 && r > self.first {
            r -= 1;
            let Some(i) = self.get(r) else { break };
            balance += paren_balance(&i.code);
            width = self.style.width(&i.line);
        }
        (r, width)
    }

    /// Indent of the statement holding the `{` that a `}` on `row` closes.
    fn matching_open(&self, row: u32) -> Option<u32> {
        let mut depth = 1;
        for r in (self.first..row).rev() {
            let info = self.get(r)?;
            for c in info.code.bytes().rev() {
                match c {
                    b'}' => depth += 1,
                    b'{' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(self.statement_start(r, info).1);
                        }
                    }
                    _ => {}
                }
            }
        }
        None
    }

    /// Indent for a `case`/`default` label on `row`: that of the label above
    /// in the same block, or one level inside the enclosing `switch`.
    fn label(&self, row: u32) -> Option<u32> {
        let mut depth = 0;
        for r in (self.first..row).rev() {
            let info = self.get(r)?;
            if depth == 0 && is_label(info.trimmed()) {
                return Some(self.style.width(&info.line));
            }
            for c in info.code.bytes().rev() {
                match c {
                    b'}' => depth += 1,
                    b'{' if depth == 0 => return Some(self.statement_start(r, info).1 + self.style.sw()),
                    b'{' => depth -= 1,
                    _ => {}
                }
            }
        }
        None
    }
}

fn is_label(code: &str) -> bool {
    // `case 1: {` is a label too (a braced case body).
    let code = code.strip_suffix('{').map_or(code, str::trim_end);
    let word_then = |w: &str| {
        code.strip_prefix(w).is_some_and(|rest| rest.starts_with(|c: char| !c.is_ascii_alphanumeric() && c != '_'))
    };
    (word_then("case") || word_then("default")) && code.ends_with(':') && !code.ends_with("::")
}

/// Whether `code` (a statement's first line) starts an `if (..)` /
/// `for (..)` / `while (..)` / `else` header.
fn starts_header(code: &str) -> bool {
    let starts = |w: &str| code.strip_prefix(w).is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '(']));
    starts("if") || starts("for") || starts("while") || starts("else") || starts("} else")
}

impl Window {
    /// If the statement ending on code row `row` is a control header without
    /// a brace or a body on it (`if (a &&` / `b)`), its first row and indent.
    fn unbraced_header(&self, row: u32, info: &Info) -> Option<(u32, u32)> {
        let last = info.trimmed();
        if last.ends_with(';') || last.ends_with('{') || last.ends_with('}') || paren_balance(&info.code) > 0 {
            return None;
        }
        let (start, indent) = self.statement_start(row, info);
        let head = self.get(start)?;
        (starts_header(head.trimmed()) && !(start == row && paren_balance(&head.code) != 0)).then_some((start, indent))
    }
}

/// The indent of the new line that follows `prev_row`; `None` when the rules
/// have nothing to say (`prev_row` past the end of the buffer).
pub fn compute<L: Lines + ?Sized>(src: &L, prev_row: u32, style: Style) -> Option<String> {
    let w = Window::read(src, prev_row, style)?;
    let row = prev_row + 1;
    let sw = style.sw();
    let prev = w.get(prev_row)?;

    // Inside a block comment: continue it.
    if prev.ends_in_comment {
        return Some(comment_leader(&style, &prev.line, prev.starts_in_comment));
    }
    if prev.starts_in_comment && prev.trimmed().is_empty() {
        // `prev` closes the comment: back to the line that opened it (the
        // nearest line above that does not start inside the comment).
        let opener = (w.first..prev_row).rev().find(|r| w.get(*r).is_some_and(|i| !i.starts_in_comment));
        let indent = opener.and_then(|r| w.get(r)).map_or(0, |i| style.width(&i.line));
        return Some(style.render(indent));
    }

    let current = w.get(row).map_or("", |i| i.code.trim());
    let target = if current.starts_with('}') {
        // Dedent: the statement that holds the matching `{`.
        w.matching_open(row).unwrap_or(0)
    } else if is_label(current) {
        w.label(row).unwrap_or(0)
    } else {
        let Some((r, info)) = w.code_row_at_or_above(prev_row) else { return Some(String::new()) };
        let t = info.trimmed();
        let balance = paren_balance(&info.code);
        let (start_row, base) = w.statement_start(r, info);
        if balance > 0 {
            // Unclosed `(`: continuation lines two levels in, one more for
            // each further unclosed `(` (what Vim does with `(2s`).
            style.width(&info.line) + (balance as u32 + 1) * sw
        } else if t.ends_with('{') || is_label(t) || w.unbraced_header(r, info).is_some() {
            base + sw
        } else if t.ends_with(';') {
            // After the one statement under unbraced headers (`for (;;)` /
            // `if (x)` / `y();`): back out to the outermost of them.
            let mut indent = base;
            let mut above = start_row;
            while let Some((hr, h)) = above.checked_sub(1).and_then(|a| w.code_row_at_or_above(a)) {
                let Some(header) = w.unbraced_header(hr, h) else { break };
                (above, indent) = header;
            }
            indent
        } else {
            base
        }
    };
    Some(style.render(target))
}

/// ` * ` leader for a new line in a comment that `line` opens or continues.
fn comment_leader(style: &Style, line: &str, starts_inside: bool) -> String {
    if starts_inside && leading_star(line) {
        // A middle line: same whitespace, same star.
        return format!("{}* ", leading(line));
    }
    if starts_inside {
        // A middle line without a star: keep its indent.
        return leading(line).to_string();
    }
    let opener = line.rfind("/*").unwrap_or(0);
    let col = style.col_of(line, opener);
    if line[..opener].trim().is_empty() {
        format!("{} * ", leading(line))
    } else {
        format!("{} * ", style.render(col))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SP4: Style = Style { shiftwidth: 4, tabstop: 8, expandtab: true };

    /// Indent of the line after the last one of `lines`.
    fn after(lines: &[&str]) -> String {
        compute(lines, lines.len() as u32 - 1, SP4).unwrap()
    }

    /// Indent `=` would give line `row` of `lines`.
    fn reindent(lines: &[&str], row: u32) -> String {
        compute(lines, row - 1, SP4).unwrap()
    }

    #[test]
    fn braces_indent_and_dedent() {
        assert_eq!(after(&["int main(void) {"]), "    ");
        assert_eq!(after(&["int main(void) {", "    return 0;"]), "    ");
        assert_eq!(after(&["int main(void)", "{"]), "    ");
        assert_eq!(after(&["void f() {", "    if (x) {", "        y();", "    }"]), "    ");
        assert_eq!(after(&["void f() {", "}"]), "");
        assert_eq!(reindent(&["void f() {", "    if (x) {", "        y();", "        }"], 3), "    ");
        assert_eq!(reindent(&["void f() {", "    a();", "    }"], 2), "");
        // `<CR>` between `{` and `}`: the `}` line goes back to the opener.
        assert_eq!(reindent(&["    while (1) {", "}"], 1), "    ");
    }

    #[test]
    fn braces_in_strings_and_comments_do_not_count() {
        assert_eq!(after(&["    s = \"{\";"]), "    ");
        assert_eq!(after(&["    c = '{'; // {"]), "    ");
        assert_eq!(after(&["    x(); /* { */"]), "    ");
        assert_eq!(after(&["    s = \"\\\"{\";"]), "    ");
    }

    #[test]
    fn switch_labels() {
        let src = ["switch (x) {", "case 1:"];
        assert_eq!(reindent(&src, 1), "    ", "case one level inside switch");
        assert_eq!(after(&["switch (x) {", "    case 1:"]), "        ");
        assert_eq!(after(&["switch (x) {", "    case 1:", "        f();"]), "        ");
        assert_eq!(reindent(&["switch (x) {", "    case 1:", "        f();", "        default:"], 3), "    ");
        assert_eq!(reindent(&["switch (x) {", "    case 1: {", "        f();", "    }", "case 2:"], 4), "    ");
        assert_eq!(after(&["    default:"]), "        ");
        assert_eq!(reindent(&["switch (x) {", "    case 1:", "        f();", "        }"], 3), "");
        // `std::x` and a ternary are not labels.
        assert!(!is_label("case_count = std::"));
        assert!(!is_label("defaults:"));
        assert!(is_label("case 'a':"));
        assert!(is_label("default: {"));
        assert_eq!(reindent(&["switch (x) {", "    case 1:", "        break;", "        default: {"], 3), "    ");
    }

    #[test]
    fn block_comments_continue_with_a_star() {
        assert_eq!(after(&["/*"]), " * ");
        assert_eq!(after(&["    /** Docs."]), "     * ");
        assert_eq!(after(&["/*", " * one"]), " * ");
        assert_eq!(after(&["    /*", "     * one", "     */"]), "    ");
        assert_eq!(after(&["/* one */"]), "");
        assert_eq!(after(&["int x; /* trailing"]), "        * ");
        assert_eq!(after(&["/*", " * a", " */", "int f() {"]), "    ");
        // A `/*` inside a string opens nothing.
        assert_eq!(after(&["    s = \"/*\";"]), "    ");
        // A comment mid-way through a body, then code again.
        assert_eq!(after(&["void f() {", "    /*", "     * x", "     */", "    g();"]), "    ");
    }

    #[test]
    fn unclosed_parentheses_continue_the_statement() {
        assert_eq!(after(&["    foo(a,"]), "            ");
        assert_eq!(after(&["    foo(a,", "            b,"]), "            ");
        assert_eq!(after(&["    foo(a,", "            b);"]), "    ");
        assert_eq!(after(&["    if (a &&", "            b) {"]), "        ");
        assert_eq!(after(&["    if (f(a),"]), "            ");
        assert_eq!(after(&["    x = ((a +"]), "                ");
        assert_eq!(after(&["    return g(a, (b + (c *"]), "                    ");
    }

    #[test]
    fn unbraced_bodies_indent_one_statement() {
        assert_eq!(after(&["    if (x)"]), "        ");
        assert_eq!(after(&["    if (x)", "        y();"]), "    ");
        assert_eq!(after(&["    else"]), "        ");
        assert_eq!(after(&["    for (i = 0; i < n; i++)"]), "        ");
        assert_eq!(after(&["    while (x) {"]), "        ");
        assert_eq!(after(&["    while (x);"]), "    ");
        assert_eq!(after(&["    if (x) y();"]), "    ");
        assert_eq!(after(&["    if (a &&", "            b)"]), "        ");
        assert_eq!(after(&["    if (a &&", "            b)", "        c();"]), "    ");
        assert_eq!(after(&["    for (;;)", "        if (y)", "            z();"]), "    ");
        assert_eq!(after(&["    if (a)", "        b();", "    else if (c)", "        d();"]), "    ");
    }

    #[test]
    fn blank_lines_are_skipped_and_first_line_is_flush() {
        assert_eq!(after(&["void f() {", ""]), "    ");
        assert_eq!(after(&[""]), "");
        assert_eq!(compute(&["x"][..], 5, SP4), None);
    }

    #[test]
    fn tabs_follow_the_options() {
        let tabs = Style { shiftwidth: 4, tabstop: 8, expandtab: false };
        assert_eq!(compute(&["\tif (x) {"][..], 0, tabs).unwrap(), "\t    ");
        assert_eq!(compute(&["\t    if (x) {"][..], 0, tabs).unwrap(), "\t\t");
        let sw0 = Style { shiftwidth: 0, tabstop: 8, expandtab: false };
        assert_eq!(compute(&["f() {"][..], 0, sw0).unwrap(), "\t");
        assert_eq!(Style::default().render(19), "\t\t   ");
    }

    /// Counts the lines read.
    struct Counting(Vec<String>, std::cell::Cell<u32>);

    impl Lines for Counting {
        fn line(&self, row: u32) -> Option<String> {
            self.1.set(self.1.get() + 1);
            self.0.get(row as usize).cloned()
        }
    }

    #[test]
    fn each_line_is_read_once_and_the_window_is_bounded() {
        let mut lines = vec!["void f() {".to_string()];
        lines.extend((0..5000).map(|i| format!("    x{i}();")));
        lines.push("}".to_string());
        let src = Counting(lines, std::cell::Cell::new(0));
        assert_eq!(
            compute(&src, 5000, SP4).as_deref(),
            Some(""),
            "a closing brace whose opener is out of the window goes to column 0"
        );
        assert!(src.1.get() <= LOOKBACK + 2, "{} reads", src.1.get());
        // A comment middle at the top of the window counts as inside the comment.
        let mut lines = vec!["/*".to_string()];
        lines.extend((0..400).map(|_| " * text".to_string()));
        assert_eq!(compute(&lines[..], 400, SP4).as_deref(), Some(" * "));
        lines.push(" */".to_string());
        assert_eq!(compute(&lines[..], 401, SP4).as_deref(), Some(""));
    }

    #[test]
    fn hostile_text_does_not_panic() {
        for line in ["\"unterminated", "'", "/*/", "*/", "\\", "é{", "}}}}", "((((", "))))", "case", "\u{0}"] {
            let _ = compute(&[line][..], 0, SP4);
            let _ = compute(&[line, line, "}"][..], 1, SP4);
        }
    }
}
