//! The grammar of normal- and visual-mode commands: `["x][count]{command}` where a command is an
//! operator followed by `[count]` and a motion or text object, or a command of its own.
//!
//! The engine keeps the keys of the command being typed and re-parses them after every key; a
//! parse either needs more keys (and says whether the next key is subject to normal-mode or
//! operator-pending mappings, or is a literal argument like the char after `f`), is invalid (the
//! keys are dropped, as Vim beeps), or yields a [`Command`].

use crate::keys::{Key, KeyCode, Mods};

use super::motion::FindKind;

/// An operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `d`.
    Delete,
    /// `c`.
    Change,
    /// `y`.
    Yank,
    /// `>`.
    ShiftRight,
    /// `<`.
    ShiftLeft,
    /// `=`.
    Indent,
    /// `g~` (and `~` in visual mode).
    ToggleCase,
    /// `gu`.
    Lower,
    /// `gU`.
    Upper,
    /// `g?`.
    Rot13,
    /// `gq`.
    Format,
    /// `gw` (format, keep the cursor).
    FormatKeep,
    /// `!`.
    Filter,
    /// `J` on a visual selection.
    Join,
    /// `gJ` on a visual selection.
    JoinRaw,
    /// `g@`.
    OpFunc,
}

/// How a motion's range is taken by an operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Force {
    /// `v`: charwise, toggling inclusive/exclusive.
    Char,
    /// `V`.
    Line,
    /// `<C-v>`.
    Block,
}

/// A motion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Motion {
    /// `h`, `<Left>`, `<C-h>` (`wrap`: `<BS>` crossing lines).
    Left {
        /// Whether it crosses line starts ('whichwrap' b for `<BS>`).
        wrap: bool,
    },
    /// `l`, `<Right>` (`wrap`: `<Space>`).
    Right {
        /// Whether it crosses line ends.
        wrap: bool,
    },
    /// `k`, `<Up>`, `<C-p>`.
    Up,
    /// `j`, `<Down>`, `<C-n>`, `<NL>`.
    Down,
    /// `gk`.
    DisplayUp,
    /// `gj`.
    DisplayDown,
    /// `+`, `<CR>`.
    NextLineStart,
    /// `-`.
    PrevLineStart,
    /// `_`.
    CurrentLineStart,
    /// `w` / `W`.
    WordForward(bool),
    /// `e` / `E`.
    WordEnd(bool),
    /// `b` / `B`.
    WordBack(bool),
    /// `ge` / `gE`.
    WordEndBack(bool),
    /// `0`, `<Home>`.
    LineStart,
    /// `^`.
    FirstNonBlank,
    /// `$`, `<End>`.
    LineEnd,
    /// `g_`.
    LastNonBlank,
    /// `g0`.
    DisplayLineStart,
    /// `g^`: the first non-blank of the screen line.
    DisplayFirstNonBlank,
    /// `g$`.
    DisplayLineEnd,
    /// `gm`.
    MiddleOfScreenLine,
    /// `gM`.
    MiddleOfLine,
    /// `|`.
    Column,
    /// `gg`.
    FileStart,
    /// `G`.
    FileEnd,
    /// `go`.
    ByteOffset,
    /// `%`.
    Percent,
    /// `f`, `F`, `t`, `T` with the char.
    Find(FindKind, char),
    /// `;` (false) and `,` (true).
    RepeatFind(bool),
    /// `}` (true) and `{`.
    Paragraph(bool),
    /// `)` (true) and `(`.
    Sentence(bool),
    /// `[(`, `[{`, `])`, `]}`: the char searched for.
    Unmatched(char),
    /// `]]` `][` `[[` `[]`: forward, the char in column 0.
    Section(bool, char),
    /// `H`.
    ScreenTop,
    /// `M`.
    ScreenMiddle,
    /// `L`.
    ScreenBottom,
    /// `*` `#` `g*` `g#`: forward, whole word.
    Star(bool, bool),
    /// `/` or `?` typed: the pattern comes from the command line.
    SearchPrompt(bool),
    /// `:` typed after an operator: an ex command is the motion.
    ExPrompt,
    /// Where an ex command used as a motion left the cursor (row, col): exclusive, charwise.
    ExResult(usize, usize),
    /// A search with its pattern and offset (after the command line, or from dot repeat).
    Search {
        /// Forward (`/`) or backward (`?`).
        forward: bool,
        /// Pattern and offset as typed (`foo/e+1`).
        text: String,
    },
    /// `n` (false) / `N` (true).
    SearchNext(bool),
    /// `'x` (false) / `` `x `` (true).
    Mark(char, bool),
    /// `[count]%`? No: `N%` is [`Motion::Percent`] with a count. `gv` etc. are commands.
    /// `g'x` / `` g`x ``: like marks without touching the jumplist.
    MarkNoJump(char, bool),
}

