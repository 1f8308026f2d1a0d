//! Vim options: the table of known options, their three scopes and `:set` parsing.
//!
//! Every option has one definition in [`OPTIONS`] (name, abbreviation, type, scope, default). Values live
//! in three kinds of [`OptionStore`]: the editor's global store (which holds the *global* value of every
//! option, including the global value of local options that new buffers and windows copy), and one store
//! per buffer and per window for the local values. Global-local options (Vim's "global or local") keep an
//! unset local value until `:setlocal` gives them one.

use std::fmt;

/// Where an option's value lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// One value for the whole editor.
    Global,
    /// One value per buffer (copied from the global value when the buffer is created).
    Buffer,
    /// One value per window (copied from the global value when the window is created).
    Window,
    /// A global value that a buffer may override with `:setlocal`.
    GlobalOrBuffer,
    /// A global value that a window may override with `:setlocal`.
    GlobalOrWindow,
}

/// The value type of an option, with how `+=`, `-=` and `^=` treat strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// On/off.
    Bool,
    /// A whole number.
    Number,
    /// A free-form string.
    String,
    /// A comma-separated list (`+=` adds `,item`, `-=` removes an item).
    CommaList,
    /// A list of single-character flags (`+=` adds flags, `-=` removes them).
    FlagList,
}

/// A typed option value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptionValue {
    /// A boolean option.
    Bool(bool),
    /// A number option.
    Number(i64),
    /// A string (or list) option.
    String(String),
}

impl OptionValue {
    /// The boolean value, or `false` for other types.
    pub fn as_bool(&self) -> bool {
        matches!(self, OptionValue::Bool(true))
    }
    /// The number value, or 0 for other types.
    pub fn as_number(&self) -> i64 {
        match self {
            OptionValue::Number(n) => *n,
            OptionValue::Bool(b) => i64::from(*b),
            OptionValue::String(_) => 0,
        }
    }
    /// The string value (numbers and booleans formatted as Vim's `&opt` would).
    pub fn as_str(&self) -> std::borrow::Cow<'_, str> {
        match self {
            OptionValue::String(s) => std::borrow::Cow::Borrowed(s.as_str()),
            OptionValue::Number(n) => std::borrow::Cow::Owned(n.to_string()),
            OptionValue::Bool(b) => std::borrow::Cow::Owned(i64::from(*b).to_string()),
        }
    }
}

impl fmt::Display for OptionValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str())
    }
}

/// How a string option's value is checked before it is accepted.
#[derive(Clone, Copy, Debug)]
pub enum Check {
    /// Any value.
    Any,
    /// One of a fixed set of words.
    OneOf(&'static [&'static str]),
    /// Every comma-separated item is one of these words (an empty value is fine).
    EachOf(&'static [&'static str]),
    /// A number that must be at least this.
    AtLeast(i64),
}

/// The definition of one option.
#[derive(Debug)]
pub struct OptionDef {
    /// Full name (`tabstop`).
    pub name: &'static str,
    /// Abbreviation (`ts`), or "" when there is none.
    pub short: &'static str,
    /// Value type.
    pub kind: Kind,
    /// Scope.
    pub scope: Scope,
    /// Neovim's default.
    pub default: DefaultValue,
    /// Validation of new values.
    pub check: Check,
    /// Set only by the editor itself (`:set` refuses with E519-like errors).
    pub read_only: bool,
}

