"""Criterion results (target/criterion/*/new/estimates.json) and the in-process budgets they check."""

import datetime
import glob
import json
import os
from dataclasses import dataclass

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# (issue, criterion full id, what it measures, budget in µs or None for "report").
BUDGETS = [
    ("2", "insert one char in a 1M-line buffer (change + undo step)",
     "one-character insert in a 1,000,000-line buffer (editor path)", 10.0),
    ("2", "substitute/:%s/foo/bar/g on 1M lines", "`:%s/foo/bar/g` over 1,000,000 lines (in process)", None),
    ("2", "substitute/:g/5 with/d on 1M lines", "`:g/pat/d` over 1,000,000 lines (in process)", None),
] + [
    ("3", f"normal_key_{size}/{key}", f"normal-mode `{shown}` on {size.upper()} lines", 20.0)
    for size in ("1k", "1m") for key, shown in (("j", "j"), ("dd", "dd"), ("p", "p"), ("dot_dd", ". (dd)"))
] + [
    ("4", "key_to_frame_1M_lines/j", "key to finished frame, `j`, 1M-line Rust file (median)", 1000.0),
    ("4", "key_to_frame_1M_lines/ctrl_d", "key to finished frame, `<C-d>` (median)", 1000.0),
    ("4", "key_to_frame_1M_lines/x", "key to finished frame, `x` (median)", 1000.0),
    ("4", "key_to_frame_1M_lines/o_and_typing", "key to finished frame, `o` + typing (median)", 1000.0),
    ("4", "full_redraw_250x80_highlighted", "full redraw of 250×80, highlight spans cached", 2000.0),
    ("4", "full_redraw_250x80_highlight_query", "full redraw of 250×80, highlight query run", 2000.0),
    ("4", "treesitter_reparse_one_char_10k_lines", "tree-sitter re-parse after a 1-char edit, 10k-line Rust file",
     2000.0),
    ("4", "treesitter_reparse_one_char_10k_lines_flat",
     "the same on 1,430 documented top-level functions (tree-sitter's bad case)", None),
    ("4", "treesitter_diff_edit_10k_lines", "finding the edit before a re-parse (rope diff), 10k lines", None),
    ("5", "empty_call/wasmtime", "host → guest empty call, wasmtime", None),
    ("5", "empty_call/wasmi", "host → guest empty call, wasmi", None),
    ("5", "host_copy_80/wasmtime", "guest → host import copying 80 bytes, wasmtime", None),
    ("5", "host_copy_80/wasmi", "guest → host import copying 80 bytes, wasmi", None),
] + [
    # The plugin host (benches/plugins): editor, transactions and the rtdvi ABI included.
    ("5", f"on_event_empty/{eng}", f"one event to one plugin with an empty `on_event` (in process), {eng}", None)
    for eng in ("wasmtime", "wasmi")
] + [
    ("5", f"on_event_50_plugins/{eng}", f"one event to 50 subscribed WASM plugins (in process), {eng}",
     100.0 if eng == "wasmtime" else None)
    for eng in ("wasmtime", "wasmi")
] + [
    ("5", f"get_line_80/{eng}", f"`rtdvi_get_line` of an 80-character line from a plugin loop, per call, {eng}",
     0.2 if eng == "wasmtime" else None)
    for eng in ("wasmtime", "wasmi")
]
# Issue 9's rows (the embeddable host) come from the rtdvi-embed scaling example, not criterion:
# see Suite.embed_rows in suite.py.


@dataclass
class Estimate:
    """One benchmark's median and when it was measured."""

    median_ns: float
    when: str

    @property
    def median_us(self):
        return self.median_ns / 1000

    @property
    def median_ms(self):
        return self.median_ns / 1e6


def load(root):
    """{full_id: Estimate} for every benchmark under root."""
    out = {}
    for bj in glob.glob(os.path.join(root, "**", "new", "benchmark.json"), recursive=True):
        est = os.path.join(os.path.dirname(bj), "estimates.json")
        try:
            with open(bj) as f:
                full_id = json.load(f)["full_id"]
            with open(est) as f:
                median = json.load(f)["median"]["point_estimate"]
        except (OSError, KeyError, ValueError):
            continue
        when = datetime.datetime.fromtimestamp(os.path.getmtime(est), datetime.timezone.utc)
        out[full_id] = Estimate(median, when.strftime("%Y-%m-%d %H:%M UTC"))
    return out


def known(full_id):
    """True if a bench in the source tree defines this id (so a missing result means "not run")."""
    group = full_id.split("/")[0]
    paths = glob.glob(os.path.join(REPO, "crates", "*", "benches", "*.rs"))
    paths += glob.glob(os.path.join(REPO, "benches", "*", "benches", "*.rs"))
    for path in paths:
        with open(path) as f:
            src = f.read()
        if f'"{group}"' in src or f'"{full_id}"' in src or group.startswith("normal_key") and "normal_key_" in src:
            return True
    return False
