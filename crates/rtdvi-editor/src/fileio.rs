//! Reading and saving real files without ever losing one.
//!
//! Reading decodes with [`rtdvi_core::codec`] and records a [`FileStamp`]. Saving
//! ([`write_file`]) is atomic: the text goes to a temporary file in the directory of the *target*
//! (after following symlinks, so a link stays a link), which is fsynced, given the original's mode
//! bits, owner and group, renamed over the target, and the directory is fsynced.
//! A failure at any step leaves the original file untouched and removes the temporary file.
//!
//! Where a rename would be wrong or impossible the file is rewritten in place instead, after a
//! backup copy (restored if the write fails):
//! - the file has several hard links: a rename would give this name a new inode and leave the
//!   other names with the old text, silently breaking the link (Vim's `'backupcopy'=auto` does the
//!   same);
//! - the directory is not writable but the file is (no temporary file can be created there; the
//!   backup then goes to the system temporary directory);
//! - the file belongs to another user or group that a new file can't be given (only root can
//!   give files away): a rename would silently change the owner of a shared file;
//! - the target is not a regular file (a device or a FIFO must never be replaced by a file; no
//!   backup is possible there).
//!
//! Vim behaviours kept (checked against Neovim 0.11):
//! - a file without write permission gives `E45: 'readonly' option is set (add ! to override)`;
//!   `force` (`:w!`) writes it anyway where the OS allows (a writable directory) and keeps its
//!   mode, so it stays read-only;
//! - `:w >>file` on a missing file fails with E212 unless forced, which creates it;
//! - Neovim asks `WARNING: The file has been changed since reading it!!!` / `Do you really want to
//!   write to it (y/n)?` when the file's time stamp changed since it was read, and `:w!` skips the
//!   question. Without a prompt we return [`FileError::ChangedSinceReading`] from
//!   [`check_unchanged`], which the caller skips for `:w!`.

use std::ffi::{CString, OsString};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use ropey::Rope;
use rtdvi_core::codec::{self, DecodeError, EncodeOptions, FileMeta};

/// Identity and version of a file on disk, to notice changes made behind the editor's back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    /// Last modification time (None where the platform does not report it).
    pub mtime: Option<SystemTime>,
    /// Size in bytes.
    pub size: u64,
    /// Inode number.
    pub inode: u64,
    /// Device of the file system holding it.
    pub dev: u64,
}

impl FileStamp {
    /// The stamp of already-fetched metadata.
    pub fn from_metadata(m: &fs::Metadata) -> FileStamp {
        FileStamp { mtime: m.modified().ok(), size: m.len(), inode: m.ino(), dev: m.dev() }
    }
}

/// A file read into buffer text.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    /// The text (lines joined by "\n", no trailing newline).
    pub rope: Rope,
    /// Line endings, 'eol', BOM, raw bytes, emptiness.
    pub meta: FileMeta,
    /// The file's stamp when it was opened.
    pub stamp: FileStamp,
}

/// How to save.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteMode {
    /// `:w!`: write a read-only file (where the OS allows), create a missing file for `append`,
    /// and go on without a backup when none can be made.
    pub force: bool,
    /// `:w >>file`: add the text at the end of the file.
    pub append: bool,
}

/// What a successful save did (for `"foo" 3L, 12B written`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteReport {
    /// Bytes written.
    pub bytes: u64,
    /// Lines written.
    pub lines: usize,
    /// The file's new stamp.
    pub stamp: FileStamp,
}

/// Why a file could not be read or written; messages follow Vim's.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The file does not exist: the caller opens a new buffer for it.
    #[error("\"{}\" [New]", .0.display())]
    NotFound(PathBuf),
    /// The path names a directory.
    #[error("E502: \"{}\" is a directory", .0.display())]
    IsDirectory(PathBuf),
    /// Reading was not permitted.
    #[error("\"{}\" [Permission Denied]", .0.display())]
    PermissionDenied(PathBuf),
    /// The file has no write permission and the write was not forced.
    #[error("E45: 'readonly' option is set (add ! to override)")]
    ReadOnly(PathBuf),
    /// The file changed on disk since it was read (override with `:w!`).
    #[error("WARNING: The file has been changed since reading it!!!")]
    ChangedSinceReading(PathBuf),
    /// The target (or a temporary file next to it) could not be opened for writing.
    #[error("E212: Can't open file for writing: {reason}")]
    CantOpenForWriting {
        /// The file.
        path: PathBuf,
        /// The OS's reason.
        reason: String,
    },
    /// No backup could be made before an in-place write.
    #[error("E509: Cannot create backup file (add ! to override)")]
    BackupFailed(PathBuf),
    /// The file system ran out of space (or quota); the original is untouched.
    #[error("E514: Write error (file system full?)")]
    DiskFull(PathBuf),
    /// An in-place write failed and the original could not be put back; it survives in `backup`.
    #[error(
        "E514: Write error; \"{}\" may be damaged, its original text is in \"{}\"",
        path.display(),
        backup.display()
    )]
    RestoreFailed {
        /// The damaged file.
        path: PathBuf,
        /// Where the original text is kept.
        backup: PathBuf,
    },
    /// Any other I/O failure.
    #[error("\"{}\" {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: io::Error,
    },
}

