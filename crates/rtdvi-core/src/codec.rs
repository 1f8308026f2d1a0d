//! Bytes of a file ↔ buffer text, losslessly and in bounded memory.
//!
//! The buffer text is a [`Rope`] of lines joined by `"\n"` with no trailing newline (an empty
//! buffer is `""`, one empty line). Everything else a file carries lives in [`FileMeta`]:
//! line endings ('fileformat'), whether the last line ended in a newline ('eol'), a UTF-8 byte
//! order mark ('bomb'), and whether invalid UTF-8 had to be escaped.
//!
//! Choices, so that `encode(decode(bytes))` gives back `bytes` whenever the options are left alone:
//! - Format detection follows Neovim's default `'fileformats'=unix,dos`: a file is `dos` only if
//!   it has at least one line break and *every* LF is preceded by CR; otherwise it is `unix` and
//!   any CR stays in the text (shown as `^M`). Unlike Vim, which only inspects the first block it
//!   reads, the whole file is scanned, so a mixed file is never silently normalised.
//! - An invalid UTF-8 byte `b` becomes the private-use character `U+10FF00 + b`
//!   ([`RAW_BYTE_BASE`]); [`encode`] always writes a character of that range as the byte it
//!   stands for. So that a file which already contains such characters still comes back
//!   unchanged, their 4 bytes are escaped the same way (shown as 4 raw bytes instead of one
//!   private-use glyph): nothing is ever refused or altered. The price: a character of
//!   U+10FF00..=U+10FFFF typed into a buffer is written as a raw byte.
//! - A forced format ([`decode_as`], Vim's `++ff`) follows Vim: with `dos` a lone LF also ends a
//!   line (so writing converts it to CRLF, as the user asked); with `mac` CR ends lines and an
//!   LF inside a line is kept as the escaped byte `U+10FF0A` so it survives a write.
//! - Decoding streams the input twice in 64 KiB chunks (detect, then build), so peak memory stays
//!   near the size of the rope itself.

use std::io::{self, Read, Seek, SeekFrom, Write};

use ropey::{Rope, RopeBuilder};

/// First of the 256 private-use characters that stand for raw (invalid UTF-8) bytes.
pub const RAW_BYTE_BASE: u32 = 0x10FF00;

/// Last character of the raw-byte range.
const RAW_BYTE_LAST: u32 = RAW_BYTE_BASE + 0xFF;

/// Read/write chunk size: large enough to be fast, small enough to keep memory flat. Unit tests
/// use a tiny odd size so that every case also crosses chunk boundaries.
const CHUNK: usize = if cfg!(test) { 7 } else { 64 * 1024 };

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Line endings of a file (Vim's 'fileformat').
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum FileFormat {
    /// LF.
    #[default]
    Unix,
    /// CR LF.
    Dos,
    /// CR (classic Mac OS).
    Mac,
}

impl FileFormat {
    /// The option value Vim uses: `"unix"`, `"dos"` or `"mac"`.
    pub fn name(self) -> &'static str {
        match self {
            FileFormat::Unix => "unix",
            FileFormat::Dos => "dos",
            FileFormat::Mac => "mac",
        }
    }

    /// Parses an option value (`"unix"`, `"dos"`, `"mac"`).
    pub fn from_name(name: &str) -> Option<FileFormat> {
        match name {
            "unix" => Some(FileFormat::Unix),
            "dos" => Some(FileFormat::Dos),
            "mac" => Some(FileFormat::Mac),
            _ => None,
        }
    }

    /// The bytes that end a line in this format.
    pub fn line_ending(self) -> &'static [u8] {
        match self {
            FileFormat::Unix => b"\n",
            FileFormat::Dos => b"\r\n",
            FileFormat::Mac => b"\r",
        }
    }
}

/// What a file carried besides its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileMeta {
    /// Line endings found (or forced).
    pub fileformat: FileFormat,
    /// The last line ended in a line break (Vim's 'eol'); `true` for an empty file.
    pub eol: bool,
    /// The file started with a UTF-8 byte order mark (Vim's 'bomb').
    pub bom: bool,
    /// Bytes were escaped into the raw-byte range (invalid UTF-8, characters U+10FF00..=U+10FFFF,
    /// or an LF inside a line of a `mac` file); [`encode`] restores them.
    pub raw_bytes: bool,
    /// The file had 0 bytes.
    pub empty: bool,
}

