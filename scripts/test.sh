#!/usr/bin/env bash
# Runs every test of the project. Installs what the tests need first, so it
# works on a fresh machine (Debian + rustup) as well as in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== Lua guest is built from its sources"
bash scripts/check-lua-wasm.sh

echo "== example plugins (.wasm) are built from their sources"
bash scripts/check-plugins.sh

echo "== cargo test (workspace)"
cargo test --workspace --locked

# Both engines, always: the conformance suite's Lua scenarios again on wasmi (the key-only ones run
# in-process and do not touch an engine), with the same expected failures: a scenario that passes on
# one engine and fails on the other is a bug.
echo "== conformance suite on wasmi"
RTDVI_WASM_RUNTIME=wasmi cargo test -p rtdvi --locked --test conformance

if [ -z "${RTDVI_SKIP_NVIM:-}" ]; then
  echo "== vi fixtures still match Neovim (sample; RTDVI_SKIP_NVIM=1 skips)"
  bash scripts/check-vi-fixtures.sh
  echo "== conformance outcomes still match Neovim (RTDVI_SKIP_NVIM=1 skips)"
  bash scripts/conformance.sh --check
  echo "== textutil as a native Neovim module gives rtdvi's answers (RTDVI_SKIP_NVIM=1 skips)"
  bash scripts/test-nvim-module.sh
fi

if [ -n "${RTDVI_BENCH_QUICK:-}" ]; then
  # Keeps the benchmark suite working (not its numbers: CI machines are noisy). About 3 minutes plus
  # a release build; the report goes to target/bench/, BENCHMARKS.md is left alone.
  echo "== benchmark suite, quick mode (RTDVI_BENCH_QUICK=1; .ci/run turns it on)"
  bash scripts/bench.sh --quick --out target/bench/BENCHMARKS.quick.md
fi

echo "== all tests passed"