/// A text object (`iw`, `a(` ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextObject {
    /// `a` (true) or `i`.
    pub around: bool,
    /// The object char: `w W s p ( ) b [ ] { } B < > " ' \` t`.
    pub kind: char,
}

/// What an operator works on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A motion.
    Motion(Motion),
    /// A text object.
    Object(TextObject),
    /// The operator doubled (`dd`, `cc`, `g~~`): count lines.
    Lines,
}

/// A command other than a motion or an operator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Simple {
    /// `i a I A gI gi o O`: the key char(s).
    Insert(char),
    /// `R`.
    Replace,
    /// `gR`.
    VirtualReplace,
    /// `v`, `V`, `<C-v>`: enter (or switch) visual mode.
    Visual(char),
    /// `gv`.
    Reselect,
    /// `u`.
    Undo,
    /// `<C-r>`.
    Redo,
    /// `U`.
    UndoLine,
    /// `gn` (true) / `gN`: selects the next/previous match of the last search.
    SelectMatch(bool),
    /// `g-` (true) / `g+`: back or forward through undo states in time order.
    UndoTime(bool),
    /// `.`.
    Repeat,
    /// `p P gp gP ]p [p`: (after, gp, indent).
    Put {
        /// `p` (true) or `P`.
        after: bool,
        /// `gp`/`gP`: cursor after the new text.
        move_after: bool,
        /// `]p`/`[p`: adjust the indent.
        indent: bool,
    },
    /// `r{c}`.
    ReplaceChar(char),
    /// `~` (without 'tildeop').
    Tilde,
    /// `J` (true) / `gJ`.
    JoinLines(bool),
    /// `<C-a>` (+1) / `<C-x>` (-1); `g` forms on visual selections count up.
    Increment(i64, bool),
    /// `q{reg}`.
    Record(char),
    /// `q` while recording.
    StopRecord,
    /// `@{reg}`.
    Execute(char),
    /// `m{x}`.
    SetMark(char),
    /// `:`.
    Cmdline,
    /// `&`: repeat the last `:s`.
    RepeatSubstitute,
    /// `g&`.
    RepeatSubstituteAll,
    /// Scrolling: `<C-e> <C-y> <C-d> <C-u> <C-f> <C-b>`.
    Scroll(char),
    /// `z` commands: `t z b <CR> . -` and `h l` etc. are ignored.
    Z(Key),
    /// `<C-o>` (true: older) / `<Tab>`.
    Jump(bool),
    /// `g;` (true: older) / `g,`.
    ChangeJump(bool),
    /// `ZZ`, `ZQ`.
    Quit(char),
    /// `<C-g>`, `g<C-g>`, `ga`, `g8`: information only.
    Info,
    /// `<C-^>`.
    Alternate,
    /// `<Esc>` or anything that does nothing.
    Nop,
    /// Visual `o`: go to the other end.
    VisualOther,
    /// Visual block `O`.
    VisualOtherCorner,
    /// Visual `I` / `A`.
    VisualInsert(char),
    /// Visual `r{c}`.
    VisualReplace(char),
    /// Visual `p` / `P`.
    VisualPut(bool),
    /// `<C-w>` window commands: the key after it.
    Window(Key),
    /// `gt` (true) / `gT` (false): next or previous tab page.
    TabPage(bool),
    /// `K`: keyword lookup (not available).
    Keyword,
    /// `gx`, `gf` ... commands that need the outside world.
    Unsupported,
}

/// What a parsed command does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Move the cursor.
    Motion(Motion),
    /// Apply an operator.
    Operator {
        /// The operator.
        op: Op,
        /// `o_v` forcing.
        force: Option<Force>,
        /// What it applies to.
        target: Target,
    },
    /// Visual mode: apply an operator to the selection (`linewise`: `X D Y R S C` forms).
    VisualOperator(Op, bool),
    /// Visual mode: extend the selection by a text object.
    VisualObject(TextObject),
    /// Anything else.
    Simple(Simple),
}

/// A complete command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// `"x`.
    pub register: Option<char>,
    /// The count (counts before and after an operator multiply); `None` when none was typed.
    pub count: Option<usize>,
    /// What it does.
    pub action: Action,
    /// The keys after the register and count, with the operator's inner count removed (what `.`
    /// replays with a count in front).
    pub keys: Vec<Key>,
}

/// What kind of key the parser wants next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Want {
    /// A command key: normal (or visual) mode mappings apply.
    Command,
    /// A motion after an operator: operator-pending mappings apply.
    Motion,
    /// A literal argument (`f{c}`, `r{c}`, `"{r}`): no mappings.
    Literal,
}

