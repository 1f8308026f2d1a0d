#!/usr/bin/env bash
# Fails when crates/rtdvi-lua/guest/lua.wasm is not what its sources build
# to: rebuilds into a temporary directory and compares the bytes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bash "$root/scripts/build-lua-wasm.sh" "$tmp/lua.wasm" >/dev/null
if ! cmp -s "$tmp/lua.wasm" "$root/crates/rtdvi-lua/guest/lua.wasm"; then
  echo "error: crates/rtdvi-lua/guest/lua.wasm is stale: run scripts/build-lua-wasm.sh and commit it" >&2
  exit 1
fi
echo "lua.wasm is up to date"
