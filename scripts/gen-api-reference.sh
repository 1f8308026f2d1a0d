#!/bin/sh
# Regenerates tests/nvim-reference/api_*.out from real Neovim 0.11.4: each api_*.lua prints one
# "name => result" line per probe. The API table's unit tests quote these results.
# Usage: NVIM=/path/to/nvim scripts/gen-api-reference.sh
set -eu
NVIM=${NVIM:-$("$(dirname "$0")/nvim.sh")}
cd "$(dirname "$0")/../tests/nvim-reference"
for f in api_*.lua; do
    timeout 20 "$NVIM" --headless -u NONE -i NONE -n --noplugin -c "luafile $f" -c 'qa!' >"${f%.lua}.out" 2>/dev/null
done
