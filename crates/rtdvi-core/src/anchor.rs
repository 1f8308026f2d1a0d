//! Positions that move with edits: the basis of Vim marks and Neovim extmarks.
//!
//! An [`AnchorSet`] is a slab of anchors addressed by [`AnchorId`]. An anchor
//! is a char offset, optionally with an end offset (a range), each with a
//! gravity ([`Assoc`]) deciding which side of text inserted exactly at it
//! the position ends up on (Neovim's `right_gravity` is `Assoc::After`).
//!
//! [`AnchorSet::map`] moves every anchor through a changeset and reports the
//! anchors whose text was deleted:
//! - a range anchor when every char of `start..end` was deleted;
//! - a point anchor (or an empty range) when the char at its position was
//!   deleted. A position at the end of the text has no char and is never
//!   deleted.
//!
//! The editor maps line-based semantics onto this: a Vim mark or an
//! `invalidate` extmark that dies with its line is stored as a range over the
//! whole line including its newline.
//!
//! Complexity: `map` is O(anchors · log(edits)) plus O(edits) to prepare,
//! independent of the text size; `insert`, `get` and `remove` are O(1).
//! Ids of removed anchors are reused.

use serde::{Deserialize, Serialize};

use crate::changeset::{Assoc, ChangeSet};

/// Handle of an anchor in an [`AnchorSet`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AnchorId(pub u32);

/// One end of an anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct End {
    pos: usize,
    gravity: Assoc,
}

/// A point or range that moves with edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Anchor {
    start: End,
    end: Option<End>,
}

/// A slab of anchors.
#[derive(Debug, Clone, Default)]
pub struct AnchorSet {
    slots: Vec<Option<Anchor>>,
    /// Free slot indices, reused first.
    free: Vec<u32>,
    live: usize,
}

