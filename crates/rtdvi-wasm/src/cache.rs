//! Compiled-module cache and precompiled artifacts for wasmtime.
//!
//! A cache entry is `<dir>/<key>.cwasm`, where the key is the blake3 hash of
//! the module bytes, the engine's compatibility fingerprint and the wasmtime
//! version. The file is a header — magic, then the blake3 hash of the payload
//! — followed by wasmtime's serialized module. `Module::deserialize` trusts
//! its input (it maps machine code), so a file whose payload does not hash to
//! its header is never deserialized: it is treated as a miss and rebuilt.
//! Files are written to a temporary name and renamed, so readers never see a
//! half-written entry. Precompiled artifacts use the same format.

use std::fs;
use std::hash::Hasher;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

const MAGIC: &[u8; 8] = b"RTDVIWM1";
const HEADER_LEN: usize = MAGIC.len() + 32;
/// The pinned wasmtime version, part of every cache key.
pub(crate) const WASMTIME_VERSION: &str = "48.0.8";

/// Feeds `std::hash::Hash` values into blake3.
struct Blake3Hasher(blake3::Hasher);

impl Hasher for Blake3Hasher {
    fn finish(&self) -> u64 {
        0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

/// Cache key of `binary` for `engine`.
fn cache_key(engine: &wasmtime::Engine, binary: &[u8]) -> String {
    use std::hash::Hash;
    let mut h = Blake3Hasher(blake3::Hasher::new());
    h.0.update(b"rtdvi-wasm module cache\0");
    h.0.update(WASMTIME_VERSION.as_bytes());
    engine.precompile_compatibility_hash().hash(&mut h);
    h.0.update(&(binary.len() as u64).to_le_bytes());
    h.0.update(binary);
    h.0.finalize().to_hex().to_string()
}

fn wrap(payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(blake3::hash(payload).as_bytes());
    out.extend_from_slice(payload);
    out
}

/// The payload of a file in our format, if its hash checks out.
fn unwrap_checked(file: &[u8]) -> Option<&[u8]> {
    let (header, payload) = (file.get(..HEADER_LEN)?, file.get(HEADER_LEN..)?);
    let (magic, hash) = header.split_at(MAGIC.len());
    if magic != MAGIC {
        return None;
    }
    let expected: [u8; 32] = hash.try_into().ok()?;
    // blake3::Hash compares in constant time; not needed, but harmless.
    (blake3::hash(payload) == blake3::Hash::from(expected)).then_some(payload)
}

/// A module from a verified artifact, or `None` if it fails any check.
pub(crate) fn from_artifact(engine: &wasmtime::Engine, artifact: &[u8]) -> Option<wasmtime::Module> {
    let payload = unwrap_checked(artifact)?;
    // SAFETY: the payload hashes to the value in its header, so it is exactly
    // the bytes `Module::serialize`/`Engine::precompile_module` produced for
    // us; wasmtime itself then checks version and engine compatibility.
    unsafe { wasmtime::Module::deserialize(engine, payload) }.ok()
}

/// A precompiled artifact of `binary` in our checked format.
pub(crate) fn precompile(engine: &wasmtime::Engine, binary: &[u8]) -> Result<Vec<u8>, Error> {
    let payload = engine.precompile_module(binary).map_err(|e| Error::InvalidModule(format!("{e:#}")))?;
    Ok(wrap(&payload))
}

fn compile(engine: &wasmtime::Engine, binary: &[u8]) -> Result<wasmtime::Module, Error> {
    wasmtime::Module::new(engine, binary).map_err(|e| Error::InvalidModule(format!("{e:#}")))
}

/// Creates `dir` (and parents) readable only by the user.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        b.mode(0o700);
        b.create(dir)?;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
    }
    #[cfg(not(unix))]
    b.create(dir)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp: PathBuf = dir.join(format!(
        ".tmp-{}-{}",
        std::process::id(),
        path.file_name().and_then(|n| n.to_str()).unwrap_or("entry")
    ));
    let mut f = fs::File::create(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

/// The path of `binary`'s entry in `dir`.
pub(crate) fn entry_path(engine: &wasmtime::Engine, dir: &Path, binary: &[u8]) -> PathBuf {
    dir.join(format!("{}.cwasm", cache_key(engine, binary)))
}

/// Where a module came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CacheOutcome {
    /// No cache configured: compiled.
    Uncached,
    /// A valid entry was loaded.
    Hit,
    /// No entry: compiled and stored.
    Miss,
    /// An entry failed its checks: compiled and replaced.
    Rebuilt,
}

/// Loads `binary`'s compilation from `cache_dir` if a valid entry exists,
/// else compiles it and stores the result. Cache failures only cost time:
/// they are logged, never returned, except that an invalid module is an error.
pub(crate) fn load_or_compile(
    engine: &wasmtime::Engine,
    cache_dir: Option<&Path>,
    binary: &[u8],
) -> Result<(wasmtime::Module, CacheOutcome), Error> {
    let Some(dir) = cache_dir else {
        return Ok((compile(engine, binary)?, CacheOutcome::Uncached));
    };
    let path = entry_path(engine, dir, binary);
    let mut outcome = CacheOutcome::Miss;
    if let Ok(file) = fs::read(&path) {
        if let Some(m) = from_artifact(engine, &file) {
            return Ok((m, CacheOutcome::Hit));
        }
        tracing::warn!(path = %path.display(), "corrupted or stale module cache entry; rebuilding");
        outcome = CacheOutcome::Rebuilt;
    }
    let module = compile(engine, binary)?;
    let stored = create_private_dir(dir)
        .and_then(|()| module.serialize().map_err(std::io::Error::other))
        .and_then(|payload| write_atomically(&path, &wrap(&payload)));
    if let Err(e) = stored {
        tracing::warn!(path = %path.display(), error = %e, "cannot write module cache entry");
    }
    Ok((module, outcome))
}

#[cfg(test)]
mod tests {
    use super::*;

