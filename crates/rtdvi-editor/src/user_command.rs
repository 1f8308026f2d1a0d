//! User commands (`nvim_create_user_command`, `nvim_buf_create_user_command`): their store, and
//! running them from an ex command line with Neovim's argument rules.
//!
//! A command's action is an ex command line (with `<args>`, `<q-args>`, `<f-args>`, `<bang>`,
//! `<line1>`, `<line2>`, `<count>`, `<range>`, `<reg>`, `<mods>` and `<lt>` replaced) or a host
//! callback, which receives Neovim's `opts` table (`name`, `args`, `fargs`, `nargs`, `bang`,
//! `line1`, `line2`, `range`, `count`, `reg`, `mods`, `smods`). Buffer-local commands win over
//! global ones; a unique prefix of a name runs the command, as in Vim. A `|` always ends a user
//! command's arguments (as with `-bar`).

use std::collections::BTreeMap;

use crate::buffer::BufferId;
use crate::editor::Editor;
use crate::events::CallbackId;
use crate::ex::{ExError, LineRange};

/// How many arguments a command takes (`-nargs`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Nargs {
    /// `0` (the default).
    #[default]
    Zero,
    /// `1`: the whole argument text is one argument.
    One,
    /// `*`: any number, split at blanks.
    Any,
    /// `?`: zero or one.
    Optional,
    /// `+`: one or more.
    OneOrMore,
}

impl Nargs {
    /// Vim's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Nargs::Zero => "0",
            Nargs::One => "1",
            Nargs::Any => "*",
            Nargs::Optional => "?",
            Nargs::OneOrMore => "+",
        }
    }

    /// Parses Vim's spelling.
    pub fn parse(s: &str) -> Option<Nargs> {
        Some(match s {
            "0" => Nargs::Zero,
            "1" => Nargs::One,
            "*" => Nargs::Any,
            "?" => Nargs::Optional,
            "+" => Nargs::OneOrMore,
            _ => return None,
        })
    }
}

/// Whether and how a command takes a range or count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RangeKind {
    /// No range allowed (the default).
    #[default]
    None,
    /// `-range`: a line range, default the current line.
    Line,
    /// `-range=%`: a line range, default the whole buffer.
    All,
    /// `-count=N` (or `-range=N`): a count in the line number position, default N.
    Count(i64),
}

/// What a user command runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserAction {
    /// An ex command line with `<args>`-style placeholders.
    Command(String),
    /// A host callback.
    Callback(CallbackId),
}

/// One user command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserCommand {
    /// Its name (uppercase first).
    pub name: String,
    /// What runs.
    pub action: UserAction,
    /// Argument count rule.
    pub nargs: Nargs,
    /// `!` allowed.
    pub bang: bool,
    /// Range or count.
    pub range: RangeKind,
    /// The first argument may be a register name.
    pub register: bool,
    /// `-bar` was given (reported only: a `|` always ends the arguments).
    pub bar: bool,
    /// Completion kind, reported by `nvim_get_commands`.
    pub complete: Option<String>,
    /// Description.
    pub desc: Option<String>,
}

impl UserCommand {
    /// `name` running `action` with `:command`'s defaults: no arguments, no `!`, no range.
    pub fn new(name: impl Into<String>, action: UserAction) -> Self {
        UserCommand {
            name: name.into(),
            action,
            nargs: Nargs::Zero,
            bang: false,
            range: RangeKind::None,
            register: false,
            bar: false,
            complete: None,
            desc: None,
        }
    }
}

/// Errors defining commands, with Neovim's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserCommandError {
    /// Lowercase or otherwise bad name.
    #[error("Invalid command name (must start with uppercase): '{0}'")]
    BadName(String),
    /// Deleting a command that doesn't exist.
    #[error("Invalid command (not found): {0}")]
    NotFound(String),
}

/// All user commands: global ones and buffer-local ones.
#[derive(Clone, Debug, Default)]
pub struct UserCommands {
    global: BTreeMap<String, UserCommand>,
    local: BTreeMap<(BufferId, String), UserCommand>,
}

