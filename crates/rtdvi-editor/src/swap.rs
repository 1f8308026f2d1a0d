//! Crash-recovery journal of unsaved changes (Vim's swap files, rtdvi's own format).
//!
//! Swap files live under `$XDG_STATE_HOME/rtdvi/swap/` (default `~/.local/state/rtdvi/swap/`,
//! see [`default_dir`]), never next to the user's file: they may hold secrets and must not litter
//! project trees. The directory is created 0700, the files 0600.
//!
//! ## Life cycle
//! The editor calls [`SwapFile::create`] when a buffer is first modified (with the text *before*
//! the change), [`SwapFile::record`] after every change (one `write` of one record, so once it
//! returns a `kill -9` of the editor loses nothing: the data is in the kernel), [`SwapFile::sync`]
//! from its idle loop (fsync at most about once a second, against power loss), and
//! [`SwapFile::remove`] after a successful write or a clean quit. Nothing is removed on drop, so a
//! panicking editor keeps its journal. When [`SwapFile::wants_compaction`] says so, the editor
//! passes the current text to [`SwapFile::compact`], which atomically rewrites the journal as a
//! snapshot.
//!
//! Name: the absolute (symlink-resolved) path of the file with `/` replaced by `%` plus `.swp`
//! (Vim's scheme, so two names of one file share a swap file); names too long for the file
//! system keep their tail and gain a hash. A second editor of the same file gets `.swo`, `.swn`
//! ... down to `.swa`. Unnamed buffers get `%[No Name].<pid>.<n>.swp`.
//!
//! ## Format (version 1, integers little-endian)
//! ```text
//! header:  "RTDVISWP" | u32 version | u32 body_len | body | 8-byte checksum(body)
//! body:    u32 pid | str hostname | u8 has_file, str file | u8 fileformat | u8 flags
//!          (eol=1, bom=2, raw_bytes=4, empty=8) | u8 base_modified | u8 base_kind
//!          base_kind 0 = snapshot: the first record is the full text
//!          base_kind 1 = file:     u64 size | i64 mtime_s | u32 mtime_ns | [32] blake3(file bytes)
//!                                  | [32] blake3(text)
//! record:  u64 payload_len | u8 kind | payload | 8-byte checksum(kind, payload)
//!          kind 1 snapshot: UTF-8 text
//!          kind 2 edits:    u32 count, then count × (u64 start | u64 end | str text)
//!          kind 3 meta:     u8 fileformat | u8 flags
//! str:     u32 byte length | UTF-8 bytes (paths: raw OS bytes)
//! checksum: the first 8 bytes of a BLAKE3 hash.
//! ```
//! Edits are one change each: char offsets into the text before the change, sorted and
//! non-overlapping, so they are replayed from last to first. Recovery stops at the first record
//! that is cut short, fails its checksum or does not fit the text: that record and everything
//! after it are dropped and [`Recovery::damaged_tail`] says so (a torn last record after a crash
//! is the normal case).
//!
//! Buffers up to [`SNAPSHOT_LIMIT`] bytes start from a snapshot. Bigger ones start from the file
//! on disk when writing the text back would reproduce that file byte for byte: the header then
//! records the file's size, mtime and hashes instead of copying it, and recovery refuses
//! ([`SwapError::BaseChanged`]) if the file's bytes changed (a changed mtime alone is fine).

use std::ffi::OsString;
use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io::{self, BufReader, Read, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use ropey::Rope;
use rtdvi_core::changeset::{ChangeSet, Edit};
use rtdvi_core::codec::{self, EncodeOptions, FileFormat, FileMeta};

/// Buffers bigger than this (in bytes) start from the file on disk instead of a snapshot.
pub const SNAPSHOT_LIMIT: usize = 4 << 20;

/// Journals smaller than this are never worth compacting.
const COMPACT_MIN: u64 = 1 << 20;

/// Minimum time between two fsyncs: a little under a second so that a caller ticking once a
/// second syncs on every tick.
const SYNC_INTERVAL: Duration = Duration::from_millis(900);

const MAGIC: &[u8; 8] = b"RTDVISWP";
const VERSION: u32 = 1;
const KIND_SNAPSHOT: u8 = 1;
const KIND_EDITS: u8 = 2;
const KIND_META: u8 = 3;
/// Swap name suffixes in the order Vim tries them.
const SUFFIXES: [&str; 16] =
    ["swp", "swo", "swn", "swm", "swl", "swk", "swj", "swi", "swh", "swg", "swf", "swe", "swd", "swc", "swb", "swa"];

/// Why a swap file could not be made, written or recovered.
#[derive(Debug, thiserror::Error)]
pub enum SwapError {
    /// I/O on the swap file or its directory failed.
    #[error("E303: Unable to open swap file \"{}\": {source}", path.display())]
    Io {
        /// The swap file or directory.
        path: PathBuf,
        /// What went wrong.
        source: io::Error,
    },
    /// The file is not a swap file of a version we understand.
    #[error("E307: \"{}\" does not look like an rtdvi swap file", .0.display())]
    NotASwapFile(PathBuf),
    /// Every swap name for this file is taken.
    #[error("E326: Too many swap files found")]
    TooMany(PathBuf),
    /// The swap file ends before its first snapshot was complete: nothing to recover.
    #[error("E305: No text to recover in \"{}\" (it was cut short before any change)", .0.display())]
    NoSnapshot(PathBuf),
    /// The journal replays over a file whose bytes changed since.
    #[error(
        "E308: \"{}\" changed since the swap file was made ({reason}); the swap only holds changes \
         relative to the old text, so it cannot be recovered",
        file.display()
    )]
    BaseChanged {
        /// The user's file.
        file: PathBuf,
        /// What differs.
        reason: String,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> SwapError + '_ {
    move |source| SwapError::Io { path: path.to_path_buf(), source }
}

