//! Vim search patterns, translated onto the `regex` crate.
//!
//! A [`Pattern`] is compiled from Vim's regular-expression dialect (`:help pattern`) into an
//! equivalent `regex` program. The translation follows Neovim 0.11 (its NFA engine, whose error
//! numbers it reports). What is supported and what differs is listed in `doc/patterns.md`; the short
//! version:
//!
//! - magic levels `\v` `\m` `\M` `\V` and the `magic` option, with Vim's rules for when `^`, `$`
//!   and `*` are special (`^` only at the start of a branch, `$` only at its end, `*` literal at the
//!   start);
//! - groups `\(` `\)` `\%(` `\)`, branches `\|`, multis `*` `\+` `\=` `\?` `\{n,m}` `\{-n,m}`;
//! - character classes (`\s` `\d` `\w` ... `\k` `\i` `\f` `\p`), `\_x` variants that also match a
//!   line break, collections `[...]` with `[:name:]` classes, `\n` (multi-line matches);
//! - `\<` `\>` (mapped to Unicode word boundaries, see below), `\zs` `\ze`, `\%^` `\%$`, `~`,
//!   `\c` `\C`, `ignorecase` and `smartcase`, character codes `\%d123` `\%x2a` `\%u20AC` `\%o40`.
//!
//! Not supported (the `regex` crate has no look-around and no back references): `\@=` and friends,
//! `\&`, back references `\1`, `\%[...]`, `\z(`, `\%V`, `\%#`, line/column/mark positions,
//! `\Z`, equivalence classes `[[=a=]]`. They give an error rather than a wrong match.
//!
//! Why capture groups for `\zs`/`\ze`: the regex crate cannot start or end a reported match inside
//! the matched text, so each `\zs`/`\ze` becomes an empty capture group whose position is read back.
//!
//! Word boundaries: `\<` and `\>` use the regex crate's Unicode word boundaries. Vim also treats a
//! change of character class (e.g. CJK followed by Latin letters) as a word boundary and counts emoji
//! as word characters; those two cases differ.

use regex::{Regex, RegexBuilder};
use thiserror::Error;

/// Options that influence how a pattern is compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternOptions {
    /// The 'ignorecase' option.
    pub ignorecase: bool,
    /// The 'smartcase' option: an upper-case letter in the pattern makes it case-sensitive.
    pub smartcase: bool,
    /// The 'magic' option (default on): off starts the pattern as if it began with `\M`.
    pub magic: bool,
    /// The previous substitute string, matched literally by `~`.
    pub last_substitute: Option<String>,
}

impl Default for PatternOptions {
    fn default() -> Self {
        PatternOptions { ignorecase: false, smartcase: false, magic: true, last_substitute: None }
    }
}

/// Why a pattern could not be compiled; texts follow Neovim where it has one.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PatternError {
    /// A `\(` (or `(` after `\v`) without its `\)`.
    #[error("E54: Unmatched {0}(")]
    UnmatchedOpen(&'static str),
    /// A `\)` without its `\(`.
    #[error("E55: Unmatched {0})")]
    UnmatchedClose(&'static str),
    /// A `\%(` without its `\)`.
    #[error("E53: Unmatched {0}%(")]
    UnmatchedNonCapturing(&'static str),
    /// A multi (`\+`, `\{`...) with nothing before it.
    #[error("E866: (NFA regexp) Misplaced {0}")]
    Misplaced(char),
    /// Two multis in a row, like `a**`.
    #[error("E871: (NFA regexp) Can't have a multi follow a multi")]
    MultiFollowsMulti,
    /// An unknown item after `\z` or `\%`.
    #[error("E867: (NFA) Unknown operator '{0}'")]
    UnknownOperator(String),
    /// An unknown item after `\@`.
    #[error("E869: (NFA) Unknown operator '\\@{0}'")]
    UnknownLookaround(char),
    /// A malformed `\{...}`.
    #[error("E554: Syntax error in {0}{{...}}")]
    BraceSyntax(&'static str),
    /// A range like `[z-a]`.
    #[error("E944: Reverse range in character class")]
    ReverseRange,
    /// More than nine capturing groups.
    #[error("E872: (NFA regexp) Too many '('")]
    TooManyGroups,
    /// `~` when no substitute was done yet.
    #[error("E33: No previous substitute regular expression")]
    NoPreviousSubstitute,
    /// `\3` when group 3 does not exist (yet).
    #[error("E65: Illegal back reference")]
    IllegalBackReference,
    /// A back reference to an existing group: valid in Vim, impossible for the regex engine.
    #[error("E65: Back references are not supported: {0}")]
    BackReferenceUnsupported(String),
    /// `\%[` without its `]`.
    #[error("E69: Missing ] after {0}%[")]
    MissingBracket(&'static str),
    /// `\z(` outside a syntax definition.
    #[error("E66: \\z( not allowed here")]
    ZOpenNotAllowed,
    /// `\z1`..`\z9` outside a syntax definition.
    #[error("E67: \\z1 - \\z9 not allowed here")]
    ZRefNotAllowed,
    /// `\_` followed by something that is not a class, `.`, `[`, `^` or `$`.
    #[error("E63: Invalid use of \\_")]
    InvalidUnderscore,
    /// `\%d`, `\%x`... without a valid number.
    #[error("E678: Invalid character after \\%[dxouU]")]
    InvalidCharCode,
    /// A valid Vim item this implementation cannot express.
    #[error("Pattern item not supported: {0}")]
    Unsupported(String),
    /// A multi after `\zs` or `\ze`.
    #[error("E888: (NFA regexp) cannot repeat \\z{0}")]
    CannotRepeat(char),
    /// The translated program is too large (e.g. `a\{99999}`).
    #[error("Pattern too complex: {0}")]
    TooComplex(String),
}

/// Text of the error Vim gives when a search finds nothing.
pub fn not_found_message(pattern: &str) -> String {
    format!("E486: Pattern not found: {pattern}")
}

/// A match as byte offsets into the searched text (`start..end`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// Byte offset of the first matched byte (after `\zs`).
    pub start: usize,
    /// Byte offset just past the match (at `\ze`).
    pub end: usize,
}

/// A match and where the regex engine's attempt started (before `\zs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    /// The reported match: the `\zs`..`\ze` part of the whole match.
    pub matched: Match,
    /// Where the whole match started; the search loops continue from the matches' ends but
    /// assign matches to lines by this.
    pub attempt_start: usize,
}

/// A match with its sub-matches, as used by `:s`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captures {
    /// The reported match: the `\zs`..`\ze` part of the whole match.
    pub matched: Match,
    /// Where the regex engine's whole match started (before `\zs`); the search loops need it.
    pub attempt_start: usize,
    /// Sub-matches `\1`..`\9` (index 1..=9); index 0 repeats `matched`.
    pub groups: [Option<Match>; 10],
}

/// A compiled Vim search pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    regex: Regex,
    ignore_case: bool,
    multiline: bool,
    zs_groups: Vec<usize>,
    ze_groups: Vec<usize>,
    group_slots: [Option<usize>; 10],
}

impl Pattern {
    /// Compiles a Vim pattern.
    pub fn new(vim_pattern: &str, opts: &PatternOptions) -> Result<Pattern, PatternError> {
        let from_options = opts.ignorecase && !(opts.smartcase && has_uppercase(vim_pattern));
        let decide = |t: &Translation| {
            if t.saw_lower_c {
                true
            } else if t.saw_upper_c {
                false
            } else {
                from_options
            }
        };
        let mut t = Translator::new(vim_pattern, opts, from_options).run()?;
        let ignore_case = decide(&t);
        if ignore_case != from_options && t.case_folded_by_hand {
            // A `\c`/`\C` changed the case mode after a collection folded its letters by hand.
            t = Translator::new(vim_pattern, opts, ignore_case).run()?;
        }
        let program = format!("(?m){}{}", if ignore_case { "(?i)" } else { "" }, t.out);
        let regex =
            RegexBuilder::new(&program).build().map_err(|e| PatternError::TooComplex(first_line(&e.to_string())))?;
        Ok(Pattern {
            source: vim_pattern.to_string(),
            regex,
            ignore_case,
            multiline: t.multiline,
            zs_groups: t.zs_groups,
            ze_groups: t.ze_groups,
            group_slots: t.group_slots,
        })
    }