/// A default value in the static table.
#[derive(Debug, Clone, Copy)]
pub enum DefaultValue {
    /// Boolean default.
    Bool(bool),
    /// Number default.
    Number(i64),
    /// String default.
    Str(&'static str),
}

impl DefaultValue {
    fn value(self) -> OptionValue {
        match self {
            DefaultValue::Bool(b) => OptionValue::Bool(b),
            DefaultValue::Number(n) => OptionValue::Number(n),
            DefaultValue::Str(s) => OptionValue::String(s.to_string()),
        }
    }
}

macro_rules! opts {
    ($( $name:literal $short:literal $kind:ident $scope:ident $default:expr, $check:expr, $ro:literal; )*) => {
        /// Every option rtdvi knows, in alphabetical order of full name.
        pub static OPTIONS: &[OptionDef] = &[
            $( OptionDef { name: $name, short: $short, kind: Kind::$kind, scope: Scope::$scope,
                           default: $default, check: $check, read_only: $ro }, )*
        ];
    };
}

use Check::{Any, AtLeast, EachOf, OneOf};
use DefaultValue::{Bool as B, Number as N, Str as S};

opts! {
    "autoindent" "ai" Bool Buffer B(true), Any, false;
    "autoread" "ar" Bool GlobalOrBuffer B(true), Any, false;
    "autowrite" "aw" Bool Global B(false), Any, false;
    "background" "bg" String Global S("dark"), OneOf(&["dark", "light"]), false;
    "backspace" "bs" CommaList Global S("indent,eol,start"), EachOf(&["indent", "eol", "start", "nostop"]), false;
    "backup" "bk" Bool Global B(false), Any, false;
    "bomb" "" Bool Buffer B(false), Any, false;
    "breakindent" "bri" Bool Window B(false), Any, false;
    "bufhidden" "bh" String Buffer S(""), OneOf(&["", "hide", "unload", "delete", "wipe"]), false;
    "buflisted" "bl" Bool Buffer B(true), Any, false;
    "buftype" "bt" String Buffer S(""), OneOf(&["", "acwrite", "help", "nofile", "nowrite", "quickfix", "terminal", "prompt"]), false;
    "cindent" "cin" Bool Buffer B(false), Any, false;
    "clipboard" "cb" CommaList Global S(""), EachOf(&["unnamed", "unnamedplus"]), false;
    "cmdheight" "ch" Number Global N(1), AtLeast(0), false;
    "colorcolumn" "cc" CommaList Window S(""), Any, false;
    "columns" "co" Number Global N(80), AtLeast(12), false;
    "comments" "com" CommaList Buffer S("s1:/*,mb:*,ex:*/,://,b:#,:%,:XCOMM,n:>,fb:-,fb:•"), Any, false;
    "commentstring" "cms" String Buffer S(""), Any, false;
    "completeopt" "cot" CommaList GlobalOrBuffer S("menu,preview"), Any, false;
    "copyindent" "ci" Bool Buffer B(false), Any, false;
    "cpoptions" "cpo" FlagList Global S("aABceFs_"), Any, false;
    "cursorcolumn" "cuc" Bool Window B(false), Any, false;
    "cursorline" "cul" Bool Window B(false), Any, false;
    "encoding" "enc" String Global S("utf-8"), Any, true;
    "endofline" "eol" Bool Buffer B(true), Any, false;
    "equalalways" "ea" Bool Global B(true), Any, false;
    "expandtab" "et" Bool Buffer B(false), Any, false;
    "fileencoding" "fenc" String Buffer S(""), OneOf(&["", "utf-8", "utf8"]), false;
    "fileformat" "ff" String Buffer S("unix"), OneOf(&["unix", "dos", "mac"]), false;
    "fileformats" "ffs" CommaList Global S("unix,dos"), EachOf(&["unix", "dos", "mac"]), false;
    "filetype" "ft" String Buffer S(""), Any, false;
    "fillchars" "fcs" CommaList GlobalOrWindow S(""), Any, false;
    "fixendofline" "fixeol" Bool Buffer B(true), Any, false;
    "foldenable" "fen" Bool Window B(true), Any, false;
    "foldlevel" "fdl" Number Window N(0), AtLeast(0), false;
    "foldmethod" "fdm" String Window S("manual"), OneOf(&["manual", "indent", "expr", "marker", "syntax", "diff"]), false;
    "formatoptions" "fo" FlagList Buffer S("tcqj"), Any, false;
    "gdefault" "gd" Bool Global B(false), Any, false;
    "hidden" "hid" Bool Global B(true), Any, false;
    "history" "hi" Number Global N(10000), AtLeast(0), false;
    "hlsearch" "hls" Bool Global B(true), Any, false;
    "ignorecase" "ic" Bool Global B(false), Any, false;
    "incsearch" "is" Bool Global B(true), Any, false;
    "indentexpr" "inde" String Buffer S(""), Any, false;
    "iskeyword" "isk" CommaList Buffer S("@,48-57,_,192-255"), Any, false;
    "joinspaces" "js" Bool Global B(false), Any, false;
    "laststatus" "ls" Number Global N(2), AtLeast(0), false;
    "linebreak" "lbr" Bool Window B(false), Any, false;
    "lines" "" Number Global N(24), AtLeast(2), false;
    "list" "" Bool Window B(false), Any, false;
    "listchars" "lcs" CommaList GlobalOrWindow S("tab:> ,trail:-,nbsp:+"), Any, false;
    "magic" "" Bool Global B(true), Any, false;
    "matchpairs" "mps" CommaList Buffer S("(:),{:},[:]"), Any, false;
    "modeline" "ml" Bool Buffer B(false), Any, false;
    "modelines" "mls" Number Global N(5), AtLeast(0), false;
    "modifiable" "ma" Bool Buffer B(true), Any, false;
    "modified" "mod" Bool Buffer B(false), Any, false;
    "more" "" Bool Global B(true), Any, false;
    "mouse" "" FlagList Global S("nvi"), Any, false;
    "nrformats" "nf" CommaList Buffer S("bin,hex"), EachOf(&["alpha", "octal", "hex", "bin", "unsigned", "blank"]), false;
    "number" "nu" Bool Window B(false), Any, false;
    "numberwidth" "nuw" Number Window N(4), AtLeast(1), false;
    "operatorfunc" "opfunc" String Global S(""), Any, false;
    "packpath" "pp" CommaList Global S(""), Any, false;
    "readonly" "ro" Bool Buffer B(false), Any, false;
    "relativenumber" "rnu" Bool Window B(false), Any, false;
    "report" "" Number Global N(2), AtLeast(0), false;
    "ruler" "ru" Bool Global B(true), Any, false;
    "runtimepath" "rtp" CommaList Global S(""), Any, false;
    "scrolloff" "so" Number GlobalOrWindow N(0), AtLeast(0), false;
    "selection" "sel" String Global S("inclusive"), OneOf(&["inclusive", "exclusive", "old"]), false;
    "shell" "sh" String Global S("sh"), Any, false;
    "shiftround" "sr" Bool Global B(false), Any, false;
    "shiftwidth" "sw" Number Buffer N(8), AtLeast(0), false;
    "shortmess" "shm" FlagList Global S("ltToOCF"), Any, false;
    "showbreak" "sbr" String GlobalOrWindow S(""), Any, false;
    "showcmd" "sc" Bool Global B(true), Any, false;
    "showmode" "smd" Bool Global B(true), Any, false;
    "showtabline" "stal" Number Global N(1), AtLeast(0), false;
    "sidescroll" "ss" Number Global N(0), AtLeast(0), false;
    "sidescrolloff" "siso" Number GlobalOrWindow N(0), AtLeast(0), false;
    "signcolumn" "scl" String Window S("auto"), Any, false;
    "smartcase" "scs" Bool Global B(false), Any, false;
    "smartindent" "si" Bool Buffer B(false), Any, false;
    "smarttab" "sta" Bool Global B(true), Any, false;
    "softtabstop" "sts" Number Buffer N(0), Any, false;
    "splitbelow" "sb" Bool Global B(false), Any, false;
    "splitright" "spr" Bool Global B(false), Any, false;
    "startofline" "sol" Bool Global B(false), Any, false;
    "statusline" "stl" String GlobalOrWindow S(""), Any, false;
    "swapfile" "swf" Bool Buffer B(true), Any, false;
    "tabline" "tal" String Global S(""), Any, false;
    "tabstop" "ts" Number Buffer N(8), AtLeast(1), false;
    "termguicolors" "tgc" Bool Global B(false), Any, false;
    "textwidth" "tw" Number Buffer N(0), AtLeast(0), false;
    "tildeop" "top" Bool Global B(false), Any, false;
    "timeout" "to" Bool Global B(true), Any, false;
    "timeoutlen" "tm" Number Global N(1000), AtLeast(0), false;
    "title" "" Bool Global B(false), Any, false;
    "ttimeout" "" Bool Global B(true), Any, false;
    "ttimeoutlen" "ttm" Number Global N(50), Any, false;
    "undofile" "udf" Bool Buffer B(false), Any, false;
    "undolevels" "ul" Number GlobalOrBuffer N(1000), Any, false;
    "updatetime" "ut" Number Global N(4000), AtLeast(0), false;
    "virtualedit" "ve" CommaList GlobalOrWindow S(""), EachOf(&["block", "insert", "all", "onemore", "none", "NONE"]), false;
    "whichwrap" "ww" CommaList Global S("b,s"), Any, false;
    "wildmenu" "wmnu" Bool Global B(true), Any, false;
    "wildmode" "wim" CommaList Global S("full"), Any, false;
    "winheight" "wh" Number Global N(1), AtLeast(1), false;
    "winwidth" "wiw" Number Global N(20), AtLeast(1), false;
    "wrap" "" Bool Window B(true), Any, false;
    "wrapscan" "ws" Bool Global B(true), Any, false;
    "write" "" Bool Global B(true), Any, false;
    "writeany" "wa" Bool Global B(false), Any, false;
    "writebackup" "wb" Bool Global B(true), Any, false;
}

/// Index of an option in [`OPTIONS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OptionId(pub u16);

impl OptionId {
    /// The option's definition.
    pub fn def(self) -> &'static OptionDef {
        &OPTIONS[usize::from(self.0)]
    }
}