impl UserCommands {
    /// Defines (or replaces) a command; returns the replaced one (so its callback can be released).
    pub fn define(
        &mut self,
        buffer: Option<BufferId>,
        cmd: UserCommand,
    ) -> Result<Option<UserCommand>, UserCommandError> {
        let mut chars = cmd.name.chars();
        let ok = chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric());
        if !ok {
            return Err(UserCommandError::BadName(cmd.name));
        }
        Ok(match buffer {
            Some(b) => self.local.insert((b, cmd.name.clone()), cmd),
            None => self.global.insert(cmd.name.clone(), cmd),
        })
    }

    /// Deletes a command.
    pub fn delete(&mut self, buffer: Option<BufferId>, name: &str) -> Result<UserCommand, UserCommandError> {
        let gone = match buffer {
            Some(b) => self.local.remove(&(b, name.to_string())),
            None => self.global.remove(name),
        };
        gone.ok_or_else(|| UserCommandError::NotFound(name.to_string()))
    }

    /// The commands of one scope, by name.
    pub fn list(&self, buffer: Option<BufferId>) -> Vec<&UserCommand> {
        match buffer {
            Some(b) => self.local.iter().filter(|((x, _), _)| *x == b).map(|(_, c)| c).collect(),
            None => self.global.values().collect(),
        }
    }

    /// Drops the commands of a buffer that is going away.
    pub fn remove_buffer(&mut self, buffer: BufferId) -> Vec<UserCommand> {
        let keys: Vec<_> = self.local.keys().filter(|(b, _)| *b == buffer).cloned().collect();
        keys.into_iter().filter_map(|k| self.local.remove(&k)).collect()
    }

    /// The command `typed` names in `buffer`: an exact name, else a unique prefix (buffer-local
    /// commands first). `Err` for an ambiguous prefix.
    pub fn find(&self, buffer: BufferId, typed: &str) -> Result<Option<&UserCommand>, ExError> {
        if typed.is_empty() || !typed.starts_with(|c: char| c.is_ascii_uppercase()) {
            return Ok(None);
        }
        if let Some(c) = self.local.get(&(buffer, typed.to_string())).or_else(|| self.global.get(typed)) {
            return Ok(Some(c));
        }
        let local: Vec<&UserCommand> =
            self.local.iter().filter(|((b, n), _)| *b == buffer && n.starts_with(typed)).map(|(_, c)| c).collect();
        let candidates = if local.is_empty() {
            self.global.iter().filter(|(n, _)| n.starts_with(typed)).map(|(_, c)| c).collect()
        } else {
            local
        };
        match candidates.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            _ => Err(ExError::Msg(format!("E464: Ambiguous use of user-defined command: {typed}"))),
        }
    }
}

/// Splits `<f-args>`-style: at unescaped blanks, `\ ` and `\\` unescaped.
pub fn split_fargs(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = args.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some(' ' | '\t' | '\\')) => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ' ' | '\t' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A Vim string literal for `<q-args>` and `<f-args>`.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// One invocation's values, as the callback's `opts` table and the placeholders see them.
struct Invocation {
    args: String,
    fargs: Vec<String>,
    bang: bool,
    line1: usize,
    line2: usize,
    range: usize,
    count: i64,
    reg: String,
    /// `:silent` (1) or `:silent!` (2) around the command, 0 without.
    silent: u8,
}

impl Invocation {
    /// The `<mods>` text: the modifiers the command ran under.
    fn mods(&self) -> &'static str {
        match self.silent {
            0 => "",
            1 => "silent",
            _ => "silent!",
        }
    }
}

impl Editor {
    /// Runs user command `typed` if one matches (`None`: no user command of that name).
    pub(crate) fn run_user_command(
        &mut self,
        typed: &str,
        range: &crate::ex::parse::RangeSpec,
        bang: bool,
        args: &str,
    ) -> Option<Result<(), ExError>> {
        let cmd = match self.user_commands.find(self.buf_id(), typed) {
            Ok(Some(c)) => c.clone(),
            Ok(None) => return None,
            Err(e) => return Some(Err(e)),
        };
        Some(self.run_user_command_with(&cmd, range, bang, args))
    }