    /// The Vim pattern this was compiled from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether matching ignores case (after `\c`, `\C`, 'ignorecase' and 'smartcase').
    pub fn ignores_case(&self) -> bool {
        self.ignore_case
    }

    /// Whether the pattern can match a line break (`\n`, `\_x`, `[\n]`), so matches may span lines.
    pub fn is_multiline(&self) -> bool {
        self.multiline
    }

    /// Whether the pattern matches anywhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.find_at(text, 0).is_some()
    }

    /// First match in one line whose regex attempt starts at or after `start_byte`.
    ///
    /// The text before `start_byte` still counts as context for `^`, `\<` and the like, like Vim
    /// searching from a column. A `start_byte` that is past the end or not on a character
    /// boundary gives `None`.
    pub fn find_in_line(&self, line: &str, start_byte: usize) -> Option<Match> {
        self.find_at(line, start_byte)
    }

    /// Like [`Pattern::find_in_line`] but for any text, which may hold several lines joined by `\n`.
    pub fn find_at(&self, text: &str, start_byte: usize) -> Option<Match> {
        if self.zs_groups.is_empty() && self.ze_groups.is_empty() {
            if !text.is_char_boundary(start_byte) {
                return None;
            }
            return self.regex.find_at(text, start_byte).map(|m| Match { start: m.start(), end: m.end() });
        }
        self.locate_at(text, start_byte).map(|c| c.matched)
    }

    /// Like [`Pattern::captures_at`] without the sub-matches, which makes it much faster.
    pub fn locate_at(&self, text: &str, start_byte: usize) -> Option<Located> {
        if self.zs_groups.is_empty() && self.ze_groups.is_empty() {
            if !text.is_char_boundary(start_byte) {
                return None;
            }
            return self
                .regex
                .find_at(text, start_byte)
                .map(|m| Located { matched: Match { start: m.start(), end: m.end() }, attempt_start: m.start() });
        }
        self.captures_at(text, start_byte).map(|c| Located { matched: c.matched, attempt_start: c.attempt_start })
    }

    /// First match at or after `start_byte` with its sub-matches.
    pub fn captures_at(&self, text: &str, start_byte: usize) -> Option<Captures> {
        if !text.is_char_boundary(start_byte) {
            return None;
        }
        let caps = self.regex.captures_at(text, start_byte)?;
        let whole = caps.get(0)?;
        // Vim uses the last \zs / \ze passed; with several markers the rightmost one that took
        // part in the match is the closest approximation.
        let zs = self.zs_groups.iter().filter_map(|&g| caps.get(g).map(|m| m.start())).max();
        let ze = self.ze_groups.iter().filter_map(|&g| caps.get(g).map(|m| m.start())).max();
        let start = zs.unwrap_or(whole.start());
        let end = ze.unwrap_or(whole.end());
        // `\ze` before `\zs` gives an empty match at `\zs`, as in Vim.
        let matched = Match { start, end: end.max(start) };
        let mut groups = [None; 10];
        groups[0] = Some(matched);
        for (n, slot) in self.group_slots.iter().enumerate().skip(1) {
            if let Some(idx) = slot {
                groups[n] = caps.get(*idx).map(|m| Match { start: m.start(), end: m.end() });
            }
        }
        Some(Captures { matched, attempt_start: whole.start(), groups })
    }
}

fn first_line(s: &str) -> String {
    s.lines().map(str::trim).rfind(|l| !l.is_empty()).unwrap_or("").to_string()
}

/// Vim's smartcase test: an upper-case letter that is not part of a `\X`, `\_X` or `\%X` item.
pub fn has_uppercase(pattern: &str) -> bool {
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('_') | Some('%') => {
                    chars.next();
                }
                _ => {}
            }
        } else if c.is_uppercase() {
            return true;
        }
    }
    false
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Magic {
    VeryNo,
    No,
    On,
    Very,
}

/// One lexical item after applying the current magic level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Lit(char),
    Magic(char),
}

/// What came just before, for Vim's rules on when `^` and `*` are special.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prev {
    Start,
    Open,
    /// After `\%(`: `^` is an anchor here but `*` is not literal (unlike after `\(`).
    NonCapturingOpen,
    Alt,
    Newline,
    CaretAtStart,
    Other,
}

/// Characters that a backslash can make special (or plain, for the ones special by default).
const META: &str = "%&()*+.123456789<=>?@ACDFHIKLMOPSUVWXZ[_acdfhiklmnopsuvwxz{|~";

struct Translator<'a> {
    chars: Vec<char>,
    pos: usize,
    magic: Magic,
    prev: Prev,
    out: String,
    opts: &'a PatternOptions,
    regex_groups: usize,
    vim_groups: usize,
    closed: [bool; 10],
    group_slots: [Option<usize>; 10],
    zs_groups: Vec<usize>,
    ze_groups: Vec<usize>,
    multiline: bool,
    saw_lower_c: bool,
    saw_upper_c: bool,
    depth: usize,
    ignore_case: bool,
    case_folded_by_hand: bool,
}

/// The pieces a successful translation hands back.
struct Translation {
    out: String,
    multiline: bool,
    zs_groups: Vec<usize>,
    ze_groups: Vec<usize>,
    group_slots: [Option<usize>; 10],
    saw_lower_c: bool,
    saw_upper_c: bool,
    case_folded_by_hand: bool,
}

/// Kind of group being parsed, for the error on a missing close.
#[derive(Clone, Copy, PartialEq, Eq)]
enum GroupKind {
    Top,
    Capture,
    NonCapture,
}

/// Deepest group nesting accepted; keeps the recursive parser's stack bounded.
const MAX_DEPTH: usize = 200;

impl<'a> Translator<'a> {
    fn new(src: &str, opts: &'a PatternOptions, ignore_case: bool) -> Self {
        Translator {
            chars: src.chars().collect(),
            pos: 0,
            magic: if opts.magic { Magic::On } else { Magic::No },
            prev: Prev::Start,
            out: String::new(),
            opts,
            regex_groups: 0,
            vim_groups: 0,
            closed: [false; 10],
            group_slots: [None; 10],
            zs_groups: Vec::new(),
            ze_groups: Vec::new(),
            multiline: false,
            saw_lower_c: false,
            saw_upper_c: false,
            depth: 0,
            ignore_case,
            case_folded_by_hand: false,
        }
    }

    fn run(mut self) -> Result<Translation, PatternError> {
        self.alternation(GroupKind::Top)?;
        if self.pos < self.chars.len() {
            // Only an unmatched close group can stop the top level early.
            return Err(PatternError::UnmatchedClose(self.bs()));
        }
        Ok(Translation {
            out: self.out,
            multiline: self.multiline,
            zs_groups: self.zs_groups,
            ze_groups: self.ze_groups,
            group_slots: self.group_slots,
            saw_lower_c: self.saw_lower_c,
            saw_upper_c: self.saw_upper_c,
            case_folded_by_hand: self.case_folded_by_hand,
        })
    }

