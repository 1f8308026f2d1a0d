//! The event bus: Neovim's autocmd events, autocmd registration and matching.
//!
//! The editor fires events with [`crate::Editor::fire`]; this module only stores autocmds and decides
//! which ones match. Actions are ex commands (from `:autocmd`) or callbacks registered by a plugin host
//! (Lua functions, WASM plugins) and addressed by id, because plugins never hold references into the
//! editor across calls.

use std::fmt;
use std::str::FromStr;

use crate::buffer::BufferId;

macro_rules! events {
    ($($name:ident),* $(,)?) => {
        /// An autocmd event, named as in Neovim.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Event { $( #[allow(missing_docs)] $name, )* }

        impl Event {
            /// Every event.
            pub const ALL: &'static [Event] = &[$(Event::$name),*];
            /// Neovim's name of the event.
            pub fn name(self) -> &'static str {
                match self { $(Event::$name => stringify!($name),)* }
            }
        }
    };
}

events! {
    BufAdd, BufDelete, BufEnter, BufFilePost, BufFilePre, BufHidden, BufLeave, BufModifiedSet, BufNew,
    BufNewFile, BufReadPost, BufReadPre, BufUnload, BufWinEnter, BufWinLeave, BufWipeout, BufWritePost,
    BufWritePre, CmdlineEnter, CmdlineLeave, ColorScheme, CursorHold, CursorMoved, CursorMovedI, DirChanged,
    FileType, InsertCharPre, InsertEnter, InsertLeave, ModeChanged, OptionSet, SwapExists, TabClosed, TabEnter, TabLeave, TabNew, TextChanged,
    TextChangedI, TextYankPost, User, VimEnter, VimLeave, VimLeavePre, WinClosed, WinEnter, WinLeave, WinNew,
    VimResized, WinResized,
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Errors naming events and groups, with Vim's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    /// E216.
    #[error("E216: No such event: {0}")]
    NoSuchEvent(String),
    /// E367.
    #[error("E367: No such group: \"{0}\"")]
    NoSuchGroup(String),
}

impl FromStr for Event {
    type Err = EventError;
    /// Parses an event name case-insensitively, with Vim's aliases (`BufRead`, `BufWrite`...).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let alias = match s.to_ascii_lowercase().as_str() {
            "bufread" => Some(Event::BufReadPost),
            "bufwrite" => Some(Event::BufWritePre),
            "bufcreate" => Some(Event::BufAdd),
            "filereadpost" => Some(Event::BufReadPost),
            _ => None,
        };
        if let Some(e) = alias {
            return Ok(e);
        }
        Event::ALL
            .iter()
            .copied()
            .find(|e| e.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| EventError::NoSuchEvent(s.to_string()))
    }
}

/// What an autocmd does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// An ex command line.
    Command(String),
    /// A callback owned by a plugin host (a Lua function, a WASM plugin's handler).
    Callback(CallbackId),
}

/// An id for a host-owned callback (a Lua function, a WASM handler). In the API table a callback
/// argument is `rmpv::Value::Ext(64, id as 4 big-endian bytes)`: see [`crate::api::callback_arg`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CallbackId(pub u32);

/// Callback ids below this are Lua functions (given out by the Lua bridge for every Lua state);
/// from it up they belong to the WASM plugin host. One id space: no two runtimes share an id.
pub const WASM_CALLBACK_BASE: u32 = 1 << 30;

/// The `data` of an event as an API value: events carry it as JSON text (`User` data from
/// `nvim_exec_autocmds`, the changed lines of TextChanged, ModeChanged's modes...); text that is
/// not JSON (an option's old/new values, a typed char) is not data in Neovim's sense.
pub fn data_value(json: &str) -> Option<rmpv::Value> {
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    Some(crate::api::json_to_value(&v))
}

/// One registered autocmd.
#[derive(Clone, Debug)]
pub struct Autocmd {
    /// Id (as `nvim_create_autocmd` returns).
    pub id: u64,
    /// Group id, if any.
    pub group: Option<u32>,
    /// The event.
    pub event: Event,
    /// File pattern (`*`, `*.rs`), or the event's own match (filetype, option name, user event).
    pub pattern: String,
    /// Limited to one buffer (`<buffer>` / `buffer = n`).
    pub buffer: Option<BufferId>,
    /// Deleted after its first run.
    pub once: bool,
    /// May trigger further autocmds.
    pub nested: bool,
    /// What runs.
    pub action: Action,
    /// Description (`desc`).
    pub desc: Option<String>,
}

