//! Where Lua code comes from: `require` searching `lua/` under every
//! 'runtimepath' directory, `:runtime[!]`, `:packadd[!]`, and the plugins
//! sourced at start-up in Neovim's order.
//!
//! `require` reads only `.lua` files (and `.wasm` libraries, see
//! `wasm_module.rs`) under those directories (the user's
//! config dir, plugin directories, packages): module names with `..` or
//! absolute paths are refused.

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use rtdvi_editor::options::{self, OptionValue, SetScope};
use rtdvi_editor::Editor;

use super::LuaEditor;
use crate::host::ModuleSource;

/// The directories Lua code is found in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchPaths {
    /// 'runtimepath': `lua/`, `plugin/`, `after/` live under these.
    pub runtimepath: Vec<PathBuf>,
    /// 'packpath': `pack/*/start/*` and `pack/*/opt/*` live under these.
    pub packpath: Vec<PathBuf>,
}

/// Neovim's defaults for rtdvi: the config dir, the data dir's `site`, and
/// the config dir's `after` (packages are added at start-up).
pub fn default_paths(config_dir: Option<&Path>, data_dir: Option<&Path>) -> SearchPaths {
    let mut rtp = Vec::new();
    let mut pp = Vec::new();
    if let Some(c) = config_dir {
        rtp.push(c.to_path_buf());
        pp.push(c.to_path_buf());
    }
    if let Some(d) = data_dir {
        rtp.push(d.join("site"));
        pp.push(d.join("site"));
    }
    if let Some(d) = data_dir {
        rtp.push(d.join("site").join("after"));
    }
    if let Some(c) = config_dir {
        rtp.push(c.join("after"));
    }
    SearchPaths { runtimepath: rtp, packpath: pp }
}

fn join_paths(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string().replace(',', "\\,")).collect::<Vec<_>>().join(",")
}

fn split_paths(value: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&',') => {
                cur.push(',');
                chars.next();
            }
            ',' => {
                if !cur.is_empty() {
                    out.push(PathBuf::from(std::mem::take(&mut cur)));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(PathBuf::from(cur));
    }
    out
}

/// Writes the paths into the editor's 'runtimepath' and 'packpath'.
pub fn store_paths(editor: &mut Editor, paths: &SearchPaths) {
    for (name, list) in [("runtimepath", &paths.runtimepath), ("packpath", &paths.packpath)] {
        if let Some(id) = options::lookup(name) {
            editor.set_option(id, OptionValue::String(join_paths(list)), SetScope::Global);
        }
    }
}

/// Reads 'runtimepath' and 'packpath' back (after `:set rtp+=`...).
pub fn load_paths(editor: &Editor) -> SearchPaths {
    let get = |name: &str| {
        options::lookup(name)
            .and_then(|id| editor.options.get(id).map(|v| split_paths(&v.as_str())))
            .unwrap_or_default()
    };
    SearchPaths { runtimepath: get("runtimepath"), packpath: get("packpath") }
}

/// Finds module `name` for `require`.
pub(crate) fn find_module(paths: &Arc<Mutex<SearchPaths>>, name: &str) -> Result<ModuleSource, String> {
    if name.is_empty() || name.contains("..") || name.starts_with(['/', '.']) || name.contains('\\') {
        return Err(format!("no file for '{name}' (module names are relative to lua/ directories)"));
    }
    let rel = name.replace('.', "/");
    let rtp = paths.lock().map(|p| p.runtimepath.clone()).unwrap_or_default();
    let mut tried = Vec::new();
    for dir in &rtp {
        for candidate in [dir.join("lua").join(format!("{rel}.lua")), dir.join("lua").join(&rel).join("init.lua")] {
            if let Ok(source) = std::fs::read_to_string(&candidate) {
                return Ok(ModuleSource::lua(format!("@{}", candidate.display()), source));
            }
            tried.push(format!("no file '{}'", candidate.display()));
        }
    }
    // Then WebAssembly libraries, where Neovim looks for C modules (after
    // every Lua file, as its loaders do).
    for dir in &rtp {
        let candidate = dir.join("lua").join(format!("{rel}.wasm"));
        if let Ok(bytes) = std::fs::read(&candidate) {
            return Ok(ModuleSource::Wasm { origin: candidate.display().to_string(), bytes });
        }
        tried.push(format!("no file '{}'", candidate.display()));
    }
    if tried.is_empty() {
        return Err("no 'runtimepath' directory to search".into());
    }
    Err(tried.join("\n\t"))
}

