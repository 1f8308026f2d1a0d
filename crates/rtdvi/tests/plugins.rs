//! WASM plugins through the real binary, headless, on both engines: config files, the search
//! path, the module cache, and plugins that fail.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The seed's hello plugin, plus a log of its config.
const HELLO: &str = r#"(module
  (import "rtdvi" "rtdvi_register_command" (func $reg (param i32 i32) (result i32)))
  (import "rtdvi" "rtdvi_set_status" (func $status (param i32 i32)))
  (import "rtdvi" "rtdvi_log" (func $log (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "greet")
  (data (i32.const 8) "Hello from WAT!")
  (func (export "alloc") (param i32) (result i32) (i32.const 128))
  (func (export "dealloc") (param i32 i32))
  (func (export "rtdvi_init") (param i32 i32) (result i32)
    (call $log (local.get 0) (local.get 1))
    (drop (call $reg (i32.const 0) (i32.const 5)))
    (i32.const 0))
  (func (export "run_command") (param i32 i32 i32 i32) (result i32)
    (call $status (i32.const 8) (i32.const 15))
    (i32.const 0)))"#;

/// `:Stamp` inserts "stamp: " at the start of the current buffer.
const STAMP: &str = r#"(module
  (import "rtdvi" "rtdvi_register_command" (func $reg (param i32 i32) (result i32)))
  (import "rtdvi" "rtdvi_insert_text" (func $insert (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "Stamp")
  (data (i32.const 8) "stamp: ")
  (func (export "alloc") (param i32) (result i32) (i32.const 256))
  (func (export "dealloc") (param i32 i32))
  (func (export "rtdvi_init") (param i32 i32) (result i32)
    (drop (call $reg (i32.const 0) (i32.const 5)))
    (i32.const 0))
  (func (export "run_command") (param i32 i32 i32 i32) (result i32)
    (drop (call $insert (i32.const 0) (i32.const 0) (i32.const 8) (i32.const 7)))
    (i32.const 0)))"#;

/// Never returns from `rtdvi_init`.
const SPIN: &str = r#"(module
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 256))
  (func (export "dealloc") (param i32 i32))
  (func (export "rtdvi_init") (param i32 i32) (result i32) (loop $l (br $l)) (i32.const 0)))"#;

struct Env {
    dir: tempfile::TempDir,
}

struct Run {
    code: i32,
    stderr: String,
}

impl Env {
    fn new() -> Env {
        let env = Env { dir: tempfile::tempdir().expect("tempdir") };
        fs::create_dir_all(env.path("plugins")).expect("plugin dir");
        env
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(&p, text).expect("write fixture");
        p
    }

