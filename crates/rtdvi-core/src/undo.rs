//! An undo tree like Vim's.
//!
//! Every committed change is a node numbered by its sequence number (`seq`,
//! from 1, like Vim's `changenr()`); a node stands for the text state right
//! after its change. Committing after an undo starts a new branch, and the old
//! branch stays reachable through [`UndoTree::goto_seq`], [`UndoTree::earlier`]
//! and [`UndoTree::later`], which walk states in the order they were created.
//!
//! Behaviour checked against Neovim 0.11:
//! - `seq_cur()` is the seq of the current state; the oldest kept state (the
//!   original text, or what is left after old changes were dropped) reports 0.
//! - `redo` follows the branch that was current last (the one just undone,
//!   or the one reached by `:undo N`), else the newest branch.
//! - `'undolevels'` N keeps N + 1 changes, as Vim does (it frees old changes
//!   down to N before adding the new one); a negative value keeps none: each
//!   commit then forgets all history. With N = 0, `u` on the oldest state redoes
//!   the one kept change, so `u` undoes itself like Vi. Changing the level does
//!   not drop anything until the next commit, as in Vim.
//! - Dropping old changes first removes branches that fork off the oldest
//!   state away from the current state, then moves the oldest state forward
//!   along the current branch, so the current state always stays reachable.
//!
//! Cursor placement after a step: see [`UndoStep::cursor`] and
//! [`UndoStep::vim_cursor`].

use std::collections::{BTreeMap, HashSet};

use ropey::Rope;
use thiserror::Error;

use crate::changeset::ChangeSet;

/// Neovim's default `'undolevels'`.
pub const DEFAULT_UNDO_LEVELS: i64 = 1000;

/// Errors of undo-tree navigation.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UndoError {
    /// `:undo N` named a state that does not exist (or was dropped).
    #[error("E830: Undo number {0} not found")]
    NotFound(usize),
}

/// One step of undo or redo: the change to apply and where the cursor goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoStep {
    /// Change to apply to the current text.
    pub changes: ChangeSet,
    /// Cursor after the step, as a char offset in the resulting text: the
    /// cursor saved with the change if it lies inside the changed text, else
    /// the start of the changed text. [`UndoStep::vim_cursor`] refines this
    /// with Vim's line rules.
    pub cursor: usize,
    /// Cursor saved when the change was committed (char offset in the text
    /// before that change).
    pub saved_cursor: usize,
    /// True for an undo step, false for a redo step.
    pub is_undo: bool,
    /// For redo steps: the change back to the text before, to find the saved
    /// cursor's line and column.
    back: Option<ChangeSet>,
    /// The change this step undoes or redoes (its number, as `changenr()`).
    pub seq: usize,
}

/// Where Vim puts the cursor after an undo or redo step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CursorTarget {
    /// Put the cursor at this row and char column (clamp the column to the line).
    Saved {
        /// 0-based row.
        row: usize,
        /// 0-based char column, possibly past the end of the line.
        col: usize,
    },
    /// Put the cursor on this row: at the wanted column with `'nostartofline'`
    /// (Neovim's default), at the first non-blank with `'startofline'`.
    ChangedLine {
        /// 0-based row of the first changed line.
        row: usize,
    },
}