/// Finds an option by full name or abbreviation.
pub fn lookup(name: &str) -> Option<OptionId> {
    if name.is_empty() {
        return None;
    }
    // Looked up on every key press: index the table once instead of scanning ~200 names.
    static INDEX: std::sync::OnceLock<std::collections::HashMap<&'static str, OptionId>> = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut m = std::collections::HashMap::new();
        // Later entries never shadow earlier ones, as the linear search this replaces found the first.
        for (i, d) in OPTIONS.iter().enumerate().rev() {
            if let Ok(i) = u16::try_from(i) {
                if !d.short.is_empty() {
                    m.insert(d.short, OptionId(i));
                }
                m.insert(d.name, OptionId(i));
            }
        }
        m
    });
    index.get(name).copied()
}

/// Looks up an option that must exist (a name from this crate's own code).
pub fn id(name: &str) -> OptionId {
    // A typo here is a programming error caught by the tests that exercise every caller.
    lookup(name).unwrap_or_else(|| panic!("unknown built-in option name {name}"))
}

/// Errors from setting options, with Vim's message text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OptionError {
    /// E518.
    #[error("E518: Unknown option: {0}")]
    Unknown(String),
    /// E474.
    #[error("E474: Invalid argument: {0}")]
    InvalidArgument(String),
    /// E521.
    #[error("E521: Number required after =: {0}")]
    NumberRequired(String),
    /// E487.
    #[error("E487: Argument must be positive: {0}")]
    MustBePositive(String),
    /// E488.
    #[error("E488: Trailing characters: {0}")]
    Trailing(String),
    /// An option the editor owns.
    #[error("E519: Option not supported: {0}")]
    ReadOnly(String),
}