impl AnchorSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    fn put(&mut self, anchor: Anchor) -> AnchorId {
        self.live += 1;
        if let Some(i) = self.free.pop() {
            if let Some(slot) = self.slots.get_mut(i as usize) {
                *slot = Some(anchor);
                return AnchorId(i);
            }
        }
        // More than u32::MAX live anchors cannot be addressed; such a set
        // would need hundreds of gigabytes, so the id simply saturates.
        let id = u32::try_from(self.slots.len()).unwrap_or(u32::MAX);
        self.slots.push(Some(anchor));
        AnchorId(id)
    }

    /// Add a point anchor at `pos`.
    pub fn insert(&mut self, pos: usize, gravity: Assoc) -> AnchorId {
        self.put(Anchor { start: End { pos, gravity }, end: None })
    }

    /// Add a range anchor `start..end` (ends swapped, with their gravities, if given in reverse).
    pub fn insert_range(&mut self, start: usize, end: usize, start_gravity: Assoc, end_gravity: Assoc) -> AnchorId {
        // Each gravity stays with its position when the ends are swapped.
        let ((start, start_gravity), (end, end_gravity)) = if start <= end {
            ((start, start_gravity), (end, end_gravity))
        } else {
            ((end, end_gravity), (start, start_gravity))
        };
        self.put(Anchor {
            start: End { pos: start, gravity: start_gravity },
            end: Some(End { pos: end, gravity: end_gravity }),
        })
    }

    /// Position of an anchor and, for a range, its end.
    pub fn get(&self, id: AnchorId) -> Option<(usize, Option<usize>)> {
        let a = self.slots.get(id.0 as usize)?.as_ref()?;
        Some((a.start.pos, a.end.map(|e| e.pos)))
    }

    /// Move an existing anchor (keeping its gravities); false if `id` is unknown.
    pub fn set(&mut self, id: AnchorId, start: usize, end: Option<usize>) -> bool {
        let Some(Some(a)) = self.slots.get_mut(id.0 as usize) else {
            return false;
        };
        a.start.pos = start;
        match (end, &mut a.end) {
            (Some(e), Some(old)) => old.pos = e.max(start),
            (Some(e), None) => a.end = Some(End { pos: e.max(start), gravity: Assoc::After }),
            (None, _) => a.end = None,
        }
        true
    }

    /// Remove an anchor; returns whether it existed.
    pub fn remove(&mut self, id: AnchorId) -> bool {
        match self.slots.get_mut(id.0 as usize) {
            Some(slot @ Some(_)) => {
                *slot = None;
                self.free.push(id.0);
                self.live -= 1;
                true
            }
            _ => false,
        }
    }

    /// Number of anchors.
    pub fn len(&self) -> usize {
        self.live
    }

    /// True if there is no anchor.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// All anchors with their positions, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (AnchorId, usize, Option<usize>)> + '_ {
        self.slots.iter().enumerate().filter_map(|(i, a)| {
            let a = a.as_ref()?;
            let id = AnchorId(u32::try_from(i).ok()?);
            Some((id, a.start.pos, a.end.map(|e| e.pos)))
        })
    }

    /// Move every anchor through `changes`; returns the anchors whose text was
    /// deleted (they are kept, collapsed to where the deletion was).
    pub fn map(&mut self, changes: &ChangeSet) -> Vec<AnchorId> {
        let mapper = changes.mapper();
        let mut deleted = Vec::new();
        for (i, slot) in self.slots.iter_mut().enumerate() {
            let Some(a) = slot else { continue };
            let end_pos = a.end.map_or(a.start.pos, |e| e.pos);
            if mapper.deleted(a.start.pos, end_pos) {
                if let Ok(i) = u32::try_from(i) {
                    deleted.push(AnchorId(i));
                }
            }
            a.start.pos = mapper.map(a.start.pos, a.start.gravity);
            if let Some(e) = &mut a.end {
                // An end never moves before its start (empty ranges with
                // start gravity After and end gravity Before).
                e.pos = mapper.map(e.pos, e.gravity).max(a.start.pos);
            }
        }
        deleted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changeset::Edit;
    use proptest::prelude::*;

    fn change(len: usize, start: usize, end: usize, text: &str) -> ChangeSet {
        ChangeSet::from_edits(len, [Edit { start, end, text: text.to_owned() }]).expect("valid edit")
    }

    #[test]
    fn points_follow_gravity() {
        let mut set = AnchorSet::new();
        let before = set.insert(3, Assoc::Before);
        let after = set.insert(3, Assoc::After);
        let later = set.insert(5, Assoc::Before);
        let deleted = set.map(&change(10, 3, 3, "xy"));
        assert!(deleted.is_empty());
        assert_eq!(set.get(before), Some((3, None)));
        assert_eq!(set.get(after), Some((5, None)));
        assert_eq!(set.get(later), Some((7, None)));
    }

    #[test]
    fn deleted_points_and_ranges_are_reported() {
        let mut set = AnchorSet::new();
        // "ab\ncd\nef": line 1 is 3..6 including its newline.
        let line = set.insert_range(3, 6, Assoc::Before, Assoc::Before);
        let on_line = set.insert(4, Assoc::Before);
        let line_end = set.insert(6, Assoc::Before);
        let eof = set.insert(8, Assoc::Before);
        let partly = set.insert_range(1, 4, Assoc::Before, Assoc::After);
        let deleted = set.map(&change(8, 3, 6, ""));
        assert_eq!(deleted, vec![line, on_line]);
        assert_eq!(set.get(line), Some((3, Some(3))));
        assert_eq!(set.get(on_line), Some((3, None)));
        assert_eq!(set.get(line_end), Some((3, None)));
        assert_eq!(set.get(eof), Some((5, None)));
        assert_eq!(set.get(partly), Some((1, Some(3))));
        assert!(set.map(&change(5, 4, 5, "")).is_empty(), "end of text is never deleted");
    }

    #[test]
    fn slab_reuses_ids() {
        let mut set = AnchorSet::new();
        let a = set.insert(1, Assoc::Before);
        let b = set.insert_range(5, 2, Assoc::After, Assoc::Before);
        assert_eq!(set.get(b), Some((2, Some(5))));
        assert!(set.remove(a));
        assert!(!set.remove(a));
        assert_eq!(set.get(a), None);
        assert_eq!(set.len(), 1);
        let c = set.insert(7, Assoc::After);
        assert_eq!(c, a);
        assert!(set.set(c, 9, Some(11)));
        assert_eq!(set.iter().collect::<Vec<_>>(), vec![(c, 9, Some(11)), (b, 2, Some(5))]);
        assert!(!set.set(AnchorId(99), 0, None));
    }

    proptest! {
        #[test]
        fn prop_anchors_match_map_pos_and_stay_ordered(
            len in 0usize..40,
            anchors in proptest::collection::vec((0usize..45, 0usize..45, any::<bool>(), any::<bool>()), 0..10),
            edit in (0usize..45, 0usize..45, "[a-z]{0,4}"),
        ) {
            let (s, e, text) = edit;
            let (s, e) = (s.min(e).min(len), s.max(e).min(len));
            let cs = change(len, s, e, &text);
            let grav = |b: bool| if b { Assoc::After } else { Assoc::Before };
            let mut set = AnchorSet::new();
            let ids: Vec<_> = anchors.iter()
                .map(|&(a, b, ga, gb)| set.insert_range(a, b, grav(ga), grav(gb)))
                .collect();
            let deleted = set.map(&cs);
            for (id, &(a, b, ga, gb)) in ids.iter().zip(&anchors) {
                let (lo, hi) = (a.min(b), a.max(b));
                let (start, end) = set.get(*id).ok_or_else(|| TestCaseError::fail("lost"))?;
                let end = end.ok_or_else(|| TestCaseError::fail("range lost its end"))?;
                let (g_lo, g_hi) = if a <= b { (ga, gb) } else { (gb, ga) };
                prop_assert_eq!(start, cs.map_pos(lo, grav(g_lo)));
                prop_assert_eq!(end, cs.map_pos(hi, grav(g_hi)).max(start));
                prop_assert!(end <= cs.len_after());
                // Deleted exactly when the whole (non-empty) range lies in the deleted text.
                let lo_c = lo.min(len);
                let hi_c = hi.min(len).max(lo_c + 1);
                let gone = e > s && s <= lo_c && hi_c <= e;
                prop_assert_eq!(deleted.contains(id), gone);
            }
        }
    }
}
