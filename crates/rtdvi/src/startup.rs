//! Start-up in Neovim's order: `--cmd`, the init file, the files, `-c`/`+` commands, VimEnter; then
//! the front end (headless: nothing more; a terminal: the full-screen UI; otherwise ex mode on
//! standard input).

use std::io::Write;
use std::path::{Path, PathBuf};

use rtdvi_editor::events::Event;
use rtdvi_editor::message::Level;
use rtdvi_editor::options::{self, OptionValue, SetScope};
use rtdvi_editor::Editor;

use crate::cli::Args;

/// Runs the editor for these arguments and returns the exit code.
pub fn run(args: Args) -> i32 {
    if let Some(script) = args.lua_script.clone() {
        return run_lua_script(&args, &script);
    }
    let mut ed = Editor::new();
    ed.headless = args.headless || args.ex_mode;
    if !args.no_swap {
        ed.swap_dir = rtdvi_editor::swap::default_dir();
    }
    if args.recover && args.files.is_empty() {
        return list_swap_files(&ed);
    }
    let config = plugin_config(&mut ed, &args, true);
    let mut out = Output::default();
    out.flush(&mut ed);
    for c in &args.pre_commands {
        ed.run_command_line(c);
        out.flush_command_line(&mut ed);
    }
    out.flush(&mut ed);
    let lua = load_init(&mut ed, &args, &config);
    out.flush(&mut ed);
    load_plugins(&mut ed, &config);
    out.flush(&mut ed);
    open_files(&mut ed, &args);
    out.flush(&mut ed);
    for c in &args.commands {
        ed.run_command_line(c);
        // Lua's scheduled callbacks run between commands, as on the next turn of the loop.
        if let Some(lua) = &lua {
            lua.run_pending(&mut ed);
        }
        out.flush_command_line(&mut ed);
        if ed.exit_code.is_some() {
            break;
        }
    }
    if ed.exit_code.is_none() {
        ed.fire(Event::VimEnter, Default::default());
        ed.finish_command();
        out.flush(&mut ed);
        // Keys the start-up commands queued with nvim_feedkeys run first in the main loop.
        ed.run_queued_keys();
        out.flush(&mut ed);
    }
    if ed.exit_code.is_none() {
        if let Some(path) = &args.scriptin {
            // Like Vim: the file's characters are typed one by one (raw bytes, not key notation).
            match std::fs::read(path) {
                Ok(bytes) => {
                    ed.enter_main_loop();
                    ed.type_script(String::from_utf8_lossy(&bytes).chars().map(rtdvi_editor::keys::key_from_char));
                    flush(&mut ed);
                }
                Err(e) => {
                    eprintln!("rtdvi: Cannot open for reading: \"{path}\": {e}");
                    return 2;
                }
            }
        }
        use std::io::IsTerminal;
        let tty = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
        if ed.exit_code.is_some() {
            // The script quit (`:wq` in it): leave as after a `-c` command that quits.
        } else if !args.ex_mode && !args.headless && tty {
            ed.headless = false;
            if args.scriptin.is_none() {
                ed.enter_main_loop();
            }
            return rtdvi_tui::app::App::new(ed).run();
        } else if args.ex_mode || !args.headless {
            crate::exmode::run(&mut ed, !args.silent_ex && !args.headless);
        } else {
            // Headless with nothing left to do (Neovim would wait forever for RPC input): leave, but
            // keep the journal of unsaved changes and say so with a failing exit code.
            return finish_headless(&mut ed);
        }
    }
    flush(&mut ed);
    ed.sync_swap_files();
    ed.exit_code.unwrap_or(0)
}

/// Prints pending messages: one line each on stderr (Neovim's headless message output).
pub fn flush(ed: &mut Editor) {
    Output::default().flush(ed);
}

/// Message output during start-up: the first error of the command-line commands (`--cmd`, `-c`,
/// `+cmd`) is preceded by Neovim's "Error detected while processing command line:".
#[derive(Default)]
struct Output {
    header_shown: bool,
}

impl Output {
    fn flush(&mut self, ed: &mut Editor) {
        write_messages(ed.take_messages());
    }

    fn flush_command_line(&mut self, ed: &mut Editor) {
        let msgs = ed.take_messages();
        if !self.header_shown && msgs.iter().any(|m| m.level == Level::Error) {
            self.header_shown = true;
            eprintln!("Error detected while processing command line:");
        }
        write_messages(msgs);
    }
}