impl UndoStep {
    /// Vim's cursor rule, given the text after this step was applied.
    ///
    /// If the cursor saved with the change was on a changed line or on the
    /// line just above or below the changed lines, Vim restores that row and
    /// column literally (so undoing `gwap` or `dd` puts the cursor back where it
    /// was); otherwise it goes to the first changed line. Vim checks this against
    /// the topmost of the step's saved line ranges (one per change, one per line
    /// for `:s`), so the first contiguous edit counts here, not the hull of all:
    /// undoing `:%s` or a script's many changes goes to the first changed line.
    pub fn vim_cursor(&self, text_after: &Rope) -> CursorTarget {
        let row_of = |rope: &Rope, pos: usize| rope.try_char_to_line(pos.min(rope.len_chars())).unwrap_or(0);
        let Some((start, _, new_end)) = self.changes.first_changed_range() else {
            let (row, col) = row_col(text_after, self.cursor);
            return CursorTarget::Saved { row, col };
        };
        let first = row_of(text_after, start);
        let mut last = row_of(text_after, new_end);
        // A change ending at a line start (whole lines) does not touch that line.
        if new_end > start && last > first {
            if let Ok(line_start) = text_after.try_line_to_char(last) {
                if line_start == new_end {
                    last -= 1;
                }
            }
        }
        // The saved cursor's row and column in the text before the change.
        let (row, col) = match &self.back {
            None => row_col(text_after, self.saved_cursor),
            Some(back) => {
                let mut before = text_after.clone();
                match back.apply(&mut before) {
                    Ok(()) => row_col(&before, self.saved_cursor),
                    Err(_) => row_col(text_after, self.cursor),
                }
            }
        };
        if row + 1 >= first && row <= last + 1 {
            CursorTarget::Saved { row, col }
        } else {
            CursorTarget::ChangedLine { row: first }
        }
    }
}

/// Row and char column of `pos` (clamped to the text).
fn row_col(rope: &Rope, pos: usize) -> (usize, usize) {
    let pos = pos.min(rope.len_chars());
    let row = rope.try_char_to_line(pos).unwrap_or(0);
    let start = rope.try_line_to_char(row).unwrap_or(0);
    (row, pos - start)
}

/// One state of the tree and the change that led to it.
#[derive(Debug, Clone)]
struct Node {
    /// State this change was made on; `None` for the oldest kept state.
    parent: Option<usize>,
    /// Changes made on this state, oldest first.
    children: Vec<usize>,
    /// The child toward the current state, or the branch last left by undo.
    last_child: Option<usize>,
    /// Parent text -> this text.
    changes: ChangeSet,
    /// This text -> parent text.
    inverse: ChangeSet,
    /// Cursor (char offset in the parent text) when the change was made.
    cursor_before: usize,
    /// When the change was committed (seconds, caller's clock).
    time: u64,
}

/// Vim-style undo tree of changesets.
#[derive(Debug, Clone)]
pub struct UndoTree {
    /// States by seq; always holds `root` and `cur`.
    nodes: BTreeMap<usize, Node>,
    /// Seq of the oldest kept state (0 until old changes are dropped).
    root: usize,
    /// Seq of the current state.
    cur: usize,
    /// Highest seq handed out.
    seq_last: usize,
    /// `'undolevels'`.
    levels: i64,
}

impl Default for UndoTree {
    fn default() -> Self {
        Self::new()
    }
}

impl UndoTree {
    /// An empty tree at the original text, with Neovim's default `'undolevels'`.
    pub fn new() -> Self {
        let mut nodes = BTreeMap::new();
        nodes.insert(0, Self::root_node(0));
        UndoTree { nodes, root: 0, cur: 0, seq_last: 0, levels: DEFAULT_UNDO_LEVELS }
    }

    fn root_node(time: u64) -> Node {
        Node {
            parent: None,
            children: Vec::new(),
            last_child: None,
            changes: ChangeSet::new(0),
            inverse: ChangeSet::new(0),
            cursor_before: 0,
            time,
        }
    }

    /// Record a change made on the current state; returns its seq.
    ///
    /// `inverse` must undo `changes`; `cursor_before` is the cursor (char
    /// offset) before the change; `time_secs` is used by `:earlier {N}s`.
    pub fn commit(&mut self, changes: ChangeSet, inverse: ChangeSet, cursor_before: usize, time_secs: u64) -> usize {
        self.seq_last += 1;
        let seq = self.seq_last;
        if self.levels < 0 {
            // No undo: the new state is the only one.
            self.nodes.clear();
            self.nodes.insert(seq, Self::root_node(time_secs));
            self.root = seq;
            self.cur = seq;
            return seq;
        }
        // Like Vim, free old changes down to 'undolevels' before adding one.
        let keep = usize::try_from(self.levels).unwrap_or(usize::MAX);
        self.prune(keep);
        let parent = self.cur;
        if let Some(p) = self.nodes.get_mut(&parent) {
            p.children.push(seq);
            p.last_child = Some(seq);
        }
        self.nodes.insert(
            seq,
            Node {
                parent: Some(parent),
                children: Vec::new(),
                last_child: None,
                changes,
                inverse,
                cursor_before,
                time: time_secs,
            },
        );
        self.cur = seq;
        seq
    }

