//! Ex commands of the key engine: the `:map` family, `:normal`, `:startinsert`, `:stopinsert`.

use super::mapping::{map_keys, parse_map_args, MapMode, MapRhs, Mapping};
use crate::editor::Editor;
use crate::ex::{Cmd, ExError};
use crate::keys::key_notation;

/// The ex commands this module handles: (full name, shortest abbreviation), for the command table.
pub(crate) const COMMANDS: &[(&str, usize)] = &[
    ("map", 3),
    ("nmap", 2),
    ("vmap", 2),
    ("xmap", 2),
    ("smap", 4),
    ("omap", 2),
    ("imap", 2),
    ("cmap", 2),
    ("tmap", 3),
    ("lmap", 2),
    ("noremap", 2),
    ("nnoremap", 2),
    ("vnoremap", 2),
    ("xnoremap", 2),
    ("snoremap", 4),
    ("onoremap", 3),
    ("inoremap", 3),
    ("cnoremap", 3),
    ("tnoremap", 3),
    ("lnoremap", 2),
    ("unmap", 3),
    ("nunmap", 3),
    ("vunmap", 2),
    ("xunmap", 2),
    ("sunmap", 4),
    ("ounmap", 2),
    ("iunmap", 3),
    ("cunmap", 3),
    ("tunmap", 5),
    ("lunmap", 3),
    ("mapclear", 4),
    ("nmapclear", 5),
    ("vmapclear", 5),
    ("xmapclear", 5),
    ("smapclear", 5),
    ("omapclear", 5),
    ("imapclear", 5),
    ("cmapclear", 5),
    ("tmapclear", 5),
    ("normal", 4),
    ("startinsert", 4),
    ("stopinsert", 5),
];

/// Whether a full command name belongs to this module.
pub(crate) fn handles(name: &str) -> bool {
    COMMANDS.iter().any(|(n, _)| *n == name)
}

impl Editor {
    /// Runs one of this module's ex commands.
    pub(crate) fn vi_ex_command(&mut self, c: &Cmd<'_>) -> Result<(), ExError> {
        match c.name {
            "normal" => self.ex_normal(c),
            "startinsert" => {
                let cmd = super::command::Command {
                    register: None,
                    count: None,
                    action: super::command::Action::Simple(super::command::Simple::Nop),
                    keys: vec![crate::keys::Key::char(if c.bang { 'A' } else { 'i' })],
                };
                if c.bang {
                    let row = self.vpos().row;
                    let len = super::textpos::line_len(&self.buf().text, row);
                    self.place(super::Pos::new(row, len), super::normal::Want::End);
                }
                self.begin_insert(super::InsertKind::Insert, &cmd, None);
                self.report_mode();
                Ok(())
            }
            "stopinsert" => {
                if self.vi.insert.is_some() {
                    self.leave_insert();
                }
                Ok(())
            }
            name => {
                let (base, kind) = split_map_name(name);
                let prefix = if c.bang && (base.is_empty()) { "!" } else { base };
                let modes = MapMode::from_prefix(prefix).ok_or(ExError::InvalidArgument)?;
                match kind {
                    MapKind::Map(noremap) => self.ex_map(&modes, noremap, c.args),
                    MapKind::Unmap => self.ex_unmap(&modes, c.args),
                    MapKind::Clear => {
                        let a = parse_map_args(c.args);
                        let buf = if a.buffer { Some(self.buf_id()) } else { None };
                        self.vi.mappings.clear(&modes, buf);
                        Ok(())
                    }
                }
            }
        }
    }

    /// The `<Leader>` and `<LocalLeader>` keys (`g:mapleader`, `g:maplocalleader`; default `\`).
    pub fn leaders(&self) -> (String, String) {
        let get = |name: &str| {
            self.globals.get(name).and_then(|v| v.to_string_value().ok()).unwrap_or_else(|| "\\".to_string())
        };
        (get("mapleader"), get("maplocalleader"))
    }