/// The result of parsing the keys typed so far.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parse {
    /// More keys are needed.
    Incomplete {
        /// What comes next.
        want: Want,
        /// The operator typed so far and its forcing, for `mode()` (`no`, `nov` ...).
        op: Option<(Op, Option<Force>)>,
    },
    /// Not a command: drop the keys.
    Invalid,
    /// A complete command.
    Done(Command),
}

/// The largest count (Vim caps counts at 99999999 too, so arithmetic can't overflow).
const MAX_COUNT: usize = 99_999_999;

fn ch(k: Option<&Key>) -> Option<char> {
    k.and_then(|k| k.as_char())
}

/// A motion from its keys: `Ok(Some((motion, len)))`, `Ok(None)` when more keys are needed (with
/// what kind), `Err(())` when invalid.
fn parse_motion(keys: &[Key]) -> Result<Option<(Motion, usize)>, Want> {
    let Some(k) = keys.first() else { return Err(Want::Motion) };
    let lit = |i: usize| -> Result<char, Want> {
        match keys.get(i) {
            None => Err(Want::Literal),
            Some(k) => k.to_text_char().or(Some('\0')).ok_or(Want::Literal),
        }
    };
    let m = match (k.code, k.mods) {
        (KeyCode::Char(c), Mods::NONE) => match c {
            'h' => Motion::Left { wrap: false },
            'l' => Motion::Right { wrap: false },
            ' ' => Motion::Right { wrap: true },
            'j' => Motion::Down,
            'k' => Motion::Up,
            'w' => Motion::WordForward(false),
            'W' => Motion::WordForward(true),
            'e' => Motion::WordEnd(false),
            'E' => Motion::WordEnd(true),
            'b' => Motion::WordBack(false),
            'B' => Motion::WordBack(true),
            '0' => Motion::LineStart,
            '^' => Motion::FirstNonBlank,
            '$' => Motion::LineEnd,
            '|' => Motion::Column,
            'G' => Motion::FileEnd,
            '%' => Motion::Percent,
            ';' => Motion::RepeatFind(false),
            ',' => Motion::RepeatFind(true),
            '}' => Motion::Paragraph(true),
            '{' => Motion::Paragraph(false),
            ')' => Motion::Sentence(true),
            '(' => Motion::Sentence(false),
            'H' => Motion::ScreenTop,
            'M' => Motion::ScreenMiddle,
            'L' => Motion::ScreenBottom,
            '*' => Motion::Star(true, true),
            '#' => Motion::Star(false, true),
            '/' => Motion::SearchPrompt(true),
            '?' => Motion::SearchPrompt(false),
            'n' => Motion::SearchNext(false),
            'N' => Motion::SearchNext(true),
            '+' => Motion::NextLineStart,
            '-' => Motion::PrevLineStart,
            '_' => Motion::CurrentLineStart,
            'f' | 'F' | 't' | 'T' => {
                let kind = match c {
                    'f' => FindKind::F,
                    'F' => FindKind::BackF,
                    't' => FindKind::T,
                    _ => FindKind::BackT,
                };
                let target = match keys.get(1) {
                    None => return Err(Want::Literal),
                    Some(k) => match k.to_text_char() {
                        Some(c) if k.code != KeyCode::Esc => c,
                        _ => return Ok(None),
                    },
                };
                return Ok(Some((Motion::Find(kind, target), 2)));
            }
            '\'' | '`' => {
                let m = lit(1)?;
                return Ok(Some((Motion::Mark(m, c == '`'), 2)));
            }
            'g' => {
                let Some(k2) = keys.get(1) else { return Err(Want::Motion) };
                let m = match ch(Some(k2)) {
                    Some('g') => Motion::FileStart,
                    Some('e') => Motion::WordEndBack(false),
                    Some('E') => Motion::WordEndBack(true),
                    Some('_') => Motion::LastNonBlank,
                    Some('j') => Motion::DisplayDown,
                    Some('k') => Motion::DisplayUp,
                    Some('0') => Motion::DisplayLineStart,
                    Some('^') => Motion::DisplayFirstNonBlank,
                    Some('$') => Motion::DisplayLineEnd,
                    Some('m') => Motion::MiddleOfScreenLine,
                    Some('M') => Motion::MiddleOfLine,
                    Some('o') => Motion::ByteOffset,
                    Some('*') => Motion::Star(true, false),
                    Some('#') => Motion::Star(false, false),
                    Some('\'') | Some('`') => {
                        let m = lit(2)?;
                        return Ok(Some((Motion::MarkNoJump(m, ch(Some(k2)) == Some('`')), 3)));
                    }
                    _ if k2.code == KeyCode::Down => Motion::DisplayDown,
                    _ if k2.code == KeyCode::Up => Motion::DisplayUp,
                    _ if k2.code == KeyCode::Home => Motion::DisplayLineStart,
                    _ if k2.code == KeyCode::End => Motion::DisplayLineEnd,
                    _ => return Ok(None),
                };
                return Ok(Some((m, 2)));
            }
            '[' | ']' => {
                let Some(k2) = keys.get(1) else { return Err(Want::Motion) };
                let fwd = c == ']';
                let m = match ch(Some(k2)) {
                    Some('(') if !fwd => Motion::Unmatched('('),
                    Some('{') if !fwd => Motion::Unmatched('{'),
                    Some(')') if fwd => Motion::Unmatched(')'),
                    Some('}') if fwd => Motion::Unmatched('}'),
                    Some('[') => Motion::Section(fwd, if fwd { '}' } else { '{' }),
                    Some(']') => Motion::Section(fwd, if fwd { '{' } else { '}' }),
                    Some('\'') | Some('`') => return Ok(None),
                    _ => return Ok(None),
                };
                // `[[` is "backward to '{' in column 0", `]]` forward to '{'; `[]` and `][` use '}'.
                let m = match (c, ch(Some(k2))) {
                    ('[', Some('[')) => Motion::Section(false, '{'),
                    (']', Some(']')) => Motion::Section(true, '{'),
                    ('[', Some(']')) => Motion::Section(false, '}'),
                    (']', Some('[')) => Motion::Section(true, '}'),
                    _ => m,
                };
                return Ok(Some((m, 2)));
            }
            _ => return Ok(None),
        },
        (KeyCode::Char(c), Mods::CTRL) => match c {
            'h' => Motion::Left { wrap: true },
            'n' => Motion::Down,
            'p' => Motion::Up,
            _ => return Ok(None),
        },
        (KeyCode::Left, Mods::NONE) => Motion::Left { wrap: false },
        (KeyCode::Right, Mods::NONE) => Motion::Right { wrap: false },
        (KeyCode::Up, Mods::NONE) => Motion::Up,
        (KeyCode::Down, Mods::NONE) => Motion::Down,
        (KeyCode::Backspace, Mods::NONE) => Motion::Left { wrap: true },
        (KeyCode::Home, Mods::NONE) => Motion::LineStart,
        (KeyCode::End, Mods::NONE) => Motion::LineEnd,
        (KeyCode::Enter, Mods::NONE) => Motion::NextLineStart,
        (KeyCode::NewLine, Mods::NONE) => Motion::Down,
        (KeyCode::Left, Mods::SHIFT) => Motion::WordBack(false),
        (KeyCode::Right, Mods::SHIFT) => Motion::WordForward(false),
        (KeyCode::Left, Mods::CTRL) => Motion::WordBack(true),
        (KeyCode::Right, Mods::CTRL) => Motion::WordForward(true),
        _ => return Ok(None),
    };
    Ok(Some((m, 1)))
}