/// Whether `name` matches glob `pat` (`*`, `?`; no `/` inside).
fn glob_match(pat: &[char], name: &[char]) -> bool {
    match (pat.first(), name.first()) {
        (None, None) => true,
        (Some('*'), _) => glob_match(&pat[1..], name) || (!name.is_empty() && glob_match(pat, &name[1..])),
        (Some('?'), Some(_)) => glob_match(&pat[1..], &name[1..]),
        (Some(p), Some(n)) if p == n => glob_match(&pat[1..], &name[1..]),
        _ => false,
    }
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect()).unwrap_or_default();
    entries.sort();
    entries
}

/// Files under `dir` matching the `/`-separated glob `parts` (`**` matches
/// any number of directories), in sorted order.
fn glob(dir: &Path, parts: &[&str], out: &mut Vec<PathBuf>, depth: usize) {
    if depth > 32 {
        return;
    }
    let Some((first, rest)) = parts.split_first() else {
        if dir.is_file() {
            out.push(dir.to_path_buf());
        }
        return;
    };
    if *first == "**" {
        glob(dir, rest, out, depth + 1);
        for entry in sorted_entries(dir) {
            if entry.is_dir() {
                glob(&entry, parts, out, depth + 1);
            }
        }
        return;
    }
    if !first.contains(['*', '?']) {
        glob(&dir.join(first), rest, out, depth + 1);
        return;
    }
    let pat: Vec<char> = first.chars().collect();
    for entry in sorted_entries(dir) {
        let name: Vec<char> = entry.file_name().map(|n| n.to_string_lossy().chars().collect()).unwrap_or_default();
        if glob_match(&pat, &name) {
            glob(&entry, rest, out, depth + 1);
        }
    }
}

/// Files matching `pattern` under each of `dirs`, directory by directory.
fn find_files(dirs: &[PathBuf], pattern: &str) -> Vec<PathBuf> {
    let parts: Vec<&str> = pattern.split('/').filter(|p| !p.is_empty()).collect();
    let mut out = Vec::new();
    for dir in dirs {
        glob(dir, &parts, &mut out, 0);
    }
    out
}

/// Sources a file by its kind: Lua through the Lua state, the rest as ex
/// commands. Errors become messages; loading goes on.
fn source_any(lua: &Rc<LuaEditor>, editor: &mut Editor, path: &Path) {
    if path.extension().is_some_and(|e| e == "lua") {
        let plugin = plugin_name(path);
        if let Err(e) = lua.source_file(editor, path, &plugin) {
            editor.messages.error(e);
        }
    } else if path.extension().is_some_and(|e| e == "vim") {
        if let Err(e) = editor.source_file(path) {
            editor.messages.error(e.to_string());
        }
    }
}