/// A set of option values (the global store has every option; local stores only local ones).
#[derive(Clone, Debug, Default)]
pub struct OptionStore {
    values: Vec<Option<OptionValue>>,
}

impl OptionStore {
    /// The global store with Neovim's defaults for every option.
    pub fn global_defaults() -> Self {
        OptionStore { values: OPTIONS.iter().map(|d| Some(d.default.value())).collect() }
    }

    /// A local store for a buffer or window, copying the global values of its scope's options.
    pub fn local_from(global: &OptionStore, window: bool) -> Self {
        let values = OPTIONS
            .iter()
            .enumerate()
            .map(|(i, d)| match (d.scope, window) {
                (Scope::Buffer, false) | (Scope::Window, true) => global.values.get(i).cloned().flatten(),
                _ => None,
            })
            .collect();
        OptionStore { values }
    }

    /// The stored value, if this store holds one.
    pub fn get(&self, id: OptionId) -> Option<&OptionValue> {
        self.values.get(usize::from(id.0)).and_then(Option::as_ref)
    }

    /// Stores a value (the caller has checked it).
    pub fn set(&mut self, id: OptionId, value: OptionValue) {
        let i = usize::from(id.0);
        if self.values.len() <= i {
            self.values.resize(i + 1, None);
        }
        self.values[i] = Some(value);
    }