impl Default for FileMeta {
    /// The metadata of a new, empty file.
    fn default() -> Self {
        FileMeta { fileformat: FileFormat::Unix, eol: true, bom: false, raw_bytes: false, empty: true }
    }
}

/// Why bytes could not be turned into buffer text (only reading can fail: any bytes decode).
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// Reading failed.
    #[error("Read error: {0}")]
    Io(#[from] io::Error),
}

/// How to turn buffer text into bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodeOptions {
    /// Line endings to write.
    pub fileformat: FileFormat,
    /// End the last line with a line break (the caller applies 'eol'/'fixeol'/empty-buffer rules).
    pub final_newline: bool,
    /// Start with a UTF-8 byte order mark.
    pub bom: bool,
}

impl EncodeOptions {
    /// Options that write the file back as it was read (with Vim's default 'fixeol' off).
    pub fn from_meta(meta: &FileMeta) -> EncodeOptions {
        EncodeOptions { fileformat: meta.fileformat, final_newline: meta.eol && !meta.empty, bom: meta.bom }
    }
}

/// Decodes a file, detecting its format as Neovim does with `'fileformats'=unix,dos`.
pub fn decode<R: Read + Seek>(r: R) -> Result<(Rope, FileMeta), DecodeError> {
    decode_impl(r, None)
}

/// Decodes a file with a forced format (Vim's `++ff=`).
pub fn decode_as<R: Read + Seek>(r: R, format: FileFormat) -> Result<(Rope, FileMeta), DecodeError> {
    decode_impl(r, Some(format))
}

/// Facts gathered by the first pass.
#[derive(Default)]
struct Scan {
    len: u64,
    bom: bool,
    lf_total: u64,
    lf_after_cr: u64,
    cr_total: u64,
    last: Option<u8>,
    before_last: Option<u8>,
    /// Some bytes must be escaped (invalid UTF-8 or characters of the escape range).
    escapes: bool,
}

/// Receives decoded text: valid runs and single invalid bytes.
trait Sink {
    /// A run of valid UTF-8.
    fn text(&mut self, s: &str);
    /// One byte that is not part of valid UTF-8.
    fn raw(&mut self, b: u8);
}

/// Byte offset of the first character of the escape range in `s`.
fn find_escape_range(s: &str) -> Option<usize> {
    // U+10FF00..=U+10FFFF is F4 8F BC..BF xx in UTF-8.
    let bytes = s.as_bytes();
    memchr::memmem::find_iter(bytes, b"\xF4\x8F").find(|&i| matches!(bytes.get(i + 2), Some(0xBC..=0xBF)))
}

impl Sink for Scan {
    fn text(&mut self, s: &str) {
        if !self.escapes {
            self.escapes = find_escape_range(s).is_some();
        }
    }
    fn raw(&mut self, _b: u8) {
        self.escapes = true;
    }
}

/// Second pass: applies line endings and escapes, feeding a `RopeBuilder`.
struct Build {
    format: FileFormat,
    builder: RopeBuilder,
    out: String,
    pending_cr: bool,
}

impl Build {
    fn push_char(&mut self, c: char) {
        self.out.push(c);
    }

    fn flush_cr(&mut self) {
        if self.pending_cr {
            self.pending_cr = false;
            self.out.push('\r');
        }
    }

    fn spill(&mut self) {
        if self.out.len() >= CHUNK {
            self.builder.append(&self.out);
            self.out.clear();
        }
    }

    fn finish(mut self) -> Rope {
        self.flush_cr();
        self.builder.append(&self.out);
        self.builder.finish()
    }
}

/// The character that stands for raw byte `b`.
fn raw_char(b: u8) -> char {
    char::from_u32(RAW_BYTE_BASE + u32::from(b)).unwrap_or(char::REPLACEMENT_CHARACTER)
}

