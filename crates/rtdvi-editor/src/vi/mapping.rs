//! Key mappings: storage per mode, lookup against typed keys, and the `:map` command family.
//!
//! A mapping's right-hand side is either keys or a host callback ([`CallbackId`]) so that Lua
//! functions can be attached by the plugin host (`vim.keymap.set` with a function). `<expr>`
//! mappings are stored; evaluating them needs the expression layer or the host, and until one is
//! attached they expand to nothing.

use std::collections::BTreeMap;

use crate::buffer::BufferId;
use crate::events::CallbackId;
use crate::keys::{key_notation, parse_keys_with, Key};

/// The modes a mapping applies in, as Vim's mode letters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MapMode {
    /// `n`.
    Normal,
    /// `x`.
    Visual,
    /// `s`.
    Select,
    /// `o`.
    OpPending,
    /// `i`.
    Insert,
    /// `c`.
    Cmdline,
    /// `t`.
    Terminal,
    /// `l`.
    LangArg,
}

impl MapMode {
    /// Vim's letter for the mode.
    pub fn letter(self) -> char {
        match self {
            MapMode::Normal => 'n',
            MapMode::Visual => 'x',
            MapMode::Select => 's',
            MapMode::OpPending => 'o',
            MapMode::Insert => 'i',
            MapMode::Cmdline => 'c',
            MapMode::Terminal => 't',
            MapMode::LangArg => 'l',
        }
    }

    /// The modes a `:map` command prefix covers (`""` for `:map`, `"n"`, `"v"`, `"!"` ...).
    pub fn from_prefix(prefix: &str) -> Option<Vec<MapMode>> {
        use MapMode::*;
        Some(match prefix {
            "" => vec![Normal, Visual, Select, OpPending],
            "n" => vec![Normal],
            "v" => vec![Visual, Select],
            "x" => vec![Visual],
            "s" => vec![Select],
            "o" => vec![OpPending],
            "i" => vec![Insert],
            "c" => vec![Cmdline],
            "t" => vec![Terminal],
            "l" => vec![LangArg],
            "!" => vec![Insert, Cmdline],
            "ic" => vec![Insert, Cmdline],
            _ => return None,
        })
    }
}

/// What a mapping produces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MapRhs {
    /// Keys (fed back as typeahead).
    Keys(Vec<Key>),
    /// A host callback (a Lua function): the host runs it when the mapping triggers.
    Callback(CallbackId),
}

/// One mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapping {
    /// The keys that trigger it.
    pub lhs: Vec<Key>,
    /// What it produces.
    pub rhs: MapRhs,
    /// The right-hand side as typed (for listings and `maparg()`).
    pub rhs_text: String,
    /// `noremap`.
    pub noremap: bool,
    /// `<silent>`.
    pub silent: bool,
    /// `<nowait>`.
    pub nowait: bool,
    /// `<expr>`.
    pub expr: bool,
    /// `<unique>` was given.
    pub unique: bool,
    /// A description (`desc` from the API).
    pub desc: Option<String>,
}

/// Errors of the map commands, with Vim's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    /// E31.
    #[error("E31: No such mapping")]
    NoSuchMapping,
    /// E227.
    #[error("E227: Mapping already exists for {0}")]
    Exists(String),
    /// E474.
    #[error("E474: Invalid argument")]
    Invalid,
}

/// The outcome of looking keys up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// No mapping starts with these keys.
    None,
    /// A mapping matches the start of the keys fully (and nothing longer could match).
    Full(Mapping),
    /// The keys are a prefix of a mapping: wait for more; `Some` is a full match usable on timeout.
    Partial(Option<Mapping>),
}

/// All mappings: global ones and buffer-local ones, per mode.
#[derive(Clone, Debug, Default)]
pub struct Mappings {
    global: BTreeMap<MapMode, Vec<Mapping>>,
    local: BTreeMap<(BufferId, MapMode), Vec<Mapping>>,
}

impl Mappings {
    /// Adds or replaces a mapping in each of `modes` (buffer-local with `buffer`).
    pub fn set(&mut self, modes: &[MapMode], buffer: Option<BufferId>, m: Mapping) -> Result<(), MapError> {
        for mode in modes {
            let list = match buffer {
                Some(b) => self.local.entry((b, *mode)).or_default(),
                None => self.global.entry(*mode).or_default(),
            };
            if let Some(old) = list.iter_mut().find(|x| x.lhs == m.lhs) {
                if m.unique {
                    return Err(MapError::Exists(key_notation(&m.lhs)));
                }
                *old = m.clone();
            } else {
                list.push(m.clone());
            }
        }
        Ok(())
    }