    /// Forgets a local value (global-local options then follow the global value again).
    pub fn unset(&mut self, id: OptionId) {
        if let Some(v) = self.values.get_mut(usize::from(id.0)) {
            *v = None;
        }
    }
}

/// Which value `:set`, `:setlocal` or `:setglobal` touches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetScope {
    /// `:set`: local and global.
    Both,
    /// `:setlocal`.
    Local,
    /// `:setglobal`.
    Global,
}

/// One parsed item of a `:set` command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetItem {
    /// `:set` with no argument: show changed options.
    ShowChanged,
    /// `:set all`.
    ShowAll,
    /// `:set all&`.
    ResetAll,
    /// `opt?` (or `opt` for a non-boolean).
    Show(OptionId),
    /// `opt`, `noopt`, `invopt`, `opt!`.
    SetBool(OptionId, BoolAction),
    /// `opt&`, `opt&vim`.
    Reset(OptionId),
    /// `opt=val`, `opt:val`, `opt+=val`, `opt-=val`, `opt^=val`.
    Assign(OptionId, AssignOp, String),
}

/// What a boolean item does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoolAction {
    /// `opt`.
    On,
    /// `noopt`.
    Off,
    /// `invopt` / `opt!`.
    Toggle,
}

/// The operator of an assignment item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignOp {
    /// `=` or `:`.
    Set,
    /// `+=`.
    Add,
    /// `-=`.
    Remove,
    /// `^=`.
    Prepend,
}

/// Splits the argument of `:set` into items: whitespace separates items, `\ ` and `\\` escape.
fn split_set_args(args: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut cur = String::new();
    let mut chars = args.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n @ (' ' | '\\' | '"' | '|')) => cur.push(n),
                Some(n) => {
                    cur.push('\\');
                    cur.push(n);
                }
                None => cur.push('\\'),
            },
            ' ' | '\t' => {
                if !cur.is_empty() {
                    items.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        items.push(cur);
    }
    items
}

/// Parses the argument of `:set` (all items or the first error, so a bad item changes nothing).
pub fn parse_set(args: &str) -> Result<Vec<SetItem>, OptionError> {
    let words = split_set_args(args);
    if words.is_empty() {
        return Ok(vec![SetItem::ShowChanged]);
    }
    words.iter().map(|w| parse_set_item(w)).collect()
}

