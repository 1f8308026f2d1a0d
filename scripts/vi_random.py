#!/usr/bin/env python3
"""Randomized differential run of rtdvi's vi engine against Neovim 0.11.4.

Key sequences come from a small grammar of the engine's features (motions with counts, operators with
motions and text objects, registers, inserts with insert-mode keys, visual modes, replace, put, undo,
redo, dot, search, marks, macros) over the realistic texts of vi_cases.py. Each sequence runs in a
fresh Neovim (vi_nvim.py) and in rtdvi (the vi_replay example); the run reports the agreement rate,
overall and per feature. Differences are minimized (dropping commands while the difference stays)
and, with --save, appended to tests/fixtures/vi/random-cases.json, recorded into random.json and
listed in expected-failures.txt, so they stay in the normal test run.

Usage: vi_random.py --seed N --count M --replay PATH [--minimize K] [--save]
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vi_nvim  # noqa: E402
from vi_cases import TEXTS  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(REPO, "crates/rtdvi-editor/tests/fixtures/vi")

MOTIONS = ["h", "j", "k", "l", "w", "W", "b", "B", "e", "E", "ge", "gE", "0", "^", "$", "g_", "gg", "G",
           "%", "{", "}", "(", ")", "[(", "[{", "])", "]}", "<BS>", "<Space>", "H", "M", "L", "n", "N",
           "*", "#", "''", "`a", "'a", ";", ",", "gj", "gk", "g0", "g$", "|", "5|", "-", "+", "_"]
FIND = ["f", "F", "t", "T"]
OBJECTS = ["iw", "aw", "iW", "aW", "is", "as", "ip", "ap", "i(", "a(", "i[", "a[", "i{", "a{", "i<lt>",
           "a<lt>", "i\"", "a\"", "i'", "a'", "i`", "a`", "it", "at"]
OPERATORS = ["d", "c", "y", ">", "<lt>", "g~", "gu", "gU", "g?", "="]
SIMPLE = ["x", "X", "D", "J", "gJ", "~", "p", "P", "gp", "gP", "Y", "<C-a>", "<C-x>"]
INSERT_CMDS = ["i", "a", "A", "I", "o", "O", "s", "S", "C", "gI"]
INSERT_KEYS = ["<BS>", "<C-w>", "<CR>", "<Tab>", "<Del>", "<C-u>", "<C-t>", "<C-d>", "<C-r>\"", "<Left>"]
WORDS = ["foo", "bar", "x", "héllo", "日本", "(a)", "{", "}", " ", "an_id", "1", "-2", "é", "'q'", "\"s\""]
REGS = ["a", "b", "A", "_", "0", "1", "-"]
# Mappings every random case starts with (used by the "mapping" commands).
MAPPINGS = ["nnoremap Q dw", "nmap ,x dd", "nmap , x", "nnoremap <C-j> 2j", "inoremap <C-l> <Right>"]


def chars_of(lines, rng):
    text = "".join(lines)
    chars = [c for c in text if c not in "<\\|" and not c.isspace()]
    return rng.choice(chars) if chars else "x"


def count(rng, p=0.25):
    return str(rng.choice([2, 2, 3, 4, 10])) if rng.random() < p else ""


def target(rng, lines):
    """A motion or text object for an operator (feature name, keys)."""
    r = rng.random()
    if r < 0.25:
        return "textobject", count(rng, 0.1) + rng.choice(OBJECTS)
    if r < 0.35:
        return "find", count(rng, 0.2) + rng.choice(FIND) + chars_of(lines, rng)
    if r < 0.4:
        return "search", rng.choice("/?") + rng.choice(["o", "e", "in", "ut", "the"]) + rng.choice(
            ["", "", "", "/e", "/e-1", "/s+1", "/+1", "/b-1"]) + "<CR>"
    return "motion", count(rng) + rng.choice(MOTIONS)


def command(rng, lines):
    """One command: (feature, [keys...]). Kept whole so minimization never splits a command."""
    r = rng.random()
    if r < 0.22:
        kind, t = target(rng, lines)
        return "motion" if kind == "motion" else kind, count(rng) + t
    if r < 0.45:
        op = rng.choice(OPERATORS)
        reg = ('"' + rng.choice(REGS)) if rng.random() < 0.15 else ""
        kind, t = target(rng, lines)
        if rng.random() < 0.08:
            t = rng.choice(["v", "V", "<C-v>"]) + t  # forced motion (o_v)
        tail = rng.choice(WORDS) + "<Esc>" if op == "c" else ""
        if rng.random() < 0.1:
            kind, t = "doubled", (op[-1] if op.startswith("g") else op)  # dd, >>, <lt><lt>, g~~
        return "operator+" + kind, reg + count(rng) + op + t + tail
    if r < 0.55:
        reg = ('"' + rng.choice(REGS)) if rng.random() < 0.15 else ""
        return "simple", reg + count(rng, 0.3) + rng.choice(SIMPLE)
    if r < 0.68:
        body = "".join(rng.choice(WORDS + INSERT_KEYS) for _ in range(rng.randint(1, 4)))
        return "insert", count(rng, 0.1) + rng.choice(INSERT_CMDS) + body + rng.choice(["<Esc>"] * 4 + ["<C-c>"])
    if r < 0.76:
        mode = rng.choice(["v", "V", "<C-v>"])
        moves = "".join(rng.choice(["j", "l", "w", "e", "$", "o", "iw", "ip", "k", "h"]) for _ in range(rng.randint(1, 3)))
        op = rng.choice(["d", "y", "c" + rng.choice(WORDS) + "<Esc>", ">", "<lt>", "~", "u", "U", "J", "rX",
                         "Ifoo<Esc>", "A!<Esc>", "p", "<Esc>"])
        return "visual", mode + moves + op
    if r < 0.80:
        return "replace", rng.choice(["R" + rng.choice(WORDS) + rng.choice(["", "<BS>"]) + "<Esc>",
                                      count(rng, 0.3) + "r" + chars_of(lines, rng)])
    if r < 0.88:
        return "undo", rng.choice(["u", "u", "<C-r>", "U", "2u"])
    if r < 0.93:
        return "dot", count(rng, 0.2) + "."
    if r < 0.94:
        return "mark", rng.choice(["ma", "mb", "`a", "'a", "`[", "`]", "`.", "``", "<C-o>", "<Tab>", "g;", "g,"])
    if r < 0.96:
        return "ex", rng.choice([":s/o/0/g<CR>", ":normal! x<CR>", ":2,3normal A;<CR>", ":%norm I#<CR>",
                                 ":2d<CR>", "Vj:normal $x<CR>"])
    if r < 0.98:
        return "mapping", rng.choice(["Q", ",x", ",", "<C-j>", "iab<C-l>c<Esc>"])
    return "macro", rng.choice(["qaxq", "qaddq", "@a", "qajq", "qbA;<Esc>q@b"])


def generate(rng, index, seed):
    text = rng.choice(list(TEXTS))
    lines = TEXTS[text]
    row = rng.randrange(len(lines))
    col = rng.randrange(max(1, len(lines[row])))
    cmds = [command(rng, lines) for _ in range(rng.randint(1, 6))]
    return {
        "name": f"random/s{seed}-{index}",
        "area": "random",
        "lines": list(lines),
        "cursor": [row, col],
        "keys": "".join(k for _, k in cmds),
        "registers": ["\"", "-", "1", "a"],
        "ex": MAPPINGS,
        "_tokens": [k for _, k in cmds],
        "_features": sorted({p for f, _ in cmds for p in f.split("+")}),
    }


def public(case):
    return {k: v for k, v in case.items() if not k.startswith("_")}


def replay(replay_bin, cases):
    """rtdvi's outcome (or error) for each case, by name."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump([public(c) for c in cases], f, ensure_ascii=False)
        path = f.name
    try:
        out = subprocess.run([replay_bin, path], capture_output=True, timeout=600, check=True).stdout
    except subprocess.TimeoutExpired:
        if len(cases) == 1:
            return {cases[0]["name"]: {"error": "timeout"}}
        res = {}
        for c in cases:
            res.update(replay(replay_bin, [c]))
        return res
    finally:
        os.unlink(path)
    return {r["name"]: r for r in json.loads(out)}