fn write_messages(msgs: Vec<rtdvi_editor::message::Message>) {
    let mut err = std::io::stderr().lock();
    for m in msgs {
        for line in m.text.split('\n') {
            let _ = writeln!(err, "{line}");
        }
    }
}

/// Ends a headless run whose commands did not quit: exit 0 if nothing is unsaved; otherwise say
/// where the changes are and exit 1.
fn finish_headless(ed: &mut Editor) -> i32 {
    let modified: Vec<String> =
        ed.buffers.values().filter(|b| b.is_modified()).map(|b| ed.buffer_display_name(b.id)).collect();
    ed.fire(Event::VimLeavePre, Default::default());
    ed.sync_swap_files();
    flush(ed);
    if modified.is_empty() {
        return 0;
    }
    let kept = if ed.swap_dir.is_some() { " (kept in the swap file: rtdvi -r to recover)" } else { "" };
    eprintln!("rtdvi: headless input ended with unsaved changes in {}{kept}", modified.join(", "));
    1
}

/// `-l script [args]`: Lua runs the script headless (no swap file, no user config unless `-u`
/// names one) and the editor leaves: exit code 1 when the script failed, else 0.
fn run_lua_script(args: &Args, script: &str) -> i32 {
    let mut ed = Editor::new();
    ed.headless = true;
    for c in &args.pre_commands {
        ed.run_command_line(c);
    }
    let user_init = args.init.as_deref().filter(|i| *i != "NONE" && *i != "NORC");
    let config = if user_init.is_some() { config_dir() } else { None };
    let plugins = plugin_config(&mut ed, args, user_init.is_some());
    let Some(lua) = crate::lua::start(&mut ed, config.as_deref(), &plugins) else {
        flush(&mut ed);
        return 1;
    };
    if let Some(init) = user_init {
        load_init_file(&mut ed, Some(&lua), Path::new(init));
    }
    flush(&mut ed);
    let code = lua.run_script(&mut ed, script, &args.lua_args);
    flush(&mut ed);
    ed.exit_code.unwrap_or(code)
}

/// The init file and the plugins, as Neovim: `-u FILE` (`.lua` or ex commands), `-u NONE` (no init,
/// no plugins), else `init.lua` or `init.vim` in the config directory (both: E5422), then
/// `plugin/**/*.{vim,lua}` of 'runtimepath', packages, and config.toml's `plugins`.
fn load_init(ed: &mut Editor, args: &Args, plugins: &rtdvi_plugin::Config) -> Option<crate::lua::Lua> {
    let no_user = args.clean || matches!(args.init.as_deref(), Some("NONE") | Some("NORC"));
    let config = if no_user { None } else { config_dir() };
    let lua = crate::lua::start(ed, config.as_deref(), plugins);
    let init: Option<PathBuf> = match args.init.as_deref() {
        Some("NONE") | Some("NORC") => None,
        Some(path) => Some(PathBuf::from(path)),
        None if args.clean => None,
        None => {
            let dir = config.clone();
            let lua_init = dir.as_ref().map(|d| d.join("init.lua")).filter(|p| p.is_file());
            let vim_init = dir.as_ref().map(|d| d.join("init.vim")).filter(|p| p.is_file());
            if let (Some(l), Some(v)) = (&lua_init, &vim_init) {
                ed.messages.error(format!("E5422: Conflicting configs: \"{}\" \"{}\"", l.display(), v.display()));
            }
            lua_init.or(vim_init)
        }
    };
    // `-u config.toml` names the plugin config instead of an init file (see `load_plugins`).
    let init = init.filter(|p| p.extension().is_none_or(|e| e != "toml"));
    if let Some(path) = init {
        load_init_file(ed, lua.as_ref(), &path);
    }
    if args.init.as_deref() != Some("NONE") {
        if let Some(lua) = &lua {
            lua.load_plugins(ed);
            ed.finish_command();
        }
    }
    lua
}

fn load_init_file(ed: &mut Editor, lua: Option<&crate::lua::Lua>, path: &Path) {
    if path.extension().is_some_and(|e| e == "lua") {
        match lua {
            Some(lua) => lua.source_init(ed, path),
            None => ed.messages.error(format!("E5113: {}: Lua is not available", path.display())),
        }
    } else if let Err(e) = ed.source_file(path) {
        ed.messages.error(e.to_string());
    }
    ed.finish_command();
}