/// Where swap files go: `$XDG_STATE_HOME/rtdvi/swap`, else `~/.local/state/rtdvi/swap`.
pub fn default_dir() -> Option<PathBuf> {
    let state = match std::env::var_os("XDG_STATE_HOME").map(PathBuf::from) {
        // The XDG spec says relative values are to be ignored.
        Some(p) if p.is_absolute() => p,
        _ => PathBuf::from(std::env::var_os("HOME")?).join(".local/state"),
    };
    Some(state.join("rtdvi").join("swap"))
}

/// A description of a swap file found on disk (for `E325: ATTENTION` and `rtdvi -r`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwapInfo {
    /// The swap file.
    pub path: PathBuf,
    /// Process that wrote it.
    pub pid: u32,
    /// That process still runs (only knowable on the same host).
    pub pid_running: bool,
    /// Host it was written on.
    pub hostname: String,
    /// The user's file it journals (None for an unnamed buffer).
    pub file: Option<PathBuf>,
    /// It holds changes not in the file.
    pub modified: bool,
    /// When the swap file was last written.
    pub mtime: Option<SystemTime>,
}

/// What [`recover`] rebuilt.
#[derive(Debug, Clone)]
pub struct Recovery {
    /// The text as of the last intact record.
    pub rope: Rope,
    /// The buffer's file metadata as of the last intact record.
    pub meta: FileMeta,
    /// The user's file it belongs to.
    pub file: Option<PathBuf>,
    /// A damaged or cut-short record was found and it and the rest were dropped.
    pub damaged_tail: bool,
}

/// What the journal starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Base {
    Snapshot,
    File { size: u64, mtime: (i64, u32), file_hash: [u8; 32], text_hash: [u8; 32] },
}

#[derive(Debug, Clone)]
struct Header {
    pid: u32,
    hostname: String,
    file: Option<PathBuf>,
    meta: FileMeta,
    base_modified: bool,
    base: Base,
}

/// An open journal for one buffer.
#[derive(Debug)]
pub struct SwapFile {
    path: PathBuf,
    file: File,
    header: Header,
    base_bytes: u64,
    journal_bytes: u64,
    unsynced: bool,
    last_sync: Instant,
}

impl SwapFile {
    /// Starts a journal for a buffer about to be modified; `text` is its text before the change.
    pub fn create(dir: &Path, file_path: Option<&Path>, text: &Rope, meta: &FileMeta) -> Result<SwapFile, SwapError> {
        create_with_limit(dir, file_path, text, meta, SNAPSHOT_LIMIT)
    }

    /// The swap file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Journals one change (with one `write`, so the kernel has it when this returns).
    pub fn record(&mut self, edits: &[Edit]) -> Result<(), SwapError> {
        let mut p = Vec::with_capacity(4 + edits.iter().map(|e| 20 + e.text.len()).sum::<usize>());
        put_u32(&mut p, len_u32(edits.len()));
        for e in edits {
            put_u64(&mut p, e.start as u64);
            put_u64(&mut p, e.end as u64);
            put_bytes(&mut p, e.text.as_bytes());
        }
        self.append(KIND_EDITS, &p)
    }

    /// Journals a change of 'fileformat', 'eol', 'bomb'...
    pub fn set_meta(&mut self, meta: &FileMeta) -> Result<(), SwapError> {
        let mut p = Vec::new();
        put_meta(&mut p, meta);
        self.header.meta = *meta;
        self.append(KIND_META, &p)
    }

    fn append(&mut self, kind: u8, payload: &[u8]) -> Result<(), SwapError> {
        let rec = frame(kind, payload);
        self.file.write_all(&rec).map_err(io_err(&self.path))?;
        self.journal_bytes += rec.len() as u64;
        self.unsynced = true;
        Ok(())
    }

    /// Flushes recorded changes to the disk if there are any and the last flush is at least a
    /// second old; returns whether it did. Cheap: call it from the idle loop.
    pub fn sync(&mut self) -> Result<bool, SwapError> {
        if !self.unsynced || self.last_sync.elapsed() < SYNC_INTERVAL {
            return Ok(false);
        }
        self.file.sync_data().map_err(io_err(&self.path))?;
        self.unsynced = false;
        self.last_sync = Instant::now();
        Ok(true)
    }

    /// The journal has grown past its base and is worth rewriting as a snapshot.
    pub fn wants_compaction(&self) -> bool {
        self.journal_bytes > COMPACT_MIN && self.journal_bytes > self.base_bytes
    }

