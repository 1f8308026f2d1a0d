//! Lua through the headless binary on both engines: init.lua, plugins, `:lua`, `-l`, errors, the
//! sandbox. The compiled guest is cached in one directory for all tests (compiling it is slow in
//! debug builds).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const ENGINES: [&str; 2] = ["wasmtime", "wasmi"];

struct Env {
    dir: tempfile::TempDir,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Env {
    fn new() -> Env {
        let env = Env { dir: tempfile::tempdir().expect("tempdir") };
        fs::create_dir_all(env.config()).expect("config dir");
        env
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config/rtdvi")
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(&p, text).expect("write");
        p
    }

    fn run(&self, engine: &str, args: &[&str]) -> Run {
        self.run_cached(engine, &PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lua-cache"), args)
    }

    fn run_cached(&self, engine: &str, cache: &Path, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_rtdvi"))
            .current_dir(self.dir.path())
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_STATE_HOME", self.dir.path().join("state"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CACHE_HOME", cache)
            .env("RTDVI_WASM_RUNTIME", engine)
            .env_remove("RTDVI_PLUGIN_DIR")
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("run rtdvi");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn headless(&self, engine: &str, args: &[&str]) -> Run {
        let mut all = vec!["--headless", "-n"];
        all.extend_from_slice(args);
        self.run(engine, &all)
    }
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_default()
}

#[test]
fn init_lua_plugins_and_require() {
    for engine in ENGINES {
        let env = Env::new();
        env.write("config/rtdvi/init.lua", "vim.o.tabstop = 3\nprint('init', require('mymod').name)\n");
        env.write("config/rtdvi/lua/mymod/init.lua", "return { name = 'mymod' }\n");
        env.write("config/rtdvi/plugin/a.lua", "print('plugin a', vim.o.tabstop)\n");
        env.write("config/rtdvi/after/plugin/z.lua", "print('after z')\n");
        env.write("data/rtdvi/site/pack/p/start/pk/plugin/pk.lua", "print('package', (require('pkmod')))\n");
        env.write("data/rtdvi/site/pack/p/start/pk/lua/pkmod.lua", "return 'pkmod'\n");
        env.write("data/rtdvi/site/pack/p/opt/later/plugin/later.lua", "print('packadd later')\n");
        let r =
            env.headless(engine, &["-c", "packadd later", "-c", "lua print('tabstop', vim.o.tabstop)", "-c", "qa!"]);
        assert_eq!(r.code, 0, "{engine}: {}", r.stderr);
        let order: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(
            order,
            // Neovim's print joins its arguments with spaces (Lua's own print uses tabs).
            ["init mymod", "plugin a 3", "package pkmod", "after z", "packadd later", "tabstop 3"],
            "{engine}"
        );
        // -u NONE: no init, no plugins.
        let r = env.headless(engine, &["-u", "NONE", "-c", "lua print(vim.o.tabstop)", "-c", "qa!"]);
        assert_eq!(r.stderr.trim(), "8", "{engine}");
    }
}

#[test]
fn errors_name_file_and_line_and_loading_goes_on() {
    for engine in ENGINES {
        let env = Env::new();
        env.write("config/rtdvi/plugin/a_broken.lua", "local x = \nreturn +\n");
        env.write("config/rtdvi/plugin/b_fails.lua", "local function f() error('plugin b failed') end\nf()\n");
        env.write("config/rtdvi/plugin/c_ok.lua", "print('c loaded')\n");
        let r = env.headless(engine, &["-c", "lua error('at :lua')", "-c", "qa!"]);
        assert_eq!(r.code, 0, "{engine}");
        assert!(
            r.stderr.contains("E5108: Error executing lua") && r.stderr.contains("a_broken.lua:2:"),
            "{engine}: {}",
            r.stderr
        );
        assert!(r.stderr.contains("b_fails.lua:1: plugin b failed\nstack traceback:"), "{engine}: {}", r.stderr);
        assert!(r.stderr.contains("c loaded"), "{engine}: {}", r.stderr);
        assert!(r.stderr.contains("E5108: Error executing lua [string \":lua\"]:1: at :lua"), "{engine}: {}", r.stderr);
    }
}

#[test]
fn lua_script_mode() {
    for engine in ENGINES {
        let env = Env::new();
        env.write("s.lua", "print('args', arg[0], arg[1], arg[2], #arg)\nvim.api.nvim_buf_set_lines(0, 0, -1, false, {'x'})\nprint(vim.api.nvim_buf_get_lines(0, 0, -1, false)[1])\n");
        let r = env.run(engine, &["-l", "s.lua", "a", "-c"]);
        assert_eq!(r.code, 0, "{engine}: {}", r.stderr);
        assert_eq!(r.stdout, "args s.lua a -c 2\nx\n", "{engine}");
        env.write("bad.lua", "error('bad script')\n");
        let r = env.run(engine, &["-l", "bad.lua"]);
        assert_eq!(r.code, 1, "{engine}");
        assert!(r.stderr.contains("bad.lua:1: bad script"), "{engine}: {}", r.stderr);
    }
}

#[test]
fn sandbox_escapes_fail_cleanly() {
    for engine in ENGINES {
        let env = Env::new();
        let secret = env.write("secret.txt", "secret");
        let attempts = [
            "io.open('secret.txt')",
            "io.popen('ls')",
            "os.execute('touch pwned')",
            "os.remove('secret.txt')",
            "os.getenv('HOME')",
            "require('socket.core')",
            "package.loadlib('x.so', 'f')",
            "load(string.char(27) .. 'Lua')()",
            "string.dump(print)",
            "debug.sethook(print, 'l')",
            "debug.setmetatable(1, {})",
            "vim.uv.spawn('sh', {})",
            "require('../secret')",
        ];
        let mut args = Vec::new();
        for a in attempts {
            args.push("-c".to_string());
            args.push(format!("lua {a}"));
        }
        for bomb in [
            "while true do end",
            "local t = {} while true do t[#t + 1] = ('x'):rep(1000) end",
            "local function f() return f() + 1 end f()",
            "while true do coroutine.wrap(function() end) end",
        ] {
            args.push("-c".to_string());
            args.push(format!("lua {bomb}"));
        }
        args.extend(["-c".to_string(), "lua print('still running')".to_string(), "-c".to_string(), "qa!".to_string()]);
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = env.headless(engine, &argv);
        assert_eq!(r.code, 0, "{engine}: {}", r.stderr);
        assert!(r.stderr.trim_end().ends_with("still running"), "{engine}: {}", r.stderr);
        let errors = r.stderr.matches("E5108").count();
        assert!(errors >= attempts.len(), "{engine}: every attempt reports an error: {}", r.stderr);
        assert_eq!(read(&secret), "secret");
        assert!(!env.dir.path().join("pwned").exists());
    }
}

#[test]
fn scheduled_callbacks_run_between_commands() {
    for engine in ENGINES {
        let env = Env::new();
        let r = env.headless(
            engine,
            &[
                "-c",
                "lua vim.schedule(function() print('scheduled') end) print('first')",
                "-c",
                "lua print('second')",
                "-c",
                "qa!",
            ],
        );
        assert_eq!(r.stderr.lines().collect::<Vec<_>>(), ["first", "scheduled", "second"], "{engine}");
    }
}

/// The seed's example plugin, unchanged, listed the seed's way in config.toml.
const SEED_HELLO: &str = r#"vim.api.nvim_create_user_command("Greet", function(args)
  vim.notify("Hello from Lua!")
end, {})

vim.keymap.set("normal", "<leader>h", function()
  vim.notify("Hello from <leader>h!")
end)
"#;

#[test]
fn the_seed_hello_plugin_runs_unchanged() {
    for engine in ENGINES {
        let env = Env::new();
        env.write("config/rtdvi/config.toml", "plugins = [\n  \"mlua_wasm\",\n  \"hello\",\n]\n");
        env.write(".local/rtdvi/plugins/hello.lua", SEED_HELLO);
        let r = env.headless(engine, &["-c", "Greet", "-c", "normal \\h", "-c", "qa!"]);
        assert_eq!(r.code, 0, "{engine}: {}", r.stderr);
        assert_eq!(r.stderr.lines().collect::<Vec<_>>(), ["Hello from Lua!", "Hello from <leader>h!"], "{engine}");
    }
}

/// A Rust library built with the pdk (`examples/lua-modules/textutil`) in a plugin's `lua/` dir:
/// `require` finds `lua/textutil.wasm` on 'runtimepath' and runs it sandboxed.
#[test]
fn rust_libraries_are_lua_modules() {
    let textutil = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/lua-modules/textutil/textutil.wasm");
    let bytes = fs::read(&textutil).expect("examples/lua-modules/textutil/textutil.wasm (scripts/build-plugins.sh)");
    for engine in ENGINES {
        let env = Env::new();
        let lib = env.dir.path().join("data/rtdvi/site/pack/p/start/tu/lua/textutil.wasm");
        fs::create_dir_all(lib.parent().expect("parent")).expect("mkdir");
        fs::write(&lib, &bytes).expect("write textutil.wasm");
        env.write(
            "config/rtdvi/plugin/use.lua",
            "local t = require('textutil')\n\
             print(t.width('日本語'), table.concat(t.graphemes('e\\u{301}x'), '|'), t.title_case('ÉCOLE de paris'))\n",
        );
        let r = env.headless(
            engine,
            &[
                "-c",
                "lua print(require('textutil').format_date(951827696, '%a %F %T'))",
                "-c",
                "lua print(pcall(require('textutil').format_date, 0, '%Q'))",
                "-c",
                "qa!",
            ],
        );
        assert_eq!(r.code, 0, "{engine}: {}", r.stderr);
        let lines: Vec<&str> = r.stderr.lines().collect();
        // print joins its arguments with spaces, as Neovim's does.
        assert_eq!(
            lines,
            [
                "6 e\u{301}|x École De Paris",
                "Tue 2000-02-29 12:34:56",
                // pcall calls it directly: no Lua caller, no position (as with Lua's own functions).
                "false unknown format specifier %Q",
            ],
            "{engine}"
        );
    }
}

/// The checks `scripts/test-nvim-module.sh` runs in Neovim on the native build of textutil give the
/// same lines here, from `textutil.wasm`, on both engines.
#[test]
fn textutil_answers_as_in_neovim() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/lua-modules/textutil");
    let bytes = fs::read(dir.join("textutil.wasm")).expect("textutil.wasm (scripts/build-plugins.sh)");
    let expected = read(&dir.join("check.expected"));
    let script = dir.join("check.lua");
    for engine in ENGINES {
        let env = Env::new();
        fs::create_dir_all(env.config().join("lua")).expect("mkdir");
        fs::write(env.config().join("lua/textutil.wasm"), &bytes).expect("write textutil.wasm");
        let cmd = format!("luafile {}", script.display());
        let r = env.headless(engine, &["-c", &cmd, "-c", "qa!"]);
        assert_eq!(r.code, 0, "{engine}: {}", r.stderr);
        assert_eq!(r.stderr, expected, "{engine}");
    }
}

