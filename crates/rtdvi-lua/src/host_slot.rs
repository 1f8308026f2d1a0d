//! Where the `rtdvi.call` import finds the [`LuaHost`] of the call in
//! progress. The only `unsafe` code of the crate lives here.
//!
//! The engine calls host imports with a `'static` store, so a host borrowed
//! for one `exec_with`/`call_with` cannot travel inside it. Instead, each
//! such call pushes a lifetime-erased pointer to its host on a per-thread
//! stack for exactly as long as the borrow lasts, and the import, which runs
//! synchronously on the same thread, borrows the innermost entry back.
//!
//! # Safety argument
//! - [`with_host`] derives the pointer from `host: &'a mut dyn LuaHost` and
//!   does not touch `host` again until it returns; the entry is popped by a
//!   guard when `f` returns *or unwinds*, so the pointer never outlives `'a`.
//! - [`with_current`] takes the innermost pointer *out* of its entry before
//!   turning it into a `&mut`, and puts it back afterwards (again by a
//!   guard). While that `&mut` is alive no other code can reach the same
//!   pointer, so two live `&mut` to one host never exist.
//! - Nested entries (the host re-entering Lua through a [`Reentry`] with
//!   itself or another host) are pushed above and popped before the outer
//!   `&mut` is used again: borrows are properly nested, as in safe code.
//! - Calls on one thread are strictly nested, so the innermost entry always
//!   belongs to the innermost running guest, even with several runtimes.
//!
//! [`Reentry`]: crate::Reentry

use std::cell::RefCell;
use std::ptr::NonNull;

use crate::host_call::LuaHost;

/// A host borrowed by a running call, lifetime erased (see the module docs).
/// `None` while the import is using it.
type Entry = Option<NonNull<dyn LuaHost + 'static>>;

thread_local! {
    static HOSTS: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
}

/// Pops the entry pushed by [`with_host`], also when unwinding.
struct Pop;

impl Drop for Pop {
    fn drop(&mut self) {
        HOSTS.with(|h| h.borrow_mut().pop());
    }
}

/// Runs `f` with `host` as the innermost host of this thread.
pub(crate) fn with_host<R>(host: &mut dyn LuaHost, f: impl FnOnce() -> R) -> R {
    let short: NonNull<dyn LuaHost + '_> = NonNull::from(host);
    // SAFETY: only the trait object's lifetime bound changes (same layout);
    // the pointer is popped before `host`'s borrow ends (module docs).
    let erased: NonNull<dyn LuaHost + 'static> = unsafe { std::mem::transmute(short) };
    HOSTS.with(|h| h.borrow_mut().push(Some(erased)));
    let _pop = Pop;
    f()
}

/// Puts a taken pointer back into its entry, also when unwinding.
struct PutBack {
    depth: usize,
    ptr: NonNull<dyn LuaHost + 'static>,
}

impl Drop for PutBack {
    fn drop(&mut self) {
        HOSTS.with(|h| {
            if let Some(slot) = h.borrow_mut().get_mut(self.depth) {
                *slot = Some(self.ptr);
            }
        });
    }
}

/// Runs `f` with the innermost host of this thread, or returns `None` when
/// there is none (or it is already in use, which nesting rules out).
pub(crate) fn with_current<R>(f: impl FnOnce(&mut dyn LuaHost) -> R) -> Option<R> {
    let (depth, ptr) = HOSTS.with(|h| {
        let mut hosts = h.borrow_mut();
        let depth = hosts.len().checked_sub(1)?;
        let ptr = hosts.get_mut(depth)?.take()?;
        Some((depth, ptr))
    })?;
    let _put_back = PutBack { depth, ptr };
    let mut ptr = ptr;
    // SAFETY: the pointer came from a live `&mut` in `with_host`, whose frame
    // is still running (its entry is on the stack); it was taken out of its
    // entry, so this is the only `&mut` made from it until `_put_back` runs.
    let host = unsafe { ptr.as_mut() };
    Some(f(host))
}

/// A re-entry lent by [`crate::Reentry::lend`], lifetime erased like the
/// hosts above, with the key of the Lua state it enters (`None` while
/// [`with_lent`] uses it).
type LentEntry = (usize, Option<NonNull<crate::Reentry<'static>>>);

/// The key of re-entries lent without one: any [`with_lent`] may take them.
pub(crate) const ANY_STATE: usize = usize::MAX;

thread_local! {
    static LENT: RefCell<Vec<LentEntry>> = const { RefCell::new(Vec::new()) };
}

/// Pops the entry pushed by [`lend`], also when unwinding.
struct PopLent;

impl Drop for PopLent {
    fn drop(&mut self) {
        LENT.with(|l| l.borrow_mut().pop());
    }
}

/// Runs `f` with `lua` reachable through [`with_lent`] under `key` (the Lua
/// state it enters). Same argument as [`with_host`]: `lua` stays mutably
/// borrowed (and unused) until `f` ends.
pub(crate) fn lend<R>(key: usize, lua: &mut crate::Reentry<'_>, f: impl FnOnce() -> R) -> R {
    let short: NonNull<crate::Reentry<'_>> = NonNull::from(lua);
    // SAFETY: only the lifetime parameter changes (same layout); the entry
    // is popped before the borrow of `lua` ends.
    let erased: NonNull<crate::Reentry<'static>> = unsafe { std::mem::transmute(short) };
    LENT.with(|l| l.borrow_mut().push((key, Some(erased))));
    let _pop = PopLent;
    f()
}

/// Puts a taken re-entry back, also when unwinding.
struct PutBackLent {
    depth: usize,
    ptr: NonNull<crate::Reentry<'static>>,
}

impl Drop for PutBackLent {
    fn drop(&mut self) {
        LENT.with(|l| {
            if let Some(slot) = l.borrow_mut().get_mut(self.depth) {
                slot.1 = Some(self.ptr);
            }
        });
    }
}

/// Runs `f` with the innermost re-entry of this thread lent under `key` (any
/// key when `key` is [`ANY_STATE`]), if any. The closure gets a fresh
/// lifetime, so it cannot keep the re-entry or swap it with another one (both
/// would need the same invariant lifetime).
///
/// With several Lua states (isolated plugins) the entry taken may lie below
/// entries of other states: those enter other instances, so the re-entry
/// taken is still the only live way into its own instance, and the innermost
/// one of that state is the one whose guest is waiting in a host call.
pub(crate) fn with_lent<R>(key: usize, f: impl for<'r> FnOnce(&'r mut crate::Reentry<'r>) -> R) -> Option<R> {
    let (depth, ptr) = LENT.with(|l| {
        let mut lent = l.borrow_mut();
        let depth = lent.iter().rposition(|(k, _)| key == ANY_STATE || *k == key)?;
        let ptr = lent.get_mut(depth)?.1.take()?;
        Some((depth, ptr))
    })?;
    let _put_back = PutBackLent { depth, ptr };
    let mut ptr = ptr;
    // SAFETY: as in `with_current`: the lending frame is still running and
    // the pointer was taken out of its entry; the lifetime handed to `f` is
    // shorter than the lend.
    let lua: &mut crate::Reentry<'_> = unsafe { std::mem::transmute::<&mut crate::Reentry<'static>, _>(ptr.as_mut()) };
    Some(f(lua))
}