    /// Atomically rewrites the journal as a snapshot of `text` (the buffer's current text).
    pub fn compact(&mut self, text: &Rope) -> Result<(), SwapError> {
        let mut header = self.header.clone();
        header.base = Base::Snapshot;
        header.base_modified = true;
        let dir = self.path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut tmp_name = self.path.file_name().unwrap_or_default().to_os_string();
        tmp_name.push(".new");
        let tmp = dir.join(tmp_name);
        let written = (|| -> io::Result<File> {
            let f = OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&tmp)?;
            let mut w = io::BufWriter::new(f);
            w.write_all(&encode_header(&header))?;
            write_snapshot(&mut w, text)?;
            let f = w.into_inner().map_err(io::IntoInnerError::into_error)?;
            f.sync_all()?;
            fs::rename(&tmp, &self.path)?;
            if let Ok(d) = File::open(&dir) {
                let _ = d.sync_all();
            }
            OpenOptions::new().append(true).open(&self.path)
        })();
        match written {
            Ok(f) => {
                self.file = f;
                self.header = header;
                self.base_bytes = text.len_bytes() as u64;
                self.journal_bytes = 0;
                self.unsynced = false;
                self.last_sync = Instant::now();
                Ok(())
            }
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                Err(io_err(&self.path)(e))
            }
        }
    }

    /// Deletes the journal (after a successful write or a clean quit).
    pub fn remove(self) -> Result<(), SwapError> {
        fs::remove_file(&self.path).map_err(io_err(&self.path))
    }
}

fn create_with_limit(
    dir: &Path,
    file_path: Option<&Path>,
    text: &Rope,
    meta: &FileMeta,
    limit: usize,
) -> Result<SwapFile, SwapError> {
    DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(io_err(dir))?;
    let file = file_path.map(absolute);
    let base = match &file {
        Some(f) if text.len_bytes() > limit => file_base(f, text, meta).unwrap_or(Base::Snapshot),
        _ => Base::Snapshot,
    };
    let header = Header {
        pid: std::process::id(),
        hostname: hostname(),
        file: file.clone(),
        meta: *meta,
        base_modified: false,
        base,
    };
    let base_bytes = text.len_bytes() as u64;
    let (path, f) = create_new_swap(dir, file.as_deref())?;
    let written = (|| -> io::Result<File> {
        let mut w = io::BufWriter::new(f);
        w.write_all(&encode_header(&header))?;
        if header.base == Base::Snapshot {
            write_snapshot(&mut w, text)?;
        }
        let f = w.into_inner().map_err(io::IntoInnerError::into_error)?;
        f.sync_all()?;
        Ok(f)
    })();
    match written {
        Ok(file) => Ok(SwapFile {
            path,
            file,
            header,
            base_bytes,
            journal_bytes: 0,
            unsynced: false,
            last_sync: Instant::now(),
        }),
        Err(e) => {
            let _ = fs::remove_file(&path);
            Err(io_err(&path)(e))
        }
    }
}

/// A file-based start, if writing `text` back reproduces the file exactly.
fn file_base(file: &Path, text: &Rope, meta: &FileMeta) -> Option<Base> {
    let m = fs::metadata(file).ok()?;
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(File::open(file).ok()?).ok()?;
    let file_hash = *hasher.finalize().as_bytes();
    let mut encoded = blake3::Hasher::new();
    codec::encode(text, &EncodeOptions::from_meta(meta), &mut encoded).ok()?;
    if *encoded.finalize().as_bytes() != file_hash {
        return None;
    }
    Some(Base::File {
        size: m.len(),
        mtime: (m.mtime(), u32::try_from(m.mtime_nsec()).unwrap_or(0)),
        file_hash,
        text_hash: text_hash(text),
    })
}

fn text_hash(text: &Rope) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    for c in text.chunks() {
        h.update(c.as_bytes());
    }
    *h.finalize().as_bytes()
}

/// The absolute path the swap name is derived from: symlinks resolved where the file (or at
/// least its directory) exists.
fn absolute(file: &Path) -> PathBuf {
    if let Ok(p) = fs::canonicalize(file) {
        return p;
    }
    let abs =
        if file.is_absolute() { file.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(file) };
    match (abs.parent().and_then(|d| fs::canonicalize(d).ok()), abs.file_name()) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => abs,
    }
}

/// `%home%me%notes.txt` for `/home/me/notes.txt`, shortened with a hash if too long.
fn swap_stem(file: &Path) -> OsString {
    let bytes: Vec<u8> = file.as_os_str().as_bytes().iter().map(|&b| if b == b'/' { b'%' } else { b }).collect();
    const MAX: usize = 200;
    if bytes.len() <= MAX {
        return OsString::from_vec(bytes);
    }
    let hash = blake3::hash(file.as_os_str().as_bytes()).to_hex();
    let mut short = b"%".to_vec();
    short.extend_from_slice(hash.as_bytes().get(..16).unwrap_or_default());
    short.push(b'%');
    let tail = bytes.get(bytes.len() - 150..).unwrap_or_default();
    short.extend_from_slice(tail);
    OsString::from_vec(short)
}

/// Candidate swap paths for a file, in the order they are tried.
fn candidates(dir: &Path, file: &Path) -> Vec<PathBuf> {
    let stem = swap_stem(&absolute(file));
    SUFFIXES
        .iter()
        .map(|s| {
            let mut name = stem.clone();
            name.push(".");
            name.push(s);
            dir.join(name)
        })
        .collect()
}

fn create_new_swap(dir: &Path, file: Option<&Path>) -> Result<(PathBuf, File), SwapError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let names = match file {
        Some(f) => candidates(dir, f),
        None => {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            vec![dir.join(format!("%[No Name].{}.{n}.swp", std::process::id()))]
        }
    };
    for p in &names {
        match OpenOptions::new().append(true).create_new(true).mode(0o600).open(p) {
            Ok(f) => return Ok((p.clone(), f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io_err(p)(e)),
        }
    }
    Err(SwapError::TooMany(dir.to_path_buf()))
}

fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname NUL-terminates when it fits.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return String::new();
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(buf.get(..end).unwrap_or_default()).into_owned()
}

fn pid_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks for existence and permission.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

// ---- encoding ----