    /// Drop the oldest changes until at most `keep` remain.
    fn prune(&mut self, keep: usize) {
        while self.nodes.len() - 1 > keep {
            let Some(root) = self.nodes.get(&self.root) else {
                return;
            };
            // The child of the root toward the current state (`last_child`
            // always points that way on the current state's ancestors).
            let toward_cur = if self.cur == self.root { None } else { root.last_child };
            if let Some(&other) = root.children.iter().find(|&&c| Some(c) != toward_cur) {
                self.drop_subtree(other);
                continue;
            }
            let Some(next) = toward_cur else {
                return;
            };
            self.nodes.remove(&self.root);
            if let Some(n) = self.nodes.get_mut(&next) {
                n.parent = None;
                // The change into the new oldest state can never be undone.
                n.changes = ChangeSet::new(0);
                n.inverse = ChangeSet::new(0);
            }
            self.root = next;
        }
    }

    /// Remove `seq` and everything below it, and unlink it from its parent.
    fn drop_subtree(&mut self, seq: usize) {
        if let Some(parent) = self.nodes.get(&seq).and_then(|n| n.parent) {
            if let Some(p) = self.nodes.get_mut(&parent) {
                p.children.retain(|&c| c != seq);
                if p.last_child == Some(seq) {
                    p.last_child = None;
                }
            }
        }
        let mut stack = vec![seq];
        while let Some(s) = stack.pop() {
            if let Some(n) = self.nodes.remove(&s) {
                stack.extend(n.children);
            }
        }
    }

    /// Undo the change that led to the current state; `None` at the oldest state.
    pub fn undo(&mut self) -> Option<UndoStep> {
        if self.cur == self.root {
            if self.levels == 0 {
                // Vi compatibility: with one level, `u` undoes the undo.
                return self.redo();
            }
            return None;
        }
        self.step_up()
    }

    /// Redo the change below the current state on the last used branch; `None` if none.
    pub fn redo(&mut self) -> Option<UndoStep> {
        let node = self.nodes.get(&self.cur)?;
        let child = node.last_child.or_else(|| node.children.last().copied())?;
        self.step_down(child)
    }

    /// Move from the current state to its parent.
    fn step_up(&mut self) -> Option<UndoStep> {
        let seq = self.cur;
        let node = self.nodes.get(&seq)?;
        let parent = node.parent?;
        let changes = node.inverse.clone();
        let saved = node.cursor_before;
        let cursor = match changes.changed_range() {
            Some((start, _, new_end)) if (start..=new_end).contains(&saved) => saved,
            Some((start, _, _)) => start,
            None => saved,
        };
        if let Some(p) = self.nodes.get_mut(&parent) {
            p.last_child = Some(seq);
        }
        self.cur = parent;
        Some(UndoStep { changes, cursor, saved_cursor: saved, is_undo: true, back: None, seq })
    }

    /// Move from the current state to its child `child`.
    fn step_down(&mut self, child: usize) -> Option<UndoStep> {
        let node = self.nodes.get(&child)?;
        if node.parent != Some(self.cur) {
            return None;
        }
        let changes = node.changes.clone();
        let saved = node.cursor_before;
        let back = node.inverse.clone();
        let cursor = match changes.changed_range() {
            Some((start, old_end, _)) if (start..=old_end).contains(&saved) => {
                changes.map_pos(saved, crate::changeset::Assoc::Before)
            }
            Some((start, _, _)) => start,
            None => saved,
        };
        if let Some(p) = self.nodes.get_mut(&self.cur) {
            p.last_child = Some(child);
        }
        self.cur = child;
        Some(UndoStep { changes, cursor, saved_cursor: saved, is_undo: false, back: Some(back), seq: child })
    }