fn parse_set_item(word: &str) -> Result<SetItem, OptionError> {
    if word == "all" {
        return Ok(SetItem::ShowAll);
    }
    if word == "all&" {
        return Ok(SetItem::ResetAll);
    }
    let name_len = word.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(word.len());
    let (name, rest) = word.split_at(name_len);
    let (prefix, bare) = if let Some(b) = name.strip_prefix("no").filter(|b| lookup(name).is_none() && !b.is_empty()) {
        (BoolAction::Off, b)
    } else if let Some(b) = name.strip_prefix("inv").filter(|b| lookup(name).is_none() && !b.is_empty()) {
        (BoolAction::Toggle, b)
    } else {
        (BoolAction::On, name)
    };
    let id = lookup(bare).ok_or_else(|| OptionError::Unknown(word.to_string()))?;
    let def = id.def();
    let is_bool = def.kind == Kind::Bool;
    if prefix != BoolAction::On && !is_bool {
        return Err(OptionError::InvalidArgument(word.to_string()));
    }
    match rest {
        "" if is_bool => Ok(SetItem::SetBool(id, prefix)),
        "" => Ok(SetItem::Show(id)),
        "?" => Ok(SetItem::Show(id)),
        "!" if is_bool && prefix == BoolAction::On => Ok(SetItem::SetBool(id, BoolAction::Toggle)),
        "&" | "&vim" | "&vi" => Ok(SetItem::Reset(id)),
        _ => {
            let (op, value) = if let Some(v) = rest.strip_prefix("+=") {
                (AssignOp::Add, v)
            } else if let Some(v) = rest.strip_prefix("-=") {
                (AssignOp::Remove, v)
            } else if let Some(v) = rest.strip_prefix("^=") {
                (AssignOp::Prepend, v)
            } else if let Some(v) = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':')) {
                (AssignOp::Set, v)
            } else {
                return Err(OptionError::InvalidArgument(word.to_string()));
            };
            if is_bool || prefix != BoolAction::On {
                return Err(OptionError::InvalidArgument(word.to_string()));
            }
            Ok(SetItem::Assign(id, op, value.to_string()))
        }
    }
}

/// Computes the new value of `id` after `old <op> arg`, validating it (`word` is the item for messages).
pub fn assign(
    id: OptionId,
    old: &OptionValue,
    op: AssignOp,
    arg: &str,
    word: &str,
) -> Result<OptionValue, OptionError> {
    let def = id.def();
    if def.read_only {
        return Err(OptionError::ReadOnly(def.name.to_string()));
    }
    let new = match def.kind {
        Kind::Bool => return Err(OptionError::InvalidArgument(word.to_string())),
        Kind::Number => {
            let n = parse_number(arg).ok_or_else(|| OptionError::NumberRequired(word.to_string()))?;
            let old = old.as_number();
            OptionValue::Number(match op {
                AssignOp::Set => n,
                AssignOp::Add => old.saturating_add(n),
                AssignOp::Remove => old.saturating_sub(n),
                AssignOp::Prepend => old.saturating_mul(n),
            })
        }
        Kind::String => {
            let old = old.as_str();
            OptionValue::String(match op {
                AssignOp::Set => arg.to_string(),
                AssignOp::Add => format!("{old}{arg}"),
                AssignOp::Prepend => format!("{arg}{old}"),
                AssignOp::Remove => match old.find(arg) {
                    Some(i) if !arg.is_empty() => format!("{}{}", &old[..i], &old[i + arg.len()..]),
                    _ => old.into_owned(),
                },
            })
        }
        Kind::CommaList => {
            let old = old.as_str();
            let items: Vec<&str> = old.split(',').filter(|s| !s.is_empty()).collect();
            let present = items.contains(&arg);
            OptionValue::String(match op {
                AssignOp::Set => arg.to_string(),
                AssignOp::Add if present || arg.is_empty() => old.into_owned(),
                AssignOp::Add if items.is_empty() => arg.to_string(),
                AssignOp::Add => format!("{old},{arg}"),
                AssignOp::Prepend if present || arg.is_empty() => old.into_owned(),
                AssignOp::Prepend if items.is_empty() => arg.to_string(),
                AssignOp::Prepend => format!("{arg},{old}"),
                AssignOp::Remove => items.iter().filter(|s| **s != arg).copied().collect::<Vec<_>>().join(","),
            })
        }
        Kind::FlagList => {
            let old = old.as_str();
            OptionValue::String(match op {
                AssignOp::Set => arg.to_string(),
                AssignOp::Add => {
                    let mut s = old.into_owned();
                    for c in arg.chars() {
                        if !s.contains(c) {
                            s.push(c);
                        }
                    }
                    s
                }
                AssignOp::Prepend => {
                    let kept: String = old.chars().filter(|c| !arg.contains(*c)).collect();
                    format!("{arg}{kept}")
                }
                AssignOp::Remove => old.chars().filter(|c| !arg.contains(*c)).collect(),
            })
        }
    };
    validate(id, &new, word)?;
    Ok(new)
}