fn len_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn put_u32(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}

fn put_u64(v: &mut Vec<u8>, x: u64) {
    v.extend_from_slice(&x.to_le_bytes());
}

fn put_bytes(v: &mut Vec<u8>, b: &[u8]) {
    put_u32(v, len_u32(b.len()));
    v.extend_from_slice(b);
}

fn put_meta(v: &mut Vec<u8>, m: &FileMeta) {
    v.push(match m.fileformat {
        FileFormat::Unix => 0,
        FileFormat::Dos => 1,
        FileFormat::Mac => 2,
    });
    let flags = u8::from(m.eol) | (u8::from(m.bom) << 1) | (u8::from(m.raw_bytes) << 2) | (u8::from(m.empty) << 3);
    v.push(flags);
}

fn checksum(kind: Option<u8>, payload: &[u8]) -> [u8; 8] {
    let mut h = blake3::Hasher::new();
    if let Some(k) = kind {
        h.update(&[k]);
    }
    h.update(payload);
    let mut out = [0u8; 8];
    out.copy_from_slice(h.finalize().as_bytes().get(..8).unwrap_or(&[0; 8]));
    out
}

fn frame(kind: u8, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(payload.len() + 17);
    put_u64(&mut v, payload.len() as u64);
    v.push(kind);
    v.extend_from_slice(payload);
    v.extend_from_slice(&checksum(Some(kind), payload));
    v
}

/// Writes a snapshot record straight from the rope's chunks (no copy of the whole text).
fn write_snapshot(w: &mut impl Write, text: &Rope) -> io::Result<()> {
    let mut head = Vec::with_capacity(9);
    put_u64(&mut head, text.len_bytes() as u64);
    head.push(KIND_SNAPSHOT);
    w.write_all(&head)?;
    let mut h = blake3::Hasher::new();
    h.update(&[KIND_SNAPSHOT]);
    for c in text.chunks() {
        h.update(c.as_bytes());
        w.write_all(c.as_bytes())?;
    }
    w.write_all(h.finalize().as_bytes().get(..8).unwrap_or_default())
}

fn encode_header(h: &Header) -> Vec<u8> {
    let mut b = Vec::new();
    put_u32(&mut b, h.pid);
    put_bytes(&mut b, h.hostname.as_bytes());
    match &h.file {
        Some(f) => {
            b.push(1);
            put_bytes(&mut b, f.as_os_str().as_bytes());
        }
        None => b.push(0),
    }
    put_meta(&mut b, &h.meta);
    b.push(u8::from(h.base_modified));
    match &h.base {
        Base::Snapshot => b.push(0),
        Base::File { size, mtime, file_hash, text_hash } => {
            b.push(1);
            put_u64(&mut b, *size);
            b.extend_from_slice(&mtime.0.to_le_bytes());
            put_u32(&mut b, mtime.1);
            b.extend_from_slice(file_hash);
            b.extend_from_slice(text_hash);
        }
    }
    let mut out = MAGIC.to_vec();
    put_u32(&mut out, VERSION);
    put_u32(&mut out, len_u32(b.len()));
    out.extend_from_slice(&b);
    out.extend_from_slice(&checksum(None, &b));
    out
}

// ---- decoding ----

/// A cursor over bytes whose reads fail (None) instead of panicking at the end.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn bytes(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()? as usize;
        self.take(n)
    }
    fn meta(&mut self) -> Option<FileMeta> {
        let fileformat = match self.u8()? {
            0 => FileFormat::Unix,
            1 => FileFormat::Dos,
            2 => FileFormat::Mac,
            _ => return None,
        };
        let f = self.u8()?;
        Some(FileMeta { fileformat, eol: f & 1 != 0, bom: f & 2 != 0, raw_bytes: f & 4 != 0, empty: f & 8 != 0 })
    }
}

fn read_exact_or_none(r: &mut impl Read, n: usize) -> io::Result<Option<Vec<u8>>> {
    let mut v = Vec::new();
    r.by_ref().take(n as u64).read_to_end(&mut v)?;
    Ok((v.len() == n).then_some(v))
}

/// The header and how many bytes it took.
fn read_header(path: &Path, r: &mut impl Read) -> Result<(Header, u64), SwapError> {
    let bad = || SwapError::NotASwapFile(path.to_path_buf());
    let fixed = read_exact_or_none(r, 16).map_err(io_err(path))?.ok_or_else(bad)?;
    let mut f = Bytes(&fixed);
    if f.take(8) != Some(MAGIC.as_slice()) || f.u32() != Some(VERSION) {
        return Err(bad());
    }
    let len = f.u32().ok_or_else(bad)? as usize;
    if len > 1 << 20 {
        return Err(bad());
    }
    let body = read_exact_or_none(r, len + 8).map_err(io_err(path))?.ok_or_else(bad)?;
    let (body, sum) = body.split_at(len);
    if checksum(None, body) != sum {
        return Err(bad());
    }
    let header = parse_header_body(body).ok_or_else(bad)?;
    Ok((header, 16 + len as u64 + 8))
}

