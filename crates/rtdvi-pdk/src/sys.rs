//! The raw `rtdvi` imports, seen through slices.
//!
//! On `wasm32` each function calls the host import of the same name with
//! pointers into this module's memory. On any other target (unit tests of
//! plugins, run natively) the same functions talk to the in-process double in
//! [`crate::testing`], so plugin logic is testable without an engine. Nothing
//! above this module knows which of the two it is talking to.

#[cfg(target_arch = "wasm32")]
mod imports {
    #[link(wasm_import_module = "rtdvi")]
    extern "C" {
        pub fn rtdvi_log(ptr: i32, len: i32);
        pub fn rtdvi_set_status(ptr: i32, len: i32);
        pub fn rtdvi_register_command(ptr: i32, len: i32) -> i32;
        pub fn rtdvi_register_plugin_manager(ptr: i32, len: i32) -> i32;
        pub fn rtdvi_register_indent_provider(ptr: i32, len: i32) -> i32;
        pub fn rtdvi_bind_key(
            mode_ptr: i32,
            mode_len: i32,
            keys_ptr: i32,
            keys_len: i32,
            fn_ptr: i32,
            fn_len: i32,
        ) -> i32;
        pub fn rtdvi_active_buffer_id() -> i32;
        pub fn rtdvi_active_window_id() -> i32;
        pub fn rtdvi_line_count(buf_id: i32) -> i32;
        pub fn rtdvi_get_line(buf_id: i32, row: i32, out_ptr: i32, max_len: i32) -> i32;
        pub fn rtdvi_get_cursor(win_id: i32) -> i64;
        pub fn rtdvi_set_cursor(win_id: i32, row: i32, col: i32) -> i32;
        pub fn rtdvi_insert_text(buf_id: i32, char_pos: i32, ptr: i32, len: i32) -> i32;
        pub fn rtdvi_delete_text(buf_id: i32, start: i32, end: i32) -> i32;
        pub fn rtdvi_get_option_str(key_ptr: i32, key_len: i32, out_ptr: i32, max_len: i32) -> i32;
        pub fn rtdvi_subscribe(ptr: i32, len: i32) -> i32;
        pub fn rtdvi_call(method_ptr: i32, method_len: i32, args_ptr: i32, args_len: i32) -> i64;
    }
}

/// `(ptr, len)` of a slice as the ABI's two i32s. Lengths past `i32::MAX`
/// cannot exist in a 32-bit address space, so the casts are lossless there.
#[cfg(target_arch = "wasm32")]
fn raw(bytes: &[u8]) -> (i32, i32) {
    (bytes.as_ptr() as i32, bytes.len() as i32)
}

#[cfg(target_arch = "wasm32")]
fn raw_out(out: &mut [u8]) -> (i32, i32) {
    (out.as_mut_ptr() as i32, out.len() as i32)
}

#[cfg(target_arch = "wasm32")]
mod backend {
    use super::imports::*;
    use super::{raw, raw_out};

    // SAFETY (every function): the host reads/writes only inside the
    // (ptr, len) ranges given, which are live borrows of this module's memory.

    pub fn log(msg: &[u8]) {
        let (p, l) = raw(msg);
        unsafe { rtdvi_log(p, l) }
    }
    pub fn set_status(msg: &[u8]) {
        let (p, l) = raw(msg);
        unsafe { rtdvi_set_status(p, l) }
    }
    pub fn register_command(name: &[u8]) -> i32 {
        let (p, l) = raw(name);
        unsafe { rtdvi_register_command(p, l) }
    }
    pub fn register_plugin_manager(ext: &[u8]) -> i32 {
        let (p, l) = raw(ext);
        unsafe { rtdvi_register_plugin_manager(p, l) }
    }
    pub fn register_indent_provider(filetype: &[u8]) -> i32 {
        let (p, l) = raw(filetype);
        unsafe { rtdvi_register_indent_provider(p, l) }
    }
    pub fn bind_key(mode: &[u8], keys: &[u8], func: &[u8]) -> i32 {
        let ((mp, ml), (kp, kl), (fp, fl)) = (raw(mode), raw(keys), raw(func));
        unsafe { rtdvi_bind_key(mp, ml, kp, kl, fp, fl) }
    }
    pub fn active_buffer_id() -> i32 {
        unsafe { rtdvi_active_buffer_id() }
    }
    pub fn active_window_id() -> i32 {
        unsafe { rtdvi_active_window_id() }
    }
    pub fn line_count(buf: i32) -> i32 {
        unsafe { rtdvi_line_count(buf) }
    }
    pub fn get_line(buf: i32, row: i32, out: &mut [u8]) -> i32 {
        let (p, l) = raw_out(out);
        unsafe { rtdvi_get_line(buf, row, p, l) }
    }
    pub fn get_cursor(win: i32) -> i64 {
        unsafe { rtdvi_get_cursor(win) }
    }
    pub fn set_cursor(win: i32, row: i32, col: i32) -> i32 {
        unsafe { rtdvi_set_cursor(win, row, col) }
    }
    pub fn insert_text(buf: i32, char_pos: i32, text: &[u8]) -> i32 {
        let (p, l) = raw(text);
        unsafe { rtdvi_insert_text(buf, char_pos, p, l) }
    }
    pub fn delete_text(buf: i32, start: i32, end: i32) -> i32 {
        unsafe { rtdvi_delete_text(buf, start, end) }
    }
    pub fn get_option_str(key: &[u8], out: &mut [u8]) -> i32 {
        let ((kp, kl), (op, ol)) = (raw(key), raw_out(out));
        unsafe { rtdvi_get_option_str(kp, kl, op, ol) }
    }
    pub fn subscribe(kinds: &[u8]) -> i32 {
        let (p, l) = raw(kinds);
        unsafe { rtdvi_subscribe(p, l) }
    }
    /// The reply bytes, or the import's negative return code.
    pub fn call(method: &[u8], args: &[u8]) -> Result<Vec<u8>, i64> {
        let ((mp, ml), (ap, al)) = (raw(method), raw(args));
        let packed = unsafe { rtdvi_call(mp, ml, ap, al) };
        if packed < 0 {
            return Err(packed);
        }
        let ptr = (packed >> 32) as u32 as usize;
        let len = (packed & 0xffff_ffff) as usize;
        // SAFETY: the host wrote `len` bytes into a block it got from our
        // `alloc(len)` and handed it over; we copy it out and free it with
        // the same size, as `crate::memory::dealloc` expects.
        let bytes = unsafe { core::slice::from_raw_parts(ptr as *const u8, len) }.to_vec();
        crate::memory::dealloc(ptr as i32, len as i32);
        Ok(bytes)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod backend {
    pub use crate::testing::backend::*;
}

pub(crate) use backend::*;