/// What a firing event carries, as Neovim's callback `args` table does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventArgs {
    /// The buffer concerned.
    pub buf: Option<BufferId>,
    /// The file name (`<afile>`).
    pub file: String,
    /// What patterns are matched against (`<amatch>`): the full path, filetype, option name...
    pub matched: String,
    /// Extra data (the changed line range for text changes, `User` data as JSON...).
    pub data: Option<String>,
}

/// The store of autocmds and groups.
#[derive(Debug, Default)]
pub struct Autocmds {
    list: Vec<Autocmd>,
    groups: Vec<(u32, String)>,
    /// Ids of deleted groups: never given out again, and named `--Deleted--` in errors (Neovim).
    deleted_groups: Vec<u32>,
    next_id: u64,
    /// The group `:augroup` made current (`None` = no group).
    pub current_group: Option<u32>,
}

impl Autocmds {
    /// Creates (or finds) a group, returning its id; `clear` removes its autocmds like `nvim_create_augroup`.
    pub fn group(&mut self, name: &str, clear: bool) -> u32 {
        let id = match self.groups.iter().find(|(_, n)| n == name) {
            Some((id, _)) => *id,
            None => {
                let id =
                    self.groups.iter().map(|(i, _)| *i).chain(self.deleted_groups.iter().copied()).max().unwrap_or(0)
                        + 1;
                self.groups.push((id, name.to_string()));
                id
            }
        };
        if clear {
            self.list.retain(|a| a.group != Some(id));
        }
        id
    }

    /// Finds a group id by name.
    pub fn group_id(&self, name: &str) -> Option<u32> {
        self.groups.iter().find(|(_, n)| n == name).map(|(i, _)| *i)
    }

    /// The name of a group.
    pub fn group_name(&self, id: u32) -> Option<&str> {
        self.groups.iter().find(|(i, _)| *i == id).map(|(_, n)| n.as_str())
    }

    /// Deletes a group and its autocmds.
    pub fn delete_group(&mut self, id: u32) -> bool {
        let before = self.groups.len();
        self.groups.retain(|(i, _)| *i != id);
        self.list.retain(|a| a.group != Some(id));
        let deleted = before != self.groups.len();
        if deleted {
            self.deleted_groups.push(id);
        }
        deleted
    }

    /// Whether `id` named a group that was deleted since.
    pub fn group_was_deleted(&self, id: u32) -> bool {
        self.deleted_groups.contains(&id)
    }

    /// Adds an autocmd and returns its id.
    pub fn add(&mut self, mut autocmd: Autocmd) -> u64 {
        self.next_id += 1;
        autocmd.id = self.next_id;
        self.list.push(autocmd);
        self.next_id
    }

    /// Removes autocmds matching the filters (`:au! [group] [event] [pat]`); returns how many.
    pub fn remove(
        &mut self,
        group: Option<Option<u32>>,
        event: Option<Event>,
        pattern: Option<&str>,
        buffer: Option<BufferId>,
    ) -> usize {
        let before = self.list.len();
        self.list.retain(|a| {
            let hit = group.is_none_or(|g| a.group == g)
                && event.is_none_or(|e| a.event == e)
                && pattern.is_none_or(|p| a.pattern == p)
                && buffer.is_none_or(|b| a.buffer == Some(b));
            !hit
        });
        before - self.list.len()
    }

