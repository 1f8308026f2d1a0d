//! One callback id space for every Lua state and the WASM plugin host.
//!
//! A Lua function handed to the editor (a mapping's `callback`, an autocmd,
//! a user command...) is registered in its Lua state under a local id
//! (Lua's registry reference), which means nothing outside that state: two
//! states (the shared one and an `isolated` plugin's, or the same state
//! before and after a rebuild) hand out the same local ids. The editor sees
//! *editor ids* instead, given out here, one space per editor thread, all
//! below [`WASM_CALLBACK_BASE`] (the WASM plugin host's ids start there), so
//! ids from any two runtimes never collide and [`target`] finds the state a
//! callback belongs to.
//!
//! When a state is rebuilt its editor ids stay reserved but lead nowhere:
//! a mapping the old state made reports that its Lua state was restarted
//! instead of running whatever function the new state registered under the
//! same local id. An id is given out again only after the editor releases it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};

pub use rtdvi_editor::events::WASM_CALLBACK_BASE;

use super::LuaEditor;
use crate::value::{CallbackId, LuaValue};

/// Where an editor id leads.
#[derive(Debug)]
enum Slot {
    /// A function registered in a live state.
    Live { lua: Weak<LuaEditor>, local: u32 },
    /// The state that registered it was rebuilt or dropped.
    Gone,
}

#[derive(Debug)]
struct Table {
    next: u32,
    free: Vec<u32>,
    slots: HashMap<u32, Slot>,
}

thread_local! {
    static TABLE: RefCell<Table> = RefCell::new(Table { next: 1, free: Vec::new(), slots: HashMap::new() });
}

/// Why an editor id cannot be called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreachable {
    /// Never given out, or released.
    Unknown,
    /// Its Lua state was rebuilt after a fatal error (or dropped).
    Restarted,
}

/// The editor id for function `local` of `lua` (the same id each time while
/// it lives); `None` when all ids below [`WASM_CALLBACK_BASE`] are in use.
pub(crate) fn export(lua: &Rc<LuaEditor>, local: CallbackId) -> Option<u32> {
    if let Some(id) = lua.state.borrow().exported.get(&local.0) {
        return Some(*id);
    }
    let id = TABLE.with(|t| {
        let mut t = t.borrow_mut();
        let id = match t.free.pop() {
            Some(id) => id,
            None if t.next < WASM_CALLBACK_BASE => {
                t.next += 1;
                t.next - 1
            }
            None => return None,
        };
        t.slots.insert(id, Slot::Live { lua: Rc::downgrade(lua), local: local.0 });
        Some(id)
    })?;
    lua.state.borrow_mut().exported.insert(local.0, id);
    Some(id)
}

/// The local id in `lua` of editor id `id`, if it is one of `lua`'s functions.
pub(crate) fn import(lua: &Rc<LuaEditor>, id: u32) -> Option<CallbackId> {
    TABLE.with(|t| match t.borrow().slots.get(&id) {
        Some(Slot::Live { lua: owner, local }) if std::ptr::eq(owner.as_ptr(), Rc::as_ptr(lua)) => {
            Some(CallbackId(*local))
        }
        _ => None,
    })
}

/// The state and local id editor id `id` leads to.
pub fn target(id: u32) -> Result<(Rc<LuaEditor>, CallbackId), Unreachable> {
    TABLE.with(|t| match t.borrow().slots.get(&id) {
        Some(Slot::Live { lua, local }) => lua.upgrade().map(|l| (l, CallbackId(*local))).ok_or(Unreachable::Restarted),
        Some(Slot::Gone) => Err(Unreachable::Restarted),
        None => Err(Unreachable::Unknown),
    })
}

/// The editor released `id`: it may be given out again. Returns the state
/// and local id it led to, for the state to release its function.
pub(crate) fn forget(id: u32) -> Option<(Rc<LuaEditor>, CallbackId)> {
    let slot = TABLE.with(|t| {
        let mut t = t.borrow_mut();
        let slot = t.slots.remove(&id)?;
        t.free.push(id);
        Some(slot)
    })?;
    let Slot::Live { lua, local } = slot else { return None };
    let lua = lua.upgrade()?;
    lua.state.borrow_mut().exported.remove(&local);
    Some((lua, CallbackId(local)))
}

/// `lua` was rebuilt: its editor ids lead nowhere until the editor releases
/// them.
pub(crate) fn orphan(lua: &LuaEditor) {
    let ids: Vec<u32> = lua.state.borrow_mut().exported.drain().map(|(_, id)| id).collect();
    TABLE.with(|t| {
        let mut t = t.borrow_mut();
        for id in ids {
            if let Some(slot) = t.slots.get_mut(&id) {
                *slot = Slot::Gone;
            }
        }
    });
}

/// Replaces every function in `v` by what `f` maps its id to (nil for `None`).
pub(crate) fn map_functions(v: &mut LuaValue, f: &mut impl FnMut(CallbackId) -> Option<CallbackId>) {
    match v {
        LuaValue::Function(id) => {
            *v = f(*id).map_or(LuaValue::Nil, LuaValue::Function);
        }
        LuaValue::Table(pairs) => pairs.iter_mut().for_each(|(k, v)| {
            map_functions(k, f);
            map_functions(v, f);
        }),
        _ => {}
    }
}

/// Local ids in `values` become editor ids (functions leaving `lua`).
pub(crate) fn export_all(lua: &Rc<LuaEditor>, values: &mut [LuaValue]) {
    for v in values {
        map_functions(v, &mut |local| export(lua, local).map(CallbackId));
    }
}

/// Editor ids in `values` become `lua`'s local ids; another runtime's
/// functions become nil (they cannot be called from this state).
pub(crate) fn import_all(lua: &Rc<LuaEditor>, values: &mut [LuaValue]) {
    for v in values {
        map_functions(v, &mut |id| import(lua, id.0));
    }
}