/// A WASM plugin binding `<leader>w` to `onkey`, which inserts "wasm;" at the start of the buffer.
const WASM_KEYS: &str = r#"(module
  (import "rtdvi" "rtdvi_bind_key" (func $bind (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "rtdvi" "rtdvi_insert_text" (func $insert (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "n")
  (data (i32.const 8) "<leader>w")
  (data (i32.const 24) "onkey")
  (data (i32.const 32) "wasm;")
  (func (export "alloc") (param i32) (result i32) (i32.const 256))
  (func (export "dealloc") (param i32 i32))
  (func (export "rtdvi_init") (param i32 i32) (result i32)
    (drop (call $bind (i32.const 0) (i32.const 1) (i32.const 8) (i32.const 9) (i32.const 24) (i32.const 5)))
    (i32.const 0))
  (func (export "onkey")
    (drop (call $insert (i32.const 0) (i32.const 0) (i32.const 32) (i32.const 5)))))"#;

/// Lua callbacks of the shared state, of an isolated plugin and WASM key bindings live in one id
/// space: each key runs its own plugin's function (colliding ids would run another one).
#[test]
fn lua_and_wasm_callbacks_share_one_id_space() {
    for engine in ENGINES {
        let env = Env::new();
        env.write(
            "config/rtdvi/config.toml",
            "plugins = [\"keys\", \"luakeys\", { name = \"isokeys\", isolated = true }]\n",
        );
        env.write(".local/rtdvi/plugins/keys.wat", WASM_KEYS);
        env.write(
            ".local/rtdvi/plugins/luakeys.lua",
            "for i = 1, 20 do vim.api.nvim_create_autocmd('User', { pattern = 'Many' .. i, callback = function() print('many', i) end }) end\n\
             vim.keymap.set('n', '<leader>l', function() vim.api.nvim_buf_set_text(0, 0, 0, 0, 0, { 'lua;' }) end)\n",
        );
        env.write(
            ".local/rtdvi/plugins/isokeys.lua",
            "vim.keymap.set('n', '<leader>i', function() vim.api.nvim_buf_set_text(0, 0, 0, 0, 0, { 'iso;' }) end)\n\
             vim.api.nvim_create_autocmd('User', { pattern = 'Iso', callback = function(a) print('iso autocmd', a.match) end })\n",
        );
        let r = env.headless(
            engine,
            &[
                "-c",
                "normal \\w",
                "-c",
                "normal \\l",
                "-c",
                "normal \\i",
                "-c",
                "normal \\w",
                "-c",
                "doautocmd User Iso",
                "-c",
                "doautocmd User Many3",
                "-c",
                "lua print(vim.api.nvim_buf_get_lines(0, 0, 1, false)[1])",
                "-c",
                "qa!",
            ],
        );
        assert_eq!(r.code, 0, "{engine}: {}", r.stderr);
        assert_eq!(
            r.stderr.lines().collect::<Vec<_>>(),
            ["iso autocmd Iso", "many 3", "wasm;iso;lua;wasm;"],
            "{engine}"
        );
    }
}

/// `isolated = true`: the plugin runs in a Lua state of its own with its own limits; the other
/// plugins share one state and `require` each other.
#[test]
fn isolated_plugins_have_their_own_state_and_limits() {
    for engine in ENGINES {
        let env = Env::new();
        env.write(
            "config/rtdvi/config.toml",
            "plugins = [\"shared_a\", \"shared_b\", { name = \"iso\", isolated = true, limits = { memory_mib = 16 } }]\n",
        );
        env.write(".local/rtdvi/plugins/shared_a.lua", "package.loaded.shared_a = { v = 'from a' }\nmarker = 'a'\n");
        env.write(".local/rtdvi/plugins/shared_b.lua", "print('b sees', require('shared_a').v, marker)\n");
        env.write(
            ".local/rtdvi/plugins/iso.lua",
            "print('iso sees', marker, package.loaded.shared_a)\nmarker = 'iso'\n\
             vim.api.nvim_create_user_command('IsoMarker', function() print('iso marker', marker) end, {})\n\
             vim.api.nvim_create_user_command('IsoBomb', function() local t = {} while true do t[#t + 1] = ('x'):rep(1024):rep(1024) end end, {})\n",
        );
        let r = env.headless(
            engine,
            &[
                "-c",
                "IsoMarker",
                "-c",
                "lua print('shared', marker)",
                "-c",
                "IsoBomb",
                "-c",
                "lua local t = {} for i = 1, 24 do t[i] = ('y'):rep(1024):rep(1024) end print('shared holds', #t)",
                "-c",
                "IsoMarker",
                "-c",
                "qa!",
            ],
        );
        assert_eq!(r.code, 0, "{engine}: {}", r.stderr);
        let lines: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(
            lines[..4],
            ["b sees from a a", "iso sees nil nil", "iso marker iso", "shared a"],
            "{engine}: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains("not enough memory"),
            "{engine}: the isolated plugin hits its own 16 MiB: {}",
            r.stderr
        );
        // The shared state has the default 64 MiB: 24 MiB of strings fit.
        assert!(lines.contains(&"shared holds 24"), "{engine}: {}", r.stderr);
        assert_eq!(lines.last().copied(), Some("iso marker iso"), "{engine}: {}", r.stderr);
    }
}

/// A runaway loop at load and in a callback: stopped, the state rebuilt, the plugins re-sourced
/// except the culprit, the message naming it; mappings of the old state fail clearly.
#[test]
fn runaway_plugins_are_named_and_the_state_is_rebuilt() {
    for engine in ENGINES {
        let env = Env::new();
        env.write(
            "config/rtdvi/plugin/a_ok.lua",
            "loads = (loads or 0) + 1\nprint('a loaded')\nvim.keymap.set('n', '<leader>s', function() while true do end end)\n",
        );
        env.write("config/rtdvi/plugin/b_spin.lua", "while true do end\n");
        env.write("config/rtdvi/plugin/c_last.lua", "print('c loaded')\n");
        let r = env.headless(
            engine,
            &["-c", "normal \\s", "-c", "normal \\s", "-c", "lua print('alive', loads)", "-c", "qa!"],
        );
        assert_eq!(r.code, 0, "{engine}: {}", r.stderr);
        let s = &r.stderr;
        let stopped = |name: &str| {
            s.lines().any(|l| {
                l.starts_with(&format!("E5108: Lua plugin {name} was stopped"))
                    && l.ends_with("the Lua state was restarted")
            })
        };
        assert!(stopped("b_spin"), "{engine}: {s}");
        assert!(stopped("a_ok"), "{engine}: {s}");
        assert!(s.contains("its Lua state was restarted after an error"), "{engine}: the old mapping says so: {s}");
        // a_ok: loaded, re-sourced after b_spin's rebuild; not after its own.
        assert_eq!(s.matches("a loaded").count(), 2, "{engine}: {s}");
        assert_eq!(s.matches("c loaded").count(), 2, "{engine}: {s}");
        assert_eq!(s.lines().last(), Some("alive nil"), "{engine}: {s}");
    }
}

/// The rest of the issue's escape list, each ending with a clear error and files untouched.
#[test]
fn more_sandbox_escapes_fail_cleanly() {
    for engine in ENGINES {
        let env = Env::new();
        let secret = env.write("secret.txt", "secret");
        let outside = env.write("outside/keep.txt", "keep");
        let attempts = [
            "vim.fn.system('touch pwned')",
            "vim.fn.writefile({'x'}, 'secret.txt')",
            &format!("vim.fn.writefile({{'x'}}, '{}')", outside.display()),
            &format!("vim.fn.readfile('{}')", outside.display()),
            "vim.fn.readfile('/etc/passwd')",
            "vim.fn.delete('secret.txt')",
            "vim.uv.fs_unlink('secret.txt')",
        ]
        .map(|a| a.to_string());
        let mut args = Vec::new();
        for a in &attempts {
            args.push("-c".to_string());
            args.push(format!("lua {a}"));
        }
        // An error in __gc is a warning in Lua 5.4 (off by default): nothing stops.
        args.extend([
            "-c".to_string(),
            "lua setmetatable({}, { __gc = function() error('gc boom') end }) collectgarbage() collectgarbage()"
                .to_string(),
            "-c".to_string(),
            "lua print('still running')".to_string(),
            "-c".to_string(),
            "qa!".to_string(),
        ]);
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = env.headless(engine, &argv);
        assert_eq!(r.code, 0, "{engine}: {}", r.stderr);
        assert!(r.stderr.trim_end().ends_with("still running"), "{engine}: {}", r.stderr);
        assert_eq!(r.stderr.matches("E5108").count(), attempts.len(), "{engine}: {}", r.stderr);
        assert_eq!(read(&secret), "secret");
        assert_eq!(read(&outside), "keep");
        assert!(!env.dir.path().join("pwned").exists());
    }
}

/// Neovim 0.11.4 counts 5 CursorMoved callbacks for `jkjk` read from `-s` (one when the main loop
/// first checks the cursor, then one per key), 1 for a script without motions.
#[test]
fn cursor_moved_from_a_script_counts_as_in_neovim() {
    for engine in ENGINES {
        let env = Env::new();
        env.write("f.txt", "1\n2\n3\n4\n");
        env.write(
            "d.lua",
            "_G.bench_calls = 0\nvim.api.nvim_create_autocmd('CursorMoved', { callback = function() _G.bench_calls = _G.bench_calls + 1 end })\n",
        );
        for (keys, want) in [("jkjk", "calls=5"), ("", "calls=1")] {
            env.write("keys.txt", &format!("{keys}:lua print(\"calls=\" .. _G.bench_calls)\n:qa!\n"));
            let r = env.headless(engine, &["f.txt", "-c", "luafile d.lua", "-s", "keys.txt"]);
            assert!(r.stderr.contains(want), "{engine} {keys:?}: {}", r.stderr);
        }
    }
}

/// Keys fed without `x` wait for the key loop: Lua after the call reads them with getcharstr()
/// and vim.ui.input; the rest run once start-up is over, with vim.on_key seeing them and an
/// InsertCharPre autocmd changing a typed character through vim.v.char.
#[test]
fn fed_keys_are_typeahead_for_lua() {
    for engine in ENGINES {
        let env = Env::new();
        env.write(
            "t.lua",
            r#"
_G.seen = {}
vim.on_key(function(k, typed) table.insert(_G.seen, k .. '/' .. typed) end)
vim.api.nvim_create_autocmd('InsertCharPre', { callback = function() if vim.v.char == 'b' then vim.v.char = 'B' end end })
vim.api.nvim_feedkeys('xyes\r', 't', false)
print('got=' .. vim.fn.getcharstr())
vim.ui.input({ prompt = '? ' }, function(s) print('answer=' .. tostring(s)) end)
vim.api.nvim_feedkeys('iab\27', 't', false)
print('line=[' .. vim.api.nvim_get_current_line() .. ']')
"#,
        );
        let r = env.headless(
            engine,
            &[
                "-c",
                "luafile t.lua",
                "-c",
                "lua vim.defer_fn(function() print('after=[' .. vim.api.nvim_get_current_line() .. '] ' .. table.concat(_G.seen, ',')) vim.cmd('qa!') end, 0)",
            ],
        );
        let lines: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(lines, ["got=x", "answer=yes", "line=[]", "after=[aB] i/i,a/a,b/b,\u{1b}/\u{1b}"], "{engine}");
    }
}

/// The Lua start image (`doc/lua.md`): written by the first start, used by the next, and a damaged
/// one is named in a warning while the editor starts anyway and rewrites it. On wasmi only: a
/// private cache on wasmtime would compile the guest again (slow in debug builds); the image code is
/// the same for both engines and its unit tests run on both.
#[test]
fn damaged_start_image_is_named_and_replaced() {
    let env = Env::new();
    let cache = env.dir.path().join("cache");
    let args = ["--headless", "-n", "-u", "NONE", "-c", "lua print(vim.inspect({ 1, 'a' }))", "-c", "qa!"];
    let first = env.run_cached("wasmi", &cache, &args);
    assert_eq!((first.code, first.stderr.trim()), (0, "{ 1, \"a\" }"));
    let dir = cache.join("rtdvi/wasm");
    let images: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("cache dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("lua-editor-wasmi-")))
        .collect();
    assert_eq!(images.len(), 1, "{images:?}");
    let mut bytes = fs::read(&images[0]).expect("image");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    fs::write(&images[0], &bytes).expect("damage the image");
    let second = env.run_cached("wasmi", &cache, &args);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(second.stderr.contains("rejected the cached Lua start image"), "{}", second.stderr);
    assert!(second.stderr.contains("corrupt"), "{}", second.stderr);
    assert_eq!(second.stderr.lines().last(), Some("{ 1, \"a\" }"));
    let third = env.run_cached("wasmi", &cache, &args);
    assert_eq!((third.code, third.stderr.trim()), (0, "{ 1, \"a\" }"), "the image was rewritten");
}