impl FileError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            FileError::NotFound(p)
            | FileError::IsDirectory(p)
            | FileError::PermissionDenied(p)
            | FileError::ReadOnly(p)
            | FileError::ChangedSinceReading(p)
            | FileError::BackupFailed(p)
            | FileError::DiskFull(p) => p,
            FileError::CantOpenForWriting { path, .. }
            | FileError::RestoreFailed { path, .. }
            | FileError::Io { path, .. } => path,
        }
    }
}

/// Error of a failed write: a full disk gets Vim's E514, anything else keeps the OS's reason.
fn write_error(path: &Path, e: io::Error) -> FileError {
    match e.raw_os_error() {
        Some(libc::ENOSPC) | Some(libc::EDQUOT) => FileError::DiskFull(path.to_path_buf()),
        _ => FileError::Io { path: path.to_path_buf(), source: e },
    }
}

/// E212 with the OS's reason in Vim's lower-case style.
fn cant_open(path: &Path, e: &io::Error) -> FileError {
    let reason = match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    FileError::CantOpenForWriting { path: path.to_path_buf(), reason }
}

/// Reads and decodes a file.
pub fn read_file(path: &Path) -> Result<LoadedFile, FileError> {
    let file = File::open(path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => FileError::NotFound(path.to_path_buf()),
        io::ErrorKind::PermissionDenied => FileError::PermissionDenied(path.to_path_buf()),
        _ if e.raw_os_error() == Some(libc::EISDIR) => FileError::IsDirectory(path.to_path_buf()),
        _ => FileError::Io { path: path.to_path_buf(), source: e },
    })?;
    let m = file.metadata().map_err(|e| FileError::Io { path: path.to_path_buf(), source: e })?;
    if m.is_dir() {
        return Err(FileError::IsDirectory(path.to_path_buf()));
    }
    // Taken before reading: a change made while we read shows up as a change later.
    let stamp = FileStamp::from_metadata(&m);
    // Any bytes decode (losslessly); only reading itself can fail. A FIFO or device can't be read
    // twice, so it is read into memory first.
    let decoded = if m.is_file() {
        codec::decode(&file)
    } else {
        let mut bytes = Vec::new();
        (&file).read_to_end(&mut bytes).map_err(|e| FileError::Io { path: path.to_path_buf(), source: e })?;
        codec::decode(io::Cursor::new(bytes))
    };
    let (rope, meta) = decoded.map_err(|DecodeError::Io(source)| FileError::Io { path: path.to_path_buf(), source })?;
    Ok(LoadedFile { rope, meta, stamp })
}

