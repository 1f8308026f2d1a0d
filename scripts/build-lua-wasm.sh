#!/usr/bin/env bash
# Builds the Lua 5.4 guest of rtdvi: crates/rtdvi-lua/guest/lua.wasm.
#
# Lua's C sources come from the pinned crates.io crate `lua-src` (a
# dev-dependency of rtdvi-lua, so cargo fetches it); they are copied to a
# temporary directory, patched there, and never committed. Our glue lives in
# crates/rtdvi-lua/guest/. The output is deterministic: same inputs, same
# bytes (scripts/check-lua-wasm.sh relies on that).
#
# Usage: scripts/build-lua-wasm.sh [OUTPUT.wasm]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${1:-$root/crates/rtdvi-lua/guest/lua.wasm}"
guest="$root/crates/rtdvi-lua/guest"

bash scripts/setup.sh clang lld wasi-libc libclang-rt-14-dev-wasm32

lua_src_dir="$(cargo metadata --format-version 1 --locked 2>/dev/null | python3 -c '
import json, sys
meta = json.load(sys.stdin)
for p in meta["packages"]:
    # The workspace pin (551.x, Lua 5.4.9); a dev-dependency may pull another lua-src too.
    if p["name"] == "lua-src" and p["version"].startswith("551."):
        print(p["manifest_path"].rsplit("/", 1)[0])
        break
')"
lua="$lua_src_dir/lua-5.4.9"
[ -f "$lua/lua.h" ] || { echo "error: Lua 5.4.9 sources not found in lua-src ($lua)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lua" "$work/obj"
cp "$lua"/*.c "$lua"/*.h "$work/lua/"

# LuaJIT prints integral floats without ".0" (tostring(10/2) == "5"), and
# Neovim plugins compare such strings: drop the suffix Lua 5.4 adds.
sed -i 's|if (buff\[strspn(buff, "-0123456789")\] == .\\0.) {  /\* looks like an int? \*/|if (0) {  /* rtdvi: no ".0" suffix, like LuaJIT */|' "$work/lua/lobject.c"
grep -q 'rtdvi: no ".0" suffix' "$work/lua/lobject.c" || { echo "error: number-format patch did not apply" >&2; exit 1; }

# Other choices: LUAI_MAXSTACK 200000 slots (Lua's 1M would let one
# coroutine take 16 MiB; LuaJIT allows ~65k). math.pow & co.
# (LUA_COMPAT_MATHLIB) are for LuaJIT compatibility. (-mbulk-memory would
# speed up memcpy on wasmi, but clang 14 crashes on Lua with it.)
sed -i 's|^#define LUAI_MAXSTACK[[:space:]]*1000000$|#define LUAI_MAXSTACK 200000 /* rtdvi */|' "$work/lua/luaconf.h"
grep -q 'LUAI_MAXSTACK 200000 /\* rtdvi' "$work/lua/luaconf.h" || { echo "error: stack-size patch did not apply" >&2; exit 1; }

# Not built: the I/O, OS and dynamic-library modules (replaced by the
# sandbox in sandbox.c), the default library list, and the binary chunk
# loader/dumper (stubbed so binary chunks are refused everywhere).
skip=" liolib.c loslib.c loadlib.c linit.c lundump.c ldump.c lua.c luac.c "

cflags=(--target=wasm32-wasi -O2 -std=gnu99 -Wall -Wno-unused-function
  -include "$guest/rtdvi_luaconf.h" -I "$guest/stub" -I "$work/lua" -I "$guest"
  -DLUA_COMPAT_MATHLIB -ffile-prefix-map="$work"=/rtdvi -ffile-prefix-map="$guest"=/rtdvi/guest)

objs=()
for src in $(cd "$work/lua" && ls *.c | LC_ALL=C sort); do
  case "$skip" in *" $src "*) continue ;; esac
  clang "${cflags[@]}" -c "$work/lua/$src" -o "$work/obj/lua_${src%.c}.o"
  objs+=("$work/obj/lua_${src%.c}.o")
done
for src in $(cd "$guest" && ls *.c | LC_ALL=C sort); do
  clang "${cflags[@]}" -c "$guest/$src" -o "$work/obj/rtdvi_${src%.c}.o"
  objs+=("$work/obj/rtdvi_${src%.c}.o")
done

clang --target=wasm32-wasi -O2 -mexec-model=reactor "${objs[@]}" -o "$work/lua.wasm" \
  -Wl,-z,stack-size=1048576 -Wl,--export=__stack_pointer -Wl,--strip-all -lm
mkdir -p "$(dirname "$out")"
cp "$work/lua.wasm" "$out"
echo "built $out ($(stat -c %s "$out") bytes)"
