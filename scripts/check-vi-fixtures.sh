#!/usr/bin/env bash
# CI staleness check for the vi fixtures: reruns a seeded random sample of the recorded cases in
# Neovim 0.11.4 and fails if any result differs from what the fixtures say (then rerun
# scripts/gen-vi-fixtures.sh). Also fails if cases.json no longer matches scripts/vi_cases.py.
#   scripts/check-vi-fixtures.sh [--sample N] [--seed S]   (defaults: 40, the day number, printed)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
sample=40
seed="$(( $(date -u +%s) / 86400 ))"
while [ $# -gt 0 ]; do
  case "$1" in
    --sample) sample="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) echo "usage: $0 [--sample N] [--seed S]" >&2; exit 2 ;;
  esac
done
source "$repo/scripts/vi-env.sh"
fixtures="$repo/crates/rtdvi-editor/tests/fixtures/vi"
tmp="$vi_home/cases.json"
RTDVI_VI_CASES_OUT="$tmp" python3 "$repo/scripts/vi_cases.py" >/dev/null
if ! cmp -s "$tmp" "$fixtures/cases.json"; then
  echo "check-vi-fixtures: cases.json is not what scripts/vi_cases.py writes; run scripts/gen-vi-fixtures.sh" >&2
  exit 1
fi
echo "check-vi-fixtures: sample $sample, seed $seed"
"$VI_PYTHON" "$repo/scripts/vi_nvim.py" check "$fixtures" --sample "$sample" --seed "$seed"
