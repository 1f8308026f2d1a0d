//! Start images: a restored state is the built one, stale and corrupt
//! files are noticed, on both engines.

use std::path::{Path, PathBuf};

use super::*;
use crate::runtime::{prepare_at, LuaRuntime};
use crate::tests::{both_engines, on_big_stack};
use crate::{LuaError, LuaValue};

/// A directory of its own under the system's temporary directory.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("rtdvi-image-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A build that leaves globals, closures with upvalues, a metatable, a
/// coroutine and a sizeable heap behind.
const BUILD: &str = r#"
counter = 0
function bump(n) counter = counter + (n or 1); return counter end
local secret = { hidden = 'upvalue' }
function reveal() return secret.hidden end
big = {}
for i = 1, 20000 do big[i] = ('item %d'):format(i) end
setmetatable(_G, { __index = function(_, k) return 'missing ' .. k end })
co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i * 10) end end)
"#;

/// Reads back what [`BUILD`] made, and checks the state keeps working.
const PROBE: &str = r#"
local first = co()
return bump(2), bump(), reveal(), #big, big[12345], undefined_name, first, co(),
  string.format('%5.2f', math.pi), select('#', pcall(error, 'x')), math.random(1, 9) ~= nil
"#;

fn build_with(code: &'static str) -> impl FnMut(&mut LuaRuntime) -> Result<(), LuaError> {
    move |rt: &mut LuaRuntime| rt.exec("=build", code).map(drop)
}

/// Starts a state for `recipe` from `dir` as a new process would, runs
/// [`PROBE`] and says where the state came from.
fn start(engine: EngineKind, recipe: &Recipe<'_>, dir: &Path, code: &'static str) -> (Vec<LuaValue>, ImageSource) {
    let limits = Limits::default();
    let (backend, source) =
        prepare_at(engine, &limits, recipe, &mut build_with(code), Some(dir), false).expect("state starts");
    let mut rt = LuaRuntime::from_backend(engine, limits, backend);
    (rt.exec("=probe", PROBE).expect("probe runs"), source)
}

fn images_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "img"))
        .collect();
    files.sort();
    files
}

