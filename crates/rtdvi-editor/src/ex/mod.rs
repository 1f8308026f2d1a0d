//! Ex commands: the command table, dispatch, and range evaluation.
//!
//! Each command lives in a module named for its family (`file`, `lines`, `substitute`, `info`);
//! this module only finds the command and evaluates its range.

pub mod parse;

pub(crate) mod complete;
mod file;
mod info;
mod lines;
mod script;
mod substitute;
mod window;

use crate::buffer::BufferError;
use crate::editor::Editor;
use crate::options::OptionError;
use parse::{AddrBase, Address, ParsedCommand, RangeSpec, Separator};

/// Errors of ex commands, with Vim's message text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExError {
    /// E492.
    #[error("E492: Not an editor command: {0}")]
    NotEditorCommand(String),
    /// E37.
    #[error("E37: No write since last change (add ! to override)")]
    NoWrite,
    /// E162.
    #[error("E162: No write since last change for buffer \"{0}\"")]
    NoWriteBuffer(String),
    /// E16.
    #[error("E16: Invalid range")]
    InvalidRange,
    /// E14.
    #[error("E14: Invalid address")]
    InvalidAddress,
    /// E20.
    #[error("E20: Mark not set")]
    MarkNotSet,
    /// E486.
    #[error("E486: Pattern not found: {0}")]
    PatternNotFound(String),
    /// E35.
    #[error("E35: No previous regular expression")]
    NoPreviousRegex,
    /// E481.
    #[error("E481: No range allowed")]
    NoRangeAllowed,
    /// E477.
    #[error("E477: No ! allowed")]
    NoBangAllowed,
    /// E471.
    #[error("E471: Argument required")]
    ArgumentRequired,
    /// E488.
    #[error("E488: Trailing characters: {0}")]
    Trailing(String),
    /// E474.
    #[error("E474: Invalid argument")]
    InvalidArgument,
    /// E493.
    #[error("E493: Backwards range given")]
    BackwardsRange,
    /// E134.
    #[error("E134: Cannot move a range of lines into itself")]
    MoveIntoItself,
    /// E147.
    #[error("E147: Cannot do :global recursive with a range")]
    GlobalRecursive,
    /// Any other message (option, file, pattern and buffer errors carry their own text).
    #[error("{0}")]
    Msg(String),
}

impl From<OptionError> for ExError {
    fn from(e: OptionError) -> Self {
        ExError::Msg(e.to_string())
    }
}

impl From<BufferError> for ExError {
    fn from(e: BufferError) -> Self {
        ExError::Msg(e.to_string())
    }
}

impl From<crate::expr::ExprError> for ExError {
    fn from(e: crate::expr::ExprError) -> Self {
        ExError::Msg(e.to_string())
    }
}

impl From<rtdvi_core::pattern::PatternError> for ExError {
    fn from(e: rtdvi_core::pattern::PatternError) -> Self {
        ExError::Msg(e.to_string())
    }
}

/// Whether `name` can name a plugin ex command: the ex parser reads it whole as a command name
/// (letters only, or an uppercase letter then letters and digits) and no built-in command owns it
/// or abbreviates to it.
pub fn is_valid_plugin_command_name(name: &str) -> bool {
    let (parsed, rest) = parse::split_name(name);
    !name.is_empty() && parsed == name && rest.is_empty() && resolve_name(name).is_none()
}