    fn ex_map(&mut self, modes: &[MapMode], noremap: bool, args: &str) -> Result<(), ExError> {
        let a = parse_map_args(args);
        let buf = if a.buffer { Some(self.buf_id()) } else { None };
        if a.lhs.is_empty() {
            // `:map` alone lists.
            self.list_mappings(modes, buf, "");
            return Ok(());
        }
        if a.rhs.is_empty() {
            self.list_mappings(modes, buf, &a.lhs);
            return Ok(());
        }
        let (leader, local) = self.leaders();
        let lhs = map_keys(&a.lhs, &leader, &local);
        let rhs = map_keys(&a.rhs, &leader, &local);
        let m = Mapping {
            lhs,
            rhs: MapRhs::Keys(rhs),
            rhs_text: a.rhs.clone(),
            noremap,
            silent: a.silent,
            nowait: a.nowait,
            expr: a.expr,
            unique: a.unique,
            desc: None,
        };
        self.vi.mappings.set(modes, buf, m).map_err(|e| ExError::Msg(e.to_string()))
    }

    fn ex_unmap(&mut self, modes: &[MapMode], args: &str) -> Result<(), ExError> {
        let a = parse_map_args(args);
        let buf = if a.buffer { Some(self.buf_id()) } else { None };
        let (leader, local) = self.leaders();
        // `:unmap` takes everything (trailing blanks stripped) as the lhs.
        let lhs_text = if a.rhs.is_empty() { a.lhs.clone() } else { format!("{} {}", a.lhs, a.rhs) };
        let lhs = map_keys(lhs_text.trim_end(), &leader, &local);
        self.vi.mappings.remove(modes, buf, &lhs).map_err(|e| ExError::Msg(e.to_string()))
    }

    fn list_mappings(&mut self, modes: &[MapMode], buf: Option<crate::buffer::BufferId>, prefix: &str) {
        let (leader, local) = self.leaders();
        let pk = map_keys(prefix, &leader, &local);
        let mut lines = Vec::new();
        for mode in modes {
            for m in self.vi.mappings.list(*mode, buf.or(Some(self.buf_id()))) {
                if !m.lhs.starts_with(&pk) {
                    continue;
                }
                let star = if m.noremap { "*" } else { " " };
                lines.push(format!("{}  {:<12} {star} {}", mode.letter(), key_notation(&m.lhs), m.rhs_text));
            }
        }
        if lines.is_empty() {
            self.messages.echo("No mapping found");
        } else {
            lines.dedup();
            self.messages.echo(lines.join("\n"));
        }
    }

    /// `:[range]norm[al][!] {commands}`.
    fn ex_normal(&mut self, c: &Cmd<'_>) -> Result<(), ExError> {
        if c.args.is_empty() {
            return Err(ExError::ArgumentRequired);
        }
        // `:normal` takes its argument literally: "<Esc>" is five keys, as in Vim.
        let keys: Vec<crate::keys::Key> = c.args.chars().map(crate::keys::key_from_register_char).collect();
        let remap = !c.bang;
        if c.range.given == 0 {
            self.execute_normal(&keys, remap);
            return Ok(());
        }
        // Like Vim: the cursor goes to column 0 of each line number of the range in turn (numbers
        // are not adjusted when the commands delete or add lines).
        for line in c.range.start.max(1)..=c.range.end.max(1) {
            let last = self.buf().line_count();
            self.place(super::Pos::new((line - 1).min(last.saturating_sub(1)), 0), super::normal::Want::Set);
            self.execute_normal(&keys, remap);
            if self.exit_code.is_some() {
                break;
            }
        }
        Ok(())
    }
}

enum MapKind {
    Map(bool),
    Unmap,
    Clear,
}

/// Splits a map command name into its mode prefix and kind (`nnoremap` -> ("n", Map(true))).
fn split_map_name(name: &str) -> (&str, MapKind) {
    if let Some(p) = name.strip_suffix("mapclear") {
        return (p, MapKind::Clear);
    }
    if let Some(p) = name.strip_suffix("unmap") {
        return (p, MapKind::Unmap);
    }
    if let Some(p) = name.strip_suffix("noremap") {
        return (p, MapKind::Map(true));
    }
    (name.strip_suffix("map").unwrap_or(""), MapKind::Map(false))
}