/// An operator from its keys: `Ok(Some((op, len)))`, `Ok(None)` if not an operator, `Err` for a
/// prefix that needs more keys.
fn parse_operator(keys: &[Key]) -> Result<Option<(Op, usize)>, Want> {
    let Some(c) = ch(keys.first()) else { return Ok(None) };
    let op = match c {
        'd' => Op::Delete,
        'c' => Op::Change,
        'y' => Op::Yank,
        '>' => Op::ShiftRight,
        '<' => Op::ShiftLeft,
        '=' => Op::Indent,
        '!' => Op::Filter,
        'g' => {
            let Some(k2) = keys.get(1) else { return Err(Want::Command) };
            let op = match ch(Some(k2)) {
                Some('~') => Op::ToggleCase,
                Some('u') => Op::Lower,
                Some('U') => Op::Upper,
                Some('?') => Op::Rot13,
                Some('q') => Op::Format,
                Some('w') => Op::FormatKeep,
                Some('@') => Op::OpFunc,
                _ => return Ok(None),
            };
            return Ok(Some((op, 2)));
        }
        _ => return Ok(None),
    };
    Ok(Some((op, 1)))
}

/// Whether `keys` (after an operator) is the operator doubled: `dd`, `g~~`, `g~g~`, `gUU`, `gUgU`.
fn doubled(op: Op, op_keys: &[Key], keys: &[Key]) -> Result<Option<usize>, Want> {
    let last = op_keys.last().and_then(|k| k.as_char());
    if keys.is_empty() {
        return Err(Want::Motion);
    }
    let Some(first) = ch(keys.first()) else { return Ok(None) };
    if op_keys.len() == 2 {
        if Some(first) == last {
            return Ok(Some(1));
        }
        if first == 'g' {
            match ch(keys.get(1)) {
                None if keys.len() < 2 => return Err(Want::Motion),
                c if c == last => return Ok(Some(2)),
                _ => return Ok(None),
            }
        }
        return Ok(None);
    }
    let _ = op;
    if Some(first) == last {
        return Ok(Some(1));
    }
    Ok(None)
}

