#!/usr/bin/env bash
# Builds the example plugins written in Rust (examples/plugins/*/Cargo.toml)
# and the example Lua modules (examples/lua-modules/*/Cargo.toml) to
# wasm32-unknown-unknown and copies each NAME.wasm next to its sources.
# hello-wat needs no build: rtdvi loads .wat text directly.
#
# The output is reproducible: the `plugin` profile (root Cargo.toml) strips
# debug info and symbols, and paths that would differ between machines
# (checkout, cargo registry, rustc sysroot) are remapped, so the same sources
# and the same rustc give the same bytes. scripts/check-plugins.sh relies on
# that. The rustc that built the committed files is in
# examples/plugins/BUILT_WITH.
#
# Usage: scripts/build-plugins.sh [OUTPUT_DIR]   (default: next to the sources)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out_dir="${1:-}"

rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

cargo_home="${CARGO_HOME:-$HOME/.cargo}"
sysroot="$(rustc --print sysroot)"
export RUSTFLAGS="--remap-path-prefix=$root=/rtdvi --remap-path-prefix=$cargo_home=/cargo --remap-path-prefix=$sysroot=/rustc"
# Only the flags above: no user or CI flags sneak in.
unset CARGO_ENCODED_RUSTFLAGS CARGO_BUILD_RUSTFLAGS

plugins=()
for manifest in examples/plugins/*/Cargo.toml examples/lua-modules/*/Cargo.toml; do
  plugins+=("$(dirname "$manifest")")
done
args=()
for p in "${plugins[@]}"; do args+=(-p "$(basename "$p")"); done
cargo build --locked --quiet --target wasm32-unknown-unknown --profile plugin "${args[@]}"

for p in "${plugins[@]}"; do
  lib="$(sed -n 's/^name = "\(.*\)"$/\1/p' "$p/Cargo.toml" | sed -n 2p)"
  src="target/wasm32-unknown-unknown/plugin/$lib.wasm"
  dest="${out_dir:-$p}/$lib.wasm"
  mkdir -p "$(dirname "$dest")"
  cp "$src" "$dest"
  if grep -q -a -e "$root" -e "$cargo_home" -e "$HOME" "$dest"; then
    echo "error: $dest contains a local path" >&2
    exit 1
  fi
  echo "built $dest ($(stat -c %s "$dest") bytes)"
done
if [ -z "$out_dir" ]; then
  rustc -V > examples/plugins/BUILT_WITH
fi
