//! The game loop, shared by the example's `main` and its test: a host with
//! `math.add`, `sys.print` and `sys.exit`, plugins from a folder, and
//! `init()` / `update(frame)` / `destroy()` with a report of what each
//! plugin did.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use rtdvi_embed::{CallOutcome, EngineKind, PluginManager, PluginStatus, Value};

/// What plugins send the host.
#[derive(Debug)]
pub enum Message {
    /// A plugin asked to end the game, with its reason.
    Exit { plugin: String, reason: String },
}

/// Frames run at most (a safety net; the counter plugin exits sooner).
pub const MAX_FRAMES: u64 = 20;

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "nil".into(),
        other => other.to_string(),
    }
}

/// Runs the game with the plugins in `dir` on `engine`, writing everything
/// to `out`. Returns the number of frames run.
pub fn run(dir: &Path, engine: EngineKind, out: &mut dyn Write) -> std::io::Result<u64> {
    let (tx, rx) = mpsc::channel::<Message>();
    let (print_tx, print_rx) = mpsc::channel::<String>();
    let manager = PluginManager::builder()
        .engine(engine)
        .memory_per_plugin(2 << 20)
        .deadline(Duration::from_millis(200))
        .function("math", "add", |_, (a, b): (f64, f64)| Ok::<_, String>(a + b))
        .function("sys", "print", move |_, args: Vec<Value>| {
            let line: String = args.iter().map(text).collect();
            print_tx.send(line).map_err(|e| e.to_string())
        })
        .function("sys", "exit", move |ctx, (reason,): (Option<String>,)| {
            let reason = reason.unwrap_or_else(|| "no reason given".into());
            tx.send(Message::Exit { plugin: ctx.plugin.to_owned(), reason }).map_err(|e| e.to_string())
        })
        .build();
    let mut manager = manager.map_err(std::io::Error::other)?;
    let flush = |out: &mut dyn Write| -> std::io::Result<()> {
        for line in print_rx.try_iter() {
            writeln!(out, "{line}")?;
        }
        Ok(())
    };

    writeln!(out, "engine: {engine}")?;
    for (name, result) in manager.load_dir(dir).map_err(std::io::Error::other)? {
        match result {
            Ok(()) => writeln!(out, "loaded {name}")?,
            Err(e) => writeln!(out, "could not load {name}: {e}")?,
        }
    }
    for r in manager.call_all("init", ()) {
        if let CallOutcome::Failed(e) = r.outcome {
            writeln!(out, "{}: init failed: {e}", r.plugin)?;
        }
    }
    flush(out)?;

    let mut errors: BTreeMap<String, (u64, String)> = BTreeMap::new();
    let mut frames = 0;
    'game: for frame in 1..=MAX_FRAMES {
        frames = frame;
        for r in manager.call_all("update", (frame,)) {
            match r.outcome {
                CallOutcome::Failed(e) if e.is_fatal() => {
                    writeln!(out, "frame {frame}: {} stopped: {e}", r.plugin)?;
                }
                CallOutcome::Failed(e) => {
                    let entry = errors.entry(r.plugin.clone()).or_insert((0, e.to_string()));
                    entry.0 += 1;
                    if entry.0 == 1 {
                        writeln!(out, "frame {frame}: {} failed in update(): {e}", r.plugin)?;
                    }
                }
                CallOutcome::Returned(Value::Bool(false)) => {
                    writeln!(out, "frame {frame}: {} returned false: ending the game", r.plugin)?;
                    break 'game;
                }
                CallOutcome::Returned(_) | CallOutcome::Missing => {}
            }
        }
        flush(out)?;
        if let Ok(Message::Exit { plugin, reason }) = rx.try_recv() {
            writeln!(out, "frame {frame}: {plugin} asked to exit ({reason})")?;
            break 'game;
        }
    }
    manager.call_all("destroy", ());
    flush(out)?;

    writeln!(out, "report after {frames} frames:")?;
    let names: Vec<String> = manager.names().map(str::to_owned).collect();
    for name in names {
        let status = match manager.status(&name) {
            Some(PluginStatus::Running) => match errors.get(&name) {
                Some((n, _)) => format!("running, {n} failed update() call(s)"),
                None => "running".into(),
            },
            Some(PluginStatus::Stopped(e)) => format!("stopped ({e})"),
            None => "unloaded".into(),
        };
        writeln!(out, "  {name}: {status}")?;
    }
    Ok(frames)
}