/// A plugin's name for messages: the directory above `plugin/` or `lua/`,
/// else the file's stem.
fn plugin_name(path: &Path) -> String {
    let mut dir = path.parent();
    while let Some(d) = dir {
        let name = d.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name == "plugin" || name == "lua" {
            if let Some(p) = d.parent().and_then(Path::file_name) {
                let p = p.to_string_lossy();
                // The user's own directories (the config dir, the data dir's `site`, `after`
                // directories) hold one plugin per file.
                if !matches!(p.as_ref(), "rtdvi" | "site" | "after") {
                    return p.into_owned();
                }
                break;
            }
        }
        dir = d.parent();
    }
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// `:runtime[!] {file} ..`: sources the first match (every match with `!`)
/// of each pattern in 'runtimepath'.
pub(crate) fn runtime(lua: &Rc<LuaEditor>, editor: &mut Editor, args: &str, bang: bool) {
    let paths = load_paths(editor);
    lua.set_paths(paths.clone());
    for pattern in args.split_whitespace() {
        let files = find_files(&paths.runtimepath, pattern);
        let take = if bang { files.len() } else { files.len().min(1) };
        for f in files.into_iter().take(take) {
            source_any(lua, editor, &f);
        }
    }
}

/// `:packadd[!] {name}`: adds `pack/*/opt/{name}` to 'runtimepath' and,
/// without `!`, sources its `plugin/**/*.{vim,lua}` and `after/plugin`.
pub(crate) fn packadd(lua: &Rc<LuaEditor>, editor: &mut Editor, name: &str, bang: bool) -> Result<(), String> {
    let mut paths = load_paths(editor);
    let found = find_files(&paths.packpath, &format!("pack/*/opt/{name}")).into_iter().find(|p| p.is_dir());
    let found = found.or_else(|| {
        let mut dirs = Vec::new();
        for pp in &paths.packpath {
            for kind in sorted_entries(&pp.join("pack")) {
                let d = kind.join("opt").join(name);
                if d.is_dir() {
                    dirs.push(d);
                }
            }
        }
        dirs.into_iter().next()
    });
    let Some(dir) = found else {
        return Err(format!("E919: Directory not found in 'packpath': \"pack/*/opt/{name}\""));
    };
    if !paths.runtimepath.contains(&dir) {
        add_to_rtp(&mut paths.runtimepath, dir.clone());
        store_paths(editor, &paths);
        lua.set_paths(paths);
    }
    if !bang {
        for f in plugin_files(&dir) {
            source_any(lua, editor, &f);
        }
        for f in plugin_files(&dir.join("after")) {
            source_any(lua, editor, &f);
        }
    }
    Ok(())
}

/// Inserts a package directory before the first `after` directory.
fn add_to_rtp(rtp: &mut Vec<PathBuf>, dir: PathBuf) {
    let at = rtp.iter().position(|p| p.file_name().is_some_and(|n| n == "after")).unwrap_or(rtp.len());
    rtp.insert(at, dir);
}

fn plugin_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = find_files(&[dir.to_path_buf()], "plugin/**/*.vim");
    files.extend(find_files(&[dir.to_path_buf()], "plugin/**/*.lua"));
    files
}

/// Start-up loading, in Neovim's order: `pack/*/start/*` join
/// 'runtimepath', then `plugin/**/*.{vim,lua}` of every entry that is not
/// an `after` directory, then those of the `after` directories.
pub fn load_plugins(lua: &Rc<LuaEditor>, editor: &mut Editor) {
    let mut paths = load_paths(editor);
    let mut starts = Vec::new();
    for pp in &paths.packpath {
        for kind in sorted_entries(&pp.join("pack")) {
            for pkg in sorted_entries(&kind.join("start")) {
                if pkg.is_dir() {
                    starts.push(pkg);
                }
            }
        }
    }
    for dir in starts {
        if !paths.runtimepath.contains(&dir) {
            add_to_rtp(&mut paths.runtimepath, dir);
        }
    }
    store_paths(editor, &paths);
    lua.set_paths(paths.clone());
    let is_after = |p: &PathBuf| p.file_name().is_some_and(|n| n == "after");
    let (after, before): (Vec<&PathBuf>, Vec<&PathBuf>) = paths.runtimepath.iter().partition(|p| is_after(p));
    for dir in before.into_iter().chain(after) {
        for f in plugin_files(dir) {
            source_any(lua, editor, &f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_like_vim() {
        let m = |p: &str, n: &str| glob_match(&p.chars().collect::<Vec<_>>(), &n.chars().collect::<Vec<_>>());
        assert!(m("*.lua", "foo.lua"));
        assert!(!m("*.lua", "foo.vim"));
        assert!(m("f?o*", "foo.lua"));
        assert!(m("*", ""));
    }

    #[test]
    fn paths_round_trip_through_the_option_text() {
        let paths = vec![PathBuf::from("/a"), PathBuf::from("/b,c")];
        assert_eq!(split_paths(&join_paths(&paths)), paths);
        assert_eq!(split_paths(""), Vec::<PathBuf>::new());
    }

    #[test]
    fn module_names_cannot_leave_lua_dirs() {
        let paths = Arc::new(Mutex::new(SearchPaths::default()));
        for bad in ["../x", "/etc/passwd", ".hidden", "a..b", "a\\b", ""] {
            assert!(find_module(&paths, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn plugin_names_come_from_the_directory() {
        assert_eq!(plugin_name(Path::new("/p/mini.nvim/plugin/mini.lua")), "mini.nvim");
        assert_eq!(plugin_name(Path::new("/cfg/hello.lua")), "hello");
        assert_eq!(plugin_name(Path::new("/home/u/.config/rtdvi/plugin/spin.lua")), "spin");
        assert_eq!(plugin_name(Path::new("/home/u/.local/share/rtdvi/site/plugin/x.lua")), "x");
    }
}
