//! Command-line completion (`<Tab>` on the `:` line): command names, option names, file names and
//! buffer names, chosen by the command being typed, as Vim's 'wildchar' does.
//!
//! Choices where Vim has several behaviours: matches are listed in Vim's order (sorted, buffer
//! names by number); hidden files are offered only when the typed name starts with `.`; directories
//! end in `/` so another `<Tab>` continues inside them; a leading `~/` is kept as typed.

use std::path::{Path, PathBuf};

use super::parse::{parse_range, split_name};
use crate::editor::Editor;

/// Commands whose argument is a file name.
const FILE_COMMANDS: &[&str] = &[
    "edit", "write", "read", "split", "vsplit", "new", "vnew", "tabnew", "tabedit", "source", "update", "wq", "xit",
    "file", "saveas", "luafile", "runtime",
];
/// Commands whose argument is a directory.
const DIR_COMMANDS: &[&str] = &["cd", "lcd", "tcd", "chdir"];
/// Commands whose argument is a buffer name.
const BUFFER_COMMANDS: &[&str] = &["buffer", "sbuffer", "bdelete", "bwipeout", "bunload"];
/// Commands whose argument is option settings.
const OPTION_COMMANDS: &[&str] = &["set", "setlocal", "setglobal"];

/// What `<Tab>` can complete in `line` (the text before the cursor, without the `:`): the byte
/// offset in `line` where the completed word starts, and the candidates in order.
pub(crate) fn candidates(editor: &Editor, line: &str) -> Option<(usize, Vec<String>)> {
    let start = line.len() - line.trim_start_matches([' ', '\t', ':']).len();
    let s = &line[start..];
    let (_, after_range) = parse_range(s).ok()?;
    let after_range = after_range.trim_start_matches([' ', '\t']);
    let name_at = line.len() - after_range.len();
    let (name, rest) = split_name(after_range);
    if rest.is_empty() && !name.is_empty() || after_range.is_empty() {
        return Some((name_at, command_names(editor, &name)));
    }
    let rest = rest.strip_prefix('!').unwrap_or(rest);
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    let full = super::resolve_name(&name)?;
    // The word being completed: after the last unescaped blank.
    let word_at = last_word_start(line);
    let word = &line[word_at..];
    let found = if OPTION_COMMANDS.contains(&full) {
        option_names(word)
    } else if FILE_COMMANDS.contains(&full) {
        file_names(editor, word, false)
    } else if DIR_COMMANDS.contains(&full) {
        file_names(editor, word, true)
    } else if BUFFER_COMMANDS.contains(&full) {
        buffer_names(editor, word)
    } else {
        return None;
    };
    Some((word_at, found))
}

/// Byte offset after the last blank not escaped by a backslash.
fn last_word_start(line: &str) -> usize {
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ' ' || c == '\t' {
            start = i + 1;
        }
    }
    start
}

/// Built-in and host command names starting with `prefix`, sorted, without duplicates.
fn command_names(editor: &Editor, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = super::COMMANDS
        .iter()
        .chain(crate::vi::EX_COMMANDS.iter())
        .map(|(n, _)| *n)
        .filter(|n| n.starts_with(prefix) && n.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_string)
        .collect();
    if let Some(host) = &editor.command_host {
        names.extend(host.command_names().into_iter().filter(|n| n.starts_with(prefix)));
    }
    names.sort();
    names.dedup();
    names
}