    /// `rtdvi --headless -n ARGS` with the plugin dir `plugins/` and engine `runtime`.
    fn run(&self, runtime: &str, vars: &[(&str, &Path)], args: &[&str]) -> Run {
        let mut c = Command::new(env!("CARGO_BIN_EXE_rtdvi"));
        c.current_dir(self.dir.path())
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_STATE_HOME", self.path("state"))
            .env("XDG_DATA_HOME", self.path("data"))
            .env("XDG_CACHE_HOME", self.path("cache"))
            .env("RTDVI_PLUGIN_DIR", self.path("plugins"))
            .env("RTDVI_WASM_RUNTIME", runtime)
            .env_remove("RTDVI_CONFIG")
            .stdin(std::process::Stdio::null());
        for (k, v) in vars {
            c.env(k, v);
        }
        let out = c.arg("--headless").arg("-n").args(args).output().expect("run rtdvi");
        Run { code: out.status.code().unwrap_or(-1), stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
    }
}

const ENGINES: [&str; 2] = ["wasmtime", "wasmi"];

#[test]
fn hello_through_u_config_on_both_engines() {
    for rt in ENGINES {
        let env = Env::new();
        env.write("plugins/hello.wat", HELLO);
        env.write("c.toml", "plugins = [{ name = \"hello\", greeting = \"hi\", n = [1, 2] }]\n");
        let r = env.run(rt, &[], &["-u", "c.toml", "-c", "greet", "-c", "qa!"]);
        assert_eq!(r.code, 0, "{rt}: {}", r.stderr);
        let lines: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(lines, vec![r#"hello: {"greeting":"hi","n":[1,2]}"#, "Hello from WAT!"], "{rt}");
    }
}

#[test]
fn rtdvi_config_plugin_edits_are_saved_and_listed_with_their_origin() {
    for rt in ENGINES {
        let env = Env::new();
        env.write("plugins/stamp.wat", STAMP);
        let cfg = env.write("cfg/config.toml", "plugins = [\"stamp\"]\n");
        env.write("f.txt", "text\n");
        let r = env.run(rt, &[("RTDVI_CONFIG", &cfg)], &["f.txt", "-c", "Stamp", "-c", "plugin list", "-c", "wq"]);
        assert_eq!(r.code, 0, "{rt}: {}", r.stderr);
        assert_eq!(fs::read_to_string(env.path("f.txt")).ok().as_deref(), Some("stamp: text\n"), "{rt}");
        assert!(
            r.stderr
                .lines()
                .any(|l| l.starts_with("stamp") && l.contains(rt) && l.contains("[$RTDVI_PLUGIN_DIR] running")),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn per_plugin_runtime_applies_without_the_override() {
    let env = Env::new();
    env.write("plugins/hello.wat", HELLO);
    env.write("c.toml", "runtime = \"wasmtime\"\nplugins = [{ name = \"hello\", runtime = \"wasmi\" }]\n");
    let r = env.run("", &[], &["-u", "c.toml", "-c", "plugin list", "-c", "qa!"]);
    assert!(r.stderr.lines().any(|l| l.starts_with("hello") && l.contains("wasmi")), "{}", r.stderr);
}

#[test]
fn malformed_config_says_where_and_the_editor_starts_with_defaults() {
    let env = Env::new();
    env.write("config/rtdvi/config.toml", "plugins = [\n  \"a\",\n  = 3\n]\n");
    env.write("f.txt", "x\n");
    let r = env.run("wasmtime", &[], &["f.txt", "-c", "s/x/y/", "-c", "wq"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let path = env.path("config/rtdvi/config.toml");
    let first = r.stderr.lines().next().unwrap_or_default().to_string();
    assert!(first.starts_with(&format!("rtdvi: {}:3:3: ", path.display())), "{first}");
    assert_eq!(fs::read_to_string(env.path("f.txt")).ok().as_deref(), Some("y\n"));
}

#[test]
fn search_path_home_dirs_and_escaping_names() {
    let env = Env::new();
    env.write(".local/rtdvi/plugins/hello.wat", HELLO);
    env.write("data/rtdvi/plugins/stamp.wat", STAMP);
    env.write("c.toml", "plugins = [\"hello\", \"stamp\", \"../escape\", \"/etc/passwd\", \"missing\"]\n");
    let r = env.run("wasmi", &[], &["-u", "c.toml", "-c", "plugin list", "-c", "qa!"]);
    let s = &r.stderr;
    assert!(s.contains("[~/.local/rtdvi/plugins] running"), "{s}");
    assert!(s.contains("[$XDG_DATA_HOME/rtdvi/plugins] running"), "{s}");
    assert!(s.contains("plugin ../escape: invalid plugin name"), "{s}");
    assert!(s.contains("plugin /etc/passwd: invalid plugin name"), "{s}");
    assert!(s.contains("plugin missing: plugin missing not found"), "{s}");
}

#[test]
fn wasmtime_cache_is_private_and_corrupt_entries_are_rebuilt() {
    let env = Env::new();
    env.write("plugins/hello.wat", HELLO);
    env.write("c.toml", "plugins = [\"hello\"]\n");
    let args = ["-u", "c.toml", "-c", "greet", "-c", "qa!"];
    let first = env.run("wasmtime", &[], &args);
    assert!(first.stderr.contains("Hello from WAT!"), "{}", first.stderr);
    let dir = env.path("cache/rtdvi/wasm");
    let mode = fs::metadata(&dir).map(|m| m.permissions().mode() & 0o777).unwrap_or(0);
    assert_eq!(mode, 0o700);
    let entries: Vec<PathBuf> = fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    assert_eq!(entries.len(), 1, "{entries:?}");
    for e in &entries {
        fs::write(e, b"RTDVIWM1 not a module").expect("corrupt");
    }
    let again = env.run("wasmtime", &[], &args);
    assert_eq!(again.code, 0);
    assert!(again.stderr.contains("Hello from WAT!"), "{}", again.stderr);
    let rebuilt = entries.first().and_then(|e| fs::metadata(e).ok()).map_or(0, |m| m.len());
    assert!(rebuilt > 100, "entry not rebuilt");
}

#[test]
fn a_plugin_that_hangs_at_start_is_stopped_in_one_line() {
    for rt in ENGINES {
        let env = Env::new();
        env.write("plugins/spin.wat", SPIN);
        env.write("plugins/hello.wat", HELLO);
        env.write("c.toml", "plugins = [{ name = \"spin\", limits = { command_ms = 100 } }, \"hello\"]\n");
        env.write("f.txt", "x\n");
        let r = env.run(rt, &[], &["-u", "c.toml", "f.txt", "-c", "greet", "-c", "s/x/y/", "-c", "wq"]);
        assert_eq!(r.code, 0, "{rt}: {}", r.stderr);
        let lines: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(
            lines.first().copied(),
            Some("plugin spin stopped: plugin exceeded its time limit of 100 ms"),
            "{rt}"
        );
        assert!(lines.contains(&"Hello from WAT!"));
        assert_eq!(fs::read_to_string(env.path("f.txt")).ok().as_deref(), Some("y\n"));
    }
}