    /// Steps from the current state to state `target` (which must exist).
    fn walk_to(&mut self, target: usize) -> Vec<UndoStep> {
        // Path from the target up to the oldest state.
        let mut down = Vec::new();
        let mut on_path = HashSet::new();
        let mut s = Some(target);
        while let Some(seq) = s {
            on_path.insert(seq);
            down.push(seq);
            s = self.nodes.get(&seq).and_then(|n| n.parent);
        }
        let mut steps = Vec::new();
        while !on_path.contains(&self.cur) {
            match self.step_up() {
                Some(step) => steps.push(step),
                None => return steps,
            }
        }
        // `down` runs target..=root; redo from just below the common ancestor.
        let ancestor = down.iter().position(|&seq| seq == self.cur);
        if let Some(i) = ancestor {
            for &seq in down[..i].iter().rev() {
                match self.step_down(seq) {
                    Some(step) => steps.push(step),
                    None => break,
                }
            }
        }
        steps
    }

    /// `:undo N`: go to the state right after change `seq` (0: the oldest kept state).
    pub fn goto_seq(&mut self, seq: usize) -> Result<Vec<UndoStep>, UndoError> {
        let target = if seq == 0 { self.root } else { seq };
        if !self.nodes.contains_key(&target) {
            return Err(UndoError::NotFound(seq));
        }
        Ok(self.walk_to(target))
    }

    /// `:earlier N` / `g-`: go back `count` states in creation order, across branches.
    /// Empty when already at the oldest state.
    pub fn earlier(&mut self, count: usize) -> Vec<UndoStep> {
        let cur = self.seq_cur();
        if cur == 0 || count == 0 {
            return Vec::new();
        }
        let target = cur.saturating_sub(count);
        // States may have been dropped: take the nearest older one that exists.
        let found = self.nodes.range(..=target).next_back().map_or(self.root, |(&s, _)| s);
        self.walk_to(found)
    }

    /// `:later N` / `g+`: go forward `count` states in creation order, across branches.
    /// Empty when already at the newest state.
    pub fn later(&mut self, count: usize) -> Vec<UndoStep> {
        // The real seq: at a dropped-to oldest state `seq_cur()` says 0.
        let cur = self.cur;
        if cur >= self.seq_last || count == 0 {
            return Vec::new();
        }
        let target = cur.saturating_add(count).min(self.seq_last);
        let found = self.nodes.range(target..).next().map_or(self.seq_last, |(&s, _)| s);
        self.walk_to(found)
    }

    /// `:earlier {N}s`: go to the newest older state made at least `secs`
    /// before the current one, or to the oldest state if there is none.
    ///
    /// `now` (the caller's clock) caps times that lie in the future because
    /// the clock was set back.
    pub fn earlier_time(&mut self, secs: u64, now: u64) -> Vec<UndoStep> {
        if self.cur == self.root || secs == 0 {
            return Vec::new();
        }
        let time = |n: &Node| n.time.min(now);
        let reference = self.nodes.get(&self.cur).map_or(0, time);
        let target = reference.saturating_sub(secs);
        let found = self
            .nodes
            .range(..self.cur)
            .rev()
            .find(|(&s, n)| s != self.root && time(n) <= target)
            .map_or(self.root, |(&s, _)| s);
        self.walk_to(found)
    }

