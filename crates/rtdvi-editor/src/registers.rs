//! Registers: the unnamed, numbered, small-delete, named, read-only and clipboard registers.

use std::collections::BTreeMap;

/// How a register's text is put back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RegisterKind {
    /// Characterwise (`v`).
    Charwise,
    /// Linewise (`V`).
    Linewise,
    /// Blockwise (`<C-v>`) with the block's display width.
    Blockwise(usize),
}

/// The contents of one register: lines (a charwise register's text split at "\n") and a kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Register {
    /// The text, one entry per line.
    pub lines: Vec<String>,
    /// How it is put.
    pub kind: RegisterKind,
}

impl Register {
    /// The text as Vim's `getreg()` returns it: lines joined by "\n", linewise ending in "\n".
    pub fn to_text(&self) -> String {
        let mut s = self.lines.join("\n");
        if self.kind == RegisterKind::Linewise {
            s.push('\n');
        }
        s
    }
}

/// Whether a register name is valid for reading.
pub fn is_valid_name(c: char) -> bool {
    c.is_ascii_alphanumeric() || "\"-_.:%#/+*=".contains(c)
}

/// All registers of the editor.
#[derive(Debug, Default)]
pub struct Registers {
    regs: BTreeMap<char, Register>,
    /// The register `""` points at (Vim: the last written register).
    unnamed_points_to: Option<char>,
}

/// Errors from register access.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RegisterError {
    /// E354.
    #[error("E354: Invalid register name: '{0}'")]
    Invalid(char),
}

impl Registers {
    /// Registers whose type Vim always reports as charwise, set or not (`getregtype('.')` is
    /// `v` before any insert): the read-only and computed ones and the black hole.
    pub fn always_charwise(name: char) -> bool {
        matches!(name, '%' | '#' | '=' | ':' | '/' | '.' | '_' | '\x06' | '\x10' | '\x17' | '\x01')
    }

    /// Reads a register (`"` follows the last written one; `A`-`Z` read `a`-`z`).
    pub fn get(&self, name: char) -> Option<&Register> {
        let name = match name {
            '"' => self.unnamed_points_to.unwrap_or('0'),
            c if c.is_ascii_uppercase() => c.to_ascii_lowercase(),
            c => c,
        };
        self.regs.get(&name)
    }

    /// Writes a register directly (`"ayy` with `a`; uppercase appends).
    pub fn set(&mut self, name: char, reg: Register) -> Result<(), RegisterError> {
        match name {
            '_' => Ok(()),
            c if c.is_ascii_uppercase() => {
                let lower = c.to_ascii_lowercase();
                let merged = match self.regs.remove(&lower) {
                    None => reg,
                    Some(mut old) => {
                        if old.kind == RegisterKind::Linewise || reg.kind == RegisterKind::Linewise {
                            old.lines.extend(reg.lines);
                            old.kind = RegisterKind::Linewise;
                        } else if let (Some(last), Some((first, rest))) =
                            (old.lines.last_mut(), reg.lines.split_first())
                        {
                            last.push_str(first);
                            old.lines.extend(rest.iter().cloned());
                        }
                        old
                    }
                };
                self.regs.insert(lower, merged);
                self.unnamed_points_to = Some(lower);
                Ok(())
            }
            c if c.is_ascii_alphanumeric() || "-*+/:.%".contains(c) => {
                self.regs.insert(c, reg);
                if c.is_ascii_alphanumeric() || c == '-' || c == '*' || c == '+' {
                    self.unnamed_points_to = Some(c);
                }
                Ok(())
            }
            '"' => {
                self.regs.insert('0', reg);
                self.unnamed_points_to = Some('0');
                Ok(())
            }
            c => Err(RegisterError::Invalid(c)),
        }
    }

    /// Puts back what [`Registers::get`] returned for `name` earlier (`None`: empty again), without
    /// moving `""` (`:keeppatterns` restores `/` this way).
    pub fn restore(&mut self, name: char, reg: Option<Register>) {
        match reg {
            Some(r) => {
                self.regs.insert(name, r);
            }
            None => {
                self.regs.remove(&name);
            }
        }
    }

    /// Writes a register as `setreg()` and `:let @r = ...` do: `""` keeps pointing where it did
    /// (only yanks and deletes move it, as in Vim).
    pub fn set_keeping_unnamed(&mut self, name: char, reg: Register) -> Result<(), RegisterError> {
        let keep = self.unnamed_points_to;
        let r = self.set(name, reg);
        if name != '"' {
            self.unnamed_points_to = keep;
        }
        r
    }

