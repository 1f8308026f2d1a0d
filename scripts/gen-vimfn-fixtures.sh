#!/usr/bin/env bash
# Regenerates crates/rtdvi-editor/tests/fixtures/vimfn.jsonl from the case list vimfn-cases.txt next
# to it, by evaluating every case in real Neovim 0.11.4 (installed on demand by scripts/nvim.sh).
# The Rust test crates/rtdvi-editor/tests/vimfn_fixtures.rs replays the same list in rtdvi and
# compares, without needing Neovim.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
nvim="$(bash "$repo/scripts/nvim.sh")"
fixtures="$repo/crates/rtdvi-editor/tests/fixtures"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
# A fixed working directory, so that cases about paths give the same answers in both editors.
mkdir -p "$home/work/sub"
printf 'hello\n' >"$home/work/file.txt"
cd "$home/work"
HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_STATE_HOME="$home/state" \
  XDG_CACHE_HOME="$home/cache" LANG=C.UTF-8 TZ=UTC \
  RTDVI_VIMFN_CASES="$fixtures/vimfn-cases.txt" \
  RTDVI_VIMFN_OUT="$fixtures/vimfn.jsonl" \
  timeout 60 "$nvim" --headless -u NONE -i NONE -n --noplugin \
  -c 'set notimeout nottimeout noswapfile noshowmode' \
  -c "luafile $repo/scripts/vimfn-fixtures.lua" -c 'qa!'
echo "wrote $fixtures/vimfn.jsonl ($(grep -c '"expr"' "$fixtures/vimfn.jsonl") cases)"
