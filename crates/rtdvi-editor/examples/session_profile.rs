//! Profiles a scriptin session key by key: which keys of a `-s` script cost the most on a file.
//!
//! `cargo run --release -p rtdvi-editor --example session_profile -- FILE KEYS [TOP]` opens FILE as
//! `rtdvi -u NONE -n FILE -s KEYS` would, types KEYS one character at a time as that does
//! (`Editor::handle_key` between `start_script` and `end_script`), and prints the total, the cost by key character and the TOP slowest
//! keys with the keys typed before them. It finds commands whose cost grows with the buffer size,
//! which the whole-process benchmark (scripts/bench) only shows as one number.
//!
//! With `SESSION_STOP=N` in the environment it stops after N keys and prints where the cursor is,
//! its line and the last search pattern (to compare with Neovim when the two editors part).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use rtdvi_editor::keys::key_from_char;
use rtdvi_editor::Editor;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(file), Some(keys)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: session_profile FILE KEYS [TOP]");
        std::process::exit(2);
    };
    let top: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(30);
    let keys = match std::fs::read(keys) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            eprintln!("session_profile: {keys}: {e}");
            std::process::exit(2);
        }
    };
    let mut ed = Editor::new();
    ed.headless = true;
    let t = Instant::now();
    if let Err(e) = ed.open_startup_file(Path::new(file), true) {
        eprintln!("session_profile: {file}: {e}");
        std::process::exit(2);
    }
    ed.finish_command();
    println!("open: {:?}", t.elapsed());
    let mut chars: Vec<char> = keys.chars().collect();
    let stop: Option<usize> = std::env::var("SESSION_STOP").ok().and_then(|s| s.parse().ok());
    if let Some(n) = stop {
        chars.truncate(n);
    }
    let mut costs: Vec<(Duration, usize)> = Vec::with_capacity(chars.len());
    let mut by_char: BTreeMap<char, (Duration, usize)> = BTreeMap::new();
    let total = Instant::now();
    ed.start_script();
    for (i, &c) in chars.iter().enumerate() {
        let t = Instant::now();
        ed.handle_key(key_from_char(c));
        let d = t.elapsed();
        costs.push((d, i));
        let e = by_char.entry(c).or_default();
        e.0 += d;
        e.1 += 1;
        if ed.exit_code.is_some() {
            break;
        }
    }
    ed.end_script();
    let total = total.elapsed();
    if stop.is_some() {
        let c = ed.cursor();
        let line = ed.buf().text.line(c.row.min(ed.buf().text.len_lines().saturating_sub(1)));
        println!("cursor {c:?}\nline {:?}\nlast pattern {:?}", line.to_string(), ed.search.last_pattern);
    }
    println!(
        "{} keys: {:?} ({:.1} µs per key)",
        costs.len(),
        total,
        total.as_secs_f64() * 1e6 / costs.len().max(1) as f64
    );
    let mut chars_by_cost: Vec<_> = by_char.into_iter().collect();
    chars_by_cost.sort_by_key(|b| std::cmp::Reverse(b.1 .0));
    println!("\nby key (total, count):");
    for (c, (d, n)) in chars_by_cost.iter().take(15) {
        println!("  {:>8} {:>10.1?} {n}", format!("{c:?}"), d);
    }
    costs.sort_by_key(|b| std::cmp::Reverse(b.0));
    println!("\nslowest keys (cost, index, keys before it):");
    for (d, i) in costs.iter().take(top) {
        let from = i.saturating_sub(25);
        let before: String = chars.get(from..=*i).map(|s| s.iter().collect()).unwrap_or_default();
        println!("  {:>10.1?} {i:>6} {before:?}", d);
    }
}