/// Reads `"x` and counts at the front of the keys: (register, count, index after them).
fn prefix(keys: &[Key]) -> Result<(Option<char>, Option<usize>, usize), Parse> {
    let mut i = 0;
    let mut reg = None;
    let mut count: Option<usize> = None;
    loop {
        match ch(keys.get(i)) {
            Some('"') => match keys.get(i + 1) {
                None => return Err(Parse::Incomplete { want: Want::Literal, op: None }),
                Some(k) => match k.as_char() {
                    Some(r) if crate::registers::is_valid_name(r) => {
                        reg = Some(r);
                        i += 2;
                    }
                    _ => return Err(Parse::Invalid),
                },
            },
            Some(d @ '1'..='9') => {
                count = Some((count.unwrap_or(0) * 10 + (d as usize - '0' as usize)).min(MAX_COUNT));
                i += 1;
            }
            Some('0') if count.is_some() => {
                count = count.map(|c| (c * 10).min(MAX_COUNT));
                i += 1;
            }
            _ => return Ok((reg, count, i)),
        }
        if i >= keys.len() {
            return Err(Parse::Incomplete { want: Want::Command, op: None });
        }
    }
}

fn mul(a: Option<usize>, b: Option<usize>) -> Option<usize> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some((a.unwrap_or(1).saturating_mul(b.unwrap_or(1))).min(MAX_COUNT)),
    }
}