/// The built-in commands: full name and the shortest accepted abbreviation, in Vim's priority order
/// (an abbreviation resolves to the first entry it is a prefix of).
const COMMANDS: &[(&str, usize)] = &[
    ("lua", 3),
    ("luafile", 4),
    ("packadd", 2),
    ("runtime", 2),
    ("append", 1),
    ("buffer", 1),
    ("bNext", 2),
    ("bdelete", 2),
    ("buffers", 7),
    ("bnext", 2),
    ("bprevious", 2),
    ("bfirst", 2),
    ("blast", 2),
    ("bwipeout", 2),
    ("change", 1),
    ("close", 3),
    ("cd", 2),
    ("copy", 2),
    ("cquit", 2),
    ("call", 3),
    ("command", 3),
    ("delete", 1),
    ("delcommand", 4),
    ("display", 2),
    ("doautocmd", 2),
    ("edit", 1),
    ("earlier", 2),
    ("echo", 2),
    ("echoerr", 5),
    ("echomsg", 5),
    ("enew", 3),
    ("exit", 3),
    ("execute", 3),
    ("file", 1),
    ("files", 5),
    ("filetype", 5),
    ("global", 1),
    ("highlight", 2),
    ("insert", 1),
    ("join", 1),
    ("k", 1),
    ("keeppatterns", 5),
    ("list", 1),
    ("later", 3),
    ("let", 3),
    ("ls", 2),
    ("move", 1),
    ("new", 3),
    ("only", 2),
    ("mark", 2),
    ("marks", 5),
    ("messages", 3),
    ("nohlsearch", 3),
    ("number", 2),
    ("print", 1),
    ("put", 2),
    ("pwd", 2),
    ("quit", 1),
    ("quitall", 5),
    ("qall", 2),
    ("read", 1),
    ("redo", 3),
    ("redraw", 4),
    ("registers", 3),
    ("resize", 3),
    ("substitute", 1),
    ("split", 2),
    ("source", 2),
    ("set", 2),
    ("setglobal", 4),
    ("setlocal", 4),
    ("silent", 3),
    ("syntax", 2),
    ("t", 1),
    ("tabnew", 6),
    ("tabedit", 4),
    ("tabclose", 4),
    ("tabonly", 4),
    ("tabnext", 4),
    ("tabNext", 4),
    ("tabprevious", 4),
    ("tabfirst", 4),
    ("tablast", 4),
    ("undo", 1),
    ("unlet", 3),
    ("update", 2),
    ("version", 2),
    ("vglobal", 1),
    ("vsplit", 2),
    ("vnew", 3),
    ("vertical", 4),
    ("write", 1),
    ("wincmd", 4),
    ("wall", 2),
    ("wq", 2),
    ("wqall", 3),
    ("xit", 1),
    ("xall", 2),
    ("yank", 1),
    ("autocmd", 2),
    ("augroup", 3),
    ("&", 1),
    ("&&", 2),
    ("~", 1),
    ("<", 1),
    (">", 1),
    ("=", 1),
    ("#", 1),
];

/// Resolves a typed command name to its full built-in name.
pub fn resolve_name(typed: &str) -> Option<&'static str> {
    if typed.is_empty() {
        return None;
    }
    let find = |table: &[(&'static str, usize)]| {
        table.iter().find(|(name, min)| typed.len() >= *min && name.starts_with(typed)).map(|(n, _)| *n)
    };
    // An exact name wins; then the built-in table, then the key engine's commands (`:map`, `:normal`).
    if let Some((n, _)) = COMMANDS.iter().chain(crate::vi::EX_COMMANDS.iter()).find(|(n, _)| *n == typed) {
        return Some(n);
    }
    find(COMMANDS).or_else(|| find(crate::vi::EX_COMMANDS))
}

/// A range evaluated to 1-based line numbers (line 0 allowed where a command accepts it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineRange {
    /// First line, 1-based.
    pub start: usize,
    /// Last line, 1-based, inclusive.
    pub end: usize,
    /// How many addresses were given (0: the command's default applies).
    pub given: usize,
}

/// Everything a command handler needs.
pub(crate) struct Cmd<'a> {
    /// The full command name.
    pub name: &'static str,
    /// The evaluated range (default: the current line).
    pub range: LineRange,
    /// `!`.
    pub bang: bool,
    /// The argument text.
    pub args: &'a str,
}

impl Editor {
    /// Executes a command line (several commands separated by `|`), stopping at the first error.
    pub fn execute_ex(&mut self, line: &str) -> Result<(), ExError> {
        self.execute_ex_named(line).map_err(|(_, e)| e)
    }

    /// [`Self::execute_ex`], naming on error the built-in command that failed: the API reports
    /// errors as Vim does, `Vim(substitute):E486: ...`, and plain `Vim:...` when the line named no
    /// built-in command (unknown, user or plugin commands, parse errors), so the name is `None` then.
    pub fn execute_ex_named(&mut self, line: &str) -> Result<(), (Option<&'static str>, ExError)> {
        let mut rest = Some(line.to_string());
        while let Some(l) = rest.take() {
            if l.trim_start_matches([' ', '\t', ':']).starts_with('"') {
                break;
            }
            let (parsed, next) = parse::parse_command(&l).map_err(|e| (None, e))?;
            self.execute_parsed(&parsed).map_err(|e| (resolve_name(&parsed.name), e))?;
            rest = next;
            if self.exit_code.is_some() {
                break;
            }
        }
        Ok(())
    }