/// Parses a number the way `:set` accepts it (decimal, `0x` hex, leading `-`).
fn parse_number(s: &str) -> Option<i64> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s),
    };
    let n = if let Some(h) = digits.strip_prefix("0x").or_else(|| digits.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()?
    } else {
        digits.parse::<i64>().ok()?
    };
    Some(if neg { -n } else { n })
}

/// Checks a value against the option's rule.
pub fn validate(id: OptionId, value: &OptionValue, word: &str) -> Result<(), OptionError> {
    let def = id.def();
    match (def.check, value) {
        (Check::AtLeast(min), OptionValue::Number(n)) if *n < min => {
            if min > 0 && *n <= 0 {
                Err(OptionError::MustBePositive(word.to_string()))
            } else {
                Err(OptionError::InvalidArgument(word.to_string()))
            }
        }
        (Check::OneOf(words), OptionValue::String(s)) if !words.contains(&s.as_str()) => {
            Err(OptionError::InvalidArgument(word.to_string()))
        }
        (Check::EachOf(words), OptionValue::String(s))
            if s.split(',').any(|i| !i.is_empty() && !words.contains(&i)) =>
        {
            Err(OptionError::InvalidArgument(word.to_string()))
        }
        _ => Ok(()),
    }
}

/// Formats an option as `:set opt?` shows it (`  tabstop=8`, `nonumber`).
pub fn format_option(id: OptionId, value: &OptionValue) -> String {
    let name = id.def().name;
    match value {
        OptionValue::Bool(true) => format!("  {name}"),
        OptionValue::Bool(false) => format!("no{name}"),
        other => format!("  {name}={other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        for w in OPTIONS.windows(2) {
            assert!(w[0].name < w[1].name, "{} before {}", w[0].name, w[1].name);
        }
        let mut shorts: Vec<_> = OPTIONS.iter().map(|d| d.short).filter(|s| !s.is_empty()).collect();
        shorts.sort();
        let n = shorts.len();
        shorts.dedup();
        assert_eq!(n, shorts.len());
        for d in OPTIONS {
            assert!(lookup(d.name).is_some());
            assert!(validate(lookup(d.name).unwrap(), &d.default.value(), d.name).is_ok(), "{}", d.name);
        }
    }

    #[test]
    fn every_option_is_documented() {
        let doc = include_str!("../../../doc/options.md");
        for d in OPTIONS {
            assert!(doc.contains(&format!("| `{}` |", d.name)), "doc/options.md lacks {}", d.name);
        }
    }

    #[test]
    fn lookup_by_abbreviation() {
        assert_eq!(lookup("ts"), lookup("tabstop"));
        assert_eq!(lookup("sw").unwrap().def().name, "shiftwidth");
        assert!(lookup("nosuch").is_none());
    }

    #[test]
    fn parses_every_form() {
        let ts = id("tabstop");
        let nu = id("number");
        assert_eq!(parse_set("").unwrap(), vec![SetItem::ShowChanged]);
        assert_eq!(parse_set("nu").unwrap(), vec![SetItem::SetBool(nu, BoolAction::On)]);
        assert_eq!(parse_set("nonu").unwrap(), vec![SetItem::SetBool(nu, BoolAction::Off)]);
        assert_eq!(parse_set("invnumber").unwrap(), vec![SetItem::SetBool(nu, BoolAction::Toggle)]);
        assert_eq!(parse_set("nu!").unwrap(), vec![SetItem::SetBool(nu, BoolAction::Toggle)]);
        assert_eq!(parse_set("nu?").unwrap(), vec![SetItem::Show(nu)]);
        assert_eq!(parse_set("ts").unwrap(), vec![SetItem::Show(ts)]);
        assert_eq!(parse_set("ts&").unwrap(), vec![SetItem::Reset(ts)]);
        assert_eq!(
            parse_set("ts=4 sw+=2").unwrap(),
            vec![SetItem::Assign(ts, AssignOp::Set, "4".into()), SetItem::Assign(id("sw"), AssignOp::Add, "2".into())]
        );
        assert_eq!(parse_set("ts:3").unwrap(), vec![SetItem::Assign(ts, AssignOp::Set, "3".into())]);
        assert_eq!(parse_set("isk^=-").unwrap(), vec![SetItem::Assign(id("isk"), AssignOp::Prepend, "-".into())]);
        assert_eq!(parse_set(r"sbr=>\ ").unwrap(), vec![SetItem::Assign(id("sbr"), AssignOp::Set, "> ".into())]);
    }

    #[test]
    fn errors_have_vim_text() {
        assert_eq!(parse_set("foo").unwrap_err().to_string(), "E518: Unknown option: foo");
        assert_eq!(parse_set("nots").unwrap_err().to_string(), "E474: Invalid argument: nots");
        assert_eq!(parse_set("nu=3").unwrap_err().to_string(), "E474: Invalid argument: nu=3");
        let ts = id("ts");
        assert_eq!(
            assign(ts, &OptionValue::Number(8), AssignOp::Set, "x", "ts=x").unwrap_err().to_string(),
            "E521: Number required after =: ts=x"
        );
        assert_eq!(
            assign(ts, &OptionValue::Number(8), AssignOp::Set, "0", "ts=0").unwrap_err().to_string(),
            "E487: Argument must be positive: ts=0"
        );
        let ff = id("ff");
        assert!(assign(ff, &OptionValue::String("unix".into()), AssignOp::Set, "weird", "ff=weird").is_err());
    }

    #[test]
    fn list_arithmetic() {
        let isk = id("isk");
        let old = OptionValue::String("@,48-57".into());
        assert_eq!(assign(isk, &old, AssignOp::Add, "-", "").unwrap(), OptionValue::String("@,48-57,-".into()));
        assert_eq!(assign(isk, &old, AssignOp::Add, "@", "").unwrap(), old);
        assert_eq!(assign(isk, &old, AssignOp::Prepend, "-", "").unwrap(), OptionValue::String("-,@,48-57".into()));
        assert_eq!(assign(isk, &old, AssignOp::Remove, "@", "").unwrap(), OptionValue::String("48-57".into()));
        let fo = id("fo");
        let old = OptionValue::String("tcq".into());
        assert_eq!(assign(fo, &old, AssignOp::Add, "ro", "").unwrap(), OptionValue::String("tcqro".into()));
        assert_eq!(assign(fo, &old, AssignOp::Remove, "c", "").unwrap(), OptionValue::String("tq".into()));
        let ts = id("ts");
        assert_eq!(assign(ts, &OptionValue::Number(8), AssignOp::Prepend, "2", "").unwrap(), OptionValue::Number(16));
        assert_eq!(assign(ts, &OptionValue::Number(8), AssignOp::Remove, "3", "").unwrap(), OptionValue::Number(5));
    }
}