/// The current stamp of a file (following symlinks).
pub fn stamp(path: &Path) -> Result<FileStamp, FileError> {
    match fs::metadata(path) {
        Ok(m) => Ok(FileStamp::from_metadata(&m)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(FileError::NotFound(path.to_path_buf())),
        Err(e) => Err(FileError::Io { path: path.to_path_buf(), source: e }),
    }
}

/// Fails with [`FileError::ChangedSinceReading`] when the file's mtime or size differ from
/// `read`. A file that vanished is not "changed" (Vim writes it again without asking).
pub fn check_unchanged(path: &Path, read: &FileStamp) -> Result<(), FileError> {
    match stamp(path) {
        Ok(now) if now.mtime != read.mtime || now.size != read.size => {
            Err(FileError::ChangedSinceReading(path.to_path_buf()))
        }
        Ok(_) | Err(FileError::NotFound(_)) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Saves `rope` to `path` (see the module docs for the guarantees).
pub fn write_file(path: &Path, rope: &Rope, opts: &EncodeOptions, mode: WriteMode) -> Result<WriteReport, FileError> {
    write_impl(path, rope, opts, mode, None)
}

/// A writer that fails with ENOSPC after `left` bytes: the seam tests use to fill the disk.
struct Sink<'a> {
    file: &'a mut File,
    left: Option<u64>,
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = match self.left {
            None => buf.len(),
            Some(0) => return Err(io::Error::from_raw_os_error(libc::ENOSPC)),
            Some(left) => buf.len().min(usize::try_from(left).unwrap_or(usize::MAX)),
        };
        let n = self.file.write(buf.get(..n).unwrap_or_default())?;
        if let Some(left) = self.left.as_mut() {
            *left -= n as u64;
        }
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Encodes into `file`, failing after `fail_after` bytes when set (tests only).
fn encode_into(file: &mut File, rope: &Rope, opts: &EncodeOptions, fail_after: Option<u64>) -> io::Result<u64> {
    codec::encode(rope, opts, Sink { file, left: fail_after })
}

fn write_impl(
    path: &Path,
    rope: &Rope,
    opts: &EncodeOptions,
    mode: WriteMode,
    fail_after: Option<u64>,
) -> Result<WriteReport, FileError> {
    let target = resolve_symlinks(path).map_err(|e| cant_open(path, &e))?;
    let existing = match fs::metadata(&target) {
        Ok(m) if m.is_dir() => return Err(FileError::IsDirectory(path.to_path_buf())),
        Ok(m) => Some(m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(cant_open(path, &e)),
    };
    if let Some(m) = &existing {
        if !mode.force && is_read_only(&target, m) {
            return Err(FileError::ReadOnly(path.to_path_buf()));
        }
    }

    let bytes = if mode.append {
        append(path, &target, existing.is_some(), rope, opts, mode, fail_after)?
    } else {
        match &existing {
            Some(m) if !m.is_file() => in_place(path, &target, None, rope, opts, fail_after)?,
            Some(m) if m.nlink() > 1 => {
                let backup = make_backup(path, &target, mode)?;
                in_place(path, &target, backup, rope, opts, fail_after)?
            }
            _ => {
                // Keeping the owner matters only while the file itself can still be rewritten.
                let writable = existing.as_ref().is_some_and(|m| !is_read_only(&target, m));
                match replace(path, &target, existing.as_ref(), writable, rope, opts, fail_after) {
                    // The directory refuses new files, or the new file can't get the old owner, but
                    // the file itself is writable.
                    Err(Replace::NoTempFile(e)) if writable && e.kind() == io::ErrorKind::PermissionDenied => {
                        let backup = make_backup(path, &target, mode)?;
                        in_place(path, &target, backup, rope, opts, fail_after)?
                    }
                    Err(Replace::OwnerLost) => {
                        let backup = make_backup(path, &target, mode)?;
                        in_place(path, &target, backup, rope, opts, fail_after)?
                    }
                    Err(Replace::NoTempFile(e)) => return Err(cant_open(path, &e)),
                    Err(Replace::Failed(e)) => return Err(e),
                    Ok(n) => n,
                }
            }
        }
    };

    let lines = if rope.len_chars() == 0 && !opts.final_newline { 0 } else { rope.len_lines() };
    let stamp = stamp(&target)?;
    Ok(WriteReport { bytes, lines, stamp })
}

/// Follows a chain of symlinks to the file that is really written (which may not exist yet).
fn resolve_symlinks(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    // Same bound as the kernel's, so a loop ends with the error the OS would give.
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(dir) => dir.join(link),
                    None => link,
                };
            }
            Ok(_) => return Ok(current),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(current),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::from_raw_os_error(libc::ELOOP))
}

/// Vim's test: no write bit at all, or the OS would refuse us write access.
fn is_read_only(path: &Path, m: &fs::Metadata) -> bool {
    if m.permissions().mode() & 0o222 == 0 {
        return true;
    }
    let Ok(c) = CString::new(path.as_os_str().as_bytes()) else {
        return true;
    };
    // SAFETY: `c` is a valid NUL-terminated string that outlives the call. AT_EACCESS checks
    // with the effective (file-system) ids, as opening the file would.
    unsafe { libc::faccessat(libc::AT_FDCWD, c.as_ptr(), libc::W_OK, libc::AT_EACCESS) != 0 }
}

/// A unique name for a sibling file of `target`: `.<name>.<pid>-<n><suffix>`.
fn sibling_name(dir: &Path, target: &Path, suffix: &str) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = target.file_name().map(|n| n.as_bytes()).unwrap_or(b"file");
    // Keep the result under the usual 255-byte name limit.
    let name = name.get(..name.len().min(180)).unwrap_or_default();
    let mut s = b".".to_vec();
    s.extend_from_slice(name);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    s.extend_from_slice(format!(".{}-{n}{suffix}", std::process::id()).as_bytes());
    dir.join(OsString::from_vec(s))
}