/// Parses the keys of a normal-mode (or, with `visual`, a visual-mode) command.
pub fn parse(keys: &[Key], visual: bool) -> Parse {
    let (register, count, start) = match prefix(keys) {
        Ok(x) => x,
        Err(p) => return p,
    };
    let rest = &keys[start..];
    let done = |action: Action, len: usize| {
        Parse::Done(Command { register, count, action, keys: rest[..len.min(rest.len())].to_vec() })
    };
    let Some(first) = rest.first() else { return Parse::Incomplete { want: Want::Command, op: None } };

    // Operators.
    match parse_operator(rest) {
        Err(want) => return Parse::Incomplete { want, op: None },
        Ok(Some((op, oplen))) => {
            if visual {
                return done(Action::VisualOperator(op, false), oplen);
            }
            return parse_after_operator(register, count, op, &rest[..oplen], &rest[oplen..]);
        }
        Ok(None) => {}
    }

    if visual {
        if let Some(p) = parse_visual_only(rest, &done) {
            return p;
        }
    }

    // Simple commands.
    let simple = |s: Simple, len: usize| done(Action::Simple(s), len);
    let lit = |i: usize| -> Option<char> { rest.get(i).and_then(|k| k.to_text_char()) };
    let need_lit = Parse::Incomplete { want: Want::Literal, op: None };
    match (first.code, first.mods) {
        (KeyCode::Char(c), Mods::NONE) => match c {
            'i' | 'a' | 'I' | 'A' | 'o' | 'O' => return simple(Simple::Insert(c), 1),
            'R' => return simple(Simple::Replace, 1),
            'v' | 'V' => return simple(Simple::Visual(c), 1),
            'u' => return simple(Simple::Undo, 1),
            'U' => return simple(Simple::UndoLine, 1),
            '.' => return simple(Simple::Repeat, 1),
            'p' | 'P' => return simple(Simple::Put { after: c == 'p', move_after: false, indent: false }, 1),
            'x' => return op_shortcut(register, count, Op::Delete, Motion::Right { wrap: false }, rest),
            'X' => return op_shortcut(register, count, Op::Delete, Motion::Left { wrap: false }, rest),
            'D' => return op_shortcut(register, count, Op::Delete, Motion::LineEnd, rest),
            'C' => return op_shortcut(register, count, Op::Change, Motion::LineEnd, rest),
            's' => return op_shortcut(register, count, Op::Change, Motion::Right { wrap: false }, rest),
            'Y' => return op_shortcut(register, count, Op::Yank, Motion::LineEnd, rest),
            'S' => {
                return Parse::Done(Command {
                    register,
                    count,
                    action: Action::Operator { op: Op::Change, force: None, target: Target::Lines },
                    keys: rest[..1].to_vec(),
                })
            }
            'r' => {
                return match rest.get(1) {
                    None => need_lit,
                    Some(k) if k.code == KeyCode::Esc => simple(Simple::Nop, 2),
                    // `r<C-v>{char}`: the char taken literally.
                    Some(k) if k.is_ctrl('v') => match rest.get(2) {
                        None => need_lit,
                        Some(k) => match k.to_text_char() {
                            Some(c) => simple(Simple::ReplaceChar(c), 3),
                            None => Parse::Invalid,
                        },
                    },
                    Some(k) => match k.to_text_char() {
                        Some(c) => simple(Simple::ReplaceChar(c), 2),
                        None => Parse::Invalid,
                    },
                };
            }
            '~' => return simple(Simple::Tilde, 1),
            'J' => return simple(Simple::JoinLines(true), 1),
            'q' => {
                return match lit(1) {
                    None if rest.len() < 2 => need_lit,
                    Some(r) => simple(Simple::Record(r), 2),
                    None => Parse::Invalid,
                }
            }
            '@' => {
                return match lit(1) {
                    None if rest.len() < 2 => need_lit,
                    Some(r) => simple(Simple::Execute(r), 2),
                    None => Parse::Invalid,
                }
            }
            'm' => {
                return match lit(1) {
                    None if rest.len() < 2 => need_lit,
                    Some(r) => simple(Simple::SetMark(r), 2),
                    None => Parse::Invalid,
                }
            }
            ':' => return simple(Simple::Cmdline, 1),
            '&' => return simple(Simple::RepeatSubstitute, 1),
            'K' => return simple(Simple::Keyword, 1),
            'Z' => {
                return match ch(rest.get(1)) {
                    None if rest.len() < 2 => Parse::Incomplete { want: Want::Command, op: None },
                    Some(c @ ('Z' | 'Q')) => simple(Simple::Quit(c), 2),
                    _ => Parse::Invalid,
                }
            }
            'z' => {
                return match rest.get(1) {
                    None => Parse::Incomplete { want: Want::Command, op: None },
                    Some(k) => simple(Simple::Z(*k), 2),
                }
            }
            'g' => {
                let Some(k2) = rest.get(1) else { return Parse::Incomplete { want: Want::Command, op: None } };
                let s = match (k2.code, k2.mods) {
                    (KeyCode::Char(c2), Mods::NONE) => match c2 {
                        'I' | 'i' => Some(Simple::Insert(if c2 == 'I' { 'G' } else { 'g' })),
                        'v' => Some(Simple::Reselect),
                        'n' | 'N' => Some(Simple::SelectMatch(c2 == 'n')),
                        'p' | 'P' => Some(Simple::Put { after: c2 == 'p', move_after: true, indent: false }),
                        'J' => Some(Simple::JoinLines(false)),
                        't' | 'T' => Some(Simple::TabPage(c2 == 't')),
                        'R' => Some(Simple::VirtualReplace),
                        ';' => Some(Simple::ChangeJump(true)),
                        '-' => Some(Simple::UndoTime(true)),
                        '+' => Some(Simple::UndoTime(false)),
                        ',' => Some(Simple::ChangeJump(false)),
                        '&' => Some(Simple::RepeatSubstituteAll),
                        'a' | '8' => Some(Simple::Info),
                        'f' | 'F' | 'x' => Some(Simple::Unsupported),
                        _ => None,
                    },
                    (KeyCode::Char('g'), Mods::CTRL) => Some(Simple::Info),
                    (KeyCode::Char('a'), Mods::CTRL) => Some(Simple::Increment(1, true)),
                    (KeyCode::Char('x'), Mods::CTRL) => Some(Simple::Increment(-1, true)),
                    _ => None,
                };
                if let Some(s) = s {
                    return simple(s, 2);
                }
            }
            ']' | '[' => {
                if let Some(k2) = rest.get(1) {
                    if matches!(k2.as_char(), Some('p') | Some('P')) {
                        return simple(
                            Simple::Put {
                                after: c == ']' && k2.as_char() == Some('p'),
                                move_after: false,
                                indent: true,
                            },
                            2,
                        );
                    }
                }
            }
            _ => {}
        },
        (KeyCode::Char(c), Mods::CTRL) => {
            let s = match c {
                'v' => Some(Simple::Visual('\x16')),
                'r' => Some(Simple::Redo),
                'a' => Some(Simple::Increment(1, false)),
                'x' => Some(Simple::Increment(-1, false)),
                'e' | 'y' | 'd' | 'u' | 'f' | 'b' => Some(Simple::Scroll(c)),
                'o' => Some(Simple::Jump(true)),
                'g' => Some(Simple::Info),
                '^' | '6' => Some(Simple::Alternate),
                'c' | 'l' => Some(Simple::Nop),
                'w' => {
                    return match rest.get(1) {
                        None => Parse::Incomplete { want: Want::Command, op: None },
                        Some(k) => simple(Simple::Window(*k), 2),
                    }
                }
                _ => None,
            };
            if let Some(s) = s {
                return simple(s, 1);
            }
        }
        (KeyCode::Tab, Mods::NONE) => return simple(Simple::Jump(false), 1),
        (KeyCode::Esc, _) => return simple(Simple::Nop, 1),
        (KeyCode::Insert, Mods::NONE) => return simple(Simple::Insert('i'), 1),
        (KeyCode::Delete, Mods::NONE) => {
            return op_shortcut(register, count, Op::Delete, Motion::Right { wrap: false }, rest)
        }
        (KeyCode::PageDown, _) => return simple(Simple::Scroll('f'), 1),
        (KeyCode::PageUp, _) => return simple(Simple::Scroll('b'), 1),
        (KeyCode::Ignore, _) => return simple(Simple::Nop, 1),
        _ => {}
    }

    // Motions.
    match parse_motion(rest) {
        Ok(Some((m, len))) => done(Action::Motion(m), len),
        Ok(None) => Parse::Invalid,
        Err(want) => Parse::Incomplete { want: if want == Want::Motion { Want::Command } else { want }, op: None },
    }
}