    /// Executes a command line as one user command: runs it, reports an error as a message, then ends
    /// the command (undo step, TextChanged). Returns whether it succeeded.
    pub fn run_command_line(&mut self, line: &str) -> bool {
        let result = self.execute_ex(line);
        let ok = match result {
            Ok(()) => true,
            Err(e) => {
                self.messages.error(e.to_string());
                false
            }
        };
        self.finish_command();
        ok
    }

    fn execute_parsed(&mut self, p: &ParsedCommand) -> Result<(), ExError> {
        if p.name.is_empty() {
            if p.args.is_empty() && p.range.addrs.is_empty() {
                return Ok(());
            }
            if !p.args.is_empty() {
                return Err(ExError::NotEditorCommand(format!("{}{}", range_text(&p.range), p.args)));
            }
            // A bare range jumps to its last line (`:5`, `:$`, `:/pat/`).
            let r = self.eval_range(&p.range)?;
            let last = self.buf().line_count();
            let line = if r.end == 0 { 1 } else { r.end.min(last) };
            self.push_jump();
            self.cursor_to_first_nonblank(line - 1);
            return Ok(());
        }
        let Some(name) = resolve_name(&p.name) else {
            if let Some(result) = self.run_user_command(&p.name, &p.range, p.bang, &p.args) {
                return result;
            }
            if let Some(result) = self.run_host_command(&p.name, p.bang, &p.args) {
                return result;
            }
            return Err(ExError::NotEditorCommand(format!(
                "{}{}{}",
                p.name,
                if p.bang { "!" } else { "" },
                spaced(&p.args)
            )));
        };
        let range = self.eval_range(&p.range)?;
        let cmd = Cmd { name, range, bang: p.bang, args: &p.args };
        self.dispatch(&cmd)
    }

    /// Runs a command of the command host (a plugin command), if it has one named `name`; the
    /// host is taken out meanwhile, so a plugin command can't re-enter plugin commands.
    fn run_host_command(&mut self, name: &str, bang: bool, args: &str) -> Option<Result<(), ExError>> {
        if !self.command_host.as_ref().is_some_and(|h| h.has_command(name)) {
            return None;
        }
        if bang {
            return Some(Err(ExError::NoBangAllowed));
        }
        let mut host = self.command_host.take()?;
        let result = host.run_command(self, name, args).map_err(ExError::Msg);
        self.command_host = Some(host);
        Some(result)
    }

    fn dispatch(&mut self, c: &Cmd<'_>) -> Result<(), ExError> {
        match c.name {
            "write" | "wall" | "wq" | "wqall" | "xit" | "exit" | "xall" | "update" | "quit" | "quitall" | "qall"
            | "cquit" | "edit" | "enew" | "read" | "file" | "buffer" | "bnext" | "bNext" | "bprevious" | "bfirst"
            | "blast" | "buffers" | "files" | "ls" | "bdelete" | "bwipeout" | "pwd" | "cd" | "source" => {
                self.file_command(c)
            }
            "delete" | "yank" | "move" | "copy" | "t" | "join" | "<" | ">" | "k" | "mark" | "put" | "undo" | "redo"
            | "earlier" | "later" | "print" | "list" | "number" | "#" | "=" | "append" | "insert" | "change" => {
                self.lines_command(c)
            }
            "substitute" | "&" | "&&" | "~" | "global" | "vglobal" => self.substitute_command(c),
            "lua" | "luafile" | "packadd" | "runtime" => self.script_command(c.name, c.bang, c.args),
            "split" | "vsplit" | "new" | "vnew" | "close" | "only" | "resize" | "vertical" | "wincmd" | "tabnew"
            | "tabedit" | "tabclose" | "tabonly" | "tabnext" | "tabNext" | "tabprevious" | "tabfirst" | "tablast"
            | "highlight" => self.window_ex_command(c, false),
            "command" => self.command_command(c.args, c.bang),
            "delcommand" => self.delcommand_command(c.args),
            name if crate::vi::handles_ex(name) => self.vi_ex_command(c),
            _ => self.info_command(c),
        }
    }