    /// Removes the mapping of `lhs` in `modes`; E31 if none was there.
    pub fn remove(&mut self, modes: &[MapMode], buffer: Option<BufferId>, lhs: &[Key]) -> Result<(), MapError> {
        let mut found = false;
        for mode in modes {
            let list = match buffer {
                Some(b) => self.local.get_mut(&(b, *mode)),
                None => self.global.get_mut(mode),
            };
            if let Some(list) = list {
                let before = list.len();
                // Vim also unmaps by rhs when no lhs matches; lhs is what matters in practice.
                list.retain(|x| x.lhs != lhs);
                found |= list.len() != before;
            }
        }
        if found {
            Ok(())
        } else {
            Err(MapError::NoSuchMapping)
        }
    }

    /// Removes every mapping of `modes` (`:mapclear`).
    pub fn clear(&mut self, modes: &[MapMode], buffer: Option<BufferId>) {
        for mode in modes {
            match buffer {
                Some(b) => {
                    self.local.remove(&(b, *mode));
                }
                None => {
                    self.global.remove(mode);
                }
            }
        }
    }

    /// Drops the mappings of a buffer that is going away.
    pub fn remove_buffer(&mut self, buffer: BufferId) {
        self.local.retain(|(b, _), _| *b != buffer);
    }

    /// The mapping of exactly `lhs` in `mode` (buffer-local first), for `maparg()`.
    pub fn get(&self, mode: MapMode, buffer: Option<BufferId>, lhs: &[Key]) -> Option<&Mapping> {
        let local = buffer.and_then(|b| self.local.get(&(b, mode))).and_then(|l| l.iter().find(|m| m.lhs == lhs));
        local.or_else(|| self.global.get(&mode).and_then(|l| l.iter().find(|m| m.lhs == lhs)))
    }

    /// Every mapping of `mode` visible in `buffer` (local ones first), for listings.
    pub fn list(&self, mode: MapMode, buffer: Option<BufferId>) -> Vec<&Mapping> {
        let mut out: Vec<&Mapping> = Vec::new();
        if let Some(l) = buffer.and_then(|b| self.local.get(&(b, mode))) {
            out.extend(l.iter());
        }
        if let Some(l) = self.global.get(&mode) {
            out.extend(l.iter());
        }
        out
    }

    /// The mappings of one scope only: global ones (`None`) or those local to a buffer.
    pub fn scope(&self, mode: MapMode, buffer: Option<BufferId>) -> &[Mapping] {
        let list = match buffer {
            Some(b) => self.local.get(&(b, mode)),
            None => self.global.get(&mode),
        };
        list.map_or(&[], Vec::as_slice)
    }

    /// Whether any mapping exists for `mode` (a fast path for typing).
    pub fn any(&self, mode: MapMode, buffer: BufferId) -> bool {
        self.global.get(&mode).is_some_and(|l| !l.is_empty())
            || self.local.get(&(buffer, mode)).is_some_and(|l| !l.is_empty())
    }

    /// Looks up the typed keys: buffer-local mappings take precedence over global ones (Vim checks
    /// local first and uses a local full match even when a global mapping is longer).
    pub fn lookup(&self, mode: MapMode, buffer: BufferId, keys: &[Key]) -> Lookup {
        let scopes = [self.local.get(&(buffer, mode)), self.global.get(&mode)];
        let mut partial = false;
        let mut best: Option<&Mapping> = None;
        for list in scopes.into_iter().flatten() {
            for m in list {
                if m.lhs.is_empty() {
                    continue;
                }
                if m.lhs.len() <= keys.len() {
                    if keys[..m.lhs.len()] == m.lhs[..] && best.is_none_or(|b| m.lhs.len() > b.lhs.len()) {
                        best = Some(m);
                    }
                } else if m.lhs[..keys.len()] == keys[..] {
                    partial = true;
                }
            }
            if best.is_some() && !partial {
                break;
            }
        }
        match (best, partial) {
            (None, false) => Lookup::None,
            (Some(m), false) => Lookup::Full(m.clone()),
            (Some(m), true) if m.nowait => Lookup::Full(m.clone()),
            (b, true) => Lookup::Partial(b.cloned()),
        }
    }
}

/// A parsed `:map` argument list: flags, lhs and rhs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MapArgs {
    /// `<buffer>`.
    pub buffer: bool,
    /// `<silent>`.
    pub silent: bool,
    /// `<nowait>`.
    pub nowait: bool,
    /// `<expr>`.
    pub expr: bool,
    /// `<unique>`.
    pub unique: bool,
    /// The lhs text.
    pub lhs: String,
    /// The rhs text (may be empty).
    pub rhs: String,
}