    fn run_user_command_with(
        &mut self,
        cmd: &UserCommand,
        spec: &crate::ex::parse::RangeSpec,
        bang: bool,
        args: &str,
    ) -> Result<(), ExError> {
        if bang && !cmd.bang {
            return Err(ExError::NoBangAllowed);
        }
        if !spec.addrs.is_empty() && cmd.range == RangeKind::None {
            return Err(ExError::NoRangeAllowed);
        }
        let mut r: LineRange = self.eval_range(spec)?;
        let last = self.buf().line_count();
        let mut rest = args.trim();
        // A `-count` command takes its count as the first argument too (`:Cmd 3`), as Vim does.
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let typed_count = match cmd.range {
            RangeKind::Count(_) if digits > 0 && rest[digits..].chars().next().is_none_or(char::is_whitespace) => {
                let n = rest[..digits].parse::<usize>().ok();
                rest = rest[digits..].trim_start();
                n
            }
            _ => None,
        };
        if let Some(n) = typed_count {
            r = LineRange { start: r.start, end: n, given: r.given.max(1) };
        }
        let (line1, line2, count) = match cmd.range {
            RangeKind::All if r.given == 0 => (1, last, -1),
            RangeKind::Count(n) if r.given == 0 => (r.start, r.end, n),
            RangeKind::Count(_) => (r.end, r.end, i64::try_from(r.end).unwrap_or(0)),
            _ if r.given == 0 => (r.start, r.end, -1),
            _ => (r.start, r.end, i64::try_from(r.end).unwrap_or(0)),
        };
        let mut reg = String::new();
        if cmd.register {
            if let Some(c) = rest.chars().next().filter(|c| !c.is_ascii_digit() && !c.is_whitespace()) {
                reg = c.to_string();
                rest = rest[c.len_utf8()..].trim_start();
            }
        }
        let fargs = match cmd.nargs {
            Nargs::Zero if !rest.is_empty() => return Err(ExError::Trailing(rest.to_string())),
            // Vim appends the command line to an argument error.
            Nargs::One | Nargs::OneOrMore if rest.is_empty() => {
                return Err(ExError::Msg(format!(
                    "{}: {}{}",
                    ExError::ArgumentRequired,
                    cmd.name,
                    if bang { "!" } else { "" }
                )))
            }
            Nargs::Zero => Vec::new(),
            Nargs::One | Nargs::Optional if rest.is_empty() => Vec::new(),
            Nargs::One | Nargs::Optional => vec![rest.to_string()],
            Nargs::Any | Nargs::OneOrMore => split_fargs(rest),
        };
        // `:silent` is the one modifier the ex engine keeps track of (through the message counters).
        let silent = match (self.messages.silent, self.messages.silent_errors) {
            (_, 1..) => 2,
            (1.., _) => 1,
            _ => 0,
        };
        let inv =
            Invocation { args: rest.to_string(), fargs, bang, line1, line2, range: r.given.min(2), count, reg, silent };
        match &cmd.action {
            UserAction::Command(text) => {
                let line = expand_placeholders(text, &inv);
                self.execute_ex(&line)
            }
            UserAction::Callback(id) => {
                let opts = callback_opts(cmd, &inv);
                self.run_callback(*id, vec![opts])
                    .map(|_| ())
                    .map_err(|e| ExError::Msg(crate::editor::callback_error("Error executing Lua callback: ", e)))
            }
        }
    }
}