    /// Evaluates a parsed range against the current buffer; no addresses means the current line.
    pub fn eval_range(&mut self, spec: &RangeSpec) -> Result<LineRange, ExError> {
        let cur = self.cursor().row + 1;
        if spec.addrs.is_empty() {
            return Ok(LineRange { start: cur, end: cur, given: 0 });
        }
        let mut lines = Vec::with_capacity(spec.addrs.len());
        let mut base_line = cur;
        for (sep, addr) in &spec.addrs {
            if *sep == Separator::Semicolon {
                if let Some(&prev) = lines.last() {
                    base_line = prev;
                }
            }
            let n = self.eval_address(addr, base_line)?;
            lines.push(n);
        }
        let last_line = self.buf().line_count();
        let (start, end) = match lines.as_slice() {
            [one] => (*one, *one),
            [.., a, b] => (*a, *b),
            [] => (cur, cur),
        };
        if start > last_line || end > last_line {
            return Err(ExError::InvalidRange);
        }
        if start > end {
            return Err(ExError::BackwardsRange);
        }
        Ok(LineRange { start, end, given: lines.len().min(2) })
    }

    fn eval_address(&mut self, addr: &Address, cur: usize) -> Result<usize, ExError> {
        let last = self.buf().line_count() as i64;
        let base: i64 = match &addr.base {
            AddrBase::Current => cur as i64,
            AddrBase::Last => last,
            AddrBase::Line(n) => *n as i64,
            AddrBase::Mark(m) => (self.mark_line(*m)? + 1) as i64,
            AddrBase::Forward(p) | AddrBase::Backward(p) => {
                let forward = matches!(addr.base, AddrBase::Forward(_));
                let pat = if p.is_empty() {
                    self.search.last_pattern.clone().ok_or(ExError::NoPreviousRegex)?
                } else {
                    self.set_last_pattern(p);
                    p.clone()
                };
                (self.search_line(&pat, cur, forward)? + 1) as i64
            }
            AddrBase::NextLast | AddrBase::PrevLast => {
                let pat = self.search.last_pattern.clone().ok_or(ExError::NoPreviousRegex)?;
                (self.search_line(&pat, cur, matches!(addr.base, AddrBase::NextLast))? + 1) as i64
            }
            AddrBase::NextSubstitute => {
                let pat = self.search.last_substitute_pattern.clone().ok_or(ExError::NoPreviousRegex)?;
                (self.search_line(&pat, cur, true)? + 1) as i64
            }
        };
        let n = base.saturating_add(addr.offset);
        if n < 0 || n > last {
            return Err(ExError::InvalidRange);
        }
        Ok(n as usize)
    }

    /// Finds the line (0-based) of the next/previous match of `pat` starting from 1-based `cur`, the
    /// way ex addresses search: line-wise, wrapping when 'wrapscan' is set.
    fn search_line(&mut self, pat: &str, cur: usize, forward: bool) -> Result<usize, ExError> {
        let compiled = self.compile_pattern(pat)?;
        let count = self.buf().line_count();
        let wrapscan = self.opt("wrapscan").as_bool();
        let start = cur.saturating_sub(1);
        for step in 1..=count {
            let raw = if forward { start + step } else { start + count * 2 - step };
            if !wrapscan && ((forward && raw >= count) || (!forward && raw < count)) {
                break;
            }
            let row = raw % count;
            if compiled.is_match(&self.buf().line(row)) {
                return Ok(row);
            }
        }
        Err(ExError::PatternNotFound(pat.to_string()))
    }

    /// Compiles a Vim pattern with the current 'ignorecase', 'smartcase' and 'magic' settings.
    pub fn compile_pattern(&self, pat: &str) -> Result<rtdvi_core::pattern::Pattern, ExError> {
        let opts = rtdvi_core::pattern::PatternOptions {
            ignorecase: self.opt("ignorecase").as_bool(),
            smartcase: self.opt("smartcase").as_bool(),
            magic: self.opt("magic").as_bool(),
            last_substitute: self.search.last_replacement.clone(),
        };
        Ok(rtdvi_core::pattern::Pattern::new(pat, &opts)?)
    }

    /// The line (0-based) of a mark, for ex addresses.
    pub fn mark_line(&self, m: char) -> Result<usize, ExError> {
        let pos = match m {
            '\'' | '`' => self.buf().mark('\'').or(Some(0)),
            _ => self.buf().mark(m),
        };
        let pos = pos.ok_or(ExError::MarkNotSet)?;
        Ok(self.buf().char_to_pos(pos).0)
    }

    /// Remembers the cursor line for `''` before a jump.
    pub fn push_jump(&mut self) {
        let pos = self.cursor_char();
        self.buf_mut().set_mark('\'', pos);
    }
}

