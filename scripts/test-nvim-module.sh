#!/usr/bin/env bash
# Item 5 of issue 9: the textutil example crate (examples/lua-modules/textutil)
# built natively with rtdvi-pdk's `nvim` feature is a Neovim Lua module. Builds
# it as a cdylib, loads it in Neovim 0.11.4 through `package.cpath` and
# `require`, runs check.lua and compares with check.expected — the same file
# rtdvi's run of the same script (textutil.wasm) is compared with in
# crates/rtdvi/tests/lua.rs, so both editors give the same answers.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
nvim="$(bash scripts/nvim.sh)"
cargo build --locked --quiet -p textutil --features nvim
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp target/debug/libtextutil.so "$tmp/textutil.so"
dir="examples/lua-modules/textutil"
# Headless Neovim prints to stderr, with CRLF line ends.
timeout 30 "$nvim" --headless -u NONE -i NONE -n --noplugin \
  --cmd "lua package.cpath = '$tmp/?.so;' .. package.cpath" \
  -l "$dir/check.lua" 2>&1 | tr -d '\r' > "$tmp/out.txt"
if ! diff -u "$dir/check.expected" "$tmp/out.txt"; then
  echo "error: textutil in Neovim differs from $dir/check.expected" >&2
  exit 1
fi
echo "textutil as a Neovim module: $(wc -l < "$tmp/out.txt") checks match"
