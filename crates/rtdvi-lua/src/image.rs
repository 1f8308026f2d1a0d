//! Start images: a Lua state brought to a known start by a recipe (for the
//! editor: Lua opened, the `vim` bridge and the standard library installed)
//! is captured once and restored into later instances, so a new state skips
//! compiling and running that Lua. Measured on the editor's state: about
//! 40% of the Lua start-up went to compiling the bridge and the library.
//!
//! # What an image is
//! The guest keeps its whole state in linear memory plus the
//! `__stack_pointer` global (checked as for `snapshot.rs`); pointers inside
//! are linear-memory addresses and function-table indices, identical in
//! every instance of the same module. An image holds the memory size, the
//! stack pointer and the 4 KiB pages that differ from a new instance's
//! memory. Restoring grows a new instance to that size (through the memory
//! limit, like the guest's own `memory.grow`) and writes those pages; this
//! is the same on wasmtime and wasmi. Only states whose host side is empty
//! are captured (no output, no WebAssembly libraries), so a restored state
//! is indistinguishable from one built the long way. `math.random` is
//! reseeded per state by the caller; Lua's string-hash seed is that of the
//! state the image was taken from.
//!
//! # Where images live
//! In this process, one per key, so a restarted state (after a deadline)
//! also skips the build. On disk, in the module cache directory
//! ([`crate::set_module_cache`]) as `lua-<name>-<engine>-<key>.img`, so the next
//! process starts from it. The key is a blake3 hash of everything the image
//! depends on: the format version, the guest module, the engine, the
//! recipe's inputs (its Lua sources, the editor's API names) and the size
//! and modification time of the running executable, which covers the Rust
//! code that performs the build. A changed input gives another key: the old
//! file is not found (stale), a new image is built and replaces it.
//!
//! A file is `MAGIC`, the blake3 hash of the rest, then the key, the size,
//! the stack pointer and the runs of pages. A file that fails any check is
//! rejected with a message naming the file and the reason; the state is then
//! built the long way and the file rewritten. Images are data for the
//! sandboxed guest, never code for the host: a forged image can do no more
//! than a plugin could.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use rtdvi_wasm::{EngineKind, Val};

use crate::guest::Guest;
use crate::host::Limits;

/// Magic bytes of an image file (format version 1).
const MAGIC: &[u8; 8] = b"RTDVILI1";
/// Comparison granularity: a host page (writing one touches one).
const PAGE: usize = 4096;
/// A WebAssembly page.
const WASM_PAGE: usize = 65536;

/// How to bring a new state to a known start, and what that depends on.
#[derive(Debug, Clone, Copy)]
pub struct Recipe<'a> {
    /// Names the image file (`lua-<name>-<engine>-<key>.img`): ASCII letters,
    /// digits and `-` only (anything else is replaced by `-`).
    pub name: &'a str,
    /// Everything besides the guest module, the engine and the executable
    /// that the build depends on (its Lua sources, tables it reads...).
    pub inputs: &'a [&'a [u8]],
}

/// Where a prepared state came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSource {
    /// Restored from the image this process already held.
    Memory,
    /// Restored from the image file in the cache directory.
    Disk,
    /// Built the long way (no image yet, or the recipe changed); the image
    /// was captured for next time when the state allowed it.
    Built,
    /// The image file was unusable: the message names it and says why. The
    /// state was built the long way and the file replaced.
    Rejected(String),
}

/// A captured state (see the module docs).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Image {
    key: [u8; 32],
    size: usize,
    stack_pointer: i32,
    /// (offset, bytes) of consecutive pages that differ from a new instance.
    runs: Vec<(u32, Vec<u8>)>,
}

/// Images of this process by key.
static IMAGES: OnceLock<Mutex<HashMap<[u8; 32], Arc<Image>>>> = OnceLock::new();

fn images() -> &'static Mutex<HashMap<[u8; 32], Arc<Image>>> {
    IMAGES.get_or_init(Mutex::default)
}

/// The image this process holds for `key`.
pub(crate) fn in_memory(key: &[u8; 32]) -> Option<Arc<Image>> {
    images().lock().ok()?.get(key).cloned()
}

/// Keeps `image` for later states of this process.
pub(crate) fn remember(image: Arc<Image>) {
    if let Ok(mut m) = images().lock() {
        m.insert(image.key, image);
    }
}