/// `x`, `X`, `D`, `C`, `s`, `Y`: operator + motion shortcuts; the dot record keeps the short key.
fn op_shortcut(register: Option<char>, count: Option<usize>, op: Op, m: Motion, rest: &[Key]) -> Parse {
    Parse::Done(Command {
        register,
        count,
        action: Action::Operator { op, force: None, target: Target::Motion(m) },
        keys: rest[..1].to_vec(),
    })
}

fn parse_after_operator(register: Option<char>, count: Option<usize>, op: Op, op_keys: &[Key], keys: &[Key]) -> Parse {
    let mut i = 0;
    let mut count2: Option<usize> = None;
    let mut force = None;
    let mut force_keys = Vec::new();
    let incomplete = |want, force| Parse::Incomplete { want, op: Some((op, force)) };
    loop {
        let Some(k) = keys.get(i) else { return incomplete(Want::Motion, force) };
        match (k.code, k.mods) {
            (KeyCode::Char(d @ '1'..='9'), Mods::NONE) => {
                count2 = Some((count2.unwrap_or(0) * 10 + (d as usize - '0' as usize)).min(MAX_COUNT));
            }
            (KeyCode::Char('0'), Mods::NONE) if count2.is_some() => {
                count2 = count2.map(|c| (c * 10).min(MAX_COUNT));
            }
            (KeyCode::Char('v'), Mods::NONE) => {
                force = Some(Force::Char);
                force_keys = vec![*k];
            }
            (KeyCode::Char('V'), Mods::NONE) => {
                force = Some(Force::Line);
                force_keys = vec![*k];
            }
            (KeyCode::Char('v'), Mods::CTRL) => {
                force = Some(Force::Block);
                force_keys = vec![*k];
            }
            (KeyCode::Esc, _) => return Parse::Invalid,
            _ => break,
        }
        i += 1;
    }
    let total = mul(count, count2);
    let rest = &keys[i..];
    let finish = |target: Target, len: usize| {
        let mut dot = op_keys.to_vec();
        dot.extend(force_keys.iter().copied());
        dot.extend(rest[..len].iter().copied());
        Parse::Done(Command { register, count: total, action: Action::Operator { op, force, target }, keys: dot })
    };
    match doubled(op, op_keys, rest) {
        Err(want) => return incomplete(want, force),
        Ok(Some(len)) => return finish(Target::Lines, len),
        Ok(None) => {}
    }
    // Text objects.
    if let Some(c @ ('i' | 'a')) = ch(rest.first()) {
        return match rest.get(1) {
            None => incomplete(Want::Motion, force),
            Some(k) => match k.as_char() {
                Some(kind) if is_object_char(kind) => finish(Target::Object(TextObject { around: c == 'a', kind }), 2),
                _ => Parse::Invalid,
            },
        };
    }
    // `gn`/`gN`: the next/previous match of the last search, as a text object.
    if ch(rest.first()) == Some('g') {
        if let Some(kind @ ('n' | 'N')) = ch(rest.get(1)) {
            return finish(Target::Object(TextObject { around: false, kind }), 2);
        }
    }
    if ch(rest.first()) == Some(':') {
        return finish(Target::Motion(Motion::ExPrompt), 1);
    }
    match parse_motion(rest) {
        Ok(Some((m, len))) => finish(Target::Motion(m), len),
        Ok(None) => Parse::Invalid,
        Err(want) => incomplete(want, force),
    }
}

/// Whether `c` names a text object after `i`/`a`.
pub fn is_object_char(c: char) -> bool {
    "wWsp()b[]{}B<>\"'`t".contains(c)
}