    /// "\\" in messages unless very magic, as Vim prints them.
    fn bs(&self) -> &'static str {
        if self.magic == Magic::Very {
            ""
        } else {
            "\\"
        }
    }

    fn char_at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    /// Whether an unescaped `c` is special at the current position and magic level.
    fn plain_is_magic(&self, c: char, after_slash: bool) -> bool {
        match c {
            '.' | '[' | '~' => self.magic >= Magic::On,
            '(' | ')' | '{' | '%' | '+' | '=' | '?' | '@' | '!' | '&' | '|' | '<' | '>' | '#' | '"' | '\'' | ','
            | '-' | ':' | ';' | '`' | '/' => self.magic == Magic::Very,
            '*' => {
                self.magic >= Magic::On
                    && (after_slash || !matches!(self.prev, Prev::Start | Prev::Open | Prev::Alt | Prev::CaretAtStart))
            }
            _ => false,
        }
    }

    fn caret_is_anchor(&self) -> bool {
        self.magic >= Magic::No
            && (self.magic == Magic::Very
                || matches!(self.prev, Prev::Start | Prev::Open | Prev::NonCapturingOpen | Prev::Alt | Prev::Newline))
    }

    /// Vim's rule: `$` is an anchor only at the end of a branch (or anywhere after `\v`).
    fn dollar_is_anchor(&self) -> bool {
        if self.magic < Magic::No {
            return false;
        }
        if self.magic == Magic::Very {
            return true;
        }
        let mut i = self.pos + 1;
        let mut very = false;
        while self.char_at(i) == Some('\\') {
            match self.char_at(i + 1) {
                Some('v') => very = true,
                Some('m') | Some('M') | Some('V') => very = false,
                Some('c') | Some('C') | Some('Z') => {}
                _ => break,
            }
            i += 2;
        }
        match self.char_at(i) {
            None => true,
            Some('\\') => matches!(self.char_at(i + 1), Some('|' | '&' | ')' | 'n')),
            Some('|' | '&' | ')') => very,
            _ => false,
        }
    }

    /// Reads the next item at the current magic level: (token, chars consumed).
    fn peek(&self) -> Option<(Tok, usize)> {
        let c = self.char_at(self.pos)?;
        if c == '\\' {
            let Some(d) = self.char_at(self.pos + 1) else {
                return Some((Tok::Lit('\\'), 1));
            };
            let tok = if META.contains(d) {
                if self.plain_is_magic(d, true) {
                    Tok::Lit(d)
                } else {
                    Tok::Magic(d)
                }
            } else if let Some(t) = abbreviation(d) {
                Tok::Lit(t)
            } else if self.magic == Magic::VeryNo && (d == '$' || d == '^') {
                Tok::Magic(d)
            } else {
                Tok::Lit(d)
            };
            return Some((tok, 2));
        }
        let tok = match c {
            '^' if self.caret_is_anchor() => Tok::Magic('^'),
            '$' if self.dollar_is_anchor() => Tok::Magic('$'),
            _ if self.plain_is_magic(c, false) => Tok::Magic(c),
            _ => Tok::Lit(c),
        };
        Some((tok, 1))
    }

    fn alternation(&mut self, kind: GroupKind) -> Result<(), PatternError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(PatternError::TooComplex("groups nested too deeply".into()));
        }
        loop {
            self.concat()?;
            match self.peek() {
                Some((Tok::Magic('|'), n)) => {
                    self.pos += n;
                    self.prev = Prev::Alt;
                    self.out.push('|');
                }
                Some((Tok::Magic('&'), _)) => {
                    return Err(PatternError::Unsupported(format!("{}& (branch concatenation)", self.bs())));
                }
                Some((Tok::Magic(')'), n)) => {
                    if kind == GroupKind::Top {
                        return Err(PatternError::UnmatchedClose(self.bs()));
                    }
                    self.pos += n;
                    self.prev = Prev::Other;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => {
                    // End of the pattern.
                    self.depth -= 1;
                    return match kind {
                        GroupKind::Top => Ok(()),
                        GroupKind::Capture => Err(PatternError::UnmatchedOpen(self.bs())),
                        GroupKind::NonCapture => Err(PatternError::UnmatchedNonCapturing(self.bs())),
                    };
                }
            }
        }
    }

    fn concat(&mut self) -> Result<(), PatternError> {
        loop {
            let Some((tok, n)) = self.peek() else {
                return Ok(());
            };
            // These flags do not change what counts as "at the start" (Vim keeps it).
            match tok {
                Tok::Magic('|') | Tok::Magic('&') | Tok::Magic(')') => return Ok(()),
                Tok::Magic('c') => self.saw_lower_c = true,
                Tok::Magic('C') => self.saw_upper_c = true,
                Tok::Magic('v') => self.magic = Magic::Very,
                Tok::Magic('m') => self.magic = Magic::On,
                Tok::Magic('M') => self.magic = Magic::No,
                Tok::Magic('V') => self.magic = Magic::VeryNo,
                Tok::Magic('Z') => return Err(PatternError::Unsupported("\\Z (ignore combining characters)".into())),
                _ => {
                    self.piece()?;
                    continue;
                }
            }
            self.pos += n;
        }
    }

    fn piece(&mut self) -> Result<(), PatternError> {
        let atom_start = self.out.len();
        let before = self.pos;
        self.atom()?;
        let marker = match self.chars.get(before..self.pos) {
            Some(['\\', 'z', c @ ('s' | 'e')]) => Some(*c),
            Some(['z', c @ ('s' | 'e')]) if self.magic == Magic::Very => Some(*c),
            _ => None,
        };
        let Some((tok, n)) = self.peek() else {
            return Ok(());
        };
        let quant = match tok {
            Tok::Magic('*') => {
                self.pos += n;
                "*".to_string()
            }
            Tok::Magic('+') => {
                self.pos += n;
                "+".to_string()
            }
            Tok::Magic('=') | Tok::Magic('?') => {
                self.pos += n;
                "?".to_string()
            }
            Tok::Magic('{') => {
                self.pos += n;
                self.brace()?
            }
            Tok::Magic('@') => {
                self.pos += n;
                return Err(self.lookaround());
            }
            _ => return Ok(()),
        };
        if let Some(c) = marker {
            return Err(PatternError::CannotRepeat(c));
        }
        self.prev = Prev::Other;
        self.out.insert_str(atom_start, "(?:");
        self.out.push(')');
        self.out.push_str(&quant);
        if let Some((Tok::Magic('*' | '+' | '=' | '?' | '{' | '@'), _)) = self.peek() {
            return Err(PatternError::MultiFollowsMulti);
        }
        Ok(())
    }

    /// Parses what follows `\@` and reports it: always an error here, but the right one.
    fn lookaround(&mut self) -> PatternError {
        while self.char_at(self.pos).is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let c = self.char_at(self.pos);
        let item = match c {
            Some('=') => "\\@=",
            Some('!') => "\\@!",
            Some('>') => "\\@>",
            Some('<') => match self.char_at(self.pos + 1) {
                Some('=') => "\\@<=",
                Some('!') => "\\@<!",
                other => return PatternError::UnknownLookaround(other.unwrap_or('<')),
            },
            Some(other) => return PatternError::UnknownLookaround(other),
            None => return PatternError::Misplaced('@'),
        };
        PatternError::Unsupported(format!("{item} (look-around)"))
    }

    /// Parses the inside of `\{...}` (after the brace) into a regex quantifier.
    fn brace(&mut self) -> Result<String, PatternError> {
        let err = PatternError::BraceSyntax(self.bs());
        let lazy = self.char_at(self.pos) == Some('-');
        if lazy {
            self.pos += 1;
        }
        let min = self.number();
        let has_comma = self.char_at(self.pos) == Some(',');
        let max = if has_comma {
            self.pos += 1;
            self.number()
        } else {
            None
        };
        if self.char_at(self.pos) == Some('\\') {
            self.pos += 1;
        }
        if self.char_at(self.pos) != Some('}') {
            return Err(err);
        }
        self.pos += 1;
        let (min, max) = match (min, max) {
            (Some(Err(())), _) | (_, Some(Err(()))) => return Err(err),
            (Some(Ok(a)), Some(Ok(b))) => (a, Some(b)),
            (Some(Ok(a)), None) if !has_comma => (a, Some(a)),
            (Some(Ok(a)), None) => (a, None),
            (None, Some(Ok(b))) => (0, Some(b)),
            (None, None) => (0, None),
        };
        // Vim accepts the bounds in either order.
        let (min, max) = match max {
            Some(m) if m < min => (m, Some(min)),
            other => (min, other),
        };
        let mut q = match max {
            None if min == 0 => "*".to_string(),
            None => format!("{{{min},}}"),
            Some(m) if m == min => format!("{{{min}}}"),
            Some(m) => format!("{{{min},{m}}}"),
        };
        if lazy {
            q.push('?');
        }
        Ok(q)
    }

    /// Reads decimal digits; `None` when there are none, `Err` on overflow.
    fn number(&mut self) -> Option<Result<u32, ()>> {
        let start = self.pos;
        let mut value: u32 = 0;
        let mut overflow = false;
        while let Some(d) = self.char_at(self.pos).and_then(|c| c.to_digit(10)) {
            match value.checked_mul(10).and_then(|v| v.checked_add(d)) {
                Some(v) => value = v,
                None => overflow = true,
            }
            self.pos += 1;
        }
        if self.pos == start {
            None
        } else if overflow {
            Some(Err(()))
        } else {
            Some(Ok(value))
        }
    }

    fn atom(&mut self) -> Result<(), PatternError> {
        let Some((tok, n)) = self.peek() else {
            return Ok(());
        };
        self.pos += n;
        let mut next_prev = Prev::Other;
        match tok {
            Tok::Lit(c) => {
                if c == '\n' {
                    self.multiline = true;
                }
                push_literal(&mut self.out, c);
            }
            Tok::Magic('^') => {
                next_prev = if self.prev == Prev::Start { Prev::CaretAtStart } else { Prev::Other };
                self.out.push('^');
            }
            Tok::Magic('$') => self.out.push('$'),
            Tok::Magic('.') => self.out.push_str("[^\\n]"),
            Tok::Magic('[') => self.collection(false)?,
            Tok::Magic('~') => {
                let Some(sub) = &self.opts.last_substitute else {
                    return Err(PatternError::NoPreviousSubstitute);
                };
                if sub.contains('\n') {
                    self.multiline = true;
                }
                self.out.push_str("(?:");
                for c in sub.chars() {
                    push_literal(&mut self.out, c);
                }
                self.out.push(')');
            }
            Tok::Magic('(') => {
                self.vim_groups += 1;
                if self.vim_groups > 9 {
                    return Err(PatternError::TooManyGroups);
                }
                let vim_index = self.vim_groups;
                self.regex_groups += 1;
                self.group_slots[vim_index] = Some(self.regex_groups);
                self.out.push('(');
                self.prev = Prev::Open;
                self.alternation(GroupKind::Capture)?;
                self.out.push(')');
                self.closed[vim_index] = true;
            }
            Tok::Magic('%') => self.percent()?,
            Tok::Magic('z') => match self.char_at(self.pos) {
                Some('s') => {
                    self.pos += 1;
                    self.regex_groups += 1;
                    self.zs_groups.push(self.regex_groups);
                    self.out.push_str("()");
                }
                Some('e') => {
                    self.pos += 1;
                    self.regex_groups += 1;
                    self.ze_groups.push(self.regex_groups);
                    self.out.push_str("()");
                }
                Some('(') => return Err(PatternError::ZOpenNotAllowed),
                Some('1'..='9') => return Err(PatternError::ZRefNotAllowed),
                other => {
                    return Err(PatternError::UnknownOperator(format!(
                        "\\z{}",
                        other.map(String::from).unwrap_or_default()
                    )))
                }
            },
            Tok::Magic('_') => {
                let c = self.char_at(self.pos);
                self.pos += 1;
                match c {
                    Some('^') => self.out.push('^'),
                    Some('$') => self.out.push('$'),
                    Some('.') => {
                        self.multiline = true;
                        self.out.push_str("(?s:.)");
                    }
                    Some('[') => {
                        self.multiline = true;
                        self.collection(true)?;
                    }
                    Some(c) if class_body(c).is_some() => {
                        self.multiline = true;
                        if let Some(body) = class_body(c) {
                            self.out.push_str(&format!("(?-i:[[{body}]\\n])"));
                        }
                    }
                    _ => return Err(PatternError::InvalidUnderscore),
                }
            }
            Tok::Magic('<') => self.out.push_str("\\b{start}"),
            Tok::Magic('>') => self.out.push_str("\\b{end}"),
            Tok::Magic('n') => {
                self.multiline = true;
                self.out.push_str("\\n");
                next_prev = Prev::Newline;
            }
            Tok::Magic(d @ '1'..='9') => {
                let n = d.to_digit(10).unwrap_or(0) as usize;
                return Err(if self.closed.get(n).copied().unwrap_or(false) {
                    PatternError::BackReferenceUnsupported(format!("\\{d}"))
                } else {
                    PatternError::IllegalBackReference
                });
            }
            Tok::Magic(c @ ('*' | '+' | '=' | '?' | '{' | '@')) => {
                return Err(PatternError::Misplaced(c));
            }
            Tok::Magic(c) => {
                if let Some(body) = class_body(c) {
                    self.out.push_str(&format!("(?-i:[{body}])"));
                } else {
                    // Special only after `\v` in Vim's lexer but without a meaning: plain char.
                    push_literal(&mut self.out, c);
                }
            }
        }
        self.prev = next_prev;
        Ok(())
    }

    /// Parses what follows `\%`.
    fn percent(&mut self) -> Result<(), PatternError> {
        let Some(c) = self.char_at(self.pos) else {
            return Err(PatternError::UnknownOperator("\\%".into()));
        };
        self.pos += 1;
        match c {
            '(' => {
                self.out.push_str("(?:");
                self.prev = Prev::NonCapturingOpen;
                self.alternation(GroupKind::NonCapture)?;
                self.out.push(')');
            }
            '^' => self.out.push_str("\\A"),
            // Searching a buffer, the text ends in the last line's line break: `\%$` is before it.
            '$' => self.out.push_str("(?:\\z|\\n\\z)"),
            'd' | 'x' | 'o' | 'u' | 'U' => {
                let (radix, max_len) = match c {
                    'd' => (10, 10),
                    'o' => (8, 11),
                    'x' => (16, 2),
                    'u' => (16, 4),
                    _ => (16, 8),
                };
                let ch = self.char_code(radix, max_len)?;
                // Vim keeps a NUL of the file as NL in its lines, so code 10 (and 0) finds a NUL
                // character, never a line break.
                let ch = if ch == '\n' { '\0' } else { ch };
                push_literal(&mut self.out, ch);
            }
            '[' => {
                let closed = self.chars[self.pos.min(self.chars.len())..].contains(&']');
                return Err(if closed {
                    PatternError::Unsupported(format!("{}%[ (optional sequence)", self.bs()))
                } else {
                    PatternError::MissingBracket(self.bs())
                });
            }
            '#' if self.char_at(self.pos) == Some('=') => {
                // `\%#=N` only picks Vim's regexp engine: nothing to do here.
                self.pos += 1;
                self.number();
            }
            'V' | '#' | 'C' | '\'' | '<' | '>' | '.' => {
                return Err(PatternError::Unsupported(format!("\\%{c} (position item)")));
            }
            c if c.is_ascii_digit() => {
                return Err(PatternError::Unsupported(format!("\\%{c}... (line/column item)")));
            }
            other => return Err(PatternError::UnknownOperator(format!("\\%{other}"))),
        }
        Ok(())
    }

    /// Reads the digits of a `\%d`-style character code.
    fn char_code(&mut self, radix: u32, max_len: usize) -> Result<char, PatternError> {
        let mut value: u32 = 0;
        let mut len = 0;
        while len < max_len {
            let Some(d) = self.char_at(self.pos).and_then(|c| c.to_digit(radix)) else {
                break;
            };
            value = value.checked_mul(radix).and_then(|v| v.checked_add(d)).ok_or(PatternError::InvalidCharCode)?;
            self.pos += 1;
            len += 1;
        }
        if len == 0 {
            return Err(PatternError::InvalidCharCode);
        }
        char::from_u32(value).ok_or(PatternError::InvalidCharCode)
    }

    /// Translates a collection `[...]`; the `[` is already consumed. Without a closing `]` the
    /// `[` is a literal character, as in Vim.
    fn collection(&mut self, with_newline: bool) -> Result<(), PatternError> {
        let Some(end) = collection_end(&self.chars, self.pos) else {
            // Without its `]`, `[` (and `\_[`) is a literal `[`.
            push_literal(&mut self.out, '[');
            return Ok(());
        };
        let mut i = self.pos;
        let negated = self.chars.get(i) == Some(&'^');
        if negated {
            i += 1;
        }
        let mut set = CharSet::default();
        let mut first = true;
        while i < end {
            let c = self.chars.get(i).copied().unwrap_or(']');
            // A leading `]` or `-` is literal.
            if first && (c == ']' || c == '-') {
                set.add_char(c);
                i += 1;
                first = false;
                continue;
            }
            first = false;
            if c == '[' {
                if let Some((item, len)) = bracket_item(&self.chars[i..end])? {
                    match item {
                        BracketItem::Class(body, case_sensitive) => {
                            set.classes.push(body);
                            set.case_sensitive_class |= case_sensitive;
                        }
                        BracketItem::Char(ch) => set.add_char(ch),
                    }
                    i += len;
                    continue;
                }
            }
            let (lo, len) = collection_char(&self.chars, i, end);
            i += len;
            if lo == CollChar::Newline {
                set.newline = true;
                continue;
            }
            let CollChar::Char(lo) = lo else {
                continue;
            };
            // A range `lo-hi`, unless the `-` is the last item.
            if self.chars.get(i) == Some(&'-') && i + 1 < end {
                let (hi, hlen) = collection_char(&self.chars, i + 1, end);
                if let CollChar::Char(hi) = hi {
                    if hi < lo {
                        return Err(PatternError::ReverseRange);
                    }
                    set.ranges.push((lo, hi));
                    i += 1 + hlen;
                    continue;
                }
            }
            set.add_char(lo);
        }
        self.pos = end + 1;
        if set.newline || with_newline {
            self.multiline = true;
        }
        let include_newline = (set.newline || with_newline) != negated;
        let exclude_newline = negated && !(set.newline || with_newline);
        self.case_folded_by_hand |= set.case_sensitive_class;
        self.out.push_str(&set.render(negated, include_newline || exclude_newline, self.ignore_case));
        Ok(())
    }
}

