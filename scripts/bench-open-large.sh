#!/usr/bin/env bash
# Opens a 100 MB, ~1M-line file, goes to its last line and quits: rtdvi vs Neovim 0.11.4, side by side
# in one run, with peak RSS. Prints a Markdown table (used in BENCHMARKS.md).
#   scripts/bench-open-large.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-7}"
nvim="$(bash scripts/nvim.sh)"
cargo build --release -q -p rtdvi
work="${RTDVI_BENCH_DIR:-target/bench-inputs}"
mkdir -p "$work"
big="$work/100mb.txt"
if [ ! -s "$big" ]; then
  python3 - "$big" <<'PY'
import sys
line = "The quick brown fox jumps over the lazy dog; foo bar baz 0123456789 lorem ipsum dolor sit amet\n"
n = 100 * 1024 * 1024 // len(line)
with open(sys.argv[1], "w") as f:
    for i in range(n):
        f.write(f"{i:08d} {line}")
PY
fi
size_mib=$(du -m "$big" | cut -f1)
python3 - "$big" "$nvim" "$runs" "$size_mib" <<'PY'
import sys, os
sys.path.insert(0, "scripts/bench")
import procbench
big, nvim, runs, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
env = dict(os.environ, HOME=os.path.abspath("target/bench-home"), XDG_STATE_HOME=os.path.abspath("target/bench-home/state"))
os.makedirs(env["HOME"], exist_ok=True)
cmds = [
    ("rtdvi --headless -n +$ +q", ["target/release/rtdvi", "--headless", "-u", "NONE", "-n", big, "+$", "+q"]),
    ("nvim --headless -u NONE -n +$ +q", [nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", big, "+$", "+q"]),
]
res = procbench.compare(cmds, runs=runs, warmup=1, env=env)
print(procbench.markdown_table(f"Open a {size} MiB file, go to the last line, quit", res, reference=cmds[1][0],
      budget=f"Budget: faster than Neovim; peak RSS ≤ 1.5 × file size ({1.5*int(size):.0f} MiB)."))
PY