/// The plugin config, parsed once for the WASM host and Lua: `$RTDVI_CONFIG`, else
/// `-u FILE.toml`, else `config.toml` in the config directory (skipped by `--clean` and `-u NONE`,
/// and unless `default_file`). A config that can't be parsed is reported with file:line:col and
/// the editor starts without plugins.
fn plugin_config(ed: &mut Editor, args: &Args, default_file: bool) -> rtdvi_plugin::Config {
    let explicit = std::env::var_os(rtdvi_plugin::config::CONFIG_ENV).filter(|v| !v.is_empty()).map(PathBuf::from);
    let from_args = args.init.as_deref().map(PathBuf::from).filter(|p| p.extension().is_some_and(|e| e == "toml"));
    let skip_default = !default_file || args.clean || matches!(args.init.as_deref(), Some("NONE") | Some("NORC"));
    let path = explicit.or(from_args).or_else(|| {
        if skip_default {
            None
        } else {
            config_dir().map(|d| d.join(rtdvi_plugin::config::FILE_NAME))
        }
    });
    let Some(path) = path else { return rtdvi_plugin::Config::default() };
    rtdvi_plugin::Config::load(&path).unwrap_or_else(|e| {
        ed.messages.error(format!("rtdvi: {e} (starting without plugins)"));
        rtdvi_plugin::Config::default()
    })
}

/// Installs the WASM plugin host and loads the config's WASM plugins (the Lua ones are
/// [`crate::lua`]'s).
fn load_plugins(ed: &mut Editor, config: &rtdvi_plugin::Config) {
    let engine_config = rtdvi_wasm::EngineConfig { cache_dir: cache_dir(), ..Default::default() };
    let search = rtdvi_plugin::SearchPath::from_env(&ed.cwd);
    let host = match rtdvi_plugin::PluginHost::new(engine_config, search) {
        Ok(h) => h,
        Err(e) => {
            ed.messages.error(e.to_string());
            return;
        }
    };
    let shared = rtdvi_plugin::install(ed, host);
    let mut config = config.clone();
    config.plugins.retain(|p| !crate::lua::is_lua(p, &ed.cwd));
    shared.borrow_mut().load_config(ed, &config);
    ed.finish_command();
}

/// `$XDG_CACHE_HOME/rtdvi/wasm` (default `~/.cache/rtdvi/wasm`): compiled plugin modules.
fn cache_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .map(|d| d.join("rtdvi").join("wasm"))
}

/// `$XDG_CONFIG_HOME/rtdvi` (default `~/.config/rtdvi`).
pub fn config_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .map(|d| d.join("rtdvi"))
}

fn open_files(ed: &mut Editor, args: &Args) {
    for (i, f) in args.files.iter().enumerate() {
        let path = Path::new(f);
        let result = if i == 0 {
            ed.open_startup_file(path, !args.recover).map(|_| ())
        } else {
            // Further files are loaded as listed buffers, like Neovim's argument list.
            ed.add_file_buffer(path).map(|_| ())
        };
        if let Err(e) = result {
            ed.messages.error(e.to_string());
        }
        if args.recover && i == 0 {
            if let Err(e) = ed.recover_current() {
                ed.messages.error(e.to_string());
            }
        }
    }
    if args.readonly {
        for id in ed.buffers.keys().copied().collect::<Vec<_>>() {
            if let Some(b) = ed.buffers.get_mut(&id) {
                b.options.set(options::id("readonly"), OptionValue::Bool(true));
            }
        }
        ed.set_option(options::id("readonly"), OptionValue::Bool(true), SetScope::Local);
    }
    ed.finish_command();
}

fn list_swap_files(ed: &Editor) -> i32 {
    let Some(dir) = ed.swap_dir.clone() else {
        eprintln!("rtdvi: -r: swap files are disabled (-n)");
        return 1;
    };
    let list = rtdvi_editor::swap::list(&dir);
    println!("Swap files found in {}:", dir.display());
    if list.is_empty() {
        println!("   -- none --");
    }
    for (i, info) in list.iter().enumerate() {
        let running = if info.pid_running { " (STILL RUNNING)" } else { "" };
        let file = info.file.as_ref().map(|f| f.display().to_string()).unwrap_or_else(|| "[No Name]".into());
        println!(
            "{}.    {}\n          file name: {file}\n          process ID: {}{running}",
            i + 1,
            info.path.display(),
            info.pid
        );
    }
    0
}