fn parse_header_body(body: &[u8]) -> Option<Header> {
    let mut b = Bytes(body);
    let pid = b.u32()?;
    let hostname = String::from_utf8_lossy(b.bytes()?).into_owned();
    let file = match b.u8()? {
        0 => None,
        _ => Some(PathBuf::from(OsString::from_vec(b.bytes()?.to_vec()))),
    };
    let meta = b.meta()?;
    let base_modified = b.u8()? != 0;
    let base = match b.u8()? {
        0 => Base::Snapshot,
        1 => {
            let size = b.u64()?;
            let secs = i64::from_le_bytes(b.take(8)?.try_into().ok()?);
            let nanos = b.u32()?;
            let file_hash = b.take(32)?.try_into().ok()?;
            let text_hash = b.take(32)?.try_into().ok()?;
            Base::File { size, mtime: (secs, nanos), file_hash, text_hash }
        }
        _ => return None,
    };
    Some(Header { pid, hostname, file, meta, base_modified, base })
}

/// One step through the records.
enum Next {
    /// A clean end of file.
    End,
    /// A record cut short, failing its checksum or overrunning the file.
    Damaged,
    /// An intact record: kind and payload.
    Record(u8, Vec<u8>),
}

/// Reads the next record.
fn next_record(r: &mut impl Read, remaining: &mut u64) -> io::Result<Next> {
    let Some(head) = read_exact_or_none(r, 9)? else {
        return Ok(if *remaining == 0 { Next::End } else { Next::Damaged });
    };
    let mut h = Bytes(&head);
    let (Some(len), Some(kind)) = (h.u64(), h.u8()) else {
        return Ok(Next::Damaged);
    };
    // A length beyond the end of the file is a torn or damaged record; checking first also
    // keeps a corrupted length from asking for a huge allocation.
    if len.saturating_add(17) > *remaining {
        return Ok(Next::Damaged);
    }
    let Some(mut body) = read_exact_or_none(r, len as usize + 8)? else {
        return Ok(Next::Damaged);
    };
    *remaining -= len + 17;
    let sum = body.split_off(len as usize);
    if checksum(Some(kind), &body) != sum.as_slice() {
        return Ok(Next::Damaged);
    }
    Ok(Next::Record(kind, body))
}

/// Applies one change's edits; false (text untouched) if they do not fit the text.
fn apply_edits(rope: &mut Rope, edits: Vec<Edit>) -> bool {
    ChangeSet::from_edits(rope.len_chars(), edits).is_ok_and(|cs| cs.apply(rope).is_ok())
}

fn parse_edits(payload: &[u8]) -> Option<Vec<Edit>> {
    let mut b = Bytes(payload);
    let n = b.u32()? as usize;
    // Each edit takes at least 20 bytes, which bounds the allocation.
    let mut edits = Vec::with_capacity(n.min(payload.len() / 20));
    for _ in 0..n {
        let start = usize::try_from(b.u64()?).ok()?;
        let end = usize::try_from(b.u64()?).ok()?;
        let text = std::str::from_utf8(b.bytes()?).ok()?.to_string();
        edits.push(Edit { start, end, text });
    }
    b.0.is_empty().then_some(edits)
}

fn open_swap(path: &Path) -> Result<(Header, BufReader<File>, u64), SwapError> {
    let f = File::open(path).map_err(io_err(path))?;
    let len = f.metadata().map_err(io_err(path))?.len();
    let mut r = BufReader::new(f);
    let (header, header_len) = read_header(path, &mut r)?;
    Ok((header, r, len.saturating_sub(header_len)))
}

/// The text a file-based journal starts from, if the file is still what it was.
fn load_base_file(header: &Header) -> Result<Rope, SwapError> {
    let Base::File { size, file_hash, text_hash: want_text, .. } = &header.base else {
        return Ok(Rope::new());
    };
    let file = header.file.clone().unwrap_or_default();
    let changed = |reason: &str| SwapError::BaseChanged { file: file.clone(), reason: reason.to_string() };
    let m = fs::metadata(&file).map_err(|e| changed(&e.to_string()))?;
    if m.len() != *size {
        return Err(changed("its size differs"));
    }
    let mut hasher = blake3::Hasher::new();
    let f = File::open(&file).map_err(|e| changed(&e.to_string()))?;
    hasher.update_reader(&f).map_err(|e| changed(&e.to_string()))?;
    if hasher.finalize().as_bytes() != file_hash {
        return Err(changed("its contents differ"));
    }
    let f = File::open(&file).map_err(|e| changed(&e.to_string()))?;
    let (rope, _) = codec::decode_as(f, header.meta.fileformat).map_err(|e| changed(&e.to_string()))?;
    if &text_hash(&rope) != want_text {
        return Err(changed("it no longer decodes to the same text"));
    }
    Ok(rope)
}

/// Rebuilds a buffer's text from a swap file (for `rtdvi -r`).
pub fn recover(swap_path: &Path) -> Result<Recovery, SwapError> {
    let (header, mut r, mut remaining) = open_swap(swap_path)?;
    let mut rope = if header.base == Base::Snapshot {
        let first = next_record(&mut r, &mut remaining).map_err(io_err(swap_path))?;
        match first {
            Next::Record(KIND_SNAPSHOT, text) => match String::from_utf8(text) {
                Ok(s) => Rope::from_str(&s),
                Err(_) => return Err(SwapError::NoSnapshot(swap_path.to_path_buf())),
            },
            _ => return Err(SwapError::NoSnapshot(swap_path.to_path_buf())),
        }
    } else {
        load_base_file(&header)?
    };
    let mut meta = header.meta;
    let mut damaged_tail = false;
    loop {
        let ok = match next_record(&mut r, &mut remaining).map_err(io_err(swap_path))? {
            Next::End => break,
            Next::Record(KIND_EDITS, p) => parse_edits(&p).is_some_and(|edits| apply_edits(&mut rope, edits)),
            Next::Record(KIND_META, p) => Bytes(&p).meta().map(|m| meta = m).is_some(),
            Next::Record(..) | Next::Damaged => false,
        };
        if !ok {
            damaged_tail = true;
            break;
        }
    }
    Ok(Recovery { rope, meta, file: header.file, damaged_tail })
}

