//! The context a host function receives: host data, bounds-checked guest
//! memory, globals, and re-entrant calls into the same instance.

use std::ops::Range;

use crate::error::{CallError, Error, MemoryAccessError};
use crate::value::Val;

/// What a host function can do with the instance that called it.
pub struct Caller<'a, T> {
    pub(crate) ops: &'a mut dyn CallerOps<T>,
}

/// The engine-specific half of [`Caller`] (and of [`crate::Instance`]'s
/// memory and global accessors): the one small trait that hides the engines.
pub(crate) trait CallerOps<T> {
    fn data(&self) -> &T;
    fn data_mut(&mut self) -> &mut T;
    /// The instance's exported `memory`, whole.
    fn memory(&mut self) -> Option<&mut [u8]>;
    /// The memory and the host data, borrowed at once.
    fn memory_and_data(&mut self) -> (Option<&mut [u8]>, &mut T);
    fn call(&mut self, name: &str, args: &[Val], results: &mut [Val]) -> Result<(), CallError>;
    fn global_get(&mut self, name: &str) -> Result<Val, Error>;
    fn global_set(&mut self, name: &str, value: Val) -> Result<(), Error>;
    /// Re-arms the per-call deadline (epochs or fuel) from the limits.
    fn restart_deadline(&mut self);
}

/// The byte range `ptr..ptr+len` if it lies inside a memory of `size` bytes.
/// Negative values and overflowing sums are refused, never wrapped.
pub(crate) fn guest_range(ptr: i64, len: i64, size: usize) -> Result<Range<usize>, MemoryAccessError> {
    let oob = || MemoryAccessError::OutOfBounds { ptr, len, size };
    let start = usize::try_from(ptr).map_err(|_| oob())?;
    let n = usize::try_from(len).map_err(|_| oob())?;
    let end = start.checked_add(n).ok_or_else(oob)?;
    if end > size {
        return Err(oob());
    }
    Ok(start..end)
}

pub(crate) fn slice_mut(mem: Option<&mut [u8]>, ptr: i32, len: i32) -> Result<&mut [u8], MemoryAccessError> {
    let mem = mem.ok_or(MemoryAccessError::NoMemory)?;
    let range = guest_range(ptr.into(), len.into(), mem.len())?;
    let size = mem.len();
    mem.get_mut(range).ok_or(MemoryAccessError::OutOfBounds { ptr: ptr.into(), len: len.into(), size })
}

impl<T> Caller<'_, T> {
    /// The host data of this instance.
    pub fn data(&self) -> &T {
        self.ops.data()
    }

    /// The host data of this instance, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        self.ops.data_mut()
    }

    /// Current size of the exported memory in bytes (0 without one).
    pub fn memory_size(&mut self) -> usize {
        self.ops.memory().map_or(0, |m| m.len())
    }

    /// Guest bytes `ptr..ptr+len`, borrowed mutably (zero-copy access).
    pub fn slice_mut(&mut self, ptr: i32, len: i32) -> Result<&mut [u8], MemoryAccessError> {
        slice_mut(self.ops.memory(), ptr, len)
    }

    /// The whole guest memory (`None` without one) and the host data, borrowed at once, so that
    /// host data can be copied into the guest without an intermediate copy. Check ranges with
    /// [`Caller::range`].
    pub fn memory_and_data(&mut self) -> (Option<&mut [u8]>, &mut T) {
        self.ops.memory_and_data()
    }

    /// `ptr..ptr+len` as a range of a memory of `size` bytes, if it lies inside (negative
    /// values and overflowing sums are refused, never wrapped).
    pub fn range(ptr: i32, len: i32, size: usize) -> Result<Range<usize>, MemoryAccessError> {
        guest_range(ptr.into(), len.into(), size)
    }

    /// A copy of guest bytes `ptr..ptr+len`.
    pub fn read(&mut self, ptr: i32, len: i32) -> Result<Vec<u8>, MemoryAccessError> {
        self.slice_mut(ptr, len).map(|s| s.to_vec())
    }

    /// Guest bytes `ptr..ptr+len` as UTF-8 text.
    pub fn read_string(&mut self, ptr: i32, len: i32) -> Result<String, MemoryAccessError> {
        let bytes = self.slice_mut(ptr, len)?;
        std::str::from_utf8(bytes).map(str::to_owned).map_err(|_| MemoryAccessError::InvalidUtf8)
    }

    /// Copies `bytes` into guest memory at `ptr`.
    pub fn write(&mut self, ptr: i32, bytes: &[u8]) -> Result<(), MemoryAccessError> {
        let len = i32::try_from(bytes.len()).map_err(|_| MemoryAccessError::OutOfBounds {
            ptr: ptr.into(),
            len: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            size: 0,
        })?;
        self.slice_mut(ptr, len)?.copy_from_slice(bytes);
        Ok(())
    }

    /// Calls export `name` of the same instance (re-entrant). `results` must
    /// have one slot per result. A [`crate::HostError::throw`] raised below
    /// shows up as [`CallError::thrown`]; anything else should be propagated
    /// with `?` so the outer call reports the original trap.
    pub fn call(&mut self, name: &str, args: &[Val], results: &mut [Val]) -> Result<(), CallError> {
        self.ops.call(name, args, results)
    }

    /// Value of exported global `name` (e.g. `__stack_pointer`).
    pub fn global_get(&mut self, name: &str) -> Result<Val, Error> {
        self.ops.global_get(name)
    }

    /// Sets exported mutable global `name`.
    pub fn global_set(&mut self, name: &str, value: Val) -> Result<(), Error> {
        self.ops.global_set(name, value)
    }

    /// Gives the outermost call under way its whole deadline again, for
    /// slow work the host does on the guest's behalf but must not bill to
    /// it (compiling a module the guest asked for). Call it only for work
    /// the guest cannot repeat at will, or the deadline stops nothing.
    pub fn restart_deadline(&mut self) {
        self.ops.restart_deadline()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guest_range_refuses_negative_huge_and_overflowing() {
        assert_eq!(guest_range(0, 10, 10), Ok(0..10));
        assert_eq!(guest_range(10, 0, 10), Ok(10..10));
        assert!(guest_range(-1, 1, 10).is_err());
        assert!(guest_range(1, -1, 10).is_err());
        assert!(guest_range(5, 6, 10).is_err());
        assert!(guest_range(i64::MAX, i64::MAX, 10).is_err());
        assert!(guest_range(11, 0, 10).is_err());
    }
}