    /// Records a yank: into `name` if given, else into `0` (and `""`).
    pub fn yank(&mut self, name: Option<char>, reg: Register) -> Result<(), RegisterError> {
        match name {
            Some('_') => Ok(()),
            Some(n) if n != '"' => self.set(n, reg),
            _ => self.set('0', reg),
        }
    }

    /// Records a delete the way Vim does: a named register if given; otherwise `1` (shifting `1`-`8`
    /// down) for deletes of a line or more, else the small-delete register `-`.
    pub fn delete(&mut self, name: Option<char>, reg: Register) -> Result<(), RegisterError> {
        if name == Some('_') {
            return Ok(());
        }
        let multiline = reg.kind == RegisterKind::Linewise || reg.lines.len() > 1;
        if let Some(n) = name.filter(|n| *n != '"') {
            self.set(n, reg.clone())?;
            if !multiline {
                return Ok(());
            }
        }
        if multiline {
            for i in (1..9u8).rev() {
                let from = char::from(b'0' + i);
                let to = char::from(b'0' + i + 1);
                if let Some(r) = self.regs.remove(&from) {
                    self.regs.insert(to, r);
                }
            }
            self.regs.insert('1', reg);
            if name.is_none() || name == Some('"') {
                self.unnamed_points_to = Some('1');
            }
        } else {
            self.regs.insert('-', reg);
            self.unnamed_points_to = Some('-');
        }
        Ok(())
    }

    /// Shifts `1`-`8` down to `2`-`9` and stores `reg` in `1` (a delete of a line or more).
    pub fn shift_into_one(&mut self, reg: Register) {
        for i in (1..9u8).rev() {
            let from = char::from(b'0' + i);
            let to = char::from(b'0' + i + 1);
            if let Some(r) = self.regs.remove(&from) {
                self.regs.insert(to, r);
            }
        }
        self.regs.insert('1', reg);
    }

    /// Stores a recorded macro (`q{reg}`): like [`Registers::set`] but `""` keeps pointing where it did.
    pub fn set_recording(&mut self, name: char, reg: Register) -> Result<(), RegisterError> {
        let keep = self.unnamed_points_to;
        let r = self.set(name, reg);
        self.unnamed_points_to = keep;
        r
    }

    /// Points the unnamed register at `name` (after `"ayy`, `""` reads `a`).
    pub fn point_unnamed(&mut self, name: char) {
        self.unnamed_points_to = Some(name.to_ascii_lowercase());
    }

    /// Every non-empty register in `:registers` order.
    pub fn list(&self) -> Vec<(char, &Register)> {
        let order = "\"0123456789abcdefghijklmnopqrstuvwxyz-.:%#/+*";
        order.chars().filter_map(|c| self.get(c).map(|r| (c, r))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &[&str], kind: RegisterKind) -> Register {
        Register { lines: s.iter().map(|x| x.to_string()).collect(), kind }
    }

    #[test]
    fn numbered_registers_shift_on_line_deletes() {
        let mut r = Registers::default();
        r.delete(None, lines(&["one"], RegisterKind::Linewise)).unwrap();
        r.delete(None, lines(&["two"], RegisterKind::Linewise)).unwrap();
        r.delete(None, lines(&["w"], RegisterKind::Charwise)).unwrap();
        assert_eq!(r.get('1').unwrap().lines, vec!["two"]);
        assert_eq!(r.get('2').unwrap().lines, vec!["one"]);
        assert_eq!(r.get('-').unwrap().lines, vec!["w"]);
        assert_eq!(r.get('"').unwrap().lines, vec!["w"]);
    }

    #[test]
    fn uppercase_appends() {
        let mut r = Registers::default();
        r.yank(Some('a'), lines(&["x"], RegisterKind::Charwise)).unwrap();
        r.yank(Some('A'), lines(&["y"], RegisterKind::Charwise)).unwrap();
        assert_eq!(r.get('a').unwrap().lines, vec!["xy"]);
        r.yank(Some('A'), lines(&["z"], RegisterKind::Linewise)).unwrap();
        assert_eq!(r.get('a').unwrap().to_text(), "xy\nz\n");
    }

    #[test]
    fn black_hole_and_invalid() {
        let mut r = Registers::default();
        r.yank(Some('_'), lines(&["x"], RegisterKind::Charwise)).unwrap();
        assert!(r.get('"').is_none());
        assert!(r.set('!', lines(&["x"], RegisterKind::Charwise)).is_err());
    }
}