fn spaced(args: &str) -> String {
    if args.is_empty() {
        String::new()
    } else {
        format!(" {args}")
    }
}

fn range_text(_r: &RangeSpec) -> String {
    String::new()
}

/// Splits an optional register name and count off a line command's argument (`:d a 3`).
pub(crate) fn register_and_count(args: &str, allow_register: bool) -> Result<(Option<char>, Option<usize>), ExError> {
    let mut rest = args.trim();
    let mut reg = None;
    if allow_register {
        if let Some(c) = rest.chars().next() {
            if !c.is_ascii_digit() && crate::registers::is_valid_name(c) {
                reg = Some(c);
                rest = rest[c.len_utf8()..].trim_start();
            }
        }
    }
    if rest.is_empty() {
        return Ok((reg, None));
    }
    let end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    if end == 0 {
        return Err(ExError::Trailing(rest.to_string()));
    }
    let n: usize = rest[..end].parse().map_err(|_| ExError::InvalidRange)?;
    if n == 0 {
        return Err(ExError::Msg("E939: Positive count required".into()));
    }
    if !rest[end..].trim().is_empty() {
        return Err(ExError::Trailing(rest[end..].trim().to_string()));
    }
    Ok((reg, Some(n)))
}

impl LineRange {
    /// Applies a trailing count the way Vim does: the range becomes `end .. end+count-1`.
    pub fn with_count(self, count: Option<usize>, last_line: usize) -> LineRange {
        match count {
            Some(n) => {
                let start = self.end;
                LineRange { start, end: (start + n - 1).min(last_line), given: 2 }
            }
            None => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations() {
        assert_eq!(resolve_name("w"), Some("write"));
        assert_eq!(resolve_name("wq"), Some("wq"));
        assert_eq!(resolve_name("s"), Some("substitute"));
        assert_eq!(resolve_name("se"), Some("set"));
        assert_eq!(resolve_name("setl"), Some("setlocal"));
        assert_eq!(resolve_name("d"), Some("delete"));
        assert_eq!(resolve_name("di"), Some("display"));
        assert_eq!(resolve_name("co"), Some("copy"));
        assert_eq!(resolve_name("c"), Some("change"));
        assert_eq!(resolve_name("e"), Some("edit"));
        assert_eq!(resolve_name("ec"), Some("echo"));
        assert_eq!(resolve_name("q"), Some("quit"));
        assert_eq!(resolve_name("qa"), Some("qall"));
        assert_eq!(resolve_name("x"), Some("xit"));
        assert_eq!(resolve_name("u"), Some("undo"));
        assert_eq!(resolve_name("red"), Some("redo"));
        assert_eq!(resolve_name("re"), Some("read"));
        assert_eq!(resolve_name("noh"), Some("nohlsearch"));
        assert_eq!(resolve_name("b"), Some("buffer"));
        assert_eq!(resolve_name("bn"), Some("bnext"));
        assert_eq!(resolve_name("bp"), Some("bprevious"));
        assert_eq!(resolve_name("bd"), Some("bdelete"));
        assert_eq!(resolve_name("j"), Some("join"));
        assert_eq!(resolve_name("m"), Some("move"));
        assert_eq!(resolve_name("ma"), Some("mark"));
        assert_eq!(resolve_name("mes"), Some("messages"));
        assert_eq!(resolve_name("reg"), Some("registers"));
        assert_eq!(resolve_name("foo"), None);
        assert_eq!(resolve_name("g"), Some("global"));
        assert_eq!(resolve_name("v"), Some("vglobal"));
        assert_eq!(resolve_name("r"), Some("read"));
        assert_eq!(resolve_name("f"), Some("file"));
        assert_eq!(resolve_name("p"), Some("print"));
        assert_eq!(resolve_name("pu"), Some("put"));
        assert_eq!(resolve_name("y"), Some("yank"));
    }

    #[test]
    fn register_and_count_parsing() {
        assert_eq!(register_and_count("", true).unwrap(), (None, None));
        assert_eq!(register_and_count("a", true).unwrap(), (Some('a'), None));
        assert_eq!(register_and_count("a 3", true).unwrap(), (Some('a'), Some(3)));
        assert_eq!(register_and_count("3", true).unwrap(), (None, Some(3)));
        assert!(register_and_count("3x", true).is_err());
        assert!(register_and_count("0", true).is_err());
    }
}
