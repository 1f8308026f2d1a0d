//! Extmarks (Neovim's `nvim_buf_set_extmark`): positions and ranges in a buffer that move with
//! every edit, grouped in namespaces, carrying decorations (highlight group, virtual text, sign).
//!
//! Each extmark is an anchor of the buffer's [`rtdvi_core::anchor::AnchorSet`], so edits of any
//! kind (typing, operators, ex commands, the API, undo and redo) move it the same way, by its
//! gravity: `right_gravity` (the default) is [`Assoc::After`], so text inserted exactly at the mark
//! goes before it. A mark whose text is deleted stays where the deletion was; with `invalidate`
//! it is flagged `invalid` instead, when its whole range (for a point mark: the rest of its line
//! with the line break, so deleting the line) is deleted. The front end reads decorations through
//! [`Extmarks::decorations`].

use std::collections::BTreeMap;

use rtdvi_core::anchor::{AnchorId, AnchorSet};
use rtdvi_core::changeset::Assoc;

/// Where virtual text is drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum VirtTextPos {
    /// After the end of the line.
    #[default]
    Eol,
    /// Over the text, from the mark's column.
    Overlay,
    /// Right-aligned in the window.
    RightAlign,
    /// Inserted at the mark's column, pushing the text right.
    Inline,
}

impl VirtTextPos {
    /// Neovim's name.
    pub fn name(self) -> &'static str {
        match self {
            VirtTextPos::Eol => "eol",
            VirtTextPos::Overlay => "overlay",
            VirtTextPos::RightAlign => "right_align",
            VirtTextPos::Inline => "inline",
        }
    }

    /// Parses Neovim's names.
    pub fn parse(s: &str) -> Option<VirtTextPos> {
        Some(match s {
            "eol" => VirtTextPos::Eol,
            "overlay" => VirtTextPos::Overlay,
            "right_align" => VirtTextPos::RightAlign,
            "inline" => VirtTextPos::Inline,
            _ => return None,
        })
    }
}

/// The decorations of an extmark.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decoration {
    /// Highlight group of the range.
    pub hl_group: Option<String>,
    /// Highlight continues to the window's edge past the end of the range's last line.
    pub hl_eol: bool,
    /// Virtual text chunks: (text, highlight group).
    pub virt_text: Vec<(String, Option<String>)>,
    /// Where the virtual text goes.
    pub virt_text_pos: VirtTextPos,
    /// Hide the virtual text when the text under it is too long (`virt_text_hide`).
    pub virt_text_hide: bool,
    /// Sign column text (one or two cells, padded to two).
    pub sign_text: Option<String>,
    /// Sign highlight group.
    pub sign_hl_group: Option<String>,
    /// Priority (Neovim's default 4096 applies to decorated marks when none is given).
    pub priority: Option<i64>,
}

impl Decoration {
    /// Whether the mark decorates anything.
    pub fn is_empty(&self) -> bool {
        self.hl_group.is_none() && self.virt_text.is_empty() && self.sign_text.is_none()
    }
}

/// One extmark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extmark {
    /// Namespace id.
    pub ns: u32,
    /// Id within the namespace.
    pub id: u32,
    /// The anchor holding its position (and end, for a range or an `invalidate` point mark).
    anchor: AnchorId,
    /// Whether the anchor's end is the mark's end (`end_row`/`end_col` given).
    pub has_end: bool,
    /// Text inserted at the start goes before the mark.
    pub right_gravity: bool,
    /// Text inserted at the end goes before the end.
    pub end_right_gravity: bool,
    /// Flag the mark invalid when its text is deleted.
    pub invalidate: bool,
    /// Its text was deleted (only with `invalidate`).
    pub invalid: bool,
    /// Decorations.
    pub decoration: Decoration,
}

/// A decoration placed in the text, as the front end draws it (char offsets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed<'a> {
    /// Start (char offset).
    pub start: usize,
    /// End (char offset); equal to start for a point mark.
    pub end: usize,
    /// What to draw.
    pub decoration: &'a Decoration,
}

/// The extmarks of one buffer.
#[derive(Clone, Debug, Default)]
pub struct Extmarks {
    marks: BTreeMap<(u32, u32), Extmark>,
    next_id: BTreeMap<u32, u32>,
}

fn assoc(right: bool) -> Assoc {
    if right {
        Assoc::After
    } else {
        Assoc::Before
    }
}