/// Size and modification time of the running executable; `None` when
/// unknown (then no image is kept on disk: a rebuilt binary could not be
/// told apart).
fn executable_stamp() -> Option<(u64, u128)> {
    static STAMP: OnceLock<Option<(u64, u128)>> = OnceLock::new();
    *STAMP.get_or_init(|| {
        let meta = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
        let mtime = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some((meta.len(), mtime.as_nanos()))
    })
}

/// The key of `recipe` on `engine` (see the module docs), and whether it
/// may name a file (the executable's stamp is part of it).
pub(crate) fn key(engine: EngineKind, recipe: &Recipe<'_>) -> ([u8; 32], bool) {
    let mut h = blake3::Hasher::new();
    let mut field = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    field(b"rtdvi-lua start image");
    field(MAGIC);
    field(env!("CARGO_PKG_VERSION").as_bytes());
    field(engine.name().as_bytes());
    field(crate::GUEST_WASM);
    field(recipe.name.as_bytes());
    field(&(recipe.inputs.len() as u64).to_le_bytes());
    for input in recipe.inputs {
        field(input);
    }
    let stamp = executable_stamp();
    if let Some((len, mtime)) = stamp {
        field(&len.to_le_bytes());
        field(&mtime.to_le_bytes());
    }
    (*h.finalize().as_bytes(), stamp.is_some())
}

/// The file of `recipe`'s image on `engine` with `key` in `dir`.
pub(crate) fn file_path(dir: &Path, engine: EngineKind, recipe: &Recipe<'_>, key: &[u8; 32]) -> PathBuf {
    dir.join(format!("{}{}.img", file_prefix(engine, recipe), blake3::Hash::from(*key).to_hex()))
}

/// What the names of `recipe`'s images on `engine` start with (one engine's
/// new image must not remove the other's).
fn file_prefix(engine: EngineKind, recipe: &Recipe<'_>) -> String {
    let name: String =
        recipe.name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
    format!("lua-{name}-{}-", engine.name())
}

/// What reading an image file gave.
#[derive(Debug)]
pub(crate) enum Loaded {
    /// A valid image for the key.
    Image(Image),
    /// No file.
    Missing,
    /// The file is unusable: why.
    Rejected(String),
}

/// Reads the image for `key` at `path`.
pub(crate) fn load(path: &Path, key: &[u8; 32]) -> Loaded {
    match std::fs::read(path) {
        Ok(bytes) => match decode(&bytes, key) {
            Ok(image) => Loaded::Image(image),
            Err(why) => Loaded::Rejected(format!(
                "rtdvi: rejected the cached Lua start image {}: {why}; Lua was started the long way \
                 and the image rebuilt",
                path.display()
            )),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Loaded::Missing,
        Err(e) => Loaded::Rejected(format!("rtdvi: cannot read the cached Lua start image {}: {e}", path.display())),
    }
}

/// Writes `image` to `path` atomically and removes the recipe's other
/// (stale) images from the directory. Failures only cost the next start.
pub(crate) fn store(path: &Path, engine: EngineKind, recipe: &Recipe<'_>, image: &Image) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("image");
    let tmp = dir.join(format!(".tmp-{}-{name}", std::process::id()));
    if std::fs::write(&tmp, encode(image)).is_err() || std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
        return;
    }
    let prefix = file_prefix(engine, recipe);
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let other = entry.file_name();
        let Some(other) = other.to_str() else { continue };
        if other != name && other.starts_with(&prefix) && other.ends_with(".img") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The file bytes of `image`.
pub(crate) fn encode(image: &Image) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&image.key);
    body.extend_from_slice(&(image.size as u64).to_le_bytes());
    body.extend_from_slice(&image.stack_pointer.to_le_bytes());
    body.extend_from_slice(&(image.runs.len() as u32).to_le_bytes());
    for (offset, bytes) in &image.runs {
        body.extend_from_slice(&offset.to_le_bytes());
        body.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        body.extend_from_slice(bytes);
    }
    let mut out = Vec::with_capacity(MAGIC.len() + 32 + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(blake3::hash(&body).as_bytes());
    out.extend_from_slice(&body);
    out
}