    /// Adds autocmds that share one id (`nvim_create_autocmd` with several events or patterns);
    /// returns the id.
    pub fn add_shared(&mut self, autocmds: Vec<Autocmd>) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        self.list.extend(autocmds.into_iter().map(|mut a| {
            a.id = id;
            a
        }));
        id
    }

    /// Removes the autocmds `hit` selects and returns them (their callbacks can then be released).
    pub fn remove_where(&mut self, mut hit: impl FnMut(&Autocmd) -> bool) -> Vec<Autocmd> {
        let (gone, kept) = std::mem::take(&mut self.list).into_iter().partition(|a| hit(a));
        self.list = kept;
        gone
    }

    /// Every group as (id, name), in creation order.
    pub fn groups(&self) -> &[(u32, String)] {
        &self.groups
    }

    /// Removes one autocmd by id.
    pub fn remove_id(&mut self, id: u64) -> bool {
        let before = self.list.len();
        self.list.retain(|a| a.id != id);
        before != self.list.len()
    }

    /// Removes every autocmd of a buffer that is going away.
    pub fn remove_buffer(&mut self, buf: BufferId) {
        self.list.retain(|a| a.buffer != Some(buf));
    }

    /// The autocmds that match an event firing, in definition order.
    pub fn matching(&self, event: Event, args: &EventArgs) -> Vec<Autocmd> {
        self.list.iter().filter(|a| a.event == event && self.matches(a, args)).cloned().collect()
    }

    fn matches(&self, a: &Autocmd, args: &EventArgs) -> bool {
        if let Some(b) = a.buffer {
            return args.buf == Some(b);
        }
        pattern_matches(&a.pattern, &args.matched)
    }

    /// All autocmds (for `:autocmd` listing and `nvim_get_autocmds`).
    pub fn all(&self) -> &[Autocmd] {
        &self.list
    }
}

/// Matches an autocmd pattern (comma-separated globs) against a name: `*` any run, `?` one char,
/// `{a,b}` alternatives. A pattern without a slash matches the file's tail as Vim does.
pub fn pattern_matches(pattern: &str, name: &str) -> bool {
    split_top_commas(pattern).iter().any(|p| {
        let p = p.trim();
        if p.is_empty() {
            return false;
        }
        if glob(p, name) {
            return true;
        }
        if !p.contains('/') {
            let tail = name.rsplit('/').next().unwrap_or(name);
            return glob(p, tail);
        }
        false
    })
}

fn split_top_commas(p: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut depth = 0usize;
    for c in p.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                out.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = out.last_mut() {
            last.push(c);
        }
    }
    out
}

/// A small glob matcher (iterative with backtracking on `*`; `{a,b}` expands recursively).
fn glob(pat: &str, text: &str) -> bool {
    if let Some(open) = pat.find('{') {
        if let Some(close_rel) = pat[open..].find('}') {
            let close = open + close_rel;
            let (head, body, tail) = (&pat[..open], &pat[open + 1..close], &pat[close + 1..]);
            return body.split(',').any(|alt| glob(&format!("{head}{alt}{tail}"), text));
        }
    }
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some('?') => {
                pi += 1;
                ti += 1;
            }
            Some('\\') if p.get(pi + 1) == t.get(ti) => {
                pi += 2;
                ti += 1;
            }
            Some(c) if *c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_names_round_trip() {
        for e in Event::ALL {
            assert_eq!(e.name().parse::<Event>().unwrap(), *e);
        }
        assert_eq!("bufread".parse::<Event>().unwrap(), Event::BufReadPost);
        assert_eq!("Nope".parse::<Event>().unwrap_err().to_string(), "E216: No such event: Nope");
    }

    #[test]
    fn globs() {
        assert!(pattern_matches("*", "/a/b.rs"));
        assert!(pattern_matches("*.rs", "/a/b.rs"));
        assert!(!pattern_matches("*.rs", "/a/b.rsx"));
        assert!(pattern_matches("*.{c,h}", "/x/y.h"));
        assert!(pattern_matches("*.c,*.h", "y.h"));
        assert!(pattern_matches("b.rs", "/a/b.rs"));
        assert!(pattern_matches("/a/*", "/a/b.rs"));
        assert!(pattern_matches("lua", "lua"));
        assert!(!pattern_matches("lua", "luax"));
        assert!(pattern_matches("?.txt", "a.txt"));
    }

    #[test]
    fn groups_and_removal() {
        let mut a = Autocmds::default();
        let g = a.group("mine", false);
        let mk = |group, event| Autocmd {
            id: 0,
            group,
            event,
            pattern: "*".into(),
            buffer: None,
            once: false,
            nested: false,
            action: Action::Command("echo 1".into()),
            desc: None,
        };
        a.add(mk(Some(g), Event::BufEnter));
        a.add(mk(None, Event::BufEnter));
        assert_eq!(a.matching(Event::BufEnter, &EventArgs { matched: "x".into(), ..Default::default() }).len(), 2);
        assert_eq!(a.group("mine", true), g);
        assert_eq!(a.all().len(), 1);
        assert_eq!(a.remove(None, Some(Event::BufEnter), None, None), 1);
        assert!(a.all().is_empty());
    }
}