def empty_reg(r):
    return not r.get("text") and "keys" not in r


def same(want, got):
    """Neovim's result vs rtdvi's (an empty register equals a missing one)."""
    if "outcome" not in got:
        return False
    g = got["outcome"]
    if (want["lines"], want["cursor"], want["mode"]) != (g["lines"], g["cursor"], g["mode"]):
        return False
    for name, w in want.get("registers", {}).items():
        gr = g.get("registers", {}).get(name, {"text": "", "type": ""})
        if gr != w and not (empty_reg(gr) and empty_reg(w)):
            return False
    return True


def diff_kinds(want, got):
    """Which parts differ: text, cursor, mode, register <name>, or the engine's error."""
    if "outcome" not in got:
        return ["error: " + str(got.get("error", "missing"))[:40]]
    g = got["outcome"]
    kinds = [k for k in ("lines", "cursor", "mode") if want[k] != g[k]]
    for name, w in want.get("registers", {}).items():
        gr = g.get("registers", {}).get(name, {"text": "", "type": ""})
        if gr != w and not (empty_reg(gr) and empty_reg(w)):
            kinds.append(f"register {name}")
    return kinds


def differs(binary, replay_bin, case):
    """True when Neovim and rtdvi disagree on the case (None when Neovim can't run it)."""
    want = vi_nvim.run_case(binary, public(case))
    if "error" in want:
        return None
    got = replay(replay_bin, [case])[case["name"]]
    return not same(want, got)


