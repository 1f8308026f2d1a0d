"""Whole-process timing and peak memory, several commands side by side in one run.

Commands are run alternately (A B C A B C ...) so that machine noise hits all of them alike; each run's
wall time and peak RSS (from wait4's rusage) are recorded; medians, min/max and ratios are reported.
"""

import json
import os
import statistics
import subprocess
import sys
import time


def run_once(argv, env=None, cwd=None, stdin=None):
    """Runs argv once; returns (seconds, peak_rss_kib, exit_code, cpu_seconds)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdin=stdin or subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, rusage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    return elapsed, rusage.ru_maxrss, code, rusage.ru_utime + rusage.ru_stime


def compare(commands, runs=7, warmup=1, env=None, cwd=None):
    """commands: list of (label, argv). Returns {label: {...stats}}."""
    samples = {label: {"secs": [], "rss": [], "cpu": [], "codes": set()} for label, _ in commands}
    for _ in range(warmup):
        for _, argv in commands:
            run_once(argv, env, cwd)
    for _ in range(runs):
        for label, argv in commands:
            secs, rss, code, cpu = run_once(argv, env, cwd)
            s = samples[label]
            s["secs"].append(secs)
            s["cpu"].append(cpu)
            s["rss"].append(rss)
            s["codes"].add(code)
    out = {}
    for label, s in samples.items():
        out[label] = {
            "median_ms": statistics.median(s["secs"]) * 1000,
            "min_ms": min(s["secs"]) * 1000,
            "max_ms": max(s["secs"]) * 1000,
            "rss_mib": statistics.median(s["rss"]) / 1024,
            "cpu_ms": statistics.median(s["cpu"]) * 1000,
            "exit_codes": sorted(s["codes"]),
            "runs": runs,
        }
    return out


def markdown_table(title, results, reference=None, budget=None):
    """A Markdown table of results; ratios against `reference` (a label)."""
    lines = [f"#### {title}", "", "| command | median ms | min–max ms | CPU ms (user+sys) | peak RSS MiB | ratio |", "|---|---|---|---|---|---|"]
    ref = results.get(reference) if reference else None
    for label, r in results.items():
        ratio = f"{r['median_ms'] / ref['median_ms']:.2f}×" if ref else "—"
        lines.append(f"| {label} | {r['median_ms']:.1f} | {r['min_ms']:.1f}–{r['max_ms']:.1f} | {r['cpu_ms']:.1f} | {r['rss_mib']:.1f} | {ratio} |")
    if budget:
        lines += ["", budget]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    spec = json.load(sys.stdin)
    res = compare([(c["label"], c["argv"]) for c in spec["commands"]], spec.get("runs", 7), spec.get("warmup", 1))
    print(json.dumps(res, indent=2))