impl Sink for Build {
    fn text(&mut self, s: &str) {
        // Characters of the escape range go in byte by byte so that they come back unchanged.
        let mut s = s;
        while let Some(i) = find_escape_range(s) {
            let (head, tail) = s.split_at(i);
            self.plain(head);
            let (esc, rest) = tail.split_at(4.min(tail.len()));
            esc.bytes().for_each(|b| self.raw(b));
            s = rest;
        }
        self.plain(s);
    }

    fn raw(&mut self, b: u8) {
        self.flush_cr();
        self.out.push(raw_char(b));
        self.spill();
    }
}

impl Build {
    /// Text without escape-range characters: applies the line endings.
    fn plain(&mut self, s: &str) {
        match self.format {
            FileFormat::Unix => self.out.push_str(s),
            FileFormat::Dos => {
                let mut s = s;
                if self.pending_cr {
                    self.pending_cr = false;
                    if let Some(rest) = s.strip_prefix('\n') {
                        self.out.push('\n');
                        s = rest;
                    } else {
                        self.out.push('\r');
                    }
                }
                if let Some(head) = s.strip_suffix('\r') {
                    self.pending_cr = true;
                    s = head;
                }
                let mut from = 0;
                for i in memchr::memmem::find_iter(s.as_bytes(), b"\r\n") {
                    self.out.push_str(s.get(from..i).unwrap_or(""));
                    from = i + 1; // keep the '\n'
                }
                self.out.push_str(s.get(from..).unwrap_or(""));
            }
            FileFormat::Mac => {
                for c in s.chars() {
                    match c {
                        '\r' => self.push_char('\n'),
                        '\n' => self.push_char(raw_char(b'\n')),
                        c => self.push_char(c),
                    }
                }
            }
        }
        self.spill();
    }
}

/// Splits `bytes` into valid UTF-8 runs and invalid bytes; returns how many bytes were consumed
/// (an incomplete sequence at the end is left for the next chunk unless `last`).
fn feed(bytes: &[u8], last: bool, sink: &mut impl Sink) -> usize {
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                sink.text(s);
                return bytes.len();
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                if let Ok(s) = std::str::from_utf8(valid) {
                    sink.text(s);
                }
                match e.error_len() {
                    Some(n) => {
                        let (bad, tail) = after.split_at(n.min(after.len()));
                        bad.iter().for_each(|&b| sink.raw(b));
                        rest = tail;
                    }
                    None if last => {
                        after.iter().for_each(|&b| sink.raw(b));
                        return bytes.len();
                    }
                    None => return bytes.len() - after.len(),
                }
            }
        }
    }
}

/// Reads `r` to the end in chunks, feeding UTF-8 to `sink` and raw bytes to `each_chunk`.
fn stream<R: Read>(mut r: R, sink: &mut impl Sink, mut each_chunk: impl FnMut(&[u8])) -> io::Result<()> {
    // Room for the chunk plus up to 3 bytes of a sequence cut by the previous chunk.
    // On the heap: 64 KiB is too much for the stack (the lint only fires for the tiny test size).
    #[allow(clippy::useless_vec)]
    let mut buf = vec![0u8; CHUNK + 4];
    let mut held = 0;
    loop {
        let n = match r.read(buf.get_mut(held..).unwrap_or_default()) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let end = held + n;
        let window = buf.get(..end).unwrap_or_default();
        if let Some(fresh) = window.get(held..) {
            each_chunk(fresh);
        }
        if n == 0 {
            feed(window, true, sink);
            return Ok(());
        }
        let used = feed(window, false, sink);
        buf.copy_within(used..end, 0);
        held = end - used;
    }
}