/// Reads fixed-size fields off the front of a byte slice.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.0.len() < n {
            return Err("it is truncated".into());
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        self.take(N)?.try_into().map_err(|_| "it is truncated".to_string())
    }
}

/// An image from file bytes, checked against `key`.
pub(crate) fn decode(bytes: &[u8], key: &[u8; 32]) -> Result<Image, String> {
    let mut r = Reader(bytes);
    if r.take(MAGIC.len()).ok() != Some(MAGIC.as_slice()) {
        return Err("it is not a start image of this version".into());
    }
    let hash: [u8; 32] = r.array()?;
    if blake3::hash(r.0) != blake3::Hash::from(hash) {
        return Err("its checksum does not match (the file is corrupt)".into());
    }
    if &r.array::<32>()? != key {
        return Err("it was made for other inputs".into());
    }
    let size = usize::try_from(u64::from_le_bytes(r.array()?)).map_err(|_| "its memory size is too large")?;
    if !size.is_multiple_of(WASM_PAGE) {
        return Err("its memory size is not a whole number of pages".into());
    }
    let stack_pointer = i32::from_le_bytes(r.array()?);
    let count = u32::from_le_bytes(r.array()?);
    let mut runs = Vec::new();
    for _ in 0..count {
        let offset = u32::from_le_bytes(r.array()?);
        let len = u32::from_le_bytes(r.array()?) as usize;
        let end = (offset as usize).checked_add(len).ok_or("a page run overflows")?;
        if end > size || len == 0 {
            return Err("a page run lies outside its memory".into());
        }
        runs.push((offset, r.take(len)?.to_vec()));
    }
    if !r.0.is_empty() {
        return Err("it has trailing bytes".into());
    }
    Ok(Image { key: *key, size, stack_pointer, runs })
}

/// Captures `built`, a state on `engine` brought to its start, as the image
/// for `key`; `None` when its host side is not empty or the guest's state
/// is not only its memory and stack pointer.
pub(crate) fn capture(engine: EngineKind, built: &mut Guest, key: [u8; 32]) -> Option<Image> {
    if !built.host().is_pristine() || !built.only_global_is_stack_pointer() {
        return None;
    }
    let size = built.memory_size();
    let Val::I32(stack_pointer) = built.stack_pointer().ok()? else { return None };
    // A new instance as restoring will see it (generous limits: the image
    // must not depend on them).
    let template = Limits { memory_bytes: size.max(Limits::default().memory_bytes), ..Limits::default() };
    let mut fresh = Guest::new(engine, &template).ok()?;
    let fresh_size = fresh.memory_size();
    if !size.is_multiple_of(WASM_PAGE)
        || fresh_size > size
        || !fresh.grow_memory(((size - fresh_size) / WASM_PAGE) as u64)
    {
        return None;
    }
    let before = fresh.read(0, i32::try_from(size).ok()?).ok()?;
    let after = built.read(0, i32::try_from(size).ok()?).ok()?;
    let mut runs: Vec<(u32, Vec<u8>)> = Vec::new();
    let mut last_end = usize::MAX;
    for (i, (b, a)) in before.chunks(PAGE).zip(after.chunks(PAGE)).enumerate() {
        if a == b {
            continue;
        }
        let offset = i * PAGE;
        match runs.last_mut() {
            Some((_, bytes)) if last_end == offset => bytes.extend_from_slice(a),
            _ => runs.push((u32::try_from(offset).ok()?, a.to_vec())),
        }
        last_end = offset + a.len();
    }
    Some(Image { key, size, stack_pointer, runs })
}

impl Image {
    /// Makes `guest`, a new instance of the guest, hold the captured state.
    pub(crate) fn restore(&self, guest: &mut Guest) -> Result<(), String> {
        let current = guest.memory_size();
        if current > self.size {
            return Err("the image is smaller than a new instance".into());
        }
        if current < self.size && !guest.grow_memory(((self.size - current) / WASM_PAGE) as u64) {
            return Err("the memory limit is below the image's size".into());
        }
        for (offset, bytes) in &self.runs {
            let offset = i32::try_from(*offset).map_err(|_| "page offset out of range")?;
            guest.write(offset, bytes).map_err(|e| e.to_string())?;
        }
        guest.set_stack_pointer(Val::I32(self.stack_pointer)).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests;