def minimize(binary, replay_bin, case, budget):
    """Drops whole commands (last first), then buffer lines, as long as the smaller case still differs."""
    tokens = list(case["_tokens"])
    tries = 0
    i = len(tokens) - 1
    while i >= 0 and tries < budget and len(tokens) > 1:
        cand = tokens[:i] + tokens[i + 1:]
        trial = dict(case, keys="".join(cand), _tokens=cand)
        tries += 1
        if differs(binary, replay_bin, trial):
            tokens = cand
        i -= 1
    case = dict(case, keys="".join(tokens), _tokens=tokens)
    # Then drop buffer lines (the cursor's row moves up with lines dropped above it).
    i = len(case["lines"]) - 1
    while i >= 0 and tries < 2 * budget and len(case["lines"]) > 1:
        row, col = case["cursor"]
        if i != row:
            lines = case["lines"][:i] + case["lines"][i + 1:]
            trial = dict(case, lines=lines, cursor=[row - 1 if i < row else row, col])
            tries += 1
            if differs(binary, replay_bin, trial):
                case = trial
        i -= 1
    return case


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--replay", required=True, help="path of the built vi_replay example")
    ap.add_argument("--minimize", type=int, default=10, help="how many differences to minimize")
    ap.add_argument("--save", action="store_true", help="add minimized differences to the fixtures")
    ap.add_argument("--show", type=int, default=5, help="how many differences to print")
    ap.add_argument("--nvim-cache", help="JSON file of Neovim's results for this seed and count: read when "
                    "it exists, written otherwise (so a rerun after an engine change needs no Neovim)")
    ap.add_argument("--dump", help="write every difference (case, Neovim's and rtdvi's outcome) to this JSON file")
    args = ap.parse_args()
    binary = vi_nvim.nvim_binary()
    rng = random.Random(args.seed)
    cases = [generate(rng, i, args.seed) for i in range(args.count)]

    t0 = time.monotonic()
    expect = {}
    if args.nvim_cache and os.path.exists(args.nvim_cache):
        with open(args.nvim_cache, encoding="utf-8") as f:
            cached = json.load(f)
        # Only results of the very same case count: a changed grammar regenerates them.
        expect = {c["name"]: cached[c["name"]]["expect"] for c in cases
                  if c["name"] in cached and cached[c["name"]]["case"] == public(c)}
    for c in cases:
        if c["name"] not in expect:
            expect[c["name"]] = vi_nvim.run_case(binary, public(c))
    if args.nvim_cache:
        with open(args.nvim_cache, "w", encoding="utf-8") as f:
            json.dump({c["name"]: {"case": public(c), "expect": expect[c["name"]]} for c in cases}, f,
                      ensure_ascii=False)
    t_nvim = time.monotonic() - t0
    got = replay(args.replay, cases)

    agree, skipped, failing = 0, 0, []
    per = {}
    for c in cases:
        want = expect[c["name"]]
        if "error" in want:
            skipped += 1
            continue
        ok = same(want, got.get(c["name"], {}))
        agree += ok
        for f in c["_features"]:
            a, n = per.get(f, (0, 0))
            per[f] = (a + ok, n + 1)
        if not ok:
            failing.append(c)
    ran = len(cases) - skipped
    print(f"vi-random seed {args.seed}: {ran} sequences ({skipped} skipped: Neovim left waiting for keys), "
          f"Neovim {t_nvim:.0f}s")
    print(f"agreement {agree}/{ran} = {100.0 * agree / max(ran, 1):.1f}%")
    for f in sorted(per):
        a, n = per[f]
        print(f"  {f:<11} {a:>5}/{n:<5} {100.0 * a / max(n, 1):5.1f}%")
    kinds = {}
    for c in failing:
        for k in diff_kinds(expect[c["name"]], got.get(c["name"], {})):
            kinds[k] = kinds.get(k, 0) + 1
    print("differences by kind (a sequence can differ in several): "
          + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1])))
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            json.dump([{"case": public(c), "neovim": expect[c["name"]],
                        "rtdvi": got.get(c["name"], {}).get("outcome", got.get(c["name"], {}).get("error")),
                        "kinds": diff_kinds(expect[c["name"]], got.get(c["name"], {}))} for c in failing],
                      f, ensure_ascii=False, indent=1)
    for c in failing[:args.show]:
        g = got.get(c["name"], {})
        print(f"DIFF {c['name']} keys {c['keys']!r} at {c['cursor']} on {c['lines'][c['cursor'][0]]!r}\n"
              f"  neovim: {json.dumps(expect[c['name']], ensure_ascii=False)[:400]}\n"
              f"  rtdvi:  {json.dumps(g.get('outcome', g.get('error')), ensure_ascii=False)[:400]}")

    minimized = []
    seen = set()
    for c in failing[:args.minimize]:
        m = minimize(binary, args.replay, c, budget=12)
        if m["keys"] in seen:
            continue
        seen.add(m["keys"])
        minimized.append(m)
        print(f"MINIMIZED {m['name']}: {m['keys']!r} at {m['cursor']}")
    if args.save and minimized:
        save(binary, args.replay, minimized, args.seed)


def save(binary, replay_bin, minimized, seed):
    inputs_path = os.path.join(FIXTURES, "random-cases.json")
    inputs = []
    if os.path.exists(inputs_path):
        with open(inputs_path, encoding="utf-8") as f:
            inputs = json.load(f)
    known = {c["name"] for c in inputs}
    recorded_path = os.path.join(FIXTURES, "random.json")
    recorded = []
    if os.path.exists(recorded_path):
        with open(recorded_path, encoding="utf-8") as f:
            recorded = json.load(f)
    new_names = []
    for m in minimized:
        case = public(m)
        if case["name"] in known:
            continue
        want = vi_nvim.run_case(binary, case)
        if "error" in want:
            continue
        inputs.append(case)
        recorded.append(dict(case, expect=want))
        new_names.append(case["name"])
    vi_nvim.write_fixture(inputs_path, inputs)
    vi_nvim.write_fixture(recorded_path, recorded)
    with open(os.path.join(FIXTURES, "expected-failures.txt"), "a", encoding="utf-8") as f:
        for n in new_names:
            f.write(f"{n} # found by scripts/vi-random.sh --seed {seed}\n")
    print(f"saved {len(new_names)} minimized differences to {inputs_path} and random.json")


if __name__ == "__main__":
    main()
