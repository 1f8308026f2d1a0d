# Sourced by the vi fixture scripts: finds Neovim 0.11.4 and the Python that has pynvim's msgpack
# (both from the venv scripts/nvim.sh manages), and gives Neovim a clean, deterministic environment.
repo="${repo:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
RTDVI_NVIM="$(bash "$repo/scripts/nvim.sh")"
venv="${RTDVI_NVIM_VENV:-$repo/.venv/nvim}"
VI_PYTHON="$venv/bin/python"
vi_home="$(mktemp -d)"
trap 'rm -rf "$vi_home"' EXIT
export RTDVI_NVIM VI_PYTHON
export HOME="$vi_home" XDG_CONFIG_HOME="$vi_home/config" XDG_DATA_HOME="$vi_home/data" \
  XDG_STATE_HOME="$vi_home/state" XDG_CACHE_HOME="$vi_home/cache" XDG_RUNTIME_DIR="$vi_home/run" \
  LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
