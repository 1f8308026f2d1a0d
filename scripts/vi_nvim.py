#!/usr/bin/env python3
"""Runs vi key cases in real Neovim and records what Neovim does.

A case (see crates/rtdvi-editor/tests/fixtures/vi/README.md) is a starting buffer, a cursor, optional
options / ex set-up / preset registers, and keys in Vim notation. Each case runs in a fresh
`nvim --embed --headless` process so no state (last search, last f/t, dot, macros, jumps) leaks from one
case to the next. Keys go through `nvim_input`, exactly like typed keys (mappings apply, every normal
command is its own undo step); a following `nvim_eval` waits until Neovim has consumed them.

The driver speaks msgpack-RPC itself (the `msgpack` module that pynvim depends on) so that a case that
leaves Neovim blocked on a half-typed command is detected with a deadline instead of hanging the run.

Usable as a library (vi_random.py imports it) and from the command line:
  vi_nvim.py record CASES.json... --out DIR     write DIR/<area>.json with Neovim's results
  vi_nvim.py check DIR --sample N --seed S      rerun a seeded sample of DIR's fixtures, report drift
"""

import argparse
import json
import os
import random
import select
import subprocess
import sys
import time

import msgpack

AREAS = [
    "motions", "operators", "textobjects", "counts", "registers", "put", "insert", "replace", "visual",
    "dot", "undo", "marks", "jumplist", "search", "mappings", "macros", "normal", "random",
]

# The options every case starts from: deterministic input handling, nothing written to disk.
BASE_SETUP = "set notimeout nottimeout noswapfile noshowmode shortmess+=I"


def nvim_binary():
    """The Neovim 0.11.4 binary (scripts/nvim.sh installs it when missing)."""
    env = os.environ.get("RTDVI_NVIM")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    return subprocess.check_output(["bash", os.path.join(here, "nvim.sh")], text=True).strip()


class Blocked(Exception):
    """Neovim is waiting for more keys after the case's input (a half-typed command)."""