/// Backslash abbreviations valid everywhere: `\r` `\t` `\e` `\b`.
fn abbreviation(c: char) -> Option<char> {
    match c {
        'r' => Some('\r'),
        't' => Some('\t'),
        'e' => Some('\u{1b}'),
        'b' => Some('\u{8}'),
        _ => None,
    }
}

/// Appends `c` as a literal to a regex program.
fn push_literal(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() || (!c.is_ascii() && !c.is_control()) {
        out.push(c);
    } else if c.is_ascii_punctuation() {
        // `<` and `>` are not escapable in the regex crate; they are not special either.
        if c != '<' && c != '>' {
            out.push('\\');
        }
        out.push(c);
    } else {
        out.push_str(&format!("\\x{{{:x}}}", c as u32));
    }
}

/// Appends `c` as a literal inside a regex character class.
fn push_class_char(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() || (!c.is_ascii() && !c.is_control()) {
        out.push(c);
    } else {
        out.push_str(&format!("\\x{{{:x}}}", c as u32));
    }
}

/// Latin-1 letters, which Vim's `@` in 'iskeyword' and friends counts as alphabetic.
const LATIN1_ALPHA: &str = "\\x{aa}\\x{b5}\\x{ba}\\x{c0}-\\x{d6}\\x{d8}-\\x{f6}\\x{f8}-\\x{ff}";

