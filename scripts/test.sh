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

echo "== cargo test (workspace)"
cargo test --workspace --locked

if [ -z "${RTDVI_SKIP_NVIM:-}" ]; then
  echo "== vi fixtures still match Neovim (sample; RTDVI_SKIP_NVIM=1 skips)"
  bash scripts/check-vi-fixtures.sh
  echo "== conformance outcomes still match Neovim (RTDVI_SKIP_NVIM=1 skips)"
  bash scripts/conformance.sh --check
fi

echo "== all tests passed"
