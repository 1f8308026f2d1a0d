//! wordcount: `:wordcount` reports the current buffer's words, lines and
//! characters on the status line, e.g. `12 words, 3 lines, 70 chars`.
//!
//! Counts follow `wc`: words are runs of non-whitespace; characters are
//! Unicode scalar values and include one end-of-line per line (what the
//! buffer is when written with a final newline, the default `fixendofline`).
//! Lines are read one at a time with `rtdvi_get_line` into one reused buffer,
//! so a large buffer costs no allocation per line.

use rtdvi_pdk::{host, Buffer, Json, Plugin};

/// Totals for one buffer.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Runs of non-whitespace characters.
    pub words: u64,
    /// Lines in the buffer.
    pub lines: u64,
    /// Characters, one end-of-line per line included.
    pub chars: u64,
}

impl Counts {
    /// Adds one line of text (without its end-of-line).
    pub fn add_line(&mut self, line: &str) {
        self.lines += 1;
        self.words += line.split_whitespace().count() as u64;
        self.chars += line.chars().count() as u64 + 1;
    }

    /// The status message.
    pub fn message(&self) -> String {
        let plural = |n: u64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!("{}, {}, {}", plural(self.words, "word"), plural(self.lines, "line"), plural(self.chars, "char"))
    }
}

/// Counts every line of `buf` through the host.
pub fn count(buf: Buffer) -> rtdvi_pdk::Result<Counts> {
    let mut counts = Counts::default();
    let mut bytes = Vec::new();
    for row in 0..host::line_count(buf)? {
        host::get_line_into(buf, row, &mut bytes)?;
        counts.add_line(&String::from_utf8_lossy(&bytes));
    }
    Ok(counts)
}

/// The plugin (stateless).
pub struct WordCount;

impl Plugin for WordCount {
    fn init(_config: &Json) -> Result<Self, String> {
        host::register_command("wordcount").map_err(|e| e.to_string())?;
        Ok(WordCount)
    }

    fn command(&mut self, _name: &str, args: &[String]) -> Result<(), String> {
        if !args.is_empty() {
            return Err("E488: Trailing characters".into());
        }
        let counts = count(Buffer::CURRENT).map_err(|e| e.to_string())?;
        host::set_status(&counts.message());
        Ok(())
    }
}

rtdvi_pdk::export_plugin!(WordCount: command);

#[cfg(test)]
mod tests {
    use super::*;
    use rtdvi_pdk::testing;

    #[test]
    fn counts_like_wc() {
        testing::reset();
        testing::set_lines(Buffer(1), &["hello  world", "", "\tÉté déjà là  ", "x"]);
        let c = count(Buffer::CURRENT).unwrap();
        // Same text as `printf 'hello  world\n\n\tÉté déjà là  \nx\n' | wc -w -l -m`.
        assert_eq!(c, Counts { words: 6, lines: 4, chars: 13 + 1 + 15 + 2 });
        assert_eq!(c.message(), "6 words, 4 lines, 31 chars");
    }

    #[test]
    fn singular_and_empty_buffer() {
        let mut c = Counts::default();
        c.add_line("");
        assert_eq!(c.message(), "0 words, 1 line, 1 char");
    }

    #[test]
    fn command_sets_the_status() {
        testing::reset();
        testing::set_lines(Buffer(3), &["one two", "three"]);
        let mut p = WordCount::init(&Json::Object(vec![])).unwrap();
        p.command("wordcount", &[]).unwrap();
        assert!(p.command("wordcount", &["x".into()]).is_err());
        testing::with(|h| {
            assert_eq!(h.commands, ["wordcount"]);
            assert_eq!(h.status, ["3 words, 2 lines, 14 chars"]);
        });
    }
}
