//! Filetype detection by file name and by the first line (shebang), with Neovim's filetype names.
//!
//! Modelines are off by default ('modeline' is false): they were an attack vector in Vim.

use std::path::Path;

/// Extensions and exact names mapped to filetypes (Neovim's names).
const BY_EXTENSION: &[(&str, &str)] = &[
    ("rs", "rust"),
    ("c", "c"),
    ("h", "c"),
    ("cc", "cpp"),
    ("cpp", "cpp"),
    ("cxx", "cpp"),
    ("hpp", "cpp"),
    ("hh", "cpp"),
    ("hxx", "cpp"),
    ("lua", "lua"),
    ("py", "python"),
    ("pyi", "python"),
    ("js", "javascript"),
    ("mjs", "javascript"),
    ("cjs", "javascript"),
    ("jsx", "javascriptreact"),
    ("ts", "typescript"),
    ("tsx", "typescriptreact"),
    ("json", "json"),
    ("jsonc", "jsonc"),
    ("toml", "toml"),
    ("md", "markdown"),
    ("markdown", "markdown"),
    ("sh", "sh"),
    ("bash", "bash"),
    ("zsh", "zsh"),
    ("fish", "fish"),
    ("vim", "vim"),
    ("go", "go"),
    ("java", "java"),
    ("rb", "ruby"),
    ("yaml", "yaml"),
    ("yml", "yaml"),
    ("html", "html"),
    ("htm", "html"),
    ("css", "css"),
    ("xml", "xml"),
    ("txt", "text"),
    ("wat", "wat"),
    ("sql", "sql"),
    ("mk", "make"),
    ("cmake", "cmake"),
    ("diff", "diff"),
    ("patch", "diff"),
    ("ini", "dosini"),
    ("conf", "conf"),
    ("tex", "tex"),
    ("zig", "zig"),
    ("nix", "nix"),
    ("hs", "haskell"),
    ("ex", "elixir"),
    ("exs", "elixir"),
    ("erl", "erlang"),
    ("kt", "kotlin"),
    ("swift", "swift"),
    ("php", "php"),
    ("pl", "perl"),
    ("r", "r"),
    ("scala", "scala"),
    ("cs", "cs"),
];

const BY_NAME: &[(&str, &str)] = &[
    ("Makefile", "make"),
    ("makefile", "make"),
    ("GNUmakefile", "make"),
    ("Cargo.lock", "toml"),
    ("Dockerfile", "dockerfile"),
    (".bashrc", "bash"),
    (".bash_profile", "bash"),
    (".zshrc", "zsh"),
    (".vimrc", "vim"),
    ("CMakeLists.txt", "cmake"),
    ("COMMIT_EDITMSG", "gitcommit"),
    (".gitignore", "gitignore"),
    (".gitconfig", "gitconfig"),
];

/// Interpreters named on a `#!` line mapped to filetypes.
const BY_INTERPRETER: &[(&str, &str)] = &[
    ("sh", "sh"),
    ("dash", "sh"),
    ("bash", "bash"),
    ("zsh", "zsh"),
    ("fish", "fish"),
    ("python", "python"),
    ("python2", "python"),
    ("python3", "python"),
    ("lua", "lua"),
    ("luajit", "lua"),
    ("nvim", "lua"),
    ("node", "javascript"),
    ("deno", "typescript"),
    ("ruby", "ruby"),
    ("perl", "perl"),
    ("php", "php"),
    ("make", "make"),
    ("rust-script", "rust"),
];

/// Detects a filetype from a path and the file's first line; "" when unknown.
pub fn detect(path: Option<&Path>, first_line: &str) -> String {
    if let Some(p) = path {
        if let Some(name) = p.file_name().and_then(|n| n.to_str()) {
            if let Some((_, ft)) = BY_NAME.iter().find(|(n, _)| *n == name) {
                return (*ft).to_string();
            }
            if let Some(ext) = p.extension().and_then(|e| e.to_str()) {
                let lower = ext.to_ascii_lowercase();
                if let Some((_, ft)) = BY_EXTENSION.iter().find(|(e, _)| *e == lower) {
                    return (*ft).to_string();
                }
            }
        }
    }
    shebang(first_line).unwrap_or_default()
}

/// The filetype a `#!` line names (`#!/usr/bin/env python3` → python).
fn shebang(line: &str) -> Option<String> {
    let rest = line.strip_prefix("#!")?.trim();
    let mut words = rest.split_whitespace();
    let mut prog = words.next()?.rsplit('/').next()?;
    if prog == "env" {
        // Skip env's options (`env -S lua`).
        prog = words.find(|w| !w.starts_with('-') && !w.contains('='))?;
        prog = prog.rsplit('/').next()?;
    }
    // `python3.11` → `python3`, then `python`.
    let base = prog.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    BY_INTERPRETER.iter().find(|(n, _)| *n == prog || *n == base).map(|(_, ft)| (*ft).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_extension_name_and_shebang() {
        assert_eq!(detect(Some(Path::new("src/main.rs")), ""), "rust");
        assert_eq!(detect(Some(Path::new("A.CPP")), ""), "cpp");
        assert_eq!(detect(Some(Path::new("x/Makefile")), ""), "make");
        assert_eq!(detect(Some(Path::new("script")), "#!/bin/sh"), "sh");
        assert_eq!(detect(Some(Path::new("script")), "#!/usr/bin/env python3"), "python");
        assert_eq!(detect(Some(Path::new("script")), "#!/usr/bin/env -S lua -e x"), "lua");
        assert_eq!(detect(Some(Path::new("script")), "#!/usr/bin/python3.11"), "python");
        assert_eq!(detect(Some(Path::new("notes")), "hello"), "");
        assert_eq!(detect(None, "#!"), "");
        assert_eq!(detect(None, "#!   "), "");
    }
}