/// Replaces `<args>`-style placeholders (case-insensitive, as in Vim).
fn expand_placeholders(text: &str, inv: &Invocation) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let Some(end) = tail.find('>') else {
            out.push_str(tail);
            return out;
        };
        let name = tail[1..end].to_ascii_lowercase();
        let value = match name.as_str() {
            "args" => Some(inv.args.clone()),
            "q-args" => Some(quoted(&inv.args)),
            "f-args" => Some(inv.fargs.iter().map(|a| quoted(a)).collect::<Vec<_>>().join(",")),
            "bang" => Some(if inv.bang { "!".to_string() } else { String::new() }),
            "line1" => Some(inv.line1.to_string()),
            "line2" => Some(inv.line2.to_string()),
            "count" => Some(if inv.count < 0 { "0".to_string() } else { inv.count.to_string() }),
            "range" => Some(inv.range.to_string()),
            "reg" | "register" => Some(inv.reg.clone()),
            "mods" => Some(inv.mods().to_string()),
            "lt" => Some("<".to_string()),
            _ => None,
        };
        match value {
            Some(v) => {
                out.push_str(&v);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Neovim's `opts` table for a command callback.
fn callback_opts(cmd: &UserCommand, inv: &Invocation) -> rmpv::Value {
    use rmpv::Value as V;
    let smods = V::Map(
        [
            ("browse", V::from(false)),
            ("confirm", V::from(false)),
            ("emsg_silent", V::from(inv.silent > 1)),
            ("hide", V::from(false)),
            ("horizontal", V::from(false)),
            ("keepalt", V::from(false)),
            ("keepjumps", V::from(false)),
            ("keepmarks", V::from(false)),
            ("keeppatterns", V::from(false)),
            ("lockmarks", V::from(false)),
            ("noautocmd", V::from(false)),
            ("noswapfile", V::from(false)),
            ("sandbox", V::from(false)),
            ("silent", V::from(inv.silent > 0)),
            ("split", V::from("")),
            ("tab", V::from(-1)),
            ("unsilent", V::from(false)),
            ("verbose", V::from(-1)),
            ("vertical", V::from(false)),
        ]
        .into_iter()
        .map(|(k, v)| (V::from(k), v))
        .collect(),
    );
    V::Map(vec![
        (V::from("name"), V::from(cmd.name.as_str())),
        (V::from("args"), V::from(inv.args.as_str())),
        (V::from("fargs"), V::Array(inv.fargs.iter().map(|a| V::from(a.as_str())).collect())),
        (V::from("nargs"), V::from(cmd.nargs.as_str())),
        (V::from("bang"), V::from(inv.bang)),
        (V::from("line1"), V::from(inv.line1)),
        (V::from("line2"), V::from(inv.line2)),
        (V::from("range"), V::from(inv.range)),
        (V::from("count"), V::from(inv.count)),
        (V::from("reg"), V::from(inv.reg.as_str())),
        (V::from("mods"), V::from(inv.mods())),
        (V::from("smods"), smods),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fargs_split_at_unescaped_blanks() {
        assert_eq!(split_fargs("a b\\ c  d"), vec!["a", "b c", "d"]);
        assert_eq!(split_fargs(""), Vec::<String>::new());
        assert_eq!(split_fargs("a\\\\ b"), vec!["a\\", "b"]);
    }

    #[test]
    fn names_must_start_uppercase() {
        let mut u = UserCommands::default();
        let mk = |name: &str| UserCommand::new(name, UserAction::Command("echo".into()));
        assert_eq!(
            u.define(None, mk("foo")).unwrap_err().to_string(),
            "Invalid command name (must start with uppercase): 'foo'"
        );
        assert!(u.define(None, mk("Foo")).is_ok());
        assert!(u.define(None, mk("Foobar")).is_ok());
        assert_eq!(u.find(BufferId(1), "Foo").ok().flatten().map(|c| c.name.as_str()), Some("Foo"));
        assert!(u.find(BufferId(1), "Fo").is_err());
        assert_eq!(u.find(BufferId(1), "Foob").ok().flatten().map(|c| c.name.as_str()), Some("Foobar"));
        assert_eq!(u.delete(None, "Nope").unwrap_err().to_string(), "Invalid command (not found): Nope");
    }
}

impl Editor {
    /// `:command[!] [-nargs=..] [-bang] [-range[=..]] [-count[=N]] [-bar] [-register] [-buffer]
    /// [-complete=..] {name} {replacement}`; without arguments it lists the user commands.
    pub(crate) fn command_command(&mut self, args: &str, bang: bool) -> Result<(), ExError> {
        let mut rest = args.trim_start();
        let mut cmd = UserCommand::new(String::new(), UserAction::Command(String::new()));
        let mut buffer = None;
        while let Some(attr) = rest.strip_prefix('-') {
            let end = attr.find([' ', '\t']).unwrap_or(attr.len());
            let (word, after) = attr.split_at(end);
            let (key, value) = match word.split_once('=') {
                Some((k, v)) => (k, Some(v)),
                None => (word, None),
            };
            match (key, value) {
                ("nargs", Some(v)) => {
                    cmd.nargs = Nargs::parse(v).ok_or(ExError::Msg("E176: Invalid number of arguments".into()))?
                }
                ("bang", None) => cmd.bang = true,
                ("bar", None) => cmd.bar = true,
                ("register", None) => cmd.register = true,
                ("buffer", None) => buffer = Some(self.buf_id()),
                ("range", None) => cmd.range = RangeKind::Line,
                ("range", Some("%")) => cmd.range = RangeKind::All,
                ("range", Some(n)) | ("count", Some(n)) => {
                    cmd.range = RangeKind::Count(
                        n.parse().map_err(|_| ExError::Msg("E178: Invalid default value for count".into()))?,
                    )
                }
                ("count", None) => cmd.range = RangeKind::Count(0),
                ("complete", Some(v)) => cmd.complete = Some(v.to_string()),
                ("addr", Some(_)) | ("keepscript", None) => {}
                _ => return Err(ExError::Msg(format!("E181: Invalid attribute: {word}"))),
            }
            rest = after.trim_start();
        }
        if rest.is_empty() {
            self.list_user_commands();
            return Ok(());
        }
        let end = rest.find([' ', '\t']).unwrap_or(rest.len());
        let (name, repl) = rest.split_at(end);
        let repl = repl.trim_start();
        if repl.is_empty() {
            // `:command Name` lists the commands starting with Name.
            self.list_user_commands();
            return Ok(());
        }
        if !bang && self.user_commands.list(buffer).iter().any(|c| c.name == name) {
            return Err(ExError::Msg(format!("E174: Command already exists: add ! to replace it: {name}")));
        }
        cmd.name = name.to_string();
        cmd.action = UserAction::Command(repl.to_string());
        let old = self
            .user_commands
            .define(buffer, cmd)
            .map_err(|_| ExError::Msg("E183: User defined commands must start with an uppercase letter".to_string()))?;
        if let Some(UserCommand { action: UserAction::Callback(cb), .. }) = old {
            self.release_callback(cb);
        }
        Ok(())
    }

    /// `:delcommand [-buffer] {name}`.
    pub(crate) fn delcommand_command(&mut self, args: &str) -> Result<(), ExError> {
        let args = args.trim();
        let (buffer, name) = match args.strip_prefix("-buffer") {
            Some(n) => (Some(self.buf_id()), n.trim()),
            None => (None, args),
        };
        let old = self
            .user_commands
            .delete(buffer, name)
            .map_err(|_| ExError::Msg(format!("E184: No such user-defined command: {name}")))?;
        if let UserAction::Callback(cb) = old.action {
            self.release_callback(cb);
        }
        Ok(())
    }

    /// The `:command` listing: name, nargs, range and definition of each user command.
    fn list_user_commands(&mut self) {
        let mut lines = vec!["    Name              Args Address Complete    Definition".to_string()];
        let buf = self.buf_id();
        let cmds: Vec<UserCommand> =
            self.user_commands.list(Some(buf)).into_iter().chain(self.user_commands.list(None)).cloned().collect();
        for c in cmds {
            let range = match c.range {
                RangeKind::None => String::new(),
                RangeKind::Line => ".".to_string(),
                RangeKind::All => "%".to_string(),
                RangeKind::Count(n) => format!("{n}c"),
            };
            let def = match (&c.desc, &c.action) {
                (Some(d), _) => d.clone(),
                (None, UserAction::Command(s)) => s.clone(),
                (None, UserAction::Callback(_)) => String::new(),
            };
            let flag = if c.bang { "!" } else { " " };
            lines.push(format!(
                "{flag}   {:<17} {:<4} {:<7} {:<11} {def}",
                c.name,
                c.nargs.as_str(),
                range,
                c.complete.as_deref().unwrap_or("")
            ));
        }
        for l in lines {
            self.messages.echo(l);
        }
    }
}

#[cfg(test)]
mod ex_tests {
    use crate::editor::Editor;

    #[test]
    fn command_and_delcommand() {
        let mut e = Editor::new();
        e.execute_ex("command -nargs=* -bang Greet let g:greet = '<args><bang>'").unwrap();
        e.execute_ex("Greet! hi there").unwrap();
        assert_eq!(e.globals.get("greet"), Some(&crate::expr::Value::String("hi there!".into())));
        assert_eq!(
            e.execute_ex("command Greet echo").unwrap_err().to_string(),
            "E174: Command already exists: add ! to replace it: Greet"
        );
        e.execute_ex("command! -range=% Cnt let g:n = <line2>").unwrap();
        e.execute_ex("Cnt").unwrap();
        assert_eq!(e.globals.get("n"), Some(&crate::expr::Value::Number(1)));
        assert!(e.execute_ex("command -nope X echo").is_err());
        e.execute_ex("delcommand Greet").unwrap();
        assert_eq!(
            e.execute_ex("delcommand Greet").unwrap_err().to_string(),
            "E184: No such user-defined command: Greet"
        );
        assert!(e.execute_ex("Greet").is_err());
        e.execute_ex("command").unwrap();
        assert!(e.take_messages().iter().any(|m| m.text.contains("Cnt")));
    }
}
