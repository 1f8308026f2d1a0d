//! Decoding a large file keeps peak memory near the rope's own size (budget: 1.5× the file).
//! Its own test binary, because it installs a counting global allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{self, Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicUsize, Ordering};

use rtdvi_core::codec::{decode, encode, EncodeOptions};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
        PEAK.fetch_max(now, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::SeqCst);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// A file of `len` bytes generated on the fly (so the input itself costs no memory).
struct Generated {
    len: u64,
    pos: u64,
}

impl Generated {
    fn byte_at(i: u64) -> u8 {
        // Lines of 60 characters with some multi-byte text and an invalid byte now and then.
        match i % 61 {
            60 => b'\n',
            7 if i % 6100 == 7 => 0xFF,
            n => b'a' + (n % 26) as u8,
        }
    }
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min((self.len - self.pos) as usize);
        for (k, b) in buf.iter_mut().take(n).enumerate() {
            *b = Self::byte_at(self.pos + k as u64);
        }
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Generated {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.pos = match to {
            SeekFrom::Start(p) => p,
            SeekFrom::End(d) => self.len.saturating_add_signed(d),
            SeekFrom::Current(d) => self.pos.saturating_add_signed(d),
        }
        .min(self.len);
        Ok(self.pos)
    }
}

/// Checks every byte of the encoded output against the generator.
struct Verify {
    pos: u64,
    ok: bool,
}

impl io::Write for Verify {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for &b in buf {
            self.ok &= b == Generated::byte_at(self.pos);
            self.pos += 1;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn decoding_32_mib_stays_within_one_and_a_half_times_the_file() {
    let len: u64 = 32 << 20;
    let base = CURRENT.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let (rope, meta) = match decode(Generated { len, pos: 0 }) {
        Ok(x) => x,
        Err(e) => panic!("{e}"),
    };
    let peak = PEAK.load(Ordering::SeqCst) - base;
    eprintln!("peak {peak} for {len}");
    assert!(meta.raw_bytes);
    assert!((peak as u64) * 2 <= len * 3, "peak {peak} bytes for a {len}-byte file");
    let mut check = Verify { pos: 0, ok: true };
    let written = encode(&rope, &EncodeOptions::from_meta(&meta), &mut check);
    assert_eq!(written.ok(), Some(len));
    assert!(check.ok, "round trip changed the bytes");
}
