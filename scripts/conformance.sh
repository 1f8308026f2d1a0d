#!/usr/bin/env bash
# The Neovim conformance suite (doc/conformance.md): runs every scenario of tests/conformance/ in rtdvi
# and in Neovim 0.11.4, prints a per-area table and a unified diff for each failure, and rewrites the
# conformance table in README.md.
#
#   scripts/conformance.sh            compare rtdvi with a live Neovim (installed into a venv if missing)
#   scripts/conformance.sh --record   also rewrite the recorded outcomes (tests/conformance/expected/)
#   scripts/conformance.sh --recorded compare with the recorded outcomes only (no Neovim; as cargo test)
#   scripts/conformance.sh --check    fail when a recorded outcome is no longer what Neovim does (CI)
#   scripts/conformance.sh --bless    also rewrite tests/conformance/expected-failures.txt
#   scripts/conformance.sh --lua      run key-only scenarios through the Lua driver in rtdvi too
#   scripts/conformance.sh --filter TEXT   only scenarios whose name contains TEXT
#
# RTDVI_SKIP_NVIM=1 means --recorded.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

mode=live
export RTDVI_CONFORMANCE_README=1 RTDVI_CONFORMANCE_VERBOSE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --record) mode=record ;;
    --recorded) mode=recorded ;;
    --check) mode=check; unset RTDVI_CONFORMANCE_README ;;
    --bless) export RTDVI_CONFORMANCE_BLESS=1 ;;
    --lua) export RTDVI_CONFORMANCE_DRIVER=lua ;;
    --filter) shift; export RTDVI_CONFORMANCE_FILTER="$1" ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "conformance.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

if [ "${RTDVI_SKIP_NVIM:-0}" != "0" ] && [ -n "${RTDVI_SKIP_NVIM:-}" ]; then
  mode=recorded
fi
case "$mode" in
  record) export RTDVI_CONFORMANCE_RECORD=1 ;;
  live) export RTDVI_CONFORMANCE_LIVE=1 ;;
  check) export RTDVI_CONFORMANCE_CHECK=1 RTDVI_CONFORMANCE_VERBOSE=0 ;;
esac
if [ "$mode" != recorded ]; then
  RTDVI_NVIM="$("$repo/scripts/nvim.sh")"
  export RTDVI_NVIM
fi
# The test prints the table and the diffs on stderr; the exit code says whether the expected-failures
# list is still true.
exec cargo test -p rtdvi --test conformance -- --nocapture
