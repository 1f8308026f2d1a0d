#!/usr/bin/env bash
# Regenerates crates/rtdvi-lua/tests/luastd/expected.txt: runs every case of
# cases.lua next to it in real Neovim 0.11.4 (installed on demand by
# scripts/nvim.sh) through harness.lua, which rtdvi's test runs too.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
nvim="$(bash "$repo/scripts/nvim.sh")"
dir="$repo/crates/rtdvi-lua/tests/luastd"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
HOME="$home" XDG_CONFIG_HOME="$home" XDG_DATA_HOME="$home" XDG_STATE_HOME="$home" \
  LANG=C.UTF-8 TZ=UTC \
  timeout 60 "$nvim" --headless -u NONE -i NONE -n --noplugin -l "$dir/run-nvim.lua" "$dir" \
  >"$dir/expected.txt"
echo "wrote $dir/expected.txt ($(wc -l <"$dir/expected.txt") cases)"
