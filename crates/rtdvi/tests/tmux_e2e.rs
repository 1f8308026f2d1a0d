//! End-to-end tests of the terminal UI: the real binary runs inside tmux (`send-keys` types,
//! `capture-pane` reads the screen). Each test uses its own tmux server socket, so tests run in
//! parallel without seeing each other. `scripts/setup.sh` installs tmux.
//!
//! Waits poll the screen until a condition holds; the deadline only turns a hang into a failure
//! with the last screen printed, it measures nothing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
    _dir: tempfile::TempDir,
    dir: PathBuf,
}

const DEADLINE: Duration = Duration::from_secs(20);

impl Tmux {
    /// Starts rtdvi with `args` in a `cols`×`rows` tmux window; the shell around it prints the exit
    /// status when rtdvi ends and stays, so the screen after exit can be checked.
    fn start(name: &str, cols: u16, rows: u16, args: &str, files: &[(&str, &str)]) -> Tmux {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().to_path_buf();
        for (f, text) in files {
            std::fs::write(path.join(f), text).expect("write fixture");
        }
        let socket = format!("rtdvi-e2e-{name}-{}", std::process::id());
        let bin = env!("CARGO_BIN_EXE_rtdvi");
        let state = path.join("state");
        let cmd = format!(
            "cd {dir} && env -u TMUX COLORTERM=truecolor XDG_STATE_HOME={state} XDG_CONFIG_HOME={dir}/cfg {bin} {args}; \
             echo \"exited $?\"; sleep 600",
            dir = path.display(),
            state = state.display(),
        );
        let ok = Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null", "new-session", "-d", "-s", "t"])
            .args(["-x", &cols.to_string(), "-y", &rows.to_string(), &cmd])
            .status()
            .expect("tmux must be installed (scripts/setup.sh installs it)");
        assert!(ok.success(), "tmux new-session failed");
        let _ = Command::new("tmux").args(["-L", &socket, "set-option", "-g", "status", "off"]).status();
        Tmux { socket, dir: path, _dir: dir }
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().expect("run tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", "t", k]);
        }
    }

    /// Types literal text.
    fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "t", "-l", text]);
    }

    fn screen(&self) -> Vec<String> {
        self.tmux(&["capture-pane", "-p", "-t", "t"]).lines().map(str::to_string).collect()
    }

    fn wait_for(&self, what: &str, cond: impl Fn(&[String]) -> bool) -> Vec<String> {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if cond(&s) {
                return s;
            }
            if start.elapsed() > DEADLINE {
                panic!("waiting for {what}; screen:\n{}", s.join("\n"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_text(&self, text: &str) -> Vec<String> {
        self.wait_for(text, |s| s.iter().any(|l| l.contains(text)))
    }

    fn wait_file(&self, file: &str, want: &str) {
        let start = Instant::now();
        let path = self.dir.join(file);
        loop {
            if std::fs::read_to_string(&path).is_ok_and(|t| t == want) {
                return;
            }
            if start.elapsed() > DEADLINE {
                panic!(
                    "file {file} never became {want:?} (is {:?}); screen:\n{}",
                    std::fs::read_to_string(&path),
                    self.screen().join("\n")
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn alternate_on(&self) -> bool {
        self.tmux(&["display-message", "-p", "-t", "t", "#{alternate_on}"]).trim() == "1"
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
    }
}

fn swap_files(dir: &Path) -> Vec<PathBuf> {
    let swap = dir.join("state/rtdvi/swap");
    std::fs::read_dir(swap).map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect()).unwrap_or_default()
}

#[test]
fn open_edit_save_and_quit() {
    let t = Tmux::start("edit", 60, 12, "-n notes.txt", &[("notes.txt", "first line\nsecond line\n")]);
    let s = t.wait_text("notes.txt");
    assert_eq!(s[0], "first line");
    assert!(t.alternate_on());
    t.keys(&["G", "o"]);
    t.wait_text("-- INSERT --");
    t.type_text("third line");
    t.keys(&["Escape"]);
    t.wait_for("normal mode", |s| s.iter().any(|l| l.contains("NORMAL") && l.contains("[+]")));
    t.type_text(":w");
    t.keys(&["Enter"]);
    t.wait_file("notes.txt", "first line\nsecond line\nthird line\n");
    t.wait_for("modified flag cleared", |s| s.iter().any(|l| l.contains("notes.txt") && !l.contains("[+]")));
    t.type_text(":q");
    t.keys(&["Enter"]);
    t.wait_text("exited 0");
    assert!(!t.alternate_on(), "the terminal left the alternate screen");
}

#[test]
fn quit_refuses_unsaved_changes() {
    let t = Tmux::start("refuse", 60, 10, "-n a.txt", &[("a.txt", "x\n")]);
    t.wait_text("a.txt");
    t.type_text("x");
    t.type_text(":q");
    t.keys(&["Enter"]);
    t.wait_text("E37: No write since last change (add ! to override)");
    t.type_text(":q!");
    t.keys(&["Enter"]);
    t.wait_text("exited 0");
    assert_eq!(std::fs::read_to_string(t.dir.join("a.txt")).unwrap(), "x\n");
}

#[test]
fn split_search_and_resize() {
    let text: String =
        (1..=40).map(|i| if i == 30 { "the needle\n".to_string() } else { format!("line {i}\n") }).collect();
    let t = Tmux::start("split", 80, 20, "-n hay.txt", &[("hay.txt", &text)]);
    t.wait_text("hay.txt");
    t.type_text(":vsplit");
    t.keys(&["Enter"]);
    let s = t.wait_for("two windows", |s| s.first().is_some_and(|l| l.contains('│')));
    // Both windows show the file; each has a status line naming it.
    assert_eq!(s[0].matches("line 1").count(), 2, "{s:?}");
    t.type_text("/needle");
    t.keys(&["Enter"]);
    let s = t.wait_text("30,5");
    // The left (current) window scrolled to the match; the right one did not.
    let row = s.iter().find(|l| l.contains("the needle")).expect("match on screen");
    assert!(row.starts_with("the needle"), "{row}");
    assert!(!row.contains("│the needle"));
    // Resize the terminal: the layout follows.
    t.tmux(&["resize-window", "-t", "t", "-x", "50", "-y", "12"]);
    let s = t.wait_for("redraw at 50x12", |s| {
        s.len() >= 11 && s[10].contains("hay.txt") && s.iter().all(|l| l.chars().count() <= 50)
    });
    assert!(s[0].contains('│'));
    t.type_text(":only");
    t.keys(&["Enter"]);
    t.wait_for("one window", |s| !s[0].contains('│'));
    t.type_text(":q");
    t.keys(&["Enter"]);
    t.wait_text("exited 0");
}

/// Starts rtdvi on `draft.txt`, types an unsaved line and waits until it is journaled; returns the
/// session and rtdvi's pid.
fn unsaved_change_journaled(name: &str) -> (Tmux, String) {
    let t = Tmux::start(name, 60, 10, "draft.txt", &[("draft.txt", "keep me\n")]);
    t.wait_text("draft.txt");
    t.keys(&["O"]);
    t.type_text("unsaved work");
    t.keys(&["Escape"]);
    t.wait_for("modified", |s| s.iter().any(|l| l.contains("[+]")));
    let shell = t.tmux(&["display-message", "-p", "-t", "t", "#{pane_pid}"]);
    let out = Command::new("ps").args(["-o", "pid=", "--ppid", shell.trim()]).output().expect("ps");
    let pid = String::from_utf8_lossy(&out.stdout).split_whitespace().next().expect("rtdvi pid").to_string();
    let start = Instant::now();
    while swap_files(&t.dir).is_empty() && start.elapsed() < DEADLINE {
        std::thread::sleep(Duration::from_millis(50));
    }
    (t, pid)
}

#[test]
fn sigterm_keeps_the_swap_file_and_restores_the_terminal() {
    let (t, pid) = unsaved_change_journaled("term");
    assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("kill").success());
    t.wait_text("exited 1");
    assert!(!t.alternate_on(), "the terminal left the alternate screen");
    let swaps = swap_files(&t.dir);
    assert_eq!(swaps.len(), 1, "the swap file survives SIGTERM");
    // The file on disk is untouched and the journal recovers the change.
    assert_eq!(std::fs::read_to_string(t.dir.join("draft.txt")).unwrap(), "keep me\n");
    let out = Command::new(env!("CARGO_BIN_EXE_rtdvi"))
        .current_dir(&t.dir)
        .env("XDG_STATE_HOME", t.dir.join("state"))
        .args(["--headless", "-u", "NONE", "-r", "draft.txt", "-c", "w! recovered.txt", "-c", "qa!"])
        .output()
        .expect("run recovery");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(t.dir.join("recovered.txt")).unwrap(), "unsaved work\nkeep me\n");
}

#[test]
fn a_closed_terminal_ends_the_editor_and_keeps_the_swap_file() {
    let (t, pid) = unsaved_change_journaled("hup");
    // Killing the tmux server closes the terminal under the editor (a hang-up).
    let _ = Command::new("tmux").args(["-L", &t.socket, "kill-server"]).status();
    let start = Instant::now();
    let alive = || Command::new("kill").args(["-0", &pid]).status().map(|s| s.success()).unwrap_or(false);
    while alive() && start.elapsed() < DEADLINE {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!alive(), "rtdvi must not outlive its terminal");
    assert_eq!(swap_files(&t.dir).len(), 1, "the swap file survives the hang-up");
}

#[test]
fn tabs_and_window_commands_draw_a_tab_line() {
    let t = Tmux::start("tabs", 60, 10, "-n one.txt", &[("one.txt", "1\n")]);
    t.wait_text("one.txt");
    t.type_text(":tabnew");
    t.keys(&["Enter"]);
    let s = t.wait_for("tab line", |s| s[0].contains("one.txt") && s[0].contains("[No Name]"));
    assert!(s[1].is_empty() || s[1].trim().is_empty());
    t.type_text("gt");
    t.wait_for("first tab", |s| s.get(1).is_some_and(|l| l.starts_with('1')));
    t.type_text(":tabonly");
    t.keys(&["Enter"]);
    t.wait_for("no tab line", |s| s[0].starts_with('1'));
    t.type_text(":qa!");
    t.keys(&["Enter"]);
    t.wait_text("exited 0");
}