/// Body of a regex class (without brackets and without newline) for Vim's class letter `c`.
///
/// `\k`: Vim's default 'iskeyword' "@,48-57,_,192-255": ASCII letters and digits, `_`, Latin-1
/// letters, all of 192-255, and for other characters Vim's word classes, approximated as anything
/// that is not punctuation or a separator. `\i` ('isident'): like `\k` without multibyte characters.
/// `\f` ('isfname'): "@,48-57,/,.,-,_,+,,,#,$,%,~,=" plus all multibyte characters. `\p`: printable
/// ASCII and everything from U+00A1 on.
fn class_body(c: char) -> Option<String> {
    let keyword_wide = "[\\x{100}-\\x{10ffff}--\\p{P}--\\p{Z}]";
    let body = match c {
        's' => " \\t".to_string(),
        'S' => "^ \\t\\n".to_string(),
        'd' => "0-9".to_string(),
        'D' => "^0-9\\n".to_string(),
        'w' => "0-9A-Za-z_".to_string(),
        'W' => "^0-9A-Za-z_\\n".to_string(),
        'a' => "A-Za-z".to_string(),
        'A' => "^A-Za-z\\n".to_string(),
        'l' => "a-z".to_string(),
        'L' => "^a-z\\n".to_string(),
        'u' => "A-Z".to_string(),
        'U' => "^A-Z\\n".to_string(),
        'x' => "0-9A-Fa-f".to_string(),
        'X' => "^0-9A-Fa-f\\n".to_string(),
        'o' => "0-7".to_string(),
        'O' => "^0-7\\n".to_string(),
        'h' => "A-Za-z_".to_string(),
        'H' => "^A-Za-z_\\n".to_string(),
        'k' => format!("0-9A-Za-z_{LATIN1_ALPHA}\\x{{c0}}-\\x{{ff}}{keyword_wide}"),
        'K' => format!("A-Za-z_{LATIN1_ALPHA}\\x{{c0}}-\\x{{ff}}{keyword_wide}"),
        'i' => format!("0-9A-Za-z_{LATIN1_ALPHA}\\x{{c0}}-\\x{{ff}}"),
        'I' => format!("A-Za-z_{LATIN1_ALPHA}\\x{{c0}}-\\x{{ff}}"),
        'f' => format!("0-9A-Za-z{LATIN1_ALPHA}/.\\-_+,#$%\\~=\\x{{100}}-\\x{{10ffff}}"),
        'F' => format!("A-Za-z{LATIN1_ALPHA}/.\\-_+,#$%\\~=\\x{{100}}-\\x{{10ffff}}"),
        'p' => "\\x{20}-\\x{7e}\\x{a1}-\\x{10ffff}".to_string(),
        'P' => "\\x{20}-/:-\\x{7e}\\x{a1}-\\x{10ffff}".to_string(),
        _ => return None,
    };
    Some(body)
}

/// Body of a `[:name:]` class inside a collection, and whether it ignores 'ignorecase'.
fn named_class(name: &str) -> Option<(String, bool)> {
    let (body, case_sensitive) = match name {
        "alnum" => ("0-9A-Za-z".to_string(), false),
        "alpha" => ("A-Za-z".to_string(), false),
        "blank" => (" \\t".to_string(), false),
        "cntrl" => ("\\x{1}-\\x{1f}\\x{7f}".to_string(), false),
        "digit" => ("0-9".to_string(), false),
        "graph" => ("!-~".to_string(), false),
        "lower" => ("\\p{Ll}".to_string(), true),
        "print" => (" -~".to_string(), false),
        "punct" => ("!-/:-@\\[-`{-~".to_string(), false),
        "space" => ("\\t\\x{b}\\x{c}\\r ".to_string(), false),
        "upper" => ("\\p{Lu}".to_string(), true),
        "xdigit" => ("0-9A-Fa-f".to_string(), false),
        "return" => ("\\r".to_string(), false),
        "tab" => ("\\t".to_string(), false),
        "escape" => ("\\x{1b}".to_string(), false),
        "backspace" => ("\\x{8}".to_string(), false),
        "ident" => class_body('i').map(|b| (b, false))?,
        "keyword" => class_body('k').map(|b| (b, false))?,
        "fname" => class_body('f').map(|b| (b, false))?,
        _ => return None,
    };
    Some((body, case_sensitive))
}