/// Option names for `:set {word}`: `no`/`inv` prefixes are kept, a word with `=` is not completed.
fn option_names(word: &str) -> Vec<String> {
    if word.contains(['=', ':', '!', '&', '^', '+', '-']) {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for (prefix, flag) in [("", false), ("no", true), ("inv", true)] {
        let Some(rest) = word.strip_prefix(prefix) else { continue };
        for def in crate::options::OPTIONS.iter() {
            if def.name.starts_with(rest) && (!flag || def.kind == crate::options::Kind::Bool) {
                out.push(format!("{prefix}{}", def.name));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// File names completing `word` (relative to the current directory, `~/` expanded for the
/// lookup and kept as typed); only directories when `dirs_only`.
fn file_names(editor: &Editor, word: &str, dirs_only: bool) -> Vec<String> {
    let unescaped = word.replace("\\ ", " ");
    let (dir_part, prefix) = match unescaped.rfind('/') {
        Some(i) => (&unescaped[..=i], &unescaped[i + 1..]),
        None => ("", unescaped.as_str()),
    };
    let lookup: PathBuf = match dir_part.strip_prefix("~/") {
        Some(rest) => home_dir().map(|h| h.join(rest)).unwrap_or_else(|| PathBuf::from(dir_part)),
        None if dir_part.is_empty() => editor_cwd(editor),
        None if Path::new(dir_part).is_absolute() => PathBuf::from(dir_part),
        None => editor_cwd(editor).join(dir_part),
    };
    let Ok(entries) = std::fs::read_dir(&lookup) else { return Vec::new() };
    let mut out: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            if !name.starts_with(prefix) || (name.starts_with('.') && !prefix.starts_with('.')) {
                return None;
            }
            let is_dir = e.path().is_dir();
            if dirs_only && !is_dir {
                return None;
            }
            let escaped = name.replace(' ', "\\ ");
            Some(format!("{}{escaped}{}", dir_part.replace(' ', "\\ "), if is_dir { "/" } else { "" }))
        })
        .collect();
    out.sort();
    out
}

fn editor_cwd(_editor: &Editor) -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
}

fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from)
}

/// Names of listed buffers containing `word`, in buffer-number order (Vim matches anywhere in
/// the name; a buffer whose name starts with the word comes first).
fn buffer_names(editor: &Editor, word: &str) -> Vec<String> {
    let names: Vec<String> = editor
        .buffers
        .values()
        .filter_map(|b| b.path.as_ref())
        .map(|p| p.to_string_lossy().into_owned())
        .filter(|n| n.contains(word))
        .collect();
    let (mut first, rest): (Vec<String>, Vec<String>) = names.into_iter().partition(|n| n.starts_with(word));
    first.extend(rest);
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_names_complete_from_the_table() {
        let ed = Editor::new();
        let (at, found) = candidates(&ed, "tabn").unwrap();
        assert_eq!(at, 0);
        assert_eq!(found, vec!["tabnew", "tabnext"]);
        let (at, found) = candidates(&ed, "1,3noh").unwrap();
        assert_eq!(at, 3);
        assert_eq!(found, vec!["nohlsearch"]);
    }

    #[test]
    fn option_names_keep_no_prefix() {
        let ed = Editor::new();
        let (at, found) = candidates(&ed, "set nonu").unwrap();
        assert_eq!(at, 4);
        assert!(found.contains(&"nonumber".to_string()), "{found:?}");
        assert!(found.iter().all(|f| f.starts_with("nonu")), "{found:?}");
        let (_, found) = candidates(&ed, "set tabs").unwrap();
        assert_eq!(found, vec!["tabstop"]);
        assert_eq!(candidates(&ed, "set ts=").unwrap().1, Vec::<String>::new());
    }

    #[test]
    fn file_names_list_a_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("alpha.txt"), "").unwrap();
        std::fs::write(dir.path().join("also me.txt"), "").unwrap();
        std::fs::write(dir.path().join(".hidden"), "").unwrap();
        std::fs::create_dir(dir.path().join("adir")).unwrap();
        let ed = Editor::new();
        let base = format!("{}/", dir.path().display());
        let (at, found) = candidates(&ed, &format!("e {base}a")).unwrap();
        assert_eq!(at, 2);
        assert_eq!(found, vec![format!("{base}adir/"), format!("{base}alpha.txt"), format!("{base}also\\ me.txt")]);
        let (_, found) = candidates(&ed, &format!("e {base}.")).unwrap();
        assert_eq!(found, vec![format!("{base}.hidden")]);
        let (_, found) = candidates(&ed, &format!("cd {base}")).unwrap();
        assert_eq!(found, vec![format!("{base}adir/")]);
    }

    #[test]
    fn buffer_names_match_anywhere() {
        let mut ed = Editor::new();
        ed.buf_mut().path = Some(PathBuf::from("src/main.rs"));
        let (_, found) = candidates(&ed, "b main").unwrap();
        assert_eq!(found, vec!["src/main.rs"]);
        assert_eq!(candidates(&ed, "b zzz").unwrap().1, Vec::<String>::new());
    }

    #[test]
    fn other_arguments_are_not_completed() {
        let ed = Editor::new();
        assert!(candidates(&ed, "s/a/b").is_none());
        assert!(candidates(&ed, "normal dd").is_none());
    }
}
