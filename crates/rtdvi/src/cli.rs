//! Command-line arguments, compatible with Neovim's so that `nvim --headless` scripts work.
//!
//! clap parses the arguments after a small rewrite of the forms clap has no notion of:
//! `+{cmd}` and `+{N}` become `-c`, and everything after `-l script` is the script's own.

use clap::Parser;

/// rtdvi: a modal terminal editor whose extensions run sandboxed in WebAssembly.
#[derive(Parser, Debug, Default, Clone)]
#[command(name = "rtdvi", version, disable_help_flag = true, disable_version_flag = true)]
pub struct Args {
    /// Files to edit.
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,

    /// Don't start the terminal UI: run the commands given and print messages to stderr.
    #[arg(long)]
    pub headless: bool,

    /// Use this init file instead of the default ("NONE": no init file).
    #[arg(short = 'u', value_name = "FILE")]
    pub init: Option<String>,

    /// Start without user configuration or plugins.
    #[arg(long)]
    pub clean: bool,

    /// Skip loading plugins (Neovim's `--noplugin`; the init file still runs).
    #[arg(long = "noplugin")]
    pub no_plugin: bool,

    /// No swap file: changes are not journaled for recovery.
    #[arg(short = 'n')]
    pub no_swap: bool,

    /// Accepted for Neovim compatibility (rtdvi has no ShaDa file).
    #[arg(short = 'i', value_name = "SHADA")]
    pub shada: Option<String>,

    /// Execute a command after the first file has been read (repeatable).
    #[arg(short = 'c', value_name = "COMMAND", action = clap::ArgAction::Append)]
    pub commands: Vec<String>,

    /// Execute a command before any config is loaded (repeatable).
    #[arg(long = "cmd", value_name = "COMMAND", action = clap::ArgAction::Append)]
    pub pre_commands: Vec<String>,

    /// Read-only mode ('readonly' set on the files).
    #[arg(short = 'R')]
    pub readonly: bool,

    /// Recover a file from its swap file (no FILE: list swap files).
    #[arg(short = 'r')]
    pub recover: bool,

    /// Run a Lua script and exit.
    #[arg(short = 'l', value_name = "SCRIPT")]
    pub lua_script: Option<String>,

    /// Arguments passed to the -l script.
    #[arg(skip)]
    pub lua_args: Vec<String>,

    /// Read normal-mode keys from a file.
    #[arg(short = 's', value_name = "SCRIPTIN")]
    pub scriptin: Option<String>,

    /// Ex mode (read ex commands from standard input).
    #[arg(short = 'e')]
    pub ex_mode: bool,

    /// Silent ex mode (with -e: no prompts).
    #[arg(short = 'S', hide = true)]
    pub silent_ex: bool,

    /// Print the version.
    #[arg(short = 'v', long = "version")]
    pub version: bool,

    /// Print this help.
    #[arg(short = 'h', long = "help")]
    pub help: bool,
}

/// Rewrites Neovim-only argument forms into ones clap understands.
pub fn normalize(raw: impl IntoIterator<Item = String>) -> (Vec<String>, Vec<String>) {
    let mut out = Vec::new();
    let mut lua_args = Vec::new();
    let mut iter = raw.into_iter();
    if let Some(prog) = iter.next() {
        out.push(prog);
    }
    let mut only_files = false;
    while let Some(a) = iter.next() {
        if only_files {
            out.push(a);
            continue;
        }
        if a == "--" {
            only_files = true;
            out.push(a);
        } else if a == "-l" {
            out.push(a);
            if let Some(script) = iter.next() {
                out.push(script);
            }
            // Everything after the script belongs to it.
            lua_args.extend(iter.by_ref());
        } else if a == "-es" || a == "-Es" {
            out.push("-e".into());
            out.push("-S".into());
        } else if let Some(rest) = a.strip_prefix('+') {
            out.push("-c".into());
            out.push(if rest.is_empty() {
                "$".to_string()
            } else if let Some(pat) = rest.strip_prefix('/') {
                // `+/pat`: go to the first line matching pat.
                format!("/{pat}")
            } else {
                rest.to_string()
            });
        } else {
            out.push(a);
        }
    }
    (out, lua_args)
}

/// Parses the process arguments.
pub fn parse(raw: impl IntoIterator<Item = String>) -> Result<Args, clap::Error> {
    let (argv, lua_args) = normalize(raw);
    let mut args = Args::try_parse_from(argv)?;
    args.lua_args = lua_args;
    Ok(args)
}

/// The `-h` text (Neovim lists its flags the same way).
pub fn help_text() -> String {
    "Usage:
  rtdvi [options] [file ...]

Options:
  --cmd <cmd>           Execute <cmd> before any config
  +<cmd>, -c <cmd>      Execute <cmd> after config and first file
  +<N>                  Go to line N (+ alone: last line)
  -l <script> [args...] Execute Lua <script> (with optional args)
  -n                    No swap file, use memory only
  -R                    Read-only mode
  -r [file]             Recover a file from its swap file (no file: list swap files)
  -s <scriptin>         Read normal mode commands from <scriptin>
  -u <config>           Use this config file (NONE: none)
  -i <shada>            Accepted for compatibility (no ShaDa)
  -e, -es               Ex mode: read ex commands from standard input
  --clean               \"Factory defaults\" (skip user config and plugins)
  --headless            Don't start a user interface
  --noplugin            Don't load plugins
  -v, --version         Print version information
  -h, --help            Print this help message
"
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Args {
        parse(std::iter::once("rtdvi".to_string()).chain(args.iter().map(|s| s.to_string()))).unwrap()
    }

    #[test]
    fn neovim_forms() {
        let a = p(&[
            "--headless",
            "-u",
            "NONE",
            "-n",
            "-i",
            "NONE",
            "f.txt",
            "+3",
            "-c",
            "w",
            "+",
            "+/foo",
            "--cmd",
            "set ts=4",
            "--noplugin",
        ]);
        assert!(a.headless && a.no_swap && a.no_plugin);
        assert_eq!(a.init.as_deref(), Some("NONE"));
        assert_eq!(a.files, vec!["f.txt"]);
        assert_eq!(a.commands, vec!["3", "w", "$", "/foo"]);
        assert_eq!(a.pre_commands, vec!["set ts=4"]);
    }

    #[test]
    fn lua_script_takes_the_rest() {
        let a = p(&["-l", "x.lua", "a", "-c", "b"]);
        assert_eq!(a.lua_script.as_deref(), Some("x.lua"));
        assert_eq!(a.lua_args, vec!["a", "-c", "b"]);
        assert!(a.commands.is_empty());
    }

    #[test]
    fn double_dash_files() {
        let a = p(&["--", "+x", "-n"]);
        assert_eq!(a.files, vec!["+x", "-n"]);
        assert!(!a.no_swap);
    }

    #[test]
    fn unknown_flag_is_an_error() {
        assert!(parse(["rtdvi".to_string(), "--bogus".to_string()]).is_err());
    }
}