    /// `:later {N}s`: go to the newest state made at most `secs` after the
    /// current one; if the next change is later than that, go to it anyway
    /// so that repeating the command always moves.
    pub fn later_time(&mut self, secs: u64, now: u64) -> Vec<UndoStep> {
        if self.seq_cur() >= self.seq_last || secs == 0 {
            return Vec::new();
        }
        let time = |n: &Node| n.time.min(now);
        let reference = if self.cur == self.root { 0 } else { self.nodes.get(&self.cur).map_or(0, time) };
        let target = reference.saturating_add(secs);
        let newer = || self.nodes.range(self.cur + 1..);
        let found = newer().rev().find(|(_, n)| time(n) <= target).or_else(|| newer().next()).map(|(&s, _)| s);
        match found {
            Some(seq) => self.walk_to(seq),
            None => Vec::new(),
        }
    }

    /// Seq of the current state (`changenr()`); 0 at the oldest kept state.
    pub fn seq_cur(&self) -> usize {
        if self.cur == self.root {
            0
        } else {
            self.cur
        }
    }

    /// Identity of the current text state: the seq of the change that made
    /// it (0 for the original text). Unlike [`UndoTree::seq_cur`], which
    /// reports 0 for whatever state is oldest once old changes are dropped
    /// (or for every state with `'undolevels'` < 0), two different states
    /// never share an id: compare it with the id saved at `:w` to know
    /// whether the buffer is modified.
    pub fn state_id(&self) -> usize {
        self.cur
    }

    /// Highest seq ever committed.
    pub fn seq_last(&self) -> usize {
        self.seq_last
    }

    /// Seq of the change whose text the oldest kept state holds (0 while nothing was dropped).
    pub fn seq_root(&self) -> usize {
        self.root
    }

    /// Set `'undolevels'`: negative disables undo, N keeps N + 1 changes (from the next commit on).
    pub fn set_levels(&mut self, levels: i64) {
        self.levels = levels;
    }

    /// Current `'undolevels'`.
    pub fn levels(&self) -> i64 {
        self.levels
    }

    /// Number of changes that can be undone or redone from somewhere in the tree.
    pub fn len(&self) -> usize {
        self.nodes.len() - 1
    }