fn decode_impl<R: Read + Seek>(mut r: R, forced: Option<FileFormat>) -> Result<(Rope, FileMeta), DecodeError> {
    let start = r.stream_position()?;

    // Pass 1: size, BOM, line endings, whether escaping is needed and possible.
    let mut scan = Scan::default();
    let mut facts = Scan::default();
    let mut prev: Option<u8> = None;
    let mut head: Vec<u8> = Vec::with_capacity(3);
    stream(&mut r, &mut scan, |chunk| {
        facts.len += chunk.len() as u64;
        if head.len() < 3 {
            let take = (3 - head.len()).min(chunk.len());
            head.extend_from_slice(chunk.get(..take).unwrap_or_default());
        }
        for i in memchr::memchr_iter(b'\n', chunk) {
            facts.lf_total += 1;
            let before = if i == 0 { prev } else { chunk.get(i - 1).copied() };
            if before == Some(b'\r') {
                facts.lf_after_cr += 1;
            }
        }
        facts.cr_total += memchr::memchr_iter(b'\r', chunk).count() as u64;
        match chunk {
            [] => {}
            [only] => {
                facts.before_last = facts.last;
                facts.last = Some(*only);
            }
            [.., a, b] => {
                facts.before_last = Some(*a);
                facts.last = Some(*b);
            }
        }
        prev = facts.last;
    })?;
    facts.bom = head == BOM;

    let format = forced.unwrap_or(if facts.lf_total > 0 && facts.lf_after_cr == facts.lf_total {
        FileFormat::Dos
    } else {
        FileFormat::Unix
    });
    // Mac keeps LFs inside lines as escaped bytes.
    let escaped = scan.escapes || (format == FileFormat::Mac && facts.lf_total > 0);

    // The final line break (if any) is metadata, not text.
    let terminator: u64 = match (format, facts.last, facts.before_last) {
        (FileFormat::Unix, Some(b'\n'), _) => 1,
        (FileFormat::Dos, Some(b'\n'), Some(b'\r')) => 2,
        (FileFormat::Dos, Some(b'\n'), _) => 1,
        (FileFormat::Mac, Some(b'\r'), _) => 1,
        _ => 0,
    };
    let bom_len: u64 = if facts.bom { 3 } else { 0 };
    // A BOM immediately followed by the final line break cannot overlap it: both are counted
    // from opposite ends and the BOM has no line-break bytes.
    let text_len = facts.len.saturating_sub(bom_len + terminator);

    // Pass 2: build the rope from the text between the BOM and the final line break.
    r.seek(SeekFrom::Start(start + bom_len))?;
    let mut build =
        Build { format, builder: RopeBuilder::new(), out: String::with_capacity(CHUNK + 8), pending_cr: false };
    stream((&mut r).take(text_len), &mut build, |_| {})?;
    let rope = build.finish();

    let meta = FileMeta {
        fileformat: format,
        eol: terminator > 0 || facts.len == 0,
        bom: facts.bom,
        raw_bytes: escaped,
        empty: facts.len == 0,
    };
    Ok((rope, meta))
}

/// Writes buffered output in chunks, counting bytes.
struct Out<W: Write> {
    w: W,
    buf: Vec<u8>,
    written: u64,
}

impl<W: Write> Out<W> {
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.w.write_all(&self.buf)?;
        self.written += self.buf.len() as u64;
        self.buf.clear();
        Ok(())
    }
}