/// What [`Extmarks::set`] needs to place a mark.
#[derive(Clone, Debug)]
pub struct NewMark {
    /// Namespace.
    pub ns: u32,
    /// Requested id (`None`: the next free one).
    pub id: Option<u32>,
    /// Start (char offset).
    pub start: usize,
    /// End (char offset) if the mark is a range.
    pub end: Option<usize>,
    /// For `invalidate` point marks: the end of the line after its line break (char offset).
    pub line_end: usize,
    /// Gravity of the start.
    pub right_gravity: bool,
    /// Gravity of the end.
    pub end_right_gravity: bool,
    /// `invalidate`.
    pub invalidate: bool,
    /// Decorations.
    pub decoration: Decoration,
}

impl Extmarks {
    /// Places (or moves and replaces) a mark; returns its id.
    pub fn set(&mut self, anchors: &mut AnchorSet, m: NewMark) -> u32 {
        let next = self.next_id.entry(m.ns).or_insert(1);
        let id = m.id.unwrap_or(*next);
        if id >= *next {
            *next = id.saturating_add(1);
        }
        if let Some(old) = self.marks.remove(&(m.ns, id)) {
            anchors.remove(old.anchor);
        }
        let (start_g, end_g) = (assoc(m.right_gravity), assoc(m.end_right_gravity));
        let anchor = match m.end {
            Some(end) => anchors.insert_range(m.start, end.max(m.start), start_g, end_g),
            None if m.invalidate => anchors.insert_range(m.start, m.line_end.max(m.start), start_g, Assoc::After),
            None => anchors.insert(m.start, start_g),
        };
        let mark = Extmark {
            ns: m.ns,
            id,
            anchor,
            has_end: m.end.is_some(),
            right_gravity: m.right_gravity,
            end_right_gravity: m.end_right_gravity,
            invalidate: m.invalidate,
            invalid: false,
            decoration: m.decoration,
        };
        self.marks.insert((m.ns, id), mark);
        id
    }

    /// A mark and its position: (mark, start, end if it is a range).
    pub fn get<'a>(&'a self, anchors: &AnchorSet, ns: u32, id: u32) -> Option<(&'a Extmark, usize, Option<usize>)> {
        let m = self.marks.get(&(ns, id))?;
        let (start, end) = anchors.get(m.anchor)?;
        Some((m, start, if m.has_end { end } else { None }))
    }

    /// Deletes a mark; returns whether it existed.
    pub fn delete(&mut self, anchors: &mut AnchorSet, ns: u32, id: u32) -> bool {
        match self.marks.remove(&(ns, id)) {
            Some(m) => {
                anchors.remove(m.anchor);
                true
            }
            None => false,
        }
    }

    /// Deletes the marks of `ns` (every namespace for `None`) whose start `keep` rejects.
    pub fn clear(&mut self, anchors: &mut AnchorSet, ns: Option<u32>, mut hit: impl FnMut(usize) -> bool) {
        let gone: Vec<(u32, u32)> = self
            .marks
            .iter()
            .filter(|((n, _), m)| ns.is_none_or(|x| x == *n) && anchors.get(m.anchor).is_some_and(|(s, _)| hit(s)))
            .map(|(k, _)| *k)
            .collect();
        for k in gone {
            if let Some(m) = self.marks.remove(&k) {
                anchors.remove(m.anchor);
            }
        }
        // A namespace cleared out of the buffer numbers its marks from 1 again, as in Neovim (a
        // plugin that redraws by clearing and placing marks sees the same ids each time); deleting
        // marks one by one does not.
        let marks = &self.marks;
        self.next_id.retain(|n, _| ns.is_some_and(|x| x != *n) || marks.keys().any(|(m, _)| m == n));
    }

    /// Every mark of `ns` (all namespaces for `None`) with its position, in position order
    /// (then namespace and id).
    pub fn list<'a>(&'a self, anchors: &AnchorSet, ns: Option<u32>) -> Vec<(&'a Extmark, usize, Option<usize>)> {
        let mut v: Vec<_> = self
            .marks
            .iter()
            .filter(|((n, _), _)| ns.is_none_or(|x| x == *n))
            .filter_map(|(_, m)| {
                let (s, e) = anchors.get(m.anchor)?;
                Some((m, s, if m.has_end { e } else { None }))
            })
            .collect();
        v.sort_by_key(|(m, s, _)| (*s, m.ns, m.id));
        v
    }

    /// Flags `invalidate` marks whose anchors an edit deleted; returns whether any anchor in
    /// `deleted` belonged to an extmark.
    pub fn invalidate(&mut self, deleted: &[AnchorId]) {
        for m in self.marks.values_mut() {
            if m.invalidate && deleted.contains(&m.anchor) {
                m.invalid = true;
            }
        }
    }

    /// Whether `anchor` belongs to an extmark.
    pub fn owns(&self, anchor: AnchorId) -> bool {
        self.marks.values().any(|m| m.anchor == anchor)
    }

    /// The decorations of valid marks that touch chars `from..to` (for drawing), by priority.
    pub fn decorations<'a>(&'a self, anchors: &AnchorSet, from: usize, to: usize) -> Vec<Placed<'a>> {
        let mut v: Vec<Placed<'a>> = self
            .marks
            .values()
            .filter(|m| !m.invalid && !m.decoration.is_empty())
            .filter_map(|m| {
                let (s, e) = anchors.get(m.anchor)?;
                let end = if m.has_end { e.unwrap_or(s) } else { s };
                (s <= to && end >= from).then_some(Placed { start: s, end, decoration: &m.decoration })
            })
            .collect();
        v.sort_by_key(|p| p.decoration.priority.unwrap_or(4096));
        v
    }

    /// Whether there are no marks.
    pub fn is_empty(&self) -> bool {
        self.marks.is_empty()
    }
}

