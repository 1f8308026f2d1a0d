"""Whole-process timing and peak memory, several commands side by side in one run.

Commands are run alternately (A B C A B C ...) so that machine noise hits all of them alike; each run's
wall time, CPU time and peak RSS (from wait4's rusage) are recorded; medians, spread and ratios are
reported. A run that exceeds its timeout is killed and counted as failed (its exit code is -9).
"""

import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Optional


@dataclass
class Cmd:
    """One command of a comparison: what to run and how."""

    label: str
    argv: list
    env: Optional[dict] = None
    cwd: Optional[str] = None
    stdin_path: Optional[str] = None
    # Called before every run (e.g. to empty a cache for a first-run measurement); not timed.
    before: Optional[Callable[[], None]] = None
    extra: dict = field(default_factory=dict)


def _spawn(argv, env, cwd, stdin, stdout, stderr):
    return subprocess.Popen(argv, env=env, cwd=cwd, stdin=stdin, stdout=stdout, stderr=stderr,
                            start_new_session=True)


# Path of the compiled launch.c (set by `build_launcher`); without it, runs are timed from Python and
# peak RSS has Python's size as its floor.
LAUNCHER = None


def build_launcher(out_dir):
    """Compiles launch.c into out_dir (once) and makes every later run use it. Returns its path."""
    global LAUNCHER
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "launch.c")
    exe = os.path.join(out_dir, "launch")
    os.makedirs(out_dir, exist_ok=True)
    if not os.path.exists(exe) or os.path.getmtime(exe) < os.path.getmtime(src):
        subprocess.run(["cc", "-O2", "-o", exe, src], check=True)
    LAUNCHER = exe
    return exe


def run_once(argv, env=None, cwd=None, stdin=None, timeout=None):
    """Runs argv once; returns (seconds, peak_rss_kib, exit_code, cpu_seconds)."""
    report = None
    if LAUNCHER:
        report = os.path.join(os.path.dirname(LAUNCHER), f"report.{os.getpid()}")
        argv = [LAUNCHER, report] + list(argv)
    start = time.perf_counter()
    proc = _spawn(argv, env, cwd, stdin or subprocess.DEVNULL, subprocess.DEVNULL, subprocess.DEVNULL)
    timer = None
    if timeout:
        # Kill the whole process group: an editor that waits for input must not hang the suite.
        timer = threading.Timer(timeout, lambda: _kill_group(proc.pid))
        timer.start()
    _, status, rusage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if timer:
        timer.cancel()
    proc.returncode = 0  # reaped by wait4; keeps Popen from waiting again
    code = os.waitstatus_to_exitcode(status)
    if report:
        try:
            with open(report) as f:
                wall_ns, rss, user_us, sys_us, code = (int(x) for x in f.read().split())
            os.unlink(report)
            return wall_ns / 1e9, rss, code, (user_us + sys_us) / 1e6
        except (OSError, ValueError):
            return elapsed, rusage.ru_maxrss, code if code else -9, rusage.ru_utime + rusage.ru_stime
    return elapsed, rusage.ru_maxrss, code, rusage.ru_utime + rusage.ru_stime


def _kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def capture(argv, env=None, cwd=None, stdin_path=None, timeout=60):
    """Runs argv once and returns (exit_code, stdout + stderr as text); used to check a command works."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    try:
        proc = _spawn(argv, env, cwd, stdin, subprocess.PIPE, subprocess.STDOUT)
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc.pid)
            out, _ = proc.communicate()
            return -9, out.decode("utf-8", "replace") + "\n[timed out]"
        return proc.returncode, out.decode("utf-8", "replace")
    except OSError as e:
        return -1, str(e)
    finally:
        if stdin_path:
            stdin.close()


def _summary(s, runs):
    secs = sorted(s["secs"])
    med = statistics.median(secs)
    # Spread: median absolute deviation relative to the median (robust against one disturbed run).
    mad = statistics.median([abs(x - med) for x in secs]) if secs else 0.0
    return {
        "median_ms": med * 1000,
        "min_ms": secs[0] * 1000,
        "max_ms": secs[-1] * 1000,
        "mad_pct": (mad / med * 100) if med else 0.0,
        "rss_mib": max(s["rss"]) / 1024,
        "cpu_ms": statistics.median(s["cpu"]) * 1000,
        "exit_codes": sorted(s["codes"]),
        "runs": runs,
        "samples_ms": [x * 1000 for x in s["secs"]],
    }


def compare_cmds(cmds, runs=7, warmup=1, timeout=None):
    """Runs every Cmd alternately `runs` times after `warmup` rounds. Returns {label: stats}."""
    samples = {c.label: {"secs": [], "rss": [], "cpu": [], "codes": set()} for c in cmds}

    def one(c):
        if c.before:
            c.before()
        stdin = open(c.stdin_path, "rb") if c.stdin_path else None
        try:
            return run_once(c.argv, c.env, c.cwd, stdin, timeout)
        finally:
            if stdin:
                stdin.close()

    for _ in range(warmup):
        for c in cmds:
            one(c)
    for _ in range(runs):
        for c in cmds:
            secs, rss, code, cpu = one(c)
            s = samples[c.label]
            s["secs"].append(secs)
            s["cpu"].append(cpu)
            s["rss"].append(rss)
            s["codes"].add(code)
    return {label: _summary(s, runs) for label, s in samples.items()}


def compare(commands, runs=7, warmup=1, env=None, cwd=None):
    """commands: list of (label, argv). Returns {label: {...stats}}."""
    return compare_cmds([Cmd(label, argv, env=env, cwd=cwd) for label, argv in commands], runs, warmup)


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