enum BracketItem {
    Class(String, bool),
    Char(char),
}

/// Length of a `[:...:]`, `[.c.]` or `[=c=]` item at the start of `s`, well-formed or not.
fn bracket_len(s: &[char]) -> Option<usize> {
    let delim = match s.get(1) {
        Some(&d @ (':' | '.' | '=')) => d,
        _ => return None,
    };
    (2..s.len()).find(|&k| s.get(k) == Some(&delim) && s.get(k + 1) == Some(&']')).map(|k| k + 2)
}

/// Recognises `[:name:]`, `[.c.]` and `[=c=]` at the start of `s`.
fn bracket_item(s: &[char]) -> Result<Option<(BracketItem, usize)>, PatternError> {
    let Some(len) = bracket_len(s) else {
        return Ok(None);
    };
    let delim = s.get(1).copied().unwrap_or(':');
    let inner: String = s.get(2..len - 2).unwrap_or(&[]).iter().collect();
    match delim {
        ':' => Ok(named_class(&inner).map(|(b, cs)| (BracketItem::Class(b, cs), len))),
        '.' => {
            let mut it = inner.chars();
            match (it.next(), it.next()) {
                (Some(c), None) => Ok(Some((BracketItem::Char(c), len))),
                _ => Ok(None),
            }
        }
        _ => {
            if inner.chars().count() == 1 {
                Err(PatternError::Unsupported(format!("[={inner}=] (equivalence class)")))
            } else {
                Ok(None)
            }
        }
    }
}

