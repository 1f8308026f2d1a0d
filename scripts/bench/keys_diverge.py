"""Finds the first key of a scriptin file after which rtdvi's buffer differs from Neovim's.

The benchmark's 10,000-key session should leave both editors with the same text (otherwise the timing
compares unequal work); when it does not, this bisects the key prefixes (each prefix is typed, then
`<Esc>:w!`) and prints the keys around the first divergence and the diff.

    python3 scripts/bench/keys_diverge.py --nvim PATH [--rtdvi PATH] KEYS_FILE TEXT_FILE
"""

import argparse
import difflib
import os
import subprocess
import sys
import tempfile

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def result(exe, text, keys, tmp):
    script, out = os.path.join(tmp, "prefix.keys"), os.path.join(tmp, "prefix.out")
    with open(script, "w", newline="") as f:
        f.write(keys + "\x1b:w! " + out + "\r:qa!\r")
    if os.path.exists(out):
        os.unlink(out)
    env = dict(os.environ, HOME=tmp, XDG_CONFIG_HOME=os.path.join(tmp, "config"))
    subprocess.run([exe, "--headless", "-u", "NONE", "-n", "-i", "NONE", text, "-s", script], env=env,
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    return open(out, "rb").read() if os.path.exists(out) else b"(nothing written)"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nvim", required=True)
    ap.add_argument("--rtdvi", default=os.path.join(REPO, "target", "release", "rtdvi"))
    ap.add_argument("keys")
    ap.add_argument("text")
    a = ap.parse_args()
    with open(a.keys, newline="") as f:
        keys = f.read()
    if keys.endswith("\x1b:qa!\r"):
        keys = keys[: -len("\x1b:qa!\r")]
    with tempfile.TemporaryDirectory() as tmp:
        def same(n):
            return result(a.rtdvi, a.text, keys[:n], tmp) == result(a.nvim, a.text, keys[:n], tmp)
        if same(len(keys)):
            print("identical after all", len(keys), "keys")
            return 0
        lo, hi = 0, len(keys)  # same after lo keys, different after hi
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if same(mid):
                lo = mid
            else:
                hi = mid
        r = result(a.rtdvi, a.text, keys[:hi], tmp).decode("utf-8", "replace").splitlines()
        n = result(a.nvim, a.text, keys[:hi], tmp).decode("utf-8", "replace").splitlines()
        print(f"first divergence at key {hi}: {keys[hi - 1]!r}")
        print(f"keys before it: {keys[max(0, hi - 60):hi - 1]!r}")
        print("\n".join(list(difflib.unified_diff(n, r, "nvim", "rtdvi", lineterm="", n=1))[:40]))
    return 1


if __name__ == "__main__":
    sys.exit(main())
