#!/usr/bin/env bash
# Fails when a committed example plugin or Lua module
# (examples/plugins/*/NAME.wasm, examples/lua-modules/*/NAME.wasm) is not
# what its sources build to: rebuilds into a temporary directory and
# compares the bytes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bash scripts/build-plugins.sh "$tmp" >/dev/null
status=0
for built in "$tmp"/*.wasm; do
  name="$(basename "$built")"
  committed=""
  for c in examples/plugins/*/"$name" examples/lua-modules/*/"$name"; do
    if [ -f "$c" ]; then committed="$c"; break; fi
  done
  if [ -z "$committed" ] || ! cmp -s "$built" "$committed"; then
    echo "error: ${committed:-examples/plugins/*/$name} is stale: run scripts/build-plugins.sh and commit it" >&2
    status=1
  fi
done
if [ $status -ne 0 ] && [ "$(rustc -V)" != "$(cat examples/plugins/BUILT_WITH 2>/dev/null)" ]; then
  echo "note: the committed plugins were built with $(cat examples/plugins/BUILT_WITH 2>/dev/null || echo '?'), this is $(rustc -V)" >&2
fi
[ $status -eq 0 ] && echo "example plugins are up to date"
exit $status
