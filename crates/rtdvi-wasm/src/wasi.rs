//! The WASI preview 1 subset a plugin may use: randomness and clocks.
//!
//! wasi-libc's start-up asks for pre-opened directories with
//! `fd_prestat_get`; answering EBADF (there are none) lets it start without
//! any file-system authority. `proc_exit` ends the call with a clean
//! [`crate::TrapKind::Exit`] trap. Every other WASI function is simply not
//! defined, so the linker binds it to a stub that traps naming it.

use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::error::{Error, HostError};
use crate::linker::Linker;
use crate::value::{FuncType, Val, ValType};

/// The WASI preview 1 import module name.
pub const WASI_MODULE: &str = "wasi_snapshot_preview1";

const ERRNO_SUCCESS: i32 = 0;
const ERRNO_BADF: i32 = 8;
const ERRNO_FAULT: i32 = 21;
const ERRNO_INVAL: i32 = 28;
const ERRNO_IO: i32 = 29;

const CLOCK_REALTIME: i32 = 0;
const CLOCK_MONOTONIC: i32 = 1;

fn arg_i32(args: &[Val], i: usize) -> Result<i32, HostError> {
    args.get(i).and_then(Val::i32).ok_or_else(|| HostError::new(format!("argument {i} is not an i32")))
}

fn set_result(results: &mut [Val], v: Val) {
    if let Some(slot) = results.first_mut() {
        *slot = v;
    }
}

pub(crate) fn define<T: 'static>(linker: &mut Linker<T>) -> Result<(), Error> {
    use ValType::{I32, I64};
    linker.define(WASI_MODULE, "random_get", FuncType::new([I32, I32], [I32]), |caller, args, results| {
        let (ptr, len) = (arg_i32(args, 0)?, arg_i32(args, 1)?);
        let errno = match caller.slice_mut(ptr, len) {
            Ok(buf) => match fill_os_random(buf) {
                Ok(()) => ERRNO_SUCCESS,
                Err(_) => ERRNO_IO,
            },
            Err(_) => ERRNO_FAULT,
        };
        set_result(results, Val::I32(errno));
        Ok(())
    })?;
    linker.define(WASI_MODULE, "clock_time_get", FuncType::new([I32, I64, I32], [I32]), |caller, args, results| {
        let (id, out) = (arg_i32(args, 0)?, arg_i32(args, 2)?);
        let errno = match now_ns(id) {
            Some(ns) => match caller.write(out, &ns.to_le_bytes()) {
                Ok(()) => ERRNO_SUCCESS,
                Err(_) => ERRNO_FAULT,
            },
            None => ERRNO_INVAL,
        };
        set_result(results, Val::I32(errno));
        Ok(())
    })?;
    linker.define(WASI_MODULE, "fd_prestat_get", FuncType::new([I32, I32], [I32]), |_, _, results| {
        set_result(results, Val::I32(ERRNO_BADF));
        Ok(())
    })?;
    linker.define(WASI_MODULE, "proc_exit", FuncType::new([I32], []), |_, args, _| {
        Err(HostError::exit(arg_i32(args, 0)?))
    })?;
    Ok(())
}

/// Nanoseconds on clock `id`: wall-clock time since the Unix epoch, or a
/// monotonic clock that starts near zero when the process first asks.
fn now_ns(id: i32) -> Option<u64> {
    static START: OnceLock<Instant> = OnceLock::new();
    let d = match id {
        CLOCK_REALTIME => SystemTime::now().duration_since(UNIX_EPOCH).ok()?,
        CLOCK_MONOTONIC => START.get_or_init(Instant::now).elapsed(),
        _ => return None,
    };
    u64::try_from(d.as_nanos()).ok()
}

/// Fills `buf` from the operating system's random source.
fn fill_os_random(buf: &mut [u8]) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        let mut filled = 0;
        while let Some(rest) = buf.get_mut(filled..).filter(|r| !r.is_empty()) {
            // SAFETY: `rest` is a valid, writable buffer of `rest.len()` bytes.
            let n = unsafe { libc::getrandom(rest.as_mut_ptr().cast(), rest.len(), 0) };
            if n < 0 {
                let err = std::io::Error::last_os_error();
                if err.kind() == std::io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(err);
            }
            filled += n.unsigned_abs();
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        use std::io::Read;
        std::fs::File::open("/dev/urandom")?.read_exact(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_randomness_fills_the_buffer() {
        let mut a = [0u8; 64];
        let mut b = [0u8; 64];
        assert!(fill_os_random(&mut a).is_ok());
        assert!(fill_os_random(&mut b).is_ok());
        // 2^-512 chance of a false failure.
        assert_ne!(a, b);
    }

    #[test]
    fn clocks_are_known_and_monotonic_advances() {
        let a = now_ns(CLOCK_MONOTONIC);
        let b = now_ns(CLOCK_MONOTONIC);
        assert!(a.is_some() && b >= a);
        assert!(now_ns(CLOCK_REALTIME).is_some_and(|t| t > 1_600_000_000_000_000_000));
        assert_eq!(now_ns(2), None);
    }
}