/// Directory holding `target` ("." for a bare name).
fn parent_dir(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Creates a new file that nobody else has opened, retrying on name clashes.
fn create_new(dir: &Path, target: &Path, suffix: &str, perm: u32) -> io::Result<(PathBuf, File)> {
    let mut last = io::Error::from(io::ErrorKind::AlreadyExists);
    for _ in 0..100 {
        let p = sibling_name(dir, target, suffix);
        match OpenOptions::new().write(true).create_new(true).mode(perm).open(&p) {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = e,
            Err(e) => return Err(e),
        }
    }
    Err(last)
}

/// Best-effort fsync of a directory so a rename in it survives a crash. Some file systems refuse
/// to fsync directories; the rename itself already happened, so that is not an error.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Why the atomic replacement did not happen.
enum Replace {
    /// No temporary file could be created next to the target.
    NoTempFile(io::Error),
    /// The new file could not be given the old file's owner/group (it has been removed).
    OwnerLost,
    /// Writing failed after the temporary file existed (it has been removed).
    Failed(FileError),
}

/// Temp file, fsync, rename, fsync dir.
fn replace(
    path: &Path,
    target: &Path,
    existing: Option<&fs::Metadata>,
    keep_owner: bool,
    rope: &Rope,
    opts: &EncodeOptions,
    fail_after: Option<u64>,
) -> Result<u64, Replace> {
    let dir = parent_dir(target);
    // A new file gets 0666 minus the umask like any new file; a replacement starts private and
    // only gets the original mode once the descriptor is ours alone.
    let perm = if existing.is_some() { 0o600 } else { 0o666 };
    let (tmp, mut file) = create_new(&dir, target, ".rtdvi~", perm).map_err(Replace::NoTempFile)?;
    if let Some(m) = existing {
        if copy_owner(&file, m).is_err() && keep_owner {
            let _ = fs::remove_file(&tmp);
            return Err(Replace::OwnerLost);
        }
    }
    let result = (|| -> Result<u64, FileError> {
        if let Some(m) = existing {
            // After chown, which clears set-id bits.
            file.set_permissions(fs::Permissions::from_mode(m.permissions().mode() & 0o7777))
                .map_err(|e| write_error(path, e))?;
        }
        let n = encode_into(&mut file, rope, opts, fail_after).map_err(|e| write_error(path, e))?;
        file.sync_all().map_err(|e| write_error(path, e))?;
        drop(file);
        fs::rename(&tmp, target).map_err(|e| write_error(path, e))?;
        Ok(n)
    })();
    match result {
        Ok(n) => {
            sync_dir(&dir);
            Ok(n)
        }
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(Replace::Failed(e))
        }
    }
}