both_engines! {
    restored_state_is_the_built_state => |engine: EngineKind| {
        let dir = TempDir::new("same");
        let recipe = Recipe { name: "same", inputs: &[b"same"] };
        let (built, source) = start(engine, &recipe, &dir.0, BUILD);
        assert_eq!(source, ImageSource::Built);
        assert_eq!(images_in(&dir.0).len(), 1, "the image was written");
        let (restored, source) = start(engine, &recipe, &dir.0, BUILD);
        assert_eq!(source, ImageSource::Disk);
        assert_eq!(restored, built);
        assert_eq!(built.get(3), Some(&LuaValue::Integer(20000)));
        assert_eq!(built.get(4), Some(&LuaValue::string("item 12345")));
        assert_eq!(built.get(5), Some(&LuaValue::string("missing undefined_name")));
    };

    process_image_is_reused_and_restart_uses_it => |engine: EngineKind| {
        let dir = TempDir::new("mem");
        let inputs: &[&[u8]] = &[b"mem", engine.name().as_bytes()];
        let recipe = Recipe { name: "mem", inputs };
        let limits = Limits::default();
        let (_, first) = prepare_at(engine, &limits, &recipe, &mut build_with(BUILD), Some(&dir.0), true).unwrap();
        let (backend, second) =
            prepare_at(engine, &limits, &recipe, &mut build_with(BUILD), Some(&dir.0), true).unwrap();
        assert_eq!((first, second), (ImageSource::Built, ImageSource::Memory));
        let mut rt = LuaRuntime::from_backend(engine, limits, backend);
        assert_eq!(rt.exec("=t", "return bump(5)").unwrap(), vec![LuaValue::Integer(5)]);
    };

    changed_inputs_make_a_new_image_and_drop_the_stale_one => |engine: EngineKind| {
        let dir = TempDir::new("stale");
        let (_, source) = start(engine, &Recipe { name: "stale", inputs: &[b"v1"] }, &dir.0, BUILD);
        assert_eq!(source, ImageSource::Built);
        let old = images_in(&dir.0);
        let (_, source) = start(engine, &Recipe { name: "stale", inputs: &[b"v2"] }, &dir.0, BUILD);
        assert_eq!(source, ImageSource::Built, "a changed input is not restored from the old image");
        let new = images_in(&dir.0);
        assert_eq!(new.len(), 1, "the stale image was removed: {new:?}");
        assert_ne!(old, new);
        let (_, source) = start(engine, &Recipe { name: "stale", inputs: &[b"v2"] }, &dir.0, BUILD);
        assert_eq!(source, ImageSource::Disk);
    };

    corrupt_image_is_rejected_and_rebuilt => |engine: EngineKind| {
        let dir = TempDir::new("corrupt");
        let recipe = Recipe { name: "corrupt", inputs: &[b"corrupt"] };
        let (built, _) = start(engine, &recipe, &dir.0, BUILD);
        let file = images_in(&dir.0).pop().expect("image written");
        let mut bytes = std::fs::read(&file).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x55;
        std::fs::write(&file, &bytes).unwrap();
        let (after, source) = start(engine, &recipe, &dir.0, BUILD);
        let ImageSource::Rejected(message) = source else { panic!("not rejected: {source:?}") };
        assert!(message.contains("corrupt"), "{message}");
        assert!(message.contains(&file.display().to_string()), "{message}");
        assert_eq!(after, built, "the state still starts, built the long way");
        let (_, source) = start(engine, &recipe, &dir.0, BUILD);
        assert_eq!(source, ImageSource::Disk, "the file was rewritten");
    };

    truncated_image_is_rejected => |engine: EngineKind| {
        let dir = TempDir::new("short");
        let recipe = Recipe { name: "short", inputs: &[b"short"] };
        start(engine, &recipe, &dir.0, BUILD);
        let file = images_in(&dir.0).pop().expect("image written");
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() / 3]).unwrap();
        let (_, source) = start(engine, &recipe, &dir.0, BUILD);
        assert!(matches!(source, ImageSource::Rejected(_)), "{source:?}");
    };

    build_with_output_is_not_captured => |engine: EngineKind| {
        let dir = TempDir::new("output");
        let recipe = Recipe { name: "output", inputs: &[b"output"] };
        let (_, source) = start(engine, &recipe, &dir.0, "print('hello') counter = 0 function bump() end \
            function reveal() end big = {} co = function() end");
        assert_eq!(source, ImageSource::Built);
        assert!(images_in(&dir.0).is_empty(), "a state with output is not captured");
    };
}

fn sample() -> Image {
    Image {
        key: [7; 32],
        size: 2 * WASM_PAGE,
        stack_pointer: 1234,
        runs: vec![(4096, vec![1; 8192]), (65536, vec![2; 4096])],
    }
}

#[test]
fn encoding_round_trips() {
    let image = sample();
    assert_eq!(decode(&encode(&image), &[7; 32]), Ok(image));
}

#[test]
fn image_of_other_inputs_is_refused() {
    let err = decode(&encode(&sample()), &[8; 32]).unwrap_err();
    assert!(err.contains("other inputs"), "{err}");
}

#[test]
fn foreign_files_are_refused() {
    assert!(decode(b"", &[7; 32]).is_err());
    assert!(decode(b"\0asm\x01\0\0\0", &[7; 32]).is_err());
    let mut bytes = encode(&sample());
    bytes.push(0);
    assert!(decode(&bytes, &[7; 32]).unwrap_err().contains("checksum"));
}

#[test]
fn runs_outside_the_memory_are_refused() {
    let mut image = sample();
    image.runs.push((2 * WASM_PAGE as u32 - 4096, vec![3; 8192]));
    let err = decode(&encode(&image), &[7; 32]).unwrap_err();
    assert!(err.contains("outside"), "{err}");
}

#[test]
fn each_engine_keeps_its_own_image() {
    on_big_stack(|| {
        let dir = TempDir::new("engines");
        let recipe = Recipe { name: "engines", inputs: &[b"engines"] };
        start(EngineKind::Wasmtime, &recipe, &dir.0, BUILD);
        start(EngineKind::Wasmi, &recipe, &dir.0, BUILD);
        assert_eq!(images_in(&dir.0).len(), 2);
        assert_eq!(start(EngineKind::Wasmtime, &recipe, &dir.0, BUILD).1, ImageSource::Disk);
        assert_eq!(start(EngineKind::Wasmi, &recipe, &dir.0, BUILD).1, ImageSource::Disk);
    });
}