/// The namespaces of the editor (`nvim_create_namespace`).
#[derive(Clone, Debug, Default)]
pub struct Namespaces {
    named: BTreeMap<String, u32>,
    count: u32,
}

impl Namespaces {
    /// The id of a named namespace (created on first use); `""` makes a new anonymous one.
    pub fn create(&mut self, name: &str) -> u32 {
        if !name.is_empty() {
            if let Some(id) = self.named.get(name) {
                return *id;
            }
        }
        self.count += 1;
        if !name.is_empty() {
            self.named.insert(name.to_string(), self.count);
        }
        self.count
    }

    /// Whether `id` names a namespace.
    pub fn exists(&self, id: u32) -> bool {
        (1..=self.count).contains(&id)
    }

    /// The named namespaces.
    pub fn named(&self) -> &BTreeMap<String, u32> {
        &self.named
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rtdvi_core::changeset::{ChangeSet, Edit};

    fn mark(ns: u32, start: usize, end: Option<usize>, right: bool) -> NewMark {
        NewMark {
            ns,
            id: None,
            start,
            end,
            line_end: start,
            right_gravity: right,
            end_right_gravity: false,
            invalidate: false,
            decoration: Decoration::default(),
        }
    }

    #[test]
    fn ids_per_namespace_and_gravity() {
        let (mut a, mut x) = (AnchorSet::new(), Extmarks::default());
        assert_eq!(x.set(&mut a, mark(1, 3, None, true)), 1);
        assert_eq!(x.set(&mut a, mark(1, 3, None, false)), 2);
        assert_eq!(x.set(&mut a, mark(2, 0, None, true)), 1);
        let cs = ChangeSet::from_edits(10, [Edit { start: 3, end: 3, text: "ab".into() }]).unwrap();
        a.map(&cs);
        assert_eq!(x.get(&a, 1, 1).map(|(_, s, _)| s), Some(5));
        assert_eq!(x.get(&a, 1, 2).map(|(_, s, _)| s), Some(3));
        assert!(x.delete(&mut a, 1, 1));
        assert!(!x.delete(&mut a, 1, 1));
        assert_eq!(x.list(&a, None).len(), 2);
    }

    #[test]
    fn ids_restart_when_a_clear_empties_the_namespace() {
        // Neovim 0.11.4: marks 1 2, clear all, next 1; clear nothing, next 2; clear them, next 1;
        // deleting one by one keeps counting.
        let (mut a, mut x) = (AnchorSet::new(), Extmarks::default());
        x.set(&mut a, mark(1, 0, None, true));
        x.set(&mut a, mark(1, 2, None, true));
        x.set(&mut a, mark(2, 2, None, true));
        x.clear(&mut a, Some(1), |_| true);
        assert_eq!(x.set(&mut a, mark(1, 0, None, true)), 1);
        assert_eq!(x.set(&mut a, mark(2, 0, None, true)), 2, "another namespace keeps counting");
        x.clear(&mut a, Some(1), |s| s > 5);
        assert_eq!(x.set(&mut a, mark(1, 0, None, true)), 2);
        x.clear(&mut a, None, |_| true);
        assert_eq!(x.set(&mut a, mark(2, 0, None, true)), 1);
        assert!(x.delete(&mut a, 2, 1));
        assert_eq!(x.set(&mut a, mark(2, 0, None, true)), 2);
    }

    #[test]
    fn namespaces_by_name() {
        let mut n = Namespaces::default();
        let a = n.create("a");
        assert_eq!(n.create("a"), a);
        assert_ne!(n.create(""), n.create(""));
        assert_eq!(n.named().len(), 1);
        assert!(n.exists(a) && !n.exists(99));
    }
}