/// Gives the replacement the original's owner and group where they differ. Root can always;
/// others only change the group to one of theirs: failure means a rename would change the owner.
fn copy_owner(file: &File, m: &fs::Metadata) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let now = file.metadata()?;
    if (now.uid(), now.gid()) == (m.uid(), m.gid()) {
        return Ok(());
    }
    // SAFETY: the descriptor is open for the duration of the call.
    if unsafe { libc::fchown(file.as_raw_fd(), m.uid(), m.gid()) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Copies the target to a backup file (same directory, else the system temp directory).
/// Without one, a forced write goes on unprotected; otherwise E509.
fn make_backup(path: &Path, target: &Path, mode: WriteMode) -> Result<Option<PathBuf>, FileError> {
    for dir in [parent_dir(target), std::env::temp_dir()] {
        let Ok((bak, mut out)) = create_new(&dir, target, ".rtdvi-bak~", 0o600) else {
            continue;
        };
        let copied = File::open(target).and_then(|mut src| io::copy(&mut src, &mut out)).and_then(|_| out.sync_all());
        if copied.is_ok() {
            return Ok(Some(bak));
        }
        let _ = fs::remove_file(&bak);
    }
    if mode.force {
        Ok(None)
    } else {
        Err(FileError::BackupFailed(path.to_path_buf()))
    }
}

/// Rewrites the target itself; on failure puts the backup's bytes back.
fn in_place(
    path: &Path,
    target: &Path,
    backup: Option<PathBuf>,
    rope: &Rope,
    opts: &EncodeOptions,
    fail_after: Option<u64>,
) -> Result<u64, FileError> {
    let mut file = match OpenOptions::new().write(true).open(target) {
        Ok(f) => f,
        Err(e) => {
            if let Some(b) = backup {
                let _ = fs::remove_file(b);
            }
            return Err(cant_open(path, &e));
        }
    };
    let is_file = file.metadata().map(|m| m.is_file()).unwrap_or(false);
    let result = (|| -> io::Result<u64> {
        let n = encode_into(&mut file, rope, opts, fail_after)?;
        if is_file {
            file.set_len(n)?;
            file.sync_all()?;
        }
        Ok(n)
    })();
    match (result, backup) {
        (Ok(n), backup) => {
            if let Some(b) = backup {
                let _ = fs::remove_file(b);
            }
            Ok(n)
        }
        (Err(e), Some(b)) => {
            let restored = File::open(&b).and_then(|mut src| {
                let mut dst = OpenOptions::new().write(true).truncate(true).open(target)?;
                io::copy(&mut src, &mut dst)?;
                dst.sync_all()
            });
            if restored.is_ok() {
                let _ = fs::remove_file(&b);
                Err(write_error(path, e))
            } else {
                Err(FileError::RestoreFailed { path: path.to_path_buf(), backup: b })
            }
        }
        (Err(e), None) => Err(write_error(path, e)),
    }
}

/// `:w >>file`: appends, and cuts the file back to its old length if the write fails.
fn append(
    path: &Path,
    target: &Path,
    exists: bool,
    rope: &Rope,
    opts: &EncodeOptions,
    mode: WriteMode,
    fail_after: Option<u64>,
) -> Result<u64, FileError> {
    let mut file = OpenOptions::new().append(true).create(mode.force).open(target).map_err(|e| cant_open(path, &e))?;
    let old_len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let result = encode_into(&mut file, rope, opts, fail_after).and_then(|n| {
        file.sync_all()?;
        Ok(n)
    });
    match result {
        Ok(n) => Ok(n),
        Err(e) => {
            if exists {
                let _ = file.set_len(old_len).and_then(|_| file.sync_all());
            } else {
                let _ = fs::remove_file(target);
            }
            Err(write_error(path, e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rtdvi_core::codec::FileFormat;
    use std::os::unix::fs::symlink;

    fn opts() -> EncodeOptions {
        EncodeOptions { fileformat: FileFormat::Unix, final_newline: true, bom: false }
    }

    fn ok<T, E: std::fmt::Display>(r: Result<T, E>) -> T {
        match r {
            Ok(x) => x,
            Err(e) => panic!("{e}"),
        }
    }

    fn tmpdir() -> tempfile::TempDir {
        ok(tempfile::tempdir())
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = ok(fs::read_dir(dir))
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    fn mode_of(p: &Path) -> u32 {
        ok(fs::metadata(p)).permissions().mode() & 0o7777
    }

    fn chmod(p: &Path, mode: u32) {
        ok(fs::set_permissions(p, fs::Permissions::from_mode(mode)));
    }

    /// Runs `f` with the file-system permissions of an ordinary user: as root (where permission
    /// bits are not enforced) it runs on a thread whose fsuid/fsgid are `nobody`, which also drops
    /// the capabilities that bypass permission checks for that thread only.
    fn as_ordinary_user<T: Send>(f: impl FnOnce() -> T + Send) -> T {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return f();
        }
        std::thread::scope(|s| {
            let handle = s.spawn(|| {
                // SAFETY: raw syscalls on the current thread only (glibc's wrappers are not used so
                // that other test threads keep their ids).
                unsafe {
                    libc::syscall(libc::SYS_setfsgid, 65534);
                    libc::syscall(libc::SYS_setfsuid, 65534);
                }
                f()
            });
            match handle.join() {
                Ok(x) => x,
                Err(p) => std::panic::resume_unwind(p),
            }
        })
    }

    #[test]
    fn read_reports_missing_directory_and_denied() {
        let d = tmpdir();
        let missing = d.path().join("nope");
        let e = read_file(&missing).err();
        assert!(matches!(e, Some(FileError::NotFound(_))));
        assert_eq!(e.map(|e| e.to_string()), Some(format!("\"{}\" [New]", missing.display())));
        let e = read_file(d.path()).err();
        assert!(matches!(e, Some(FileError::IsDirectory(_))));
        assert!(e.map(|e| e.to_string()).unwrap_or_default().starts_with("E502: "));

        chmod(d.path(), 0o755);
        let secret = d.path().join("secret");
        ok(fs::write(&secret, "x"));
        chmod(&secret, 0o000);
        let e = as_ordinary_user(|| read_file(&secret).err());
        assert!(matches!(e, Some(FileError::PermissionDenied(_))), "{e:?}");
        assert!(e.map(|e| e.to_string()).unwrap_or_default().ends_with("[Permission Denied]"));
    }

    #[test]
    fn read_decodes_and_stamps() {
        let d = tmpdir();
        let p = d.path().join("f");
        ok(fs::write(&p, b"a\r\nb\r\n"));
        let lf = ok(read_file(&p));
        assert_eq!(lf.rope.to_string(), "a\nb");
        assert_eq!(lf.meta.fileformat, FileFormat::Dos);
        assert_eq!(lf.stamp, ok(stamp(&p)));
        assert_eq!(lf.stamp.size, 6);
    }

    #[test]
    fn fifo_is_read_once() {
        let d = tmpdir();
        let fifo = d.path().join("pipe");
        let Ok(c) = CString::new(fifo.as_os_str().as_bytes()) else { panic!("path with NUL") };
        // SAFETY: a valid C string.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::write(&fifo, b"from\r\npipe\r\n"))
        };
        let lf = ok(read_file(&fifo));
        assert!(writer.join().is_ok_and(|r| r.is_ok()));
        assert_eq!(lf.rope.to_string(), "from\npipe");
        assert_eq!(lf.meta.fileformat, FileFormat::Dos);
    }

    #[test]
    fn change_on_disk_is_noticed() {
        let d = tmpdir();
        let p = d.path().join("f");
        ok(fs::write(&p, "one\n"));
        let lf = ok(read_file(&p));
        assert!(check_unchanged(&p, &lf.stamp).is_ok());
        ok(fs::write(&p, "other text\n"));
        let e = check_unchanged(&p, &lf.stamp).err();
        assert!(matches!(e, Some(FileError::ChangedSinceReading(_))));
        ok(fs::remove_file(&p));
        assert!(check_unchanged(&p, &lf.stamp).is_ok());
    }

    #[test]
    fn atomic_save_round_trips_keeps_mode_and_leaves_no_temp() {
        let d = tmpdir();
        let p = d.path().join("f.txt");
        let bytes = b"\xEF\xBB\xBFx\r\ny\xFF\r\nno eol";
        ok(fs::write(&p, bytes));
        chmod(&p, 0o640);
        let inode = ok(fs::metadata(&p)).ino();
        let lf = ok(read_file(&p));
        let rep = ok(write_file(&p, &lf.rope, &EncodeOptions::from_meta(&lf.meta), WriteMode::default()));
        assert_eq!(ok(fs::read(&p)), bytes);
        assert_eq!(rep.bytes, bytes.len() as u64);
        assert_eq!(rep.lines, 3);
        assert_eq!(rep.stamp, ok(stamp(&p)));
        assert_eq!(mode_of(&p), 0o640);
        // Replaced by rename, not rewritten.
        assert_ne!(ok(fs::metadata(&p)).ino(), inode);
        assert_eq!(names(d.path()), vec!["f.txt"]);
    }

    #[test]
    fn new_file_gets_umask_mode() {
        let d = tmpdir();
        let reference = d.path().join("reference");
        ok(File::create(&reference));
        let p = d.path().join("new");
        let rep = ok(write_file(&p, &Rope::from_str("hi"), &opts(), WriteMode::default()));
        assert_eq!(ok(fs::read(&p)), b"hi\n");
        assert_eq!((rep.bytes, rep.lines), (3, 1));
        assert_eq!(mode_of(&p), mode_of(&reference));
        let empty = EncodeOptions { final_newline: false, ..opts() };
        let rep = ok(write_file(&p, &Rope::new(), &empty, WriteMode::default()));
        assert_eq!((rep.bytes, rep.lines), (0, 0));
    }

    #[test]
    fn symlink_writes_target_and_stays_a_link() {
        let d = tmpdir();
        let real_dir = d.path().join("real");
        let link_dir = d.path().join("links");
        ok(fs::create_dir(&real_dir));
        ok(fs::create_dir(&link_dir));
        let target = real_dir.join("t");
        ok(fs::write(&target, "old\n"));
        chmod(&target, 0o604);
        let link = link_dir.join("l");
        ok(symlink("../real/t", &link));
        let link2 = link_dir.join("l2");
        ok(symlink("l", &link2));
        ok(write_file(&link2, &Rope::from_str("new"), &opts(), WriteMode::default()));
        assert!(ok(fs::symlink_metadata(&link)).file_type().is_symlink());
        assert!(ok(fs::symlink_metadata(&link2)).file_type().is_symlink());
        assert_eq!(ok(fs::read(&target)), b"new\n");
        assert_eq!(mode_of(&target), 0o604);
        assert_eq!(names(&link_dir), vec!["l", "l2"]);
        assert_eq!(names(&real_dir), vec!["t"]);
        // A dangling link creates its target.
        let dangling = link_dir.join("d");
        ok(symlink("../real/created", &dangling));
        ok(write_file(&dangling, &Rope::from_str("c"), &opts(), WriteMode::default()));
        assert_eq!(ok(fs::read(real_dir.join("created"))), b"c\n");
    }

    #[test]
    fn hard_links_are_written_in_place() {
        let d = tmpdir();
        let a = d.path().join("a");
        let b = d.path().join("b");
        ok(fs::write(&a, "a much longer old text\n"));
        ok(fs::hard_link(&a, &b));
        let inode = ok(fs::metadata(&a)).ino();
        ok(write_file(&a, &Rope::from_str("short"), &opts(), WriteMode::default()));
        assert_eq!(ok(fs::read(&b)), b"short\n");
        assert_eq!(ok(fs::metadata(&a)).ino(), inode);
        assert_eq!(names(d.path()), vec!["a", "b"]);
    }

    #[test]
    fn read_only_file_needs_force_and_stays_read_only() {
        let d = tmpdir();
        let p = d.path().join("ro");
        ok(fs::write(&p, "old\n"));
        chmod(&p, 0o444);
        let e = write_file(&p, &Rope::from_str("new"), &opts(), WriteMode::default()).err();
        assert!(matches!(e, Some(FileError::ReadOnly(_))));
        assert_eq!(e.map(|e| e.to_string()), Some("E45: 'readonly' option is set (add ! to override)".to_string()));
        assert_eq!(ok(fs::read(&p)), b"old\n");
        let force = WriteMode { force: true, append: false };
        ok(write_file(&p, &Rope::from_str("new"), &opts(), force));
        assert_eq!(ok(fs::read(&p)), b"new\n");
        assert_eq!(mode_of(&p), 0o444);
    }

    #[test]
    fn read_only_directory() {
        let d = tmpdir();
        chmod(d.path(), 0o755);
        let dir = d.path().join("locked");
        ok(fs::create_dir(&dir));
        let writable = dir.join("w");
        let read_only = dir.join("r");
        ok(fs::write(&writable, "old w\n"));
        ok(fs::write(&read_only, "old r\n"));
        chmod(&writable, 0o666);
        chmod(&read_only, 0o444);
        chmod(&dir, 0o555);
        let force = WriteMode { force: true, append: false };
        let (w, r, created) = as_ordinary_user(|| {
            (
                write_file(&writable, &Rope::from_str("new w"), &opts(), WriteMode::default()),
                write_file(&read_only, &Rope::from_str("new r"), &opts(), force),
                write_file(&dir.join("n"), &Rope::from_str("n"), &opts(), WriteMode::default()),
            )
        });
        chmod(&dir, 0o755);
        // The file is writable: written in place, with the backup in the temp directory.
        ok(w);
        assert_eq!(ok(fs::read(&writable)), b"new w\n");
        // Forcing can't beat the OS.
        assert!(matches!(r, Err(FileError::CantOpenForWriting { .. })), "{r:?}");
        assert_eq!(ok(fs::read(&read_only)), b"old r\n");
        assert!(matches!(created, Err(FileError::CantOpenForWriting { .. })));
        assert_eq!(names(&dir), vec!["r", "w"]);
    }

    #[test]
    fn forced_write_of_read_only_hard_link_fails_cleanly() {
        let d = tmpdir();
        chmod(d.path(), 0o777);
        let a = d.path().join("a");
        ok(fs::write(&a, "old\n"));
        ok(fs::hard_link(&a, d.path().join("b")));
        chmod(&a, 0o444);
        let force = WriteMode { force: true, append: false };
        let r = as_ordinary_user(|| write_file(&a, &Rope::from_str("new"), &opts(), force));
        assert!(matches!(r, Err(FileError::CantOpenForWriting { .. })), "{r:?}");
        assert_eq!(ok(fs::read(&a)), b"old\n");
        // No backup left behind.
        assert_eq!(names(d.path()), vec!["a", "b"]);
    }

    #[test]
    fn someone_elses_file_keeps_its_owner() {
        let d = tmpdir();
        chmod(d.path(), 0o777);
        let p = d.path().join("shared");
        ok(fs::write(&p, "old\n"));
        chmod(&p, 0o666);
        let before = ok(fs::metadata(&p));
        // As root this writes as `nobody`, who can't give a new file root's ownership.
        ok(as_ordinary_user(|| write_file(&p, &Rope::from_str("new"), &opts(), WriteMode::default())));
        let after = ok(fs::metadata(&p));
        assert_eq!(ok(fs::read(&p)), b"new\n");
        assert_eq!((after.uid(), after.gid(), after.ino()), (before.uid(), before.gid(), before.ino()));
        assert_eq!(names(d.path()), vec!["shared"]);
    }

    #[test]
    fn append_adds_and_needs_force_to_create() {
        let d = tmpdir();
        let p = d.path().join("log");
        let app = WriteMode { force: false, append: true };
        let e = write_file(&p, &Rope::from_str("x"), &opts(), app).err();
        assert_eq!(
            e.map(|e| e.to_string()),
            Some("E212: Can't open file for writing: no such file or directory".to_string())
        );
        assert!(!p.exists());
        let app_force = WriteMode { force: true, append: true };
        ok(write_file(&p, &Rope::from_str("one"), &opts(), app_force));
        let rep = ok(write_file(&p, &Rope::from_str("two\nthree"), &opts(), app));
        assert_eq!(rep.bytes, 10);
        assert_eq!(ok(fs::read(&p)), b"one\ntwo\nthree\n");
    }

    /// Text big enough that the codec writes it in several chunks.
    fn big_text() -> Rope {
        Rope::from_str(&"0123456789 abcdefghij\n".repeat(10_000))
    }

    #[test]
    fn full_disk_leaves_original_and_no_temp() {
        let d = tmpdir();
        let p = d.path().join("f");
        ok(fs::write(&p, "precious\n"));
        chmod(&p, 0o600);
        let e = write_impl(&p, &big_text(), &opts(), WriteMode::default(), Some(70_000)).err();
        assert_eq!(e.map(|e| e.to_string()), Some("E514: Write error (file system full?)".to_string()));
        assert_eq!(ok(fs::read(&p)), b"precious\n");
        assert_eq!(names(d.path()), vec!["f"]);
        // A new file is not created at all.
        let n = d.path().join("n");
        let e = write_impl(&n, &big_text(), &opts(), WriteMode::default(), Some(10)).err();
        assert!(matches!(e, Some(FileError::DiskFull(_))));
        assert_eq!(names(d.path()), vec!["f"]);
    }

    #[test]
    fn full_disk_in_place_restores_the_backup() {
        let d = tmpdir();
        let a = d.path().join("a");
        ok(fs::write(&a, "precious\n"));
        ok(fs::hard_link(&a, d.path().join("b")));
        let e = write_impl(&a, &big_text(), &opts(), WriteMode::default(), Some(100_000)).err();
        assert!(matches!(e, Some(FileError::DiskFull(_))), "{e:?}");
        assert_eq!(ok(fs::read(&a)), b"precious\n");
        assert_eq!(names(d.path()), vec!["a", "b"]);
    }

    #[test]
    fn full_disk_append_cuts_back() {
        let d = tmpdir();
        let p = d.path().join("log");
        ok(fs::write(&p, "kept\n"));
        let app = WriteMode { force: false, append: true };
        let e = write_impl(&p, &big_text(), &opts(), app, Some(70_000)).err();
        assert!(matches!(e, Some(FileError::DiskFull(_))));
        assert_eq!(ok(fs::read(&p)), b"kept\n");
    }

    #[test]
    fn directory_target_is_refused() {
        let d = tmpdir();
        let e = write_file(d.path(), &Rope::from_str("x"), &opts(), WriteMode::default()).err();
        assert!(matches!(e, Some(FileError::IsDirectory(_))));
    }
}
