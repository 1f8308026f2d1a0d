//! A freshly opened Lua state, captured once per engine and copied into
//! every new instance, so a new [`crate::LuaRuntime`] skips Lua's start-up
//! (`luaL_newstate`, the sandboxed standard library, the compatibility
//! layer): the bulk of a small plugin's instantiate-to-ready time.
//!
//! The guest keeps all of its state in linear memory plus one global,
//! `__stack_pointer` (checked at capture: a module with other mutable
//! globals is not snapshotted). A new instance already holds the module's
//! initial memory, so only the 4 KiB pages that opening Lua changed are
//! written — about the pages opening would have touched anyway, so memory
//! per instance does not grow. Only a state that fits in the module's
//! initial memory is captured (it does: Lua opens in a few dozen KiB of the
//! 17 initial pages), so no instance ever needs `memory.grow` to restore.
//!
//! Pointers inside the state are addresses in linear memory and function
//! table indices, identical in every instance of the same module. What
//! would otherwise be shared — the seed of `math.random` — is reseeded per
//! instance by the caller; Lua's string-hash seed is shared, which only
//! matters against hash flooding between plugins of one process.

use std::sync::OnceLock;

use rtdvi_wasm::{EngineKind, Val};

use crate::error::LuaError;
use crate::guest::Guest;

/// Granularity of the comparison (a host page: writing one touches one).
const PAGE: usize = 4096;

/// The pages of an opened state that differ from a new instance's memory.
pub(crate) struct Snapshot {
    pages: Vec<(i32, Vec<u8>)>,
    stack_pointer: Val,
}

static WASMTIME: OnceLock<Option<Snapshot>> = OnceLock::new();
static WASMI: OnceLock<Option<Snapshot>> = OnceLock::new();

/// The snapshot for `kind`, captured on first use with `open`, which makes
/// a new instance and opens Lua in it; `None` when capturing failed or does
/// not apply (callers then open Lua themselves).
pub(crate) fn get(
    kind: EngineKind,
    open: impl FnOnce() -> Result<(Guest, Guest), LuaError>,
) -> Option<&'static Snapshot> {
    let cell = match kind {
        EngineKind::Wasmtime => &WASMTIME,
        EngineKind::Wasmi => &WASMI,
    };
    cell.get_or_init(|| open().ok().and_then(|(mut fresh, mut opened)| capture(&mut fresh, &mut opened))).as_ref()
}

fn capture(fresh: &mut Guest, opened: &mut Guest) -> Option<Snapshot> {
    let size = fresh.memory_size();
    if opened.memory_size() != size || size % PAGE != 0 || !fresh.only_global_is_stack_pointer() {
        return None;
    }
    let before = fresh.read(0, i32::try_from(size).ok()?).ok()?;
    let after = opened.read(0, i32::try_from(size).ok()?).ok()?;
    let pages = before
        .chunks(PAGE)
        .zip(after.chunks(PAGE))
        .enumerate()
        .filter(|(_, (b, a))| b != a)
        .map(|(i, (_, a))| Some((i32::try_from(i * PAGE).ok()?, a.to_vec())))
        .collect::<Option<Vec<_>>>()?;
    let stack_pointer = opened.stack_pointer().ok()?;
    Some(Snapshot { pages, stack_pointer })
}

impl Snapshot {
    /// Makes `guest`, a new instance, hold the opened state.
    pub(crate) fn restore(&self, guest: &mut Guest) -> Result<(), LuaError> {
        for (offset, bytes) in &self.pages {
            guest.write(*offset, bytes)?;
        }
        guest.set_stack_pointer(self.stack_pointer)
    }
}
