//! Runs `examples/game-loop` on both engines and checks its report.

#[path = "../examples/game-loop/game.rs"]
mod game;

use std::path::Path;

use rtdvi_embed::EngineKind;

fn run(engine: EngineKind) -> (u64, String) {
    let worker = std::thread::Builder::new()
        .stack_size(rtdvi_lua::RECOMMENDED_STACK_BYTES)
        .spawn(move || {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/game-loop/plugins");
            let mut out = Vec::new();
            let frames = game::run(&dir, engine, &mut out).expect("the game runs");
            (frames, String::from_utf8(out).expect("UTF-8 output"))
        })
        .expect("spawn");
    worker.join().expect("the game thread does not panic")
}

fn check(engine: EngineKind) {
    let (frames, out) = run(engine);
    assert_eq!(frames, 5, "{out}");
    let expected_in_order = [
        "loaded broken",
        "loaded counter",
        "loaded spinner",
        "[counter] hello! 3.4 + 6.6 = 10.0",
        "[counter] frame 1, counted 1",
        "frame 2: spinner stopped: plugin exceeded its time limit",
        "frame 3: broken failed in update(): ",
        "broken/main.lua:6: attempt to index a nil value (field 'missing')",
        "[counter] frame 5, counted 5",
        "frame 5: counter asked to exit (counter saw 5 frames)",
        "[broken] still here for destroy()",
        "[counter] bye after 5 frames",
        "report after 5 frames:",
        "  broken: running, 3 failed update() call(s)",
        "  counter: running",
        "  spinner: stopped (plugin exceeded its time limit)",
    ];
    let mut rest = out.as_str();
    for piece in expected_in_order {
        let at = rest.find(piece).unwrap_or_else(|| panic!("missing {piece:?} (in order) in:\n{out}"));
        rest = &rest[at + piece.len()..];
    }
    assert!(!out.contains("never printed"), "{out}");
    assert_eq!(out.matches("failed in update()").count(), 1, "first failure only:\n{out}");
}

#[test]
fn game_loop_on_wasmtime() {
    check(EngineKind::Wasmtime);
}

#[test]
fn game_loop_on_wasmi() {
    check(EngineKind::Wasmi);
}
