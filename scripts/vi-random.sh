#!/usr/bin/env bash
# Randomized differential run of rtdvi's vi engine against Neovim 0.11.4:
#   scripts/vi-random.sh --seed N --count M [--minimize K] [--save] [--show K]
# Builds the vi_replay example, generates M key sequences from the feature grammar in
# scripts/vi_random.py (seeded by N), runs each in a fresh Neovim and in rtdvi, and prints the
# agreement rate. --save adds minimized differences to the fixtures (random-cases.json, random.json,
# expected-failures.txt).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cargo build --quiet --manifest-path "$repo/Cargo.toml" -p rtdvi-editor --example vi_replay
target="${CARGO_TARGET_DIR:-$repo/target}"
source "$repo/scripts/vi-env.sh"
"$VI_PYTHON" "$repo/scripts/vi_random.py" --replay "$target/debug/examples/vi_replay" "$@"