    /// True when there is no change to undo or redo.
    pub fn is_empty(&self) -> bool {
        self.nodes.len() == 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changeset::Edit;
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// A text with an undo tree, as the editor would keep them.
    struct Doc {
        text: Rope,
        tree: UndoTree,
        /// Text of every state when it was created.
        states: HashMap<usize, String>,
    }

    impl Doc {
        fn new(text: &str) -> Self {
            let mut states = HashMap::new();
            states.insert(0, text.to_owned());
            Doc { text: Rope::from_str(text), tree: UndoTree::new(), states }
        }

        fn edit(&mut self, start: usize, end: usize, text: &str, time: u64) -> usize {
            let len = self.text.len_chars();
            let start = start.min(len);
            let end = end.clamp(start, len);
            let edit = Edit { start, end, text: text.to_owned() };
            let cs = ChangeSet::from_edits(len, [edit]).expect("in bounds");
            let inv = cs.invert(&self.text);
            cs.apply(&mut self.text).expect("lengths match");
            let seq = self.tree.commit(cs, inv, start, time);
            self.states.insert(seq, self.text.to_string());
            seq
        }

        fn run(&mut self, steps: Vec<UndoStep>) -> Option<usize> {
            let mut cursor = None;
            for step in steps {
                step.changes.apply(&mut self.text).expect("step fits the text");
                cursor = Some(step.cursor);
            }
            cursor
        }

        /// Run one navigation that yields several steps.
        fn go(&mut self, f: impl FnOnce(&mut UndoTree) -> Vec<UndoStep>) -> Option<usize> {
            let steps = f(&mut self.tree);
            self.run(steps)
        }

        /// Run undo or redo.
        fn one(&mut self, f: impl FnOnce(&mut UndoTree) -> Option<UndoStep>) -> Option<usize> {
            let step = f(&mut self.tree);
            self.run(step.into_iter().collect())
        }

        fn check(&self) {
            let seq = match self.tree.seq_cur() {
                0 => self.tree.seq_root(),
                s => s,
            };
            assert_eq!(self.text.to_string(), self.states[&seq], "state {seq}");
        }
    }

    #[test]
    fn linear_undo_redo() {
        let mut d = Doc::new("abc");
        assert_eq!(d.edit(3, 3, "d", 1), 1);
        assert_eq!(d.edit(0, 1, "", 2), 2);
        assert_eq!(d.text.to_string(), "bcd");
        assert_eq!(d.one(|t| t.undo()), Some(0));
        assert_eq!(d.text.to_string(), "abcd");
        assert_eq!(d.tree.seq_cur(), 1);
        d.one(|t| t.undo());
        assert_eq!(d.text.to_string(), "abc");
        assert_eq!(d.tree.seq_cur(), 0);
        assert!(d.tree.undo().is_none(), "already at oldest change");
        d.one(|t| t.redo());
        d.one(|t| t.redo());
        assert_eq!(d.text.to_string(), "bcd");
        assert!(d.tree.redo().is_none(), "already at newest change");
    }

    #[test]
    fn branches_stay_reachable() {
        let mut d = Doc::new("");
        d.edit(0, 0, "one", 1); // 1
        d.edit(3, 3, " two", 2); // 2
        d.one(|t| t.undo());
        d.edit(3, 3, " deux", 3); // 3, a new branch from state 1
        assert_eq!(d.tree.seq_last(), 3);
        let steps = d.tree.goto_seq(2).expect("state 2 exists");
        assert_eq!(steps.len(), 2, "undo 3, redo 2");
        d.run(steps);
        assert_eq!(d.text.to_string(), "one two");
        // Redo follows the branch last used: undo 2 then redo gives 2 again.
        d.one(|t| t.undo());
        d.one(|t| t.redo());
        assert_eq!(d.tree.seq_cur(), 2);
        // g- walks by creation order across branches: 2 -> 1 -> 0, g+ 0 -> 1 -> 2 -> 3.
        d.go(|t| t.earlier(1));
        assert_eq!(d.tree.seq_cur(), 1);
        d.go(|t| t.later(2));
        assert_eq!(d.tree.seq_cur(), 3);
        d.check();
        assert_eq!(d.tree.goto_seq(9), Err(UndoError::NotFound(9)));
        assert_eq!(UndoError::NotFound(9).to_string(), "E830: Undo number 9 not found");
        d.go(|t| t.goto_seq(0).expect("origin"));
        assert_eq!(d.text.to_string(), "");
        assert!(d.tree.earlier(1).is_empty());
    }

    #[test]
    fn undo_cursor_rules() {
        let mut d = Doc::new("hello world");
        // `x` at 6: undo and redo put the cursor at 6.
        d.edit(6, 7, "", 1);
        assert_eq!(d.one(|t| t.undo()), Some(6));
        assert_eq!(d.one(|t| t.redo()), Some(6));
        // A change away from the saved cursor: cursor goes to the change.
        let len = d.text.len_chars();
        let cs = ChangeSet::from_edits(len, [Edit { start: 0, end: 0, text: "> ".into() }]).expect("valid");
        let inv = cs.invert(&d.text);
        cs.apply(&mut d.text).expect("ok");
        d.tree.commit(cs, inv, 8, 2);
        assert_eq!(d.one(|t| t.undo()), Some(0));
    }

    #[test]
    fn vim_cursor_line_rules() {
        // Three lines; `dd` on line 1 (0-based) with the cursor at column 4.
        let mut d = Doc::new("  alpha\n  gamma delta\n  eps");
        d.edit(8, 22, "", 1);
        let step = d.tree.undo().expect("undo");
        step.changes.apply(&mut d.text).expect("ok");
        // The saved cursor (offset 8 = row 1 col 0) is on the restored line.
        assert_eq!(step.vim_cursor(&d.text), CursorTarget::Saved { row: 1, col: 0 });
        let step = d.tree.redo().expect("redo");
        step.changes.apply(&mut d.text).expect("ok");
        assert_eq!(step.vim_cursor(&d.text), CursorTarget::Saved { row: 1, col: 0 });
        // A change on row 3 while the cursor was on row 0: go to the changed row.
        let mut d = Doc::new("a\nb\nc\nd\ne");
        let len = d.text.len_chars();
        let cs = ChangeSet::from_edits(len, [Edit { start: 6, end: 7, text: "D".into() }]).expect("valid");
        let inv = cs.invert(&d.text);
        cs.apply(&mut d.text).expect("ok");
        d.tree.commit(cs, inv, 0, 1);
        let step = d.tree.undo().expect("undo");
        step.changes.apply(&mut d.text).expect("ok");
        assert_eq!(step.vim_cursor(&d.text), CursorTarget::ChangedLine { row: 3 });
    }

    #[test]
    fn levels_drop_old_changes() {
        let mut d = Doc::new("x");
        d.tree.set_levels(2);
        for (i, t) in ["0", "1", "2", "3"].iter().enumerate() {
            let len = d.text.len_chars();
            d.edit(len, len, t, i as u64);
        }
        // Like Neovim: 'undolevels' 2 keeps three changes.
        assert_eq!(d.tree.len(), 3);
        let mut undone = 0;
        while d.one(|t| t.undo()).is_some() {
            undone += 1;
        }
        assert_eq!(undone, 3);
        assert_eq!(d.text.to_string(), "x0");
        assert_eq!(d.tree.seq_cur(), 0);
        assert_eq!(d.tree.seq_root(), 1);
        assert_eq!(d.tree.state_id(), 1, "not the original text");
        assert!(d.tree.goto_seq(1).is_ok_and(|steps| steps.is_empty()));
        d.go(|t| t.goto_seq(4).expect("newest"));
        assert_eq!(d.text.to_string(), "x0123");
        // g- and g+ from and to the oldest kept state.
        d.go(|t| t.earlier(10));
        assert_eq!(d.text.to_string(), "x0");
        assert!(d.tree.earlier(1).is_empty());
        d.go(|t| t.later(1));
        assert_eq!(d.text.to_string(), "x01");
        assert_eq!(d.tree.seq_cur(), 2);
    }

    #[test]
    fn levels_zero_undo_undoes_itself() {
        let mut d = Doc::new("x");
        d.tree.set_levels(0);
        d.edit(1, 1, "b", 1);
        d.edit(2, 2, "b", 2);
        d.one(|t| t.undo());
        assert_eq!(d.text.to_string(), "xb");
        d.one(|t| t.undo());
        assert_eq!(d.text.to_string(), "xbb");
    }

    #[test]
    fn negative_levels_disable_undo() {
        let mut d = Doc::new("x");
        d.edit(1, 1, "a", 1);
        d.tree.set_levels(-1);
        let saved = d.tree.state_id();
        d.edit(2, 2, "b", 2);
        assert!(d.tree.undo().is_none());
        assert!(d.tree.is_empty());
        assert_eq!(d.tree.seq_cur(), 0, "changenr() stays 0 as in Neovim");
        assert_ne!(d.tree.state_id(), saved);
        d.tree.set_levels(10);
        d.edit(3, 3, "c", 3);
        d.one(|t| t.undo());
        assert_eq!(d.text.to_string(), "xab");
        assert!(d.tree.undo().is_none());
    }

    #[test]
    fn time_travel() {
        let mut d = Doc::new("");
        d.edit(0, 0, "a", 100); // 1
        d.edit(1, 1, "b", 110); // 2
        d.edit(2, 2, "c", 200); // 3
        d.go(|t| t.earlier_time(50, 300));
        assert_eq!(d.tree.seq_cur(), 2);
        d.go(|t| t.earlier_time(5, 300));
        assert_eq!(d.tree.seq_cur(), 1);
        d.go(|t| t.earlier_time(1000, 300));
        assert_eq!(d.tree.seq_cur(), 0);
        assert!(d.tree.earlier_time(10, 300).is_empty());
        d.go(|t| t.later_time(105, 300));
        assert_eq!(d.tree.seq_cur(), 1, "only 1 is within 105 s of the origin");
        d.go(|t| t.later_time(20, 300));
        assert_eq!(d.tree.seq_cur(), 2);
        d.go(|t| t.later_time(1, 300));
        assert_eq!(d.tree.seq_cur(), 3, "the next change is always reached");
        assert!(d.tree.later_time(1, 300).is_empty());
        d.check();
    }

    #[derive(Debug, Clone)]
    enum Action {
        Edit(usize, usize, String),
        Undo,
        Redo,
        Goto(usize),
        Earlier(usize),
        Later(usize),
        EarlierTime(u64),
        LaterTime(u64),
        Levels(i64),
    }

    fn action() -> impl Strategy<Value = Action> {
        prop_oneof![
            4 => (0usize..30, 0usize..30, "[ab\n]{0,3}").prop_map(|(s, e, t)| Action::Edit(s, e, t)),
            3 => Just(Action::Undo),
            2 => Just(Action::Redo),
            2 => (0usize..25).prop_map(Action::Goto),
            1 => (1usize..4).prop_map(Action::Earlier),
            1 => (1usize..4).prop_map(Action::Later),
            1 => (1u64..20).prop_map(Action::EarlierTime),
            1 => (1u64..20).prop_map(Action::LaterTime),
            1 => (-1i64..6).prop_map(Action::Levels),
        ]
    }

    proptest! {
        #[test]
        fn prop_random_walk_reproduces_states(actions in proptest::collection::vec(action(), 1..60)) {
            let mut d = Doc::new("start\ntext");
            let mut clock = 0;
            for a in actions {
                clock += 3;
                match a {
                    Action::Edit(s, e, t) => {
                        d.edit(s.min(e), s.max(e), &t, clock);
                    }
                    Action::Undo => { d.one(|t| t.undo()); }
                    Action::Redo => { d.one(|t| t.redo()); }
                    Action::Goto(seq) => {
                        let exists = seq == 0 || d.tree.nodes.contains_key(&seq);
                        match d.tree.goto_seq(seq) {
                            Ok(steps) => {
                                prop_assert!(exists);
                                d.run(steps);
                                let want = if seq == 0 { 0 } else { seq };
                                prop_assert!(d.tree.seq_cur() == want || seq == d.tree.seq_root());
                            }
                            Err(UndoError::NotFound(n)) => {
                                prop_assert_eq!(n, seq);
                                prop_assert!(!exists);
                            }
                        }
                    }
                    Action::Earlier(n) => {
                        let before = d.tree.state_id();
                        d.go(|t| t.earlier(n));
                        // g- always moves back unless at the oldest state.
                        prop_assert!(d.tree.state_id() < before || before == d.tree.seq_root());
                    }
                    Action::Later(n) => {
                        let before = d.tree.state_id();
                        d.go(|t| t.later(n));
                        prop_assert!(d.tree.state_id() > before || before == d.tree.seq_last());
                    }
                    Action::EarlierTime(s) => { d.go(|t| t.earlier_time(s, clock)); }
                    Action::LaterTime(s) => { d.go(|t| t.later_time(s, clock)); }
                    Action::Levels(l) => d.tree.set_levels(l),
                }
                let seq = match d.tree.seq_cur() { 0 => d.tree.seq_root(), s => s };
                prop_assert_eq!(seq, d.tree.state_id());
                prop_assert_eq!(d.text.to_string(), d.states[&seq].clone(), "state {}", seq);
                prop_assert!(d.tree.seq_cur() <= d.tree.seq_last());
            }
            // Every state still in the tree is reachable and has its text.
            let seqs: Vec<usize> = d.tree.nodes.keys().copied().collect();
            for seq in seqs {
                let steps = d.tree.goto_seq(seq).map_err(|e| TestCaseError::fail(e.to_string()))?;
                d.run(steps);
                prop_assert_eq!(d.text.to_string(), d.states[&seq].clone(), "goto {}", seq);
            }
        }
    }
}