class Nvim:
    """One embedded Neovim process spoken to over msgpack-RPC on its stdio."""

    def __init__(self, binary):
        self.proc = subprocess.Popen(
            [binary, "--embed", "--headless", "-u", "NONE", "-i", "NONE", "-n", "--noplugin"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        # Register contents can hold Neovim's internal key codes (0x80 ...), which are not UTF-8.
        self.unpacker = msgpack.Unpacker(raw=False, strict_map_key=False, unicode_errors="surrogateescape")
        self.next_id = 1
        self.responses = {}

    def close(self):
        try:
            self.proc.kill()
        finally:
            self.proc.wait()
            for f in (self.proc.stdin, self.proc.stdout):
                f.close()

    def send(self, method, *args):
        msgid = self.next_id
        self.next_id += 1
        self.proc.stdin.write(msgpack.packb([0, msgid, method, list(args)], use_bin_type=True))
        self.proc.stdin.flush()
        return msgid

    def wait(self, msgid, timeout):
        """The result of request `msgid`, or None when `timeout` seconds pass first."""
        deadline = time.monotonic() + timeout
        while msgid not in self.responses:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if not ready:
                return None
            data = os.read(self.proc.stdout.fileno(), 65536)
            if not data:
                raise RuntimeError("nvim exited")
            self.unpacker.feed(data)
            for msg in self.unpacker:
                if msg[0] == 1:  # response: [1, id, error, result]
                    self.responses[msg[1]] = (msg[2], msg[3])
                # notifications (type 2) are ignored: no UI is attached
        return self.responses.pop(msgid)

    def call(self, method, *args, timeout=10.0):
        got = self.wait(self.send(method, *args), timeout)
        if got is None:
            raise RuntimeError(f"{method}: no answer in {timeout}s")
        err, res = got
        if err:
            raise RuntimeError(f"{method}{args!r}: {err}")
        return res

    def sync_after_input(self, timeout=5.0):
        """Waits until Neovim consumed the typed keys; raises Blocked if it stopped half-way."""
        msgid = self.send("nvim_eval", "1")
        deadline = time.monotonic() + timeout
        while True:
            got = self.wait(msgid, 0.05)
            if got is not None:
                return
            # nvim_get_mode is a fast request: it is answered even while Neovim waits for a key.
            mode = self.call("nvim_get_mode")
            if mode.get("blocking"):
                raise Blocked(mode.get("mode"))
            if time.monotonic() > deadline:
                raise RuntimeError("input not consumed before the deadline")


_scratch = []


def scratch_dir():
    """A private directory for the case files, removed when the process ends."""
    if not _scratch:
        import atexit
        import shutil
        import tempfile
        d = tempfile.mkdtemp(prefix="rtdvi-vi-")
        atexit.register(shutil.rmtree, d, True)
        _scratch.append(d)
    return _scratch[0]


def regtype_out(t):
    """Neovim's getregtype() as written in fixtures: v, V or b<width>."""
    if t.startswith("\x16"):
        return "b" + t[1:]
    return t


def regtype_in(t):
    if t.startswith("b"):
        return "\x16" + t[1:]
    return t


def is_utf8(s):
    try:
        s.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def byte_to_char_col(line, bcol):
    return len(line.encode("utf-8")[:bcol].decode("utf-8", errors="ignore"))


def char_to_byte_col(line, ccol):
    return len(line[:ccol].encode("utf-8"))


def run_case(binary, case):
    """Runs one case in a fresh Neovim; returns the `expect` object or {"error": ...}."""
    nv = Nvim(binary)
    try:
        nv.call("nvim_command", BASE_SETUP)
        for name, value in case.get("options", {}).items():
            if value is True:
                nv.call("nvim_command", f"set {name}")
            elif value is False:
                nv.call("nvim_command", f"set no{name}")
            else:
                nv.call("nvim_command", f"set {name}={value}")
        # The text is read from a file, so the case starts with no undo history, no change list and no
        # `.` mark (nvim_buf_set_lines would leave a change behind that `g;` and `` `. `` could find).
        # Reading sets '[ and '] to the lines read; they are deleted so nothing is left to observe.
        path = os.path.join(scratch_dir(), "case.txt")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(case["lines"]) + "\n")
        nv.call("nvim_command", "edit! " + path)
        nv.call("nvim_command", "delmarks [ ]")
        nv.call("nvim_command", "clearjumps")
        for cmd in case.get("ex", []):
            nv.call("nvim_command", cmd)
        for name, reg in case.get("preset", {}).items():
            nv.call("nvim_call_function", "setreg", [name, reg["text"], regtype_in(reg.get("type", "v"))])
        row, col = case["cursor"]
        line = case["lines"][row] if row < len(case["lines"]) else ""
        nv.call("nvim_win_set_cursor", 0, [row + 1, char_to_byte_col(line, col)])
        nv.call("nvim_input", case["keys"])
        try:
            nv.sync_after_input()
        except Blocked as b:
            return {"error": f"blocked waiting for keys in mode {b}"}
        lines = nv.call("nvim_buf_get_lines", 0, 0, -1, True)
        if not all(is_utf8(ln) for ln in lines):
            # rtdvi keeps text as UTF-8 (stray bytes of files are escaped on read): not comparable.
            return {"error": "the buffer holds bytes that are not UTF-8"}
        crow, cbcol = nv.call("nvim_win_get_cursor", 0)
        mode = nv.call("nvim_get_mode")["mode"]
        cur_line = lines[crow - 1] if crow - 1 < len(lines) else ""
        out = {"lines": lines, "cursor": [crow - 1, byte_to_char_col(cur_line, cbcol)], "mode": mode}
        regs = {}
        for name in case.get("registers", []):
            text = nv.call("nvim_call_function", "getreg", [name])
            rtype = nv.call("nvim_call_function", "getregtype", [name])
            reg = {"text": text, "type": regtype_out(rtype)}
            if not is_utf8(text):
                # Special keys recorded in a macro: written in key notation (keytrans()) instead.
                reg = {"keys": nv.call("nvim_eval", f"keytrans(getreg('{name}'))"), "type": regtype_out(rtype)}
            regs[name] = reg
        if regs:
            out["registers"] = regs
        return out
    finally:
        nv.close()


def case_inputs(case):
    """The input part of a case (what the recorder reads), without any recorded expectation."""
    return {k: v for k, v in case.items() if k != "expect"}


def record(case_files, out_dir, binary):
    cases = []
    for path in case_files:
        with open(path, encoding="utf-8") as f:
            cases.extend(json.load(f))
    names = set()
    by_area = {}
    errors = 0
    t0 = time.monotonic()
    for i, case in enumerate(cases):
        if case["name"] in names:
            sys.exit(f"duplicate case name: {case['name']}")
        names.add(case["name"])
        if case["area"] not in AREAS:
            sys.exit(f"{case['name']}: unknown area {case['area']}")
        expect = run_case(binary, case)
        if "error" in expect:
            errors += 1
            print(f"  {case['name']}: {expect['error']}", file=sys.stderr)
            continue
        rec = case_inputs(case)
        rec["expect"] = expect
        by_area.setdefault(case["area"], []).append(rec)
        if (i + 1) % 100 == 0:
            print(f"  {i + 1}/{len(cases)} ({time.monotonic() - t0:.0f}s)", file=sys.stderr)
    os.makedirs(out_dir, exist_ok=True)
    for area, recs in by_area.items():
        write_fixture(os.path.join(out_dir, f"{area}.json"), recs)
    total = sum(len(r) for r in by_area.values())
    print(f"recorded {total} cases in {len(by_area)} areas ({errors} skipped) into {out_dir}")
    return errors


def write_fixture(path, recs):
    """One case per line: small diffs when a case changes, still plain JSON."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("[\n")
        f.write(",\n".join(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in recs))
        f.write("\n]\n")


def load_fixtures(fixture_dir):
    cases = []
    for name in sorted(os.listdir(fixture_dir)):
        if name.endswith(".json") and not name.endswith("cases.json"):
            with open(os.path.join(fixture_dir, name), encoding="utf-8") as f:
                cases.extend(json.load(f))
    return cases


def check(fixture_dir, sample, seed, binary):
    cases = load_fixtures(fixture_dir)
    rng = random.Random(seed)
    chosen = rng.sample(cases, min(sample, len(cases)))
    stale = 0
    for case in chosen:
        now = run_case(binary, case_inputs(case))
        if now != case["expect"]:
            stale += 1
            print(f"STALE {case['name']}\n  recorded: {json.dumps(case['expect'], ensure_ascii=False)}\n"
                  f"  neovim:   {json.dumps(now, ensure_ascii=False)}")
    print(f"checked {len(chosen)} of {len(cases)} fixtures (seed {seed}): {stale} stale")
    return stale


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("record")
    r.add_argument("cases", nargs="+")
    r.add_argument("--out", required=True)
    c = sub.add_parser("check")
    c.add_argument("dir")
    c.add_argument("--sample", type=int, default=40)
    c.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    binary = nvim_binary()
    if args.cmd == "record":
        sys.exit(1 if record(args.cases, args.out, binary) else 0)
    sys.exit(1 if check(args.dir, args.sample, args.seed, binary) else 0)


if __name__ == "__main__":
    main()
