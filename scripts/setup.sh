#!/usr/bin/env bash
# Installs what building and testing rtdvi needs beyond the Rust toolchain.
# Idempotent: quick when everything is already there.
set -euo pipefail

# tmux runs the end-to-end tests of the terminal UI (crates/rtdvi/tests/tmux_e2e.rs).
packages=(tmux "$@")
need_apt=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
rustup component list --installed 2>/dev/null | grep -q rustfmt || rustup component add rustfmt
# The example plugins (examples/plugins/) are Rust built for this target.
rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
