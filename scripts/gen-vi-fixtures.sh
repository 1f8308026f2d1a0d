#!/usr/bin/env bash
# Regenerates the vi differential fixtures under crates/rtdvi-editor/tests/fixtures/vi/:
# scripts/vi_cases.py writes the case list (cases.json, our inputs), then every case of cases.json and
# random-cases.json (minimized failures found by scripts/vi-random.sh) runs in a fresh Neovim 0.11.4
# (installed on demand by scripts/nvim.sh) and Neovim's results are written per area (<area>.json).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
source "$repo/scripts/vi-env.sh"
fixtures="$repo/crates/rtdvi-editor/tests/fixtures/vi"
python3 "$repo/scripts/vi_cases.py"
inputs=("$fixtures/cases.json")
[ -f "$fixtures/random-cases.json" ] && inputs+=("$fixtures/random-cases.json")
find "$fixtures" -name '*.json' ! -name '*cases.json' -delete
"$VI_PYTHON" "$repo/scripts/vi_nvim.py" record "${inputs[@]}" --out "$fixtures"