    const WAT: &str = r#"(module (func (export "answer") (result i32) i32.const 42))"#;

    fn engine() -> wasmtime::Engine {
        crate::engine_wasmtime::new_engine(&crate::EngineConfig::default()).unwrap_or_else(|e| panic!("engine: {e}"))
    }

    fn binary() -> Vec<u8> {
        wat::parse_str(WAT).unwrap_or_else(|e| panic!("wat: {e}"))
    }

    fn answer(engine: &wasmtime::Engine, m: &wasmtime::Module) -> i32 {
        let mut store = wasmtime::Store::new(engine, ());
        store.set_epoch_deadline(u64::MAX / 2);
        let i = wasmtime::Instance::new(&mut store, m, &[]).unwrap_or_else(|e| panic!("{e}"));
        let f = i.get_typed_func::<(), i32>(&mut store, "answer").unwrap_or_else(|e| panic!("{e}"));
        f.call(&mut store, ()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn cache_misses_then_hits_in_a_private_directory() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let dir = tmp.path().join("rtdvi").join("modules");
        let (e, b) = (engine(), binary());
        let (m, o) = load_or_compile(&e, Some(&dir), &b).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o, CacheOutcome::Miss);
        assert_eq!(answer(&e, &m), 42);
        assert!(entry_path(&e, &dir, &b).is_file());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&dir).map(|m| m.permissions().mode() & 0o777);
            assert_eq!(mode.ok(), Some(0o700));
        }
        let (m, o) = load_or_compile(&e, Some(&dir), &b).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o, CacheOutcome::Hit);
        assert_eq!(answer(&e, &m), 42);
    }

    #[test]
    fn corrupted_entry_is_rejected_and_rebuilt() {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let (e, b) = (engine(), binary());
        let path = entry_path(&e, tmp.path(), &b);
        load_or_compile(&e, Some(tmp.path()), &b).unwrap_or_else(|e| panic!("{e}"));
        let good = fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
        let mut bad = good.clone();
        let last = bad.len() - 1;
        bad[last] ^= 0xff;
        fs::write(&path, &bad).unwrap_or_else(|e| panic!("{e}"));
        let (m, o) = load_or_compile(&e, Some(tmp.path()), &b).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o, CacheOutcome::Rebuilt);
        assert_eq!(answer(&e, &m), 42);
        assert_eq!(fs::read(&path).ok(), Some(good));
        // A truncated or foreign file is rejected the same way.
        fs::write(&path, b"junk").unwrap_or_else(|e| panic!("{e}"));
        let (_, o) = load_or_compile(&e, Some(tmp.path()), &b).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o, CacheOutcome::Rebuilt);
        let (_, o) = load_or_compile(&e, Some(tmp.path()), &b).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o, CacheOutcome::Hit);
    }

    #[test]
    fn stale_entry_of_another_engine_config_is_rebuilt() {
        // Same key path, but payload compiled by an engine with other
        // settings: the hash checks out, wasmtime's own check refuses it.
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let (e, b) = (engine(), binary());
        // No epoch interruption: code compiled without the checks.
        let other = wasmtime::Engine::default();
        let foreign = precompile(&other, &b).unwrap_or_else(|e| panic!("{e}"));
        assert!(from_artifact(&other, &foreign).is_some());
        let path = entry_path(&e, tmp.path(), &b);
        fs::write(&path, &foreign).unwrap_or_else(|e| panic!("{e}"));
        let (m, o) = load_or_compile(&e, Some(tmp.path()), &b).unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(o, CacheOutcome::Hit, "foreign entry accepted");
        assert_eq!(answer(&e, &m), 42);
    }

    #[test]
    fn header_check_rejects_any_flipped_byte() {
        let file = wrap(b"payload bytes");
        assert_eq!(unwrap_checked(&file), Some(&b"payload bytes"[..]));
        for i in 0..file.len() {
            let mut bad = file.clone();
            if let Some(b) = bad.get_mut(i) {
                *b ^= 0x40;
            }
            assert_eq!(unwrap_checked(&bad), None, "flip at {i}");
        }
        assert_eq!(unwrap_checked(&file[..HEADER_LEN - 1]), None);
    }
}
