//! The seed scenario end to end: a game loop whose plugins count frames,
//! fail, or hang, and a host that keeps going and reports.
//!
//! `cargo run -p rtdvi-embed --example game-loop [wasmtime|wasmi]`

mod game;

use std::path::Path;

fn main() -> std::io::Result<()> {
    let engine = match std::env::args().nth(1) {
        Some(name) => name.parse().map_err(std::io::Error::other)?,
        None => rtdvi_embed::EngineKind::Wasmtime,
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/game-loop/plugins");
    // Lua's protected calls re-enter the sandbox on the native stack.
    let worker = std::thread::Builder::new().stack_size(rtdvi_lua::RECOMMENDED_STACK_BYTES).spawn(move || {
        let stdout = std::io::stdout();
        game::run(&dir, engine, &mut stdout.lock()).map(|_| ())
    })?;
    worker.join().map_err(|_| std::io::Error::other("the game thread panicked"))?
}