/// Index of the `]` closing a collection whose body starts at `start`, if there is one.
fn collection_end(chars: &[char], start: usize) -> Option<usize> {
    let mut i = start;
    if chars.get(i) == Some(&'^') {
        i += 1;
    }
    if matches!(chars.get(i), Some(']') | Some('-')) {
        i += 1;
    }
    while let Some(&c) = chars.get(i) {
        match c {
            ']' => return Some(i),
            '\\' if chars.get(i + 1).is_some() => i += 2,
            '[' => {
                // Only a well-formed `[:name:]`, `[.c.]` or `[=c=]` is skipped as a unit.
                let rest = chars.get(i..).unwrap_or(&[]);
                i += match bracket_item(rest) {
                    Ok(Some((_, len))) => len,
                    Err(_) => bracket_len(rest).unwrap_or(1),
                    Ok(None) => 1,
                };
            }
            _ => i += 1,
        }
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CollChar {
    Char(char),
    Newline,
}

/// Reads one (possibly escaped) character of a collection: (char, length).
fn collection_char(chars: &[char], i: usize, end: usize) -> (CollChar, usize) {
    let c = chars.get(i).copied().unwrap_or('\\');
    if c != '\\' || i + 1 >= end {
        return (CollChar::Char(c), 1);
    }
    let d = chars.get(i + 1).copied().unwrap_or('\\');
    match d {
        'e' | 't' | 'r' | 'b' => (CollChar::Char(abbreviation(d).unwrap_or(d)), 2),
        'n' => (CollChar::Newline, 2),
        '\\' | ']' | '^' | '-' => (CollChar::Char(d), 2),
        'd' | 'o' | 'x' | 'u' | 'U' => {
            let (radix, max_len) = match d {
                'd' => (10, 10),
                'o' => (8, 11),
                'x' => (16, 2),
                'u' => (16, 4),
                _ => (16, 8),
            };
            let mut value: u32 = 0;
            let mut len = 0;
            while len < max_len && i + 2 + len < end {
                let Some(v) = chars.get(i + 2 + len).and_then(|c| c.to_digit(radix)) else {
                    break;
                };
                match value.checked_mul(radix).and_then(|x| x.checked_add(v)) {
                    Some(x) => value = x,
                    None => break,
                }
                len += 1;
            }
            match (len, char::from_u32(value)) {
                (1.., Some(ch)) => (CollChar::Char(ch), 2 + len),
                // Not a code after all: the backslash is a plain character.
                _ => (CollChar::Char('\\'), 1),
            }
        }
        // Any other backslash stands for itself.
        _ => (CollChar::Char('\\'), 1),
    }
}

/// The items of one collection, collected before rendering.
#[derive(Default)]
struct CharSet {
    ranges: Vec<(char, char)>,
    classes: Vec<String>,
    newline: bool,
    case_sensitive_class: bool,
}

impl CharSet {
    fn add_char(&mut self, c: char) {
        self.ranges.push((c, c));
    }

    /// Renders a regex class; `newline_item` adds `\n` to the listed items.
    fn render(&self, negated: bool, newline_item: bool, ignore_case: bool) -> String {
        let mut body = String::new();
        let mut ranges = self.ranges.clone();
        if self.case_sensitive_class && ignore_case {
            // The class is compiled case-sensitively (Vim's [:lower:] ignores 'ignorecase'), so the
            // other items fold their ASCII letters by hand.
            for &(lo, hi) in &self.ranges {
                for (a, z, delta) in [('a', 'z', -32i32), ('A', 'Z', 32)] {
                    let (l, h) = (lo.max(a), hi.min(z));
                    if l <= h {
                        let shift = |c: char| char::from_u32((c as i32 + delta) as u32);
                        if let (Some(sl), Some(sh)) = (shift(l), shift(h)) {
                            ranges.push((sl, sh));
                        }
                    }
                }
            }
        }
        for (lo, hi) in ranges {
            push_class_char(&mut body, lo);
            if hi != lo {
                body.push('-');
                push_class_char(&mut body, hi);
            }
        }
        for class in &self.classes {
            body.push('[');
            body.push_str(class);
            body.push(']');
        }
        if newline_item {
            body.push_str("\\n");
        }
        let class = if body.is_empty() {
            // `[^]`-like leftovers: an empty set matches nothing, its negation anything.
            if negated {
                "(?s:.)".to_string()
            } else {
                "[^\\x{0}-\\x{10ffff}]".to_string()
            }
        } else if negated {
            format!("[^{body}]")
        } else if newline_item {
            format!("[{body}]")
        } else {
            // Ranges like `[\x01-\x7f]` or `[:cntrl:]` must not reach the line break.
            format!("[[{body}]--\\n]")
        };
        if self.case_sensitive_class {
            format!("(?-i:{class})")
        } else {
            class
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pat(p: &str) -> Pattern {
        match Pattern::new(p, &PatternOptions::default()) {
            Ok(p) => p,
            Err(e) => panic!("{p:?} failed: {e}"),
        }
    }

    fn span(p: &str, text: &str) -> Option<(usize, usize)> {
        pat(p).find_at(text, 0).map(|m| (m.start, m.end))
    }

    fn err(p: &str) -> String {
        match Pattern::new(p, &PatternOptions::default()) {
            Ok(_) => panic!("{p:?} compiled"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn literal_and_dot() {
        assert_eq!(span("b.d", "abcde"), Some((1, 4)));
        assert_eq!(span("a\\.c", "abc a.c"), Some((4, 7)));
        assert_eq!(span("\\V.", "ab.c"), Some((2, 3)));
        assert_eq!(span("\\V\\.", "ab.c"), Some((0, 1)));
        assert_eq!(span("\\M.", "ab.c"), Some((2, 3)));
    }

    #[test]
    fn multis() {
        assert_eq!(span("ab*", "abbbc"), Some((0, 4)));
        assert_eq!(span("ab\\+", "ac abb"), Some((3, 6)));
        assert_eq!(span("ab\\=c", "ac"), Some((0, 2)));
        assert_eq!(span("ab\\?c", "abc"), Some((0, 3)));
        assert_eq!(span("a\\{2}", "aaaa"), Some((0, 2)));
        assert_eq!(span("a\\{2,}", "aaaa"), Some((0, 4)));
        assert_eq!(span("a\\{,3}", "aaaa"), Some((0, 3)));
        assert_eq!(span("a\\{}", "aaaa"), Some((0, 4)));
        assert_eq!(span("a\\{-}", "aaaa"), Some((0, 0)));
        assert_eq!(span("a\\{-1,}", "aaaa"), Some((0, 1)));
        assert_eq!(span("a\\{5,2}", "aaaaaa"), Some((0, 5)));
        assert_eq!(span("a\\{-5,2}", "aaaaaa"), Some((0, 2)));
        assert_eq!(span("a\\{2\\}", "aaa"), Some((0, 2)));
        assert_eq!(span("\\va{2}", "aaa"), Some((0, 2)));
        assert_eq!(span("*a", "x*a"), Some((1, 3)));
        assert_eq!(span("^*a", "*a"), Some((0, 2)));
        assert_eq!(span("\\(*\\)", "a*"), Some((1, 2)));
    }

    #[test]
    fn anchors() {
        assert_eq!(span("^a", "ba"), None);
        assert_eq!(span("a^", "a^"), Some((0, 2)));
        assert_eq!(span("a$b", "a$b"), Some((0, 3)));
        assert_eq!(span("a$", "aa"), Some((1, 2)));
        assert_eq!(span("\\va$b", "a$b"), None);
        assert_eq!(span("\\V^a", "^a"), Some((0, 2)));
        assert_eq!(span("\\V\\^a", "ba"), None);
        assert_eq!(span("x\\|^a", "ba"), None);
        assert_eq!(span("\\(^a\\)", "a"), Some((0, 1)));
        assert_eq!(span("a$\\|x", "ab"), None);
        assert_eq!(span("^^a", "^a"), Some((0, 2)));
        assert_eq!(span("\\_^a", "a"), Some((0, 1)));
        assert_eq!(span("\\%^a", "aa"), Some((0, 1)));
        assert_eq!(span("a\\%$", "aa"), Some((1, 2)));
    }

    #[test]
    fn groups_and_branches() {
        assert_eq!(span("\\(ab\\)\\+", "xababc"), Some((1, 5)));
        assert_eq!(span("\\%(ab\\)\\+", "xababc"), Some((1, 5)));
        assert_eq!(span("foo\\|bar", "xbar"), Some((1, 4)));
        assert_eq!(span("\\v(ab)+|z", "xababc"), Some((1, 5)));
        assert_eq!(span("\\v%(ab)+", "abab"), Some((0, 4)));
        let p = pat("\\(a\\)\\(b\\)\\?");
        let c = p.captures_at("ab", 0).map(|c| c.groups);
        assert_eq!(
            c,
            Some([
                Some(Match { start: 0, end: 2 }),
                Some(Match { start: 0, end: 1 }),
                Some(Match { start: 1, end: 2 }),
                None,
                None,
                None,
                None,
                None,
                None,
                None
            ])
        );
    }

    #[test]
    fn classes() {
        assert_eq!(span("\\s\\+", "a \t b"), Some((1, 4)));
        assert_eq!(span("\\S\\+", "  ab "), Some((2, 4)));
        assert_eq!(span("\\d\\+", "ab12c"), Some((2, 4)));
        assert_eq!(span("\\D", "12c"), Some((2, 3)));
        assert_eq!(span("\\w\\+", "..a_1."), Some((2, 5)));
        assert_eq!(span("\\W", "a_1."), Some((3, 4)));
        assert_eq!(span("\\a\\+", "1ab2"), Some((1, 3)));
        assert_eq!(span("\\A", "ab2"), Some((2, 3)));
        assert_eq!(span("\\l\\+", "ABcd"), Some((2, 4)));
        assert_eq!(span("\\L", "ab2"), Some((2, 3)));
        assert_eq!(span("\\u\\+", "abCD"), Some((2, 4)));
        assert_eq!(span("\\U", "AB2"), Some((2, 3)));
        assert_eq!(span("\\x\\+", "xyfF9g"), Some((2, 5)));
        assert_eq!(span("\\X", "fF9g"), Some((3, 4)));
        assert_eq!(span("\\o\\+", "9078"), Some((1, 3)));
        assert_eq!(span("\\O", "078"), Some((2, 3)));
        assert_eq!(span("\\h\\+", "1_ab2"), Some((1, 4)));
        assert_eq!(span("\\H", "_a1"), Some((2, 3)));
        assert_eq!(span("\\k\\+", "a。b"), Some((0, 1)));
        assert_eq!(span("\\k\\+", "日本語"), Some((0, 9)));
        assert_eq!(span("\\k\\+", "©µ"), Some((2, 4)));
        assert_eq!(span("\\K", "1a"), Some((1, 2)));
        assert_eq!(span("\\i\\+", "(é1)"), Some((1, 4)));
        assert_eq!(span("\\I", "1a"), Some((1, 2)));
        assert_eq!(span("\\f\\+", " /tmp/a.txt "), Some((1, 11)));
        assert_eq!(span("\\F", "1a"), Some((1, 2)));
        assert_eq!(span("\\p\\+", "\u{1}ab"), Some((1, 3)));
        assert_eq!(span("\\P", "1a"), Some((1, 2)));
        // Classes never match the line break of a multi-line text.
        assert_eq!(span("a\\S", "a\nb"), None);
        assert_eq!(span("a\\_S", "a\nb"), Some((0, 2)));
        assert_eq!(span("a\\_s\\+b", "a \n b"), Some((0, 5)));
    }

    #[test]
    fn classes_ignore_ignorecase() {
        assert_eq!(span("\\c\\u", "ab"), None);
        assert_eq!(span("\\c\\l", "AB"), None);
        assert_eq!(span("\\c[[:lower:]]", "AB"), None);
        assert_eq!(span("\\c[a-c]", "AB"), Some((0, 1)));
        assert_eq!(span("\\c[[:lower:]x]", "AX"), Some((1, 2)));
        assert_eq!(span("[[:lower:]x]\\c", "AX"), Some((1, 2)));
        assert_eq!(span("[[:lower:]x]", "AX"), None);
    }

    #[test]
    fn collections() {
        assert_eq!(span("[abc]\\+", "xxbcay"), Some((2, 5)));
        assert_eq!(span("[^abc]", "abcd"), Some((3, 4)));
        assert_eq!(span("[a-c]\\+", "xcbaz"), Some((1, 4)));
        assert_eq!(span("[]a]\\+", "x]a]"), Some((1, 4)));
        assert_eq!(span("[-a]\\+", "x-a"), Some((1, 3)));
        assert_eq!(span("[a-]\\+", "x-a"), Some((1, 3)));
        assert_eq!(span("[[:alpha:]]\\+", "12ab3"), Some((2, 4)));
        assert_eq!(span("[[:digit:][:upper:]]\\+", "ab1C2d"), Some((2, 5)));
        assert_eq!(span("[\\t]", "a\tb"), Some((1, 2)));
        assert_eq!(span("[\\e]", "a\u{1b}b"), Some((1, 2)));
        assert_eq!(span("[\\s]", "a\\s"), Some((1, 2)));
        assert_eq!(span("[\\x41]", "zA"), Some((1, 2)));
        assert_eq!(span("[\\]]", "a]"), Some((1, 2)));
        assert_eq!(span("[abc", "x[abc"), Some((1, 5)));
        assert_eq!(span("[^a]", "a\nb"), Some((2, 3)));
        assert_eq!(span("\\_[^a]", "a\nb"), Some((1, 2)));
        assert_eq!(span("[a\\n]\\+", "a\nab"), Some((0, 3)));
        assert_eq!(span("\\_[a]\\+", "a\nab"), Some((0, 3)));
        assert_eq!(span("[[.a.]]", "ba"), Some((1, 2)));
        assert_eq!(span("\\V[a]", "a[a]"), Some((1, 4)));
        assert_eq!(span("\\V\\[a]", "a[a]"), Some((0, 1)));
    }

    #[test]
    fn escapes_and_codes() {
        assert_eq!(span("a\\tb", "a\tb"), Some((0, 3)));
        assert_eq!(span("\\e", "\u{1b}"), Some((0, 1)));
        assert_eq!(span("\\r", "a\r"), Some((1, 2)));
        assert_eq!(span("\\%d65", "zA"), Some((1, 2)));
        assert_eq!(span("\\%x41", "zA"), Some((1, 2)));
        assert_eq!(span("\\%u20AC", "z€"), Some((1, 4)));
        assert_eq!(span("\\%o101", "zA"), Some((1, 2)));
        assert_eq!(span("\\/", "a/"), Some((1, 2)));
        assert_eq!(span("\\q", "q"), Some((0, 1)));
        assert_eq!(span("a\\", "a\\"), Some((0, 2)));
        assert_eq!(span("\\\\", "a\\"), Some((1, 2)));
        assert_eq!(span("a\\nb", "a\nb"), Some((0, 3)));
        assert!(pat("a\\nb").is_multiline());
        assert!(!pat("ab").is_multiline());
    }

    #[test]
    fn word_boundaries() {
        assert_eq!(span("\\<ab", "cab ab"), Some((4, 6)));
        assert_eq!(span("ab\\>", "abc ab"), Some((4, 6)));
        assert_eq!(span("\\v<ab>", "abc ab"), Some((4, 6)));
        assert_eq!(span("\\<é", "aé é"), Some((4, 6)));
    }

    #[test]
    fn zs_ze() {
        assert_eq!(span("foo\\zsbar", "foobar"), Some((3, 6)));
        assert_eq!(span("foo\\zebar", "foo foobar"), Some((4, 7)));
        assert_eq!(span("a\\zsb\\zec", "abc"), Some((1, 2)));
        assert_eq!(span("a\\zs", "xa"), Some((2, 2)));
        assert_eq!(span("\\(a\\zsb\\|c\\)", "c"), Some((0, 1)));
        assert_eq!(span("\\va\\zsb", "ab"), Some((1, 2)));
    }

    #[test]
    fn case_handling() {
        let o = |ic, sc| PatternOptions { ignorecase: ic, smartcase: sc, ..PatternOptions::default() };
        let m = |p: &str, opts: PatternOptions, t: &str| Pattern::new(p, &opts).map(|p| p.is_match(t)).unwrap_or(false);
        assert!(!m("foo", o(false, false), "FOO"));
        assert!(m("foo", o(true, false), "FOO"));
        assert!(m("foo", o(true, true), "FOO"));
        assert!(!m("Foo", o(true, true), "FOO"));
        assert!(m("Foo", o(true, false), "FOO"));
        assert!(m("\\Sfoo", o(true, true), "XFOO"));
        assert!(m("foo\\c", o(false, false), "FOO"));
        assert!(!m("\\Cfoo", o(true, false), "FOO"));
        assert!(m("\\Cfoo\\c", o(false, false), "FOO"));
        assert!(m("ÉTÉ", o(true, false), "été"));
        assert!(!m("ÉTÉ", o(true, true), "été"));
        assert!(has_uppercase("aB"));
        assert!(!has_uppercase("a\\Sb\\_Xc\\%V"));
    }

    #[test]
    fn magic_option_off() {
        let opts = PatternOptions { magic: false, ..PatternOptions::default() };
        let m = |p: &str, t: &str| Pattern::new(p, &opts).ok().and_then(|p| p.find_at(t, 0));
        assert_eq!(m("a.", "ab a."), Some(Match { start: 3, end: 5 }));
        assert_eq!(m("a\\.", "ab"), Some(Match { start: 0, end: 2 }));
        assert_eq!(m("a*", "aa a*"), Some(Match { start: 3, end: 5 }));
        assert_eq!(m("\\ma*", "aa"), Some(Match { start: 0, end: 2 }));
    }

    #[test]
    fn tilde() {
        let opts = PatternOptions { last_substitute: Some("a.b".into()), ..PatternOptions::default() };
        let p = Pattern::new("x~", &opts).ok();
        assert_eq!(p.and_then(|p| p.find_at("xaxb xa.b", 0)), Some(Match { start: 5, end: 9 }));
        assert_eq!(err("~"), "E33: No previous substitute regular expression");
        assert_eq!(span("\\~", "a~"), Some((1, 2)));
    }

    #[test]
    fn errors() {
        assert_eq!(err("\\(a"), "E54: Unmatched \\(");
        assert_eq!(err("\\v(a"), "E54: Unmatched (");
        assert_eq!(err("a\\)"), "E55: Unmatched \\)");
        assert_eq!(err("\\%(a"), "E53: Unmatched \\%(");
        assert_eq!(err("a**"), "E871: (NFA regexp) Can't have a multi follow a multi");
        assert_eq!(err("\\+a"), "E866: (NFA regexp) Misplaced +");
        assert_eq!(err("\\v+a"), "E866: (NFA regexp) Misplaced +");
        assert_eq!(err("\\{"), "E866: (NFA regexp) Misplaced {");
        assert_eq!(err("a\\@x"), "E869: (NFA) Unknown operator '\\@x'");
        assert_eq!(err("\\zx"), "E867: (NFA) Unknown operator '\\zx'");
        assert_eq!(err("\\%q"), "E867: (NFA) Unknown operator '\\%q'");
        assert_eq!(err("a\\{x}"), "E554: Syntax error in \\{...}");
        assert_eq!(err("a\\{1,2"), "E554: Syntax error in \\{...}");
        assert_eq!(err("[z-a]"), "E944: Reverse range in character class");
        assert_eq!(err("\\1"), "E65: Illegal back reference");
        assert_eq!(err("\\(a\\)\\2"), "E65: Illegal back reference");
        assert!(err("\\(a\\)\\1").starts_with("E65: Back references are not supported"));
        assert_eq!(err("\\%[a"), "E69: Missing ] after \\%[");
        assert_eq!(err("\\z(a\\)"), "E66: \\z( not allowed here");
        assert_eq!(
            err("\\(\\(\\(\\(\\(\\(\\(\\(\\(\\(a\\)\\)\\)\\)\\)\\)\\)\\)\\)\\)"),
            "E872: (NFA regexp) Too many '('"
        );
        for unsupported in
            ["a\\@=", "a\\@<=b", "a\\@!", "\\%[abc]", "a\\&b", "\\%V", "\\%23l", "\\Za", "[[=e=]]", "\\%#"]
        {
            assert!(err(unsupported).starts_with("Pattern item not supported"), "{unsupported}");
        }
        assert!(err("\\(.\\{999}\\)\\{999}").starts_with("Pattern too complex"));
    }

    #[test]
    fn find_in_line_respects_context() {
        let p = pat("^a");
        assert_eq!(p.find_in_line("aa", 1), None);
        let p = pat("\\<b");
        assert_eq!(p.find_in_line("ab b", 1), Some(Match { start: 3, end: 4 }));
        // Not a char boundary: no match instead of a panic.
        assert_eq!(pat("x").find_in_line("éx", 1), None);
        assert_eq!(pat("x").find_in_line("x", 5), None);
    }

    #[test]
    fn engine_selector_is_ignored() {
        assert_eq!(span("\\%#=1ab", "xab"), Some((1, 3)));
        assert_eq!(span("\\%#=2a\\|b", "b"), Some((0, 1)));
    }

    #[test]
    fn not_found_text() {
        assert_eq!(not_found_message("foo"), "E486: Pattern not found: foo");
    }
}