/// Splits `:map` arguments: leading `<buffer>` etc., then the lhs up to an unescaped blank, then
/// the rest (with `<Bar>` and `\|` as written; a plain `|` ended the command before we got here).
pub fn parse_map_args(args: &str) -> MapArgs {
    let mut a = MapArgs::default();
    let mut rest = args.trim_start();
    loop {
        let lower = rest.to_ascii_lowercase();
        let flag = ["<buffer>", "<silent>", "<nowait>", "<expr>", "<unique>", "<special>", "<script>"]
            .into_iter()
            .find(|f| lower.starts_with(f));
        let Some(f) = flag else { break };
        match f {
            "<buffer>" => a.buffer = true,
            "<silent>" => a.silent = true,
            "<nowait>" => a.nowait = true,
            "<expr>" => a.expr = true,
            "<unique>" => a.unique = true,
            _ => {}
        }
        rest = rest[f.len()..].trim_start();
    }
    // The lhs ends at the first blank not escaped by a backslash or <C-v>.
    let mut lhs = String::new();
    let mut chars = rest.char_indices().peekable();
    let mut end = rest.len();
    while let Some((i, c)) = chars.next() {
        if c == ' ' || c == '\t' {
            end = i;
            break;
        }
        if (c == '\\' || c == '\x16') && chars.peek().is_some() {
            if let Some((_, n)) = chars.next() {
                if c == '\\' && n != ' ' && n != '\t' {
                    lhs.push('\\');
                }
                lhs.push(n);
            }
            continue;
        }
        lhs.push(c);
    }
    a.lhs = lhs;
    a.rhs = rest[end..].trim_start_matches([' ', '\t']).to_string();
    a
}

/// Keys of a mapping side, with the leader taken from `g:mapleader` / `g:maplocalleader`.
pub fn map_keys(text: &str, leader: &str, localleader: &str) -> Vec<Key> {
    parse_keys_with(text, leader, localleader)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::parse_keys;

    fn m(lhs: &str, rhs: &str) -> Mapping {
        Mapping {
            lhs: parse_keys(lhs),
            rhs: MapRhs::Keys(parse_keys(rhs)),
            rhs_text: rhs.into(),
            noremap: false,
            silent: false,
            nowait: false,
            expr: false,
            unique: false,
            desc: None,
        }
    }

    #[test]
    fn lookup_full_partial_none() {
        let mut maps = Mappings::default();
        maps.set(&[MapMode::Normal], None, m("ab", "x")).unwrap();
        maps.set(&[MapMode::Normal], None, m("a", "y")).unwrap();
        let b = BufferId(1);
        assert!(matches!(maps.lookup(MapMode::Normal, b, &parse_keys("a")), Lookup::Partial(Some(_))));
        assert!(matches!(maps.lookup(MapMode::Normal, b, &parse_keys("ab")), Lookup::Full(_)));
        match maps.lookup(MapMode::Normal, b, &parse_keys("ac")) {
            Lookup::Full(x) => assert_eq!(x.rhs_text, "y"),
            other => panic!("{other:?}"),
        }
        assert_eq!(maps.lookup(MapMode::Normal, b, &parse_keys("z")), Lookup::None);
        assert_eq!(maps.lookup(MapMode::Insert, b, &parse_keys("a")), Lookup::None);
        maps.remove(&[MapMode::Normal], None, &parse_keys("a")).unwrap();
        assert_eq!(maps.remove(&[MapMode::Normal], None, &parse_keys("a")), Err(MapError::NoSuchMapping));
    }

    #[test]
    fn buffer_local_wins() {
        let mut maps = Mappings::default();
        maps.set(&[MapMode::Normal], None, m("x", "global")).unwrap();
        maps.set(&[MapMode::Normal], Some(BufferId(2)), m("x", "local")).unwrap();
        match maps.lookup(MapMode::Normal, BufferId(2), &parse_keys("x")) {
            Lookup::Full(x) => assert_eq!(x.rhs_text, "local"),
            other => panic!("{other:?}"),
        }
        match maps.lookup(MapMode::Normal, BufferId(1), &parse_keys("x")) {
            Lookup::Full(x) => assert_eq!(x.rhs_text, "global"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn map_args() {
        let a = parse_map_args("<buffer> <silent> ,w :w<CR>");
        assert!(a.buffer && a.silent);
        assert_eq!(a.lhs, ",w");
        assert_eq!(a.rhs, ":w<CR>");
        let a = parse_map_args("a\\ b c");
        assert_eq!(a.lhs, "a b");
        assert_eq!(a.rhs, "c");
    }
}
