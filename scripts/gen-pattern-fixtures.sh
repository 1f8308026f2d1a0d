#!/usr/bin/env bash
# Regenerates crates/rtdvi-core/tests/fixtures/patterns.json and searches.json from the
# case lists pattern-cases.lua and search-cases.lua next to them, by running every case
# in real Neovim 0.11.4 (installed on demand by scripts/nvim.sh).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
nvim="$(bash "$repo/scripts/nvim.sh")"
fixtures="$repo/crates/rtdvi-core/tests/fixtures"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
HOME="$home" XDG_CONFIG_HOME="$home" XDG_DATA_HOME="$home" XDG_STATE_HOME="$home" \
  LANG=C.UTF-8 TZ=UTC \
  RTDVI_PATTERN_CASES="$fixtures/pattern-cases.lua" \
  RTDVI_PATTERN_OUT="$fixtures/patterns.json" \
  RTDVI_SEARCH_CASES="$fixtures/search-cases.lua" \
  RTDVI_SEARCH_OUT="$fixtures/searches.json" \
  timeout 60 "$nvim" --headless -u NONE -i NONE -n --noplugin \
  -c "luafile $repo/scripts/pattern-fixtures.lua" -c 'qa!'
echo "wrote $fixtures/patterns.json ($(grep -c '"pattern"' "$fixtures/patterns.json") cases)"
echo "wrote $fixtures/searches.json ($(grep -c '"pattern"' "$fixtures/searches.json") cases)"
