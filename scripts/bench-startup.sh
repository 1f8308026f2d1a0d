#!/usr/bin/env bash
# Startup to first frame, rtdvi against `nvim -u NONE`, both in the same tmux server and run:
# each editor opens FILE in a fresh 120x40 tmux window, and the time until the file's first line
# shows on the screen is taken (polling capture-pane every 2 ms). Prints the medians and the ratio.
# Usage: scripts/bench-startup.sh [RUNS] [FILE]   (RTDVI=path/to/rtdvi, NVIM=path/to/nvim)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-20}"
file="${2:-$repo/crates/rtdvi-editor/src/editor.rs}"
rtdvi="${RTDVI:-$repo/target/release/rtdvi}"
nvim="${NVIM:-$(bash "$repo/scripts/nvim.sh")}"
first_line="$(head -n1 "$file" | cut -c1-40)"
sock="rtdvi-startup-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true' EXIT
tmux -L "$sock" -f /dev/null new-session -d -s idle -x 120 -y 40 "sleep 3600"

measure() { # prints milliseconds until the first line is on screen
  local cmd="$1" t0 t1 win
  win="w$RANDOM$RANDOM"
  t0=$(date +%s%N)
  tmux -L "$sock" new-window -d -n "$win" "$cmd"
  until tmux -L "$sock" capture-pane -p -t "$win" 2>/dev/null | grep -qF -- "$first_line"; do
    sleep 0.002
  done
  t1=$(date +%s%N)
  tmux -L "$sock" kill-window -t "$win"
  echo $(((t1 - t0) / 1000))
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

r=(); n=()
for _ in $(seq "$runs"); do
  r+=("$(measure "$rtdvi -n -u NONE '$file'")")
  n+=("$(measure "$nvim -u NONE -i NONE -n '$file'")")
done
rm="$(printf '%s\n' "${r[@]}" | median)"
nm="$(printf '%s\n' "${n[@]}" | median)"
echo "startup to first frame, median of $runs (microseconds): rtdvi $rm, nvim -u NONE $nm"
awk -v a="$rm" -v b="$nm" 'BEGIN { printf "ratio rtdvi/nvim: %.2f\n", a / b }'