/// Visual-mode commands that differ from normal mode.
fn parse_visual_only(rest: &[Key], done: &dyn Fn(Action, usize) -> Parse) -> Option<Parse> {
    let first = rest.first()?;
    let vop = |op: Op, line: bool| Some(done(Action::VisualOperator(op, line), 1));
    let simple = |s: Simple, len: usize| Some(done(Action::Simple(s), len));
    match (first.code, first.mods) {
        (KeyCode::Char(c), Mods::NONE) => match c {
            'x' => vop(Op::Delete, false),
            'X' | 'D' => vop(Op::Delete, true),
            's' => vop(Op::Change, false),
            'S' | 'R' | 'C' => vop(Op::Change, true),
            'Y' => vop(Op::Yank, true),
            '~' => vop(Op::ToggleCase, false),
            'u' => vop(Op::Lower, false),
            'U' => vop(Op::Upper, false),
            'J' => vop(Op::Join, false),
            'o' => simple(Simple::VisualOther, 1),
            'O' => simple(Simple::VisualOtherCorner, 1),
            'I' | 'A' => simple(Simple::VisualInsert(c), 1),
            'p' | 'P' => simple(Simple::VisualPut(c == 'p'), 1),
            'r' => match rest.get(1) {
                None => Some(Parse::Incomplete { want: Want::Literal, op: None }),
                Some(k) if k.code == KeyCode::Esc => simple(Simple::Nop, 2),
                Some(k) => match k.to_text_char() {
                    Some(ch) => simple(Simple::VisualReplace(ch), 2),
                    None => Some(Parse::Invalid),
                },
            },
            'i' | 'a' => match rest.get(1) {
                None => Some(Parse::Incomplete { want: Want::Motion, op: None }),
                Some(k) => match k.as_char() {
                    Some(kind) if is_object_char(kind) => {
                        Some(done(Action::VisualObject(TextObject { around: c == 'a', kind }), 2))
                    }
                    _ => Some(Parse::Invalid),
                },
            },
            'c' => vop(Op::Change, false),
            'g' => match rest.get(1).and_then(|k| k.as_char()) {
                Some('J') => Some(done(Action::VisualOperator(Op::JoinRaw, false), 2)),
                Some(kind @ ('n' | 'N')) => Some(done(Action::VisualObject(TextObject { around: false, kind }), 2)),
                _ => None,
            },
            _ => None,
        },
        (KeyCode::Delete, Mods::NONE) => vop(Op::Delete, false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::parse_keys;

    fn p(s: &str) -> Parse {
        parse(&parse_keys(s), false)
    }

    #[test]
    fn counts_multiply_and_registers_prefix() {
        match p("\"a2d3w") {
            Parse::Done(c) => {
                assert_eq!(c.register, Some('a'));
                assert_eq!(c.count, Some(6));
                assert_eq!(c.keys, parse_keys("dw"));
                assert_eq!(
                    c.action,
                    Action::Operator {
                        op: Op::Delete,
                        force: None,
                        target: Target::Motion(Motion::WordForward(false))
                    }
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn incomplete_states() {
        assert_eq!(p("d"), Parse::Incomplete { want: Want::Motion, op: Some((Op::Delete, None)) });
        assert_eq!(p("dv"), Parse::Incomplete { want: Want::Motion, op: Some((Op::Delete, Some(Force::Char))) });
        assert_eq!(p("df"), Parse::Incomplete { want: Want::Literal, op: Some((Op::Delete, None)) });
        assert_eq!(p("g"), Parse::Incomplete { want: Want::Command, op: None });
        assert_eq!(p("\""), Parse::Incomplete { want: Want::Literal, op: None });
        assert_eq!(p("2"), Parse::Incomplete { want: Want::Command, op: None });
        assert_eq!(p("dz"), Parse::Invalid);
    }

    #[test]
    fn doubled_operators() {
        for s in ["dd", "cc", "yy", ">>", "g~~", "g~g~", "gUU", "gUgU", "guu", "gqq", "gqgq"] {
            match p(s) {
                Parse::Done(c) => assert!(matches!(c.action, Action::Operator { target: Target::Lines, .. }), "{s}"),
                other => panic!("{s}: {other:?}"),
            }
        }
    }

    #[test]
    fn objects_and_finds() {
        match p("ci(") {
            Parse::Done(c) => assert_eq!(
                c.action,
                Action::Operator {
                    op: Op::Change,
                    force: None,
                    target: Target::Object(TextObject { around: false, kind: '(' })
                }
            ),
            other => panic!("{other:?}"),
        }
        match p("2dtx") {
            Parse::Done(c) => assert_eq!(c.keys, parse_keys("dtx")),
            other => panic!("{other:?}"),
        }
    }
}