/// Reads what `E325: ATTENTION` shows about a swap file.
fn info(path: &Path) -> Result<SwapInfo, SwapError> {
    let (header, mut r, mut remaining) = open_swap(path)?;
    // Any record after a snapshot is a change. Only record heads are read (a hint, unverified),
    // so a big snapshot costs no memory here.
    let mut modified = header.base_modified;
    while !modified {
        let Ok(Some(head)) = read_exact_or_none(&mut r, 9) else {
            break;
        };
        let mut h = Bytes(&head);
        let (Some(len), Some(kind)) = (h.u64(), h.u8()) else {
            break;
        };
        if kind != KIND_SNAPSHOT {
            modified = true;
        } else if len.saturating_add(17) > remaining
            || r.seek_relative(i64::try_from(len + 8).unwrap_or(i64::MAX)).is_err()
        {
            break;
        } else {
            remaining -= len + 17;
        }
    }
    let mtime = fs::metadata(path).and_then(|m| m.modified()).ok();
    let pid_running = header.hostname == hostname() && pid_alive(header.pid);
    Ok(SwapInfo {
        path: path.to_path_buf(),
        pid: header.pid,
        pid_running,
        hostname: header.hostname,
        file: header.file,
        modified,
        mtime,
    })
}

/// The first swap file in `dir` for `file`, if any (Vim's `E325: ATTENTION` check).
pub fn probe(dir: &Path, file: &Path) -> Option<SwapInfo> {
    candidates(dir, file).into_iter().filter(|p| p.exists()).find_map(|p| info(&p).ok())
}