/// Writes `rope` as a file's bytes; returns the number of bytes written.
pub fn encode<W: Write>(rope: &Rope, opts: &EncodeOptions, w: W) -> io::Result<u64> {
    let mut out = Out { w, buf: Vec::with_capacity(CHUNK + 8), written: 0 };
    if opts.bom {
        out.put(BOM)?;
    }
    let eol = opts.fileformat.line_ending();
    for chunk in rope.chunks() {
        let bytes = chunk.as_bytes();
        let mut from = 0;
        // Only '\n' and the 4-byte raw-byte characters (lead byte F4) need translation.
        let find = |t: &[u8]| memchr::memchr2(b'\n', 0xF4, t);
        while let Some(off) = bytes.get(from..).and_then(find) {
            let i = from + off;
            out.put(bytes.get(from..i).unwrap_or_default())?;
            if bytes.get(i) == Some(&b'\n') {
                out.put(eol)?;
                from = i + 1;
                continue;
            }
            let c = chunk.get(i..).and_then(|t| t.chars().next());
            match c {
                Some(c) if (RAW_BYTE_BASE..=RAW_BYTE_LAST).contains(&u32::from(c)) => {
                    out.put(&[(u32::from(c) - RAW_BYTE_BASE) as u8])?;
                    from = i + c.len_utf8();
                }
                _ => {
                    out.put(bytes.get(i..i + 1).unwrap_or_default())?;
                    from = i + 1;
                }
            }
        }
        out.put(bytes.get(from..).unwrap_or_default())?;
    }
    if opts.final_newline {
        out.put(eol)?;
    }
    out.flush()?;
    out.w.flush()?;
    Ok(out.written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Cursor;

    fn dec(bytes: &[u8]) -> (Rope, FileMeta) {
        match decode(Cursor::new(bytes)) {
            Ok(x) => x,
            Err(e) => panic!("decode failed: {e}"),
        }
    }

    fn enc(rope: &Rope, opts: &EncodeOptions) -> Vec<u8> {
        let mut v = Vec::new();
        let n = encode(rope, opts, &mut v).unwrap_or(u64::MAX);
        assert_eq!(n, v.len() as u64);
        v
    }

    fn round_trip(bytes: &[u8]) -> Vec<u8> {
        let (rope, meta) = dec(bytes);
        enc(&rope, &EncodeOptions::from_meta(&meta))
    }

    #[test]
    fn unix_file_with_final_newline() {
        let (rope, meta) = dec(b"a\nb\n");
        assert_eq!(rope.to_string(), "a\nb");
        assert_eq!(meta.fileformat, FileFormat::Unix);
        assert!(meta.eol && !meta.empty && !meta.bom && !meta.raw_bytes);
        assert_eq!(rope.len_lines(), 2);
    }

    #[test]
    fn dos_only_when_every_line_ends_in_crlf() {
        let (rope, meta) = dec(b"a\r\nb\r\n");
        assert_eq!(meta.fileformat, FileFormat::Dos);
        assert_eq!(rope.to_string(), "a\nb");
        let (rope, meta) = dec(b"a\r\nb\nc\r\n");
        assert_eq!(meta.fileformat, FileFormat::Unix);
        assert_eq!(rope.to_string(), "a\r\nb\nc\r");
        // CR is text, not a line break, in the rope.
        assert_eq!(rope.len_lines(), 3);
    }

    #[test]
    fn dos_without_final_newline_and_crlf_across_chunks() {
        let mut bytes = vec![b'x'; CHUNK - 1];
        bytes.extend_from_slice(b"\r\nend");
        let (rope, meta) = dec(&bytes);
        assert_eq!(meta.fileformat, FileFormat::Dos);
        assert!(!meta.eol);
        assert_eq!(rope.len_lines(), 2);
        assert_eq!(rope.line(1).to_string(), "end");
        assert_eq!(round_trip(&bytes), bytes);
    }

    #[test]
    fn no_line_break_at_all_is_unix() {
        let (rope, meta) = dec(b"abc\r");
        assert_eq!(meta.fileformat, FileFormat::Unix);
        assert!(!meta.eol);
        assert_eq!(rope.to_string(), "abc\r");
    }

    #[test]
    fn empty_file_and_lone_newline_differ() {
        let (rope, meta) = dec(b"");
        assert_eq!(rope.to_string(), "");
        assert!(meta.empty && meta.eol);
        assert_eq!(round_trip(b""), b"");
        let (rope, meta) = dec(b"\n");
        assert_eq!(rope.to_string(), "");
        assert!(!meta.empty && meta.eol);
        assert_eq!(round_trip(b"\n"), b"\n");
    }

    #[test]
    fn bom_is_metadata() {
        let (rope, meta) = dec(b"\xEF\xBB\xBFhi\n");
        assert!(meta.bom);
        assert_eq!(rope.to_string(), "hi");
        assert_eq!(round_trip(b"\xEF\xBB\xBF"), b"\xEF\xBB\xBF");
        assert!(!dec(b"\xEF\xBBhi").1.bom);
    }

    #[test]
    fn invalid_utf8_is_escaped_and_restored() {
        let bytes = b"caf\xE9\n\xFF\xC3\n";
        let (rope, meta) = dec(bytes);
        assert!(meta.raw_bytes);
        let text = rope.to_string();
        assert!(text.contains(raw_char(0xE9)));
        assert!(text.contains(raw_char(0xFF)));
        assert_eq!(text.chars().count(), 4 + 1 + 2);
        assert_eq!(round_trip(bytes), bytes);
    }

    #[test]
    fn multibyte_char_cut_by_a_chunk_is_not_escaped() {
        let mut bytes = vec![b'a'; CHUNK - 1];
        bytes.extend_from_slice("é€😀".as_bytes());
        let (rope, meta) = dec(&bytes);
        assert!(!meta.raw_bytes);
        assert!(rope.to_string().ends_with("é€😀"));
    }

    #[test]
    fn escape_range_characters_in_a_file_survive() {
        let mut bytes = format!("a{}b", raw_char(0x41)).into_bytes();
        let (rope, meta) = dec(&bytes);
        assert!(meta.raw_bytes);
        // Kept as its 4 bytes, each escaped.
        let want: String = ['a', raw_char(0xF4), raw_char(0x8F), raw_char(0xBD), raw_char(0x81), 'b'].iter().collect();
        assert_eq!(rope.to_string(), want);
        assert_eq!(round_trip(&bytes), bytes);
        bytes.push(0xFF);
        assert_eq!(round_trip(&bytes), bytes);
    }

    #[test]
    fn forced_formats() {
        let decode_ff = |b: &[u8], ff| match decode_as(Cursor::new(b), ff) {
            Ok((r, m)) => (r.to_string(), m),
            Err(e) => panic!("{e}"),
        };
        let (text, meta) = decode_ff(b"a\rb\nc\r", FileFormat::Mac);
        assert_eq!(text, format!("a\nb{}c", raw_char(b'\n')));
        assert!(meta.eol && meta.raw_bytes);
        let (text, meta) = decode_ff(b"a\r\nb\nc", FileFormat::Dos);
        assert_eq!(text, "a\nb\nc");
        assert!(!meta.eol);
    }

    #[test]
    fn mac_round_trip_keeps_lf() {
        let bytes = b"one\rtwo\nthree\r";
        let (rope, meta) = match decode_as(Cursor::new(bytes), FileFormat::Mac) {
            Ok(x) => x,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(enc(&rope, &EncodeOptions::from_meta(&meta)), bytes);
    }

    #[test]
    fn encode_converts_format_and_adds_final_newline() {
        let rope = Rope::from_str("a\nb");
        let opts = EncodeOptions { fileformat: FileFormat::Dos, final_newline: true, bom: true };
        assert_eq!(enc(&rope, &opts), b"\xEF\xBB\xBFa\r\nb\r\n");
    }

    #[test]
    fn decode_starts_at_current_position() {
        let mut c = Cursor::new(b"skip\nkeep\n".to_vec());
        c.set_position(5);
        let (rope, _) = decode(c).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rope.to_string(), "keep");
    }

    /// Byte strings rich in the things the codec cares about.
    fn interesting_bytes() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            Just(b"\n".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\r".to_vec()),
            Just(b"\xEF\xBB\xBF".to_vec()),
            Just("é😀".as_bytes().to_vec()),
            Just(raw_char(0x80).to_string().into_bytes()),
            prop::collection::vec(any::<u8>(), 0..4),
            "[a-z ]{0,8}".prop_map(String::into_bytes),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn round_trip_is_byte_exact(bytes in interesting_bytes()) {
            let (rope, meta) = dec(&bytes);
            prop_assert_eq!(enc(&rope, &EncodeOptions::from_meta(&meta)), bytes);
        }

        #[test]
        fn dos_round_trip_of_crlf_text(lines in prop::collection::vec("[a-z\r]{0,6}", 1..10), eol in any::<bool>()) {
            let mut bytes = lines.join("\r\n").into_bytes();
            if eol { bytes.extend_from_slice(b"\r\n"); }
            let (rope, meta) = dec(&bytes);
            prop_assert_eq!(enc(&rope, &EncodeOptions::from_meta(&meta)), bytes);
            if lines.len() > 1 || eol {
                prop_assert_eq!(meta.fileformat, FileFormat::Dos);
                // A last empty line without a line break reads as a final newline.
                let cut = !eol && lines.last().is_some_and(|l| l.is_empty());
                prop_assert_eq!(rope.len_lines(), lines.len() - usize::from(cut));
            }
        }

        #[test]
        fn random_bytes_round_trip(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let (rope, meta) = dec(&bytes);
            prop_assert_eq!(enc(&rope, &EncodeOptions::from_meta(&meta)), bytes);
        }
    }
}
