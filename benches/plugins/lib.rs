//! Benchmarks of the WASM plugin host: see `benches/host.rs` and
//! `scripts/bench/plugins.py`; results in BENCHMARKS.md.
