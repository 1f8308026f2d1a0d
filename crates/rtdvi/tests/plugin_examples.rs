//! The example plugins of `examples/plugins/` (the committed `.wasm`/`.wat` files users copy)
//! through the real binary, headless, on both engines: status messages on stderr, edited files.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const ENGINES: [&str; 2] = ["wasmtime", "wasmi"];

/// The directory of example `dir`.
fn example(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/plugins").join(dir)
}

struct Run {
    code: i32,
    stderr: String,
}

/// `rtdvi --headless -n -u CONFIG ARGS` in a fresh directory, plugins found in example `dir`.
fn run(tmp: &Path, engine: &str, dir: &str, config: &str, args: &[&str]) -> Run {
    let cfg = tmp.join("config.toml");
    // These tests are about what the examples do, not their deadlines: a loaded CI machine must
    // not make a 50 ms event deadline fire (the limits have their own tests).
    let config = format!("{config}[limits]\nevent_ms = 5000\n");
    fs::write(&cfg, config).expect("write config");
    let out = Command::new(env!("CARGO_BIN_EXE_rtdvi"))
        .current_dir(tmp)
        .env("HOME", tmp)
        .env("XDG_CONFIG_HOME", tmp.join("config"))
        .env("XDG_STATE_HOME", tmp.join("state"))
        .env("XDG_DATA_HOME", tmp.join("data"))
        .env("XDG_CACHE_HOME", tmp.join("cache"))
        .env("RTDVI_PLUGIN_DIR", example(dir))
        .env("RTDVI_WASM_RUNTIME", engine)
        .env_remove("RTDVI_CONFIG")
        .stdin(std::process::Stdio::null())
        .arg("--headless")
        .arg("-n")
        .arg("-u")
        .arg(&cfg)
        .args(args)
        .output()
        .expect("run rtdvi");
    Run { code: out.status.code().unwrap_or(-1), stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}

#[test]
fn hello_wat_greets() {
    for engine in ENGINES {
        let tmp = tempfile::tempdir().expect("tempdir");
        let r = run(tmp.path(), engine, "hello-wat", "plugins = [\"hello\"]\n", &["-c", "greet", "-c", "qa!"]);
        assert_eq!((r.code, r.stderr.as_str()), (0, "Hello from WAT!\n"), "{engine}");
    }
}

#[test]
fn hello_rs_greets_with_its_config_and_arguments() {
    for engine in ENGINES {
        let tmp = tempfile::tempdir().expect("tempdir");
        let cfg = "plugins = [{name = \"hello_rs\", greeting = \"Hi\"}]\n";
        let r = run(tmp.path(), engine, "hello-rs", cfg, &["-c", "greet", "-c", "greet Ada Bob", "-c", "qa!"]);
        assert_eq!((r.code, r.stderr.as_str()), (0, "Hi from Rust!\nHi, Ada and Bob!\n"), "{engine}");
        // A bad option refuses the plugin with its reason; the editor goes on.
        let cfg = "plugins = [{name = \"hello_rs\", greeting = 3}]\n";
        let r = run(tmp.path(), engine, "hello-rs", cfg, &["-c", "qa!"]);
        assert_eq!(r.code, 0, "{engine}");
        assert!(r.stderr.contains("greeting must be a non-empty string"), "{engine}: {}", r.stderr);
    }
}

#[test]
fn wordcount_counts_the_current_buffer() {
    for engine in ENGINES {
        let tmp = tempfile::tempdir().expect("tempdir");
        fs::write(tmp.path().join("t.txt"), "hello  world\n\n\tÉté déjà là  \nx\n").expect("write");
        let args = ["t.txt", "-c", "wordcount", "-c", "qa!"];
        let r = run(tmp.path(), engine, "wordcount", "plugins = [\"wordcount\"]\n", &args);
        // `wc -w -l -m` on the same file: 6 words, 4 lines, 31 characters.
        assert_eq!(
            (r.code, r.stderr.lines().last()),
            (0, Some("6 words, 4 lines, 31 chars")),
            "{engine}: {}",
            r.stderr
        );
    }
}

#[test]
fn rules_c_reindents_and_indents_new_lines() {
    for engine in ENGINES {
        let tmp = tempfile::tempdir().expect("tempdir");
        let file = tmp.path().join("t.c");
        let flush =
            "int main(int argc,\nchar **argv) {\nswitch (argc) {\ncase 1:\nreturn 1;\n}\nreturn 0;\n}\n/* note\n";
        fs::write(&file, flush).expect("write");
        let args = [
            "t.c",
            "-c",
            "set sw=4 et",
            // One `=` over lines 2-8: each line is indented after the ones above it.
            "-c",
            "2norm 7==",
            // New lines: `O` above `return 0;`, continued over an unclosed `(`, then the body
            // of the unbraced `if`.
            "-c",
            "7norm Oif (argc > 2 &&",
            "-c",
            "7norm oargc < 9)",
            "-c",
            "8norm oputs(\"x\");",
            // The comment goes on with the provider's ` * ` leader.
            "-c",
            "$norm ocont",
            "-c",
            "wq",
        ];
        let r = run(tmp.path(), engine, "rules_c", "plugins = [\"rules_c\"]\n", &args);
        assert_eq!(r.code, 0, "{engine}: {}", r.stderr);
        let want = "int main(int argc,\n        char **argv) {\n    switch (argc) {\n        case 1:\n            return 1;\n    }\n    if (argc > 2 &&\n            argc < 9)\n        puts(\"x\");\n    return 0;\n}\n/* note\n * cont\n";
        assert_eq!(fs::read_to_string(&file).expect("read"), want, "{engine}: {}", r.stderr);
    }
}
