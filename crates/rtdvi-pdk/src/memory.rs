//! The `alloc` / `dealloc` exports every plugin must have.
//!
//! The host calls `alloc(len)` to place the strings it passes to an export and
//! frees them with `dealloc` when the export returns: the kit only borrows
//! them for the call ([`borrow`]). The reply of `rtdvi_call` is the other way
//! round: the host allocates it and hands it over, and the kit frees it after
//! copying it out.
//!
//! Every block has alignment [`ALIGN`] and is freed with the size it was
//! allocated with (the ABI's `dealloc(ptr, size)` carries it, like Rust's
//! allocator wants). Size 0 gets a dangling, aligned, non-null pointer that
//! `dealloc` ignores: the host needs *some* valid address for an empty string.

use std::alloc::Layout;

/// Alignment of every block handed to the host: enough for any scalar the host
/// might write, cheap for strings.
pub const ALIGN: usize = 8;

fn layout(size: i32) -> Option<Layout> {
    let size = usize::try_from(size).ok().filter(|s| *s > 0)?;
    Layout::from_size_align(size, ALIGN).ok()
}

/// Allocates `size` bytes; 0 when `size` is negative or memory is exhausted
/// (the host treats 0 as "no memory").
pub fn alloc(size: i32) -> i32 {
    if size == 0 {
        return ALIGN as i32;
    }
    let Some(layout) = layout(size) else { return 0 };
    // SAFETY: `layout` has a non-zero size.
    let ptr = unsafe { std::alloc::alloc(layout) };
    // Addresses fit in i32 on wasm32 (4 GiB space, reinterpreted); on other
    // targets this path only runs in the kit's own tests.
    ptr as usize as i32
}

/// Frees a block from [`alloc`] of the same `size`; ignores null and size 0.
pub fn dealloc(ptr: i32, size: i32) {
    let Some(layout) = layout(size) else { return };
    if ptr == 0 {
        return;
    }
    // SAFETY: the ABI contract: `ptr` came from `alloc(size)` and is freed once.
    unsafe { std::alloc::dealloc(ptr as u32 as usize as *mut u8, layout) }
}

/// The block `(ptr, len)` the host passed to an export, for the duration of
/// the call (empty when null or negative).
///
/// # Safety
/// `(ptr, len)` must be readable memory of this module that stays untouched
/// while the returned slice lives (the ABI's argument strings: the host frees
/// them only after the export returns).
pub unsafe fn borrow<'a>(ptr: i32, len: i32) -> &'a [u8] {
    match usize::try_from(len) {
        // SAFETY: per the contract above.
        Ok(n) if n > 0 && ptr != 0 => unsafe { std::slice::from_raw_parts(ptr as u32 as usize as *const u8, n) },
        _ => &[],
    }
}

#[cfg(target_arch = "wasm32")]
mod exports {
    /// ABI export: `alloc(size) -> ptr`.
    #[no_mangle]
    pub extern "C" fn alloc(size: i32) -> i32 {
        super::alloc(size)
    }

    /// ABI export: `dealloc(ptr, size)`.
    #[no_mangle]
    pub extern "C" fn dealloc(ptr: i32, size: i32) {
        super::dealloc(ptr, size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_and_negative_sizes() {
        assert_eq!(alloc(0), ALIGN as i32);
        assert_eq!(alloc(-5), 0);
        dealloc(ALIGN as i32, 0); // ignored, must not touch the allocator
        dealloc(0, 16);
    }
}