/// Every readable swap file in `dir` (for `rtdvi -r` without a file), sorted by path.
pub fn list(dir: &Path) -> Vec<SwapInfo> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<SwapInfo> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().and_then(|x| x.to_str()).is_some_and(|x| SUFFIXES.contains(&x)))
        .filter_map(|p| info(&p).ok())
        .collect();
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::os::unix::fs::PermissionsExt;

    fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
        match r {
            Ok(x) => x,
            Err(e) => panic!("{e}"),
        }
    }

    fn tmpdir() -> tempfile::TempDir {
        ok(tempfile::tempdir())
    }

    /// Applies edits to a String independently of the rope code under test.
    fn apply_to_string(s: &str, edits: &[Edit]) -> String {
        let chars: Vec<char> = s.chars().collect();
        let mut out = String::new();
        let mut at = 0;
        for e in edits {
            out.extend(chars.get(at..e.start).unwrap_or_default());
            out.push_str(&e.text);
            at = e.end;
        }
        out.extend(chars.get(at..).unwrap_or_default());
        out
    }

    /// Turns raw numbers into valid sorted, non-overlapping edits for a text of `len` chars.
    fn shape(len: usize, raw: &[(usize, usize, String)]) -> Vec<Edit> {
        let mut edits = Vec::new();
        let mut cursor = 0;
        for (gap, del, text) in raw {
            if cursor > len {
                break;
            }
            let start = cursor + gap % (len - cursor + 1);
            let end = start + del % (len - start + 1).min(4);
            edits.push(Edit { start, end, text: text.clone() });
            cursor = end + 1;
        }
        edits
    }

    fn meta() -> FileMeta {
        FileMeta { empty: false, ..FileMeta::default() }
    }

    fn recovered(path: &Path) -> Recovery {
        ok(recover(path))
    }

    /// Records `batches` over `start`; returns the swap and the live text after each batch.
    fn journal(
        dir: &Path,
        file: Option<&Path>,
        start: &str,
        batches: &[Vec<(usize, usize, String)>],
    ) -> (SwapFile, Vec<String>) {
        let mut swap = ok(SwapFile::create(dir, file, &Rope::from_str(start), &meta()));
        let mut live = start.to_string();
        let mut states = Vec::new();
        for raw in batches {
            let edits = shape(live.chars().count(), raw);
            ok(swap.record(&edits));
            live = apply_to_string(&live, &edits);
            states.push(live.clone());
        }
        (swap, states)
    }

    fn batches() -> Vec<Vec<(usize, usize, String)>> {
        (0..5).map(|i| vec![(i, 1, format!("é{i}\n")), (2, i % 3, "x".to_string())]).collect()
    }

    proptest! {
        #[test]
        fn replay_equals_live_text(
            start in "[a-c\né]{0,30}",
            raw in prop::collection::vec(
                prop::collection::vec((0usize..40, 0usize..6, "[x-z\n😀]{0,4}"), 0..4),
                0..25,
            ),
            compact_at in 0usize..30,
        ) {
            let d = tmpdir();
            let mut swap = ok(SwapFile::create(d.path(), None, &Rope::from_str(&start), &meta()));
            let mut live = start.clone();
            for (i, batch) in raw.iter().enumerate() {
                let edits = shape(live.chars().count(), batch);
                ok(swap.record(&edits));
                live = apply_to_string(&live, &edits);
                if i == compact_at {
                    ok(swap.compact(&Rope::from_str(&live)));
                }
            }
            let rec = recovered(swap.path());
            prop_assert_eq!(rec.rope.to_string(), live);
            prop_assert_eq!(rec.meta, meta());
            prop_assert!(!rec.damaged_tail);
        }
    }

    #[test]
    fn torn_tail_is_dropped() {
        let d = tmpdir();
        let (swap, states) = journal(d.path(), None, "hello\nworld", &batches());
        let len = ok(fs::metadata(swap.path())).len();
        for cut in [1, 5, 9, 12] {
            let copy = d.path().join(format!("torn{cut}.swp"));
            ok(fs::copy(swap.path(), &copy));
            let f = ok(OpenOptions::new().write(true).open(&copy));
            ok(f.set_len(len - cut));
            let rec = recovered(&copy);
            assert_eq!(rec.rope.to_string(), states[states.len() - 2], "cut {cut}");
            assert!(rec.damaged_tail);
        }
    }

    #[test]
    fn corrupted_checksum_drops_the_rest() {
        let d = tmpdir();
        let (swap, states) = journal(d.path(), None, "abc", &batches());
        let mut bytes = ok(fs::read(swap.path()));
        // The last records are edits; damage a byte inside the third-from-last one's text.
        let last3: usize = 3;
        let mut ends = Vec::new();
        let (_, header_len) = ok(read_header(swap.path(), &mut bytes.as_slice()));
        let mut at = header_len as usize;
        while at < bytes.len() {
            let len = u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap_or_default()) as usize;
            ends.push((at, at + 17 + len));
            at += 17 + len;
        }
        let (rec_start, _) = ends[ends.len() - last3];
        bytes[rec_start + 9 + 4] ^= 0x55;
        ok(fs::write(swap.path(), &bytes));
        let rec = recovered(swap.path());
        assert!(rec.damaged_tail);
        assert_eq!(rec.rope.to_string(), states[states.len() - last3 - 1]);
    }

    #[test]
    fn garbage_is_not_a_swap_file() {
        let d = tmpdir();
        let p = d.path().join("x.swp");
        ok(fs::write(&p, b"RTDVISWP\x01\0\0\0\xff\xff\0\0junk"));
        assert!(matches!(recover(&p), Err(SwapError::NotASwapFile(_))));
        ok(fs::write(&p, b""));
        assert!(matches!(recover(&p), Err(SwapError::NotASwapFile(_))));
        // A header without its snapshot (crash inside create).
        let (swap, _) = journal(d.path(), None, "text", &[]);
        let (_, hl) = ok(read_header(swap.path(), &mut ok(File::open(swap.path()))));
        let f = ok(OpenOptions::new().write(true).open(swap.path()));
        ok(f.set_len(hl + 3));
        assert!(matches!(recover(swap.path()), Err(SwapError::NoSnapshot(_))));
    }

    #[test]
    fn big_buffer_replays_over_the_file() {
        let d = tmpdir();
        let swap_dir = d.path().join("swap");
        let file = d.path().join("big.txt");
        let content = "line of text\r\n".repeat(50);
        ok(fs::write(&file, &content));
        let loaded = ok(crate::fileio::read_file(&file));
        let mut swap = ok(create_with_limit(&swap_dir, Some(&file), &loaded.rope, &loaded.meta, 100));
        // No copy of the text: the swap is smaller than the file.
        assert!(ok(fs::metadata(swap.path())).len() < content.len() as u64 / 2);
        let edits = vec![Edit { start: 0, end: 4, text: "LINE".into() }];
        ok(swap.record(&edits));
        let rec = recovered(swap.path());
        let want = apply_to_string(&loaded.rope.to_string(), &edits);
        assert_eq!(rec.rope.to_string(), want);
        assert_eq!(rec.meta, loaded.meta);
        // Touching the file is harmless, changing its bytes is not.
        ok(fs::write(&file, &content));
        assert!(recover(swap.path()).is_ok());
        ok(fs::write(&file, content.replace("text", "TEXT")));
        assert!(matches!(recover(swap.path()), Err(SwapError::BaseChanged { .. })));
        ok(fs::remove_file(&file));
        assert!(matches!(recover(swap.path()), Err(SwapError::BaseChanged { .. })));
    }

    #[test]
    fn big_buffer_that_differs_from_its_file_gets_a_snapshot() {
        let d = tmpdir();
        let file = d.path().join("f");
        ok(fs::write(&file, "on disk\n"));
        let text = Rope::from_str(&"not what is on disk\n".repeat(20));
        let swap = ok(create_with_limit(d.path(), Some(&file), &text, &meta(), 10));
        assert!(ok(fs::metadata(swap.path())).len() > text.len_bytes() as u64);
        ok(fs::write(&file, "changed\n"));
        assert_eq!(recovered(swap.path()).rope, text);
    }

    #[test]
    fn probe_list_names_and_permissions() {
        let d = tmpdir();
        let swap_dir = d.path().join("state/rtdvi/swap");
        let file = d.path().join("notes.txt");
        ok(fs::write(&file, "hi\n"));
        assert_eq!(probe(&swap_dir, &file), None);
        let mut first = ok(SwapFile::create(&swap_dir, Some(&file), &Rope::from_str("hi"), &meta()));
        assert_eq!(ok(fs::metadata(&swap_dir)).permissions().mode() & 0o777, 0o700);
        assert_eq!(ok(fs::metadata(first.path())).permissions().mode() & 0o777, 0o600);
        let name = first.path().file_name().map(|n| n.to_string_lossy().into_owned());
        let canonical = ok(fs::canonicalize(&file));
        let expect = format!("{}.swp", canonical.display()).replace('/', "%");
        assert_eq!(name, Some(expect));

        let info = probe(&swap_dir, &file);
        assert_eq!(info.as_ref().map(|i| (i.pid, i.pid_running, i.modified)), Some((std::process::id(), true, false)));
        assert_eq!(info.as_ref().and_then(|i| i.file.clone()), Some(canonical.clone()));
        assert_eq!(info.map(|i| i.hostname), Some(hostname()));
        ok(first.record(&[Edit { start: 0, end: 0, text: "x".into() }]));
        assert_eq!(probe(&swap_dir, &file).map(|i| i.modified), Some(true));

        // A second editor of the same file (reached through a symlink) gets the next name.
        let link = d.path().join("link");
        ok(std::os::unix::fs::symlink(&file, &link));
        let second = ok(SwapFile::create(&swap_dir, Some(&link), &Rope::from_str("hi"), &meta()));
        assert!(second.path().to_string_lossy().ends_with(".swo"));
        let unnamed = ok(SwapFile::create(&swap_dir, None, &Rope::new(), &meta()));
        let all = list(&swap_dir);
        assert_eq!(all.len(), 3);
        assert!(all.iter().any(|i| i.file.is_none()));
        ok(first.remove());
        ok(second.remove());
        ok(unnamed.remove());
        assert!(list(&swap_dir).is_empty());
    }

    #[test]
    fn meta_changes_and_compaction_are_recovered() {
        let d = tmpdir();
        let mut swap = ok(SwapFile::create(d.path(), None, &Rope::from_str("a"), &meta()));
        let dos = FileMeta { fileformat: FileFormat::Dos, ..meta() };
        ok(swap.set_meta(&dos));
        let mut live = String::from("a");
        let chunk = "0123456789".repeat(20_000);
        while !swap.wants_compaction() {
            let n = live.chars().count();
            let e = [Edit { start: n, end: n, text: chunk.clone() }];
            ok(swap.record(&e));
            live = apply_to_string(&live, &e);
        }
        let before = ok(fs::metadata(swap.path())).len();
        ok(swap.compact(&Rope::from_str(&live)));
        assert!(ok(fs::metadata(swap.path())).len() < before);
        assert!(!swap.wants_compaction());
        let e = [Edit { start: 0, end: 1, text: "b".into() }];
        ok(swap.record(&e));
        live = apply_to_string(&live, &e);
        let _ = ok(swap.sync());
        let rec = recovered(swap.path());
        assert_eq!(rec.rope.to_string(), live);
        assert_eq!(rec.meta, dos);
        // Compacted text is still "modified".
        assert_eq!(list(d.path()).first().map(|i| i.modified), Some(true));
    }

    #[test]
    fn edits_that_do_not_fit_stop_the_replay() {
        let d = tmpdir();
        let mut swap = ok(SwapFile::create(d.path(), None, &Rope::from_str("abc"), &meta()));
        ok(swap.record(&[Edit { start: 3, end: 3, text: "d".into() }]));
        ok(swap.record(&[Edit { start: 2, end: 99, text: String::new() }]));
        ok(swap.record(&[Edit { start: 0, end: 0, text: "z".into() }]));
        let rec = recovered(swap.path());
        assert_eq!(rec.rope.to_string(), "abcd");
        assert!(rec.damaged_tail);
    }

    /// Deterministic edits the crash child records.
    fn crash_batches() -> Vec<Vec<Edit>> {
        let mut len = 0;
        (0..300)
            .map(|i| {
                let text = format!("line {i} ✓\n");
                let start = if i % 3 == 0 { 0 } else { len };
                let e = vec![Edit { start, end: start, text: text.clone() }];
                len += text.chars().count();
                e
            })
            .collect()
    }

    const CRASH_CHILD: &str = "RTDVI_SWAP_CRASH_CHILD";

    #[test]
    fn kill_9_loses_nothing_recorded() {
        if let Some(dir) = std::env::var_os(CRASH_CHILD) {
            // Child: journal without ever fsyncing, say so, and wait to be killed.
            let dir = PathBuf::from(dir);
            let mut swap = ok(SwapFile::create(&dir.join("swap"), Some(&dir.join("doc.txt")), &Rope::new(), &meta()));
            for b in crash_batches() {
                ok(swap.record(&b));
            }
            ok(fs::write(dir.join("ready"), b"1"));
            loop {
                std::thread::sleep(Duration::from_secs(1));
            }
        }
        let d = tmpdir();
        let exe = ok(std::env::current_exe());
        let mut child = ok(std::process::Command::new(exe)
            .args(["swap::tests::kill_9_loses_nothing_recorded", "--exact", "--nocapture", "--test-threads", "1"])
            .env(CRASH_CHILD, d.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn());
        let ready = d.path().join("ready");
        // Wait (generously: the machine is shared) for the child to finish journaling.
        let mut waited = 0;
        while !ready.exists() {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("crash child exited early: {status}");
            }
            assert!(waited < 1200, "crash child never got ready");
            std::thread::sleep(Duration::from_millis(100));
            waited += 1;
        }
        ok(child.kill()); // SIGKILL
        let _ = child.wait();
        let found = list(&d.path().join("swap"));
        assert_eq!(found.len(), 1);
        assert!(!found[0].pid_running);
        assert!(found[0].modified);
        let rec = recovered(&found[0].path);
        let mut want = String::new();
        for b in crash_batches() {
            want = apply_to_string(&want, &b);
        }
        assert_eq!(rec.rope.to_string(), want);
        assert!(!rec.damaged_tail);
        assert_eq!(rec.file, Some(ok(fs::canonicalize(d.path())).join("doc.txt")));
    }
}
